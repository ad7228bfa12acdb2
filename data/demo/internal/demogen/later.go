package demogen

import (
	"math"
	"math/rand/v2"

	"scorecard/scoring"
)

// After the story year the demo goes on, month by month, to a fixed last
// month (it must not depend on the day it is generated): Bắc Kạn until the
// merger, then Thái Nguyên.
var (
	// BacKanLast is Bắc Kạn's last month, the last before the merger.
	BacKanLast = scoring.MustPeriod("2025-06")
	// ThaiNguyenFirst is the new Thái Nguyên's first month.
	ThaiNguyenFirst = scoring.MustPeriod("2025-07")
	// LastMonth is the demo's last month.
	LastMonth = scoring.MustPeriod("2026-11")
)

// monthsBetween counts the months from a to b, both included.
func monthsBetween(a, b scoring.Period) int {
	return (b.Year-a.Year)*12 + b.N - a.N + 1
}

// seasonOf is the dossier volume factor of a month after the story year.
// Tết moves: on 29/01/2025 the rush before it and the holiday fell in the
// same month; on 17/02/2026 they were a month apart again, as in 2024.
func seasonOf(p scoring.Period) float64 {
	switch p.String() {
	case "2025-01":
		return 0.86
	case "2025-02":
		return 0.93
	case "2026-01":
		return 1.14
	case "2026-02":
		return 0.64
	}
	return season[p.N]
}

// bacKanMonth is Bắc Kạn's month k after April 2024 (0 = 2024-05): the
// units keep improving, more slowly as they near their ceilings, and lose a
// little in the last two months, busy preparing the merger.
func bacKanMonth(p scoring.Period, k int) month {
	mc := month{t: 1 + 0.6*(1-math.Exp(-float64(k+1)/10)), season: seasonOf(p)}
	switch p.String() {
	case "2025-05":
		mc.shock = 0.006
	case "2025-06":
		mc.shock = 0.014
	}
	return mc
}

// thaiNguyenMonth is Thái Nguyên's month k (0 = 2025-07): a dip in the
// first months of the merger (new unit codes to connect, staff and
// archives moving) that fades by the autumn, then steady progress.
func thaiNguyenMonth(p scoring.Period, k int) month {
	return month{t: 1.2 + 0.5*float64(k)/16, season: seasonOf(p), shock: 0.055 * math.Exp(-float64(k)/1.6)}
}

// extend draws the generator's next n months with its units' own streams.
func (g *generator) extend(n int, at func(p scoring.Period, k int) month, level func(k int) map[string]counts) {
	p := g.first
	for range g.vals {
		p = p.Next()
	}
	for k := range n {
		mc := at(p, k)
		vals := make([]map[string]counts, len(g.units))
		vals[0] = level(k)
		for j := 1; j < len(g.units); j++ {
			vals[j] = g.units[j].draw(mc)
		}
		g.vals = append(g.vals, vals)
		p = p.Next()
	}
}

// bacKanLevel draws Bắc Kạn's province-level metrics after April 2024.
func bacKanLevel(r *rand.Rand) func(k int) map[string]counts {
	return func(k int) map[string]counts {
		pd := int64(3 + r.IntN(3))
		pn := of(0.67+0.006*float64(k)+0.05*r.NormFloat64(), pd)
		ud := int64(60 + r.IntN(40))
		un := of(0.75+0.004*float64(k)+0.02*r.NormFloat64(), ud)
		cd := int64(1852 + 3*k)
		cn := cd - round(float64(cd)*clamp(0.004+0.003*r.NormFloat64(), 0, 1))
		return map[string]counts{mPublish: c(pn, pd), mUpdate: c(un, ud), mContent: c(cn, cd)}
	}
}

// thaiNguyenLevel draws Thái Nguyên's: a larger catalogue, merged and
// published again in July 2025, with its updates late at first.
func thaiNguyenLevel(r *rand.Rand) func(k int) map[string]counts {
	return func(k int) map[string]counts {
		settle := math.Exp(-float64(k) / 2)
		pd := int64(4 + r.IntN(5))
		pn := of(0.8-0.25*settle+0.08*r.NormFloat64(), pd)
		ud := int64(140 + r.IntN(80))
		un := of(0.86-0.2*settle+0.03*r.NormFloat64(), ud)
		cd := int64(2410 + 4*k)
		cn := cd - round(float64(cd)*clamp(0.02*settle+0.003*r.NormFloat64(), 0, 1))
		return map[string]counts{mPublish: c(pn, pd), mUpdate: c(un, ud), mContent: c(cn, cd)}
	}
}

// buildLater continues Bắc Kạn to June 2025 and draws Thái Nguyên from July
// 2025 to the last month.
func buildLater(s *scoring.Scheme, bk *generator) (*generator, error) {
	bk.extend(monthsBetween(FirstMonth, BacKanLast)-Months, bacKanMonth, bacKanLevel(streamFor("province-level-2024")))
	specs, err := tnSpecs()
	if err != nil {
		return nil, err
	}
	tn := newGenerator(s, ThaiNguyenFirst, specs)
	tn.extend(monthsBetween(ThaiNguyenFirst, LastMonth), thaiNguyenMonth, thaiNguyenLevel(streamFor("province-level-2025")))
	return tn, nil
}

// The national rankings the published results sit in.
const (
	nationalOf   = 63 // provinces before the 2025 merger
	storyRank    = 17 // the seed article's "xếp thứ 17/63" in April 2024
	rankPerPoint = 2.2
	// The field improves too: a province standing still loses places.
	fieldDrift = 18 // hundredths of a point a month, after April 2024

	mergedOf = 34 // provinces and cities from 01/07/2025
	// In a field of 34 a point is worth fewer places; Thái Nguyên, one of
	// the stronger provinces, stands about 9th with 84 points in its first
	// autumn, when the field averages a little less.
	mergedAnchor       = 8400
	mergedAnchorRank   = 9
	mergedRankPerPoint = 1.1
	mergedDrift        = 12
)

// rank places total (hundredths) in month i of g: a field of 63 around
// Bắc Kạn's 17th with 75,35 in April 2024, a field of 34 after the merger.
func (g *generator) rank(i int, total int64) (rank, of int) {
	p := g.first
	for range i {
		p = p.Next()
	}
	if g.units[0].Code == province {
		anchor := float64(targetTotal)
		if i >= Months {
			anchor += fieldDrift * float64(i-Months+1)
		}
		r := storyRank + int(math.Round((anchor-float64(total))/100*rankPerPoint))
		return min(max(r, 1), nationalOf), nationalOf
	}
	anchor := mergedAnchor + mergedDrift*float64(monthsBetween(scoring.MustPeriod("2025-10"), p)-1)
	r := mergedAnchorRank + int(math.Round((anchor-float64(total))/100*mergedRankPerPoint))
	return min(max(r, 1), mergedOf), mergedOf
}
