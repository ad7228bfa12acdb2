package handlers

import (
	"encoding/csv"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"scorecard/export"
	"scorecard/scoring"
)

// parseCSV checks the BOM and returns the header and rows.
func parseCSV(t *testing.T, what, body string) ([]string, [][]string) {
	t.Helper()
	rest, ok := strings.CutPrefix(body, export.BOM)
	if !ok {
		t.Fatalf("%s: no UTF-8 BOM", what)
	}
	rows, err := csv.NewReader(strings.NewReader(rest)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if len(rows) == 0 {
		t.Fatalf("%s: empty", what)
	}
	return rows[0], rows[1:]
}

func colIndex(t *testing.T, header []string, key string) int {
	t.Helper()
	for i, h := range header {
		if h == key {
			return i
		}
	}
	t.Fatalf("column %q not in %q", key, header)
	return -1
}

// openWorkbook opens an XLSX answer with excelize and checks its first
// sheet records the export.
func openWorkbook(t *testing.T, what, body string) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("%s: not an XLSX: %v", what, err)
	}
	t.Cleanup(func() { _ = f.Close() })
	if sheets := f.GetSheetList(); len(sheets) < 2 || sheets[0] != export.InfoSheet {
		t.Fatalf("%s: sheets %q, want %q first", what, sheets, export.InfoSheet)
	}
	return f
}

// sheetText is every cell of a sheet, for looking up a value.
func sheetText(t *testing.T, f *excelize.File, sheet string) string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatalf("sheet %q: %v", sheet, err)
	}
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, "\t"))
		b.WriteByte('\n')
	}
	return b.String()
}

// findRow returns the 1-based row of the sheet whose column col holds v.
func findRow(t *testing.T, f *excelize.File, sheet string, col int, v string) int {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if col < len(r) && r[col] == v {
			return i + 1
		}
	}
	t.Fatalf("sheet %q: no row with %q in column %d", sheet, v, col+1)
	return 0
}

func TestExportOverviewXLSX(t *testing.T) {
	t.Parallel()
	app, svc := newPageApp(t, pageSource{ds: pageFixture(), demo: true})
	status, hdr, body := get(t, app, "/export/overview?period=2024-04")
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	if ct := hdr("Content-Type"); ct != mimeXLSX {
		t.Errorf("Content-Type %q", ct)
	}
	cd := hdr("Content-Disposition")
	if !strings.HasPrefix(cd, `attachment; filename="overview-BK-2024-04.xlsx"; filename*=UTF-8''`) {
		t.Errorf("Content-Disposition %q", cd)
	}
	if _, enc, _ := strings.Cut(cd, "UTF-8''"); true {
		name, err := url.PathUnescape(enc)
		if err != nil || name != "Tổng quan Tỉnh Bắc Kạn - Tháng 04-2024.xlsx" {
			t.Errorf("UTF-8 file name %q (%v)", name, err)
		}
	}
	f := openWorkbook(t, "overview", body)
	info := sheetText(t, f, export.InfoSheet)
	for _, want := range []string{"Tháng 04/2024 (2024-04)", "Bộ lọc: Tỉnh, thành phố\tTỉnh Bắc Kạn", "qd766", "Dữ liệu minh họa", "/provinces/BK?period=2024-04"} {
		if !strings.Contains(info, want) {
			t.Errorf("information sheet lacks %q:\n%s", want, info)
		}
	}
	want := []string{export.InfoSheet, "Nhóm chỉ số", "Chỉ số", "Xếp hạng sở, ban, ngành", "Xếp hạng cấp huyện", "Xếp hạng cấp xã"}
	if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("sheets %q, want %q", got, want)
	}
	// Group scores are numbers equal to the engine's.
	bk := mustScores(t, svc, "2024-04").Unit("BK")
	for _, g := range bk.Groups {
		r := findRow(t, f, "Nhóm chỉ số", 2, g.Group.Code)
		ref := "E" + strconv.Itoa(r)
		typ, _ := f.GetCellType("Nhóm chỉ số", ref)
		raw, _ := f.GetCellValue("Nhóm chỉ số", ref, excelize.Options{RawCellValue: true})
		v, err := strconv.ParseFloat(raw, 64)
		if (typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset) || err != nil || v != g.Score.Float() {
			t.Errorf("group %s: cell %s = %q (type %v), want the number %v", g.Group.Code, ref, raw, typ, g.Score.Float())
		}
	}
}

