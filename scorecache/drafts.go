package scorecache

import (
	"context"
	"fmt"
	"sync"
	"time"

	"scorecard/models"
	"scorecard/report"
	"scorecard/scoring"
)

// Drafts. A period is a draft until the office publishes it. The public
// pages, the API, the downloads, the open data, the embeds and the reports
// show published periods only; office and admin accounts see every draft; a
// unit account sees its own unit's draft figures on its own unit's page,
// and nothing of its peers' drafts.
//
// Two pieces enforce it, so that no handler needs a special case:
//
//   - Viewer.Visible replaces the engine's list of periods wherever a page
//     lists periods, picks the default one or checks that one has data: a
//     draft the visitor may not see is simply not there.
//   - Drafts wraps the scores service: asked for the scores (or standings,
//     or a unit's points) of a period the visitor may not see (a
//     hand-typed ?period=, a stale link, the previous period of a trend),
//     it answers those of a period without data, exactly as for a period
//     nobody imported. So a page that forgot to filter still shows
//     nothing, and a draft's scores cannot be told apart from an empty
//     period's: the pages, which know the period has figures, say it is
//     not yet published.
//
// Both read the request's Viewer, which the web layer puts in the request's
// context (NewContext).

// PublishedSource is what the draft filter needs from the store.
type PublishedSource interface {
	PublishedPeriods(ctx context.Context) (map[string]models.Publication, error)
}

// Account is the signed-in visitor as the draft filter sees it (*auth.User;
// a nil one is anonymous and must answer false to both).
type Account interface {
	IsStaff() bool
	CanViewDraft(unitCode string) bool
}

// Viewer is who is asking and what they may see, for one request. A request
// runs on one goroutine; the lazy load needs no lock.
type Viewer struct {
	acc  Account
	pubs PublishedSource

	loaded    bool
	published map[string]models.Publication

	// ownUnit and ownPeriod: a unit account on its own unit's page may see
	// that unit's draft figures in the period it asked for (and only in
	// that one: trends, ranks and peers stay published-only).
	ownUnit   string
	ownPeriod scoring.Period
}

// NewViewer is the viewer of a request by acc (nil or a nil *auth.User:
// anonymous).
func NewViewer(acc Account, pubs PublishedSource) *Viewer {
	return &Viewer{acc: acc, pubs: pubs}
}

// Access is how much of a period's scores a visitor may see.
type Access int

// Accesses.
const (
	NoAccess    Access = iota // as if the period had no data
	OwnUnitOnly               // the visitor's own unit; every other unit without data
	FullAccess
)

func (v *Viewer) staff() bool { return v.acc != nil && v.acc.IsStaff() }

func (v *Viewer) load(ctx context.Context) error {
	if v.loaded {
		return nil
	}
	m, err := v.pubs.PublishedPeriods(ctx)
	if err != nil {
		return fmt.Errorf("scorecache: published periods: %w", err)
	}
	v.published, v.loaded = m, true
	return nil
}

// Publication returns the period's publication, ok false for a draft.
func (v *Viewer) Publication(ctx context.Context, p scoring.Period) (models.Publication, bool, error) {
	if err := v.load(ctx); err != nil {
		return models.Publication{}, false, err
	}
	pub, ok := v.published[p.String()]
	return pub, ok, nil
}

// Access is how much of p the visitor may see.
func (v *Viewer) Access(ctx context.Context, p scoring.Period) (Access, error) {
	if v.staff() {
		return FullAccess, nil
	}
	_, ok, err := v.Publication(ctx, p)
	if err != nil {
		return NoAccess, err
	}
	switch {
	case ok:
		return FullAccess, nil
	case v.ownUnit != "" && p == v.ownPeriod:
		return OwnUnitOnly, nil
	}
	return NoAccess, nil
}

