package scoring

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"path"
	"sort"
	"strings"
	"time"
)

// Rule is how a metric turns a ratio into points.
type Rule string

// The rules of scoring.md §3. RuleInfo metrics carry no points.
const (
	RuleLinear    Rule = "linear"
	RuleThreshold Rule = "threshold"
	RuleInfo      Rule = "info"
)

// NoData is what a metric earns when its denominator is 0 or it has no counts.
type NoData string

// The no-data rules: zero points, full points, or left out of the maximum.
const (
	NoDataZero NoData = "zero"
	NoDataFull NoData = "full"
	NoDataNone NoData = "none"
)

// Rounding is how the points of a metric are rounded (scoring.md §3).
type Rounding string

// RoundExact computes M × r exactly and rounds half-up; RoundPercentFirst
// reproduces the portal's double arithmetic for the payment group.
const (
	RoundExact        Rounding = "exact"
	RoundPercentFirst Rounding = "percent_first"
)

// Aggregation says how monthly counts add up to a longer period.
type Aggregation string

// Flow metrics sum over months; snapshot metrics take the latest month.
const (
	Flow     Aggregation = "flow"
	Snapshot Aggregation = "snapshot"
)

// Level says whether a metric is measured per unit or once per province.
type Level string

// LevelProvince metrics are inherited by every unit of the province.
const (
	LevelUnit     Level = "unit"
	LevelProvince Level = "province"
)

// Group is a component of the index with a maximum.
type Group struct {
	Code   string `json:"code"`
	NameVI string `json:"name_vi"`
	NameEN string `json:"name_en"`
	Max    Cents  `json:"max"`
}

// Metric is one indicator of a scheme.
type Metric struct {
	Code        string      `json:"code"`
	NameVI      string      `json:"name_vi"`
	NameEN      string      `json:"name_en"`
	Group       string      `json:"group"`
	Max         Cents       `json:"max"`
	Rule        Rule        `json:"rule"`
	Threshold   Cents       `json:"threshold,omitempty"` // as a percentage: 80.00 means 80 %
	NoData      NoData      `json:"no_data"`
	Rounding    Rounding    `json:"rounding"`
	Aggregation Aggregation `json:"aggregation"`
	Level       Level       `json:"level"`
	// Confidence is legal, data or assumed (scoring.md §1) for the rule;
	// ConfidenceNoData for the no-data rule.
	Confidence       string `json:"confidence"`
	ConfidenceNoData string `json:"confidence_no_data,omitempty"`
	// Reconstructed marks maxima that were reconstructed from published group
	// scores rather than read in a legal text.
	Reconstructed bool   `json:"reconstructed,omitempty"`
	Source        string `json:"source"`
}

// Scored reports whether the metric can carry points at all.
func (m *Metric) Scored() bool { return m.Rule != RuleInfo && m.Max > 0 }

// Band is one classification level; a unit is in the first band (highest
// Min first) whose Min its score ratio reaches.
type Band struct {
	Code   string `json:"code"`
	NameVI string `json:"name_vi"`
	NameEN string `json:"name_en"`
	Min    Cents  `json:"min"`
}

// Scheme is one version of the index.
type Scheme struct {
	ID            string    `json:"id"`
	Title         string    `json:"title"`
	TitleEN       string    `json:"title_en,omitempty"`
	LegalBasis    string    `json:"legal_basis"`
	EffectiveFrom time.Time `json:"-"`
	Effective     string    `json:"effective_from"`
	TiePrecision  int       `json:"tie_precision"`
	Groups        []Group   `json:"groups"`
	Metrics       []Metric  `json:"metrics"`
	Bands         []Band    `json:"bands"`
	BandsSource   string    `json:"bands_source,omitempty"`
	// File is where the scheme was read from ("embedded:qd766.json" or a
	// path), for the methodology page.
	File string `json:"-"`

	metricIdx map[string]int
	groupIdx  map[string]int
	// groupMetrics is GroupMetrics of every group, made once the scheme
	// is read (the engine asks for it per unit and group); of is the
	// metrics it points into, so that a copy of the scheme given other
	// metrics does not use it.
	groupMetrics map[string][]*Metric
	of           *Metric
}

