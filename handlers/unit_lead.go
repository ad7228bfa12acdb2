package handlers

import (
	"net/url"

	"scorecard/i18n"
	"scorecard/scoring"
)

// The head of the unit page: what a department head needs in one screen
// (the metrics that cost the unit most points and what to do about each);
// the cards, the step to the next band and the details follow from the
// page's other parts.

// leadFixes is how many metrics the head of the page names.
const leadFixes = 3

// fixRow is one metric that cost the unit points, with what to do about it.
type fixRow struct {
	Code, Name string
	Lost, Max  scoring.Cents
	// Advice is the points-at-stake sentence for the metric (what more
	// counts would give, or why the unit cannot act on it).
	Advice string
	// WhatIf opens the what-if page with the change typed in; empty when
	// no count of the unit's own would recover the points.
	WhatIf string
}

// unitFixes lists the n scored metrics that cost the most points (metrics
// is ordered by points lost), each with the advice of the points at stake.
func unitFixes(metrics []metricRow, st *stakeView, n int) []fixRow {
	advice := map[string]stakeRow{}
	if st != nil {
		for _, rows := range [][]stakeRow{st.Rows, st.NoData, st.Province} {
			for _, r := range rows {
				advice[r.Code] = r
			}
		}
	}
	var out []fixRow
	for _, m := range metrics {
		if len(out) == n {
			break
		}
		if !m.Scored || m.Lost <= 0 {
			continue
		}
		f := fixRow{Code: m.Code, Name: m.Name, Lost: m.Lost, Max: m.Max}
		if a, ok := advice[m.Code]; ok {
			f.Advice, f.WhatIf = a.Message, a.WhatIf
		}
		out = append(out, f)
	}
	return out
}

// districtCommunes is a district's communes with their ranks among all the
// province's communes (nil for another kind of unit or without any).
func districtCommunes(l i18n.Lang, ps, prev *scoring.PeriodScores, u scoring.Unit, p scoring.Period) *rankingTable {
	if u.Kind != scoring.KindDistrict || u.ParentCode == "" {
		return nil
	}
	var mine []scoring.Ranked
	for _, r := range ps.Ranking(scoring.KindCommune, u.ParentCode, prev) {
		if r.Unit.ParentCode == u.Code {
			mine = append(mine, r)
		}
	}
	if len(mine) == 0 {
		return nil
	}
	full := "/rankings?kind=" + string(scoring.KindCommune) + "&period=" + url.QueryEscape(p.String())
	t := newRankingTable(l, "xa-cua-huyen", l.T("district.communes", u.Name), scoring.KindCommune, mine, ps.Scheme, p, len(mine), full)
	return &t
}
