package tabular

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Excel serial dates. Excel counts days from 1900 (or from 1904 when the
// workbook says so), with the fraction of a day for the time; it also
// believes 1900 was a leap year, so serials from 61 on are one day ahead of
// the calendar.
const (
	// maxSerial is 31 December 9999, the last day Excel knows.
	maxSerial = 2958465
	// The serials a Time column takes as a date even without a date
	// format: 1 January 2000 to 31 December 2099. A plain number such as
	// 2024 stays as typed, so the message about it shows what the office
	// typed.
	minTimeSerial = 36526
	maxTimeSerial = 73051
)

// ExcelTime is the time of an Excel serial date, rounded to the second,
// as local time without a zone (time.UTC carries it); ok is false for a
// serial that is not a date Excel knows (negative, past 9999).
func ExcelTime(serial float64, date1904 bool) (t time.Time, ok bool) {
	if math.IsNaN(serial) || serial < 0 || serial > maxSerial {
		return time.Time{}, false
	}
	epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	switch {
	case date1904:
		epoch = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	case serial < 61:
		// Before Excel's phantom 29 February 1900.
		epoch = time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC)
	}
	days := math.Floor(serial)
	secs := math.Round((serial - days) * 86400)
	return epoch.AddDate(0, 0, int(days)).Add(time.Duration(secs) * time.Second), true
}

// dateText writes a date cell's time as the text a CSV file would carry in
// a column of kind k.
func dateText(t time.Time, k CellKind) string {
	switch {
	case k == Period:
		return t.Format("2006-01")
	case k == Time:
		return t.Format("2006-01-02T15:04:05")
	case t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0:
		return t.Format("2006-01-02")
	}
	return t.Format("2006-01-02T15:04:05")
}

// builtInDateFormat: the number format ids ECMA-376 (and the East Asian
// variants Excel writes) reserve for dates and times.
func builtInDateFormat(id int) bool {
	return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
		(id >= 50 && id <= 58) || (id >= 71 && id <= 81)
}

// builtInNumberFormats are the codes of the built-in number formats that
// are not dates (ECMA-376 §18.8.30).
var builtInNumberFormats = map[int]string{
	1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%",
	37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)",
}

// formatNoise removes from a format code what cannot be a date token:
// quoted text, escaped characters and bracketed locale or colour tags.
var formatNoise = regexp.MustCompile(`"[^"]*"|\\.|\[[^\]]*\]`)

// bracketed is a colour, condition or locale tag of a format code.
var bracketed = regexp.MustCompile(`\[[^\]]*\]`)

// dateFormatCode reports whether a custom format code shows a date or time:
// after removing literals, it has a d, m, y, h or s token.
func dateFormatCode(code string) bool {
	code = strings.SplitN(code, ";", 2)[0]
	code = formatNoise.ReplaceAllString(code, "")
	if strings.EqualFold(code, "general") {
		return false
	}
	return strings.ContainsAny(code, "dmyhsDMYHS")
}

// numberText is a number cell as the cell shows it under format code
// ("" is General): the digits shown, so that a code typed as a number
// (1.00123, or 7 shown as 007) reads as the office sees it. Only the
// formats of plain numbers are rendered (digits, decimals, thousands,
// percent, literal text); anything else shows as General.
func numberText(v, code string) string {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return v
	}
	if code != "" && !strings.EqualFold(code, "general") && code != "@" {
		if s, ok := formatNumber(f, code); ok {
			return s
		}
	}
	return general(f)
}

// general is Excel's General format as far as codes and counts need it:
// fifteen significant digits (what Excel keeps), no exponent, no trailing
// zeros: 1.0012340000000001 shows as 1.001234.
func general(f float64) string {
	r, err := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 15, 64), 64)
	if err != nil {
		r = f
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// formatNumber renders f under a simple format code: literal text in
// quotes, then digit placeholders (0 # ?) with an optional decimal point
// and thousands commas, then an optional %. ok is false for any other
// code.
func formatNumber(f float64, code string) (string, bool) {
	sections := strings.Split(code, ";")
	sec := sections[0]
	if f < 0 && len(sections) > 1 {
		sec, f = sections[1], -f
	}
	sec = bracketed.ReplaceAllString(sec, "")
	var prefix, suffix, pattern strings.Builder
	inPattern, done := false, false
	for i := 0; i < len(sec); i++ {
		c := sec[i]
		switch {
		case c == '"':
			j := strings.IndexByte(sec[i+1:], '"')
			if j < 0 {
				return "", false
			}
			lit := sec[i+1 : i+1+j]
			i += j + 1
			if inPattern {
				suffix.WriteString(lit)
				done = true
			} else {
				prefix.WriteString(lit)
			}
		case c == '\\' && i+1 < len(sec):
			i++
			if inPattern {
				suffix.WriteByte(sec[i])
				done = true
			} else {
				prefix.WriteByte(sec[i])
			}
		case strings.IndexByte("0#?.,", c) >= 0:
			if done {
				return "", false
			}
			inPattern = true
			pattern.WriteByte(c)
		case c == '%':
			if !inPattern {
				return "", false
			}
			f *= 100
			suffix.WriteByte('%')
			done = true
		case c == ' ' || c == '(' || c == ')' || c == '-' || c == '_':
			if c == '_' { // a space the width of the next character
				i++
				c = ' '
			}
			if inPattern {
				suffix.WriteByte(c)
				done = true
			} else {
				prefix.WriteByte(c)
			}
		default:
			return "", false
		}
	}
	p := pattern.String()
	if p == "" {
		return "", false
	}
	intPart, decPart, _ := strings.Cut(p, ".")
	if strings.Contains(decPart, ".") {
		return "", false
	}
	thousands := strings.Contains(intPart, ",")
	intPart = strings.ReplaceAll(intPart, ",", "")
	decimals := len(decPart)
	// Excel rounds halves away from zero; FormatFloat would round them
	// to even.
	scale := math.Pow10(decimals)
	s := strconv.FormatFloat(math.Round(math.Abs(f)*scale)/scale, 'f', decimals, 64)
	whole, frac, _ := strings.Cut(s, ".")
	if minDigits := strings.Count(intPart, "0"); len(whole) < minDigits {
		whole = strings.Repeat("0", minDigits-len(whole)) + whole
	} else if whole == "0" && minDigits == 0 {
		whole = ""
	}
	if thousands && len(whole) > 3 {
		var b strings.Builder
		for i, d := range whole {
			if i > 0 && (len(whole)-i)%3 == 0 {
				b.WriteByte(',')
			}
			b.WriteRune(d)
		}
		whole = b.String()
	}
	// Optional decimal places (#) drop their trailing zeros.
	if opt := strings.Count(decPart, "#") + strings.Count(decPart, "?"); opt > 0 {
		keep := len(frac)
		for keep > decimals-opt && keep > 0 && frac[keep-1] == '0' {
			keep--
		}
		frac = frac[:keep]
	}
	out := whole
	if frac != "" {
		out += "." + frac
	}
	if f < 0 && len(sections) == 1 {
		out = "-" + out
	}
	return prefix.String() + out + suffix.String(), true
}
