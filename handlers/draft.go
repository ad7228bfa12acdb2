package handlers

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/auth"
	"scorecard/models"
	"scorecard/report"
	"scorecard/scoring"
)

// Drafts (issue 4). A period is a draft until the office publishes it. The
// public pages, the API, the downloads, the open data, the embeds and the
// reports show published periods only; office and admin accounts see every
// draft; a unit account sees its own unit's draft figures on its own
// unit's page, and nothing of its peers' drafts.
//
// Two pieces enforce it, so that no handler needs a special case:
//
//   - visiblePeriods replaces the engine's list of periods wherever a page
//     lists periods, picks the default one or checks that one has data
//     (loadEnv, the API, open data): a draft the visitor may not see is
//     simply not there.
//   - draftScores wraps the scores service: asked for the scores of a
//     period the visitor may not see (a hand-typed ?period=, a stale link,
//     the previous period of a trend), it answers the scores of a period
//     without data, exactly as for a period nobody imported. So a page that
//     forgot to filter still shows nothing, and a draft cannot be told apart
//     from an empty period.
//
// Both read the request's viewer, put in the request's context by
// viewerMiddleware. Without a publications source (Deps.Store nil: tests of
// the pages, tools without a database) there is no viewer and every period
// is shown: the publishing workflow is off.

// PublishedSource is what the draft filter needs from the store.
type PublishedSource interface {
	PublishedPeriods(ctx context.Context) (map[string]models.Publication, error)
}

type viewerKey struct{}

// viewer is who is asking and what they may see, for one request. A
// request runs on one goroutine; the lazy load needs no lock.
type viewer struct {
	user *auth.User
	pubs PublishedSource

	loaded    bool
	published map[string]models.Publication

	// ownUnit and ownPeriod: a unit account on its own unit's page may see
	// that unit's draft figures in the period it asked for (and only in
	// that one: trends, ranks and peers stay published-only).
	ownUnit   string
	ownPeriod scoring.Period

	// main is the period the page is about (loadEnv), for the draft or
	// correction notice; mainHasData says whether it has data the visitor
	// may see.
	main        scoring.Period
	mainHasData bool
}

// access is how much of a period's scores a visitor may see.
type access int

const (
	noAccess    access = iota // as if the period had no data
	ownUnitOnly               // the visitor's own unit; every other unit without data
	fullAccess
)

func (v *viewer) load(ctx context.Context) error {
	if v.loaded {
		return nil
	}
	m, err := v.pubs.PublishedPeriods(ctx)
	if err != nil {
		return fmt.Errorf("handlers: published periods: %w", err)
	}
	v.published, v.loaded = m, true
	return nil
}

// publication returns the period's publication, ok false for a draft.
func (v *viewer) publication(ctx context.Context, p scoring.Period) (models.Publication, bool, error) {
	if err := v.load(ctx); err != nil {
		return models.Publication{}, false, err
	}
	pub, ok := v.published[p.String()]
	return pub, ok, nil
}

func (v *viewer) access(ctx context.Context, p scoring.Period) (access, error) {
	if v.user.IsStaff() {
		return fullAccess, nil
	}
	_, ok, err := v.publication(ctx, p)
	if err != nil {
		return noAccess, err
	}
	switch {
	case ok:
		return fullAccess, nil
	case v.ownUnit != "" && p == v.ownPeriod:
		return ownUnitOnly, nil
	}
	return noAccess, nil
}

// viewerMiddleware puts the request's viewer in its Locals and its context
// (the scores wrapper reads the context). It runs after auth's Middleware.
func (h *handler) viewerMiddleware(c *fiber.Ctx) error {
	v := &viewer{user: auth.UserFrom(c), pubs: h.pubs}
	c.Locals(viewerKey{}, v)
	c.SetUserContext(context.WithValue(c.UserContext(), viewerKey{}, v))
	return c.Next()
}

// viewerOf returns the request's viewer; nil when publishing is off.
func viewerOf(c *fiber.Ctx) *viewer {
	v, _ := c.Locals(viewerKey{}).(*viewer)
	return v
}

