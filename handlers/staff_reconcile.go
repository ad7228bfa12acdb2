package handlers

import (
	"context"
	"errors"
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/handlers/site"
	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scorecache"
	"scorecard/scoring"
)

// The reconciliation, for the staff: for a province and a period, every
// score the national portal published beside our recomputation from the
// counts, the differences flagged with their likely cause. The public
// pages show the portal's figures; only here are they compared with ours
// (GET /staff/reconciliation, and the same as JSON at
// GET /api/v1/reconciliation).

// reconciler is what the reconciliation needs from the scores service
// (*scorecache.Service); nil when the service keeps no portal captures.
type reconciler interface {
	Reconcile(ctx context.Context, p scoring.Period, province string) (*scorecache.Reconciliation, error)
}

// reconPage is the reconciliation page.
type reconPage struct {
	site.Layout
	Period    periodView
	Provinces []site.Option
	Province  string
	// Found: the portal published scores of the province in the period.
	Found   bool
	AsOf    string
	Summary string
	// Differences are the rows that differ, every unit's; Units every
	// unit with all its rows.
	Differences []reconRow
	Units       []reconUnit
}

// reconUnit is one unit: its totals and every row.
type reconUnit struct {
	Unit          unitRef
	Kind          string
	Total         scoring.Cents
	OfficialTotal *scoring.Cents
	Diff          scoring.Cents
	Match         bool
	Rows          []reconRow
	Differ        int
}

// reconRow is one group or metric of a unit, in the page's language.
type reconRow struct {
	Unit      unitRef
	IsGroup   bool
	Code      string
	Name      string
	Counts    string // "653 / 654", "" without counts
	Ours      *scoring.Cents
	Official  *scoring.Cents
	Max       scoring.Cents
	Diff      scoring.Cents
	Compared  bool
	Match     bool
	Cause     string // the likely cause, in words ("" when they agree)
	CauseCode string
	Quality   string // the portal's data-quality flag and message
}

// reconQuery reads ?province= and ?period= (default: the newest period
// with data and the first province with published scores in it).
func (h *handler) reconQuery(c *fiber.Ctx, e *scoring.Engine, periods []scoring.Period) (scoring.Period, string, error) {
	var p scoring.Period
	if q := c.Query("period"); q != "" {
		var err error
		if p, err = scoring.ParsePeriod(q); err != nil {
			return p, "", site.BadRequest("err.period.choose")
		}
	} else {
		p = scorecache.DefaultPeriod(periods, time.Now())
	}
	province := c.Query("province")
	if province != "" {
		if u, ok := e.Unit(province); !ok || u.Kind != scoring.KindProvince {
			return p, "", site.NotFound("recon.err.province", site.Echo(province))
		}
	}
	return p, province, nil
}

// reconcile runs the reconciliation of a province (or, without one, of the
// first province of the period with published scores).
func (h *handler) reconcile(ctx context.Context, e *scoring.Engine, p scoring.Period, province string) (*scorecache.Reconciliation, string, error) {
	if h.recon == nil {
		return nil, province, nil
	}
	list := []string{province}
	if province == "" {
		list = list[:0]
		for _, u := range e.ProvincesIn(p) {
			list = append(list, u.Code)
		}
	}
	var first *scorecache.Reconciliation
	for _, code := range list {
		rec, err := h.recon.Reconcile(ctx, p, code)
		if errors.Is(err, scorecache.ErrNoPortal) {
			return nil, province, nil
		}
		if err != nil {
			return nil, province, site.Internal(err)
		}
		if first == nil {
			first = rec
		}
		if len(rec.Units) > 0 {
			return rec, code, nil
		}
	}
	if first != nil && province == "" {
		province = first.Province
	}
	return first, province, nil
}