func TestExportRankingsCSV(t *testing.T) {
	t.Parallel()
	ds := pageFixture()
	// A unit name that a spreadsheet would run as a formula.
	for i := range ds.Units {
		if ds.Units[i].Code == "BK.STP" {
			ds.Units[i].Name = "=HYPERLINK(\"http://x\",\"Sở Tư pháp\")"
		}
	}
	app, svc := newPageApp(t, pageSource{ds: ds})
	status, hdr, body := get(t, app, "/export/rankings?kind=agency&period=2024-04&format=csv")
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	if ct := hdr("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := hdr("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="rankings-agency-2024-04.csv"; filename*=UTF-8''`) {
		t.Errorf("Content-Disposition %q", cd)
	}
	// The ranking's one table is named as the download: its name is not
	// said twice ("Xếp hạng sở, ban, ngành - Tháng 04-2024 - Xếp hạng sở,
	// ban, ngành.csv").
	if cd := hdr("Content-Disposition"); !strings.HasSuffix(cd, "''"+rfc5987("Xếp hạng sở, ban, ngành - Tháng 04-2024.csv")) {
		t.Errorf("Vietnamese file name in %q, want Xếp hạng sở, ban, ngành - Tháng 04-2024.csv", cd)
	}
	header, rows := parseCSV(t, "rankings", body)
	ranking := mustScores(t, svc, "2024-04").Ranking(scoring.KindAgency, "", mustScores(t, svc, "2024-03"))
	if len(rows) != len(ranking) {
		t.Fatalf("%d rows, want %d", len(rows), len(ranking))
	}
	cCode, cName, cTotal := colIndex(t, header, "unit_code"), colIndex(t, header, "unit_name"), colIndex(t, header, "total")
	for i, r := range ranking {
		if rows[i][cCode] != r.Unit.Code {
			t.Errorf("row %d: %s, want %s (ranking order)", i, rows[i][cCode], r.Unit.Code)
		}
		want := ""
		if r.HasData {
			want = r.Total.String() // "." decimals: 75.35
		}
		if rows[i][cTotal] != want {
			t.Errorf("%s total %q, want %q", r.Unit.Code, rows[i][cTotal], want)
		}
		if r.Unit.Code == "BK.STP" && rows[i][cName] != "'"+r.Unit.Name {
			t.Errorf("formula-like name written as %q, want it neutralised", rows[i][cName])
		}
		if r.Unit.Code == "BK.XSS" && rows[i][cName] != pageXSS {
			t.Errorf("name %q changed", rows[i][cName])
		}
	}
	if !strings.Contains(body, ".") || strings.Contains(rows[0][cTotal], ",") {
		t.Errorf("totals not written with a decimal point: %q", rows[0][cTotal])
	}
}

func TestExportUnit(t *testing.T) {
	t.Parallel()
	app, svc := newPageApp(t, pageSource{ds: pageFixture()})
	us := mustScores(t, svc, "2024-04").Unit("BK.SGTVT")

	// CSV: the metrics by default, another table on request.
	status, hdr, body := get(t, app, "/export/units/BK.SGTVT?period=2024-04&format=csv")
	if status != 200 || !strings.Contains(hdr("Content-Disposition"), `filename="unit-BK.SGTVT-2024-04.csv"`) {
		t.Fatalf("status %d, %q", status, hdr("Content-Disposition"))
	}
	header, rows := parseCSV(t, "unit metrics", body)
	n := 0
	for _, g := range us.Groups {
		n += len(g.Metrics)
	}
	if len(rows) != n || header[colIndex(t, header, "metric")] != "metric" {
		t.Errorf("%d metric rows, want %d", len(rows), n)
	}
	cMetric, cNum := colIndex(t, header, "metric"), colIndex(t, header, "numerator")
	for _, r := range rows {
		if r[cMetric] == "ON_TIME_PROCESSING" && r[cNum] != "12345" {
			t.Errorf("numerator %q, want 12345 without separators", r[cNum])
		}
	}
	status, hdr, body = get(t, app, "/export/units/BK.SGTVT?period=2024-04&format=csv&table=groups")
	if status != 200 || !strings.Contains(hdr("Content-Disposition"), `filename="unit-BK.SGTVT-groups-2024-04.csv"`) {
		t.Fatalf("groups: %d %q", status, hdr("Content-Disposition"))
	}
	if _, rows := parseCSV(t, "unit groups", body); len(rows) != len(us.Groups) {
		t.Errorf("%d group rows, want %d", len(rows), len(us.Groups))
	}

	// XLSX: summary, groups, metrics; JSON: the same tables.
	_, _, body = get(t, app, "/export/units/BK.SGTVT?period=2024-04")
	f := openWorkbook(t, "unit", body)
	if got := strings.Join(f.GetSheetList(), "|"); got != export.InfoSheet+"|Tổng hợp|Nhóm chỉ số|Chỉ số" {
		t.Errorf("sheets %s", got)
	}
	status, hdr, body = get(t, app, "/export/units/BK.SGTVT?period=2024-04&format=json")
	var doc struct {
		Period string `json:"period"`
		Tables []struct {
			Key  string           `json:"key"`
			Rows []map[string]any `json:"rows"`
		} `json:"tables"`
	}
	if status != 200 || !strings.HasPrefix(hdr("Content-Type"), "application/json") || json.Unmarshal([]byte(body), &doc) != nil {
		t.Fatalf("json: %d %q", status, hdr("Content-Type"))
	}
	if doc.Period != "2024-04" || len(doc.Tables) != 3 || doc.Tables[0].Rows[0]["total"] != us.Total.Float() {
		t.Errorf("json %+v", doc)
	}

	// Refusals.
	for _, tc := range []struct {
		path   string
		status int
		want   string
	}{
		{"/export/units/BK.SGTVT?format=csv&table=nope", 400, "Các bảng có thể tải: summary, groups, metrics"},
		{"/export/units/BK.SGTVT?format=pdf", 400, "format=xlsx"},
		{"/export/units/NOPE", 404, "Không tìm thấy đơn vị"},
		{"/export/units/BK.SGTVT?period=2022-01", 404, "Tháng 01/2022 chưa có số liệu"},
		{"/export/units/BK.SGTVT?period=2024-13", 400, "Kỳ báo cáo không hợp lệ"},
		{"/export/rankings?kind=village", 400, "Loại đơn vị không hợp lệ"},
		{"/export/rankings?province=NOPE", 400, "Mã tỉnh"},
		{"/export/overview?province=BK.STC", 404, "Không tìm thấy tỉnh"},
	} {
		status, hdr, body := get(t, app, tc.path)
		if status != tc.status || !strings.Contains(body, tc.want) || !strings.HasPrefix(hdr("Content-Type"), "text/html") {
			t.Errorf("%s: %d %q, want %d with %q", tc.path, status, hdr("Content-Type"), tc.status, tc.want)
		}
	}
}

// The pages offer their downloads: two clicks from a page to its workbook.
func TestExportButtons(t *testing.T) {
	t.Parallel()
	app, _ := newPageApp(t, pageSource{ds: pageFixture()})
	for _, tc := range []struct{ page, link string }{
		{"/?period=2024-04", "/export/overview?province=BK&amp;period=2024-04&amp;format="},
		{"/rankings?kind=district&period=2024-03", "/export/rankings?kind=district&amp;period=2024-03&amp;format="},
		{"/units/BK.STC?period=2024-04", "/export/units/BK.STC?period=2024-04&amp;format="},
	} {
		_, _, body := get(t, app, tc.page)
		for _, f := range []string{"xlsx", "csv"} {
			if !strings.Contains(body, `href="`+tc.link+f+`"`) {
				t.Errorf("%s: no %s download link %s%s", tc.page, f, tc.link, f)
			}
		}
		// The link works.
		link := strings.ReplaceAll(tc.link, "&amp;", "&") + "xlsx"
		if status, _, _ := get(t, app, link); status != 200 {
			t.Errorf("%s: %d", link, status)
		}
	}
	// No download is offered for a period without data.
	_, _, body := get(t, app, "/?period=2022-01")
	if strings.Contains(body, "/export/") {
		t.Error("download offered for a period without data")
	}
}

func TestContentDisposition(t *testing.T) {
	got := contentDisposition("a.csv", displayName("Xếp hạng — Tháng 04/2024: \"x\"", "csv"))
	want := `attachment; filename="a.csv"; filename*=UTF-8''X%E1%BA%BFp%20h%E1%BA%A1ng%20-%20Th%C3%A1ng%2004-2024-%20x.csv`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if asciiStem(`../BK "x"`) != "BK-x" {
		t.Errorf("asciiStem %q", asciiStem(`../BK "x"`))
	}
}