// visiblePeriods lists the periods with data the visitor may see, newest
// first: the engine's list without the drafts they may not see.
func visiblePeriods(c *fiber.Ctx, eng *scoring.Engine) ([]scoring.Period, error) {
	all := eng.Periods()
	v := viewerOf(c)
	if v == nil {
		return all, nil
	}
	out := make([]scoring.Period, 0, len(all))
	for _, p := range all {
		a, err := v.access(c.UserContext(), p)
		if err != nil {
			return nil, err
		}
		if a != noAccess {
			out = append(out, p)
		}
	}
	return out, nil
}

// publishedPeriods lists the published periods with data, whoever asks:
// open data is what was made official, for anyone to pass on.
func publishedPeriods(c *fiber.Ctx, eng *scoring.Engine) ([]scoring.Period, error) {
	all := eng.Periods()
	v := viewerOf(c)
	if v == nil {
		return all, nil
	}
	out := make([]scoring.Period, 0, len(all))
	for _, p := range all {
		_, ok, err := v.publication(c.UserContext(), p)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, p)
		}
	}
	return out, nil
}

// allowOwnDraft lets a unit account see its own unit's draft figures of the
// period it asked for (?period=) on this request: the unit page calls it
// before loadEnv. Staff see every draft anyway; everyone else, nothing.
func allowOwnDraft(c *fiber.Ctx, code string) {
	v := viewerOf(c)
	if v == nil || v.user.IsStaff() || !v.user.CanViewDraft(code) {
		return
	}
	p, err := scoring.ParsePeriod(c.Query("period"))
	if err != nil {
		return
	}
	v.ownUnit, v.ownPeriod = code, p
}

// ownDraftOnly reports whether p is shown to a unit account as its own
// draft: the page must then leave out everything about its peers (rank,
// comparisons, what-if, warnings), which would be computed from nothing.
func ownDraftOnly(c *fiber.Ctx, p scoring.Period) (bool, error) {
	v := viewerOf(c)
	if v == nil || v.ownUnit == "" || p != v.ownPeriod {
		return false, nil
	}
	a, err := v.access(c.UserContext(), p)
	return a == ownUnitOnly, err
}

// notePeriod records the period a page is about, for the notice above the
// page (draft, or corrected on a date).
func notePeriod(c *fiber.Ctx, p scoring.Period, hasData bool) {
	if v := viewerOf(c); v != nil {
		v.main, v.mainHasData = p, hasData
		if hasData {
			markDraft(c, p)
		}
	}
}

// DraftHeader marks an answer (a page, a download, an API answer) that
// carries a draft's figures, for the staff's scripts and tools: the files
// themselves have no room for the page's notice.
const DraftHeader = "X-Scorecard-Status"

// markDraft sets DraftHeader to "draft" when the visitor is shown p and p is
// not published.
func markDraft(c *fiber.Ctx, p scoring.Period) {
	v := viewerOf(c)
	if v == nil {
		return
	}
	a, err := v.access(c.UserContext(), p)
	if err != nil || a == noAccess {
		return
	}
	if _, published, err := v.publication(c.UserContext(), p); err == nil && !published {
		c.Set(DraftHeader, "draft")
	}
}

// periodNotice is the line above a page about a draft or corrected period.
type periodNotice struct {
	Period string // "Tháng 05/2024" (in the page's language)
	Code   string // "2024-05"
	Draft  bool
	// CorrectedOn is the date of the latest correction ("" if none);
	// Revision the current revision; RevisionsURL lists them.
	CorrectedOn  string
	Revision     int
	RevisionsURL string
}

