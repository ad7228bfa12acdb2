package scoring

// Engine scores a Dataset with a set of schemes. It indexes the units once;
// it is immutable after NewEngine and safe for concurrent use.
type Engine struct {
	schemes *Schemes
	ds      *Dataset
}

// NewEngine indexes the dataset. The dataset must not change afterwards.
func NewEngine(schemes *Schemes, ds *Dataset) *Engine {
	return &Engine{schemes: schemes, ds: ds}
}

// Schemes returns the engine's schemes.
func (e *Engine) Schemes() *Schemes { return e.schemes }

// PeriodScores is every unit's score in one period.
type PeriodScores struct {
	Period Period
	Scheme *Scheme
	Units  map[string]*UnitScore
}

// Score computes every unit's score in period p.
func (e *Engine) Score(p Period) *PeriodScores { panic("TODO") }

// Periods lists the periods with data, newest first (start descending, then
// shorter first): every month with counts, and the quarter, half-year and
// year containing it, plus longer periods with counts of their own.
func (e *Engine) Periods() []Period { panic("TODO") }

// Unit returns the unit with the code.
func (e *Engine) Unit(code string) (Unit, bool) { panic("TODO") }

// Units lists every unit, ordered by kind then name.
func (e *Engine) Units() []Unit { panic("TODO") }

// Children lists the units whose parent is code, by name.
func (e *Engine) Children(code string) []Unit { panic("TODO") }

// Provinces lists the province units, by name.
func (e *Engine) Provinces() []Unit { panic("TODO") }

// ProvinceOf returns the code of the unit's province ("" if none; a province
// is its own province).
func (e *Engine) ProvinceOf(code string) string { panic("TODO") }

// Unit returns one unit's score, or nil for an unknown code.
func (ps *PeriodScores) Unit(code string) *UnitScore { return ps.Units[code] }

// Ranking ranks the units of one kind (limited to one province's units when
// province is not ""), best first with standard competition ranking (ties at
// the scheme's tie precision share a rank and are listed by name), then the
// units without data, by name, with Rank 0. prev, when not nil, is the
// previous period's scores, for TotalChange and RankChange.
func (ps *PeriodScores) Ranking(kind UnitKind, province string, prev *PeriodScores) []Ranked {
	panic("TODO")
}

// Input is a hypothetical metric value for ScoreInputs (what-if): counts and
// the source to report.
type Input struct {
	Counts Counts
	Source Source
}

// ScoreInputs scores one unit from explicit counts per metric code, with no
// derivation: metrics absent from in have no counts. It is the engine's own
// arithmetic, for the what-if panel and for tests.
func ScoreInputs(s *Scheme, u Unit, p Period, in map[string]Input) *UnitScore {
	panic("TODO")
}
