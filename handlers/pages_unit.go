package handlers

import (
	"fmt"
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"

	"scorecard/charts"
	"scorecard/handlers/site"
	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scoring"
)

// unitPage is one unit in one period: its score, every metric, its history
// and how it compares with its peers.
type unitPage struct {
	site.Layout
	Unit     unitRef
	Kind     string
	Parent   *unitRef
	Province *unitRef
	Period   periodView
	Summary  scoreSummary
	Rank     int
	RankOf   int
	Groups   []groupRow
	Metrics  []metricRow
	Info     []metricRow // informational metrics, no points
	// Official says which figures are the portal's; nil when none are.
	Official *officialView
	Trend    unitTrendView
	Compare  compareView
	// Tools are the department head's: points at stake, what-if, peers, rank
	// history and warnings (stake.go); nil without data in the period.
	Tools *unitTools
	// Fixes are the metrics that cost the most points, with what to do
	// (the head of the page); WhatIf is the unit's what-if page.
	Fixes  []fixRow
	WhatIf string
	// Communes are a district's communes, ranked among the province's.
	Communes *rankingTable
	// DrillDown is the dossiers that cost points
	// (drilldown.go); nil without dossiers in the period.
	DrillDown *drillDownView
	// Lineage is the unit's place in the history of mergers
	// (pages_unit_lineage.go); nil for a unit without one.
	Lineage *lineageView
	// AsOf and Days: a running period followed day by day from the
	// portal (portal_days.go); nil otherwise.
	AsOf *asOfView
	Days *unitDaysView
	// OwnDraft: a unit account looking at its own unit's draft figures,
	// which are not downloadable.
	OwnDraft bool
	// lang is the page language for the parts built after unitView
	// (peers.go).
	lang i18n.Lang
}

// metricRow is one metric of the unit with where its counts came from.
type metricRow struct {
	Code, Name, Group string
	HasCounts         bool
	Num, Den          int64
	Ratio             scoring.Cents
	HasRatio          bool
	Points, Max, Lost scoring.Cents
	Scored            bool
	Source            string
	SourceDetail      string // how derived counts were obtained
	NoDataNote        string // the no-data rule applied, if any
	// OfficialOnly: its group's score was published without counts;
	// its own points are not known.
	OfficialOnly bool
}

// officialView is what the page says of the portal's published figures:
// whether the scores shown are the portal's, and the groups it published
// without counts (names, in the page's language).
type officialView struct {
	Shown bool
	Only  string
}

func newOfficialView(l i18n.Lang, us *scoring.UnitScore) *officialView {
	if !us.Official {
		return nil
	}
	v := &officialView{Shown: true}
	var names []string
	for _, g := range us.Groups {
		if g.OfficialOnly {
			names = append(names, present.Name(l, g.Group.NameVI, g.Group.NameEN))
		}
	}
	v.Only = strings.Join(names, ", ")
	return v
}

type unitTrendView struct {
	Title  string
	Groups []string // group names, columns
	Rows   []trendRow
	Chart  charts.Chart
}

type compareView struct {
	KindLabel string
	Count     int // ranked units of the kind compared with
	Best      *unitRef
	Rows      []compareRow
	Chart     charts.Chart
}

type compareRow struct {
	Name           string // in the page's language
	Max            scoring.Cents
	Unit, Avg, Top scoring.Cents
	Med            scoring.Cents // median of the peers
	Total          bool          // the totals row
}

func (h *handler) unit(c *fiber.Ctx) error {
	v, err := h.unitView(c)
	if err != nil {
		return err
	}
	return h.Render(c, fiber.StatusOK, "unit", v)
}

func (h *handler) unitView(c *fiber.Ctx) (*unitPage, error) {
	code := site.UnitCode(c)
	// A unit account sees its own draft figures here (draft.go).
	site.AllowOwnDraft(c, code)
	e, err := h.loadEnv(c)
	if err != nil {
		return nil, err
	}
	u, ok := e.eng.Unit(code)
	if !ok {
		return nil, site.NotFound("err.unit.notfound.page")
	}
	if !e.explicit && !e.period.IsZero() && !u.ExistsIn(e.period) {
		// A unit merged away (or not yet formed) opens on a period of its
		// own, not on an empty one.
		if p, ok := periodWhereExists(e, u); ok {
			e.period, e.explicit = p, true
			site.NotePeriod(c, p, true)
		}
	}
	v := &unitPage{Unit: newUnitRef(u, e.period), Kind: present.KindOne(e.lang, u.Kind, e.period), lang: e.lang}
	if v.Lineage, err = h.unitLineage(c, e, u); err != nil {
		return nil, err
	}
	v.Layout = h.newLayout(e, u.Name, "rankings", site.UnitURL(u.Code, scoring.Period{}), nil)
	if u.ParentCode != "" {
		if p, ok := e.eng.Unit(u.ParentCode); ok {
			r := newUnitRef(p, e.period)
			if p.Kind == scoring.KindProvince {
				r.URL = site.ProvinceURL(p.Code, e.period)
			}
			v.Parent = &r
		}
	}
	v.Period = newPeriodView(e.period, e, nil)
	if !v.Period.HasData {
		v.lineageScript()
		return v, nil
	}
	ps, prev, err := h.unitScores(c, e, u)
	if err != nil {
		return nil, err
	}
	us := ps.Unit(u.Code)
	if us == nil {
		return nil, fmt.Errorf("handlers: unit %s missing from scores of %s", u.Code, e.period)
	}
	v.Period = newPeriodView(e.period, e, us)
	v.Summary = newSummary(e.lang, us, prev)
	v.Groups = newGroupRows(e.lang, us)
	v.Metrics, v.Info = newMetricRows(e.lang, us)
	v.Official = newOfficialView(e.lang, us)
	if v.DrillDown, err = h.drillDown(c, e, us); err != nil {
		return nil, err
	}

	// A unit account's own draft shows its own figures only:
	// every peer is without data to it, so no rank, comparison, what-if or
	// warning is computed from them.
	ownDraft, err := site.OwnDraftOnly(c, e.period)
	if err != nil {
		return nil, err
	}
	if ownDraft {
		v.OwnDraft = true
		v.Fixes = unitFixes(v.Metrics, nil, leadFixes)
		if err := h.unitHistory(c, e, v, us); err != nil {
			return nil, err
		}
		v.Layout.ECharts = v.Trend.Chart.Script
		v.lineageScript()
		return v, nil
	}

	// Rank among the units of the same kind in the same province.
	if r := ps.RankOf(u.Code, prev); r != nil {
		v.Rank, v.RankOf = r.Rank, r.RankOf
		if us.HasData {
			v.Summary.Change = present.ScoreChange(e.lang, r.TotalChange)
		}
	}

	if err := h.unitHistory(c, e, v, us); err != nil {
		return nil, err
	}
	// Comparison with peers, points at stake, what-if, rank history and
	// warnings (stake.go and peers.go).
	if err := h.unitTools(c, e, v, ps, prev, us); err != nil {
		return nil, err
	}
	v.Fixes = unitFixes(v.Metrics, &v.Tools.Stake, leadFixes)
	v.Communes = districtCommunes(e.lang, ps, prev, u, e.period)
	v.WhatIf = whatIfURL(u.Code) + "?period=" + e.period.String()
	run, err := h.running(c, e.period, e.eng.ProvinceOf(u.Code))
	if err != nil {
		return nil, err
	}
	v.AsOf = newAsOf(e.lang, run)
	if v.Days, err = h.unitDays(c, e, run, u, us.MaxTotal); err != nil {
		return nil, err
	}
	v.Layout.ECharts = v.Trend.Chart.Script
	v.lineageScript()
	return v, nil
}

