package handlers

import (
	"cmp"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/charts"
	"scorecard/handlers/site"
	"scorecard/i18n"
	"scorecard/present"
	"scorecard/report"
	"scorecard/scorecache"
	"scorecard/scoring"
)

// The report page /reports/{period}: the Vietnamese narrative of
// report.Narrative, then its tables and charts, laid out for A4 printing
// (web/static/css/print.css) so that "Print → Save as PDF" gives the
// document an office hands to the People's Committee.

// reportPage is the view of a report.
type reportPage struct {
	site.Layout
	Period periodView
	// DocPeriod is the period's name in the document (Vietnamese).
	DocPeriod string
	Province  unitRef
	Who       string // the province inside a sentence: "tỉnh Bắc Kạn"
	// Choose lists the provinces when the data holds several and none was
	// chosen.
	Choose []unitRef
	// Missing explains a report that cannot be written (no data, or not
	// yet published: Unpublished); Latest then links to the newest report
	// with data.
	Missing     string
	Unpublished bool
	Latest      *unitRef
	Head        reportHead
	// Sections are the narrative's paragraphs, numbered I, II, …
	Sections []reportSection
	// Tables and charts after the narrative.
	Groups     []reportGroup
	Total      reportGroup
	GroupChart charts.Chart
	Trend      trendView
	Metrics    []reportMetric
	Bands      bandCount
	Rankings   []reportRanking
	// Downloads of the same figures.
	XLSX, CSV string
	Scheme    string
	Generated string // "14:05 ngày 05/05/2024"
}

// reportHead is the document's header in the layout of Decree 30/2020:
// the issuing body on the left, the national motto and the place and date
// on the right, then the title.
type reportHead struct {
	Superior string // "ỦY BAN NHÂN DÂN TỈNH BẮC KẠN", "" when unknown
	Office   string // "VĂN PHÒNG"…, upper case
	DateLine string // "Bắc Kạn, ngày 05 tháng 5 năm 2024"
	Subtitle string
	// Number is "Số: ……/BC-VP": the number is left blank for the records
	// office to fill when the document is registered; the symbol is a
	// setting.
	Number string
	// Recipients ("Nơi nhận") and the signature block: a setting each, or
	// the defaults (the province's leaders, the levels the report ranks,
	// the archive; the chief of office, the name left to write).
	Recipients  []string
	SignerTitle string
	SignerName  string
}

// reportRanking is an annex table: a full ranking of one level.
type reportRanking struct {
	Num string
	rankingTable
}

type reportSection struct {
	Num       string
	Heading   string
	Sentences []string
	List      bool
}

type reportGroup struct {
	Name       string
	Score, Max scoring.Cents
	Change     present.Change
}

type reportMetric struct {
	Group     string
	Name      string
	HasCounts bool
	Num, Den  int64
	HasRatio  bool
	Ratio     scoring.Cents
	Scored    bool
	Points    scoring.Cents
	Max       scoring.Cents
}

var romans = []string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"}

func roman(i int) string {
	if i < len(romans) {
		return romans[i]
	}
	return fmt.Sprint(i + 1)
}

// officeName is the office shown in the header: the setting, or the
// provincial People's Committee office of the province reported on.
func (h *handler) officeName(prov scoring.Unit) string {
	if h.opts.OfficeName != "" {
		return h.opts.OfficeName
	}
	if prov.Name == "" {
		return i18n.VI.T("reportdoc.office.any")
	}
	return i18n.VI.T("reportdoc.office", present.LowerFirst(prov.Name))
}

// issuer is the issuing body of the header, as Decree 30/2020 writes it:
// the People's Committee office of the province as "ỦY BAN NHÂN DÂN TỈNH
// BẮC KẠN" over "VĂN PHÒNG"; any other office by its name alone (its
// superior body is not guessed).
func issuer(office string, prov scoring.Unit) (superior, name string) {
	if prov.Name != "" && strings.EqualFold(office, i18n.VI.T("reportdoc.office", present.LowerFirst(prov.Name))) {
		return strings.ToUpper(i18n.VI.T("reportdoc.committee", prov.Name)), strings.ToUpper(i18n.VI.T("reportdoc.office.short"))
	}
	return "", strings.ToUpper(office)
}

// reportLatest is /reports: the report of ?period= (the period selector's
// form) or of the newest month with data.
func (h *handler) reportLatest(c *fiber.Ctx) error {
	e, err := h.loadEnv(c)
	if err != nil {
		return err
	}
	p := e.period
	if p.IsZero() {
		p = scorecache.DefaultPeriod(e.periods, time.Now())
	}
	// The province and a language chosen in the address go along: a
	// redirect sets no language cookie, so without ?lang= a visitor who
	// followed an English link (or whose cookie says otherwise) would land
	// on the report in another language.
	q := url.Values{}
	if prov := c.Query("province"); prov != "" {
		q.Set("province", prov)
	}
	if l, ok := i18n.Parse(c.Query("lang")); ok {
		q.Set("lang", string(l))
	}
	target := "/reports/" + url.PathEscape(p.String())
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	return c.Redirect(h.URL(target), fiber.StatusFound)
}

