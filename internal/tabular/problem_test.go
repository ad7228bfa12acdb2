package tabular

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"scorecard/i18n"
)

// TestProblemText: a problem is worded when shown, with its place, in
// either language; String is the English line the command line has always
// printed.
func TestProblemText(t *testing.T) {
	for _, c := range []struct {
		p      Problem
		vi, en string
	}{
		{Problem{Row: 3, Column: "period", Key: "file.period.empty"},
			"Dòng 3, cột period: Thiếu kỳ (period).", "row 3, column period: The period is empty."},
		{Problem{Key: "file.empty"},
			"Tệp: Tệp trống: không có dòng tiêu đề nào, cũng không có dữ liệu.", "file: The file is empty: no header row and no data."},
		{Problem{Column: "metric", Key: "file.metric.empty"}, "Cột metric: Thiếu mã chỉ số.", "Column metric: The metric code is empty."},
		{Problem{Row: 7, Key: "file.row.short", Args: []any{4, 5}},
			"Dòng 7: Dòng có 4 ô nhưng dòng tiêu đề có 5 cột", "row 7: The row has 4 cells but the header has 5 columns"},
		// A problem in one of several files, at a place that is not a
		// row (a JSON path).
		{Problem{File: "a.json", Place: "data.parent", Key: "file.empty"},
			"Tệp a.json, data.parent: Tệp trống", "file a.json, data.parent: The file is empty"},
		{Problem{File: "b.csv", Row: 3, Column: "metric", Key: "file.metric.empty"},
			"Tệp b.csv, dòng 3, cột metric: Thiếu mã chỉ số.", "file b.csv, row 3, column metric: The metric code is empty."},
		{Problem{File: "c.json", Key: "file.empty"}, "Tệp c.json: Tệp trống", "file c.json: The file is empty"},
		// Numbers grouped the reader's way, nested messages worded in the
		// same language.
		{Problem{Row: 2, Column: "numerator", Key: "file.counts.above", Args: []any{Int(1234567), Int(1000)}},
			"Tử số (1.234.567) lớn hơn mẫu số (1.000)", "The numerator (1,234,567) is larger than the denominator (1,000)"},
		{Problem{Row: 2, Column: "code", Key: "file.unit_code.bad", Args: []any{Quote("G L"), M("file.code.space")}},
			`Mã đơn vị "G L" chứa khoảng trắng.`, `The unit code "G L" contains a space.`},
	} {
		if vi := c.p.Text(i18n.VI); !strings.Contains(vi, c.vi) {
			t.Errorf("%+v: %q, want %q", c.p, vi, c.vi)
		}
		if en := c.p.String(); !strings.Contains(en, c.en) || en != c.p.Text(i18n.EN) {
			t.Errorf("%+v: %q, want %q", c.p, en, c.en)
		}
	}
}

// TestProblemsBounded: the first Max problems are kept in full, the rest
// counted by kind with the first of each as an example; kinds are bounded
// too, and nothing kept holds a long piece of the file.
func TestProblemsBounded(t *testing.T) {
	ps := &Problems{Max: 3}
	long := strings.Repeat("đ", 1<<20)
	for row := 2; row < 100_002; row++ {
		ps.Add(row, "unit_code", "file.unit.unknown", Quote(long))
		if row%2 == 0 {
			ps.Add(row, "metric", "file.metric.unknown", long) // unquoted: cut all the same
		}
	}
	for i := 0; i < 1000; i++ {
		// A header of a thousand unknown columns: a thousand kinds.
		ps.Add(1, "c"+strconv.Itoa(i), "file.header.unknown", Quote(long), M("file.kind.counts"), "a, b")
	}
	e := ps.Err("f.csv")
	if e.Total != 100_000+50_000+1000 || len(e.Problems) != 3 {
		t.Fatalf("total %d, kept %d", e.Total, len(e.Problems))
	}
	if e.Problems[0].Row != 2 || e.Problems[2].Row != 3 {
		t.Errorf("kept %+v", e.Problems)
	}
	counted := 0
	for _, m := range e.More {
		counted += m.Count
	}
	if counted+len(e.Problems) != e.Total || len(e.More) > maxKinds+1 {
		t.Errorf("counted %d in %d kinds", counted, len(e.More))
	}
	if m := e.More[0]; m.First.Key != "file.unit.unknown" || m.First.Row != 4 || m.Count != 100_000-2 {
		t.Errorf("first kind %+v", m)
	}
	if got := e.More[0].Text(i18n.VI); !strings.HasPrefix(got, "Cột unit_code: … và 99.998 lỗi khác cùng loại, từ dòng 4: Đơn vị \"đđđ") {
		t.Errorf("VI %q", got)
	}
	if got := e.More[0].Text(i18n.EN); !strings.HasPrefix(got, "Column unit_code: … and 99,998 more problems of the same kind, from row 4: The unit \"đđđ") {
		t.Errorf("EN %q", got)
	}
	if last := e.More[len(e.More)-1]; last.First.Key != "file.more.other" || !strings.Contains(last.Message(i18n.VI), "lỗi khác.") {
		t.Errorf("last kind %+v", last)
	}
	for _, l := range i18n.Langs {
		for _, line := range e.Lines(l) {
			if n := utf8.RuneCountInString(line); n > 2000 {
				t.Fatalf("a line of %d characters: %.200s…", n, line)
			}
		}
	}
	if got := (&Problems{}).Err("x"); got != nil {
		t.Errorf("no problem, error %v", got)
	}
}

