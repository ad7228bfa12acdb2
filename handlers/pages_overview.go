package handlers

import (
	"fmt"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"scorecard/auth"
	"scorecard/charts"
	"scorecard/handlers/site"
	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scoring"
)

// overviewPage is one province's overview.
type overviewPage struct {
	site.Layout
	Province unitRef
	Period   periodView
	Summary  scoreSummary
	National *nationalRank // as the portal published it; nil when not imported
	Groups   []groupRow
	Chart    charts.Chart // groups against their maxima
	Trend    trendView
	Tables   []rankingTable
	Bands    bandCount
	// About is the paragraph for citizens (overview_about.go).
	About  *aboutView
	Scheme string
	// Movers: most improved, most declined and band changes since the
	// previous period (peers_movers.go); nil without one.
	Movers *moversView
	// Map is the communes coloured by band where their boundaries were
	// imported (pages_map.go); nil otherwise.
	Map *mapView
	// Drafts is the number of periods with data the visitor may not see
	// when they see none: figures imported on the command line are
	// drafts, and the empty page says so instead of asking for an import.
	Drafts int
	// AsOf and DayMovers: a running period followed day by day from the
	// portal (portal_days.go); nil otherwise.
	AsOf      *asOfView
	DayMovers *dayMoversView
}

// scoreSummary is the headline of a unit in a period.
type scoreSummary struct {
	HasData  bool
	Total    scoring.Cents
	MaxTotal scoring.Cents
	Band     bandView
	Change   present.Change
	Missing  int
}

func newSummary(l i18n.Lang, us *scoring.UnitScore, prev *scoring.PeriodScores) scoreSummary {
	s := scoreSummary{HasData: us.HasData, Total: us.Total, MaxTotal: us.MaxTotal,
		Band: newBandView(l, us.Scheme, us.Band), Change: present.ScoreChange(l, nil), Missing: us.Missing}
	if !us.HasData {
		// Nothing to compare for want of this period's figures, not of a
		// period before.
		s.Change.Label = l.T("common.nodata")
	}
	if prev != nil && us.HasData {
		if pu := prev.Unit(us.Unit.Code); pu != nil && pu.HasData {
			d := us.Total - pu.Total
			s.Change = present.ScoreChange(l, &d)
		}
	}
	return s
}

// nationalRank is a province's rank among all provinces in a period, as the
// national portal published it, and its move since the previous period.
type nationalRank struct {
	Rank, RankOf int
	Change       present.Change
}

// nationalRankOf finds the published rank of a province in period p, if
// the portal's results were imported.
func (h *handler) nationalRankOf(c *fiber.Ctx, code string, p scoring.Period) (*nationalRank, error) {
	all, err := h.Scores.OfficialResults(c.UserContext())
	if err != nil {
		return nil, fmt.Errorf("handlers: official results: %w", err)
	}
	var n *nationalRank
	prev := 0
	for _, r := range all {
		switch {
		case r.UnitCode != code || r.Rank <= 0:
		case r.Period == p:
			n = &nationalRank{Rank: r.Rank, RankOf: r.RankOf}
		case r.Period == p.Prev():
			prev = r.Rank
		}
	}
	if n == nil {
		return nil, nil
	}
	var moved *int
	if prev > 0 {
		d := prev - n.Rank
		moved = &d
	}
	n.Change = present.RankChange(site.Lang(c), moved)
	return n, nil
}

// groupRow is one group of a unit: score against maximum.
type groupRow struct {
	Code, Name string // Name in the page's language
	Score, Max scoring.Cents
	Ratio      scoring.Cents // score ÷ max × 100
	HasRatio   bool
	// OfficialOnly: the portal published the score without counts.
	OfficialOnly bool
	// RuleOnly: no metric of the group has figures, its points (if any)
	// are the no-data rules' alone, not earned.
	RuleOnly bool
}

func newGroupRows(l i18n.Lang, us *scoring.UnitScore) []groupRow {
	var rows []groupRow
	for _, g := range us.Groups {
		r := groupRow{Code: g.Group.Code, Name: present.Name(l, g.Group.NameVI, g.Group.NameEN), Score: g.Score, Max: g.Max,
			OfficialOnly: g.OfficialOnly}
		if g.Max > 0 {
			r.Ratio, r.HasRatio = scoring.Ratio(int64(g.Score), int64(g.Max))
		}
		r.RuleOnly = !us.HasData && g.Score > 0 && !g.OfficialOnly
		for _, m := range g.Metrics {
			if m.Scored && !m.NoData {
				r.RuleOnly = false
			}
		}
		rows = append(rows, r)
	}
	return rows
}

