package filesniff

import (
	"strings"
	"testing"

	"scorecard/i18n"
)

// TestSniff: the content decides, the name only where the content cannot
// (a renamed file); every format that cannot be read has a message in both
// catalogues, and the readable ones none.
func TestSniff(t *testing.T) {
	for _, c := range []struct {
		name, head string
		want       Format
	}{
		{"a.csv", "period,unit_code\n2024-04,BK\n", CSV},
		{"a.csv", "\xEF\xBB\xBFperiod;unit_code\n", CSV},
		{"a.xlsx", "PK\x03\x04rest of a zip", XLSX},
		{"a.csv", "PK\x03\x04a workbook named .csv", XLSX},
		{"a.csv", " \r\n\t\n", Empty},
		{"a.csv", "\xEF\xBB\xBF\n", Empty},
		{"a.xls", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00", OldExcel},
		{"a.csv", "%PDF-1.7\n", PDF},
		{"a.XLSX", "period,unit_code\n", NotExcel},
		{"a.xlsm", "period,unit_code\n", NotExcel},
		{"a.csv", "\xFF\xFEp\x00e\x00", UTF16},
		{"a.csv", "\xFE\xFF\x00p\x00e", UTF16},
		{"a.csv", "abc\x00def", Binary},
	} {
		f := Sniff([]byte(c.head), c.name)
		if f != c.want {
			t.Errorf("%s %q: %d, want %d", c.name, c.head, f, c.want)
		}
		key, args := Refusal(f, c.name)
		readable := f == CSV || f == XLSX
		if readable != (key == "") {
			t.Errorf("%s %q: refusal %q", c.name, c.head, key)
		}
		if readable {
			continue
		}
		vi, en := i18n.VI.T(key, args...), i18n.EN.T(key, args...)
		if !i18n.Has(i18n.VI, key) || !i18n.Has(i18n.EN, key) || vi == en {
			t.Errorf("%s %q: refusal %q is not in both catalogues: %q / %q", c.name, c.head, key, vi, en)
		}
		if f == NotExcel && (!strings.Contains(vi, strings.ToLower(c.name[1:])) || !strings.Contains(en, strings.ToLower(c.name[1:]))) {
			t.Errorf("the renamed file's message does not name its extension: %q / %q", vi, en)
		}
	}
}

// TestDelimiter: the more frequent of comma and semicolon outside quotes on
// the first line, a comma when neither or a tie.
func TestDelimiter(t *testing.T) {
	for in, want := range map[string]byte{
		"a,b,c":                       ',',
		"a;b;c":                       ';',
		`"x,y,z";b`:                   ';',
		`"x;y;z",b`:                   ',',
		"a":                           ',',
		"a;b\nc,d,e,f,g":              ';', // only the first line counts
		"a,b\r\nc;d;e;f":              ',',
		"a;b,c":                       ',',
		"tên;mã;\"Sở A, Sở B\";số":    ';',
		"period,unit_code;metric;x,y": ',',
	} {
		if got := Delimiter([]byte(in)); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}
