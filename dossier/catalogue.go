package dossier

import (
	"io"
	"sort"

	"scorecard/internal/tabular"
	"scorecard/scoring"
)

// OnlineLevel is a procedure's online service level (DVCTT).
type OnlineLevel uint8

// The levels of docs/import-files.md.
const (
	OnlineNone    OnlineLevel = iota // no online service
	OnlinePartial                    // một phần
	OnlineFull                       // toàn trình
)

var onlineNames = [...]string{"none", "partial", "full"}

func (l OnlineLevel) String() string {
	if int(l) < len(onlineNames) {
		return onlineNames[l]
	}
	return "?"
}

// Procedure is one procedure (TTHC) of a unit's catalogue.
type Procedure struct {
	Code                 string
	Name                 string
	Online               OnlineLevel
	HasFee               bool
	IndividualApplicant  bool
	CitizenDataConnected bool
}

// State is a unit's complete catalogue as of a month. It stays in force
// until a later state of the same unit.
type State struct {
	Unit       string
	Month      scoring.Period
	Procedures []Procedure
}

// Catalogue holds the states of every unit.
type Catalogue struct {
	units map[string][]State // by month ascending
}

// NewCatalogue returns an empty catalogue.
func NewCatalogue() *Catalogue { return &Catalogue{units: map[string][]State{}} }

// Set makes s the unit's state for its month, replacing an earlier state
// for the same month (a re-imported file).
func (c *Catalogue) Set(s State) {
	list := c.units[s.Unit]
	i := sort.Search(len(list), func(i int) bool { return !monthBefore(list[i].Month, s.Month) })
	if i < len(list) && list[i].Month == s.Month {
		list[i] = s
		return
	}
	list = append(list, State{})
	copy(list[i+1:], list[i:])
	list[i] = s
	c.units[s.Unit] = list
}

// Merge sets every state of other (a file read on its own) into c.
func (c *Catalogue) Merge(other *Catalogue) {
	for _, list := range other.units {
		for _, s := range list {
			c.Set(s)
		}
	}
}

func monthIndex(p scoring.Period) int32 { return int32((p.Year-1970)*12 + p.N - 1) }

func monthBefore(a, b scoring.Period) bool { return monthIndex(a) < monthIndex(b) }

func periodOfMonth(a int32) scoring.Period {
	y := int(floorDiv(int64(a), 12))
	return scoring.Period{Kind: scoring.Month, Year: 1970 + y, N: int(a) - y*12 + 1}
}

// At returns the unit's state in force at the end of period p: the latest
// state of a month at or before p's last month (docs/import-files.md: snapshot
// metrics use the latest state at or before the period's end).
func (c *Catalogue) At(unit string, p scoring.Period) (State, bool) {
	months := p.Months()
	last := monthIndex(months[len(months)-1])
	s := c.stateAt(unit, last)
	if s == nil {
		return State{}, false
	}
	return *s, true
}

func (c *Catalogue) stateAt(unit string, last int32) *State {
	list := c.units[unit]
	i := sort.Search(len(list), func(i int) bool { return monthIndex(list[i].Month) > last })
	if i == 0 {
		return nil
	}
	return &list[i-1]
}

// Units lists the units with a state, sorted.
func (c *Catalogue) Units() []string {
	out := make([]string, 0, len(c.units))
	for u := range c.units {
		out = append(out, u)
	}
	sort.Strings(out)
	return out
}

// States lists a unit's states, oldest first.
func (c *Catalogue) States(unit string) []State { return c.units[unit] }

// Procedures returns every procedure code of any state, for
// ReadOptions.ProcedureKnown.
func (c *Catalogue) Procedures() map[string]bool {
	out := map[string]bool{}
	for _, list := range c.units {
		for _, s := range list {
			for _, p := range s.Procedures {
				out[p.Code] = true
			}
		}
	}
	return out
}

// months returns the first and last month with a state.
func (c *Catalogue) months() (lo, hi int32, ok bool) {
	for _, list := range c.units {
		if len(list) == 0 {
			continue
		}
		a, b := monthIndex(list[0].Month), monthIndex(list[len(list)-1].Month)
		if !ok || a < lo {
			lo = a
		}
		if !ok || b > hi {
			hi = b
		}
		ok = true
	}
	return lo, hi, ok
}