func groupChart(l i18n.Lang, id, who string, p scoring.Period, rows []groupRow) (charts.Chart, error) {
	cats := make([]string, len(rows))
	scores := make([]float64, len(rows))
	maxima := make([]float64, len(rows))
	for i, r := range rows {
		cats[i], scores[i], maxima[i] = r.Name, r.Score.Float(), r.Max.Float()
	}
	return charts.ScoreBars(id, l.T("chart.groups.desc", len(rows), who, present.Lower(l, present.Period(l, p))), cats, scores, maxima,
		l.T("chart.series.score"), l.T("chart.series.max"))
}

// trendView is a unit's total over recent periods.
type trendView struct {
	Title string
	Rows  []trendRow
	Chart charts.Chart
}

type trendRow struct {
	Label   string
	Period  string
	HasData bool
	Total   scoring.Cents
	Band    bandView
	Groups  []scoring.Cents
}

// unitTrend scores the unit over trendPeriods(p).
func (h *handler) unitTrend(c *fiber.Ctx, e *env, code string, p scoring.Period) ([]trendRow, []scoring.Period, error) {
	return h.unitTrendL(c, e.lang, e, code, p)
}

// unitTrendL is unitTrend in language l (the report is in Vietnamese
// whatever the page language).
func (h *handler) unitTrendL(c *fiber.Ctx, l i18n.Lang, e *env, code string, p scoring.Period) ([]trendRow, []scoring.Period, error) {
	periods := trendPeriods(e, p)
	// The unit's totals only: not every unit's metrics in every period.
	pts, err := h.Scores.Points(c.UserContext(), code, periods)
	if err != nil {
		return nil, nil, fmt.Errorf("handlers: trend of %s: %w", code, err)
	}
	var rows []trendRow
	for i, q := range periods {
		row := trendRow{Label: present.Period(l, q), Period: q.String()}
		if pt := pts[i]; pt.Known && pt.HasData {
			row.HasData, row.Total, row.Band = true, pt.Total, newBandView(l, h.Scores.Schemes().For(q), pt.Band)
			row.Groups = pt.Groups
		}
		rows = append(rows, row)
	}
	return rows, periods, nil
}

func trendTitle(l i18n.Lang, periods []scoring.Period) string {
	if len(periods) > 0 && periods[0].Kind != scoring.Month {
		return l.T("trend.title.periods")
	}
	return l.T("trend.title.months")
}

func totalTrendChart(l i18n.Lang, id, who string, s *scoring.Scheme, rows []trendRow, periods []scoring.Period) (charts.Chart, error) {
	cats := make([]string, len(periods))
	vals := make([]charts.Value, len(periods))
	for i, q := range periods {
		cats[i] = present.PeriodShort(q)
		if rows[i].HasData {
			vals[i] = charts.Num(rows[i].Total.Float())
		}
	}
	label := l.TN(len(periods), "chart.trend.desc", who, len(periods))
	return charts.Trend(id, label, cats, []charts.Series{{Name: l.T("col.total"), Values: vals}}, bandLines(l, s), 100)
}

// home is "/": the province's overview when the period has one province, a
// ranking of provinces when it has several (a province merged into another
// is not among the provinces of the periods after the merger).
func (h *handler) home(c *fiber.Ctx) error {
	e, err := h.loadEnv(c)
	if err != nil {
		return err
	}
	provinces := e.eng.ProvincesIn(e.period)
	if len(provinces) == 1 {
		return h.overview(c, e, provinces[0])
	}
	return h.provincesPage(c, e, provinces)
}

// provinceOverview is "/provinces/{code}".
func (h *handler) provinceOverview(c *fiber.Ctx) error {
	e, err := h.loadEnv(c)
	if err != nil {
		return err
	}
	u, err := e.province(site.UnitCode(c))
	if err != nil {
		return err
	}
	return h.overview(c, e, u)
}

// overviewLimit is how many ranked units of a kind the overview lists; the
// rankings page has them all.
const overviewLimit = 10

