package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"

	"github.com/gofiber/fiber/v2"

	"scorecard/handlers/site"
	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scoring"
)

// The what-if API scores hypothetical counts for one unit; nothing is
// stored.
//
//	POST /api/v1/units/{code}/whatif
//	Content-Type: application/json
//	{"period": "2024-04",
//	 "overrides": [{"metric": "ONLINE_SUBMISSION", "numerator": 120, "denominator": 300},
//	               {"metric": "ON_TIME_PROCESSING", "ratio": 95.5}]}
//
//	GET /api/v1/units/{code}/whatif?period=2024-04&n.ONLINE_SUBMISSION=120&d.ONLINE_SUBMISSION=300&r.ON_TIME_PROCESSING=95,5
//
// period is optional (the body's wins over ?period=; neither means the
// newest month with data). Each override changes one metric: numerator
// and denominator are whole numbers (the unit's own counts where left
// out), ratio a percentage with at most two decimals that sets the
// numerator to that share of the denominator (not with numerator). Values
// may be JSON numbers or strings as typed ("1.234" with vi-VN grouping,
// "95,5"). An override that gives the unit's real counts changes nothing
// (it is not listed in changed).
//
// 200 answers the shape of GET /api/v1/units/{code} for the changed counts
// (rank and rank_of among the unit's current peers, band, total_change and
// rank_change against the previous period), plus delta (the change of
// total; null when the real or the hypothetical score has no data, as its
// total is), changed (the metric codes whose counts changed) and base (the
// real total, band and rank). 400 answers {"error", "error_en", "fields":
// [{"metric", "field", "code", "message", "message_en"}]} for invalid
// input (every problem, each addressed to its field), or {"error"} for a
// malformed request; 404 an unknown unit; 413 a body over 64 KiB; 415 a body
// that is not JSON.

// whatIfBodyLimit bounds the POST body: a full scheme's overrides take
// about 3 KiB.
const whatIfBodyLimit = 64 << 10

type whatIfRequest struct {
	Period    string           `json:"period"`
	Overrides []whatIfOverride `json:"overrides"`
}

// whatIfOverride is one override as sent. Each value may be a JSON number
// or a string as a person typed it ("1.234" grouped the vi-VN way, "95,5"):
// whatif.js sends the inputs' text, and the server, not the browser,
// explains what is wrong with it.
type whatIfOverride struct {
	Metric string          `json:"metric"`
	Num    json.RawMessage `json:"numerator"`
	Den    json.RawMessage `json:"denominator"`
	Ratio  json.RawMessage `json:"ratio"`
}

// override reads the values with scoring.OverrideFromText. A count sent as
// a JSON number with a fraction or an exponent (12.5, 1e3) is refused here:
// as text "1.234" would read as the vi-VN 1234.
func (o whatIfOverride) override() (scoring.Override, scoring.InputErrors) {
	var errs scoring.InputErrors
	count := func(field string, raw json.RawMessage) string {
		t, isNum := rawText(raw)
		if isNum && strings.ContainsAny(t, ".eE") {
			errs = append(errs, &scoring.InputError{Metric: strings.TrimSpace(o.Metric), Field: field, Code: scoring.ErrCodeNotANumber})
			return ""
		}
		return t
	}
	num := count("numerator", o.Num)
	den := count("denominator", o.Den)
	ratio, _ := rawText(o.Ratio)
	return scoring.OverrideFromText(o.Metric, num, den, ratio), errs
}

// rawText is a JSON value as text: a string's content, a number's literal
// (isNum), "" for null or absent; anything else as written, which the
// readers then refuse with a message.
func rawText(r json.RawMessage) (text string, isNum bool) {
	t := bytes.TrimSpace(r)
	switch {
	case len(t) == 0 || string(t) == "null":
		return "", false
	case t[0] == '"':
		var s string
		if err := json.Unmarshal(t, &s); err == nil {
			return s, false
		}
	case t[0] == '-' || (t[0] >= '0' && t[0] <= '9'):
		return string(t), true
	}
	return string(t), false
}

type apiWhatIf struct {
	apiUnitScores
	// Delta is null unless both the real and the hypothetical scores have
	// data: against a total that is null (the no-data rules' points are no
	// score) there is no change to give.
	Delta   *scoring.Cents `json:"delta"`
	Changed []string       `json:"changed"`
	Base    apiWhatIfBase  `json:"base"`
}

