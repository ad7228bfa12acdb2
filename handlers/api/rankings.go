package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"scorecard/handlers/site"
	"scorecard/scoring"
)

// apiRankingRow is one unit of a ranking. The fields of docs/api.md come
// first; the rest are extras (rank_of, band_code, months_covered…).
type apiRankingRow struct {
	Rank          *int             `json:"rank"`
	UnitCode      string           `json:"unit_code"`
	UnitName      string           `json:"unit_name"`
	Total         scoring.Cents    `json:"total"`
	MaxTotal      scoring.Cents    `json:"max_total"`
	Band          *string          `json:"band"`
	Groups        groupScores      `json:"groups"`
	TotalChange   *scoring.Cents   `json:"total_change"`
	RankChange    *int             `json:"rank_change"`
	HasData       bool             `json:"has_data"`
	Missing       int              `json:"missing"`
	Provisional   bool             `json:"provisional"`
	RankOf        int              `json:"rank_of"`
	BandCode      *string          `json:"band_code"`
	UnitKind      scoring.UnitKind `json:"unit_kind"`
	ProvinceCode  string           `json:"province_code"`
	Period        string           `json:"period"`
	MonthsCovered int              `json:"months_covered"`
	// OfficialRank and OfficialRankOf are the rank the national portal
	// published for the unit in the period, among every province of the
	// country ("7/34"); null when no published result was imported. Rank
	// and RankOf stay the rank among the units this database holds.
	OfficialRank   *int `json:"official_rank"`
	OfficialRankOf *int `json:"official_rank_of"`
}

// groupScores writes a unit's group scores as one JSON object in scheme
// order ({"CKMB":11.79,"TDGQ":19.97,…}); a Go map would sort the keys.
type groupScores []scoring.GroupScore

