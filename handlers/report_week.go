package handlers

import (
	"cmp"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/handlers/site"
	"scorecard/i18n"
	"scorecard/present"
	"scorecard/report"
	"scorecard/scorecache"
	"scorecard/scoring"
)

// The week report /reports/week/2026-W41: where the province stands in
// its running year as of the week's last capture from the portal, how it
// moved over the week (since the last capture of the week before), its
// groups, the leaders and the last of each kind of unit, and the units
// that rose and fell, in the register of the weekly reports provinces
// publish ("tuần thứ 41: …"), laid out like the monthly report for A4.

// weekPage is the view of a week report.
type weekPage struct {
	site.Layout
	Week      string // "2026-W41"
	WeekLabel string // "tuần 41 năm 2026 (từ ngày 05/10/2026 đến ngày 11/10/2026)"
	Province  unitRef
	Choose    []unitRef
	Missing   string
	Latest    *unitRef
	// pageLabel is WeekLabel in the page's language, for the page's own
	// messages (the document is in Vietnamese).
	pageLabel string
	// Unpublished: the week has captures in a running year that is not
	// published yet (a draft); Missing says so.
	Unpublished bool
	Head        reportHead
	Sections    []reportSection
	Official    bool
	Groups      []reportGroup
	Total       reportGroup
	Moves       []dayMoverTable
	Generated   string
	Scheme      string
}

var weekRE = regexp.MustCompile(`^([0-9]{4})-W([0-9]{2})$`)

// parseWeek reads an ISO 8601 week, "2026-W41": its Monday, Vietnam time.
func parseWeek(s string) (year, week int, monday time.Time, err error) {
	m := weekRE.FindStringSubmatch(s)
	if m == nil {
		return 0, 0, time.Time{}, site.BadRequest("err.week.invalid")
	}
	year, _ = strconv.Atoi(m[1])
	week, _ = strconv.Atoi(m[2])
	if year < 2000 || year > 2100 {
		return 0, 0, time.Time{}, site.BadRequest("err.week.year", year)
	}
	// 28 December is always in the year's last ISO week.
	_, weeks := time.Date(year, 12, 28, 0, 0, 0, 0, scoring.Location).ISOWeek()
	if week < 1 || week > weeks {
		return 0, 0, time.Time{}, site.BadRequest("err.week.range", week, year, weeks)
	}
	// 4 January is always in week 1.
	jan4 := time.Date(year, 1, 4, 0, 0, 0, 0, scoring.Location)
	monday = jan4.AddDate(0, 0, -((int(jan4.Weekday())+6)%7)+7*(week-1))
	return year, week, monday, nil
}

// weekOf is the ISO week of a moment (Vietnam time), "2026-W41".
func weekOf(t time.Time) string {
	y, w := t.In(scoring.Location).ISOWeek()
	return fmt.Sprintf("%d-W%02d", y, w)
}

// weekURL is the week report of a moment's week.
func weekURL(t time.Time, province string, several bool) string {
	u := "/reports/week/" + weekOf(t)
	if several {
		u += "?province=" + url.QueryEscape(province)
	}
	return u
}