// CatalogueColumns are the columns of a procedure catalogue file.
var CatalogueColumns = []string{"period", "procedure_code", "name", "unit_code", "online_level", "has_fee",
	"individual_applicant", "citizen_data_connected"}

// CatalogueKind is the procedure catalogue file.
var CatalogueKind = &tabular.Kind{Name: "catalogue", Label: "file.kind.catalogue",
	Columns: kindColumns(CatalogueColumns, map[string]tabular.CellKind{"period": tabular.Period})}

// maxProcedureNameRunes bounds a procedure's name; the longest real ones
// are about 300 characters.
const maxProcedureNameRunes = 1000

// CatalogueRow is one valid row of a catalogue file.
type CatalogueRow struct {
	Row   int
	Month scoring.Period
	Unit  string
	Procedure
}

// CatalogueReader streams a catalogue file, validating every row (see
// DossierReader for the contract).
type CatalogueReader struct {
	t     *tabular.Reader
	ps    *tabular.Problems
	opts  ReadOptions
	cur   CatalogueRow
	seen  map[string]int // period|unit|procedure → row
	units map[string]int32
	// unitWhy caches why a known unit cannot take catalogue rows.
	unitWhy map[string]tabular.Msg
	// unitDays caches the days of the units (ReadOptions.UnitDays).
	unitDays map[string]Days
}

// NewCatalogueReader reads the header of a catalogue file.
func NewCatalogueReader(name string, r io.Reader, opts ReadOptions) *CatalogueReader {
	opts.defaults()
	ps := &tabular.Problems{Max: opts.MaxProblems}
	return CatalogueFrom(openTable(name, r, ps, opts.MaxXLSXRows), ps, opts)
}

// CatalogueFrom reads the catalogue rows of a table the caller opened
// (tabular.Open, its header read), whose problems go to ps.
func CatalogueFrom(t *tabular.Reader, ps *tabular.Problems, opts ReadOptions) *CatalogueReader {
	opts.defaults()
	t.SetKind(CatalogueKind)
	return &CatalogueReader{t: t, ps: ps, opts: opts, seen: map[string]int{}, units: map[string]int32{}, unitWhy: map[string]tabular.Msg{}, unitDays: map[string]Days{}}
}

// Next advances to the next valid row.
func (c *CatalogueReader) Next() bool {
	for c.t.Next() {
		if c.parse(c.t.Cells()) {
			return true
		}
	}
	return false
}

// Row is the current row.
func (c *CatalogueReader) Row() *CatalogueRow { return &c.cur }

// Err is the I/O error that ended reading, if any.
func (c *CatalogueReader) Err() error { return c.t.Err() }

// Refusal is the problems found so far as an error, nil when there are
// none.
func (c *CatalogueReader) Refusal(name string) *tabular.Error { return c.ps.Err(name) }

// ProblemCount is the number of problems found so far.
func (c *CatalogueReader) ProblemCount() int { return c.ps.Total() }

// Problems lists the problems found so far and kept in full, by row.
func (c *CatalogueReader) Problems() []tabular.Problem {
	if pe := c.Refusal(""); pe != nil {
		return pe.Problems
	}
	return nil
}

// SHA256 is the hex SHA-256 of the whole file, once it is read to the end.
func (c *CatalogueReader) SHA256() (string, error) { return c.t.SHA256() }

// Close releases a workbook when reading stops early.
func (c *CatalogueReader) Close() { c.t.Close() }

