package present

import (
	"strconv"
	"strings"
	"time"

	"scorecard/i18n"
	"scorecard/scoring"
)

// separators are a language's decimal mark and thousands separator.
func separators(l i18n.Lang) (dec, thousands string) {
	if l == i18n.EN {
		return ".", ","
	}
	return ",", "."
}

// group writes the digits of n with thousands separated by sep: the one
// place numbers are grouped.
func group(n uint64, sep string) string {
	s := strconv.FormatUint(n, 10)
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	pre := len(s) % 3
	b.WriteString(s[:pre])
	for i := pre; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// abs is |n| as unsigned, exact for the smallest int64 too.
func abs(n int64) (uint64, bool) {
	if n < 0 {
		return uint64(-(n + 1)) + 1, true
	}
	return uint64(n), false
}

// Int is a count: 1.234.567 (vi), 1,234,567 (en).
func Int(l i18n.Lang, n int64) string {
	_, th := separators(l)
	u, neg := abs(n)
	if neg {
		return "-" + group(u, th)
	}
	return group(u, th)
}

// Score is points with two decimals: 75,35; 1.234,50; -1,20 (vi) or 75.35
// (en).
func Score(l i18n.Lang, c scoring.Cents) string {
	dec, th := separators(l)
	u, neg := abs(int64(c))
	s := group(u/100, th) + dec + twoDigits(u%100)
	if neg {
		return "-" + s
	}
	return s
}

func twoDigits(n uint64) string {
	if n < 10 {
		return "0" + strconv.FormatUint(n, 10)
	}
	return strconv.FormatUint(n, 10)
}

// Percent is a ratio held as a percentage with two decimals: 97,25%.
func Percent(l i18n.Lang, c scoring.Cents) string { return Score(l, c) + "%" }

// Max is a constant of the scheme (a maximum, a threshold, a band limit)
// without trailing zero decimals: 18; 6,5; 0,25.
func Max(l i18n.Lang, c scoring.Cents) string {
	dec, _ := separators(l)
	s := Score(l, c)
	s = strings.TrimSuffix(s, dec+"00")
	if strings.Contains(s, dec) {
		s = strings.TrimSuffix(s, "0")
	}
	return s
}

// Date is a day in Vietnam time: 27/04/2024 (vi), 27 Apr 2024 (en).
func Date(l i18n.Lang, t time.Time) string {
	t = t.In(scoring.Location)
	if l == i18n.EN {
		return t.Format("2 Jan 2006")
	}
	return t.Format("02/01/2006")
}

// Moment is a time of day and its day in Vietnam time, as the catalogue
// orders them: 00:30 ngày 27/04/2024 (vi), 00:30 on 27 Apr 2024 (en).
func Moment(l i18n.Lang, t time.Time) string {
	return l.T("days.asof.moment", t.In(scoring.Location).Format("15:04"), Date(l, t))
}