// TestQuote: values are cut, made printable and quoted; a cut value never
// ends in half a character.
func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		"BK":                      `"BK"`,
		"a\x07b":                  "\"a\uFFFDb\"",
		strings.Repeat("ư", 100):  `"` + strings.Repeat("ư", 59) + `…"`,
		"bad \xff utf-8":          "\"bad \uFFFD utf-8\"",
		strings.Repeat("x", 1e6):  `"` + strings.Repeat("x", 59) + `…"`,
		"Sở Giao thông vận tải\n": "\"Sở Giao thông vận tải\uFFFD\"",
	} {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%.20q) = %q, want %q", in, got, want)
		}
		if got := Quote([]byte(in)); got != want {
			t.Errorf("Quote([]byte %.20q) = %q", in, got)
		}
	}
}

// TestCodeAndName: what a code and a name may hold, the message saying
// what is wrong.
func TestCodeAndName(t *testing.T) {
	for code, want := range map[string]string{
		"BK.SGTVT":              "",
		"1.001234":              "",
		"Mã.Đơn.Vị":             "",
		strings.Repeat("A", 65): "file.code.long",
		"B K":                   "file.code.space",
		"B\u00a0K":              "file.code.space",
		"B/K":                   "file.code.slash",
		"B\x1bK":                "file.code.control",
		"B\u200bK":              "file.code.control",
		"B\xffK":                "file.code.utf8",
	} {
		why, ok := CodeProblem(code)
		if ok != (want == "") || why.Key != want {
			t.Errorf("CodeProblem(%q) = %v %v, want %q", code, why, ok, want)
		}
	}
	if why, _ := CodeProblem("AB\x07"); i18n.VI.T(why.Key, render(i18n.VI, why.Args)...) != "chứa ký tự điều khiển vô hình (U+0007, ở vị trí 3)" {
		t.Errorf("control: %+v", why)
	}
	for name, want := range map[string]string{
		"Sở Giao thông vận tải":  "",
		"Tab\tand\nbreak":        "",
		strings.Repeat("ơ", 501): "file.name.long",
		"Bell\x07":               "file.name.control",
		"\xff":                   "file.name.utf8",
	} {
		why, ok := NameProblem(name, 500)
		if ok != (want == "") || why.Key != want {
			t.Errorf("NameProblem(%.20q) = %v %v, want %q", name, why, ok, want)
		}
	}
}

// One further problem is worded in the singular in English.
func TestOneMoreProblem(t *testing.T) {
	m := More{First: Problem{Key: "file.more.other"}, Count: 1}
	if got := m.Message(i18n.EN); got != "… and 1 more problem." {
		t.Errorf("EN %q", got)
	}
	if got, want := m.Message(i18n.VI), i18n.VI.T("file.more.other", "1"); got != want {
		t.Errorf("VI %q, want %q", got, want)
	}
	if got := (More{First: Problem{Key: "file.more.other"}, Count: 2}).Message(i18n.EN); got != "… and 2 more problems." {
		t.Errorf("EN %q", got)
	}
}
