package api

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"scorecard/handlers/site"
	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scoring"
)

// apiUnitScores is GET /api/v1/units/{code}: the shape of docs/api.md, then
// extras (band_code, total_change, has_data, provisional, scheme…).
type apiUnitScores struct {
	Unit   apiUnitInfo `json:"unit"`
	Period string      `json:"period"`
	// Total is a pointer for the what-if, which answers null for a unit
	// without data; GET /api/v1/units keeps the number the scoring rules
	// give (clients of the published shape read a number there) and says
	// with has_data and a null rank that it is no ranked score.
	Total         *scoring.Cents `json:"total"`
	MaxTotal      scoring.Cents  `json:"max_total"`
	Band          *string        `json:"band"`
	Rank          *int           `json:"rank"`
	RankOf        int            `json:"rank_of"`
	Groups        []apiUnitGroup `json:"groups"`
	PeriodKind    string         `json:"period_kind"`
	PeriodLabel   string         `json:"period_label"`
	BandCode      *string        `json:"band_code"`
	TotalChange   *scoring.Cents `json:"total_change"`
	RankChange    *int           `json:"rank_change"`
	HasData       bool           `json:"has_data"`
	Missing       int            `json:"missing"`
	Provisional   bool           `json:"provisional"`
	MonthsCovered int            `json:"months_covered"`
	Scheme        string         `json:"scheme"`
	// Official: figures of the unit are the portal's published ones
	// (groups and metrics say which).
	Official bool `json:"official"`
	// Unpublished: the period has figures that are not published yet
	// (a draft): none is shown, as for a period without data.
	Unpublished bool `json:"unpublished"`
	// OfficialRank and OfficialRankOf: the national rank the portal
	// published for the unit in the period (as in the rankings); null
	// when not imported. Rank and RankOf are among the units held.
	OfficialRank   *int `json:"official_rank"`
	OfficialRankOf *int `json:"official_rank_of"`
}

type apiUnitInfo struct {
	Code         string           `json:"code"`
	Name         string           `json:"name"`
	Kind         scoring.UnitKind `json:"kind"`
	ParentCode   *string          `json:"parent_code"`
	ProvinceCode *string          `json:"province_code"`
}

type apiUnitGroup struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
	// Score is null in the what-if for a unit without data, as its total.
	Score   *scoring.Cents  `json:"score"`
	Max     scoring.Cents   `json:"max"`
	Metrics []apiUnitMetric `json:"metrics"`
	// Official: the score is the portal's published one; OfficialOnly: it
	// was published without counts ("theo Cổng DVCQG, không có số liệu
	// chi tiết").
	Official     bool `json:"official"`
	OfficialOnly bool `json:"official_only"`
}

// apiUnitMetric is one metric. numerator and denominator are null when
// there are no counts; ratio also when the denominator is 0. threshold is a
// percentage (80.00), null unless the rule is threshold. derived says how
// derived counts were obtained (dossiers, months, pool); months/months_of
// how many months of the period had counts when derived from months.
type apiUnitMetric struct {
	Code        string         `json:"code"`
	Name        string         `json:"name"`
	NameEN      string         `json:"name_en"`
	Numerator   *int64         `json:"numerator"`
	Denominator *int64         `json:"denominator"`
	Ratio       *scoring.Cents `json:"ratio"`
	Points      scoring.Cents  `json:"points"`
	Max         scoring.Cents  `json:"max"`
	Rule        scoring.Rule   `json:"rule"`
	Source      scoring.Source `json:"source"`
	Threshold   *scoring.Cents `json:"threshold"`
	Scored      bool           `json:"scored"`
	NoData      bool           `json:"no_data"`
	NoDataRule  scoring.NoData `json:"no_data_rule"`
	Level       scoring.Level  `json:"level"`
	Derived     *string        `json:"derived"`
	Months      *int           `json:"months"`
	MonthsOf    *int           `json:"months_of"`
	// Official: the points are the portal's published ones.
	Official bool `json:"official"`
}

