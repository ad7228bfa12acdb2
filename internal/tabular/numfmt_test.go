package tabular

import (
	"testing"
	"time"
)

// TestExcelTime: serials of both date systems, Excel's phantom 29 February
// 1900, times rounded to the second, and what is not a date.
func TestExcelTime(t *testing.T) {
	for _, c := range []struct {
		serial float64
		d1904  bool
		want   string
	}{
		{45383, false, "2024-04-01T00:00:00"},
		{45383.5, false, "2024-04-01T12:00:00"},
		{45385.385416666664, false, "2024-04-03T09:15:00"}, // 09:15 as Excel stores it
		{1, false, "1900-01-01T00:00:00"},
		{59, false, "1900-02-28T00:00:00"},
		{61, false, "1900-03-01T00:00:00"},
		{0, true, "1904-01-01T00:00:00"},
		{43921, true, "2024-04-01T00:00:00"},
		{2958465, false, "9999-12-31T00:00:00"},
	} {
		tm, ok := ExcelTime(c.serial, c.d1904)
		if got := tm.Format("2006-01-02T15:04:05"); !ok || got != c.want {
			t.Errorf("ExcelTime(%v, %v) = %s %v, want %s", c.serial, c.d1904, got, ok, c.want)
		}
	}
	for _, s := range []float64{-1, 2958466, 1e300} {
		if _, ok := ExcelTime(s, false); ok {
			t.Errorf("ExcelTime(%v) is a date", s)
		}
	}
}

// TestDateText: a date cell's text by the kind of its column.
func TestDateText(t *testing.T) {
	midnight := time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)
	noon := midnight.Add(12 * time.Hour)
	for _, c := range []struct {
		t    time.Time
		k    CellKind
		want string
	}{
		{midnight, Period, "2024-04"},
		{midnight, Text, "2024-04-01"},
		{noon, Text, "2024-04-01T12:00:00"},
		{midnight, Time, "2024-04-01T00:00:00"},
	} {
		if got := dateText(c.t, c.k); got != c.want {
			t.Errorf("dateText(%v, %d) = %q, want %q", c.t, c.k, got, c.want)
		}
	}
}

// TestFormats: which formats show dates, and the digits the others show.
func TestFormats(t *testing.T) {
	for code, want := range map[string]bool{
		"mmm-yy": true, "dd/mm/yyyy": true, "[$-42A]mmmm yyyy": true, "h:mm:ss": true, "[h]:mm": true,
		"General": false, "#,##0": false, "0.00": false, "000": false, `"Ngày "0`: false, `0\d`: false, "@": false,
		"0;[Red]-0": false,
	} {
		if got := dateFormatCode(code); got != want {
			t.Errorf("dateFormatCode(%q) = %v, want %v", code, got, want)
		}
	}
	for id, want := range map[int]bool{0: false, 3: false, 14: true, 17: true, 22: true, 49: false, 57: true} {
		if builtInDateFormat(id) != want {
			t.Errorf("builtInDateFormat(%d) != %v", id, want)
		}
	}
	for _, c := range []struct{ raw, code, want string }{
		{"1.0012340000000001", "", "1.001234"},
		{"1.00123", "General", "1.00123"},
		{"0.30000000000000004", "", "0.3"},
		{"123456789012", "", "123456789012"},
		{"7", "000", "007"},
		{"1234", "000", "1234"},
		{"1234.5", "#,##0", "1,235"},
		{"1234567", "#,##0", "1,234,567"},
		{"75.3", "0.00", "75.30"},
		{"0.5", "0%", "50%"},
		{"1.00123", "0.000000", "1.001230"},
		{"1.5", "0.0#", "1.5"},
		{"12", `"BK."0`, "BK.12"},
		{"-3", "0;(0)", "(3)"},
		{"-3", "0", "-3"},
		{"42", "0.00E+00", "42"}, // not rendered: General
		{"abc", "0", "abc"},
		{"7", "@", "7"},
	} {
		if got := numberText(c.raw, c.code); got != c.want {
			t.Errorf("numberText(%q, %q) = %q, want %q", c.raw, c.code, got, c.want)
		}
	}
}
