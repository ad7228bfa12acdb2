package scoring

import "time"

// UnitKind is the kind of a scored body.
type UnitKind string

// The unit kinds of docs/import-files.md.
const (
	KindProvince UnitKind = "province"
	KindAgency   UnitKind = "agency"
	KindDistrict UnitKind = "district"
	KindCommune  UnitKind = "commune"
)

// UnitKinds lists the kinds in display order.
var UnitKinds = []UnitKind{KindProvince, KindAgency, KindDistrict, KindCommune}

// Valid reports whether k is a known unit kind.
func (k UnitKind) Valid() bool {
	switch k {
	case KindProvince, KindAgency, KindDistrict, KindCommune:
		return true
	}
	return false
}

// Unit is a scored body.
type Unit struct {
	Code       string
	Name       string
	Kind       UnitKind
	ParentCode string
	// ValidFrom and ValidTo bound the days the unit exists, [ValidFrom,
	// ValidTo) in Vietnam's time (a merger on 01/07/2025 ends the merged
	// unit's ValidTo there); a zero time leaves that side open.
	ValidFrom, ValidTo time.Time
}

// DistrictsAbolished is the day Vietnam's district tier ended (local
// government in two tiers from 01/07/2025): no district exists from it on,
// whatever its own dates say.
var DistrictsAbolished = time.Date(2025, 7, 1, 0, 0, 0, 0, Location)

// Until is the first day the unit no longer exists (zero: it still does).
func (u Unit) Until() time.Time {
	if u.Kind == KindDistrict && (u.ValidTo.IsZero() || u.ValidTo.After(DistrictsAbolished)) {
		return DistrictsAbolished
	}
	return u.ValidTo
}

// ExistsIn reports whether the unit is scored and ranked in period p: it
// exists at the period's end. A period that spans a merger (the year 2025)
// is therefore the successors' alone: counts are never added up across a
// merger, and the predecessors' months stay theirs.
func (u Unit) ExistsIn(p Period) bool {
	end := p.End()
	if !u.ValidFrom.IsZero() && !u.ValidFrom.Before(end) {
		return false
	}
	until := u.Until()
	return until.IsZero() || !until.Before(end)
}

// Overlaps reports whether the unit exists on any day of period p: counts
// may be given for such a period (a month before a merger inside the year
// of the merger), never for one it does not touch.
func (u Unit) Overlaps(p Period) bool {
	if !u.ValidFrom.IsZero() && !u.ValidFrom.Before(p.End()) {
		return false
	}
	until := u.Until()
	return until.IsZero() || until.After(p.Start())
}

// ChangeKind says how a unit became another.
type ChangeKind string

// The changes of formats' unit changes file.
const (
	ChangeMerged  ChangeKind = "merged"  // merged into the successor (with others, or into an existing unit)
	ChangeSplit   ChangeKind = "split"   // split, this successor being one of its parts
	ChangeRenamed ChangeKind = "renamed" // the same body under a new code
)

// Valid reports whether k is a known change.
func (k ChangeKind) Valid() bool {
	switch k {
	case ChangeMerged, ChangeSplit, ChangeRenamed:
		return true
	}
	return false
}

// Change is one link of a unit's history: From became To on Effective.
type Change struct {
	From, To  string
	Kind      ChangeKind
	Effective time.Time
}

// Counts is a numerator and a denominator. Valid is false for "no counts"
// (a row imported with both cells empty, or nothing at all).
type Counts struct {
	Num, Den int64
	Valid    bool
}

// C builds valid counts.
func C(num, den int64) Counts { return Counts{Num: num, Den: den, Valid: true} }

// HasData reports whether the counts carry information: a row with empty
// cells does not.
func (c Counts) HasData() bool { return c.Valid }

// Key addresses counts: one metric of one unit in one period (canonical
// period string, e.g. "2024-04").
type Key struct {
	Period string
	Unit   string
	Metric string
}

// Dataset is everything the engine scores from. Own holds counts imported
// for exactly that (period, unit, metric); Dossier holds counts derived from
// dossier records over the period's whole range (may be nil). The engine
// derives everything else (longer periods from months, province pools,
// inherited province-level metrics).
type Dataset struct {
	Units   []Unit
	Changes []Change // successions (mergers, splits, new codes), any order
	Own     map[Key]Counts
	Dossier map[Key]Counts
}

