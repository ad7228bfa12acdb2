package handlers

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"scorecard/scorecache"
	"scorecard/scoring"
	"scorecard/store"
)

// officialSource adds the portal's published results to a page source.
type officialSource struct {
	pageSource
	rows []store.OfficialResult
}

func (s officialSource) OfficialResults(context.Context) ([]store.OfficialResult, error) {
	return s.rows, nil
}

// "/" with several provinces ranks them: as published ("12/34") where the
// portal's results were imported, else by pooled counts among the others,
// each row saying which; the country's field is 63 before the 2025 merger
// and 34 after it.
func TestNationalView(t *testing.T) {
	t.Parallel()
	ds := twoProvinces()
	// Without published results: both by pooled counts, among two.
	app, _ := newPageApp(t, pageSource{ds: ds})
	_, _, body := get(t, app, "/?period=2024-04")
	if !strings.Contains(body, "Cả nước có 63 tỉnh, thành phố trong kỳ này; dữ liệu có 2.") {
		t.Errorf("/ of 04/2024 does not say the field is 63 provinces, 2 in the data")
	}
	if strings.Count(body, "Tính từ số liệu đã nhập") != 2 || !strings.Contains(body, `/2</span>`) {
		t.Errorf("/ of 04/2024 does not rank both provinces by their counts, of 2")
	}
	// Bắc Kạn's published rank wins for Bắc Kạn; Gia Lai is ranked by its
	// counts.
	src := officialSource{pageSource: pageSource{ds: ds}, rows: []store.OfficialResult{
		{Period: "2024-04", UnitCode: "BK", Total: 8123, Rank: 17, RankOf: 63},
	}}
	app2, err := New(Deps{Scores: scorecache.New(src, pageSchemes(t)), Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	_, _, body = get(t, app2, "/?period=2024-04")
	i := strings.Index(body, `id="cap-national"`)
	if i < 0 {
		t.Fatalf("no national table")
	}
	table := body[i:]
	bk, gl := strings.Index(table, "Tỉnh Bắc Kạn"), strings.Index(table, "Tỉnh Gia Lai")
	if !strings.Contains(table, `17<span class="muted">/63</span>`) || !strings.Contains(table, "81,23") || bk < 0 || gl < bk {
		t.Errorf("Bắc Kạn is not first with its published 17/63 and 81,23")
	}
	if !strings.Contains(table, "Công bố (toàn quốc)") || !strings.Contains(table, `1<span class="muted">/1</span>`) {
		t.Errorf("Gia Lai is not ranked by its counts among the unpublished (1/1)")
	}
}

func TestNationalField(t *testing.T) {
	for p, want := range map[string]int{"2024-04": 63, "2025-06": 63, "2025-Q2": 63, "2025-07": 34, "2025": 34, "2026-10": 34} {
		if got := nationalField(scoring.MustPeriod(p)); got != want {
			t.Errorf("%s: %d provinces, want %d", p, got, want)
		}
	}
}

// Search finds units by name or code, accents ignored, old units and new
// ones with their days and what the old became; a query too long is
// refused with a clear message.
func TestSearchPage(t *testing.T) {
	t.Parallel()
	app, _ := newPageApp(t, pageSource{ds: demoDS(t), demo: true})
	st, _, body := get(t, app, "/search?q=thai+nguyen")
	if st != 200 || !strings.Contains(body, `<a href="/provinces/TN">Tỉnh Thái Nguyên</a>`) || !strings.Contains(body, "từ ngày 01/07/2025") {
		t.Errorf("thai nguyen: status %d, Tỉnh Thái Nguyên not found with its days", st)
	}
	_, _, body = get(t, app, "/search?q=cho+ra")
	for _, want := range []string{
		`<a href="/units/BK.BABE.CHORA">Thị trấn Chợ Rã</a>`, `<a href="/units/TN.CHORA">Xã Chợ Rã</a>`,
		"đến hết ngày 30/06/2025", "(không còn tồn tại)", "(sáp nhập, 01/07/2025)",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("cho ra: page lacks %q", want)
		}
	}
	_, _, body = get(t, app, "/search?q=BK.BABE.CHORA")
	if !strings.Contains(body, "1 đơn vị tìm thấy") {
		t.Errorf("a search by code does not find exactly the unit")
	}
	_, _, body = get(t, app, "/search?q=khong+co+don+vi+nay")
	if !strings.Contains(body, "Không tìm thấy đơn vị nào") {
		t.Errorf("a search finding nothing does not say so")
	}
	// Only spaces (a tap on "Tìm" after clearing the box) is no search:
	// the empty form, not "no unit found with \" \"".
	st, _, body = get(t, app, "/search?q=+++")
	if st != 200 || strings.Contains(body, "Không tìm thấy đơn vị nào") || strings.Contains(body, `id="h-results"`) {
		t.Errorf("a query of spaces: status %d, answered as a search that found nothing", st)
	}
	st, _, body = get(t, app, "/search?q=+cho+ra+")
	if st != 200 || !strings.Contains(body, `<a href="/units/TN.CHORA">Xã Chợ Rã</a>`) || !strings.Contains(body, `value="cho ra"`) {
		t.Errorf("a query with spaces around: status %d, not found as the words inside", st)
	}
	st, _, body = get(t, app, "/search?q="+strings.Repeat("a", 101))
	if st != 400 || !strings.Contains(body, "Từ khóa tìm kiếm quá dài: tối đa 100 ký tự.") {
		t.Errorf("a long query: status %d, no clear message", st)
	}
}
