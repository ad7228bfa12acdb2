package scoring

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// What-if: score hypothetical counts for one unit with the engine's own
// arithmetic (ScoreInputs → metricPoints), starting from the counts the
// engine resolved for the unit in the period. Nothing is stored; the
// numbers a person types are validated here so the API and the form share
// one set of messages.

// MaxWhatIfCount bounds every count a person may type. No unit handles a
// billion dossiers a period, and the bound keeps every product in the
// arithmetic (n × 10000, M × n) far inside int64.
const MaxWhatIfCount int64 = 1_000_000_000

// ErrUnknownUnit is returned when the unit code is not in the period's
// scores (a handler answers 404).
var ErrUnknownUnit = errors.New("scoring: unknown unit")

// Override changes one metric's counts. Nil fields keep the unit's current
// value. Ratio (a percentage with two decimals, 95,5 % is Cents(9550)) sets
// the numerator to the nearest count that gives that share of the
// denominator, so the counts stay meaningful ("what if 95 % were on time");
// it cannot be combined with Num.
type Override struct {
	Metric string `json:"metric"`
	Num    *int64 `json:"numerator,omitempty"`
	Den    *int64 `json:"denominator,omitempty"`
	Ratio  *Cents `json:"ratio,omitempty"`

	// errs holds what OverrideFromText or UnmarshalJSON could not read;
	// ApplyOverrides reports them with the other input errors, so a
	// malformed number gets a message next to its field like any other.
	errs InputErrors
}

// OverrideFromText reads an override from form or query fields; an empty
// field keeps the current value. Counts are whole numbers and may group
// thousands the vi-VN way ("1.234"); the ratio is a percentage with up to
// two decimals, with a comma or a dot ("95,5", "95.5", "95,5%").
func OverrideFromText(metric, num, den, ratio string) Override {
	o := Override{Metric: strings.TrimSpace(metric)}
	o.Num = o.readCount("numerator", num)
	o.Den = o.readCount("denominator", den)
	o.Ratio = o.readRatio(ratio)
	return o
}

// UnmarshalJSON reads {"metric": "…", "numerator": 37, "denominator": 370,
// "ratio": 95.5}; numbers that are not what the field needs become input
// errors of the override rather than a failed decode of the whole request.
func (o *Override) UnmarshalJSON(b []byte) error {
	var aux struct {
		Metric string      `json:"metric"`
		Num    json.Number `json:"numerator"`
		Den    json.Number `json:"denominator"`
		Ratio  json.Number `json:"ratio"`
	}
	if err := json.Unmarshal(b, &aux); err != nil {
		return fmt.Errorf("scoring: what-if override: %w", err)
	}
	*o = OverrideFromText(aux.Metric, aux.Num.String(), aux.Den.String(), aux.Ratio.String())
	return nil
}

func (o *Override) fail(field, code string) {
	o.errs = append(o.errs, &InputError{Metric: o.Metric, Field: field, Code: code})
}

// countText is a whole number, plain or with its thousands grouped by dots
// or spaces ("1234", "1.234", "1 234"); "2.5" is not one.
var countText = regexp.MustCompile(`^-?(?:[0-9]+|[0-9]{1,3}(?:[. \x{00a0}][0-9]{3})+)$`)

func (o *Override) readCount(field, s string) *int64 {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if !countText.MatchString(s) {
		o.fail(field, ErrCodeNotANumber)
		return nil
	}
	neg := strings.HasPrefix(s, "-")
	digits := strings.NewReplacer("-", "", ".", "", " ", "", "\u00a0", "").Replace(s)
	v, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || v > MaxWhatIfCount {
		// Checked here as well as in ApplyOverrides: a number too long
		// for int64 never reaches it.
		o.fail(field, ErrCodeTooLarge)
		return nil
	}
	if neg {
		v = -v
	}
	return &v
}

// ratioText is a percentage as people type it: digits, and up to two
// decimals after a comma or a dot (ParseCents alone would also take
// fractions and exponents).
var ratioText = regexp.MustCompile(`^-?[0-9]{1,4}(?:[.,][0-9]{1,2})?$`)

func (o *Override) readRatio(s string) *Cents {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	if s == "" {
		return nil
	}
	var c Cents
	var err error
	if ratioText.MatchString(s) {
		c, err = ParseCents(strings.Replace(s, ",", ".", 1))
	}
	if !ratioText.MatchString(s) || err != nil {
		o.fail("ratio", ErrCodeNotANumber)
		return nil
	}
	return &c
}

// InputError codes, for clients that want to react to a kind of mistake.
const (
	ErrCodeUnknownMetric = "unknown_metric"
	ErrCodeNegative      = "negative"
	ErrCodeTooLarge      = "too_large"
	ErrCodeNumAboveDen   = "numerator_above_denominator"
	ErrCodeRatioRange    = "ratio_out_of_range"
	ErrCodeRatioAndNum   = "ratio_and_numerator"
	ErrCodeRepeated      = "repeated_metric"
	ErrCodeNotANumber    = "not_a_number"
	// ErrCodeOfficialOnly: the metric's group was published by the portal
	// without counts; there is nothing to change.
	ErrCodeOfficialOnly = "official_only"
)

