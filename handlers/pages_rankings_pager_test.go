package handlers

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"scorecard/scoring"
)

// countryFixture is three provinces after the 2025 reorganisation (no
// districts), each with 45 agencies and 85 communes, counts for 2026-09 and
// 2026-10; five communes of each province have no counts at all, so the
// country's commune ranking is 240 ranked and 15 without data: three
// pages of 100, the last mixing both. Agencies: 135, two pages.
func countryFixture() *scoring.Dataset {
	ds := &scoring.Dataset{Own: map[scoring.Key]scoring.Counts{}}
	perUnit := []string{"ON_TIME_PROCESSING", "DOSSIER_SYNC", "ONLINE_SUBMISSION", "ONLINE_PAYMENT_DOSSIERS",
		"ORIGINAL_RESULT_AVAILABLE", "DOSSIER_RECEIVING_SATISFACTION"}
	for pi, p := range []struct{ code, name string }{{"AA", "Tỉnh An Phú"}, {"BB", "Tỉnh Bình Hòa"}, {"CC", "Thành phố Cẩm Giang"}} {
		ds.Units = append(ds.Units, scoring.Unit{Code: p.code, Name: p.name, Kind: scoring.KindProvince})
		var scored []string
		for i := 1; i <= 45; i++ {
			code := fmt.Sprintf("%s.S%02d", p.code, i)
			ds.Units = append(ds.Units, scoring.Unit{Code: code, Name: fmt.Sprintf("Sở số %d", i), Kind: scoring.KindAgency, ParentCode: p.code})
			scored = append(scored, code)
		}
		for i := 1; i <= 85; i++ {
			code := fmt.Sprintf("%s.X%03d", p.code, i)
			// The same commune names in every province, as the
			// country has many: the national ranking names the province.
			ds.Units = append(ds.Units, scoring.Unit{Code: code, Name: fmt.Sprintf("Xã Số %d", i), Kind: scoring.KindCommune, ParentCode: p.code})
			if i <= 80 {
				scored = append(scored, code)
			}
		}
		for mi, m := range []string{"2026-09", "2026-10"} {
			ds.Own[scoring.Key{Period: m, Unit: p.code, Metric: "PUBLISH_ON_TIME"}] = scoring.C(int64(40+pi), 50)
			for ui, u := range scored {
				for ki, metric := range perUnit {
					d := int64(100 + ui + ki)
					n := d * int64(30+((ui*7+pi*13+mi*(ui+3)+ki*11)%70)) / 100
					ds.Own[scoring.Key{Period: m, Unit: u, Metric: metric}] = scoring.C(n, d)
				}
			}
		}
	}
	return ds
}

// rowUnits lists the unit codes of a ranking page's rows, in order.
var rowUnitRE = regexp.MustCompile(`<th scope="row" class="sticky"><a href="/units/([^"?]+)`)

