package importer

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"scorecard/i18n"
	"scorecard/scoring"
)

// workbook builds an .xlsx in memory; fill writes the first sheet.
func workbook(t testing.TB, fill func(f *excelize.File, sheet string)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	fill(f, sheet)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func style(t testing.TB, f *excelize.File, sheet, cell string, s *excelize.Style) {
	t.Helper()
	id, err := f.NewStyle(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStyle(sheet, cell, cell, id); err != nil {
		t.Fatal(err)
	}
}

func rowOf(t testing.TB, f *excelize.File, sheet string, r int, vals ...any) {
	t.Helper()
	cell, err := excelize.CoordinatesToCellName(1, r)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetSheetRow(sheet, cell, &vals); err != nil {
		t.Fatal(err)
	}
}

func TestXLSXUnitsAndCounts(t *testing.T) {
	f := newFixture(t)
	units := workbook(t, func(x *excelize.File, s string) {
		// Columns in another order; codes typed as numbers.
		rowOf(t, x, s, 1, "Name", "Code", "Kind", "Parent_Code")
		rowOf(t, x, s, 2, "Tỉnh Bắc Kạn", "BK", "province", "")
		rowOf(t, x, s, 3, "Sở 101", 101, "agency", "BK")
		rowOf(t, x, s, 4, "Huyện 1.00123", 1.00123, "district", "BK")
		rowOf(t, x, s, 5, "Xã 007", 7, "commune", 1.00123)
		// A code shown with leading zeros keeps them.
		custom := "000"
		style(t, x, s, "B5", &excelize.Style{CustomNumFmt: &custom})
	})
	rep, err := f.im.Import(t.Context(), "units.xlsx", bytes.NewReader(units), "web", false)
	if err != nil {
		t.Fatalf("units.xlsx: %v", err)
	}
	if rep.Format != FormatXLSX || rep.Inserted != 4 {
		t.Fatalf("report %+v", rep)
	}
	for code, parent := range map[string]string{"101": "BK", "1.00123": "BK", "007": "1.00123"} {
		u, err := f.st.UnitByCode(t.Context(), code)
		if err != nil || u.Parent() != parent {
			t.Errorf("unit %s: %+v, %v", code, u, err)
		}
	}

	counts := workbook(t, func(x *excelize.File, s string) {
		rowOf(t, x, s, 1, "period", "unit_code", "metric", "numerator", "denominator")
		// Excel turns a typed 2024-04 into the date 1 April 2024.
		rowOf(t, x, s, 2, time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC), 101, "ON_TIME_PROCESSING", 1234, 1830)
		monthYear := "mmm-yy"
		style(t, x, s, "A2", &excelize.Style{CustomNumFmt: &monthYear})
		// Thousands format on numbers: the stored number counts.
		style(t, x, s, "D2", &excelize.Style{NumFmt: 3}) // #,##0
		rowOf(t, x, s, 3, "2024-Q2", "BK", "PUBLISH_ON_TIME", 2, 3)
		// A date with Excel's default date format (built-in id 14).
		rowOf(t, x, s, 4, time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), "1.00123", "ON_TIME_PROCESSING", nil, nil)
		style(t, x, s, "A4", &excelize.Style{NumFmt: 14})
		// A year typed as a number.
		rowOf(t, x, s, 5, 2024, 7, "ON_TIME_PROCESSING", 0, 0)
		custom := "000"
		style(t, x, s, "B5", &excelize.Style{CustomNumFmt: &custom})
	})
	rep, err = f.im.Import(t.Context(), "counts.xlsx", bytes.NewReader(counts), "web", false)
	if err != nil {
		t.Fatalf("counts.xlsx: %v", err)
	}
	ds, err := f.st.Dataset(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	want := map[scoring.Key]scoring.Counts{
		{Period: "2024-04", Unit: "101", Metric: "ON_TIME_PROCESSING"}:     scoring.C(1234, 1830),
		{Period: "2024-Q2", Unit: "BK", Metric: "PUBLISH_ON_TIME"}:         scoring.C(2, 3),
		{Period: "2024-05", Unit: "1.00123", Metric: "ON_TIME_PROCESSING"}: {},
		{Period: "2024", Unit: "007", Metric: "ON_TIME_PROCESSING"}:        scoring.C(0, 0),
	}
	if len(ds.Own) != len(want) {
		t.Fatalf("counts %v", ds.Own)
	}
	for k, v := range want {
		if got, ok := ds.Own[k]; !ok || got != v {
			t.Errorf("%v = %+v (present %v), want %+v", k, got, ok, v)
		}
	}
	// Oldest start first; shorter first when they start together.
	if !reflect.DeepEqual(rep.Periods, []string{"2024", "2024-04", "2024-Q2", "2024-05"}) {
		t.Errorf("periods %v", rep.Periods)
	}
}

func TestXLSXProblemsUseSheetRows(t *testing.T) {
	f := newFixture(t)
	f.load(t, "units.csv", unitsCSV)
	book := workbook(t, func(x *excelize.File, s string) {
		// Header on row 2 below a blank row; a blank row inside the data.
		rowOf(t, x, s, 2, "period", "unit_code", "metric", "numerator", "denominator")
		rowOf(t, x, s, 3, "2024-04", "BK", "PUBLISH_ON_TIME", 1, 2)
		rowOf(t, x, s, 5, "2024-04", "BK", "PUBLISH_ON_TIME", 1.5, 2)
		rowOf(t, x, s, 6, "2024-04", "BK.SGTVT", "ON_TIME_PROCESSING", 3) // trailing cell missing: denominator empty
	})
	// Named .csv: the content decides.
	pe := f.refuse(t, "counts.csv", book)
	if len(pe.Problems) != 2 {
		t.Fatalf("problems:\n%v", pe.Lines(i18n.VI))
	}
	if p := pe.Problems[0]; p.Row != 5 || p.Column != "numerator" {
		t.Errorf("first problem %+v", p)
	}
	if p := pe.Problems[1]; p.Row != 6 || p.Column != "denominator" {
		t.Errorf("second problem %+v", p)
	}
}

func TestXLSXOnlyFirstSheetAndEmptySheet(t *testing.T) {
	f := newFixture(t)
	book := workbook(t, func(x *excelize.File, s string) {
		rowOf(t, x, s, 1, "code", "name", "kind", "parent_code")
		rowOf(t, x, s, 2, "GL", "Tỉnh Gia Lai", "province", nil)
		if _, err := x.NewSheet("Ghi chú"); err != nil {
			t.Fatal(err)
		}
		rowOf(t, x, "Ghi chú", 1, "anything", "at all")
	})
	rep, err := f.im.Import(t.Context(), "u.xlsx", bytes.NewReader(book), "cli", false)
	if err != nil || rep.Inserted != 1 {
		t.Fatalf("%+v %v", rep, err)
	}
	empty := workbook(t, func(x *excelize.File, s string) {})
	pe := f.refuse(t, "e.xlsx", empty)
	if len(pe.Problems) != 1 || pe.Problems[0].Row != 0 {
		t.Fatalf("%v", pe.Lines(i18n.VI))
	}
}

// replaceSheet swaps the first sheet's XML in a workbook, to build sheets
// excelize would take long to write.
func replaceSheet(t testing.TB, book []byte, sheetXML string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(book), int64(len(book)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == "xl/worksheets/sheet1.xml" {
			_, err = io.WriteString(w, sheetXML)
		} else {
			var r io.ReadCloser
			if r, err = f.Open(); err == nil {
				_, err = io.Copy(w, r)
				r.Close()
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestXLSXFarCells: a small upload whose rows each have a stray mark in
// the last column (XFD) costs no more than its rows: the cells in between
// are never laid out, and each row is reported for its data beyond the
// header, the rest counted.
func TestXLSXFarCells(t *testing.T) {
	f := newFixture(t)
	var sheet strings.Builder
	sheet.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c><c r="B1" t="inlineStr"><is><t>name</t></is></c>` +
		`<c r="C1" t="inlineStr"><is><t>kind</t></is></c><c r="D1" t="inlineStr"><is><t>parent_code</t></is></c></row>`)
	const rows = 10000
	for r := 2; r < 2+rows; r++ {
		fmt.Fprintf(&sheet, `<row r="%d"><c r="XFD%d" t="inlineStr"><is><t>x</t></is></c></row>`, r, r)
	}
	sheet.WriteString(`</sheetData></worksheet>`)
	book := replaceSheet(t, workbook(t, func(*excelize.File, string) {}), sheet.String())
	if len(book) > 64<<10 {
		t.Fatalf("test workbook is %d bytes; the point is a small file", len(book))
	}
	pe := f.refuse(t, "big.xlsx", book)
	if pe.Total != rows || len(pe.Problems) != DefaultMaxProblems || len(pe.More) != 1 || pe.More[0].Count != rows-DefaultMaxProblems ||
		!strings.Contains(pe.Problems[0].Message(i18n.VI), "ô thứ 16384, ngoài 4 cột") {
		t.Fatalf("total %d, listed %d, more %+v\n%s", pe.Total, len(pe.Problems), pe.More, strings.Join(pe.Lines(i18n.VI)[:3], "\n"))
	}
}