// Visible lists the periods the visitor may see among periods (in their
// order): the engine's list without the drafts they may not see.
func (v *Viewer) Visible(ctx context.Context, periods []scoring.Period) ([]scoring.Period, error) {
	out := make([]scoring.Period, 0, len(periods))
	for _, p := range periods {
		a, err := v.Access(ctx, p)
		if err != nil {
			return nil, err
		}
		if a != NoAccess {
			out = append(out, p)
		}
	}
	return out, nil
}

// Published lists the published periods among periods, whoever asks: open
// data is what was made official, for anyone to pass on.
func (v *Viewer) Published(ctx context.Context, periods []scoring.Period) ([]scoring.Period, error) {
	out := make([]scoring.Period, 0, len(periods))
	for _, p := range periods {
		_, ok, err := v.Publication(ctx, p)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, p)
		}
	}
	return out, nil
}

// AllowOwnDraft lets a unit account see its own unit's draft figures of
// period p on this request (the unit page asks before reading anything).
// Staff see every draft anyway; everyone else, nothing.
func (v *Viewer) AllowOwnDraft(code string, p scoring.Period) {
	if v.acc == nil || v.acc.IsStaff() || !v.acc.CanViewDraft(code) {
		return
	}
	v.ownUnit, v.ownPeriod = code, p
}

// OwnDraftOnly reports whether p is shown to a unit account as its own
// draft: the page must then leave out everything about its peers (rank,
// comparisons, what-if, warnings), which would be computed from nothing.
func (v *Viewer) OwnDraftOnly(ctx context.Context, p scoring.Period) (bool, error) {
	if v.ownUnit == "" || p != v.ownPeriod {
		return false, nil
	}
	a, err := v.Access(ctx, p)
	return a == OwnUnitOnly, err
}

type viewerKey struct{}

// NewContext carries the request's viewer to Drafts.
func NewContext(ctx context.Context, v *Viewer) context.Context {
	return context.WithValue(ctx, viewerKey{}, v)
}

// FromContext is the viewer NewContext put in ctx, nil if none.
func FromContext(ctx context.Context) *Viewer {
	v, _ := ctx.Value(viewerKey{}).(*Viewer)
	return v
}

// Reader is the scores service as the web layer reads it (*Service, or
// Drafts over it).
type Reader interface {
	Engine(ctx context.Context) (*scoring.Engine, error)
	Period(ctx context.Context, p scoring.Period) (*scoring.PeriodScores, error)
	// Points is one unit's point in each period (its trend; Service.Points).
	Points(ctx context.Context, code string, periods []scoring.Period) ([]scoring.UnitPoint, error)
	// Standings is p's scores reduced to each unit's point, for the
	// period before the one a page shows (Service.Standings).
	Standings(ctx context.Context, p scoring.Period) (*scoring.PeriodScores, error)
	// StandingsWith is Standings with some units' whole scores among them
	// (Service.StandingsWith).
	StandingsWith(ctx context.Context, p scoring.Period, codes ...string) (*scoring.PeriodScores, error)
	Demo(ctx context.Context) (bool, error)
	Schemes() *scoring.Schemes
	OfficialResults(ctx context.Context) ([]report.OfficialResult, error)
	DataModified(ctx context.Context) (time.Time, error)
}

var _ Reader = (*Service)(nil)

// Drafts is the scores service as the request's viewer may see it (see the
// top of this file). Engine is passed through: its list of periods must be
// read through Viewer.Visible.
type Drafts struct {
	Reader
	pubs PublishedSource

	mu sync.Mutex
	// scored are the scores over no counts at all of the engine blankOf,
	// for the periods a visitor may not see; forgotten when the data (the
	// engine) changes.
	blankOf *scoring.Engine
	scored  map[scoring.Period]*scoring.PeriodScores
}

// NewDrafts wraps s for the publishing workflow over pubs.
func NewDrafts(s Reader, pubs PublishedSource) *Drafts { return &Drafts{Reader: s, pubs: pubs} }