// report is /reports/{period}.
func (h *handler) report(c *fiber.Ctx) error {
	raw, _ := url.PathUnescape(c.Params("period"))
	p, err := scoring.ParsePeriod(raw)
	if err != nil {
		return site.BadRequest("err.report.period")
	}
	e, err := h.loadEnv(c)
	if err != nil {
		return err
	}
	e.period, e.explicit = p, true
	e.notePeriod(c) // the draft or correction notice, or "not yet published"
	var keep []site.Hidden
	if prov := c.Query("province"); prov != "" {
		keep = append(keep, site.Hidden{Name: "province", Value: prov})
	}
	v := &reportPage{Period: newPeriodView(p, e, nil)}
	v.Layout = h.newLayout(e, e.lang.T("report.title", present.Lower(e.lang, present.Period(e.lang, p))), "reports", "/reports", keep)

	prov, choose, err := reportProvince(c, e)
	if err != nil {
		return err
	}
	if choose != nil {
		v.Choose = provinceChoice(choose, "/reports/"+url.PathEscape(p.String()))
		return h.Render(c, fiber.StatusOK, "report", v)
	}
	v.Province = unitRef{Code: prov.Code, Name: prov.Name, URL: site.ProvinceURL(prov.Code, p)}
	v.Who = present.LowerFirst(prov.Name)
	if !v.Period.HasData {
		return h.reportMissing(c, e, v, prov)
	}
	cur, prev, err := h.pageScores(c, e, p)
	if err != nil {
		return err
	}
	opt := report.Options{Province: prov.Code}
	// The results the national portal published, when imported: the
	// report then states the province's national rank.
	if opt.Official, err = h.Scores.OfficialResults(c.UserContext()); err != nil {
		return fmt.Errorf("handlers: official results: %w", err)
	}
	f, err := report.Build(e.eng, cur, prev, opt)
	if err != nil {
		if errors.Is(err, report.ErrUnknownProvince) {
			return site.NotFound("err.province.notfound")
		}
		return fmt.Errorf("handlers: report %s: %w", p, err)
	}
	if !f.HasData {
		return h.reportMissing(c, e, v, prov)
	}
	us := cur.Unit(prov.Code)
	v.Period = newPeriodView(p, e, us)
	if err := h.fillReport(c, e, v, f, cur, prev, us); err != nil {
		return err
	}
	return h.Render(c, fiber.StatusOK, "report", v)
}

// reportProvince resolves ?province=: a province code, or the only
// province of the period; with several and none chosen it returns them to
// choose from.
func reportProvince(c *fiber.Ctx, e *env) (scoring.Unit, []scoring.Unit, error) {
	if code := c.Query("province"); code != "" {
		u, err := e.province(code)
		return u, nil, err
	}
	ps := e.eng.ProvincesIn(e.period)
	switch len(ps) {
	case 0:
		return scoring.Unit{}, nil, nil
	case 1:
		return ps[0], nil, nil
	}
	return scoring.Unit{}, ps, nil
}

// provinceChoice links the report at path of each province to choose.
func provinceChoice(provinces []scoring.Unit, path string) []unitRef {
	out := make([]unitRef, len(provinces))
	for i, u := range sortProvinces(provinces) {
		out[i] = unitRef{Code: u.Code, Name: u.Name, URL: path + "?province=" + url.QueryEscape(u.Code)}
	}
	return out
}

// reportMissing answers a period (or a province) without data: a 404 with
// the reason in Vietnamese and a link to the newest report, rather than a
// report of empty tables.
func (h *handler) reportMissing(c *fiber.Ctx, e *env, v *reportPage, prov scoring.Unit) error {
	who := prov.Name
	if who == "" {
		who = e.lang.T("report.who.province")
	}
	v.Missing = e.lang.T("report.missing", present.Lower(e.lang, present.Period(e.lang, e.period)), who)
	latest := scorecache.DefaultPeriod(e.periods, time.Now())
	if e.unpublished(e.period) {
		// Figures exist but are not published: say so, and offer the
		// newest published report of the same kind (last year's for the
		// running year).
		v.Unpublished = true
		v.Missing = e.lang.T("report.unpublished", present.Lower(e.lang, present.Period(e.lang, e.period)), who)
		latest = e.latestPublished(e.period)
	}
	if len(e.periods) > 0 {
		u := "/reports/" + url.PathEscape(latest.String())
		if c.Query("province") != "" {
			u += "?province=" + url.QueryEscape(c.Query("province"))
		}
		v.Latest = &unitRef{Code: latest.String(), Name: e.lang.T("report.title", present.Lower(e.lang, present.Period(e.lang, latest))), URL: u}
	}
	return h.Render(c, fiber.StatusNotFound, "report", v)
}

