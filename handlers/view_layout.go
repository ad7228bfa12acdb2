package handlers

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/charts"
	"scorecard/handlers/site"
	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scorecache"
	"scorecard/scoring"
)

// env is what every dashboard page reads first.
type env struct {
	eng     *scoring.Engine
	periods []scoring.Period // newest first
	demo    bool
	// period is the period being shown: ?period= or the newest with data
	// (zero when the database holds no counts yet). explicit tells whether
	// the visitor chose it.
	period   scoring.Period
	explicit bool
	// lang is the page language (lang.go).
	lang i18n.Lang
	// path and query are the request's, to link the same page in another
	// period (latestURL).
	path  string
	query url.Values
}

// loadEnv reads the engine, the periods and the demo flag, and resolves
// ?period=.
func (h *handler) loadEnv(c *fiber.Ctx) (*env, error) {
	ctx := c.UserContext()
	eng, err := h.Scores.Engine(ctx)
	if err != nil {
		return nil, fmt.Errorf("handlers: engine: %w", err)
	}
	demo, err := h.Scores.Demo(ctx)
	if err != nil {
		return nil, fmt.Errorf("handlers: demo flag: %w", err)
	}
	// The periods the visitor may see (drafts hidden, draft.go).
	periods, err := site.VisiblePeriods(c, eng)
	if err != nil {
		return nil, err
	}
	e := &env{eng: eng, periods: periods, demo: demo, lang: site.Lang(c), path: c.Path()}
	if e.query, err = url.ParseQuery(string(c.Request().URI().QueryString())); err != nil {
		e.query = url.Values{}
	}
	if q := c.Query("period"); q != "" {
		p, err := scoring.ParsePeriod(q)
		if err != nil {
			return nil, site.BadRequest("err.period.choose")
		}
		e.period, e.explicit = p, true
	} else if len(e.periods) > 0 {
		// The same default as the API: the newest month with data.
		e.period = scorecache.DefaultPeriod(e.periods, time.Now())
	}
	e.notePeriod(c)
	return e, nil
}

// notePeriod tells the frame which period the page is about: the draft or
// correction notice for those who see it, the "not yet published" mark of
// the answer for those who do not (site.MarkUnpublished).
func (e *env) notePeriod(c *fiber.Ctx) {
	site.NotePeriod(c, e.period, e.hasPeriod(e.period))
	if e.unpublished(e.period) {
		site.MarkUnpublished(c)
	} else {
		site.UnmarkUnpublished(c)
	}
}

// unpublished reports whether p has figures this visitor may not see yet:
// a draft, which an anonymous visitor is told is not yet published rather
// than that it has no data. Without the publishing workflow every period
// with data is visible, so none is unpublished.
func (e *env) unpublished(p scoring.Period) bool {
	if p.IsZero() || e.hasPeriod(p) {
		return false
	}
	for _, q := range e.eng.Periods() {
		if q == p {
			return true
		}
	}
	return false
}

// latestPublished is the period to offer instead of an unpublished p: the
// newest period of p's kind the visitor may see (last year's for a running
// year), else the default one; zero when the visitor may see none.
func (e *env) latestPublished(p scoring.Period) scoring.Period {
	for _, q := range e.periods { // newest first
		if q.Kind == p.Kind {
			return q
		}
	}
	if len(e.periods) == 0 {
		return scoring.Period{}
	}
	return scorecache.DefaultPeriod(e.periods, time.Now())
}

// latestURL is this page in period p: the same path and parameters, but
// the period (and the page of a long list, which may not exist in p).
func (e *env) latestURL(p scoring.Period) string {
	q := url.Values{}
	for k, v := range e.query {
		q[k] = v
	}
	q.Del("page")
	q.Set("period", p.String())
	return e.path + "?" + q.Encode()
}

// hasPeriod reports whether p has data.
func (e *env) hasPeriod(p scoring.Period) bool {
	for _, q := range e.periods {
		if q == p {
			return true
		}
	}
	return false
}

// province is the province with the code, or a 404 that says none has it.
func (e *env) province(code string) (scoring.Unit, error) {
	u, ok := e.eng.Unit(code)
	if !ok || u.Kind != scoring.KindProvince {
		return scoring.Unit{}, site.NotFound("err.province.notfound")
	}
	return u, nil
}