func (h *handler) overview(c *fiber.Ctx, e *env, prov scoring.Unit) error {
	v := overviewPage{Province: newUnitRef(prov, e.period)}
	action := "/"
	if c.Path() != "/" {
		action = site.ProvinceURL(prov.Code, scoring.Period{})
	}
	v.Layout = h.newLayout(e, e.lang.T("overview.title", prov.Name), "overview", action, nil)
	v.Period = newPeriodView(e.period, e, nil)
	if !v.Period.HasData {
		if len(e.periods) == 0 {
			v.Drafts = draftCount(e.eng.Periods())
		}
		return h.Render(c, fiber.StatusOK, "overview", &v)
	}
	// The province's whole scores (its metrics) among its units' rows
	// (their standings), and the period before's standings.
	ps, err := h.Scores.StandingsWith(c.UserContext(), e.period, prov.Code)
	if err != nil {
		return fmt.Errorf("handlers: scores %s: %w", e.period, err)
	}
	var prev *scoring.PeriodScores
	if e.hasPeriod(e.period.Prev()) {
		if prev, err = h.Scores.Standings(c.UserContext(), e.period.Prev()); err != nil {
			return fmt.Errorf("handlers: scores %s: %w", e.period.Prev(), err)
		}
	}
	us := ps.Unit(prov.Code)
	if us == nil {
		return fmt.Errorf("handlers: province %s missing from scores of %s", prov.Code, e.period)
	}
	v.Scheme = ps.Scheme.LegalBasis
	v.Period = newPeriodView(e.period, e, us)
	v.Summary = newSummary(e.lang, us, prev)
	if v.National, err = h.nationalRankOf(c, prov.Code, e.period); err != nil {
		return err
	}
	v.Groups = newGroupRows(e.lang, us)
	if v.Chart, err = groupChart(e.lang, "chart-groups", prov.Name, e.period, v.Groups); err != nil {
		return err
	}
	rows, periods, err := h.unitTrend(c, e, prov.Code, e.period)
	if err != nil {
		return err
	}
	v.Trend = trendView{Title: trendTitle(e.lang, periods), Rows: rows}
	if v.Trend.Chart, err = totalTrendChart(e.lang, "chart-trend", prov.Name, ps.Scheme, rows, periods); err != nil {
		return err
	}
	v.Layout.ECharts = v.Chart.Script

	kinds := []scoring.UnitKind{scoring.KindAgency, scoring.KindDistrict, scoring.KindCommune}
	all := map[scoring.UnitKind][]scoring.Ranked{}
	for _, k := range kinds {
		ranked := ps.Ranking(k, prov.Code, prev)
		if len(ranked) == 0 {
			continue
		}
		all[k] = ranked
		full := "/rankings?kind=" + string(k) + "&period=" + url.QueryEscape(e.period.String())
		if len(e.eng.ProvincesIn(e.period)) > 1 {
			full += "&province=" + url.QueryEscape(prov.Code)
		}
		limit := overviewLimit
		var chart *charts.Chart
		if k == scoring.KindAgency {
			// The agencies are drawn as bars; their table lists them all,
			// the chart's numbers.
			if chart, err = agenciesChart(e.lang, ps.Scheme, prov.Name, ranked); err != nil {
				return err
			}
			if chart != nil {
				limit = len(ranked)
			}
		}
		t := newRankingTable(e.lang, "xh-"+string(k), e.lang.T("ranking.title", present.KindLower(e.lang, k, e.period)), k, ranked, ps.Scheme, e.period, limit, full)
		t.Chart = chart
		v.Tables = append(v.Tables, t)
	}
	v.Bands = newBandCount(e.lang, ps.Scheme, kinds, all)
	if v.Map, err = h.unitMap(c, e, prov.Code, ps); err != nil {
		return err
	}
	v.About = newAboutView(e.lang, ps.Scheme, us, all[scoring.KindAgency])
	v.Movers = newMoversViewL(e.lang, ps, prev, prov.Code)
	if v.Movers != nil && h.Auth != nil && !auth.UserFrom(c).IsStaff() {
		v.Movers.WarningsURL = "" // the warnings page is for staff
	}
	run, err := h.running(c, e.period, prov.Code)
	if err != nil {
		return err
	}
	v.AsOf = newAsOf(e.lang, run)
	if v.DayMovers, err = h.dayMovers(c, e, run, ""); err != nil {
		return err
	}
	return h.Render(c, fiber.StatusOK, "overview", &v)
}

// draftCount is how many periods an import left as drafts, counted as the
// command line counts them: the months (the quarters and years holding them
// follow), or the longer periods when only those were imported.
func draftCount(all []scoring.Period) int {
	months := 0
	for _, p := range all {
		if p.Kind == scoring.Month {
			months++
		}
	}
	if months > 0 {
		return months
	}
	return len(all)
}