// weekReport is /reports/week/{week}.
func (h *handler) weekReport(c *fiber.Ctx) error {
	raw, _ := url.PathUnescape(c.Params("week"))
	_, week, monday, err := parseWeek(raw)
	if err != nil {
		return err
	}
	e, err := h.loadEnv(c)
	if err != nil {
		return err
	}
	sunday := monday.AddDate(0, 0, 6)
	weekYear := sunday.Year()
	if y, _ := sunday.ISOWeek(); y != sunday.Year() {
		weekYear = y
	}
	label := func(l i18n.Lang) string {
		return l.T("weekdoc.week", week, weekYear, present.Date(l, monday), present.Date(l, sunday))
	}
	v := &weekPage{Week: raw, WeekLabel: label(i18n.VI), pageLabel: label(e.lang)}
	var keep []site.Hidden
	if prov := c.Query("province"); prov != "" {
		keep = append(keep, site.Hidden{Name: "province", Value: prov})
	}
	v.Layout = h.newLayout(e, e.lang.T("weekdoc.page.title", week, monday.AddDate(0, 0, 3).Year()), "reports", "/reports", keep)

	// The running year the week belongs to: the year of its Thursday (ISO
	// weeks belong to the year holding their Thursday), or of its Sunday.
	var r *runningDays
	var at, before time.Time
	var p, unpublished scoring.Period
	var capturedProvince string
	for _, y := range []int{monday.AddDate(0, 0, 3).Year(), sunday.Year(), monday.Year()} {
		p = scoring.MustPeriod(strconv.Itoa(y))
		if e.unpublished(p) && unpublished.IsZero() {
			captured, err := h.capturedIn(c, e, p, monday, sunday)
			if err != nil {
				return err
			}
			if captured != "" {
				unpublished, capturedProvince = p, captured
			}
		}
		if !e.hasPeriod(p) {
			continue
		}
		e.period = p
		e.notePeriod(c) // the draft notice names the running year, not the default month
		prov, choose, err := reportProvince(c, e)
		if err != nil {
			return err
		}
		if choose != nil {
			v.Choose = provinceChoice(choose, "/reports/week/"+url.PathEscape(raw))
			return h.Render(c, fiber.StatusOK, "report_week", v)
		}
		if prov.Code == "" {
			continue
		}
		v.Province = unitRef{Code: prov.Code, Name: prov.Name, URL: site.ProvinceURL(prov.Code, p)}
		ms, err := h.captures(c, p, prov.Code)
		if err != nil {
			return err
		}
		if len(ms) == 0 {
			continue
		}
		days := &runningDays{p: p, province: prov.Code, moments: ms}
		end, ok := days.closing(sunday)
		if !ok || end.Before(monday) {
			continue
		}
		r, at = days, end
		before, _ = days.closing(monday.AddDate(0, 0, -1))
		break
	}
	if r == nil {
		return h.weekMissing(c, e, v, unpublished, monday, capturedProvince)
	}
	if err := h.fillWeek(c, e, v, r, at, before); err != nil {
		return err
	}
	return h.Render(c, fiber.StatusOK, "report_week", v)
}

// captures is the moments of a province's captures of p (none without
// portal data).
func (h *handler) captures(c *fiber.Ctx, p scoring.Period, province string) ([]time.Time, error) {
	if h.portal == nil {
		return nil, nil
	}
	ms, err := h.portal.Moments(c.UserContext(), p, province)
	if err != nil {
		return nil, fmt.Errorf("handlers: captures: %w", err)
	}
	return ms, nil
}

// capturedIn is the province of the report (?province=, else any of p's)
// that has a capture of p closing in the week from monday to sunday, ""
// when none has. Only the moments are read, never a figure.
func (h *handler) capturedIn(c *fiber.Ctx, e *env, p scoring.Period, monday, sunday time.Time) (string, error) {
	codes := []string{c.Query("province")}
	if codes[0] == "" {
		codes = codes[:0]
		for _, u := range e.eng.ProvincesIn(p) {
			codes = append(codes, u.Code)
		}
	}
	for _, code := range codes {
		ms, err := h.captures(c, p, code)
		if err != nil {
			return "", err
		}
		if len(ms) == 0 {
			continue
		}
		if end, ok := (&runningDays{p: p, province: code, moments: ms}).closing(sunday); ok && !end.Before(monday) {
			return code, nil
		}
	}
	return "", nil
}

// weekMissing answers a week without a capture: a 404 that says so, with
// a link to the latest week that has one. A week captured in a running
// year that is not published yet (unpublished, else zero; by province) is
// said to be not yet published, never without data, and the link is the
// published report of the month the week falls in, when there is one:
// never a report of another period (last year's says nothing of the
// week).
func (h *handler) weekMissing(c *fiber.Ctx, e *env, v *weekPage, unpublished scoring.Period, monday time.Time, province string) error {
	v.Missing = e.lang.T("weekdoc.missing", v.pageLabel)
	if !unpublished.IsZero() {
		e.period = unpublished
		e.notePeriod(c)
		v.Unpublished = true
		v.Missing = e.lang.T("weekdoc.unpublished", v.pageLabel)
		v.Latest = weekMonthReport(e, monday, province, c.Query("province") != "")
		return h.Render(c, fiber.StatusNotFound, "report_week", v)
	}
	for _, p := range e.periods {
		if p.Kind != scoring.Year || h.portal == nil {
			continue
		}
		prov := v.Province.Code
		if prov == "" {
			if ps := e.eng.ProvincesIn(p); len(ps) == 1 {
				prov = ps[0].Code
			}
		}
		ms, err := h.captures(c, p, prov)
		if err != nil {
			return err
		}
		if len(ms) > 0 {
			last := ms[len(ms)-1]
			w := weekOf(last)
			v.Latest = &unitRef{Code: w, Name: e.lang.T("weekdoc.latest", w), URL: weekURL(last, prov, c.Query("province") != "")}
			break
		}
	}
	return h.Render(c, fiber.StatusNotFound, "report_week", v)
}