// Metric returns the metric with the code, or nil.
func (s *Scheme) Metric(code string) *Metric {
	if i, ok := s.metricIdx[code]; ok {
		return &s.Metrics[i]
	}
	return nil
}

// Group returns the group with the code, or nil.
func (s *Scheme) Group(code string) *Group {
	if i, ok := s.groupIdx[code]; ok {
		return &s.Groups[i]
	}
	return nil
}

// GroupMetrics lists the metrics of a group in scheme order. The list may
// be shared: callers read it.
func (s *Scheme) GroupMetrics(group string) []*Metric {
	if s.groupMetrics != nil && len(s.Metrics) > 0 && s.of == &s.Metrics[0] {
		return s.groupMetrics[group]
	}
	return s.groupMetricsOf(group)
}

func (s *Scheme) groupMetricsOf(group string) []*Metric {
	var out []*Metric
	for i := range s.Metrics {
		if s.Metrics[i].Group == group {
			out = append(out, &s.Metrics[i])
		}
	}
	return out
}

// Band returns the band for a score out of max (bands compare the ratio
// score ÷ max × 100, which equals the score when the maximum is 100).
func (s *Scheme) Band(score, max Cents) *Band {
	if max <= 0 {
		return nil
	}
	for i := range s.Bands {
		if reaches(score, max, s.Bands[i].Min) {
			return &s.Bands[i]
		}
	}
	return &s.Bands[len(s.Bands)-1]
}

// reaches reports whether score ÷ max × 100 ≥ min (all in hundredths, max
// > 0), exactly: score × 10000 ≥ min × max, in integers for any score a
// scheme gives (every unit of every period is banded: a big.Rat for each
// was most of the cost of reading kept scores back), else in big.Int.
func reaches(score, max, min Cents) bool {
	const lim = 1 << 31
	if score > -lim && score < lim && max < lim && min > -lim && min < lim {
		return int64(score)*10000 >= int64(min)*int64(max)
	}
	a := new(big.Int).Mul(big.NewInt(int64(score)), big.NewInt(10000))
	b := new(big.Int).Mul(big.NewInt(int64(min)), big.NewInt(int64(max)))
	return a.Cmp(b) >= 0
}

// Above is the band above b, nil when b is the top band (or not one of
// the scheme's).
func (s *Scheme) Above(b *Band) *Band {
	if b == nil {
		return nil
	}
	for i := range s.Bands {
		if s.Bands[i].Code == b.Code && i > 0 {
			return &s.Bands[i-1]
		}
	}
	return nil
}

// ShortOf is how many points a score out of max is short of band b: the
// band compares score ÷ max × 100 with its minimum, so the score it needs
// is the minimum × max ÷ 100, rounded up to a cent; 0 when reached.
func ShortOf(b *Band, score, max Cents) Cents {
	if b == nil {
		return 0
	}
	need := Cents((int64(b.Min)*int64(max) + 9999) / 10000)
	if need > score {
		return need - score
	}
	return 0
}

// schemeFile mirrors the JSON with numbers kept as text so that 0.8 or 6.5
// are read exactly.
type schemeFile struct {
	ID           string `json:"id"`
	Title        string `json:"title"`
	TitleEN      string `json:"title_en"`
	LegalBasis   string `json:"legal_basis"`
	Effective    string `json:"effective_from"`
	TiePrecision *int   `json:"tie_precision"`
	BandsSource  string `json:"bands_source"`
	Groups       []struct {
		Code   string      `json:"code"`
		NameVI string      `json:"name_vi"`
		NameEN string      `json:"name_en"`
		Max    json.Number `json:"max"`
	} `json:"groups"`
	Metrics []struct {
		Code             string      `json:"code"`
		NameVI           string      `json:"name_vi"`
		NameEN           string      `json:"name_en"`
		Group            string      `json:"group"`
		Max              json.Number `json:"max"`
		Rule             Rule        `json:"rule"`
		Threshold        json.Number `json:"threshold"`
		NoData           NoData      `json:"no_data"`
		Rounding         Rounding    `json:"rounding"`
		Aggregation      Aggregation `json:"aggregation"`
		Level            Level       `json:"level"`
		Confidence       string      `json:"confidence"`
		ConfidenceNoData string      `json:"confidence_no_data"`
		Reconstructed    bool        `json:"reconstructed"`
		Source           string      `json:"source"`
	} `json:"metrics"`
	Bands []struct {
		Code   string      `json:"code"`
		NameVI string      `json:"name_vi"`
		NameEN string      `json:"name_en"`
		Min    json.Number `json:"min"`
	} `json:"bands"`
}

