package handlers

import (
	"sort"

	"github.com/gofiber/fiber/v2"

	"scorecard/charts"
	"scorecard/handlers/site"
	"scorecard/scoring"
)

// The national view: "/" when the period has several provinces. Each
// province is ranked as the national portal published it where its results
// were imported ("12/34"), else by its pooled counts among the provinces of
// the data; the two are never mixed into one number, and each row says
// which it is.

// provincesPage ranks the provinces of a period.
type provincesPage struct {
	site.Layout
	Period periodView
	// Field is how many provinces the country has in the period (63
	// before 01/07/2025, 34 from it); InData how many the data holds.
	Field, InData int
	Rows          []nationalRow
	NoData        []unitRef
	Chart         charts.Chart
}

// nationalRow is one province: its rank as published (Official) or among
// the provinces of the data.
type nationalRow struct {
	Unit         unitRef
	Rank, RankOf int
	Official     bool
	Total        scoring.Cents
	MaxTotal     scoring.Cents
	Band         bandView
}

// nationalField is how many provinces Vietnam has in period p: 63 until the
// reorganisation of 01/07/2025, 34 (28 provinces and 6 cities) from it. A
// period is counted by its end, as units are (Unit.ExistsIn).
func nationalField(p scoring.Period) int {
	if p.End().After(scoring.DistrictsAbolished) {
		return 34
	}
	return 63
}

func (h *handler) provincesPage(c *fiber.Ctx, e *env, provinces []scoring.Unit) error {
	v := provincesPage{Layout: h.newLayout(e, e.lang.T("provinces.title"), "overview", "/", nil)}
	v.Period = newPeriodView(e.period, e, nil)
	if !v.Period.HasData || len(provinces) == 0 {
		return h.Render(c, fiber.StatusOK, "provinces", &v)
	}
	v.Field, v.InData = nationalField(e.period), len(provinces)
	// The provinces' totals, maxima and bands (their standings: no
	// metric), and no change since the period before: that one is not
	// read.
	ps, err := h.Standings(c, e.period)
	if err != nil {
		return err
	}
	official, err := h.Scores.OfficialResults(c.UserContext())
	if err != nil {
		return err
	}
	published := map[string]nationalRow{}
	for _, r := range official {
		if r.Period == e.period && r.Rank > 0 {
			published[r.UnitCode] = nationalRow{Rank: r.Rank, RankOf: r.RankOf, Official: true, Total: r.Total, MaxTotal: 10000}
		}
	}
	var own []nationalRow
	var offi []nationalRow
	for _, r := range ps.Ranking(scoring.KindProvince, "", nil) {
		ref := unitRef{Code: r.Unit.Code, Name: r.Unit.Name, URL: site.ProvinceURL(r.Unit.Code, e.period)}
		if o, ok := published[r.Unit.Code]; ok {
			o.Unit = ref
			o.Band = newBandView(e.lang, ps.Scheme, ps.Scheme.Band(o.Total, o.MaxTotal))
			offi = append(offi, o)
			continue
		}
		if !r.HasData {
			v.NoData = append(v.NoData, ref)
			continue
		}
		own = append(own, nationalRow{Unit: ref, Total: r.Total, MaxTotal: r.MaxTotal, Band: newBandView(e.lang, ps.Scheme, r.Band)})
	}
	sort.SliceStable(offi, func(i, j int) bool { return offi[i].Rank < offi[j].Rank })
	// Ranked among themselves: the provinces whose results were not
	// published, by their pooled counts (Ranking's order, ties sharing a
	// rank as scoring ranks them).
	for i := range own {
		own[i].Rank, own[i].RankOf = i+1, len(own)
		if i > 0 && own[i].Total == own[i-1].Total {
			own[i].Rank = own[i-1].Rank
		}
	}
	v.Rows = append(offi, own...)
	cats := make([]string, len(v.Rows))
	totals := make([]float64, len(v.Rows))
	maxima := make([]float64, len(v.Rows))
	for i, r := range v.Rows {
		cats[i], totals[i], maxima[i] = r.Unit.Name, r.Total.Float(), r.MaxTotal.Float()
	}
	if len(cats) > 0 {
		v.Chart, err = charts.ScoreBars("chart-provinces", e.lang.TN(len(cats), "chart.provinces.desc", len(cats)), cats, totals, maxima,
			e.lang.T("chart.series.score"), e.lang.T("chart.series.max"))
		if err != nil {
			return err
		}
		v.Layout.ECharts = v.Chart.Script
	}
	return h.Render(c, fiber.StatusOK, "provinces", &v)
}
