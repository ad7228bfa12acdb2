package importer

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"scorecard/i18n"
	"scorecard/internal/bigline"
)

// Files made to exhaust the server are refused with a clear message, in
// memory that does not grow with them (BenchmarkHostileFiles in cli
// measures the peak RSS of the whole program on the full-size ones).

// allocated runs fn and returns the bytes it allocated on the heap.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// bigCellWorkbook is a units workbook whose row 2 holds a name of mb
// megabytes, in the sheet (inline) or in the shared strings; it compresses
// to a few hundred kilobytes.
func bigCellWorkbook(t *testing.T, mb int, shared bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	// The fastest deflate still packs the repeated cell some 200 to 1;
	// the default level spends several times the CPU for no test.
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed)
	})
	write := func(w io.Writer, parts ...string) {
		for _, p := range parts {
			if _, err := io.WriteString(w, p); err != nil {
				t.Fatal(err)
			}
		}
	}
	part := func(name string, parts ...string) io.Writer {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		write(w, parts...)
		return w
	}
	big := func(w io.Writer) {
		chunk := strings.Repeat("Sở ", 1<<18)
		for n := 0; n < mb<<20; n += len(chunk) {
			write(w, chunk)
		}
	}
	const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	const rel = `http://schemas.openxmlformats.org/officeDocument/2006/relationships`
	part("_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
		`<Relationship Id="rId1" Type="`+rel+`/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	part("xl/workbook.xml", `<workbook `+ns+` xmlns:r="`+rel+`"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	part("xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
		`<Relationship Id="rId1" Type="`+rel+`/worksheet" Target="worksheets/sheet1.xml"/>`+
		`<Relationship Id="rId2" Type="`+rel+`/sharedStrings" Target="sharedStrings.xml"/></Relationships>`)
	inline := func(ref, text string) string {
		return `<c r="` + ref + `" t="inlineStr"><is><t>` + text + `</t></is></c>`
	}
	w := part("xl/worksheets/sheet1.xml", `<worksheet `+ns+`><sheetData><row r="1">`, inline("A1", "code"), inline("B1", "name"),
		inline("C1", "kind"), inline("D1", "parent_code"), `</row><row r="2">`, inline("A2", "GL"))
	if shared {
		write(w, `<c r="B2" t="s"><v>0</v></c>`)
	} else {
		write(w, `<c r="B2" t="inlineStr"><is><t>`)
		big(w)
		write(w, `</t></is></c>`)
	}
	write(w, inline("C2", "province"), `</row><row r="3">`, inline("A3", "GL.X"), inline("B3", "Sở X"), inline("C3", "agency"), inline("D3", "GL"),
		`</row></sheetData></worksheet>`)
	w = part("xl/sharedStrings.xml", `<sst `+ns+`><si><t>`)
	if shared {
		big(w)
	}
	write(w, `</t></si></sst>`)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestHugeCellRefusedAsSeen: a small workbook holding one cell of tens of
// megabytes is refused at that cell, with a message saying why, having
// allocated a few megabytes; in the sheet or in the shared strings alike.
// (It used to be read whole: a 500 MB cell took 3,6 GB.)
func TestHugeCellRefusedAsSeen(t *testing.T) {
	f := newFixture(t)
	for _, shared := range []bool{false, true} {
		book := bigCellWorkbook(t, 64, shared)
		if len(book) > 1<<20 {
			t.Fatalf("the workbook is %d bytes; the point is a small file", len(book))
		}
		var pe *ProblemsError
		alloc := allocated(func() { pe = f.refuse(t, "units.xlsx", book) })
		if pe.Total != 1 || pe.Problems[0].Row != 2 || pe.Problems[0].Column != "name" {
			t.Fatalf("shared %v: %s", shared, strings.Join(pe.Lines(i18n.EN), "\n"))
		}
		vi, en := pe.Problems[0].Text(i18n.VI), pe.Problems[0].Text(i18n.EN)
		if !strings.Contains(vi, "Ô B2 dài hơn 4.000 ký tự") || !strings.Contains(en, "Cell B2 is longer than 4,000 characters") {
			t.Errorf("shared %v: %s / %s", shared, vi, en)
		}
		if alloc > 32<<20 {
			t.Errorf("shared %v: refusing a 64 MB cell allocated %d MB", shared, alloc>>20)
		}
		t.Logf("shared %v: %d KB workbook refused after allocating %.1f MB: %s", shared, len(book)>>10, float64(alloc)/(1<<20), vi)
	}
}

// TestEveryRowWrong: a counts file wrong on every row keeps the first
// problems in full and counts the rest by kind, in memory that does not
// grow with the file. (It used to keep every row and 20 000 problems: a
// 63 MB file took 1,4 GB.)
func TestEveryRowWrong(t *testing.T) {
	f := newFixture(t)
	f.load(t, "units.csv", unitsCSV)
	var b bytes.Buffer
	b.WriteString(countsHeader)
	// A 9 MB file; the fast loop (-short) takes a fifth of it, still 400
	// times the problems kept. more is how many are counted, not kept.
	rows, moreVI, moreEN := 200_000, "199.900", "199,900"
	if testing.Short() {
		rows, moreVI, moreEN = 40_000, "39.900", "39,900"
	}
	for i := 0; i < rows; i++ {
		fmt.Fprintf(&b, "2024-04,XX.%07d,ON_TIME_PROCESSING,5,3\n", i)
	}
	var pe *ProblemsError
	alloc := allocated(func() { pe = f.refuse(t, "counts.csv", b.Bytes()) })
	if pe.Total != 2*rows || len(pe.Problems) != DefaultMaxProblems || len(pe.More) != 2 {
		t.Fatalf("total %d, listed %d, more %+v", pe.Total, len(pe.Problems), pe.More)
	}
	for _, m := range pe.More {
		if m.Count != rows-DefaultMaxProblems/2 || m.First.Row != 2+DefaultMaxProblems/2 {
			t.Errorf("kind %+v", m)
		}
	}
	vi := strings.Join(pe.Lines(i18n.VI), "\n")
	for _, want := range []string{
		"Cột unit_code: … và " + moreVI + " lỗi khác cùng loại, từ dòng 102: Đơn vị \"XX.0000100\" chưa có",
		"Cột numerator: … và " + moreVI + " lỗi khác cùng loại, từ dòng 102: Tử số (5) lớn hơn mẫu số (3)",
	} {
		if !strings.Contains(vi, want) {
			t.Errorf("no %q in\n%s", want, vi[len(vi)-600:])
		}
	}
	if en := strings.Join(pe.Lines(i18n.EN), "\n"); !strings.Contains(en, "… and "+moreEN+" more problems of the same kind, from row 102: The unit") {
		t.Errorf("English: %s", en[len(en)-600:])
	}
	// Reading a row allocates a little; nothing stays.
	t.Logf("%d rows refused, %.1f MB allocated (%d bytes a row)", rows, float64(alloc)/(1<<20), alloc/uint64(rows))
	if per := alloc / uint64(rows); per > 2000 {
		t.Errorf("%d bytes allocated per row", per)
	}
}

// TestLongLinesAreCut: a file of one 50 MB line is refused at its first
// megabyte, and no message repeats a long cell.
func TestLongLinesAreCut(t *testing.T) {
	f := newFixture(t)
	f.load(t, "units.csv", unitsCSV)
	for _, c := range []struct {
		label string
		data  []byte
		key   string
	}{
		{"50 MB header", bigline.Of("period,unit_code,metric,numerator,", 50<<20), "file.csv.long"},
		{"long unknown column", []byte(countsHeader[:len(countsHeader)-1] + "," + strings.Repeat("ư", 100_000) + "\n2024-04,BK,PUBLISH_ON_TIME,1,2,\n"), "file.header.unknown"},
		{"long cell", []byte(countsHeader + "2024-04," + strings.Repeat("B", 100_000) + ",PUBLISH_ON_TIME,1,2\n"), "file.cell.long"},
		{"long code", []byte(countsHeader + "2024-04," + strings.Repeat("B", 3000) + ",PUBLISH_ON_TIME,1,2\n"), "file.unit_code.bad"},
	} {
		var pe *ProblemsError
		data := c.data
		alloc := allocated(func() { pe = f.refuse(t, "c.csv", data) })
		if pe.Total != 1 || pe.Problems[0].Key != c.key {
			t.Errorf("%s: %s", c.label, strings.Join(pe.Lines(i18n.EN), "\n"))
			continue
		}
		for _, l := range i18n.Langs {
			if line := pe.Problems[0].Text(l); utf8.RuneCountInString(line) > 700 {
				t.Errorf("%s: a line of %d characters: %.300s…", c.label, utf8.RuneCountInString(line), line)
			}
		}
		if alloc > 16<<20 {
			t.Errorf("%s: allocated %d MB", c.label, alloc>>20)
		}
	}
}