// pageScores returns the period's scores and, when the previous period of the
// same kind has data, the previous period's standings for ▲/▼ changes: each
// unit's total, band, group scores and so its rank, no metrics
// (scorecache.Reader.Standings; what every page and file compares), read on
// another core meanwhile. Reading a whole period back is most of a page's
// first view in a new process at national scale.
func (h *handler) pageScores(c *fiber.Ctx, e *env, p scoring.Period) (cur, prev *scoring.PeriodScores, err error) {
	ctx := c.UserContext()
	if !e.hasPeriod(p.Prev()) {
		cur, err = h.Scores.Period(ctx, p)
		if err != nil {
			return nil, nil, fmt.Errorf("handlers: scores %s: %w", p, err)
		}
		return cur, nil, nil
	}
	cur, err = h.Scores.Period(scorecache.ReadAhead(ctx), p)
	if err != nil {
		return nil, nil, fmt.Errorf("handlers: scores %s: %w", p, err)
	}
	prev, err = h.Scores.Standings(ctx, p.Prev())
	if err != nil {
		return nil, nil, fmt.Errorf("handlers: scores %s: %w", p.Prev(), err)
	}
	return cur, prev, nil
}

// rankingScores is pageScores for a page that shows rankings only (the
// rankings, the embedded ranking): the period's standings too, each unit's
// row of a ranking without its metrics (scorecache.Reader.Standings).
func (h *handler) rankingScores(c *fiber.Ctx, e *env, p scoring.Period) (cur, prev *scoring.PeriodScores, err error) {
	cur, err = h.Scores.Standings(c.UserContext(), p)
	if err != nil {
		return nil, nil, fmt.Errorf("handlers: scores %s: %w", p, err)
	}
	if e.hasPeriod(p.Prev()) {
		prev, err = h.Scores.Standings(c.UserContext(), p.Prev())
		if err != nil {
			return nil, nil, fmt.Errorf("handlers: scores %s: %w", p.Prev(), err)
		}
	}
	return cur, prev, nil
}

// unitScores is pageScores for u's page: the period's standings with the
// whole scores (metrics) of u and of its peers, the units it is ranked and
// compared with (its kind, in its province; the provinces for a province),
// and the previous period's standings. The page reads no other unit's
// metrics, so it need not rebuild the country's.
func (h *handler) unitScores(c *fiber.Ctx, e *env, u scoring.Unit) (cur, prev *scoring.PeriodScores, err error) {
	scope := e.eng.RankScope(u.Code)
	codes := []string{u.Code}
	for _, p := range e.eng.Units() {
		if p.Kind == u.Kind && p.Code != u.Code && e.eng.RankScope(p.Code) == scope {
			codes = append(codes, p.Code)
		}
	}
	cur, err = h.Scores.StandingsWith(c.UserContext(), e.period, codes...)
	if err != nil {
		return nil, nil, fmt.Errorf("handlers: scores %s: %w", e.period, err)
	}
	if e.hasPeriod(e.period.Prev()) {
		if prev, err = h.Scores.Standings(c.UserContext(), e.period.Prev()); err != nil {
			return nil, nil, fmt.Errorf("handlers: scores %s: %w", e.period.Prev(), err)
		}
	}
	return cur, prev, nil
}

// newLayout builds the frame of a dashboard page.
func (h *handler) newLayout(e *env, title, nav, action string, keep []site.Hidden) site.Layout {
	l := site.Layout{Title: title, Nav: nav, Demo: e.demo}
	if e.explicit {
		l.NavPeriod = e.period.String()
	}
	l.Selector = &site.Selector{Action: action, Periods: periodOptions(e.lang, e.periods, e.period), Hidden: keep}
	if e.lang != i18n.Default {
		// The form replaces the query: keep the chosen language in it
		// (the cookie would too, but a shared link must not depend on it).
		l.Selector.Hidden = append(l.Selector.Hidden, site.Hidden{Name: "lang", Value: string(e.lang)})
	}
	return l
}

