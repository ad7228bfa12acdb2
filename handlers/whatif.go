package handlers

import (
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"scorecard/handlers/site"
	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scoring"
)

// The what-if panel: one row per metric with the numerator and denominator
// a person may change, and the points, group scores, total, band and rank
// the engine gives the changed counts (scoring.WhatIfScore). Without
// JavaScript it is a GET form to /units/{code}/whatif, which renders the
// result with every invalid field's message next to the field; with
// JavaScript (web/static/js/whatif.js) it updates live through
// POST /api/v1/units/{code}/whatif. Nothing is stored.

// whatIfPanel is the form and its result, in the page's language.
type whatIfPanel struct {
	// Official: the unit's scores shown are the portal's; the what-if
	// starts from our recomputation (the panel says so), and OnlyGroups
	// names the groups left out, published without counts.
	Official   bool
	OnlyGroups string
	Action     string // the no-JavaScript form's target
	API        string // the API whatif.js calls
	Period     string
	ResetURL   string // the unit page with its real counts
	Groups     []whatIfGroup
	Result     whatIfResult
	// Errors are problems no field can show (an unknown metric code in a
	// hand-written query).
	Errors []string
	// Invalid lists the fields with a message, for the summary above the
	// form (each links to its field).
	Invalid []whatIfInvalid
	// ErrorsTitle heads that summary ("Có 2 lỗi…", "2 errors…").
	ErrorsTitle string
	// Submitted is true on the what-if page (the form was sent).
	Submitted bool
	// BandCodes are the scheme's band codes, best first, separated by
	// spaces: whatif.js picks a band's badge tint by its position, as
	// newBandView does.
	BandCodes string
	// BandNames are the bands' names in the page's language, in the order
	// of BandCodes (a JSON array): the API answers the Vietnamese name.
	BandNames string
	// Messages are the texts whatif.js writes, in the page's language (a
	// JSON object of message keys, with their %s and %d).
	Messages string
}

// whatIfScriptKeys are the messages whatif.js needs.
var whatIfScriptKeys = []string{
	"wi.js.recalc", "wi.js.status", "stake.gain", "wi.js.status.down", "wi.js.status.band", "wi.js.status.rank",
	"wi.js.unrated", "wi.js.unranked", "wi.js.nodata", "wi.delta.none", "wi.js.invalid", "wi.js.invalid.one", "wi.js.failed", "wi.js.status.code",
	"wi.js.offline", "wi.delta.up", "wi.delta.down", "wi.delta.same",
	"wi.rank.up", "wi.rank.up.one", "wi.rank.down", "wi.rank.down.one", "wi.rank.same",
}