func (g groupScores) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, gs := range g {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(gs.Group.Code)
		if err != nil {
			return nil, fmt.Errorf("handlers: group code: %w", err)
		}
		b.Write(k)
		b.WriteByte(':')
		b.WriteString(gs.Score.String())
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// kindNames is the list of unit kinds for error messages.
func kindNames() string {
	names := make([]string, 0, len(scoring.UnitKinds))
	for _, k := range scoring.UnitKinds {
		names = append(names, string(k))
	}
	return strings.Join(names, ", ")
}

// apiRankings answers GET /api/v1/rankings?period=P&kind=K[&province=CODE].
//
// kind defaults to agency when absent: the provincial office this product
// serves ranks its agencies first, and docs/api.md's examples always give it.
// When no unit of the list has data in P the answer is [] (docs/api.md: "a
// well-formed period without data gives an empty list"), rather than every
// unit with rank null: after the districts were abolished in 07/2025, a
// district ranking would otherwise list them all, unranked, for ever.
func (h *API) Rankings(c *fiber.Ctx) error {
	kind := scoring.KindAgency
	if k := c.Query("kind"); k != "" {
		kind = scoring.UnitKind(k)
		if !kind.Valid() {
			return site.BadRequest("err.api.kind", site.Echo(k), kindNames())
		}
	}
	e, err := h.Engine(c)
	if err != nil {
		return err
	}
	p, err := apiPeriod(c, e)
	if err != nil {
		return err
	}
	province := c.Query("province")
	if province != "" {
		u, ok := e.Unit(province)
		if !ok {
			return site.NotFound("err.api.province.notfound", site.Echo(province))
		}
		if u.Kind != scoring.KindProvince {
			return site.BadRequest("err.api.province.kind", site.Echo(province), u.Name, string(u.Kind))
		}
	}
	// A ranking reads each unit's row (its standings), not its metrics; the
	// changes since the period before, that period's; a period before
	// without data has none to compare with.
	ps, err := h.Standings(c, p)
	if err != nil {
		return err
	}
	prev, err := h.prevStandings(c, e, p)
	if err != nil {
		return err
	}
	pg, err := parsePaging(c)
	if err != nil {
		return err
	}
	ranked := ps.Ranking(kind, province, prev)
	c.Set("X-Scorecard-Period", p.String())
	site.MarkDraft(c, p) // a draft shown to staff says so
	official, err := h.OfficialRanks(c, p)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(ranked, func(r scoring.Ranked) bool { return r.Rank > 0 }) {
		ranked = ranked[:0]
	}
	// The rows of the page answered only are made (the country's 3 400
	// communes, a page of 100).
	ranked = cut(pg, c, p.String(), ranked)
	out := make([]apiRankingRow, 0, len(ranked))
	for _, r := range ranked {
		row := rankingRow(r)
		if o, ok := official[r.Unit.Code]; ok {
			row.OfficialRank, row.OfficialRankOf = &o.Rank, &o.RankOf
		}
		out = append(out, row)
	}
	return site.WriteJSON(c, fiber.StatusOK, out)
}

func rankingRow(r scoring.Ranked) apiRankingRow {
	band, bandCode := bandNames(r.Band)
	return apiRankingRow{Rank: rankPtr(r.Rank), UnitCode: r.Unit.Code, UnitName: r.Unit.Name,
		Total: r.Total, MaxTotal: r.MaxTotal, Band: band, Groups: groupScores(r.Groups),
		TotalChange: r.TotalChange, RankChange: r.RankChange, HasData: r.HasData, Missing: r.Missing,
		Provisional: r.Provisional, RankOf: r.RankOf, BandCode: bandCode, UnitKind: r.Unit.Kind,
		ProvinceCode: r.Province, Period: r.Period.String(), MonthsCovered: r.MonthsCovered}
}

// Paging of a ranking: without page and per_page the answer is the whole
// list, as docs/api.md has always promised; either one asks for one page
// of it (the country's 3 400 communes are 1,4 MB of JSON at once).
const (
	perPageDefault = 100
	perPageMax     = 1000
)

// paging is a parsed ?page=&per_page=; on is false when neither was given.
type paging struct {
	on            bool
	page, perPage int
}

func parsePaging(c *fiber.Ctx) (paging, error) {
	p := paging{page: 1, perPage: perPageDefault}
	if q := c.Query("page"); q != "" {
		n, err := strconv.Atoi(q)
		if err != nil || n < 1 {
			return p, site.BadRequest("err.api.page", site.Echo(q))
		}
		p.on, p.page = true, n
	}
	if q := c.Query("per_page"); q != "" {
		n, err := strconv.Atoi(q)
		if err != nil || n < 1 || n > perPageMax {
			return p, site.BadRequest("err.api.perpage", site.Echo(q), perPageMax)
		}
		p.on, p.perPage = true, n
	}
	return p, nil
}

// cut answers X-Total-Count (the whole list's length) always and, when
// paged, returns the page asked for with Link headers to the first,
// previous, next and last pages, of the period answered. A page beyond the last is an empty list:
// X-Total-Count says how many there are.
func cut[T any](p paging, c *fiber.Ctx, period string, rows []T) []T {
	total := len(rows)
	c.Set("X-Total-Count", strconv.Itoa(total))
	if !p.on {
		return rows
	}
	pages := max((total+p.perPage-1)/p.perPage, 1)
	link := func(n int, rel string) string {
		q := url.Values{}
		c.Context().QueryArgs().VisitAll(func(k, v []byte) { q.Add(string(k), string(v)) })
		// The links keep to the period answered, even when a newer one
		// is published between two pages.
		q.Set("period", period)
		q.Set("page", strconv.Itoa(n))
		q.Set("per_page", strconv.Itoa(p.perPage))
		return "<" + string(c.Request().URI().Path()) + "?" + q.Encode() + `>; rel="` + rel + `"`
	}
	links := []string{link(1, "first")}
	if p.page > 1 && p.page <= pages {
		links = append(links, link(p.page-1, "prev"))
	}
	if p.page < pages {
		links = append(links, link(p.page+1, "next"))
	}
	links = append(links, link(pages, "last"))
	c.Set(fiber.HeaderLink, strings.Join(links, ", "))
	if p.page > pages {
		return rows[:0]
	}
	from := (p.page - 1) * p.perPage
	return rows[min(from, total):min(from+p.perPage, total)]
}
