package site

import (
	"github.com/gofiber/fiber/v2"

	"scorecard/auth"
	"scorecard/present"
	"scorecard/scorecache"
	"scorecard/scoring"
)

// Drafts, on the web side: the request's viewer (scorecache.Viewer, who may
// see which period) and the notice of a draft or corrected period above a
// page. Without a publications source (Deps.Store nil: tests of the pages,
// tools without a database) there is no viewer and every period is shown:
// the publishing workflow is off.

type viewerKey struct{}

// viewer is the request's scorecache.Viewer and the period the page is
// about (loadEnv), for the draft or correction notice; mainHasData says
// whether it has data the visitor may see.
type viewer struct {
	*scorecache.Viewer
	main        scoring.Period
	mainHasData bool
}

// viewerMiddleware puts the request's viewer in its Locals and its context
// (the scores wrapper, scorecache.Drafts, reads the context). It runs after
// auth's Middleware.
func (s *Site) viewerMiddleware(c *fiber.Ctx) error {
	v := &viewer{Viewer: scorecache.NewViewer(auth.UserFrom(c), s.Pubs)}
	c.Locals(viewerKey{}, v)
	c.SetUserContext(scorecache.NewContext(c.UserContext(), v.Viewer))
	return c.Next()
}

// viewerOf returns the request's viewer; nil when publishing is off.
func viewerOf(c *fiber.Ctx) *viewer {
	v, _ := c.Locals(viewerKey{}).(*viewer)
	return v
}

// VisiblePeriods lists the periods with data the visitor may see, newest
// first: the engine's list without the drafts they may not see.
func VisiblePeriods(c *fiber.Ctx, eng *scoring.Engine) ([]scoring.Period, error) {
	v := viewerOf(c)
	if v == nil {
		return eng.Periods(), nil
	}
	return v.Visible(c.UserContext(), eng.Periods())
}

// PublishedPeriods lists the published periods with data, whoever asks:
// open data is what was made official, for anyone to pass on.
func PublishedPeriods(c *fiber.Ctx, eng *scoring.Engine) ([]scoring.Period, error) {
	v := viewerOf(c)
	if v == nil {
		return eng.Periods(), nil
	}
	return v.Published(c.UserContext(), eng.Periods())
}

// AllowOwnDraft lets a unit account see its own unit's draft figures of the
// period it asked for (?period=) on this request: the unit page calls it
// before loadEnv.
func AllowOwnDraft(c *fiber.Ctx, code string) {
	v := viewerOf(c)
	if v == nil {
		return
	}
	if p, err := scoring.ParsePeriod(c.Query("period")); err == nil {
		v.AllowOwnDraft(code, p)
	}
}

// OwnDraftOnly reports whether p is shown to a unit account as its own
// draft (scorecache.Viewer.OwnDraftOnly).
func OwnDraftOnly(c *fiber.Ctx, p scoring.Period) (bool, error) {
	v := viewerOf(c)
	if v == nil {
		return false, nil
	}
	return v.OwnDraftOnly(c.UserContext(), p)
}

// NotePeriod records the period a page is about, for the notice above the
// page (draft, or corrected on a date).
func NotePeriod(c *fiber.Ctx, p scoring.Period, hasData bool) {
	if v := viewerOf(c); v != nil {
		v.main, v.mainHasData = p, hasData
		if hasData {
			MarkDraft(c, p)
		}
	}
}

// DraftHeader marks an answer (a page, a download, an API answer) that
// carries a draft's figures, for the staff's scripts and tools: the files
// themselves have no room for the page's notice.
const DraftHeader = "X-Scorecard-Status"

// MarkDraft sets DraftHeader to "draft" when the visitor is shown p and p is
// not published.
func MarkDraft(c *fiber.Ctx, p scoring.Period) {
	v := viewerOf(c)
	if v == nil {
		return
	}
	a, err := v.Access(c.UserContext(), p)
	if err != nil || a == scorecache.NoAccess {
		return
	}
	if _, published, err := v.Publication(c.UserContext(), p); err == nil && !published {
		c.Set(DraftHeader, Draft)
	}
}

// IsUnpublished reports whether p has figures (the engine lists it) that
// the visitor may not see: a draft, to anyone but staff.
func IsUnpublished(c *fiber.Ctx, eng *scoring.Engine, p scoring.Period) (bool, error) {
	v := viewerOf(c)
	if v == nil {
		return false, nil
	}
	for _, q := range eng.Periods() {
		if q == p {
			a, err := v.Access(c.UserContext(), p)
			return a == scorecache.NoAccess, err
		}
	}
	return false, nil
}

// MarkUnpublished sets DraftHeader to "unpublished" on an answer about a
// period that has figures the visitor may not see yet: the page or the API
// answer says "not yet published" rather than "no data", and scripts can
// tell the two apart though the API's list is empty either way.
func MarkUnpublished(c *fiber.Ctx) {
	c.Set(DraftHeader, Unpublished)
}

// UnmarkUnpublished takes MarkUnpublished's mark off: the page turned out to
// be about another period (a report's period is in its path, not ?period=).
func UnmarkUnpublished(c *fiber.Ctx) {
	if MarkedUnpublished(c) {
		c.Response().Header.Del(DraftHeader)
	}
}

// MarkedUnpublished reports whether MarkUnpublished marked the answer.
func MarkedUnpublished(c *fiber.Ctx) bool {
	return c.GetRespHeader(DraftHeader) == Unpublished
}

// Values of DraftHeader.
const (
	Draft       = "draft"       // the answer carries a draft's figures (staff)
	Unpublished = "unpublished" // the period has figures not yet published; none shown
)

// PeriodNotice is the line above a page about a draft or corrected period.
type PeriodNotice struct {
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
func noticeFor(c *fiber.Ctx) (*PeriodNotice, error) {
	v := viewerOf(c)
	if v == nil || v.main.IsZero() || !v.mainHasData {
		return nil, nil
	}
	pub, ok, err := v.Publication(c.UserContext(), v.main)
	if err != nil {
		return nil, err
	}
	l := Lang(c)
	n := &PeriodNotice{Period: present.Period(l, v.main), Code: v.main.String()}
	switch {
	case !ok:
		n.Draft = true
	case pub.CorrectedAt != nil:
		n.CorrectedOn, n.Revision = present.Date(l, *pub.CorrectedAt), pub.Revision
		n.RevisionsURL = RevisionsURL(v.main)
	default:
		return nil, nil
	}
	return n, nil
}