// lineageScript loads ECharts for the history across a merger when no
// other chart of the page did.
func (v *unitPage) lineageScript() {
	if v.Layout.ECharts == "" && v.Lineage != nil {
		v.Layout.ECharts = v.Lineage.Chart.Script
	}
}

// newMetricRows lists the scored metrics, the most points lost first (what
// to fix first), and apart the informational ones.
func newMetricRows(l i18n.Lang, us *scoring.UnitScore) (scored, info []metricRow) {
	for _, g := range us.Groups {
		for _, m := range g.Metrics {
			r := metricRow{
				Code: m.Metric.Code, Name: present.Name(l, m.Metric.NameVI, m.Metric.NameEN), Group: present.Name(l, g.Group.NameVI, g.Group.NameEN),
				HasCounts: m.Counts.Valid, Num: m.Counts.Num, Den: m.Counts.Den,
				Ratio: m.Ratio, HasRatio: m.HasRatio,
				Points: m.Points, Max: m.Max, Lost: m.Lost(), Scored: m.Scored,
				Source: present.Source(l, m.Source), SourceDetail: present.Derivation(l, m),
				OfficialOnly: g.OfficialOnly,
			}
			if r.OfficialOnly {
				r.Lost = 0
			}
			if m.NoData {
				switch {
				case m.Metric.NoData == scoring.NoDataNone:
					r.NoDataNote = l.T("unit.nodata.none")
				case !us.HasData && m.Points > 0:
					// A unit without any figure of its own: the points
					// are the rule's, not earned.
					r.NoDataNote = l.T("unit.rulegiven.metric", present.Lower(l, present.NoData(l, m.Metric.NoData)))
				default:
					r.NoDataNote = l.T("unit.nodata.rule", present.Lower(l, present.NoData(l, m.Metric.NoData)))
				}
			}
			if !m.Metric.Scored() {
				info = append(info, r)
				continue
			}
			scored = append(scored, r)
		}
	}
	sort.SliceStable(scored, func(i, j int) bool {
		// Left-out metrics (no maximum) go last.
		if scored[i].Scored != scored[j].Scored {
			return scored[i].Scored
		}
		return scored[i].Lost > scored[j].Lost
	})
	return scored, info
}

// unitHistory fills the unit's groups over recent periods.
func (h *handler) unitHistory(c *fiber.Ctx, e *env, v *unitPage, us *scoring.UnitScore) error {
	rows, periods, err := h.unitTrend(c, e, us.Unit.Code, e.period)
	if err != nil {
		return err
	}
	l := e.lang
	v.Trend = unitTrendView{Title: l.T("unit.trend.title.months"), Rows: rows}
	if len(periods) > 0 && periods[0].Kind != scoring.Month {
		v.Trend.Title = l.T("unit.trend.title.periods")
	}
	for _, g := range us.Groups {
		v.Trend.Groups = append(v.Trend.Groups, present.Name(l, g.Group.NameVI, g.Group.NameEN))
	}
	cats := make([]string, len(periods))
	series := make([]charts.Series, len(us.Groups))
	for gi, g := range us.Groups {
		series[gi] = charts.Series{Name: present.Name(l, g.Group.NameVI, g.Group.NameEN), Values: make([]charts.Value, len(periods))}
	}
	for i, q := range periods {
		cats[i] = present.PeriodShort(q)
		for gi := range series {
			if rows[i].HasData && gi < len(rows[i].Groups) {
				series[gi].Values[i] = charts.Num(rows[i].Groups[gi].Float())
			}
		}
	}
	label := l.TN(len(periods), "chart.history.desc", len(series), us.Unit.Name, len(periods))
	v.Trend.Chart, err = charts.Stacked("chart-history", label, cats, series)
	return err
}
