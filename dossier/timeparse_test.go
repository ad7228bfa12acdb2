package dossier

import (
	"testing"
	"time"

	"scorecard/scoring"
)

// TestMonthArithmetic checks the hand-written calendar against package
// time on every day boundary (±1 s) from 1999 to 2101.
func TestMonthArithmetic(t *testing.T) {
	for d := time.Date(1999, 1, 1, 0, 0, 0, 0, scoring.Location); d.Year() < 2102; d = d.AddDate(0, 0, 1) {
		for _, tm := range []time.Time{d, d.Add(-time.Second), d.Add(time.Second)} {
			want := int32((tm.Year()-1970)*12 + int(tm.Month()) - 1)
			if got := monthOf(tm.Unix()); got != want {
				t.Fatalf("monthOf(%v) = %d, want %d", tm, got, want)
			}
		}
		if d.Day() == 1 {
			a := int32((d.Year()-1970)*12 + int(d.Month()) - 1)
			if got := monthStart(a); got != d.Unix() {
				t.Fatalf("monthStart(%d) = %v, want %v", a, time.Unix(got, 0), d)
			}
		}
	}
}

func TestParseTime(t *testing.T) {
	ok := map[string]string{
		"2024-04-03T09:15:00+07:00":     "2024-04-03T09:15:00+07:00",
		"2024-04-03T09:15:00":           "2024-04-03T09:15:00+07:00",
		"2024-04-03 09:15:00":           "2024-04-03T09:15:00+07:00",
		"2024-04-03T09:15":              "2024-04-03T09:15:00+07:00",
		"2024-04-03T02:15:00Z":          "2024-04-03T09:15:00+07:00",
		"2024-04-02T21:15:00-05:00":     "2024-04-03T09:15:00+07:00",
		"2024-04-03T11:45:00+1030":      "2024-04-03T08:15:00+07:00",
		"2024-04-03T09:15:00+07":        "2024-04-03T09:15:00+07:00",
		"2024-04-03T09:15:00.999+07:00": "2024-04-03T09:15:00+07:00",
		"2024-02-29T23:59:59":           "2024-02-29T23:59:59+07:00",
		"2024-12-31T23:30:00-02:00":     "2025-01-01T08:30:00+07:00",
	}
	for in, want := range ok {
		got, e := parseTime([]byte(in))
		if e != timeOK {
			t.Errorf("parseTime(%q): error %d", in, e)
			continue
		}
		ref, err := time.Parse(time.RFC3339, want)
		if err != nil {
			t.Fatal(err)
		}
		if got != ref.Unix() {
			t.Errorf("parseTime(%q) = %s, want %s", in, FormatTime(got), want)
		}
		if FormatTime(got) != want {
			t.Errorf("FormatTime(parseTime(%q)) = %s, want %s", in, FormatTime(got), want)
		}
	}
	bad := map[string]timeErr{
		"":                          timeFormat,
		"2024-04-03":                timeDateOnly,
		"03/04/2024 09:15":          timeFormat,
		"2024-4-3T09:15:00":         timeFormat,
		"2024-04-03T9:15:00":        timeFormat,
		"2024-02-30T09:15:00":       timeDate,
		"2023-02-29T09:15:00":       timeDate,
		"2024-13-01T09:15:00":       timeDate,
		"2024-04-03T24:00:00":       timeClock,
		"2024-04-03T09:60:00":       timeClock,
		"2024-04-03T09:15:00+15:00": timeOffset,
		"2024-04-03T09:15:00+07:0":  timeFormat,
		"2024-04-03T09:15:00 +07":   timeFormat,
		"2024-04-03T09:15:00.":      timeFormat,
		"2204-04-03T09:15:00":       timeYear,
		"1999-12-31T23:59:59":       timeYear,
		"2024-04-03T09:15:00Zjunk":  timeFormat,
	}
	for in, want := range bad {
		if _, e := parseTime([]byte(in)); e != want {
			t.Errorf("parseTime(%q) error %d, want %d", in, e, want)
		}
	}
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2024-04-03T09:15:00+07:00", "2024-04-03 09:15", "2024-02-29T23:59:59.5Z", "2024-04-03"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, e := parseTime([]byte(s))
		if e != timeOK {
			return
		}
		// Whatever parses must mean what package time says it means.
		layout := "2006-01-02T15:04:05Z07:00"
		norm := []byte(s)
		if len(norm) > 10 && norm[10] == ' ' {
			norm[10] = 'T'
		}
		if ref, err := time.ParseInLocation(layout, string(norm), scoring.Location); err == nil && ref.Unix() != got {
			t.Fatalf("parseTime(%q) = %d, time.Parse = %d", s, got, ref.Unix())
		}
	})
}