// fillReport builds the narrative, tables and charts of a report with data.
func (h *handler) fillReport(c *fiber.Ctx, e *env, v *reportPage, f *report.Facts,
	cur, prev *scoring.PeriodScores, us *scoring.UnitScore) error {
	p := f.Period
	prov, _ := e.eng.Unit(f.Province.Code)
	superior, office := issuer(h.officeName(prov), prov)
	now := time.Now()
	v.DocPeriod = present.Period(i18n.VI, p)
	v.Head = reportHead{
		Superior: superior,
		Office:   office,
		DateLine: report.AdminDate(f.Place, now),
		Subtitle: i18n.VI.T("reportdoc.subtitle", present.LowerFirst(present.Period(i18n.VI, p)), present.LowerFirst(prov.Name)),
	}
	v.Head.Number = i18n.VI.T("reportdoc.number", cmp.Or(h.opts.ReportSymbol, i18n.VI.T("reportdoc.symbol")))
	v.Head.SignerTitle = strings.ToUpper(cmp.Or(h.opts.ReportSignerTitle, i18n.VI.T("reportdoc.signer.title")))
	v.Head.SignerName = h.opts.ReportSignerName
	v.Head.Recipients = h.opts.ReportRecipients
	v.Generated = i18n.VI.T("reportdoc.generated", now.In(scoring.Location).Format("15:04"), present.Date(i18n.VI, now))
	v.Scheme = cur.Scheme.LegalBasis
	for i, para := range report.Narrative(*f) {
		v.Sections = append(v.Sections, reportSection{Num: roman(i), Heading: para.Heading, Sentences: para.Sentences, List: para.List})
	}

	for _, g := range f.Groups {
		v.Groups = append(v.Groups, reportGroup{Name: g.Name, Score: g.Score, Max: g.Max, Change: present.ScoreChange(i18n.VI, g.Change)})
	}
	v.Total = reportGroup{Name: i18n.VI.T("reportdoc.col.totalscore"), Score: f.Total, Max: f.MaxTotal, Change: present.ScoreChange(i18n.VI, f.Change)}
	var err error
	// The report is an administrative document (Decree 30), in
	// Vietnamese whatever the page language; only the page around it is
	// translated.
	if v.GroupChart, err = groupChart(i18n.VI, "chart-groups", prov.Name, p, newGroupRows(i18n.VI, us)); err != nil {
		return err
	}
	rows, periods, err := h.unitTrendL(c, i18n.VI, e, prov.Code, p)
	if err != nil {
		return err
	}
	v.Trend = trendView{Title: trendTitle(i18n.VI, periods), Rows: rows}
	if v.Trend.Chart, err = totalTrendChart(i18n.VI, "chart-trend", prov.Name, cur.Scheme, rows, periods); err != nil {
		return err
	}
	v.Layout.ECharts = v.GroupChart.Script

	for _, g := range us.Groups {
		for _, m := range g.Metrics {
			v.Metrics = append(v.Metrics, reportMetric{Group: g.Group.NameVI, Name: m.Metric.NameVI,
				HasCounts: m.Counts.Valid, Num: m.Counts.Num, Den: m.Counts.Den, HasRatio: m.HasRatio, Ratio: m.Ratio,
				Scored: m.Scored, Points: m.Points, Max: m.Max})
		}
	}

	kinds := []scoring.UnitKind{scoring.KindAgency, scoring.KindDistrict, scoring.KindCommune}
	all := map[scoring.UnitKind][]scoring.Ranked{}
	for _, k := range kinds {
		ranked := cur.Ranking(k, prov.Code, prev)
		if len(ranked) == 0 {
			continue
		}
		all[k] = ranked
		title := i18n.VI.T("reportdoc.ranking", present.KindLower(i18n.VI, k, p), present.LowerFirst(present.Period(i18n.VI, p)))
		v.Rankings = append(v.Rankings, reportRanking{Num: roman(len(v.Rankings)),
			rankingTable: newRankingTable(i18n.VI, "pl-"+string(k), title, k, ranked, cur.Scheme, p, 0, "")})
	}
	v.Bands = newBandCount(i18n.VI, cur.Scheme, kinds, all)
	if len(v.Head.Recipients) == 0 {
		// The default recipients: the province's leaders, then the
		// levels the report ranks, then the archive.
		v.Head.Recipients = append(v.Head.Recipients, i18n.VI.T("reportdoc.recipient.committee", present.LowerFirst(prov.Name)))
		for _, k := range kinds {
			if len(all[k]) > 0 {
				v.Head.Recipients = append(v.Head.Recipients, i18n.VI.T(present.KindKey("reportdoc.recipient", k, p)))
			}
		}
		v.Head.Recipients = append(v.Head.Recipients, i18n.VI.T("reportdoc.recipient.archive"))
	}

	q := url.Values{"province": {prov.Code}, "period": {p.String()}}
	v.XLSX = "/export/overview?" + q.Encode() + "&format=xlsx"
	v.CSV = "/export/overview?" + q.Encode() + "&format=csv"
	return nil
}
