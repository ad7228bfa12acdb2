package export_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"scorecard/export"
	"scorecard/scoring"
)

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte(export.BOM)) {
		t.Fatalf("no UTF-8 BOM: % x", b[:min(8, len(b))])
	}
	rows, err := csv.NewReader(bytes.NewReader(b[len(export.BOM):])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func injectionTable() export.Table {
	neg := scoring.Cents(-120)
	return export.Table{Name: "Thử", Key: "test", Columns: []export.Column{
		{Key: "name", Title: "Tên", Kind: export.Text},
		{Key: "score", Title: "Điểm", Kind: export.Score},
		{Key: "change", Title: "Thay đổi", Kind: export.Int},
		{Key: "x", Title: "Số", Kind: export.Number},
		{Key: "band", Title: "Xếp loại", Kind: export.BandKind},
	}, Rows: [][]any{
		{"=1+1", scoring.Cents(-120), -3, -1.5, export.Band{Name: "=Tốt", Level: 2}},
		{"+1", &neg, nil, 0.25, nil},
		{"-1", nil, 2, nil, "Khá"},
		{"@SUM(A1:A9)", scoring.Cents(7535), 0, -0.0001, nil},
		{"\t=1", nil, nil, nil, nil},
		{"\r=1", nil, nil, nil, nil},
		{"＝1+1", nil, nil, nil, nil},
		{hostile, nil, nil, nil, nil},
		{"Sở Tài chính", nil, nil, nil, nil},
		{"a=1", nil, nil, nil, nil},
		{"", nil, nil, nil, nil},
	}}
}

// Text cells that start like a formula get an apostrophe in CSV; numbers,
// negative ones included, never do.
func TestCSVInjection(t *testing.T) {
	var buf bytes.Buffer
	if err := export.WriteCSV(&buf, injectionTable()); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, buf.Bytes())
	want := [][]string{
		{"name", "score", "change", "x", "band"},
		{"'=1+1", "-1.20", "-3", "-1.5", "'=Tốt"},
		{"'+1", "-1.20", "", "0.25", ""},
		{"'-1", "", "2", "", "Khá"},
		{"'@SUM(A1:A9)", "75.35", "0", "-0.0001", ""},
		{"'\t=1", "", "", "", ""},
		{"'\r=1", "", "", "", ""},
		{"'＝1+1", "", "", "", ""},
		{"'" + hostile, "", "", "", ""},
		{"Sở Tài chính", "", "", "", ""},
		{"a=1", "", "", "", ""},
		{"", "", "", "", ""},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(rows), len(want))
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d: %q, want %q", i, rows[i], want[i])
		}
	}
}

// The same table in XLSX: formula-like text is a plain string cell (no
// apostrophe needed, nothing to evaluate), numbers stay numbers.
func TestXLSXInjection(t *testing.T) {
	f, _ := openXLSX(t, export.Workbook{Tables: []export.Table{injectionTable()}})
	for row, want := range map[int]string{2: "=1+1", 3: "+1", 4: "-1", 5: "@SUM(A1:A9)", 9: hostile} {
		ref := cell(1, row)
		typ, _ := f.GetCellType("Thử", ref)
		formula, _ := f.GetCellFormula("Thử", ref)
		got, _ := f.GetCellValue("Thử", ref)
		if typ != excelize.CellTypeSharedString || formula != "" || got != want {
			t.Errorf("%s: %v %q formula %q, want the string %q", ref, typ, got, formula, want)
		}
	}
	if v := number(t, f, "Thử", "B2"); v != -1.2 {
		t.Errorf("B2 = %v, want -1.2 as a number", v)
	}
	if v := number(t, f, "Thử", "C2"); v != -3 {
		t.Errorf("C2 = %v, want -3", v)
	}
	if v := number(t, f, "Thử", "D5"); v != -0.0001 {
		t.Errorf("D5 = %v", v)
	}
}

