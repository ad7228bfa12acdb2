package scoring

import "strings"

// What a person types into the what-if form or sends to the API, before
// OverrideFromText reads it: for each metric, the text of its numerator,
// denominator and (the API only) ratio.

// MaxWhatIfMetrics bounds the metrics one request may change: a scheme has
// a few dozen, and the bound keeps a hostile request from costing more.
const MaxWhatIfMetrics = 100

// WhatIfText is the text typed for one metric; a field not sent is absent
// (the metric keeps its count), an empty field keeps it too.
type WhatIfText struct {
	Num, Den, Ratio          string
	HasNum, HasDen, HasRatio bool
}

// WhatIfInput is every metric a request names, in the order first seen.
type WhatIfInput struct {
	codes  []string
	fields map[string]*WhatIfText
}

// Set records the text of one field ("n" numerator, "d" denominator, "r"
// ratio) of a metric; a field given twice keeps its first value. ok is
// false, and nothing is recorded, when the metric would be one more than
// MaxWhatIfMetrics.
func (in *WhatIfInput) Set(field, code, text string) (ok bool) {
	if in.fields == nil {
		in.fields = map[string]*WhatIfText{}
	}
	f, seen := in.fields[code]
	if !seen {
		if len(in.codes) >= MaxWhatIfMetrics {
			return false
		}
		f = &WhatIfText{}
		in.fields[code] = f
		in.codes = append(in.codes, code)
	}
	switch {
	case field == "n" && !f.HasNum:
		f.Num, f.HasNum = text, true
	case field == "d" && !f.HasDen:
		f.Den, f.HasDen = text, true
	case field == "r" && !f.HasRatio:
		f.Ratio, f.HasRatio = text, true
	}
	return true
}

// Text returns what was typed for a metric, or nil.
func (in *WhatIfInput) Text(code string) *WhatIfText {
	if in == nil {
		return nil
	}
	return in.fields[code]
}

// Overrides turns the input into the engine's overrides: the scheme's
// metrics in scheme order, then codes the scheme does not know (which
// ApplyOverrides reports), so messages come in the order of the form.
func (in *WhatIfInput) Overrides(s *Scheme) []Override {
	var out []Override
	done := map[string]bool{}
	add := func(code string) {
		f := in.fields[code]
		if f == nil || done[code] {
			return
		}
		done[code] = true
		out = append(out, OverrideFromText(code, f.Num, f.Den, f.Ratio))
	}
	if s != nil {
		for _, m := range s.Metrics {
			add(m.Code)
		}
	}
	for _, code := range in.codes {
		add(code)
	}
	return out
}

// EffectiveOverrides drops the overrides that change nothing: a form sends
// every row with the unit's real counts, and typing a province's own value
// into an inherited metric's row must not count as a change. An override
// is kept when it is invalid (so its message is shown) or when the counts
// it yields differ from the real ones.
func EffectiveOverrides(base *UnitScore, os []Override) []Override {
	var keep []Override
	for _, o := range os {
		in, _, err := ApplyOverrides(base, []Override{o})
		if err != nil {
			keep = append(keep, o)
			continue
		}
		code := strings.TrimSpace(o.Metric)
		m := base.Metric(code)
		if m == nil || in[code].Counts != m.Counts {
			keep = append(keep, o)
		}
	}
	return keep
}
