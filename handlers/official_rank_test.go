package handlers

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/xuri/excelize/v2"

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
	checkOfficialRankEverywhere(t, app, "2024-04", "BK", "17", "63", true)
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

// csvByCode reads a CSV answer into its header and its rows by unit_code.
func csvByCode(t *testing.T, path, body string) ([]string, map[string]map[string]string) {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("%s: %d records, %v", path, len(recs), err)
	}
	rows := map[string]map[string]string{}
	for _, rec := range recs[1:] {
		r := map[string]string{}
		for i, h := range recs[0] {
			r[h] = rec[i]
		}
		rows[r["unit_code"]] = r
	}
	return recs[0], rows
}

// Open data and the rankings export carry the national rank in two
// columns after the note, beside the unchanged rank among the provinces
// held; only the portal's marks, added after them, follow.
func TestFilesCarryOfficialRank(t *testing.T) {
	t.Parallel()
	app := officialRankApp(t)
	for _, path := range []string{"/open-data/2024-04/scores.csv", "/export/rankings?period=2024-04&kind=province&format=csv"} {
		status, _, body := get(t, app, path)
		if status != 200 {
			t.Fatalf("%s: %d", path, status)
		}
		head, rows := csvByCode(t, path, body)
		note := slices.Index(head, "note")
		if note < 0 {
			t.Fatalf("%s: no note column in %v", path, head)
		}
		tail := strings.Join(head[note:], ",")
		if tail != "note,official_rank,official_rank_of,official,official_groups,official_only_groups,official_note" {
			t.Errorf("%s: header %v does not end with note, official_rank, official_rank_of and the portal's marks", path, head)
		}
		bk, gl := rows["BK"], rows["H21"]
		if bk == nil || gl == nil {
			t.Fatalf("%s: the two provinces are not both listed", path)
		}
		if bk["official_rank"] != "17" || bk["official_rank_of"] != "63" {
			t.Errorf("%s: BK official %q/%q, want 17/63", path, bk["official_rank"], bk["official_rank_of"])
		}
		if bk["rank"] != "1" && bk["rank"] != "2" {
			t.Errorf("%s: BK rank %q, want its rank among the 2 provinces held", path, bk["rank"])
		}
		if gl["official_rank"] != "" || gl["official_rank_of"] != "" {
			t.Errorf("%s: Gia Lai has no published April rank, got %q/%q", path, gl["official_rank"], gl["official_rank_of"])
		}
	}
	// The workbook has the column with its Vietnamese title and the number.
	status, _, body := get(t, app, "/export/rankings?period=2024-04&kind=province&format=xlsx")
	if status != 200 {
		t.Fatalf("xlsx: %d", status)
	}
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	found := false
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range rows {
			for j, cell := range r {
				if cell != "Xếp hạng toàn quốc (Cổng DVCQG)" {
					continue
				}
				for _, below := range rows[i+1:] {
					if j < len(below) && below[j] == "17" {
						found = true
					}
				}
			}
		}
	}
	if !found {
		t.Error("the province ranking workbook has no national rank column holding 17")
	}
	// An agency ranking's export is unchanged: no national columns.
	if _, _, body := get(t, app, "/export/rankings?period=2024-04&kind=agency&format=csv"); strings.Contains(body, "official_rank") {
		t.Error("an agency ranking export got the national rank columns")
	}
}

// checkOfficialRankEverywhere checks that the province ranking page (when
// the period has several provinces: one is not ranked there), the API and
// open data of period p all give province code the national rank rank/of
// that the overview states, with their own rank among the provinces held
// unchanged beside it.
func checkOfficialRankEverywhere(t *testing.T, app *fiber.App, p, code, rank, of string, page bool) {
	t.Helper()
	if page {
		status, _, body := get(t, app, "/rankings?kind=province&period="+p)
		if status != 200 || !strings.Contains(body, `<td class="num">`+rank+`<span class="muted">/`+of+`</span></td>`) || !strings.Contains(body, "Hạng trong dữ liệu") {
			t.Errorf("/rankings?kind=province&period=%s: status %d, no national rank %s/%s beside the rank in the data", p, status, rank, of)
		}
	}
	status, _, body := get(t, app, "/api/v1/rankings?kind=province&period="+p)
	var rows []map[string]any
	if err := json.Unmarshal([]byte(body), &rows); status != 200 || err != nil {
		t.Fatalf("API: %d, %v", status, err)
	}
	found := false
	for _, r := range rows {
		if r["unit_code"] == code {
			found = true
			if fmt.Sprint(r["official_rank"]) != rank || fmt.Sprint(r["official_rank_of"]) != of || r["rank"] == nil {
				t.Errorf("API %s: rank %v, official %v/%v, want %s/%s", code, r["rank"], r["official_rank"], r["official_rank_of"], rank, of)
			}
		}
	}
	if !found {
		t.Errorf("API: no row for %s", code)
	}
	path := "/open-data/" + p + "/scores.csv"
	if status, _, body = get(t, app, path); status != 200 {
		t.Fatalf("%s: %d", path, status)
	}
	_, csvRows := csvByCode(t, path, body)
	if r := csvRows[code]; r == nil || r["official_rank"] != rank || r["official_rank_of"] != of || r["rank"] == "" {
		t.Errorf("%s: %s row %v, want official %s/%s", path, code, r, rank, of)
	}
}

// A province's own answer carries its published national rank too; a
// province without one and an agency answer null.
func TestAPIUnitOfficialRank(t *testing.T) {
	t.Parallel()
	app := officialRankApp(t)
	for code, want := range map[string][2]any{"BK": {float64(17), float64(63)}, "H21": {nil, nil}, "H21.05": {nil, nil}} {
		status, _, body := get(t, app, "/api/v1/units/"+code+"?period=2024-04")
		var u map[string]any
		if err := json.Unmarshal([]byte(body), &u); status != 200 || err != nil {
			t.Fatalf("%s: %d, %v", code, status, err)
		}
		r, ok1 := u["official_rank"]
		of, ok2 := u["official_rank_of"]
		if !ok1 || !ok2 || r != want[0] || of != want[1] {
			t.Errorf("%s: official %v/%v (fields present %v %v), want %v/%v", code, r, of, ok1, ok2, want[0], want[1])
		}
	}
}