// counts.csv is the import format: parsed back and scored, it gives the
// same scores as the data it came from.
func TestCountsCSVReimport(t *testing.T) {
	schemes, ds := demoData(t)
	e := scoring.NewEngine(schemes, ds)
	p := scoring.MustPeriod("2024-04")
	cur := e.Score(p)
	for _, derived := range []bool{false, true} {
		var buf bytes.Buffer
		if err := export.WriteCSV(&buf, export.CountsTable(cur, "BK", derived)); err != nil {
			t.Fatal(err)
		}
		rows := readCSV(t, buf.Bytes())
		if strings.Join(rows[0], ",") != "period,unit_code,metric,numerator,denominator" {
			t.Fatalf("header %q, want the Metric counts header of docs/api.md", rows[0])
		}
		re := &scoring.Dataset{Units: ds.Units, Own: map[scoring.Key]scoring.Counts{}}
		for i, r := range rows[1:] {
			k := scoring.Key{Period: r[0], Unit: r[1], Metric: r[2]}
			if _, dup := re.Own[k]; dup {
				t.Fatalf("row %d: %v twice", i+2, k)
			}
			var c scoring.Counts
			if r[3] != "" || r[4] != "" {
				n, err1 := strconv.ParseInt(r[3], 10, 64)
				d, err2 := strconv.ParseInt(r[4], 10, 64)
				if err1 != nil || err2 != nil || n < 0 || n > d {
					t.Fatalf("row %d: %q/%q is not 0 ≤ numerator ≤ denominator", i+2, r[3], r[4])
				}
				c = scoring.C(n, d)
			}
			re.Own[k] = c
		}
		// Without derived counts the file is exactly the supplied counts.
		if !derived {
			want := 0
			for k := range ds.Own {
				if k.Period == p.String() {
					want++
				}
			}
			if len(re.Own) != want {
				t.Errorf("%d rows, want the %d counts supplied for %s", len(re.Own), want, p)
			}
		} else if _, ok := re.Own[scoring.Key{Period: p.String(), Unit: "BK", Metric: "ON_TIME_PROCESSING"}]; !ok {
			t.Error("with derived counts, the province's pooled ON_TIME_PROCESSING is missing")
		}
		again := scoring.NewEngine(schemes, re).Score(p)
		for code, us := range cur.Units {
			if got := again.Unit(code); got.Total != us.Total || got.HasData != us.HasData {
				t.Errorf("derived=%v %s: re-imported total %s (data %v), want %s (%v)", derived, code, got.Total, got.HasData, us.Total, us.HasData)
			}
		}
	}
}

