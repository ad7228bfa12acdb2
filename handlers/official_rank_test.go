package handlers

import (
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"scorecard/scorecache"
	"scorecard/store"
)

// officialRankApp is two provinces in 04/2024 where the portal's published
// results rank Bắc Kạn 17th of the country's 63 and say nothing of Gia Lai.
func officialRankApp(t *testing.T) *fiber.App {
	t.Helper()
	src := officialSource{pageSource: pageSource{ds: twoProvinces()}, rows: []store.OfficialResult{
		{Period: "2024-04", UnitCode: "BK", Total: 8123, Rank: 17, RankOf: 63},
		{Period: "2024-03", UnitCode: "H21", Total: 7000, Rank: 30, RankOf: 63}, // another month: not April's
	}}
	app, err := New(Deps{Scores: scorecache.New(src, pageSchemes(t)), Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return app
}

// The API's province ranking keeps "rank"/"rank_of" as the rank among the
// provinces the database holds and adds the portal's national rank as
// "official_rank"/"official_rank_of", null where none was published.
func TestAPIRankingsOfficialRank(t *testing.T) {
	t.Parallel()
	app := officialRankApp(t)
	status, _, body := get(t, app, "/api/v1/rankings?kind=province&period=2024-04")
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(body), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("%d rows, want the 2 provinces: %s", len(rows), body)
	}
	byCode := map[string]map[string]any{}
	for _, r := range rows {
		byCode[r["unit_code"].(string)] = r
		if _, ok := r["official_rank"]; !ok {
			t.Errorf("%v: no official_rank field", r["unit_code"])
		}
		if _, ok := r["official_rank_of"]; !ok {
			t.Errorf("%v: no official_rank_of field", r["unit_code"])
		}
		if r["rank_of"] != float64(2) {
			t.Errorf("%v: rank_of %v, want 2 (among the provinces held)", r["unit_code"], r["rank_of"])
		}
	}
	bk, gl := byCode["BK"], byCode["H21"]
	if bk == nil || gl == nil {
		t.Fatalf("rows: %s", body)
	}
	if bk["official_rank"] != float64(17) || bk["official_rank_of"] != float64(63) {
		t.Errorf("BK official %v/%v, want 17/63", bk["official_rank"], bk["official_rank_of"])
	}
	if r, ok := bk["rank"].(float64); !ok || r < 1 || r > 2 {
		t.Errorf("BK rank %v, want its rank among the 2 provinces held", bk["rank"])
	}
	if gl["official_rank"] != nil || gl["official_rank_of"] != nil {
		t.Errorf("Gia Lai has no published April rank, got %v/%v", gl["official_rank"], gl["official_rank_of"])
	}
}

// The province ranking page says its ranks are among the provinces held
// (the column is "Hạng trong dữ liệu", of 2) and shows the portal's
// national rank in a column of its own: 17/63 for Bắc Kạn, a dash for Gia
// Lai, whose only published rank is March's.
func TestRankingsPageOfficialRank(t *testing.T) {
	t.Parallel()
	app := officialRankApp(t)
	status, _, body := get(t, app, "/rankings?kind=province&period=2024-04")
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	for _, want := range []string{
		"Hạng trong dữ liệu",
		"Xếp hạng toàn quốc (Cổng DVCQG)",
		"xếp các tỉnh, thành phố có trong cơ sở dữ liệu này (2) với nhau, không phải thứ hạng toàn quốc (cả nước có 63 tỉnh, thành phố trong kỳ này)",
		`<td class="num">17<span class="muted">/63</span></td>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/rankings?kind=province lacks %q", want)
		}
	}
	tbody := between(t, body, "<tbody>", "</tbody>")
	bk, gl := strings.Index(tbody, "Tỉnh Bắc Kạn"), strings.Index(tbody, "Tỉnh Gia Lai")
	if bk < 0 || gl < 0 {
		t.Fatalf("the two provinces are not both listed")
	}
	glRow := tbody[gl:]
	if end := strings.Index(glRow, "</tr>"); end > 0 {
		glRow = glRow[:end]
	}
	if !strings.Contains(glRow, "Chưa nhập kết quả Cổng Dịch vụ công quốc gia công bố cho kỳ này") || strings.Contains(glRow, "/63") {
		t.Errorf("Gia Lai's row does not say its national rank is unknown: %s", glRow)
	}
	if _, _, en := get(t, app, "/rankings?kind=province&period=2024-04&lang=en"); !strings.Contains(en, "National rank (National Public Service Portal)") || !strings.Contains(en, "Rank in this data") {
		t.Error("the English page does not label both ranks")
	}
	// Without any published result: no national column, the held rank
	// still said to be among the provinces held.
	plain, _ := newPageApp(t, pageSource{ds: twoProvinces()})
	_, _, body = get(t, plain, "/rankings?kind=province&period=2024-04")
	if strings.Contains(body, "Xếp hạng toàn quốc (Cổng DVCQG)") || !strings.Contains(body, "Hạng trong dữ liệu") {
		t.Error("without published results the page should label the held rank and add no national column")
	}
	// Other kinds keep their plain rank column.
	_, _, body = get(t, app, "/rankings?kind=agency&period=2024-04")
	if strings.Contains(body, "Hạng trong dữ liệu") || strings.Contains(body, "Xếp hạng toàn quốc (Cổng DVCQG)") {
		t.Error("an agency ranking got the province labels")
	}
}