// Source says where a metric's counts came from (the API's "source").
type Source string

// Sources, in the order the engine tries them (scoring.md §4).
const (
	SourceOwn      Source = "own"
	SourceDerived  Source = "derived"
	SourceProvince Source = "province"
	SourceNone     Source = "none"
)

// Derivation refines SourceDerived for pages: how the counts were derived.
type Derivation string

// The ways counts can be derived.
const (
	DerivedNone    Derivation = ""
	DerivedDossier Derivation = "dossiers" // from dossier records over the period
	DerivedMonths  Derivation = "months"   // summed (flow) or latest (snapshot) month
	DerivedPool    Derivation = "pool"     // a province's counts pooled from its units
)

// MetricScore is one metric of one unit in one period.
type MetricScore struct {
	// The flags are listed last, together: a national period holds some
	// 130 000 metric scores, and flags between the numbers padded each to
	// 128 bytes instead of 112.
	Metric *Metric
	Counts Counts // Valid false where there are no counts
	// Ratio is numerator ÷ denominator × 100 with two decimals; HasRatio is
	// false when there are no counts or the denominator is 0.
	Ratio   Cents
	Points  Cents
	Max     Cents // 0 when the metric is left out (no_data none) or info
	Source  Source
	Derived Derivation
	// Months is how many months of the period had counts, for counts derived
	// from months; MonthsOf is how many the period has.
	Months, MonthsOf int
	HasRatio         bool
	Scored           bool // counts towards the unit's total and maximum
	NoData           bool // the no-data rule was applied
	// Official: Points are the portal's published points (WithPublished).
	Official bool
}

// Lost is the points lost: max − points.
func (m MetricScore) Lost() Cents { return m.Max - m.Points }

// GroupScore is one group of one unit.
type GroupScore struct {
	Group   *Group
	Score   Cents // Σ rounded metric points
	Max     Cents // Σ maxima of the scored metrics
	Metrics []MetricScore
	// Official: Score is the portal's published score; OfficialOnly: it
	// was published without any counts behind it (WithPublished).
	Official, OfficialOnly bool
}

// UnitScore is one unit in one period.
type UnitScore struct {
	Unit     Unit
	Period   Period
	Scheme   *Scheme
	Province string // code of the unit's province ("" if none)
	Total    Cents
	MaxTotal Cents
	Band     *Band
	Groups   []GroupScore
	// Exists is false for a unit that does not exist in the period (see
	// Unit.ExistsIn): it is scored, for its own page, but never ranked nor
	// pooled into its province.
	Exists bool
	// HasData is true when at least one metric has own or derived counts;
	// inherited province values and no-data rules do not count.
	HasData bool
	// Missing counts the scored metrics with no counts at all.
	Missing int
	// Provisional marks a longer period derived from fewer months than it
	// has ("tạm tính"); MonthsCovered says how many.
	Provisional   bool
	MonthsCovered int
	// Official: some figures are the portal's published ones
	// (WithPublished); Recomputed is then the engine's own score from the
	// counts, which the what-if and the points at stake work from.
	Official   bool
	Recomputed *UnitScore
}

// NextBand is the band above the unit's own, nil in the top band or
// without a band.
func (u *UnitScore) NextBand() *Band {
	if u.Scheme == nil {
		return nil
	}
	return u.Scheme.Above(u.Band)
}

// Group returns the group score with the code, or nil.
func (u *UnitScore) Group(code string) *GroupScore {
	for i := range u.Groups {
		if u.Groups[i].Group.Code == code {
			return &u.Groups[i]
		}
	}
	return nil
}

// Metric returns the metric score with the code, or nil.
func (u *UnitScore) Metric(code string) *MetricScore {
	for i := range u.Groups {
		for j := range u.Groups[i].Metrics {
			if u.Groups[i].Metrics[j].Metric.Code == code {
				return &u.Groups[i].Metrics[j]
			}
		}
	}
	return nil
}

// Ranked is one row of a ranking.
type Ranked struct {
	*UnitScore
	Rank   int // 0 for units without data ("chưa có dữ liệu")
	RankOf int // number of ranked units in the ranking
	// Changes against the previous period of the same kind; nil when there
	// is nothing to compare with.
	TotalChange *Cents
	RankChange  *int // positive = moved up
	PrevBand    *Band
}