// ParseScheme reads and validates one scheme file. Every problem found is
// reported (SchemeProblems), so an office fixing a file sees them all at
// once.
func ParseScheme(b []byte, file string) (*Scheme, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	var f schemeFile
	if err := dec.Decode(&f); err != nil {
		return nil, SchemeProblems{decodeProblem(file, b, err)}
	}
	var errs SchemeProblems
	bad := func(p SchemeProblem) {
		p.File = file
		errs = append(errs, &p)
	}
	num := func(path string, n json.Number, def Cents) Cents {
		if n == "" {
			return def
		}
		c, err := ParseCents(n.String())
		if err != nil {
			bad(SchemeProblem{Path: path, Code: SchemeNumber, Value: n.String(), Err: err})
		}
		return c
	}
	oneOf := func(path, value string, allowed ...string) {
		bad(SchemeProblem{Path: path, Code: SchemeNotOneOf, Value: value, Allowed: allowed})
	}

	s := &Scheme{ID: f.ID, Title: f.Title, TitleEN: f.TitleEN, LegalBasis: f.LegalBasis,
		Effective: f.Effective, BandsSource: f.BandsSource, File: file, TiePrecision: 2,
		metricIdx: map[string]int{}, groupIdx: map[string]int{}}
	if f.TiePrecision != nil {
		s.TiePrecision = *f.TiePrecision
	}
	if s.TiePrecision < 0 || s.TiePrecision > 2 {
		bad(SchemeProblem{Path: "tie_precision", Code: SchemeTiePrecision, Value: fmt.Sprint(s.TiePrecision)})
	}
	if strings.TrimSpace(s.ID) == "" {
		bad(SchemeProblem{Path: "id", Code: SchemeEmpty})
	}
	if t, err := time.ParseInLocation("2006-01-02", f.Effective, Location); err != nil {
		bad(SchemeProblem{Path: "effective_from", Code: SchemeDate, Value: f.Effective})
	} else {
		s.EffectiveFrom = t
	}
	var groupSum Cents
	for i, g := range f.Groups {
		at := elem("groups", i, g.Code)
		if g.Code == "" {
			bad(SchemeProblem{Path: at + ".code", Code: SchemeEmpty})
		} else if _, dup := s.groupIdx[g.Code]; dup {
			bad(SchemeProblem{Path: at + ".code", Code: SchemeRepeated, Value: g.Code})
		}
		max := num(at+".max", g.Max, -1)
		if max < 0 {
			bad(SchemeProblem{Path: at + ".max", Code: SchemeNegative, Value: g.Max.String()})
		}
		s.groupIdx[g.Code] = len(s.Groups)
		s.Groups = append(s.Groups, Group{Code: g.Code, NameVI: g.NameVI, NameEN: g.NameEN, Max: max})
		groupSum += max
	}
	if groupSum != 10000 {
		bad(SchemeProblem{Path: "groups", Code: SchemeGroupsTotal, Total: groupSum, Want: 10000})
	}
	perGroup := map[string]Cents{}
	for i, m := range f.Metrics {
		at := elem("metrics", i, m.Code)
		if m.Code == "" {
			bad(SchemeProblem{Path: at + ".code", Code: SchemeEmpty})
		} else if _, dup := s.metricIdx[m.Code]; dup {
			bad(SchemeProblem{Path: at + ".code", Code: SchemeRepeated, Value: m.Code})
		}
		if _, dup := s.groupIdx[m.Code]; dup && m.Code != "" {
			bad(SchemeProblem{Path: at + ".code", Code: SchemeMetricIsGroup, Value: m.Code})
		}
		mt := Metric{Code: m.Code, NameVI: m.NameVI, NameEN: m.NameEN, Group: m.Group,
			Max: num(at+".max", m.Max, -1), Rule: m.Rule, NoData: m.NoData,
			Rounding: m.Rounding, Aggregation: m.Aggregation, Level: m.Level,
			Confidence: m.Confidence, ConfidenceNoData: m.ConfidenceNoData,
			Reconstructed: m.Reconstructed, Source: m.Source}
		if mt.Rounding == "" {
			mt.Rounding = RoundExact
		}
		if mt.Aggregation == "" {
			mt.Aggregation = Flow
		}
		if mt.Level == "" {
			mt.Level = LevelUnit
		}
		if mt.Max < 0 {
			bad(SchemeProblem{Path: at + ".max", Code: SchemeNegative, Value: m.Max.String()})
		}
		if s.Group(m.Group) == nil {
			bad(SchemeProblem{Path: at + ".group", Code: SchemeUnknownGroup, Value: m.Group})
		}
		switch mt.Rule {
		case RuleLinear, RuleInfo:
			if m.Threshold != "" {
				bad(SchemeProblem{Path: at + ".threshold", Code: SchemeThresholdUnused, Value: m.Threshold.String()})
			}
		case RuleThreshold:
			// The file writes thresholds as fractions (0.8); we keep percent.
			t, ok := new(big.Rat).SetString(m.Threshold.String())
			if m.Threshold == "" || !ok || t.Sign() <= 0 || t.Cmp(big.NewRat(1, 1)) > 0 {
				bad(SchemeProblem{Path: at + ".threshold", Code: SchemeThresholdRange, Value: m.Threshold.String()})
			} else {
				t.Mul(t, big.NewRat(10000, 1))
				if !t.IsInt() {
					bad(SchemeProblem{Path: at + ".threshold", Code: SchemeThresholdDecimals, Value: m.Threshold.String()})
				} else {
					mt.Threshold = Cents(t.Num().Int64())
				}
			}
		default:
			oneOf(at+".rule", string(m.Rule), string(RuleLinear), string(RuleThreshold), string(RuleInfo))
		}
		if mt.Rule == RuleInfo && mt.Max != 0 {
			bad(SchemeProblem{Path: at + ".max", Code: SchemeInfoMax, Value: m.Max.String()})
		}
		switch mt.NoData {
		case NoDataZero, NoDataFull, NoDataNone:
		default:
			oneOf(at+".no_data", string(m.NoData), string(NoDataZero), string(NoDataFull), string(NoDataNone))
		}
		switch mt.Rounding {
		case RoundExact, RoundPercentFirst:
		default:
			oneOf(at+".rounding", string(m.Rounding), string(RoundExact), string(RoundPercentFirst))
		}
		switch mt.Aggregation {
		case Flow, Snapshot:
		default:
			oneOf(at+".aggregation", string(m.Aggregation), string(Flow), string(Snapshot))
		}
		switch mt.Level {
		case LevelUnit, LevelProvince:
		default:
			oneOf(at+".level", string(m.Level), string(LevelUnit), string(LevelProvince))
		}
		for _, c := range []struct{ field, value string }{{"confidence", mt.Confidence}, {"confidence_no_data", mt.ConfidenceNoData}} {
			switch c.value {
			case "", "legal", "data", "assumed":
			default:
				oneOf(at+"."+c.field, c.value, "legal", "data", "assumed")
			}
		}
		s.metricIdx[m.Code] = len(s.Metrics)
		s.Metrics = append(s.Metrics, mt)
		perGroup[m.Group] += mt.Max
	}
	for i, g := range s.Groups {
		if perGroup[g.Code] != g.Max {
			bad(SchemeProblem{Path: elem("groups", i, g.Code), Code: SchemeMetricsTotal, Total: perGroup[g.Code], Want: g.Max})
		}
	}
	if len(f.Bands) == 0 {
		bad(SchemeProblem{Path: "bands", Code: SchemeNoBands})
	}
	seenBand := map[string]bool{}
	for i, b := range f.Bands {
		at := elem("bands", i, b.Code)
		min := num(at+".min", b.Min, -1)
		if b.Code == "" {
			bad(SchemeProblem{Path: at + ".code", Code: SchemeEmpty})
		} else if seenBand[b.Code] {
			bad(SchemeProblem{Path: at + ".code", Code: SchemeRepeated, Value: b.Code})
		}
		seenBand[b.Code] = true
		if min < 0 || min > 10000 {
			bad(SchemeProblem{Path: at + ".min", Code: SchemeBandMin, Value: b.Min.String()})
		}
		if i > 0 && min >= s.Bands[i-1].Min {
			bad(SchemeProblem{Path: at + ".min", Code: SchemeBandOrder, Value: b.Min.String()})
		}
		s.Bands = append(s.Bands, Band{Code: b.Code, NameVI: b.NameVI, NameEN: b.NameEN, Min: min})
	}
	if n := len(s.Bands); n > 0 && s.Bands[n-1].Min != 0 {
		bad(SchemeProblem{Path: elem("bands", n-1, s.Bands[n-1].Code) + ".min", Code: SchemeLastBand, Value: f.Bands[n-1].Min.String()})
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if len(s.Metrics) > 0 {
		s.groupMetrics = make(map[string][]*Metric, len(s.Groups))
		for _, g := range s.Groups {
			list := s.groupMetricsOf(g.Code)
			s.groupMetrics[g.Code] = list[:len(list):len(list)] // an append copies
		}
		s.of = &s.Metrics[0]
	}
	return s, nil
}

// LoadSchemes reads every *.json in dir of fsys. Schemes with the same id in
// a later call override earlier ones (see Schemes.Merge).
func LoadSchemes(fsys fs.FS, dir, label string) ([]*Scheme, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.json"))
	if err != nil {
		return nil, fmt.Errorf("scoring: list schemes: %w", err)
	}
	sort.Strings(names)
	var out []*Scheme
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, SchemeProblems{{File: label + path.Base(n), Code: SchemeUnreadable, Err: err}}
		}
		s, err := ParseScheme(b, label+path.Base(n))
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// Schemes is the set of scheme versions, ordered by effective date.
type Schemes struct {
	list []*Scheme
}

// NewSchemes orders the schemes; a later scheme with the id of an earlier one
// replaces it (so a configured folder overrides the embedded default).
func NewSchemes(all ...*Scheme) (*Schemes, error) {
	byID := map[string]int{}
	var list []*Scheme
	for _, s := range all {
		if i, ok := byID[s.ID]; ok {
			list[i] = s
			continue
		}
		byID[s.ID] = len(list)
		list = append(list, s)
	}
	if len(list) == 0 {
		return nil, errors.New("scoring: no scheme loaded")
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].EffectiveFrom.Before(list[j].EffectiveFrom) })
	for i := 1; i < len(list); i++ {
		if list[i].EffectiveFrom.Equal(list[i-1].EffectiveFrom) {
			return nil, SchemeProblems{{File: list[i].File, Path: "effective_from", Code: SchemeSameDay,
				Value: list[i].Effective, Other: list[i-1].File}}
		}
	}
	return &Schemes{list: list}, nil
}

// For returns the scheme in force at the period's start. A period before the
// first scheme is scored by the first one: the index did not exist then, and
// an office importing old data still wants to see it.
func (s *Schemes) For(p Period) *Scheme {
	cur := s.list[0]
	for _, sc := range s.list {
		if !sc.EffectiveFrom.After(p.Start()) {
			cur = sc
		}
	}
	return cur
}

// Latest is the scheme with the latest effective date (the "active" scheme of
// the API and the importer's list of metric codes).
func (s *Schemes) Latest() *Scheme { return s.list[len(s.list)-1] }

// All lists the schemes, oldest first.
func (s *Schemes) All() []*Scheme { return append([]*Scheme(nil), s.list...) }

// KnownMetric reports whether any scheme has the metric code (imports accept
// codes of every version so historic data can be loaded).
func (s *Schemes) KnownMetric(code string) bool {
	for _, sc := range s.list {
		if sc.Metric(code) != nil {
			return true
		}
	}
	return false
}
