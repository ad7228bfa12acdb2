package handlers

import (
	"fmt"
	"html"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"scorecard/auth"
	"scorecard/charts"
	"scorecard/handlers/site"
	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scoring"
)

// Embeddable charts: /embed/trend, /embed/groups and /embed/ranking are
// minimal pages (one chart, its data table, a link back to the full page,
// no navigation) that another site puts in an <iframe>. They are the only
// pages whose Content-Security-Policy lets other sites frame them.

// embedPage is the view of an embed.
type embedPage struct {
	site.Layout
	Heading string
	Period  periodView
	Chart   charts.Chart
	Table   embedTable
	// Source is the full page the chart comes from ("Nguồn: …").
	Source     string
	SourceName string
	// Empty explains why there is no chart (no data in the period).
	Empty string
	// Ends says the chart draws only both ends of a long ranking (the
	// table and the full ranking, linked, have every unit).
	Ends string
}

// embedEnds is how many units of each end of a long ranking the embedded
// chart draws: in an iframe of fixed height, 44 communes would leave a
// name for every second bar.
const embedEnds = 10

// embedTable is the chart's data as a plain table, pre-formatted (vi-VN).
type embedTable struct {
	Caption string
	Head    []embedHead
	Rows    []embedRow
}

type embedHead struct {
	Label   string
	Numeric bool
}

type embedRow struct {
	Cells []embedCell
}

// embedCell is one cell: text, or a band badge. Head marks the row's header
// cell (a period, a group, a unit), read out by screen readers with each
// value.
type embedCell struct {
	Text    string
	Head    bool
	Numeric bool
	Band    *bandView
	Muted   bool
}

// rowHead is a row's header cell.
func rowHead(s string) embedCell { return embedCell{Text: s, Head: true} }

// embedHeight is the iframe height the snippet asks for, per chart.
var embedHeight = map[string]int{"trend": 520, "groups": 540, "ranking": 680}

// embedCode is the copy-paste <iframe> snippet of an embeddable chart
// (template function). path is site-relative ("/embed/groups?province=BK"),
// put under the base path; the server cannot know the address visitors use
// behind a proxy, so
// charts.js prefixes the browser's origin when it shows the snippet. Both
// values are escaped for the HTML the snippet is pasted into.
func embedCode(base, path, title string) string {
	h := 520
	if rest, ok := strings.CutPrefix(path, "/embed/"); ok {
		name, _, _ := strings.Cut(rest, "?")
		if v, ok := embedHeight[name]; ok {
			h = v
		}
	}
	return `<iframe src="` + html.EscapeString(base+path) + `" title="` + html.EscapeString(title) +
		`" width="100%" height="` + strconv.Itoa(h) + `" style="border:0;max-width:100%" loading="lazy"></iframe>`
}

// embedCSP is the embed pages' policy: the pages' own, with the embedding
// sites as frame-ancestors.
func (h *handler) embedCSP() string {
	return auth.CSPBase + "; frame-ancestors " + auth.FrameAncestors(h.opts.EmbedAncestors)
}

// renderEmbed renders an embed page. Portals mirror it for five minutes at
// most; the data changes only on import.
func (h *handler) renderEmbed(c *fiber.Ctx, v *embedPage) error {
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	return h.RenderWith(c, fiber.StatusOK, "embed", "embed-layout", h.embedCSP(), v)
}

// embedProvince resolves ?province=: required when the period has several
// provinces, the only one otherwise.
func embedProvince(c *fiber.Ctx, e *env) (scoring.Unit, error) {
	code := c.Query("province")
	if code == "" {
		ps := e.eng.ProvincesIn(e.period)
		if len(ps) == 1 {
			return ps[0], nil
		}
		if len(ps) == 0 {
			return scoring.Unit{}, site.NotFound("err.province.none")
		}
		return scoring.Unit{}, site.BadRequest("err.province.choose")
	}
	return e.province(code)
}

// newEmbed starts an embed page.
func (h *handler) newEmbed(e *env, heading string) *embedPage {
	v := &embedPage{Heading: heading, Period: newPeriodView(e.period, e, nil)}
	v.Layout = site.Layout{Title: heading, Demo: e.demo}
	return v
}

// embedSource is the full page an embed links to, in the embed's language
// (the visitor of another site has no language cookie of ours).
func embedSource(e *env, u string) string {
	if e.lang == i18n.Default {
		return u
	}
	if strings.Contains(u, "?") {
		return u + "&lang=" + string(e.lang)
	}
	return u + "?lang=" + string(e.lang)
}

// noDataText is the message of an embed without data in its period, or
// whose period is not published yet.
func noDataText(e *env) string {
	l, p := e.lang, e.period
	switch {
	case p.IsZero():
		return l.T("embed.nodata")
	case e.unpublished(p):
		return l.T("embed.unpublished", present.Lower(l, present.Period(l, p)))
	}
	return l.T("embed.nodata.period", present.Period(l, p))
}