func (c *CatalogueReader) parse(cells [][]byte) bool {
	row := c.t.Row()
	before := c.ps.Total()
	ps := c.ps
	cur := CatalogueRow{Row: row}

	per := cells[0]
	p, err := scoring.ParsePeriod(string(per))
	switch {
	case len(per) == 0:
		ps.Add(row, "period", "file.catalogue.period.empty")
	case err != nil || p.Kind != scoring.Month:
		ps.Add(row, "period", "file.catalogue.period.bad", tabular.Quote(per))
	case p.Year < minYear || p.Year > maxYear:
		ps.Add(row, "period", "file.catalogue.period.year", tabular.Quote(per), minYear, maxYear)
	default:
		cur.Month = p
	}

	proc := cells[1]
	switch why, ok := tabular.CodeProblem(proc); {
	case len(proc) == 0:
		ps.Add(row, "procedure_code", "file.procedure_code.empty")
	case !ok:
		ps.Add(row, "procedure_code", "file.procedure_code.bad", tabular.Quote(proc), why)
	default:
		cur.Code = string(proc)
	}

	name := cells[2]
	switch why, ok := tabular.NameProblem(name, maxProcedureNameRunes); {
	case len(name) == 0:
		ps.Add(row, "name", "file.catalogue.name.empty")
	case !ok:
		ps.Add(row, "name", "file.catalogue.name.bad", why)
	default:
		cur.Name = string(name)
	}

	unit := cells[3]
	switch why, ok := tabular.CodeProblem(unit); {
	case len(unit) == 0:
		ps.Add(row, "unit_code", "file.unit_code.empty")
	case !ok:
		ps.Add(row, "unit_code", "file.unit_code.bad", tabular.Quote(unit), why)
	case lookup(c.units, c.opts.Units, c.opts.UnitKnown, unit) < 0:
		ps.Add(row, "unit_code", "file.unit.unknown", tabular.Quote(unit))
	default:
		why, seen := c.unitWhy[string(unit)]
		if !seen && c.opts.UnitProblem != nil {
			why = c.opts.UnitProblem(string(unit))
			c.unitWhy[string(unit)] = why
		}
		if why.Key != "" {
			ps.Add(row, "unit_code", why.Key, why.Args...)
			break
		}
		// A month the unit exists on some day of.
		if !cur.Month.IsZero() {
			if why := c.opts.outside(c.unitDays, unit, cur.Month.Start().Unix(), cur.Month.End().Unix()); why.Key != "" {
				ps.Add(row, "unit_code", why.Key, why.Args...)
				break
			}
		}
		cur.Unit = string(unit)
	}

	switch v := cells[4]; string(v) {
	case "none":
		cur.Online = OnlineNone
	case "partial":
		cur.Online = OnlinePartial
	case "full":
		cur.Online = OnlineFull
	default:
		if low, ok := lowerHint(v, "none", "partial", "full"); ok {
			ps.Add(row, "online_level", "file.catalogue.online.case", tabular.Quote(v), low)
		} else {
			ps.Add(row, "online_level", "file.catalogue.online.bad", tabular.Quote(v))
		}
	}

	flags := [...]*bool{&cur.HasFee, &cur.IndividualApplicant, &cur.CitizenDataConnected}
	for i, dst := range flags {
		switch v := cells[5+i]; string(v) {
		case "1":
			*dst = true
		case "0":
		default:
			badFlag(ps, row, CatalogueColumns[5+i], v, false)
		}
	}

	if !cur.Month.IsZero() && cur.Code != "" && cur.Unit != "" {
		key := cur.Month.String() + "|" + cur.Unit + "|" + cur.Code
		if first, dup := c.seen[key]; dup {
			ps.Add(row, "procedure_code", "file.catalogue.twice", tabular.Quote(proc), tabular.Quote(unit), cur.Month.String(), first)
		} else {
			c.seen[key] = row
		}
	}
	if c.ps.Total() != before {
		return false
	}
	c.cur = cur
	return true
}

// ReadCatalogue reads a whole catalogue file into its states (see
// CatalogueReader.Catalogue).
func ReadCatalogue(name string, r io.Reader, opts ReadOptions) (*Catalogue, error) {
	return NewCatalogueReader(name, r, opts).Catalogue(name)
}

// Catalogue reads the rest of the file into its states: for each unit in
// the file, each month's rows are its complete catalogue. A file with any
// problem gives a *tabular.Error and no catalogue. A catalogue is small
// (procedures × units), so holding it is fine.
func (cr *CatalogueReader) Catalogue(name string) (*Catalogue, error) {
	defer cr.Close()
	type um struct {
		unit  string
		month scoring.Period
	}
	groups := map[um][]Procedure{}
	for cr.Next() {
		row := cr.Row()
		k := um{row.Unit, row.Month}
		groups[k] = append(groups[k], row.Procedure)
	}
	if err := cr.Err(); err != nil {
		return nil, err
	}
	if pe := cr.Refusal(name); pe != nil {
		return nil, pe
	}
	cat := NewCatalogue()
	for k, procs := range groups {
		sort.Slice(procs, func(i, j int) bool { return procs[i].Code < procs[j].Code })
		cat.Set(State{Unit: k.unit, Month: k.month, Procedures: procs})
	}
	return cat, nil
}