func rowUnits(body string) []string {
	var out []string
	for _, m := range rowUnitRE.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// The country's commune ranking is a page of 100 at a time, in ranking
// order across the pages, each row naming its province; a province chosen
// narrows it to that province's ranks on one page; a page past the last
// shows the last with a notice; a page number that is not one is refused
// with a message.
func TestRankingsPaged(t *testing.T) {
	app, svc := newPageApp(t, pageSource{ds: countryFixture()})
	ps := mustScores(t, svc, "2026-10")
	prev := mustScores(t, svc, "2026-09")
	var want []string
	for _, r := range ps.Ranking(scoring.KindCommune, "", prev) {
		want = append(want, r.Unit.Code)
	}
	if len(want) != 255 {
		t.Fatalf("fixture: %d communes, want 255", len(want))
	}
	base := "/rankings?kind=commune&period=2026-10"
	pages := map[int]string{}
	for n, tc := range map[int]struct {
		from, to      int
		first, last   bool
		noData        int
		caption, rows string
	}{
		1: {0, 100, true, false, 0, "Trang 1/3", "dòng 1–100 trong 255"},
		2: {100, 200, false, false, 0, "Trang 2/3", "dòng 101–200 trong 255"},
		3: {200, 255, false, true, 15, "Trang 3/3", "dòng 201–255 trong 255"},
	} {
		path := base
		if n > 1 {
			path += fmt.Sprintf("&page=%d", n)
		}
		st, _, body := get(t, app, path)
		if st != 200 {
			t.Fatalf("%s: status %d", path, st)
		}
		pages[n] = body
		if got := rowUnits(body); strings.Join(got, " ") != strings.Join(want[tc.from:tc.to], " ") {
			t.Errorf("%s lists %d units %v…, want the ranking's %d–%d", path, len(got), got[:min(3, len(got))], tc.from+1, tc.to)
		}
		if got := strings.Count(body, `class="row-nodata"`); got != tc.noData {
			t.Errorf("%s: %d rows without data, want %d", path, got, tc.noData)
		}
		if !strings.Contains(body, "240 đơn vị có dữ liệu, 15 đơn vị chưa có dữ liệu; "+tc.caption+", "+tc.rows) {
			t.Errorf("%s: the caption does not say %q of the whole ranking", path, tc.caption)
		}
		if got := strings.Contains(body, `rel="prev"`); got == tc.first {
			t.Errorf("%s: a link to the previous page: %v", path, got)
		}
		if got := strings.Contains(body, `rel="next"`); got == tc.last {
			t.Errorf("%s: a link to the next page: %v", path, got)
		}
		if !strings.Contains(body, `<span class="unit-province">Tỉnh Bình Hòa</span>`) {
			t.Errorf("%s: the rows do not name their province", path)
		}
		if len(body) > 300_000 {
			t.Errorf("%s is %d bytes", path, len(body))
		}
	}
	if !strings.Contains(pages[2], `href="/rankings?kind=commune&amp;page=3&amp;period=2026-10" rel="next"`) ||
		!strings.Contains(pages[2], `href="/rankings?kind=commune&amp;period=2026-10" rel="prev"`) {
		t.Errorf("page 2 does not link pages 1 and 3 of the same ranking")
	}
	// The province to choose, the country's ranking being the default.
	if !strings.Contains(pages[1], `<option value="">Cả nước</option>`) || !strings.Contains(pages[1], `<option value="BB">Tỉnh Bình Hòa</option>`) {
		t.Errorf("the country's ranking offers no choice of province")
	}

	// Past the last page: the last, said so.
	st, _, body := get(t, app, base+"&page=9")
	if st != 200 || !strings.Contains(body, "Không có trang 9: bảng xếp hạng này có 3 trang. Dưới đây là trang cuối.") ||
		strings.Join(rowUnits(body), " ") != strings.Join(want[200:], " ") {
		t.Errorf("page 9 of 3: status %d, not the last page with a notice", st)
	}
	for _, bad := range []string{"0", "-1", "abc", "1.5", "2x", "99999999999999999999"} {
		st, _, body := get(t, app, base+"&page="+url.QueryEscape(bad))
		if st != 400 || !strings.Contains(body, "Số trang không hợp lệ: hãy ghi một số nguyên từ 1 trở lên") {
			t.Errorf("page=%s: status %d, want 400 with the Vietnamese message", bad, st)
		}
	}

	// Sorted by name: page 2 is the next hundred by name; its links keep
	// the sort, the headings' sort links start again from page 1.
	st, _, body = get(t, app, base+"&sort=name&page=2")
	if st != 200 || !strings.Contains(body, `href="/rankings?kind=commune&amp;page=3&amp;period=2026-10&amp;sort=name" rel="next"`) {
		t.Errorf("sorted page 2: status %d, the next page does not keep the sort", st)
	}
	if !strings.Contains(body, `href="/rankings?kind=commune&amp;period=2026-10&amp;sort=-name"`) || strings.Contains(body, "page=2&amp;period=2026-10&amp;sort=-name") {
		t.Errorf("a heading's sort link keeps the page")
	}

	// One province: its own ranks, one page, no province named per row.
	st, _, body = get(t, app, base+"&province=BB")
	var bb []string
	for _, r := range ps.Ranking(scoring.KindCommune, "BB", prev) {
		bb = append(bb, r.Unit.Code)
	}
	if st != 200 || strings.Join(rowUnits(body), " ") != strings.Join(bb, " ") || strings.Contains(body, `class="rank-pager"`) ||
		strings.Contains(body, "unit-province") || !strings.Contains(body, `<option value="BB" selected>`) {
		t.Errorf("province BB: status %d, not its 85 communes on one page with the province chosen", st)
	}

	// Agencies: 135, two pages.
	st, _, body = get(t, app, "/rankings?kind=agency&period=2026-10&page=2")
	if st != 200 || len(rowUnits(body)) != 35 || !strings.Contains(body, "Trang 2/2") {
		t.Errorf("agencies page 2: status %d, %d rows, want 35 on page 2/2", st, len(rowUnits(body)))
	}
}

// The API pages a ranking on request: page and per_page give one page with
// X-Total-Count and Link; without them the whole list, as documented; a
// page past the last is []; a bad number is a 400 in Vietnamese.
func TestAPIRankingsPaged(t *testing.T) {
	app, _ := newPageApp(t, pageSource{ds: countryFixture()})
	codes := func(body string) []string {
		var rows []struct {
			UnitCode string `json:"unit_code"`
		}
		if err := json.Unmarshal([]byte(body), &rows); err != nil {
			t.Fatalf("json: %v", err)
		}
		out := make([]string, len(rows))
		for i, r := range rows {
			out[i] = r.UnitCode
		}
		return out
	}
	base := "/api/v1/rankings?kind=commune&period=2026-10"
	st, hdr, body := get(t, app, base)
	all := codes(body)
	if st != 200 || len(all) != 255 || hdr("X-Total-Count") != "255" || hdr("Link") != "" {
		t.Fatalf("whole list: status %d, %d rows, X-Total-Count %q, Link %q", st, len(all), hdr("X-Total-Count"), hdr("Link"))
	}
	for _, tc := range []struct {
		q          string
		from, to   int
		prev, next bool
	}{
		{"&page=1", 0, 100, false, true},
		{"&page=2", 100, 200, true, true},
		{"&page=3", 200, 255, true, false},
		{"&per_page=50&page=4", 150, 200, true, true},
		{"&per_page=1000", 0, 255, false, false},
		{"&page=4", 255, 255, false, false},
	} {
		st, hdr, body := get(t, app, base+tc.q)
		got := codes(body)
		if st != 200 || strings.Join(got, " ") != strings.Join(all[tc.from:tc.to], " ") {
			t.Errorf("%s: status %d, %d rows, want rows %d–%d", tc.q, st, len(got), tc.from+1, tc.to)
		}
		if body == "null" || hdr("X-Total-Count") != "255" {
			t.Errorf("%s: body %.20q, X-Total-Count %q", tc.q, body, hdr("X-Total-Count"))
		}
		link := hdr("Link")
		if strings.Contains(link, `rel="prev"`) != tc.prev || strings.Contains(link, `rel="next"`) != tc.next ||
			!strings.Contains(link, `rel="first"`) || !strings.Contains(link, `rel="last"`) || !strings.Contains(link, "period=2026-10") {
			t.Errorf("%s: Link %q", tc.q, link)
		}
	}
	st, hdr, _ = get(t, app, base+"&page=2")
	if st != 200 || !strings.Contains(hdr("Link"), `</api/v1/rankings?kind=commune&page=3&per_page=100&period=2026-10>; rel="next"`) {
		t.Errorf("page 2: status %d, next link: %q", st, hdr("Link"))
	}
	for q, msg := range map[string]string{
		"&page=0":                    "Tham số page “0” không hợp lệ",
		"&page=x":                    "Tham số page “x” không hợp lệ",
		"&page=99999999999999999999": "Tham số page “99999999999999999999” không hợp lệ",
		"&per_page=0":                "Tham số per_page “0” không hợp lệ: dùng một số nguyên từ 1 đến 1000.",
		"&per_page=1001":             "Tham số per_page “1001” không hợp lệ",
		"&per_page=-5":               "Tham số per_page “-5” không hợp lệ",
	} {
		st, _, body := get(t, app, base+q)
		if st != 400 || !strings.Contains(body, msg) {
			t.Errorf("%s: status %d %s, want 400 with %q", q, st, body, msg)
		}
	}
}

// The embedded ranking of the whole country keeps both ends in its table
// past a page of a ranking (the country's communes were a 590 KB widget),
// says so and links the ranking that has them all; a province's stays whole.
func TestEmbedRankingCountryCut(t *testing.T) {
	app, svc := newPageApp(t, pageSource{ds: countryFixture()})
	ranked := mustScores(t, svc, "2026-10").Ranking(scoring.KindCommune, "", mustScores(t, svc, "2026-09"))[:240]
	st, _, body := get(t, app, "/embed/ranking?kind=commune&period=2026-10")
	if st != 200 || strings.Count(body, `<th scope="row">`) != 100 ||
		!strings.Contains(body, "Biểu đồ: 10 đơn vị đứng đầu và 10 đơn vị đứng cuối trong 240; bảng số liệu: 50 đơn vị đứng đầu và 50 đơn vị đứng cuối; trang xếp hạng có đủ:") {
		t.Fatalf("country embed: status %d, %d table rows, want 100 with the notice", st, strings.Count(body, `<th scope="row">`))
	}
	i, j := strings.Index(body, `<th scope="row">`+ranked[49].Unit.Name+`</th>`), strings.LastIndex(body, "<tr>")
	if i < 0 || j < 0 || !strings.Contains(body[j:], ranked[239].Unit.Name) {
		t.Errorf("the table does not keep the top 50 and end with the last ranked")
	}
	st, _, body = get(t, app, "/embed/ranking?kind=commune&period=2026-10&province=BB")
	if st != 200 || strings.Count(body, `<th scope="row">`) != 80 || strings.Contains(body, "bảng số liệu: 50") {
		t.Errorf("province embed: status %d, %d table rows, want all 80", st, strings.Count(body, `<th scope="row">`))
	}
}