// access is the context's viewer and what it may see of p. A context
// without a viewer (not a request) is an anonymous visitor, never staff.
func (d *Drafts) access(ctx context.Context, p scoring.Period) (*Viewer, Access, error) {
	v := FromContext(ctx)
	if v == nil {
		v = NewViewer(nil, d.pubs)
	}
	a, err := v.Access(ctx, p)
	return v, a, err
}

// Period is p's scores as the context's viewer may see them. A context
// without a viewer (not a request) is treated as an anonymous visitor,
// never as staff.
func (d *Drafts) Period(ctx context.Context, p scoring.Period) (*scoring.PeriodScores, error) {
	v, a, err := d.access(ctx, p)
	if err != nil {
		return nil, err
	}
	if a == FullAccess {
		return d.Reader.Period(ctx, p)
	}
	eng, err := d.Reader.Engine(ctx)
	if err != nil {
		return nil, err
	}
	blank := d.blankScores(eng, p)
	if a == NoAccess {
		return blank, nil
	}
	real, err := d.Reader.Period(ctx, p)
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

// Standings is p's standings as the context's viewer may see them: the
// service's when the viewer sees the whole period, else Period's (a period
// without data, or the viewer's own unit alone).
func (d *Drafts) Standings(ctx context.Context, p scoring.Period) (*scoring.PeriodScores, error) {
	_, a, err := d.access(ctx, p)
	if err != nil {
		return nil, err
	}
	if a == FullAccess {
		return d.Reader.Standings(ctx, p)
	}
	return d.Period(ctx, p)
}

// StandingsWith is StandingsWith as the context's viewer may see it: the
// service's when the viewer sees the whole period, else Period's.
func (d *Drafts) StandingsWith(ctx context.Context, p scoring.Period, codes ...string) (*scoring.PeriodScores, error) {
	_, a, err := d.access(ctx, p)
	if err != nil {
		return nil, err
	}
	if a == FullAccess {
		return d.Reader.StandingsWith(ctx, p, codes...)
	}
	return d.Period(ctx, p)
}

// Points is the unit's point in each of periods as the context's viewer
// may see them: what Period's scores give, so a period the visitor may not
// see gives the point of a period without data.
func (d *Drafts) Points(ctx context.Context, code string, periods []scoring.Period) ([]scoring.UnitPoint, error) {
	v := FromContext(ctx)
	if v == nil {
		v = NewViewer(nil, d.pubs)
	}
	out := make([]scoring.UnitPoint, len(periods))
	var full []scoring.Period
	var at []int
	for i, p := range periods {
		a, err := v.Access(ctx, p)
		if err != nil {
			return nil, err
		}
		if a == FullAccess {
			full, at = append(full, p), append(at, i)
			continue
		}
		ps, err := d.Period(ctx, p)
		if err != nil {
			return nil, err
		}
		out[i] = ps.Point(code)
	}
	if len(full) > 0 {
		pts, err := d.Reader.Points(ctx, code, full)
		if err != nil {
			return nil, err
		}
		for j, i := range at {
			out[i] = pts[j]
		}
	}
	return out, nil
}

// blankScores are p's scores over no counts at all.
func (d *Drafts) blankScores(eng *scoring.Engine, p scoring.Period) *scoring.PeriodScores {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.blankOf != eng {
		d.blankOf, d.scored = eng, map[scoring.Period]*scoring.PeriodScores{}
	}
	ps, ok := d.scored[p]
	if !ok {
		ps = eng.ScoreFrom(p, &scoring.Dataset{})
		d.scored[p] = ps
	}
	return ps
}

// DefaultPeriod is the period used when the request names none: the newest
// month among periods (newest first; the visitor's visible periods), what
// the office reviews every month rather than a provisional year that merely
// starts later; else the newest period; else the current month, which then
// shows units without counts.
func DefaultPeriod(periods []scoring.Period, now time.Time) scoring.Period {
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