// periodOptions groups the periods with data by kind (month, quarter,
// half-year, year), newest first, for the selector's <optgroup>s. A chosen
// period without data is listed too, so the form shows what is displayed.
func periodOptions(l i18n.Lang, periods []scoring.Period, cur scoring.Period) []site.OptGroup {
	list := append([]scoring.Period(nil), periods...)
	found := false
	for _, p := range list {
		if p == cur {
			found = true
		}
	}
	if !found && !cur.IsZero() {
		list = append(list, cur)
		sort.SliceStable(list, func(i, j int) bool { return periodBefore(list[j], list[i]) })
	}
	var out []site.OptGroup
	for _, k := range scoring.PeriodKinds {
		g := site.OptGroup{Label: l.T("periodkind." + string(k))}
		for _, p := range list {
			if p.Kind == k {
				g.Options = append(g.Options, site.Option{Value: p.String(), Label: present.Period(l, p), Selected: p == cur})
			}
		}
		if len(g.Options) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// periodView is the period line under a page heading.
type periodView struct {
	Code  string
	Label string // in the page's language
	// Provisional marks a longer period computed from fewer months than it
	// has ("tạm tính"); Covered/Of say how many.
	Provisional bool
	Covered, Of int
	HasData     bool
	// Unpublished: the period has figures the visitor may not see yet (a
	// draft); the page says so instead of "no data" and links Latest, the
	// newest published period of the same kind (nil when none is).
	Unpublished bool
	Latest      *unitRef
}

func newPeriodView(p scoring.Period, e *env, us *scoring.UnitScore) periodView {
	pv := periodView{Code: p.String(), Label: present.Period(e.lang, p), HasData: e.hasPeriod(p), Of: len(p.Months())}
	if e.unpublished(p) {
		pv.Unpublished = true
		if l := e.latestPublished(p); !l.IsZero() {
			pv.Latest = &unitRef{Code: l.String(), Name: present.Period(e.lang, l), URL: e.latestURL(l)}
		}
	}
	if us != nil && us.Provisional {
		pv.Provisional, pv.Covered = true, us.MonthsCovered
	}
	return pv
}

// unitRef is a link to a unit's page.
type unitRef struct {
	Code, Name, URL string
}

func newUnitRef(u scoring.Unit, p scoring.Period) unitRef {
	return unitRef{Code: u.Code, Name: u.Name, URL: site.UnitURL(u.Code, p)}
}

// bandView is a classification shown as a text badge; Class only picks a
// tint, the name is always written.
type bandView struct {
	Name  string
	Class string
}

func newBandView(l i18n.Lang, s *scoring.Scheme, b *scoring.Band) bandView {
	if b == nil || s == nil {
		return bandView{Name: "—", Class: "band-none"}
	}
	for i := range s.Bands {
		if s.Bands[i].Code == b.Code {
			return bandView{Name: present.Name(l, b.NameVI, b.NameEN), Class: "band-" + strconv.Itoa(i+1)}
		}
	}
	return bandView{Name: present.Name(l, b.NameVI, b.NameEN), Class: "band-none"}
}

// bandLines are the band limits for trend charts.
func bandLines(l i18n.Lang, s *scoring.Scheme) []charts.BandLine {
	var out []charts.BandLine
	for _, b := range s.Bands {
		out = append(out, charts.BandLine{Name: present.Name(l, b.NameVI, b.NameEN), Min: b.Min.Float()})
	}
	return out
}

// trendPeriods lists the periods of a trend ending at p: the months of the
// 12 months up to p's last month that have data; when the data holds no
// months, the latest periods of p's kind up to p.
func trendPeriods(e *env, p scoring.Period) []scoring.Period {
	months := p.Months()
	end := months[len(months)-1]
	var out []scoring.Period
	m := end
	for i := 0; i < 12; i++ {
		if e.hasPeriod(m) {
			out = append(out, m)
		}
		m = m.Prev()
	}
	if len(out) == 0 {
		for _, q := range e.periods { // newest first
			if q.Kind == p.Kind && !periodBefore(p, q) && len(out) < 12 {
				out = append(out, q)
			}
		}
	}
	// Chronological order for the chart.
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// avgCents is the mean rounded half-up to hundredths, exactly.
func avgCents(sum scoring.Cents, n int) scoring.Cents {
	if n == 0 {
		return 0
	}
	if sum < 0 {
		return -avgCents(-sum, n)
	}
	return (sum*2 + scoring.Cents(n)) / (2 * scoring.Cents(n))
}

// periodBefore orders periods as the engine lists them (reversed): by start,
// then the shorter first.
func periodBefore(a, b scoring.Period) bool {
	if !a.Start().Equal(b.Start()) {
		return a.Start().Before(b.Start())
	}
	return a.End().Before(b.End())
}

// lowerPeriodWords is periodWords inside a sentence ("năm 2026").
func lowerPeriodWords(p scoring.Period) site.Words {
	return func(l i18n.Lang) string { return present.Lower(l, present.Period(l, p)) }
}

// periodWords is a period's name as an argument of a message, worded in the
// language the message is shown in.
func periodWords(p scoring.Period) site.Words {
	return func(l i18n.Lang) string { return present.Period(l, p) }
}