// staffReconciliation is GET /staff/reconciliation?period=P&province=CODE.
func (h *handler) staffReconciliation(c *fiber.Ctx) error {
	e, err := h.loadEnv(c)
	if err != nil {
		return err
	}
	l := e.lang
	c.Set(fiber.HeaderCacheControl, "no-store")
	p, province, err := h.reconQuery(c, e.eng, e.periods)
	if err != nil {
		return err
	}
	rec, province, err := h.reconcile(c.UserContext(), e.eng, p, province)
	if err != nil {
		return err
	}
	var keep []site.Hidden
	if province != "" {
		keep = append(keep, site.Hidden{Name: "province", Value: province})
	}
	v := reconPage{Province: province, Period: newPeriodView(p, e, nil)}
	v.Layout = h.newLayout(e, l.T("recon.title"), "staff", "/staff/reconciliation", keep)
	for _, u := range sortProvinces(e.eng.ProvincesIn(p)) {
		v.Provinces = append(v.Provinces, site.Option{Value: u.Code, Label: u.Name, Selected: u.Code == province})
	}
	if rec == nil || len(rec.Units) == 0 {
		return h.Render(c, fiber.StatusOK, "reconciliation", &v)
	}
	v.Found = true
	if !rec.AsOf.IsZero() {
		v.AsOf = l.T("days.asof", asOfText(l, rec.AsOf))
	}
	v.Summary = l.T("recon.summary", present.Int(l, int64(rec.MetricsMatched)), present.Int(l, int64(rec.MetricsCompared)),
		present.Int(l, int64(rec.GroupsMatched)), present.Int(l, int64(rec.GroupsCompared)))
	scheme := h.Scores.Schemes().For(p)
	for _, ur := range rec.Units {
		ref := newUnitRef(ur.Unit, p)
		u := reconUnit{Unit: ref, Kind: present.KindOne(l, ur.Unit.Kind, p), Total: ur.Total, OfficialTotal: ur.OfficialTotal}
		if ur.OfficialTotal != nil {
			u.Diff = ur.Total - *ur.OfficialTotal
			u.Match = u.Diff == 0
		}
		add := func(r scorecache.Recon, group bool) {
			row := newReconRow(l, scheme, ref, r, group)
			u.Rows = append(u.Rows, row)
			if row.Compared && !row.Match {
				u.Differ++
				v.Differences = append(v.Differences, row)
			}
		}
		// Each group, then its metrics.
		for _, g := range ur.Groups {
			add(g, true)
			for _, m := range ur.Metrics {
				if m.Group == g.Group {
					add(m, false)
				}
			}
		}
		for _, m := range ur.Metrics {
			if !hasGroup(ur.Groups, m.Group) {
				add(m, false)
			}
		}
		v.Units = append(v.Units, u)
	}
	return h.Render(c, fiber.StatusOK, "reconciliation", &v)
}

func hasGroup(groups []scorecache.Recon, code string) bool {
	for _, g := range groups {
		if g.Group == code {
			return true
		}
	}
	return false
}

func newReconRow(l i18n.Lang, s *scoring.Scheme, unit unitRef, r scorecache.Recon, group bool) reconRow {
	row := reconRow{Unit: unit, IsGroup: group, Ours: r.Ours, Official: r.Official, Max: r.Max, Diff: r.Diff,
		Compared: r.Compared(), Match: r.Match, CauseCode: string(r.Cause)}
	if group {
		row.Code = r.Group
		if g := s.Group(r.Group); g != nil {
			row.Name = present.Name(l, g.NameVI, g.NameEN)
		}
	} else {
		row.Code = r.Metric
		if m := s.Metric(r.Metric); m != nil {
			row.Name = present.Name(l, m.NameVI, m.NameEN)
		}
		if r.Counts.Valid {
			row.Counts = present.Int(l, r.Counts.Num) + " / " + present.Int(l, r.Counts.Den)
		}
	}
	if row.Name == "" {
		row.Name = row.Code
	}
	if r.Cause != scorecache.CauseNone {
		row.Cause = l.T("recon.cause." + string(r.Cause))
	}
	if r.Quality != "" {
		row.Quality = r.Quality
		if r.QualityMessage != "" {
			row.Quality += ": " + r.QualityMessage
		}
	}
	return row
}

// reconURL is the reconciliation page of a province's period.
func reconURL(p scoring.Period, province string) string {
	q := url.Values{}
	q.Set("period", p.String())
	if province != "" {
		q.Set("province", province)
	}
	return "/staff/reconciliation?" + q.Encode()
}

// apiRecon is GET /api/v1/reconciliation?period=P&province=CODE: the
// reconciliation as data (codes, not words; scores with two decimals,
// null where a side has none).
type apiRecon struct {
	Period   string        `json:"period"`
	Province string        `json:"province"`
	AsOf     *time.Time    `json:"as_of"`
	Summary  apiReconSum   `json:"summary"`
	Units    []apiReconRow `json:"units"`
}