// embedTrend is /embed/trend?province=&period=: the province's total over
// the 12 months up to the period (the newest month by default).
func (h *handler) embedTrend(c *fiber.Ctx) error {
	e, err := h.loadEnv(c)
	if err != nil {
		return err
	}
	prov, err := embedProvince(c, e)
	if err != nil {
		return err
	}
	v := h.newEmbed(e, e.lang.T("embed.trend.heading", prov.Name))
	v.Source, v.SourceName = embedSource(e, site.ProvinceURL(prov.Code, scoring.Period{})), e.lang.T("overview.title", prov.Name)
	if !v.Period.HasData {
		v.Empty = noDataText(e)
		return h.renderEmbed(c, v)
	}
	rows, periods, err := h.unitTrend(c, e, prov.Code, e.period)
	if err != nil {
		return err
	}
	v.Heading = trendTitle(e.lang, periods) + " — " + prov.Name
	v.Layout.Title = v.Heading
	if v.Chart, err = totalTrendChart(e.lang, "chart-trend", prov.Name, h.Scores.Schemes().For(e.period), rows, periods); err != nil {
		return err
	}
	v.Layout.ECharts = v.Chart.Script
	v.Table = embedTable{Caption: e.lang.T("caption.of", trendTitle(e.lang, periods), prov.Name),
		Head: []embedHead{{Label: e.lang.T("col.period")}, {Label: e.lang.T("col.total"), Numeric: true}, {Label: e.lang.T("col.band")}}}
	for _, r := range rows {
		row := embedRow{Cells: []embedCell{rowHead(r.Label)}}
		if r.HasData {
			b := r.Band
			row.Cells = append(row.Cells, embedCell{Text: present.Score(e.lang, r.Total), Numeric: true}, embedCell{Band: &b})
		} else {
			row.Cells = append(row.Cells, embedCell{Text: "—", Numeric: true, Muted: true}, embedCell{Text: e.lang.T("common.nodata"), Muted: true})
		}
		v.Table.Rows = append(v.Table.Rows, row)
	}
	return h.renderEmbed(c, v)
}

// embedGroups is /embed/groups?province=&period=: the province's six
// groups against their maxima.
func (h *handler) embedGroups(c *fiber.Ctx) error {
	e, err := h.loadEnv(c)
	if err != nil {
		return err
	}
	prov, err := embedProvince(c, e)
	if err != nil {
		return err
	}
	v := h.newEmbed(e, e.lang.T("embed.groups.heading", prov.Name))
	v.Source, v.SourceName = embedSource(e, site.ProvinceURL(prov.Code, e.period)), e.lang.T("overview.title", prov.Name)
	if !v.Period.HasData {
		v.Empty = noDataText(e)
		return h.renderEmbed(c, v)
	}
	ps, err := h.Scores.Period(c.UserContext(), e.period)
	if err != nil {
		return fmt.Errorf("handlers: scores %s: %w", e.period, err)
	}
	us := ps.Unit(prov.Code)
	if us == nil {
		return fmt.Errorf("handlers: province %s missing from scores of %s", prov.Code, e.period)
	}
	v.Period = newPeriodView(e.period, e, us)
	groups := newGroupRows(e.lang, us)
	if v.Chart, err = groupChart(e.lang, "chart-groups", prov.Name, e.period, groups); err != nil {
		return err
	}
	v.Layout.ECharts = v.Chart.Script
	v.Table = embedTable{Caption: e.lang.T("caption.groups", len(groups), prov.Name, present.Lower(e.lang, present.Period(e.lang, e.period))),
		Head: []embedHead{{Label: e.lang.T("col.group")}, {Label: e.lang.T("chart.series.score"), Numeric: true}, {Label: e.lang.T("chart.series.max"), Numeric: true}}}
	for _, g := range groups {
		v.Table.Rows = append(v.Table.Rows, embedRow{Cells: []embedCell{rowHead(g.Name),
			{Text: present.Score(e.lang, g.Score), Numeric: true}, {Text: present.Max(e.lang, g.Max), Numeric: true}}})
	}
	if us.HasData {
		v.Table.Rows = append(v.Table.Rows, embedRow{Cells: []embedCell{rowHead(e.lang.T("col.total")),
			{Text: present.Score(e.lang, us.Total), Numeric: true}, {Text: present.Max(e.lang, us.MaxTotal), Numeric: true}}})
	}
	return h.renderEmbed(c, v)
}

