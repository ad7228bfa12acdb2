package report

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scoring"
)

// The wording helpers of the report's prose: lists "A, B và C", the date
// line of Decree 30/2020/NĐ-CP, names and periods inside a sentence. The
// words are the catalogue's (reportdoc.prose.*), the numbers package
// present's.

// JoinVI joins items the way Vietnamese prose lists them: "A", "A và B",
// "A, B và C". When an item itself contains a comma between words ("Sở Văn
// hóa, Thể thao và Du lịch"), items are separated by semicolons so the list
// stays readable: "A; B, C và D; E". A decimal comma ("82,28 điểm") is not
// such a comma.
func JoinVI(items []string) string { return join(i18n.VI, items) }

// join is JoinVI in language l ("A, B and C").
func join(l i18n.Lang, items []string) string {
	sep := ", "
	for _, it := range items {
		if strings.Contains(it, ", ") {
			sep = "; "
			break
		}
	}
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return l.T("reportdoc.prose.and", strings.Join(items[:len(items)-1], sep), items[len(items)-1])
}

// AdminDate writes the place and date line of an administrative document
// (Decree 30/2020/NĐ-CP, Appendix I, "Địa danh và thời gian ban hành văn
// bản"): the date is written in full with Arabic numerals, and a zero is
// added in front of days below 10 and of months 1 and 2 — so that nobody can
// turn "ngày 5" into "ngày 15" or "tháng 1" into "tháng 11" by adding a digit.
// Months 3 to 12 take no leading zero (there is no month 13 to forge).
// Example: "Bắc Kạn, ngày 05 tháng 5 năm 2024". The date is taken in Vietnam
// time.
func AdminDate(place string, t time.Time) string {
	return place + ", " + AdminDateOnly(t)
}

// AdminDateOnly is AdminDate without the place: "ngày 05 tháng 02 năm 2024".
func AdminDateOnly(t time.Time) string {
	t = t.In(scoring.Location)
	day := strconv.Itoa(t.Day())
	if t.Day() < 10 {
		day = "0" + day
	}
	month := strconv.Itoa(int(t.Month()))
	if t.Month() <= time.February {
		month = "0" + month
	}
	return i18n.VI.T("reportdoc.prose.date", day, month, t.Year())
}

// PlaceName is the place name of the date line for a province: the official
// name of the administrative unit without its rank ("Tỉnh Bắc Kạn" → "Bắc
// Kạn", "Thành phố Hà Nội" → "Hà Nội"), as Decree 30/2020 writes it.
func PlaceName(provinceName string) string { return present.ProvinceProperName(provinceName) }

// upperFirst capitalises the first letter of a sentence.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// provinceInSentence is the province's name inside a sentence: in
// Vietnamese its rank word in lower case ("tỉnh Bắc Kạn", "thành phố Hà
// Nội"); other names (a ministry) are kept as they are.
func provinceInSentence(l i18n.Lang, name string) string {
	if l == i18n.VI {
		return present.ProvinceInSentence(name)
	}
	return name
}

// periodInSentence is a period label inside a sentence: "tháng 04/2024",
// "quý II/2024", "6 tháng đầu năm 2024", "năm 2024".
func periodInSentence(l i18n.Lang, p scoring.Period) string {
	return present.Lower(l, present.Period(l, p))
}

// kindNoun is how the prose counts units of a kind: "7 Sở, ban, ngành",
// "3 đơn vị cấp huyện", "12 đơn vị cấp xã".
func kindNoun(l i18n.Lang, k scoring.UnitKind) string {
	if k.Valid() {
		return l.T("reportdoc.kind.count." + string(k))
	}
	return l.T("reportdoc.kind.count")
}

// kindBlock names the group of units of a kind: "khối Sở, ban, ngành",
// "cấp huyện", "cấp xã".
func kindBlock(l i18n.Lang, k scoring.UnitKind) string {
	if k.Valid() {
		return l.T("reportdoc.kind.block." + string(k))
	}
	return kindNoun(l, k)
}

// signed writes a change of points with its word: "tăng 1,20 điểm",
// "giảm 0,35 điểm", "không thay đổi".
func signed(l i18n.Lang, c scoring.Cents) string {
	switch {
	case c > 0:
		return l.T("reportdoc.prose.change.up", present.Score(l, c))
	case c < 0:
		return l.T("reportdoc.prose.change.down", present.Score(l, -c))
	}
	return l.T("reportdoc.prose.change.none")
}