// noticeFor builds the notice of the request's page, nil when there is
// nothing to say. Errors are logged by the caller: a notice must not fail a
// page.
func noticeFor(c *fiber.Ctx) (*periodNotice, error) {
	v := viewerOf(c)
	if v == nil || v.main.IsZero() || !v.mainHasData {
		return nil, nil
	}
	pub, ok, err := v.publication(c.UserContext(), v.main)
	if err != nil {
		return nil, err
	}
	l := langOf(c)
	n := &periodNotice{Period: periodLabel(l, v.main), Code: v.main.String()}
	switch {
	case !ok:
		n.Draft = true
	case pub.CorrectedAt != nil:
		n.CorrectedOn, n.Revision = dateL(l, *pub.CorrectedAt), pub.Revision
		n.RevisionsURL = revisionsURL(v.main)
	default:
		return nil, nil
	}
	return n, nil
}

// draftScores is the scores service as the visitor may see it (see the top
// of this file). Engine is passed through: its list of periods must be
// read through visiblePeriods.
type draftScores struct {
	Scores
	pubs PublishedSource

	mu sync.Mutex
	// blank is an engine over the same units without any counts, for the
	// scores of a period the visitor may not see; rebuilt when the data
	// (the engine) changes.
	blankOf *scoring.Engine
	blank   *scoring.Engine
	scored  map[scoring.Period]*scoring.PeriodScores
}

// OfficialResults and DataModified pass the wrapped service's optional
// abilities through: embedding an interface hides every method it does not
// name, and the report, the overview and open data ask for these.
func (d *draftScores) OfficialResults(ctx context.Context) ([]report.OfficialResult, error) {
	if src, ok := d.Scores.(officialSource); ok {
		return src.OfficialResults(ctx)
	}
	return nil, nil
}

func (d *draftScores) DataModified(ctx context.Context) (time.Time, error) {
	if src, ok := d.Scores.(dataModifier); ok {
		return src.DataModified(ctx)
	}
	return time.Time{}, nil
}

func (d *draftScores) Period(ctx context.Context, p scoring.Period) (*scoring.PeriodScores, error) {
	v, _ := ctx.Value(viewerKey{}).(*viewer)
	if v == nil {
		// A context without a viewer (not a request): treated as an
		// anonymous visitor, never as staff.
		v = &viewer{pubs: d.pubs}
	}
	a, err := v.access(ctx, p)
	if err != nil {
		return nil, err
	}
	if a == fullAccess {
		return d.Scores.Period(ctx, p)
	}
	eng, err := d.Scores.Engine(ctx)
	if err != nil {
		return nil, err
	}
	blank := d.blankScores(eng, p)
	if a == noAccess {
		return blank, nil
	}
	real, err := d.Scores.Period(ctx, p)
	if err != nil {
		return nil, err
	}
	own := *blank
	own.Units = make(map[string]*scoring.UnitScore, len(blank.Units))
	for code, us := range blank.Units {
		own.Units[code] = us
	}
	if us := real.Unit(v.ownUnit); us != nil {
		own.Units[v.ownUnit] = us
	}
	return &own, nil
}

// blankScores are p's scores over no counts at all.
func (d *draftScores) blankScores(eng *scoring.Engine, p scoring.Period) *scoring.PeriodScores {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.blankOf != eng {
		d.blank = scoring.NewEngine(eng.Schemes(), &scoring.Dataset{Units: eng.Units(), Own: map[scoring.Key]scoring.Counts{}})
		d.blankOf, d.scored = eng, map[scoring.Period]*scoring.PeriodScores{}
	}
	ps, ok := d.scored[p]
	if !ok {
		ps = d.blank.Score(p)
		d.scored[p] = ps
	}
	return ps
}

// defaultPeriod is the period used when the request names none: the newest
// month among periods (newest first; the visitor's visible periods), what
// the office reviews every month rather than a provisional year that merely
// starts later; else the newest period; else the current month, which then
// shows units without counts.
func defaultPeriod(periods []scoring.Period, now time.Time) scoring.Period {
	for _, p := range periods {
		if p.Kind == scoring.Month {
			return p
		}
	}
	if len(periods) > 0 {
		return periods[0]
	}
	t := now.In(scoring.Location)
	return scoring.Period{Kind: scoring.Month, Year: t.Year(), N: int(t.Month())}
}
