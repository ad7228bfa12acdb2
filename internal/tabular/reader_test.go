package tabular

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"scorecard/i18n"
	"scorecard/internal/bigline"
)

var testKind = &Kind{Name: "counts", Label: "file.kind.counts", Columns: []Column{
	{Name: "period", Cell: Period}, {Name: "unit_code"}, {Name: "name"}, {Name: "numerator", Cell: Number}, {Name: "received_at", Cell: Time}}}

const testHeader = "period,unit_code,name,numerator,received_at"

// readAll reads a file of testKind: the rows (row number, then the cells)
// and the problems.
func readAll(t *testing.T, name string, data []byte) ([]string, *Error) {
	t.Helper()
	ps := &Problems{}
	r := Open(name, bytes.NewReader(data), ps, Options{})
	defer r.Close()
	var rows []string
	if r.Header() != nil && r.SetKind(testKind) {
		for r.Next() {
			cells := make([]string, len(r.Cells()))
			for i, c := range r.Cells() {
				cells[i] = string(c)
			}
			rows = append(rows, fmt.Sprintf("%d:%s", r.Row(), strings.Join(cells, "|")))
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	return rows, ps.Err(name)
}

func lines(e *Error) string {
	if e == nil {
		return "(none)"
	}
	return strings.Join(e.Lines(i18n.VI), "\n")
}

// wantOne checks a file gave exactly one problem, at row and column, with
// the key.
func wantOne(t *testing.T, label string, e *Error, row int, column, key string) {
	t.Helper()
	if e == nil || e.Total != 1 || e.Problems[0].Row != row || e.Problems[0].Column != column || e.Problems[0].Key != key {
		t.Errorf("%s: want one %s at row %d, column %q; got:\n%s", label, key, row, column, lines(e))
	}
}

// TestCSV: the layouts offices' tools write, and the rows that do not line
// up with the header.
func TestCSV(t *testing.T) {
	for _, c := range []struct {
		label, data string
		rows        []string
	}{
		{"plain", testHeader + "\n2024-04,BK,Tỉnh,1,x\n", []string{"2:2024-04|BK|Tỉnh|1|x"}},
		{"BOM, semicolons, CRLF, spaces, other order", "\uFEFFunit_code; Period ;name;numerator;received_at\r\n BK ;2024-04;Tỉnh;1;\r\n",
			[]string{"2:2024-04|BK|Tỉnh|1|"}},
		{"old Mac line ends", testHeader + "\r2024-04,BK,Tỉnh,1,x\r", []string{"2:2024-04|BK|Tỉnh|1|x"}},
		{"blank lines before and between", "\n,,\n" + testHeader + "\n\n2024-04,BK,\"Sở A, Sở B\",1,x\n,,,,\n2024-05,BK,\"Hai\ndòng\",2,y\n",
			[]string{"5:2024-04|BK|Sở A, Sở B|1|x", "7:2024-05|BK|Hai\ndòng|2|y"}},
		{"quotes doubled", testHeader + "\n2024-04,BK,\"Trường \"\"A\"\"\",1,x\n", []string{"2:2024-04|BK|Trường \"A\"|1|x"}},
		{"empty trailing cells beyond the header", testHeader + ",,\n2024-04,BK,T,1,x,,\n", []string{"2:2024-04|BK|T|1|x"}},
	} {
		rows, e := readAll(t, "f.csv", []byte(c.data))
		if e != nil || strings.Join(rows, "\n") != strings.Join(c.rows, "\n") {
			t.Errorf("%s: rows %q, want %q; problems:\n%s", c.label, rows, c.rows, lines(e))
		}
	}
	for _, c := range []struct {
		label, data string
		row         int
		column, key string
	}{
		{"short row", testHeader + "\n2024-04,BK\n", 2, "", "file.row.short"},
		{"data beyond the header", testHeader + "\n2024-04,BK,T,1,x,oops\n", 2, "", "file.row.extra"},
		{"data under an unnamed column", testHeader + ",\n2024-04,BK,T,1,x,oops\n", 2, "", "file.header.unnamed"},
		{"unknown column", testHeader + ",note\n", 1, "note", "file.header.unknown"},
		{"missing column", "period,unit_code,name,numerator\n", 1, "received_at", "file.header.missing"},
		{"column twice", testHeader + ",Name\n", 1, "name", "file.header.twice"},
		{"not UTF-8", testHeader + "\n2024-04,BK,T\xeanh,1,x\n", 2, "", "file.csv.utf8"},
		{"stray quote", testHeader + "\n2024-04,B\"K,T,1,x\n", 2, "", "file.csv.quote"},
		{"unclosed quote", testHeader + "\n2024-04,\"BK,T,1,x\n", 2, "", "file.csv.quote"},
		{"cell too long", testHeader + "\n2024-04,BK," + strings.Repeat("ư", MaxCellRunes+1) + ",1,x\n", 2, "name", "file.cell.long"},
		{"line too long", testHeader + "\n2024-04,BK," + strings.Repeat("x", MaxLineBytes) + ",1,x\n", 2, "", "file.csv.long"},
		// TestCSVMemory reads a 50 MB header line; just over the limit is
		// the same refusal.
		{"header line too long", "period,unit_code," + strings.Repeat("x", MaxLineBytes) + "\n", 1, "", "file.csv.long"},
		{"empty", " \n\n", 0, "", "file.empty"},
		{"PDF", "%PDF-1.4\n", 0, "", "file.sniff.pdf"},
	} {
		rows, e := readAll(t, "f.csv", []byte(c.data))
		if len(rows) != 0 {
			t.Errorf("%s: rows %q", c.label, rows)
		}
		wantOne(t, c.label, e, c.row, c.column, c.key)
	}
}

// TestCSVMemory: a 50 MB line costs no more than the line limit, and its
// refusal shows none of it.
func TestCSVMemory(t *testing.T) {
	data := bigline.Of("period,unit_code,", 50<<20)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, e := readAll(t, "f.csv", data)
	runtime.ReadMemStats(&after)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8<<20 {
		t.Errorf("reading a 50 MB line allocated %d MB", alloc>>20)
	}
	wantOne(t, "50 MB header line", e, 1, "", "file.csv.long")
	for _, l := range i18n.Langs {
		if n := len(strings.Join(e.Lines(l), "\n")); n > 1000 {
			t.Errorf("%s: the refusal is %d bytes long", l, n)
		}
	}
}

// workbook writes a minimal .xlsx: the sheet's rows (the inside of
// <sheetData>), and the shared strings (the inside of <sst>) and styles
// when given.
func workbook(t testing.TB, rows, shared, styles string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	put := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, body); err != nil {
			t.Fatal(err)
		}
	}
	const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	const rel = `http://schemas.openxmlformats.org/officeDocument/2006/relationships`
	put("_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="`+rel+`/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	put("xl/workbook.xml", `<workbook `+ns+` xmlns:r="`+rel+`"><workbookPr/><sheets><sheet name="Số liệu" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	rels := `<Relationship Id="rId1" Type="` + rel + `/worksheet" Target="worksheets/sheet1.xml"/>`
	if shared != "" {
		rels += `<Relationship Id="rId2" Type="` + rel + `/sharedStrings" Target="sharedStrings.xml"/>`
		put("xl/sharedStrings.xml", `<sst `+ns+`>`+shared+`</sst>`)
	}
	if styles != "" {
		rels += `<Relationship Id="rId3" Type="` + rel + `/styles" Target="styles.xml"/>`
		put("xl/styles.xml", `<styleSheet `+ns+`>`+styles+`</styleSheet>`)
	}
	put("xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+rels+`</Relationships>`)
	put("xl/worksheets/sheet1.xml", `<?xml version="1.0" encoding="UTF-8"?><worksheet `+ns+`><sheetData>`+rows+`</sheetData></worksheet>`)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// is is an inline string cell.
func is(ref, text string) string {
	return `<c r="` + ref + `" t="inlineStr"><is><t>` + text + `</t></is></c>`
}

// headerRow is testHeader as a sheet's first row.
var headerRow = `<row r="1">` + is("A1", "period") + is("B1", "unit_code") + is("C1", "name") + is("D1", "numerator") + is("E1", "received_at") + `</row>`

// TestXLSX: cell types and formats read back as a CSV file would carry
// them; rows and cells without references; prefixed element names.
func TestXLSX(t *testing.T) {
	styles := `<numFmts count="2"><numFmt numFmtId="164" formatCode="mmm-yy"/><numFmt numFmtId="165" formatCode="000"/></numFmts>` +
		`<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="3"/><xf numFmtId="22"/></cellXfs>`
	shared := `<si><t>Tỉnh &amp; "Bắc Kạn"</t></si><si><r><t>Sở </t></r><r><t>Tư pháp</t></r><rPh><t>ふりがな</t></rPh></si>`
	rows := headerRow +
		// A period typed as a date, a code shown as 007, a count with a
		// thousands format, a time.
		`<row r="2"><c r="A2" s="1"><v>45383</v></c><c r="B2" s="2"><v>7</v></c><c r="C2" t="s"><v>0</v></c><c r="D2" s="3"><v>1234</v></c><c r="E2" s="4"><v>45385.385416666664</v></c></row>` +
		// No references; a shared rich text; a formula's text; a time
		// without a date format (a one-stop system's export).
		`<row><c t="str"><f>A1</f><v>2024-05</v></c><c><v>1.0012340000000001</v></c><c t="s"><v>1</v></c><c t="b"><v>1</v></c><c><v>45385.5</v></c></row>` +
		// A blank row, then prefixed names.
		`<row r="5"><c r="A5" t="inlineStr"><is><t> </t></is></c></row>` +
		`<x:row xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" r="6"><x:c r="A6" t="inlineStr"><x:is><x:t>2024</x:t></x:is></x:c><x:c r="B6"><x:v>2024</x:v></x:c></x:row>`
	got, e := readAll(t, "f.xlsx", workbook(t, rows, shared, styles))
	want := []string{
		"2:2024-04|007|Tỉnh & \"Bắc Kạn\"|1234|2024-04-03T09:15:00",
		"3:2024-05|1.001234|Sở Tư pháp|1|2024-04-03T12:00:00",
		"6:2024|2024|||",
	}
	if e != nil || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant:\n%s\nproblems:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"), lines(e))
	}

	// Data beyond the header, however far.
	_, e = readAll(t, "f.xlsx", workbook(t, headerRow+`<row r="2">`+is("A2", "2024-04")+is("XFD2", "x")+`</row>`, "", ""))
	wantOne(t, "far cell", e, 2, "", "file.row.extra")
	// An empty sheet, a broken one.
	_, e = readAll(t, "f.xlsx", workbook(t, "", "", ""))
	wantOne(t, "empty sheet", e, 0, "", "file.xlsx.empty")
	_, e = readAll(t, "f.xlsx", workbook(t, `<row r="x">`, "", ""))
	wantOne(t, "bad row", e, 0, "", "file.xlsx.bad")
	_, e = readAll(t, "f.xlsx", []byte("PK\x03\x04 not really"))
	wantOne(t, "not a zip", e, 0, "", "file.xlsx.bad")
}

// TestXLSXLongCell: a cell longer than any column needs is refused where
// it is, as soon as it is met, whether its text is in the sheet or in the
// shared strings: the rows before it are read, none after.
func TestXLSXLongCell(t *testing.T) {
	long := strings.Repeat("A", 8<<20)
	row2 := `<row r="2">` + is("A2", "2024-04") + is("B2", "BK") + `</row>`
	row4 := `<row r="4">` + is("A4", "2024-05") + is("B4", "BK") + `</row>`
	for _, c := range []struct {
		label, rows, shared string
		key                 string
	}{
		{"inline", row2 + `<row r="3">` + is("A3", "2024-04") + is("C3", long) + `</row>` + row4, "", "file.xlsx.cell_long"},
		{"inline, just over", row2 + `<row r="3">` + is("A3", "2024-04") + is("C3", strings.Repeat("ư", MaxCellRunes+1)) + `</row>` + row4, "", "file.xlsx.cell_long"},
		{"shared", row2 + `<row r="3">` + is("A3", "2024-04") + `<c r="C3" t="s"><v>1</v></c></row>` + row4,
			`<si><t>BK</t></si><si><t>` + long + `</t></si>`, "file.xlsx.cell_long"},
		{"shared in runs", row2 + `<row r="3">` + is("A3", "2024-04") + `<c r="C3" t="s"><v>0</v></c></row>` + row4,
			`<si>` + strings.Repeat(`<r><t>`+strings.Repeat("ơ", 1000)+`</t></r>`, 5) + `</si>`, "file.xlsx.cell_long"},
	} {
		book := workbook(t, headerRow+c.rows, c.shared, "")
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		rows, e := readAll(t, "f.xlsx", book)
		runtime.ReadMemStats(&after)
		if len(rows) != 1 || !strings.HasPrefix(rows[0], "2:") {
			t.Errorf("%s: rows %q", c.label, rows)
		}
		wantOne(t, c.label, e, 3, "name", c.key)
		if e != nil && !strings.Contains(e.Problems[0].Text(i18n.VI), "Ô C3 dài hơn 4.000 ký tự") {
			t.Errorf("%s: %s", c.label, lines(e))
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
			t.Errorf("%s: reading allocated %d MB", c.label, alloc>>20)
		}
	}
	// A long shared string no cell uses is no reason to refuse the file.
	rows, e := readAll(t, "f.xlsx", workbook(t, headerRow+`<row r="2"><c r="A2" t="s"><v>0</v></c></row>`,
		`<si><t>2024-04</t></si><si><t>`+long+`</t></si>`, ""))
	if e != nil || len(rows) != 1 {
		t.Errorf("unused long string: rows %q, problems:\n%s", rows, lines(e))
	}
}

// TestXLSXUnpackedBudget: what a workbook unpacks to is bounded as a
// whole, whatever each part says of itself.
func TestXLSXUnpackedBudget(t *testing.T) {
	defer func(v int64) { unpackedLimit = v }(unpackedLimit)
	unpackedLimit = 1 << 20
	var rows strings.Builder
	rows.WriteString(headerRow)
	for r := 2; rows.Len() < 2<<20; r++ {
		fmt.Fprintf(&rows, `<row r="%d">%s%s</row>`, r, is(fmt.Sprintf("A%d", r), "2024-04"), is(fmt.Sprintf("B%d", r), "BK"))
	}
	_, e := readAll(t, "f.xlsx", workbook(t, rows.String(), "", ""))
	if e == nil || e.Problems[len(e.Problems)-1].Key != "file.xlsx.unpacked" {
		t.Errorf("problems:\n%s", lines(e))
	}
}

// An optional column may be left out of the header (its cells are then
// empty and Has says so) or given anywhere, in a CSV file as in a workbook;
// a required one may not.
func TestOptionalColumns(t *testing.T) {
	k := &Kind{Name: "units", Label: "file.kind.units", Columns: []Column{
		{Name: "code"}, {Name: "name"}, {Name: "valid_from", Optional: true}, {Name: "valid_to", Optional: true}}}
	read := func(data string) ([]string, map[string]bool, *Error) {
		ps := &Problems{}
		r := Open("u.csv", strings.NewReader(data), ps, Options{})
		defer r.Close()
		var rows []string
		has := map[string]bool{}
		if r.Header() != nil && r.SetKind(k) {
			for _, c := range k.Columns {
				has[c.Name] = r.Has(c.Name)
			}
			for r.Next() {
				var cells []string
				for _, c := range r.Cells() {
					cells = append(cells, string(c))
				}
				rows = append(rows, strings.Join(cells, "|"))
			}
		}
		return rows, has, ps.Err("u.csv")
	}
	rows, has, e := read("code,name\nA,Xã A\n")
	if e != nil || strings.Join(rows, ";") != "A|Xã A||" || has["valid_from"] || !has["code"] {
		t.Errorf("without the optional columns: %q %v\n%s", rows, has, lines(e))
	}
	rows, has, e = read("valid_to,code,name\n2025-07-01,A,Xã A\n")
	if e != nil || strings.Join(rows, ";") != "A|Xã A||2025-07-01" || has["valid_from"] || !has["valid_to"] {
		t.Errorf("with one optional column: %q %v\n%s", rows, has, lines(e))
	}
	_, _, e = read("code,valid_from\nA,2025-07-01\n")
	wantOne(t, "a required column missing", e, 1, "name", "file.header.missing")
}