type apiWhatIfBase struct {
	Total    *scoring.Cents `json:"total"` // null when the unit has no data
	MaxTotal scoring.Cents  `json:"max_total"`
	Band     *string        `json:"band"`
	BandCode *string        `json:"band_code"`
	Rank     *int           `json:"rank"`
	RankOf   int            `json:"rank_of"`
}

type apiWhatIfError struct {
	Error   string          `json:"error"`
	ErrorEN string          `json:"error_en"`
	Fields  []apiFieldError `json:"fields"`
}

// apiFieldError is one problem of the input, addressed to its field.
type apiFieldError struct {
	Metric    string `json:"metric"`
	Field     string `json:"field"`
	Code      string `json:"code"`
	Message   string `json:"message"`
	MessageEN string `json:"message_en"`
}

// whatIfErrors words every problem of the input, in both languages (the API
// is not translated).
func whatIfErrors(ie scoring.InputErrors) apiWhatIfError {
	// English counts "1 problem" but "2 problems": the one form has its own
	// message.
	msg := func(l i18n.Lang) string {
		if len(ie) == 1 {
			return l.T("err.whatif.input.one", present.InputError(l, ie[0]))
		}
		return l.T("err.whatif.input", len(ie), present.InputError(l, ie[0]))
	}
	out := apiWhatIfError{Error: msg(i18n.VI), ErrorEN: msg(i18n.EN)}
	for _, e := range ie {
		out.Fields = append(out.Fields, apiFieldError{Metric: e.Metric, Field: e.Field, Code: e.Code,
			Message: present.InputError(i18n.VI, e), MessageEN: present.InputError(i18n.EN, e)})
	}
	return out
}

func (h *API) WhatIf(c *fiber.Ctx) error {
	code := site.UnitCode(c)
	eng, err := h.Engine(c)
	if err != nil {
		return err
	}
	u, ok := eng.Unit(code)
	if !ok {
		return site.NotFound("err.api.unit.notfound", site.Echo(code))
	}
	var (
		periodText string
		overrides  []scoring.Override
		in         *scoring.WhatIfInput
		pre        scoring.InputErrors // problems found while reading the body
	)
	if c.Method() == fiber.MethodPost {
		req, err := decodeWhatIf(c)
		if err != nil {
			return err
		}
		if len(req.Overrides) > scoring.MaxWhatIfMetrics {
			return site.ErrTooManyMetrics
		}
		periodText = req.Period
		for _, o := range req.Overrides {
			ov, errs := o.override()
			overrides = append(overrides, ov)
			pre = append(pre, errs...)
		}
	} else if in, err = site.WhatIfQuery(c, true); err != nil {
		return err
	}
	var p scoring.Period
	if periodText != "" {
		if p, err = scoring.ParsePeriod(periodText); err != nil {
			return site.BadRequest("err.whatif.period", site.Echo(periodText))
		}
	} else if p, err = apiPeriod(c, eng); err != nil {
		return err
	}
	ps, err := h.PeriodScores(c, p)
	if err != nil {
		return err
	}
	base := ps.Unit(code)
	if base == nil {
		return site.Internal(fmt.Errorf("handlers: what-if: unit %s missing from the scores of %s", code, p))
	}
	if in != nil {
		overrides = in.Overrides(ps.Scheme)
	}
	w, err := scoring.WhatIfScore(ps, code, scoring.EffectiveOverrides(base, overrides))
	var ie scoring.InputErrors
	if errors.As(err, &ie) || len(pre) > 0 {
		ie = append(pre, ie...)
	}
	switch {
	case len(ie) > 0:
		return site.WriteJSON(c, fiber.StatusBadRequest, whatIfErrors(ie))
	case errors.Is(err, scoring.ErrUnknownUnit):
		return site.NotFound("err.unit.unknown")
	case err != nil:
		return site.Internal(err)
	}
	prev, err := h.PeriodScores(c, p.Prev())
	if err != nil {
		return err
	}
	province := eng.ProvinceOf(code)
	// Changes against the previous period, as the rankings compute them:
	// only for a unit ranked in both periods.
	var tc *scoring.Cents
	var rc *int
	if r := prev.RankOf(code, nil); w.Rank > 0 && r != nil && r.Rank > 0 {
		d, dr := w.Score.Total-r.Total, r.Rank-w.Rank
		tc, rc = &d, &dr
	}
	out := apiWhatIf{apiUnitScores: unitScoresJSON(u, province, w.Score, w.Rank, w.RankOf, tc, rc),
		Delta: dataScore(w.Base.HasData && w.Score.HasData, w.Delta), Changed: w.Changed}
	if out.Changed == nil {
		out.Changed = []string{}
	}
	// The base is what the what-if changed: our recomputation.
	out.Base = apiWhatIfBase{Total: dataScore(w.Base.HasData, w.Base.Total), MaxTotal: w.Base.MaxTotal, Rank: rankPtr(w.BaseRank), RankOf: w.BaseRankOf}
	out.Base.Band, out.Base.BandCode = bandNames(w.Base.Band)
	return site.WriteJSON(c, fiber.StatusOK, out)
}

