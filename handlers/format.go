package handlers

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"scorecard/i18n"
	"scorecard/scoring"
)

// vi-VN formatting for pages: "75,35", "1.234.567", "97,25%", "27/04/2024".
// Scores, ratios and maxima are scoring.Cents (exact hundredths), so they are
// formatted from integers, never through float64.

// centsVI is a score with two decimals: 75,35; 1.234,50.
func centsVI(c scoring.Cents) string { return c.VI() }

// pctVI is a ratio with two decimals and a percent sign: 97,25%.
func pctVI(c scoring.Cents) string { return c.VI() + "%" }

// shortVI drops trailing zero decimals, for maxima and thresholds that are
// usually whole numbers: 18, 6,5, 0,25.
func shortVI(c scoring.Cents) string {
	s := c.VI()
	s = strings.TrimSuffix(s, ",00")
	if strings.Contains(s, ",") {
		s = strings.TrimSuffix(s, "0")
	}
	return s
}

// lowerFirst lowercases the first letter, for a label inside a sentence
// ("tháng 04/2024").
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// dateVI is a date as dd/mm/yyyy in Vietnam time.
func dateVI(t time.Time) string { return t.In(scoring.Location).Format("02/01/2006") }

// change is a signed difference shown with an arrow, so that the direction
// never depends on colour: "▲ 1,20", "▼ 0,35", "= 0,00".
type change struct {
	Known bool   // false: nothing to compare with
	Arrow string // ▲, ▼ or =
	Text  string // the magnitude, vi-VN
	Class string // up, down, same (for styling only)
	// Label is the full wording for screen readers and tooltips.
	Label string
	// TextEN and LabelEN are the English forms (issue 6): the template
	// picks them on English pages ("change" in common.html).
	TextEN, LabelEN string
}

// scoreChange describes a change of total, in points.
func scoreChange(d *scoring.Cents) change {
	if d == nil {
		return change{Label: i18n.VI.T("change.none"), LabelEN: i18n.EN.T("change.none")}
	}
	v := *d
	mag := v
	if mag < 0 {
		mag = -mag
	}
	c := change{Known: true, Text: mag.VI(), TextEN: centsEN(mag)}
	switch {
	case v > 0:
		c.Arrow, c.Class = "▲", "up"
		c.Label, c.LabelEN = i18n.VI.T("change.score.up", c.Text), i18n.EN.T("change.score.up", c.TextEN)
	case v < 0:
		c.Arrow, c.Class = "▼", "down"
		c.Label, c.LabelEN = i18n.VI.T("change.score.down", c.Text), i18n.EN.T("change.score.down", c.TextEN)
	default:
		c.Arrow, c.Class = "=", "same"
		c.Label, c.LabelEN = i18n.VI.T("change.score.same"), i18n.EN.T("change.score.same")
	}
	return c
}

// rankChange describes a change of rank; positive means moved up.
func rankChange(d *int) change {
	if d == nil {
		return change{Label: i18n.VI.T("change.none"), LabelEN: i18n.EN.T("change.none")}
	}
	v := *d
	n := v
	if n < 0 {
		n = -n
	}
	s := strconv.Itoa(n)
	c := change{Known: true, Text: s, TextEN: s}
	switch {
	case v > 0:
		c.Arrow, c.Class = "▲", "up"
		c.Label, c.LabelEN = i18n.VI.T("change.rank.up", n), i18n.EN.T("change.rank.up", n)
	case v < 0:
		c.Arrow, c.Class = "▼", "down"
		c.Label, c.LabelEN = i18n.VI.T("change.rank.down", n), i18n.EN.T("change.rank.down", n)
	default:
		c.Arrow, c.Class = "=", "same"
		c.Label, c.LabelEN = i18n.VI.T("change.rank.same"), i18n.EN.T("change.rank.same")
	}
	return c
}