func TestJSON(t *testing.T) {
	_, cur, prev := april(t)
	scores := export.ScoresTable(cur, prev, "BK")
	var buf bytes.Buffer
	if err := export.WriteTableJSON(&buf, scores); err != nil {
		t.Fatal(err)
	}
	if !json.Valid(buf.Bytes()) {
		t.Fatalf("invalid JSON: %.300s", buf.String())
	}
	// Keys in column order; scores with two decimals, as the API writes them.
	if !strings.HasPrefix(buf.String(), `[`+"\n"+`{"period":"2024-04","unit_code":"BK","unit_name":"Tỉnh Bắc Kạn","kind":"province","parent_code":"","rank":1,"rank_of":1,"total":75.35,"max_total":100.00,"band":"Khá",`) {
		t.Errorf("first object: %.300s", buf.String())
	}
	var rows []map[string]any
	if err := json.Unmarshal(buf.Bytes(), &rows); err != nil {
		t.Fatal(err)
	}
	inProvince := 0
	for code, us := range cur.Units {
		if code == "BK" || us.Province == "BK" {
			inProvince++
		}
	}
	if len(rows) != inProvince {
		t.Errorf("%d rows, want every unit of the province (%d)", len(rows), inProvince)
	}
	for _, r := range rows {
		us := cur.Unit(r["unit_code"].(string))
		if r["total"].(float64) != us.Total.Float() || r["unit_name"] != us.Unit.Name {
			t.Errorf("%v: total %v name %v", r["unit_code"], r["total"], r["unit_name"])
		}
		if r["unit_code"] == "BK" {
			want := us.Total - prev.Unit("BK").Total
			if r["total_change"] != want.Float() || r["rank_change"] != 0.0 {
				t.Errorf("province change %v (rank %v), want %s (0)", r["total_change"], r["rank_change"], want)
			}
		}
	}

	buf.Reset()
	meta := export.Meta{ExportedAt: time.Date(2024, 5, 5, 2, 30, 0, 0, time.UTC), Filters: []export.Filter{{Name: "Tỉnh", Value: "Bắc Kạn"}}}
	if err := export.WriteJSON(&buf, export.OpenDataWorkbook(cur, prev, "BK", meta)); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Period     string `json:"period"`
		Label      string `json:"period_label"`
		Scheme     string `json:"scheme"`
		ExportedAt string `json:"exported_at"`
		Filters    []struct{ Name, Value string }
		Tables     []struct {
			Key     string
			Columns []struct{ Key, Title, Kind string }
			Rows    []map[string]any
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Period != "2024-04" || doc.Label != "Tháng 04/2024" || !strings.HasPrefix(doc.Scheme, "qd766") ||
		doc.ExportedAt != "2024-05-05T09:30:00+07:00" || len(doc.Filters) != 1 {
		t.Errorf("meta %+v", doc)
	}
	if len(doc.Tables) != 2 || doc.Tables[0].Key != "scores" || doc.Tables[1].Key != "counts" || len(doc.Tables[1].Rows) == 0 {
		t.Fatalf("tables %d", len(doc.Tables))
	}
	if c := doc.Tables[0].Columns[7]; c.Key != "total" || c.Kind != "score" || c.Title != "Tổng điểm" {
		t.Errorf("column %+v", c)
	}
}

// Bad tables are refused before anything is written.
func TestInvalidTables(t *testing.T) {
	ok := []export.Column{{Key: "a", Kind: export.Text}, {Key: "b", Kind: export.Score}}
	cases := map[string]export.Table{
		"no columns":    {Name: "x"},
		"short row":     {Columns: ok, Rows: [][]any{{"x"}}},
		"string score":  {Columns: ok, Rows: [][]any{{"x", "75,35"}}},
		"float score":   {Columns: ok, Rows: [][]any{{"x", 75.35}}},
		"unknown kind":  {Columns: []export.Column{{Key: "a", Kind: "money"}}},
		"repeated key":  {Columns: []export.Column{{Key: "a", Kind: export.Text}, {Key: "a", Kind: export.Text}}},
		"text chart":    {Columns: ok, Chart: &export.Chart{Category: 0, Values: []int{0}}},
		"missing chart": {Columns: ok, Chart: &export.Chart{Category: 0, Values: []int{5}}},
		"nan": {Columns: []export.Column{{Key: "n", Kind: export.Number}},
			Rows: [][]any{{func() float64 { z := 0.0; return z / z }()}}},
	}
	for name, tb := range cases {
		var buf bytes.Buffer
		if err := export.WriteCSV(&buf, tb); err == nil || buf.Len() != 0 {
			t.Errorf("%s: CSV err %v, %d bytes written", name, err, buf.Len())
		}
		buf.Reset()
		if err := (export.Workbook{Tables: []export.Table{tb}}).WriteXLSX(&buf); err == nil || buf.Len() != 0 {
			t.Errorf("%s: XLSX err %v, %d bytes written", name, err, buf.Len())
		}
		buf.Reset()
		if err := export.WriteTableJSON(&buf, tb); err == nil || buf.Len() != 0 {
			t.Errorf("%s: JSON err %v, %d bytes written", name, err, buf.Len())
		}
	}
}