// InputError is one problem with a what-if input, addressed to a field so a
// page can show it next to that field; package present words it.
type InputError struct {
	Metric string `json:"metric"`
	// Field is "numerator", "denominator", "ratio" or "metric".
	Field string `json:"field"`
	Code  string `json:"code"`
	// Scheme is the scheme a metric was looked for in (unknown_metric);
	// Num and Den the counts that do not fit (numerator_above_denominator).
	Scheme   string `json:"-"`
	Num, Den int64  `json:"-"`
}

func (e *InputError) Error() string {
	return fmt.Sprintf("scoring: what-if %s %s: %s", e.Metric, e.Field, e.Code)
}

// InputErrors is every problem found in one what-if request (all of them,
// so a person fixes the form once).
type InputErrors []*InputError

func (es InputErrors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// For returns the errors about one metric, for a form that shows messages
// field by field.
func (es InputErrors) For(metric string) []*InputError {
	var out []*InputError
	for _, e := range es {
		if e.Metric == metric {
			out = append(out, e)
		}
	}
	return out
}

// WhatIf is a hypothetical score and how it compares with the real one.
type WhatIf struct {
	Base  *UnitScore // the engine's score for the real counts
	Score *UnitScore // the score for the changed counts
	// Changed lists the metric codes whose counts differ from the real
	// ones, in scheme order.
	Changed []string
	Delta   Cents // Score.Total − Base.Total
	// Rank among the unit's current peers (same kind, same province; the
	// unit's real score replaced by the hypothetical one); 0 without data.
	Rank, RankOf         int
	BaseRank, BaseRankOf int
}

// WhatIfScore scores the unit with the overrides applied to its resolved
// counts in ps's period. Invalid input returns InputErrors (errors.As); an
// unknown unit returns ErrUnknownUnit. With no overrides the result equals
// the engine's score.
func WhatIfScore(ps *PeriodScores, unit string, overrides []Override) (*WhatIf, error) {
	// Hypothetical counts move our recomputation, never the portal's
	// published figures: the what-if works on the recomputation of the
	// unit and of its peers.
	ps = ps.Recomputed()
	if ps == nil {
		return nil, fmt.Errorf("scoring: what-if %s: no scores: %w", unit, ErrUnknownUnit)
	}
	base := ps.Unit(unit)
	if base == nil {
		return nil, fmt.Errorf("scoring: what-if %s: %w", unit, ErrUnknownUnit)
	}
	in, changed, err := ApplyOverrides(base, overrides)
	if err != nil {
		return nil, err
	}
	hyp := Rescore(base, in)
	w := &WhatIf{Base: base, Score: hyp, Changed: changed, Delta: hyp.Total - base.Total}
	w.Rank, w.RankOf = RankAmong(ps, hyp)
	w.BaseRank, w.BaseRankOf = RankAmong(ps, base)
	return w, nil
}

// BaseInputs returns the counts the engine used for each metric of us, keyed
// by metric code, with their sources: fed to ScoreInputs (or Rescore) they
// give us back.
func BaseInputs(us *UnitScore) map[string]Input {
	in := map[string]Input{}
	for _, g := range us.Groups {
		for _, m := range g.Metrics {
			if m.Source == SourceNone {
				continue
			}
			in[m.Metric.Code] = Input{Counts: m.Counts, Source: m.Source}
		}
	}
	return in
}

// Rescore scores base's unit and period with the inputs, keeping what
// ScoreInputs cannot know: the province, and for metrics whose counts are
// unchanged, how they were derived (and so whether the period is
// provisional).
func Rescore(base *UnitScore, in map[string]Input) *UnitScore {
	us := ScoreInputs(base.Scheme, base.Unit, base.Period, in)
	us.Province = base.Province
	// A group published without counts stays as published: counts cannot
	// move it.
	only := false
	for gi := range us.Groups {
		if gi < len(base.Groups) && base.Groups[gi].OfficialOnly {
			us.Total += base.Groups[gi].Score - us.Groups[gi].Score
			us.Groups[gi] = base.Groups[gi]
			only = true
		}
	}
	if only {
		us.HasData = true
		us.setBand()
	}
	for gi := range us.Groups {
		for mi := range us.Groups[gi].Metrics {
			ms := &us.Groups[gi].Metrics[mi]
			old := base.Metric(ms.Metric.Code)
			if old == nil || old.Counts != ms.Counts || old.Source != ms.Source {
				continue
			}
			ms.Derived, ms.Months, ms.MonthsOf = old.Derived, old.Months, old.MonthsOf
			if ms.Derived == DerivedMonths && ms.Months > us.MonthsCovered {
				us.MonthsCovered = ms.Months
				us.Provisional = ms.Months < ms.MonthsOf
			}
		}
	}
	return us
}

// ApplyOverrides validates the overrides against base's scheme and counts
// and returns the inputs for Rescore and the codes of the metrics that
// changed. Every problem is reported.
func ApplyOverrides(base *UnitScore, overrides []Override) (map[string]Input, []string, error) {
	in := BaseInputs(base)
	var errs InputErrors
	bad := func(metric, field, code string) {
		errs = append(errs, &InputError{Metric: metric, Field: field, Code: code})
	}
	seen := map[string]bool{}
	for _, o := range overrides {
		if len(o.errs) > 0 {
			errs = append(errs, o.errs...)
			continue
		}
		code := strings.TrimSpace(o.Metric)
		m := base.Scheme.Metric(code)
		if m == nil {
			errs = append(errs, &InputError{Metric: code, Field: "metric", Code: ErrCodeUnknownMetric, Scheme: base.Scheme.ID})
			continue
		}
		if seen[code] {
			bad(code, "metric", ErrCodeRepeated)
			continue
		}
		seen[code] = true
		if o.Num == nil && o.Den == nil && o.Ratio == nil {
			continue // a form row left as it was
		}
		if officialOnly(base, code) {
			bad(code, "metric", ErrCodeOfficialOnly)
			continue
		}
		ok := true
		check := func(field string, v *int64) {
			if v == nil {
				return
			}
			switch {
			case *v < 0:
				bad(code, field, ErrCodeNegative)
				ok = false
			case *v > MaxWhatIfCount:
				bad(code, field, ErrCodeTooLarge)
				ok = false
			}
		}
		check("numerator", o.Num)
		check("denominator", o.Den)
		if o.Ratio != nil && (*o.Ratio < 0 || *o.Ratio > 10000) {
			bad(code, "ratio", ErrCodeRatioRange)
			ok = false
		}
		if o.Ratio != nil && o.Num != nil {
			bad(code, "ratio", ErrCodeRatioAndNum)
			ok = false
		}
		if !ok {
			continue
		}
		cur := in[code].Counts
		c := Counts{Num: cur.Num, Den: cur.Den, Valid: true}
		if !cur.Valid {
			c = Counts{Valid: true}
		}
		if o.Den != nil {
			c.Den = *o.Den
		}
		switch {
		case o.Num != nil:
			c.Num = *o.Num
		case o.Ratio != nil:
			if c.Den == 0 {
				// No denominator to take a share of: the ratio itself, as
				// hundredths of a percent, is the exact fraction.
				c = Counts{Num: int64(*o.Ratio), Den: 10000, Valid: true}
			} else {
				// nearest count, half up: (r × d + 5000) ÷ 10000.
				c.Num = (int64(*o.Ratio)*c.Den + 5000) / 10000
			}
		}
		if c.Num > c.Den {
			field := "numerator"
			if o.Num == nil {
				field = "denominator"
			}
			errs = append(errs, &InputError{Metric: code, Field: field, Code: ErrCodeNumAboveDen, Num: c.Num, Den: c.Den})
			continue
		}
		in[code] = Input{Counts: c, Source: SourceOwn}
	}
	if len(errs) > 0 {
		return nil, nil, errs
	}
	var changed []string
	for _, g := range base.Groups {
		for _, m := range g.Metrics {
			now, ok := in[m.Metric.Code]
			if ok && (now.Counts != m.Counts || now.Source != m.Source) {
				changed = append(changed, m.Metric.Code)
			}
		}
	}
	return in, changed, nil
}

// officialOnly reports whether metric code of us is in a group the portal
// published without counts.
func officialOnly(us *UnitScore, code string) bool {
	for _, g := range us.Groups {
		if !g.OfficialOnly {
			continue
		}
		for _, m := range g.Metrics {
			if m.Metric.Code == code {
				return true
			}
		}
	}
	return false
}

// peerScope is the province a unit is ranked within (rankScope).
func peerScope(us *UnitScore) string { return rankScope(us.Unit.Kind, us.Province) }

// peerRanking is the ranking of us's kind within its province, or nil when
// ps did not come from Engine.Score (it needs the engine's unit index).
func peerRanking(ps *PeriodScores, us *UnitScore) []Ranked {
	if ps == nil || ps.e == nil || us == nil {
		return nil
	}
	return ps.Ranking(us.Unit.Kind, peerScope(us), nil)
}

// RankAmong ranks us among ps's units of its kind and province, with us in
// place of that unit's own score (standard competition ranking at the
// scheme's tie precision, as Ranking does). A unit without data is not
// ranked: rank 0, and of is the number of ranked peers. Without scores from
// Engine.Score there is nothing to rank against: 0, 0.
func RankAmong(ps *PeriodScores, us *UnitScore) (rank, of int) {
	if ps == nil || ps.e == nil || us == nil {
		return 0, 0
	}
	rk := peerRanking(ps, us)
	prec := 2
	if ps.Scheme != nil {
		prec = ps.Scheme.TiePrecision
	}
	mine := tieKey(us.Total, prec)
	above := 0
	for _, r := range rk {
		if r.Unit.Code == us.Unit.Code || r.Rank == 0 {
			continue
		}
		of++
		if tieKey(r.Total, prec) > mine {
			above++
		}
	}
	if !us.HasData {
		return 0, of
	}
	return above + 1, of + 1
}