// weekMonthReport is the report of the month the week from monday falls
// in (its Thursday's month first: an ISO week belongs where its Thursday
// is; then the other month it touches) that the visitor may read and that
// holds the province, nil when there is none. The link names the
// province when the visitor named it (several) or the month has others.
func weekMonthReport(e *env, monday time.Time, province string, several bool) *unitRef {
	for _, d := range []time.Time{monday.AddDate(0, 0, 3), monday, monday.AddDate(0, 0, 6)} {
		p := scoring.Period{Kind: scoring.Month, Year: d.Year(), N: int(d.Month())}
		if !e.hasPeriod(p) {
			continue
		}
		ps := e.eng.ProvincesIn(p)
		holds := province == ""
		for _, u := range ps {
			holds = holds || u.Code == province
		}
		if !holds {
			continue
		}
		u := "/reports/" + url.PathEscape(p.String())
		if province != "" && (several || len(ps) > 1) {
			u += "?province=" + url.QueryEscape(province)
		}
		return &unitRef{Code: p.String(), Name: e.lang.T("report.title", present.Lower(e.lang, present.Period(e.lang, p))), URL: u}
	}
	return nil
}

// fillWeek writes the report of the week closed at moment at, compared
// with before (zero: no capture before the week).
func (h *handler) fillWeek(c *fiber.Ctx, e *env, v *weekPage, r *runningDays, at, before time.Time) error {
	ctx := c.UserContext()
	vi := *e
	vi.lang = i18n.VI // the document is Vietnamese whatever the page language
	now, err := h.portal.DayAtCached(ctx, r.p, r.province, at)
	if err != nil {
		return fmt.Errorf("handlers: week report: %w", err)
	}
	var then *scorecache.Day
	if !before.IsZero() {
		if then, err = h.portal.DayAtCached(ctx, r.p, r.province, before); err != nil {
			return fmt.Errorf("handlers: week report: %w", err)
		}
	}
	days := []*scorecache.Day{now}
	if then != nil {
		days = append(days, then)
	}
	v.Official = official(days...)
	prov, _ := e.eng.Unit(r.province)
	scheme := h.Scores.Schemes().For(r.p)
	who := present.LowerFirst(prov.Name)
	nowTime := time.Now()
	superior, office := issuer(h.officeName(prov), prov)
	v.Head = reportHead{Superior: superior, Office: office,
		DateLine:    report.AdminDate(report.PlaceName(prov.Name), nowTime),
		Subtitle:    i18n.VI.T("weekdoc.subtitle", v.WeekLabel, who),
		Number:      i18n.VI.T("reportdoc.number", cmp.Or(h.opts.ReportSymbol, i18n.VI.T("reportdoc.symbol"))),
		SignerTitle: strings.ToUpper(cmp.Or(h.opts.ReportSignerTitle, i18n.VI.T("reportdoc.signer.title"))),
		SignerName:  h.opts.ReportSignerName, Recipients: h.opts.ReportRecipients}
	if len(v.Head.Recipients) == 0 {
		v.Head.Recipients = []string{i18n.VI.T("reportdoc.recipient.committee", who), i18n.VI.T("reportdoc.recipient.agency"),
			i18n.VI.T(present.KindKey("reportdoc.recipient", scoring.KindCommune, r.p)), i18n.VI.T("reportdoc.recipient.archive")}
	}
	v.Generated = i18n.VI.T("reportdoc.generated", nowTime.In(scoring.Location).Format("15:04"), present.Date(i18n.VI, nowTime))
	v.Scheme = scheme.LegalBasis

	// I. The province as of the week's close.
	atText, year := asOfText(i18n.VI, at), r.p.Start().Year()
	var general []string
	pu := now.Units[r.province]
	if pu == nil || !pu.HasData {
		general = append(general, i18n.VI.T("weekdoc.nodata", atText, who))
	} else {
		total, _ := dayFigures(pu, v.Official && pu.OfficialTotal != nil)
		general = append(general, i18n.VI.T("weekdoc.total", atText, year, who, present.Score(i18n.VI, total), present.Max(i18n.VI, schemeMax(scheme))))
		if then == nil || then.Units[r.province] == nil || !then.Units[r.province].HasData {
			general = append(general, i18n.VI.T("weekdoc.change.none"))
		} else {
			prevTotal, _ := dayFigures(then.Units[r.province], v.Official && then.Units[r.province].OfficialTotal != nil)
			d := total - prevTotal
			since := asOfText(i18n.VI, before)
			switch {
			case d > 0:
				general = append(general, i18n.VI.T("weekdoc.change.up", since, present.Score(i18n.VI, d)))
			case d < 0:
				general = append(general, i18n.VI.T("weekdoc.change.down", since, present.Score(i18n.VI, -d)))
			default:
				general = append(general, i18n.VI.T("weekdoc.change.same", since))
			}
		}
		// The national rank the portal published, when imported, holds
		// for the latest figures only.
		if at.Equal(r.latest()) {
			if n, err := h.nationalRankOf(c, r.province, r.p); err != nil {
				return err
			} else if n != nil {
				general = append(general, i18n.VI.T("weekdoc.national", who, n.Rank, n.RankOf))
			}
		}
		if v.Official {
			general = append(general, i18n.VI.T("days.official"))
		} else {
			general = append(general, i18n.VI.T("days.ours"))
		}
	}
	v.Sections = append(v.Sections, reportSection{Heading: i18n.VI.T("weekdoc.h.general"), Sentences: general})

	// II. The groups, as published.
	if pu != nil && len(pu.Official) > 0 {
		var sum, prevSum scoring.Cents
		for _, g := range scheme.Groups {
			sc, ok := pu.Official[g.Code]
			if !ok {
				continue
			}
			row := reportGroup{Name: g.NameVI, Score: sc, Max: g.Max, Change: present.ScoreChange(i18n.VI, nil)}
			sum += sc
			if then != nil && then.Units[r.province] != nil {
				if ps, ok := then.Units[r.province].Official[g.Code]; ok {
					d := sc - ps
					row.Change = dayChange(i18n.VI, present.ScoreChange(i18n.VI, &d), "days.change.points", d != 0)
					prevSum += ps
				}
			}
			v.Groups = append(v.Groups, row)
		}
		v.Total = reportGroup{Name: i18n.VI.T("reportdoc.col.totalscore"), Score: sum, Max: schemeMax(scheme), Change: present.ScoreChange(i18n.VI, nil)}
		if pu.OfficialTotal != nil && then != nil && then.Units[r.province] != nil && then.Units[r.province].OfficialTotal != nil {
			d := *pu.OfficialTotal - *then.Units[r.province].OfficialTotal
			v.Total.Change = dayChange(i18n.VI, present.ScoreChange(i18n.VI, &d), "days.change.points", d != 0)
		}
	}

	// III. Leaders and the last of each kind; IV. who rose and fell.
	var leaders []string
	for _, k := range []scoring.UnitKind{scoring.KindAgency, scoring.KindCommune} {
		rows := compareDays(&vi, r.p, now, now, v.Official, k)
		if len(rows) == 0 {
			continue
		}
		n := min(3, len(rows))
		leaders = append(leaders, i18n.VI.T("weekdoc.leaders", present.Kind(i18n.VI, k, r.p), len(rows), unitList(rows[:n])))
		if len(rows) >= 2*n {
			last := append([]dayMoverRow(nil), rows[len(rows)-n:]...)
			leaders = append(leaders, i18n.VI.T("weekdoc.last", present.KindLower(i18n.VI, k, r.p), unitList(last)))
		}
		if then == nil {
			continue
		}
		moves := compareDays(&vi, r.p, now, then, v.Official, k)
		up, down, fell := 0, 0, 0
		for _, m := range moves {
			switch {
			case m.delta > 0:
				up++
			case m.delta < 0:
				down++
			}
			if m.moved < 0 {
				fell++
			}
		}
		t := dayMoverTable{ID: "week-" + string(k), Title: i18n.VI.T("weekdoc.moves.caption", present.Kind(i18n.VI, k, r.p), asOfText(i18n.VI, before))}
		t.Up, t.Down = topMoves(moves)
		v.Moves = append(v.Moves, t)
		leaders = append(leaders, i18n.VI.T("weekdoc.moves", present.Kind(i18n.VI, k, r.p), up, down, fell))
	}
	if len(leaders) > 0 {
		v.Sections = append(v.Sections, reportSection{Heading: i18n.VI.T("weekdoc.h.units"), Sentences: leaders, List: true})
	}
	for i := range v.Sections {
		v.Sections[i].Num = roman(i)
	}
	return nil
}

// unitList is "A (80,12 điểm), B (79,50 điểm)".
func unitList(rows []dayMoverRow) string {
	parts := make([]string, len(rows))
	for i, r := range rows {
		parts[i] = i18n.VI.T("weekdoc.unit", r.Unit.Name, present.Score(i18n.VI, r.Total))
	}
	return strings.Join(parts, ", ")
}

// schemeMax is the most points a unit can get.
func schemeMax(s *scoring.Scheme) scoring.Cents {
	var m scoring.Cents
	for _, g := range s.Groups {
		m += g.Max
	}
	return m
}
