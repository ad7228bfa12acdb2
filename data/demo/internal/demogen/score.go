package demogen

import (
	"math"
	"math/big"

	"scorecard/scoring"
)

// This file is a small scorer of its own for the search loop: integer
// arithmetic, no derivation, fast enough to be called thousands of times.
// It reads the rules from the scheme but does not share code with the
// engine on purpose: the demo's test scores the generated files with the
// real engine, so two independent implementations must agree on every fact.

// counts is one metric's numerator and denominator; ok is false for "no
// counts" (a row with empty cells).
type counts struct {
	n, d int64
	ok   bool
}

func c(n, d int64) counts { return counts{n: n, d: d, ok: true} }

// halfUp rounds num ÷ den (both ≥ 0, den > 0) half-up to an integer.
func halfUp(num, den int64) int64 { return (2*num + den) / (2 * den) }

// points gives a metric's rounded points in hundredths (scoring.md §3).
// The portal multiplies first, (M × pct) ÷ 100; ambiguous reports a
// percent_first value that dividing first would round otherwise: the search
// avoids those, so the demo's facts do not hang on that detail.
func points(m *scoring.Metric, v counts) (pts int64, ambiguous bool) {
	if !m.Scored() {
		return 0, false
	}
	max := int64(m.Max)
	if !v.ok || v.d <= 0 {
		if m.NoData == scoring.NoDataFull {
			return max, false
		}
		return 0, false
	}
	n, d, t := v.n, v.d, int64(m.Threshold)
	if m.Rounding == scoring.RoundPercentFirst {
		pct := math.Floor(float64(n)/float64(d)*10000+0.5) / 100
		mx := float64(max) / 100
		if m.Rule == scoring.RuleThreshold {
			return roundFloat(mx * math.Min(1, pct/(float64(t)/100))), false
		}
		a, b := roundFloat(mx*pct/100), roundFloat(mx/100*pct)
		return a, a != b
	}
	if m.Rule == scoring.RuleThreshold {
		if n*10000 >= t*d {
			return max, false
		}
		return halfUp(max*n*10000, d*t), false
	}
	return halfUp(max*n, d), false
}

// raw is the unrounded points, for the search's sense of direction.
func raw(m *scoring.Metric, v counts) float64 {
	if !m.Scored() || !v.ok || v.d <= 0 {
		p, _ := points(m, v)
		return float64(p)
	}
	r := float64(v.n) / float64(v.d)
	if m.Rule == scoring.RuleThreshold {
		r = math.Min(1, r*10000/float64(m.Threshold))
	}
	return float64(m.Max) * r
}

// roundFloat rounds the exact binary value of x half-up to hundredths.
func roundFloat(x float64) int64 {
	r := new(big.Rat).SetFloat64(x)
	if r == nil || r.Sign() < 0 {
		return 0
	}
	r.Mul(r, big.NewRat(100, 1))
	r.Add(r, big.NewRat(1, 2))
	return new(big.Int).Quo(r.Num(), r.Denom()).Int64()
}

// total scores one unit from its metric values (province-level metrics
// already filled in from the province).
func total(s *scoring.Scheme, vals map[string]counts) (sum int64, ambiguous bool) {
	for i := range s.Metrics {
		p, amb := points(&s.Metrics[i], vals[s.Metrics[i].Code])
		sum += p
		ambiguous = ambiguous || amb
	}
	return sum, ambiguous
}

// groupScore is the sum of the rounded points of one group's metrics.
func groupScore(s *scoring.Scheme, vals map[string]counts, group string) int64 {
	var sum int64
	for _, m := range s.GroupMetrics(group) {
		p, _ := points(m, vals[m.Code])
		sum += p
	}
	return sum
}

// band returns the code of the band a total (out of 100) falls in.
func band(s *scoring.Scheme, totalCents int64) string {
	for _, b := range s.Bands {
		if totalCents >= int64(b.Min) {
			return b.Code
		}
	}
	return s.Bands[len(s.Bands)-1].Code
}
