package scoring

import (
	"math"
	"math/big"
)

// smallCount bounds the counts for which integer arithmetic cannot
// overflow; larger counts (never seen in practice) take the big.Rat path.
const smallCount = 1_000_000_000

// metricPoints applies one metric's rule to its counts (scoring.md §3). It
// returns the rounded points, the maximum the metric contributes (0 when it
// is left out), whether it is scored, and whether the no-data rule applied.
func metricPoints(m *Metric, c Counts) (pts, max Cents, scored, noData bool) {
	if !m.Scored() {
		return 0, 0, false, !c.Valid || c.Den == 0
	}
	if !c.Valid || c.Den <= 0 {
		switch m.NoData {
		case NoDataFull:
			return m.Max, m.Max, true, true
		case NoDataNone:
			return 0, 0, false, true
		default:
			return 0, m.Max, true, true
		}
	}
	n, d := c.Num, c.Den
	// The importer refuses n > d and negatives; ScoreInputs (what-if) may be
	// handed anything, so clamp rather than award more than the maximum.
	if n < 0 {
		n = 0
	}
	if n > d {
		n = d
	}
	if m.Rounding == RoundPercentFirst {
		return percentFirst(m, n, d), m.Max, true, false
	}
	// Exact: points = M × r, or M × min(1, r ÷ T), as rationals.
	// M is held in hundredths, T in hundredths of a percent (8000 = 80 %).
	if m.Rule == RuleThreshold && n < smallCount && d < smallCount && n*10000 >= int64(m.Threshold)*d {
		return m.Max, m.Max, true, false
	}
	if n < smallCount && d < smallCount {
		// Integer fast path, exact: in hundredths, linear is M·n ÷ d and
		// threshold M·n·10000 ÷ (T·d); half-up is ⌊(2·num + den) ÷ (2·den)⌋.
		// Below 1e9 no product overflows int64 (M ≤ 10⁴, T ≤ 10⁴).
		num, den := int64(m.Max)*n, d
		if m.Rule == RuleThreshold {
			num, den = num*10000, den*int64(m.Threshold)
		}
		return Cents((2*num + den) / (2 * den)), m.Max, true, false
	}
	x := new(big.Rat).SetFrac(new(big.Int).Mul(big.NewInt(int64(m.Max)), big.NewInt(n)), new(big.Int).Mul(big.NewInt(100), big.NewInt(d)))
	if m.Rule == RuleThreshold {
		// r ≥ T  ⇔  n × 10000 ≥ T × d
		lhs := new(big.Int).Mul(big.NewInt(n), big.NewInt(10000))
		rhs := new(big.Int).Mul(big.NewInt(int64(m.Threshold)), big.NewInt(d))
		if lhs.Cmp(rhs) >= 0 {
			return m.Max, m.Max, true, false
		}
		x.Mul(x, big.NewRat(10000, int64(m.Threshold)))
	}
	return roundHalfUp(x), m.Max, true, false
}

// percentFirst reproduces the portal's arithmetic for the payment group: the
// ratio is first rounded to a percentage with two decimals in IEEE-754
// doubles, the points are computed in doubles, and the exact binary value of
// that double is rounded half-up. The order of the operations is part of the
// rule: the portal multiplies first, then divides, (M × pct) ÷ 100. For 295 of
// 377 dossiers paid online, pct = 78,25 and 6 × 78,25 ÷ 100 is the double
// 4,69500000000000028…, published as 4,70, where exact arithmetic and
// (M ÷ 100) × pct both give 4,69.
func percentFirst(m *Metric, n, d int64) Cents {
	pct := math.Floor(float64(n)/float64(d)*10000+0.5) / 100
	mx := float64(m.Max) / 100
	var x float64
	if m.Rule == RuleThreshold {
		t := float64(m.Threshold) / 10000 // the threshold as the file's fraction, e.g. 0.8
		x = mx * math.Min(1, pct/(t*100))
	} else {
		// Multiply first: (M ÷ 100) × pct misses about one published
		// payment score in 130 (see TestPercentFirstMultipliesBeforeDividing).
		x = mx * pct / 100
	}
	return halfUpFloat(x)
}

// halfUpFloat is the exact binary value of x rounded half-up to hundredths,
// as roundHalfUp of big.Rat's SetFloat64(x) (0 for NaN and infinities),
// without big numbers: x is m × 2^e with an integer m below 2^53, so for
// e < 0 the rounding is ⌊(200·m + 2^−e) ÷ 2^(1−e)⌋, which fits 64 bits.
// Every metric of a scheme that rounds this way goes through it, for every
// unit and period: big.Rat made it a third of a period's scoring.
func halfUpFloat(x float64) Cents {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return 0
	case x < 0:
		return -halfUpFloat(-x)
	case x == 0:
		return 0
	}
	bits := math.Float64bits(x)
	exp, m := int(bits>>52)&0x7ff, bits&(1<<52-1)
	if exp == 0 {
		exp = 1 // subnormal
	} else {
		m |= 1 << 52
	}
	shift := 1075 - exp // x = m ÷ 2^shift
	switch {
	case shift <= 0:
		// An integer of 2^52 or more: never a score, but exact anyway.
		r := new(big.Rat)
		r.SetFloat64(x)
		return roundHalfUp(r)
	case shift >= 62:
		return 0 // x·100 < ¼
	}
	return Cents((m*200 + 1<<shift) >> (shift + 1))
}
