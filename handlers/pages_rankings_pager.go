package handlers

import (
	"strconv"

	"scorecard/handlers/site"
	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scoring"
)

// A ranking is shown a page at a time: the country's 3 400 communes in one
// table were a page of 2 MB that a phone could barely open, while a page
// of a hundred is ~70 KB. A province's ranking mostly fits one page; the
// downloads (CSV, XLSX) always hold the whole ranking.

// rankPageSize is how many units one page of a ranking lists.
const rankPageSize = 100

// rankPager is the navigation between the pages of a ranking.
type rankPager struct {
	Page, Pages int
	// Rows says which rows the page shows, of how many ("101–200 / 3.400").
	Rows string
	// First, Prev, Next and Last link the neighbouring pages; "" on the
	// page itself.
	First, Prev, Next, Last string
	// Keep is the query the "go to page" form carries unchanged.
	Keep []site.Hidden
}

// parseRankPage reads ?page=: a whole number from 1; absent is 1.
func parseRankPage(q string) (int, error) {
	if q == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(q)
	if err != nil || n < 1 {
		return 0, site.BadRequest("err.rankings.page")
	}
	return n, nil
}

// pageRows cuts the ranked rows and those without data (which follow them)
// to page n of the whole list. A page beyond the last shows the last, with
// a notice saying so: a link kept from a longer ranking still lands on
// the table. link is the URL of a page.
func pageRows[T any](l i18n.Lang, rows, noData []T, n int, link func(int) string) (r, nd []T, pg *rankPager, notice string) {
	total := len(rows) + len(noData)
	pages := (total + rankPageSize - 1) / rankPageSize
	if pages <= 1 {
		if n > 1 {
			notice = l.TN(1, "rankings.page.clamped", present.Int(l, int64(n)), present.Int(l, 1))
		}
		return rows, noData, nil, notice
	}
	if n > pages {
		notice = l.TN(pages, "rankings.page.clamped", present.Int(l, int64(n)), present.Int(l, int64(pages)))
		n = pages
	}
	from, to := (n-1)*rankPageSize, min(n*rankPageSize, total)
	pick := func(list []T, offset int) []T {
		a, b := max(from-offset, 0), min(to-offset, len(list))
		if a >= b {
			return nil
		}
		return list[a:b]
	}
	pg = &rankPager{Page: n, Pages: pages,
		Rows: l.T("rankings.page.rows", present.Int(l, int64(from+1)), present.Int(l, int64(to)), present.Int(l, int64(total)))}
	if n > 1 {
		pg.First, pg.Prev = link(1), link(n-1)
	}
	if n < pages {
		pg.Next, pg.Last = link(n+1), link(pages)
	}
	return pick(rows, 0), pick(noData, len(rows)), pg, notice
}

// provinceOptions are the provinces of period p to narrow a national
// ranking to, as a Vietnamese reader looks them up (sortProvinces); nil
// when there is only one.
func provinceOptions(eng *scoring.Engine, p scoring.Period, chosen string) []site.Option {
	ps := eng.ProvincesIn(p)
	if len(ps) < 2 {
		return nil
	}
	out := make([]site.Option, 0, len(ps))
	for _, u := range sortProvinces(ps) {
		out = append(out, site.Option{Value: u.Code, Label: u.Name, Selected: u.Code == chosen})
	}
	return out
}