// decodeWhatIf reads the POST body: JSON only, at most whatIfBodyLimit
// bytes, no compression (a small compressed body could expand into a huge
// one), no unknown fields, nothing after the object.
func decodeWhatIf(c *fiber.Ctx) (whatIfRequest, error) {
	var req whatIfRequest
	tooLarge := &site.Error{Status: fiber.StatusRequestEntityTooLarge, Key: "err.whatif.toolarge", Args: []any{whatIfBodyLimit >> 10}}
	if c.Request().Header.ContentLength() > whatIfBodyLimit {
		return req, tooLarge
	}
	if enc := strings.TrimSpace(c.Get(fiber.HeaderContentEncoding)); enc != "" && !strings.EqualFold(enc, "identity") {
		return req, &site.Error{Status: fiber.StatusUnsupportedMediaType, Key: "err.whatif.compressed"}
	}
	if mt, _, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType)); err != nil || mt != fiber.MIMEApplicationJSON {
		return req, &site.Error{Status: fiber.StatusUnsupportedMediaType, Key: "err.whatif.json"}
	}
	// The raw body: Ctx.Body would inflate a compressed one.
	body := c.Request().Body()
	if len(body) > whatIfBodyLimit {
		return req, tooLarge
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return req, nil // no changes: the unit's real score
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	malformed := func(err error) error {
		he := site.BadRequest("err.whatif.malformed")
		he.Err = err
		return he
	}
	if err := dec.Decode(&req); err != nil {
		return req, malformed(err)
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return req, malformed(errors.New("handlers: what-if: data after the JSON object"))
	}
	return req, nil
}

// unitScoresJSON is the body of GET /api/v1/units/{code} for one unit
// score with its rank and changes (what apiUnit writes).
func unitScoresJSON(u scoring.Unit, province string, us *scoring.UnitScore, rank, rankOf int, tc *scoring.Cents, rc *int) apiUnitScores {
	band, bandCode := bandNames(us.Band)
	out := apiUnitScores{
		Unit: apiUnitInfo{Code: u.Code, Name: u.Name, Kind: u.Kind,
			ParentCode: nullable(u.ParentCode), ProvinceCode: nullable(province)},
		Period: us.Period.String(), Total: dataScore(us.HasData, us.Total), MaxTotal: us.MaxTotal, Band: band,
		Rank: rankPtr(rank), RankOf: rankOf,
		Groups:     make([]apiUnitGroup, 0, len(us.Groups)),
		PeriodKind: string(us.Period.Kind), PeriodLabel: present.Period(i18n.VI, us.Period), BandCode: bandCode,
		TotalChange: tc, RankChange: rc,
		HasData: us.HasData, Missing: us.Missing, Provisional: us.Provisional,
		MonthsCovered: us.MonthsCovered,
	}
	if us.Scheme != nil {
		out.Scheme = us.Scheme.ID
	}
	for _, g := range us.Groups {
		ag := apiUnitGroup{Code: g.Group.Code, Name: g.Group.NameVI, NameEN: g.Group.NameEN,
			Score: dataScore(us.HasData, g.Score), Max: g.Max, Metrics: make([]apiUnitMetric, 0, len(g.Metrics)),
			Official: g.Official, OfficialOnly: g.OfficialOnly}
		for _, m := range g.Metrics {
			ag.Metrics = append(ag.Metrics, unitMetric(m))
		}
		out.Groups = append(out.Groups, ag)
	}
	return out
}