type apiReconSum struct {
	MetricsMatched  int `json:"metrics_matched"`
	MetricsCompared int `json:"metrics_compared"`
	GroupsMatched   int `json:"groups_matched"`
	GroupsCompared  int `json:"groups_compared"`
}

type apiReconRow struct {
	Code          string           `json:"code"`
	Name          string           `json:"name"`
	Kind          scoring.UnitKind `json:"kind"`
	Total         scoring.Cents    `json:"total"`
	OfficialTotal *scoring.Cents   `json:"official_total"`
	Groups        []apiReconItem   `json:"groups"`
	Metrics       []apiReconItem   `json:"metrics"`
}

type apiReconItem struct {
	Group          string         `json:"group"`
	Metric         string         `json:"metric,omitempty"`
	Numerator      *int64         `json:"numerator,omitempty"`
	Denominator    *int64         `json:"denominator,omitempty"`
	Source         scoring.Source `json:"source,omitempty"`
	Ours           *scoring.Cents `json:"ours"`
	Official       *scoring.Cents `json:"official"`
	Max            scoring.Cents  `json:"max"`
	Diff           *scoring.Cents `json:"diff"`
	Match          bool           `json:"match"`
	Cause          string         `json:"cause,omitempty"`
	OfficialOnly   bool           `json:"official_only,omitempty"`
	Quality        string         `json:"quality,omitempty"`
	QualityMessage string         `json:"quality_message,omitempty"`
}

func newAPIReconItem(r scorecache.Recon, metric bool) apiReconItem {
	it := apiReconItem{Group: r.Group, Ours: r.Ours, Official: r.Official, Max: r.Max, Match: r.Match, Cause: string(r.Cause),
		OfficialOnly: r.OfficialOnly, Quality: r.Quality, QualityMessage: r.QualityMessage}
	if r.Ours != nil && r.Official != nil {
		d := r.Diff
		it.Diff = &d
	}
	if metric {
		it.Metric, it.Source = r.Metric, r.Source
		if r.Counts.Valid {
			n, d := r.Counts.Num, r.Counts.Den
			it.Numerator, it.Denominator = &n, &d
		}
	}
	return it
}

// apiReconciliation is GET /api/v1/reconciliation.
func (h *handler) apiReconciliation(c *fiber.Ctx) error {
	if h.recon == nil {
		return site.NotFound("err.recon.noportal")
	}
	eng, err := h.Scores.Engine(c.UserContext())
	if err != nil {
		return site.Internal(err)
	}
	periods, err := site.VisiblePeriods(c, eng)
	if err != nil {
		return site.Internal(err)
	}
	if c.Query("period") != "" {
		if _, err := scoring.ParsePeriod(c.Query("period")); err != nil {
			return site.BadRequest("err.api.period", site.Echo(c.Query("period")))
		}
	}
	p, province, err := h.reconQuery(c, eng, periods)
	if err != nil {
		return err
	}
	rec, province, err := h.reconcile(c.UserContext(), eng, p, province)
	if err != nil {
		return err
	}
	out := apiRecon{Period: p.String(), Province: province, Units: []apiReconRow{}}
	if rec != nil {
		if !rec.AsOf.IsZero() {
			t := rec.AsOf.UTC()
			out.AsOf = &t
		}
		out.Summary = apiReconSum{rec.MetricsMatched, rec.MetricsCompared, rec.GroupsMatched, rec.GroupsCompared}
		for _, u := range rec.Units {
			row := apiReconRow{Code: u.Unit.Code, Name: u.Unit.Name, Kind: u.Unit.Kind, Total: u.Total, OfficialTotal: u.OfficialTotal,
				Groups: []apiReconItem{}, Metrics: []apiReconItem{}}
			for _, g := range u.Groups {
				row.Groups = append(row.Groups, newAPIReconItem(g, false))
			}
			for _, m := range u.Metrics {
				row.Metrics = append(row.Metrics, newAPIReconItem(m, true))
			}
			out.Units = append(out.Units, row)
		}
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return site.WriteJSON(c, fiber.StatusOK, out)
}
