package handlers

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"scorecard/handlers/site"
	"scorecard/scoring"
)

// What a person types into the what-if form or sends to the API, before
// scoring.OverrideFromText reads it. The form and GET API name the fields
// n.METRIC (numerator), d.METRIC (denominator) and, for the API, r.METRIC
// (ratio, a percentage); the POST API sends them as JSON (whatif_api.go).

// maxWhatIfMetrics bounds the metrics one request may change: a scheme has
// a few dozen, and the bound keeps a hostile query from costing more.
const maxWhatIfMetrics = 100

// whatIfText is the text typed for one metric; a field not sent is absent
// (the metric keeps its count), an empty field keeps it too.
type whatIfText struct {
	Num, Den, Ratio          string
	HasNum, HasDen, HasRatio bool
}

// whatIfInput is every metric a request names, in the order first seen.
type whatIfInput struct {
	codes  []string
	fields map[string]*whatIfText
}

func (in *whatIfInput) field(code string) *whatIfText {
	if in.fields == nil {
		in.fields = map[string]*whatIfText{}
	}
	f, ok := in.fields[code]
	if !ok {
		f = &whatIfText{}
		in.fields[code] = f
		in.codes = append(in.codes, code)
	}
	return f
}

// text returns what was typed for a metric, or nil.
func (in *whatIfInput) text(code string) *whatIfText {
	if in == nil {
		return nil
	}
	return in.fields[code]
}

// errTooManyMetrics is the 400 for a request naming too many metrics.
var errTooManyMetrics = site.BadRequest("Yêu cầu thay đổi quá nhiều chỉ số cùng lúc.",
	"Too many metrics in one what-if request.")

// readWhatIfQuery collects n.CODE, d.CODE and (withRatio) r.CODE from the
// query string; other parameters (period…) are left to their readers. A
// field given twice keeps its first value. The texts are copied: Fiber's
// are only valid inside the handler.
func readWhatIfQuery(c *fiber.Ctx, withRatio bool) (*whatIfInput, error) {
	in := &whatIfInput{}
	var err error
	c.Context().QueryArgs().VisitAll(func(k, v []byte) {
		if err != nil {
			return
		}
		kind, code, ok := strings.Cut(string(k), ".")
		code = strings.TrimSpace(code)
		if !ok || code == "" || (kind != "n" && kind != "d" && !(withRatio && kind == "r")) {
			return
		}
		if _, seen := in.fields[code]; !seen && len(in.codes) >= maxWhatIfMetrics {
			err = errTooManyMetrics
			return
		}
		f := in.field(code)
		val := string(v)
		switch {
		case kind == "n" && !f.HasNum:
			f.Num, f.HasNum = val, true
		case kind == "d" && !f.HasDen:
			f.Den, f.HasDen = val, true
		case kind == "r" && !f.HasRatio:
			f.Ratio, f.HasRatio = val, true
		}
	})
	return in, err
}

// overrides turns the input into the engine's overrides: the scheme's
// metrics in scheme order, then codes the scheme does not know (which
// ApplyOverrides reports), so messages come in the order of the form.
func (in *whatIfInput) overrides(s *scoring.Scheme) []scoring.Override {
	var out []scoring.Override
	done := map[string]bool{}
	add := func(code string) {
		f := in.fields[code]
		if f == nil || done[code] {
			return
		}
		done[code] = true
		out = append(out, scoring.OverrideFromText(code, f.Num, f.Den, f.Ratio))
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

// effectiveOverrides drops the overrides that change nothing: a form sends
// every row with the unit's real counts, and typing a province's own value
// into an inherited metric's row must not count as a change. The engine
// decides: an override is kept when it is invalid (so its message is
// shown) or when the counts it yields differ from the real ones.
func effectiveOverrides(base *scoring.UnitScore, os []scoring.Override) []scoring.Override {
	var keep []scoring.Override
	for _, o := range os {
		in, _, err := scoring.ApplyOverrides(base, []scoring.Override{o})
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
