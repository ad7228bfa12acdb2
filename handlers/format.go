package handlers

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"scorecard/scoring"
)

// vi-VN formatting for pages: "75,35", "1.234.567", "97,25%", "27/04/2024".
// Scores, ratios and maxima are scoring.Cents (exact hundredths), so they are
// formatted from integers, never through float64.

// intVI writes an integer with "." between thousands: 1.234.567.
func intVI(n int64) string {
	neg := n < 0
	// Work on the digits of |n|; strconv handles math.MinInt64 via uint64.
	u := uint64(n)
	if neg {
		u = -u
	}
	digits := strconv.FormatUint(u, 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	pre := len(digits) % 3
	if pre == 0 {
		pre = 3
	}
	b.WriteString(digits[:pre])
	for i := pre; i < len(digits); i += 3 {
		b.WriteByte('.')
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

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
}

// scoreChange describes a change of total, in points.
func scoreChange(d *scoring.Cents) change {
	if d == nil {
		return change{Label: "chưa có kỳ trước để so sánh"}
	}
	v := *d
	switch {
	case v > 0:
		return change{true, "▲", v.VI(), "up", "tăng " + v.VI() + " điểm so với kỳ trước"}
	case v < 0:
		return change{true, "▼", (-v).VI(), "down", "giảm " + (-v).VI() + " điểm so với kỳ trước"}
	}
	return change{true, "=", v.VI(), "same", "không đổi so với kỳ trước"}
}

// rankChange describes a change of rank; positive means moved up.
func rankChange(d *int) change {
	if d == nil {
		return change{Label: "chưa có kỳ trước để so sánh"}
	}
	v := *d
	switch {
	case v > 0:
		n := strconv.Itoa(v)
		return change{true, "▲", n, "up", "tăng " + n + " bậc so với kỳ trước"}
	case v < 0:
		n := strconv.Itoa(-v)
		return change{true, "▼", n, "down", "giảm " + n + " bậc so với kỳ trước"}
	}
	return change{true, "=", "0", "same", "giữ nguyên thứ hạng"}
}

// Vietnamese wording of the scheme's enumerations.

func sourceVI(s scoring.Source) string {
	switch s {
	case scoring.SourceOwn:
		return "số liệu của đơn vị"
	case scoring.SourceDerived:
		return "tổng hợp"
	case scoring.SourceProvince:
		return "kế thừa từ tỉnh"
	}
	return "không có số liệu"
}

// derivationVI explains how derived counts were obtained.
func derivationVI(m scoring.MetricScore) string {
	switch m.Derived {
	case scoring.DerivedDossier:
		return "từ hồ sơ trong kỳ"
	case scoring.DerivedMonths:
		s := "từ số liệu các tháng"
		if m.MonthsOf > 0 {
			s += " (" + strconv.Itoa(m.Months) + "/" + strconv.Itoa(m.MonthsOf) + " tháng)"
		}
		return s
	case scoring.DerivedPool:
		return "cộng từ các đơn vị trong tỉnh"
	}
	return ""
}

func ruleVI(m *scoring.Metric) string {
	switch m.Rule {
	case scoring.RuleLinear:
		return "Tuyến tính"
	case scoring.RuleThreshold:
		return "Ngưỡng " + shortVI(m.Threshold) + "%"
	case scoring.RuleInfo:
		return "Chỉ theo dõi"
	}
	return string(m.Rule)
}

func noDataVI(n scoring.NoData) string {
	switch n {
	case scoring.NoDataZero:
		return "0 điểm"
	case scoring.NoDataFull:
		return "Đủ điểm"
	case scoring.NoDataNone:
		return "Không tính"
	}
	return string(n)
}

func roundingVI(r scoring.Rounding) string {
	switch r {
	case scoring.RoundExact:
		return "Chính xác"
	case scoring.RoundPercentFirst:
		return "Làm tròn % trước"
	}
	return string(r)
}

func aggregationVI(a scoring.Aggregation) string {
	switch a {
	case scoring.Flow:
		return "Cộng dồn"
	case scoring.Snapshot:
		return "Tháng gần nhất"
	}
	return string(a)
}

func levelVI(l scoring.Level) string {
	if l == scoring.LevelProvince {
		return "Cấp tỉnh"
	}
	return "Từng đơn vị"
}

func confidenceVI(c string) string {
	switch c {
	case "legal":
		return "Văn bản pháp lý"
	case "data":
		return "Khớp số liệu công bố"
	case "assumed":
		return "Giả định"
	}
	return "—"
}

// periodKindVI names a period kind for the period selector's groups.
func periodKindVI(k scoring.PeriodKind) string {
	switch k {
	case scoring.Month:
		return "Tháng"
	case scoring.Quarter:
		return "Quý"
	case scoring.Half:
		return "6 tháng"
	case scoring.Year:
		return "Năm"
	}
	return string(k)
}

// unitKindVI is the singular name of a unit kind ("Sở, ban, ngành" is the
// plural heading from scoring).
func unitKindVI(k scoring.UnitKind) string {
	switch k {
	case scoring.KindProvince:
		return "Tỉnh, thành phố"
	case scoring.KindAgency:
		return "Sở, ban, ngành cấp tỉnh"
	case scoring.KindDistrict:
		return "Huyện, thị xã, thành phố thuộc tỉnh"
	case scoring.KindCommune:
		return "Xã, phường, thị trấn"
	}
	return string(k)
}