// apiUnit answers GET /api/v1/units/{code}?period=P. The rank is the one
// the unit has among the units of its kind in its province (provinces among
// all provinces), as on the rankings page.
func (h *API) Unit(c *fiber.Ctx) error {
	code := site.UnitCode(c)
	e, err := h.Engine(c)
	if err != nil {
		return err
	}
	u, ok := e.Unit(code)
	if !ok {
		return site.NotFound("err.api.unit.notfound", site.Echo(code))
	}
	p, err := apiPeriod(c, e)
	if err != nil {
		return err
	}
	site.MarkDraft(c, p) // a draft shown to staff says so
	// The unit's whole scores among the period's standings (its rank needs
	// the others' totals, not their metrics); the period before as
	// standings, when the visitor may see it (a draft has nothing to
	// compare with), as on the unit's page.
	ps, err := h.StandingsWith(c, p, code)
	if err != nil {
		return err
	}
	us := ps.Unit(code)
	if us == nil {
		return site.Internal(fmt.Errorf("handlers: unit %s missing from the scores of %s", code, p))
	}
	prev, err := h.prevStandings(c, e, p)
	if err != nil {
		return err
	}
	province := e.ProvinceOf(code)
	row := ps.RankOf(code, prev)

	band, bandCode := bandNames(us.Band)
	out := apiUnitScores{
		Unit: apiUnitInfo{Code: u.Code, Name: u.Name, Kind: u.Kind,
			ParentCode: nullable(u.ParentCode), ProvinceCode: nullable(province)},
		Period: p.String(), Total: &us.Total, MaxTotal: us.MaxTotal, Band: band,
		Groups:     make([]apiUnitGroup, 0, len(us.Groups)),
		PeriodKind: string(p.Kind), PeriodLabel: present.Period(i18n.VI, p), BandCode: bandCode,
		HasData: us.HasData, Missing: us.Missing, Provisional: us.Provisional,
		MonthsCovered: us.MonthsCovered, Official: us.Official, Unpublished: site.MarkedUnpublished(c),
	}
	if us.Scheme != nil {
		out.Scheme = us.Scheme.ID
	}
	if row != nil {
		out.Rank, out.RankOf = rankPtr(row.Rank), row.RankOf
		out.TotalChange, out.RankChange = row.TotalChange, row.RankChange
	}
	if !out.Unpublished {
		official, err := h.OfficialRanks(c, p)
		if err != nil {
			return err
		}
		if o, ok := official[code]; ok {
			out.OfficialRank, out.OfficialRankOf = &o.Rank, &o.RankOf
		}
	}
	for _, g := range us.Groups {
		ag := apiUnitGroup{Code: g.Group.Code, Name: g.Group.NameVI, NameEN: g.Group.NameEN,
			Score: &g.Score, Max: g.Max, Metrics: make([]apiUnitMetric, 0, len(g.Metrics)),
			Official: g.Official, OfficialOnly: g.OfficialOnly}
		for _, m := range g.Metrics {
			ag.Metrics = append(ag.Metrics, unitMetric(m))
		}
		out.Groups = append(out.Groups, ag)
	}
	return site.WriteJSON(c, fiber.StatusOK, out)
}

func unitMetric(m scoring.MetricScore) apiUnitMetric {
	out := apiUnitMetric{Code: m.Metric.Code, Name: m.Metric.NameVI, NameEN: m.Metric.NameEN,
		Points: m.Points, Max: m.Max, Rule: m.Metric.Rule, Source: m.Source,
		Threshold: threshold(m.Metric), Scored: m.Scored, NoData: m.NoData,
		NoDataRule: m.Metric.NoData, Level: m.Metric.Level, Official: m.Official}
	if m.Counts.Valid {
		n, d := m.Counts.Num, m.Counts.Den
		out.Numerator, out.Denominator = &n, &d
	}
	if m.HasRatio {
		r := m.Ratio
		out.Ratio = &r
	}
	if m.Derived != scoring.DerivedNone {
		d := string(m.Derived)
		out.Derived = &d
	}
	if m.Derived == scoring.DerivedMonths {
		n, of := m.Months, m.MonthsOf
		out.Months, out.MonthsOf = &n, &of
	}
	return out
}

// dataScore is a score of a unit with data, null without: what the
// no-data rules ("full") and its province's figures give a unit is
// nothing to compare a tried score with (the what-if answers null).
func dataScore(hasData bool, c scoring.Cents) *scoring.Cents {
	if !hasData {
		return nil
	}
	return &c
}

// nullable is null for an empty string (a province has no parent).
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