// embedRanking is /embed/ranking?kind=&period=&province=: the ranked units
// of one kind by total.
func (h *handler) embedRanking(c *fiber.Ctx) error {
	e, err := h.loadEnv(c)
	if err != nil {
		return err
	}
	kind, err := queryKind(c, e.eng)
	if err != nil {
		return err
	}
	province := ""
	if c.Query("province") != "" {
		u, err := embedProvince(c, e)
		if err != nil {
			return err
		}
		province = u.Code
	}
	v := h.newEmbed(e, e.lang.T("ranking.title", present.KindLower(e.lang, kind, e.period)))
	q := url.Values{"kind": {string(kind)}}
	if !e.period.IsZero() {
		q.Set("period", e.period.String())
	}
	if province != "" {
		q.Set("province", province)
	}
	if e.lang != i18n.Default {
		q.Set("lang", string(e.lang))
	}
	v.Source, v.SourceName = "/rankings?"+q.Encode(), e.lang.T("embed.ranking.source", present.KindLower(e.lang, kind, e.period))
	if !v.Period.HasData {
		v.Empty = noDataText(e)
		return h.renderEmbed(c, v)
	}
	ps, prev, err := h.rankingScores(c, e, e.period)
	if err != nil {
		return err
	}
	var cats []string
	var totals, maxima []float64
	v.Table = embedTable{Caption: e.lang.T("ranking.title", present.KindLower(e.lang, kind, e.period)) + ", " + present.Lower(e.lang, present.Period(e.lang, e.period)),
		Head: []embedHead{{Label: e.lang.T("col.rank"), Numeric: true}, {Label: e.lang.T("col.unit")}, {Label: e.lang.T("col.total"), Numeric: true}, {Label: e.lang.T("col.band")}}}
	for _, r := range ps.Ranking(kind, province, prev) {
		if r.Rank == 0 {
			continue
		}
		if r.Provisional {
			v.Period.Provisional, v.Period.Covered = true, r.MonthsCovered
		}
		b := newBandView(e.lang, r.Scheme, r.Band)
		v.Table.Rows = append(v.Table.Rows, embedRow{Cells: []embedCell{
			{Text: strconv.Itoa(r.Rank), Numeric: true}, rowHead(r.Unit.Name), {Text: present.Score(e.lang, r.Total), Numeric: true}, {Band: &b}}})
		cats = append(cats, r.Unit.Name)
		totals = append(totals, r.Total.Float())
		maxima = append(maxima, r.MaxTotal.Float())
	}
	if len(cats) == 0 {
		v.Empty = e.lang.T("embed.ranking.empty", present.Lower(e.lang, present.Period(e.lang, e.period)))
		return h.renderEmbed(c, v)
	}
	label := e.lang.T("chart.ranking.desc", len(cats), present.KindLower(e.lang, kind, e.period))
	if n := len(cats); n > 2*embedEnds {
		ends := func(x []string) []string { return append(append([]string{}, x[:embedEnds]...), x[n-embedEnds:]...) }
		endsF := func(x []float64) []float64 { return append(append([]float64{}, x[:embedEnds]...), x[n-embedEnds:]...) }
		cats, totals, maxima = ends(cats), endsF(totals), endsF(maxima)
		v.Ends = e.lang.T("embed.ranking.ends", embedEnds, embedEnds, n)
		label = e.lang.T("chart.ranking.ends.desc", embedEnds, embedEnds, n, present.KindLower(e.lang, kind, e.period))
	}
	// The country's 3 400 communes would make a 590 KB widget: past a
	// page of a ranking, the table keeps both ends too, and the ranking
	// page (linked) has every unit.
	if n := len(v.Table.Rows); n > rankPageSize {
		half := rankPageSize / 2
		v.Table.Rows = append(v.Table.Rows[:half:half], v.Table.Rows[n-half:]...)
		v.Ends = e.lang.T("embed.ranking.ends.cut", embedEnds, embedEnds, present.Int(e.lang, int64(n)), half, half)
	}
	if v.Chart, err = charts.ScoreBars("chart-ranking", label, cats, totals, maxima, e.lang.T("chart.series.score"), e.lang.T("chart.series.max")); err != nil {
		return err
	}
	// One bar per unit: a commune ranking needs room for every name.
	v.Chart.Tall = len(cats) > 8
	v.Layout.ECharts = v.Chart.Script
	return h.renderEmbed(c, v)
}

// queryKind reads ?kind= (the first kind present in the data by default).
func queryKind(c *fiber.Ctx, eng *scoring.Engine) (scoring.UnitKind, error) {
	if q := c.Query("kind"); q != "" {
		k := scoring.UnitKind(q)
		if !k.Valid() {
			return "", site.BadRequest("err.kind.param")
		}
		return k, nil
	}
	kinds := unitKinds(eng)
	if len(kinds) > 0 && !containsKind(kinds, scoring.KindAgency) {
		return kinds[0], nil
	}
	return scoring.KindAgency, nil
}