// whatIfScriptMessages is the JSON of whatIfScriptKeys in language l.
func whatIfScriptMessages(l i18n.Lang) string {
	m := make(map[string]string, len(whatIfScriptKeys))
	for _, k := range whatIfScriptKeys {
		if msg, ok := i18n.Message(l, k); ok {
			m[k] = msg
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		return "{}" // a map of strings always encodes; the script falls back
	}
	return string(b)
}

type whatIfInvalid struct {
	ID, Label, Message string
}

// whatIfGroup is one group of metrics with its score now and with the
// changes.
type whatIfGroup struct {
	Code, Name      string
	Score, New, Max scoring.Cents
	// BaseData and NewData: the real and the tried scores have data; a
	// score without is no score (a dash, as in the API), and nothing is
	// compared with it.
	BaseData, NewData bool
	Delta             present.Change
	Changed           bool
	Rows              []whatIfRow
}

// whatIfRow is one metric of the form.
type whatIfRow struct {
	Code, Name string
	// NumText and DenText are what the inputs show: what was typed, else
	// the real counts ("" for a metric without counts).
	NumText, DenText string
	// BaseNum and BaseDen are the real counts, for whatif.js to tell a
	// changed row from an unchanged one.
	BaseNum, BaseDen string
	NumErr, DenErr   string
	OtherErr         string // a ratio or metric problem (API-style input)
	Points, New, Max scoring.Cents
	NewRatio         scoring.Cents
	NewHasRatio      bool
	Delta            present.Change
	Changed          bool
	Note             string // where the real counts come from, when it matters
}

// NumID and DenID are the inputs' ids; the error ids add "-err".
func (r whatIfRow) NumID() string { return "wi-n-" + r.Code }
func (r whatIfRow) DenID() string { return "wi-d-" + r.Code }

// whatIfResult compares the changed score with the real one.
type whatIfResult struct {
	HasData            bool
	BaseData, NewData  bool // as whatIfGroup's
	Total, New         scoring.Cents
	MaxTotal, NewMax   scoring.Cents
	Delta              present.Change
	Band, NewBand      bandView
	BandChanged        bool
	Rank, RankOf       int
	NewRank, NewRankOf int
	RankDelta          present.Change
	Changed            int
	Period             string
}

// newWhatIfPanel builds the panel for base in ps's period. in is what was
// typed (nil on the unit page: the real counts), w the engine's result (nil:
// the real score), errs the input's problems (the real score is shown).
func newWhatIfPanel(l i18n.Lang, ps *scoring.PeriodScores, base *scoring.UnitScore, in *scoring.WhatIfInput, w *scoring.WhatIf, errs scoring.InputErrors) whatIfPanel {
	code := base.Unit.Code
	p := whatIfPanel{Action: whatIfURL(code), API: "/api/v1/units/" + url.PathEscape(code) + "/whatif",
		Period: base.Period.String(), ResetURL: site.UnitURL(code, base.Period) + "#thu-tinh",
		Messages: whatIfScriptMessages(l), BandNames: "[]"}
	if w == nil {
		// The real counts: WhatIfScore with no change gives the engine's
		// score and the rank among the current peers.
		var err error
		if w, err = scoring.WhatIfScore(ps, code, nil); err != nil {
			w = &scoring.WhatIf{Base: base, Score: base}
		}
	}
	if s := base.Scheme; s != nil {
		codes := make([]string, 0, len(s.Bands))
		names := make([]string, 0, len(s.Bands))
		for _, b := range s.Bands {
			codes = append(codes, b.Code)
			names = append(names, present.Name(l, b.NameVI, b.NameEN))
		}
		p.BandCodes = strings.Join(codes, " ")
		if b, err := json.Marshal(names); err == nil {
			p.BandNames = string(b)
		}
	}
	changed := map[string]bool{}
	for _, c := range w.Changed {
		changed[c] = true
	}
	// The what-if works on our recomputation (the portal's published
	// figures do not move with hypothetical counts); a group the portal
	// published without counts has nothing to try and is left out.
	if base.Official {
		p.Official = true
		if o := newOfficialView(l, base); o != nil {
			p.OnlyGroups = o.Only
		}
	}
	if w.Base != nil {
		base = w.Base
	}
	known := map[string]bool{}
	for _, g := range base.Groups {
		if g.OfficialOnly {
			continue
		}
		ng := w.Score.Group(g.Group.Code)
		if ng == nil {
			ng = &g // the same scheme scores both: never the case
		}
		grp := whatIfGroup{Code: g.Group.Code, Name: present.Name(l, g.Group.NameVI, g.Group.NameEN), Score: g.Score, New: ng.Score, Max: ng.Max,
			BaseData: base.HasData, NewData: w.Score.HasData}
		grp.Delta = dataDelta(l, base.HasData, w.Score.HasData, ng.Score-g.Score)
		for _, m := range g.Metrics {
			if !m.Metric.Scored() {
				continue // informational metrics carry no points to try
			}
			known[m.Metric.Code] = true
			row := newWhatIfRow(l, m, w.Score.Metric(m.Metric.Code), in.Text(m.Metric.Code), errs.For(m.Metric.Code))
			row.Changed = changed[m.Metric.Code]
			grp.Changed = grp.Changed || row.Changed
			for _, id := range []struct{ id, msg, what string }{
				{row.NumID(), row.NumErr, l.T("col.num")}, {row.DenID(), row.DenErr, l.T("col.den")}, {row.NumID(), row.OtherErr, l.T("col.metric")},
			} {
				if id.msg != "" {
					p.Invalid = append(p.Invalid, whatIfInvalid{ID: id.id, Label: id.what + " — " + row.Name, Message: id.msg})
				}
			}
			grp.Rows = append(grp.Rows, row)
		}
		if len(grp.Rows) > 0 {
			p.Groups = append(p.Groups, grp)
		}
	}
	for _, e := range errs {
		if !known[e.Metric] {
			p.Errors = append(p.Errors, present.InputError(l, e))
		}
	}
	// "Có 2 + 1 lỗi": the fields' errors, then the others.
	if n := len(p.Invalid) + len(p.Errors); n == 1 {
		p.ErrorsTitle = l.T("wi.errors.title.one")
	} else if n > 1 {
		count := strconv.Itoa(len(p.Invalid))
		if len(p.Errors) > 0 {
			count += " + " + strconv.Itoa(len(p.Errors))
		}
		p.ErrorsTitle = l.T("wi.errors.title", count)
	}
	p.Result = newWhatIfResult(l, base, w)
	return p
}

func newWhatIfRow(l i18n.Lang, m scoring.MetricScore, hyp *scoring.MetricScore, typed *scoring.WhatIfText, errs []*scoring.InputError) whatIfRow {
	r := whatIfRow{Code: m.Metric.Code, Name: present.Name(l, m.Metric.NameVI, m.Metric.NameEN), Points: m.Points, Max: m.Max}
	if m.Counts.Valid {
		r.BaseNum, r.BaseDen = strconv.FormatInt(m.Counts.Num, 10), strconv.FormatInt(m.Counts.Den, 10)
	}
	r.NumText, r.DenText = r.BaseNum, r.BaseDen
	if typed != nil {
		// The input as typed, right or wrong: a person corrects it rather
		// than types it again.
		if typed.HasNum {
			r.NumText = typed.Num
		}
		if typed.HasDen {
			r.DenText = typed.Den
		}
	}
	for _, e := range errs {
		msg := present.InputError(l, e)
		switch e.Field {
		case "numerator":
			r.NumErr = joinMsg(r.NumErr, msg)
		case "denominator":
			r.DenErr = joinMsg(r.DenErr, msg)
		default:
			r.OtherErr = joinMsg(r.OtherErr, msg)
		}
	}
	if hyp == nil {
		hyp = &m
	}
	r.New, r.NewRatio, r.NewHasRatio = hyp.Points, hyp.Ratio, hyp.HasRatio
	if hyp.Max > r.Max {
		r.Max = hyp.Max // a left-out metric given counts is scored
	}
	r.Delta = deltaChange(l, hyp.Points-m.Points)
	switch {
	case m.Source == scoring.SourceProvince:
		r.Note = l.T("wi.note.province")
	case !m.Counts.Valid:
		r.Note = l.T("wi.note.nodata")
	case m.Counts.Den == 0:
		r.Note = l.T("wi.note.zero")
	}
	return r
}

func joinMsg(a, b string) string {
	if a == "" {
		return b
	}
	return a + " " + b
}

// dataDelta is deltaChange when both scores have data, else a dash: the
// points the no-data rules give a unit without data are no score to
// compare with (the API's delta is null then).
func dataDelta(l i18n.Lang, baseData, newData bool, d scoring.Cents) present.Change {
	if !baseData || !newData {
		return present.Change{Label: l.T("wi.delta.none")}
	}
	return deltaChange(l, d)
}

// deltaChange is a difference of points with ▲/▼, "=" when nothing moved,
// against the real score.
func deltaChange(l i18n.Lang, d scoring.Cents) present.Change {
	return wordedChange(l, d, "wi.delta")
}

// wordedChange is a change of points d with ▲/▼ and its reading for a
// screen reader: the messages key.up and key.down (given the points) and
// key.same say what it is measured against.
func wordedChange(l i18n.Lang, d scoring.Cents, key string) present.Change {
	c := present.ScoreChange(l, &d)
	switch {
	case d > 0:
		c.Label = l.T(key+".up", c.Text)
	case d < 0:
		c.Label = l.T(key+".down", c.Text)
	default:
		c.Label = l.T(key + ".same")
	}
	return c
}

// whatIfRankChange is a move of rank against the real one (positive: up).
func whatIfRankChange(l i18n.Lang, d int) present.Change {
	c := present.RankChange(l, &d)
	switch {
	case d == 1:
		c.Label = l.T("wi.rank.up.one")
	case d > 1:
		c.Label = l.T("wi.rank.up", d)
	case d == -1:
		c.Label = l.T("wi.rank.down.one")
	case d < -1:
		c.Label = l.T("wi.rank.down", -d)
	default:
		c.Label = l.T("wi.rank.same")
	}
	return c
}

func newWhatIfResult(l i18n.Lang, base *scoring.UnitScore, w *scoring.WhatIf) whatIfResult {
	hyp := w.Score
	r := whatIfResult{HasData: base.HasData || hyp.HasData, BaseData: base.HasData, NewData: hyp.HasData, Total: base.Total, New: hyp.Total,
		MaxTotal: base.MaxTotal, NewMax: hyp.MaxTotal, Delta: dataDelta(l, base.HasData, hyp.HasData, hyp.Total-base.Total),
		Band: newBandView(l, base.Scheme, base.Band), NewBand: newBandView(l, hyp.Scheme, hyp.Band),
		Rank: w.BaseRank, RankOf: w.BaseRankOf, NewRank: w.Rank, NewRankOf: w.RankOf,
		Changed: len(w.Changed), Period: present.Period(l, base.Period)}
	if (base.Band == nil) != (hyp.Band == nil) || (base.Band != nil && hyp.Band != nil && base.Band.Code != hyp.Band.Code) {
		r.BandChanged = true
	}
	if w.BaseRank > 0 && w.Rank > 0 {
		r.RankDelta = whatIfRankChange(l, w.BaseRank-w.Rank)
	} else {
		r.RankDelta = present.RankChange(l, nil)
	}
	return r
}

// whatIfPage is GET /units/{code}/whatif: the unit's what-if panel with
// the counts of the query applied.
type whatIfPage struct {
	site.Layout
	Unit   unitRef
	Kind   string
	Parent *unitRef
	Period periodView
	Panel  whatIfPanel
}

func (h *handler) whatIf(c *fiber.Ctx) error {
	e, err := h.loadEnv(c)
	if err != nil {
		return err
	}
	code := site.UnitCode(c)
	u, ok := e.eng.Unit(code)
	if !ok {
		return site.NotFound("err.unit.notfound.page")
	}
	v := whatIfPage{Unit: newUnitRef(u, e.period), Kind: present.KindOne(e.lang, u.Kind, e.period)}
	v.Layout = h.newLayout(e, e.lang.T("whatif.title")+": "+u.Name, "rankings", whatIfURL(u.Code), nil)
	if u.ParentCode != "" {
		if pu, ok := e.eng.Unit(u.ParentCode); ok {
			r := newUnitRef(pu, e.period)
			if pu.Kind == scoring.KindProvince {
				r.URL = site.ProvinceURL(pu.Code, e.period)
			}
			v.Parent = &r
		}
	}
	v.Period = newPeriodView(e.period, e, nil)
	if !v.Period.HasData {
		return h.Render(c, fiber.StatusOK, "whatif", &v)
	}
	ps, err := h.Scores.Period(c.UserContext(), e.period)
	if err != nil {
		return site.Internal(err)
	}
	base := ps.Unit(u.Code)
	if base == nil {
		return site.Internal(errors.New("handlers: what-if: unit missing from the period's scores"))
	}
	v.Period = newPeriodView(e.period, e, base)
	in, err := site.WhatIfQuery(c, false)
	if err != nil {
		return err
	}
	w, err := scoring.WhatIfScore(ps, u.Code, scoring.EffectiveOverrides(base, in.Overrides(ps.Scheme)))
	status := fiber.StatusOK
	var ie scoring.InputErrors
	switch {
	case errors.As(err, &ie):
		// The form is shown again as typed, every message next to its
		// field, with the real score beside it; 400 says the request was
		// not scored.
		status, w = fiber.StatusBadRequest, nil
	case errors.Is(err, scoring.ErrUnknownUnit):
		return site.NotFound("err.unit.notfound")
	case err != nil:
		return site.Internal(err)
	}
	v.Panel = newWhatIfPanel(e.lang, ps, base, in, w, ie)
	v.Panel.Submitted = true
	if len(v.Panel.Invalid)+len(v.Panel.Errors) > 0 {
		v.Layout.Title = site.Lang(c).T("whatif.error.title") + " — " + v.Layout.Title
	}
	return h.Render(c, status, "whatif", &v)
}
