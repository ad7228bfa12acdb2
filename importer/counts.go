package importer

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"scorecard/scoring"
	"scorecard/store"
)

// maxCount bounds numerators and denominators: far above any count of
// dossiers or procedures, far below where sums over a year could overflow.
const maxCount = 1_000_000_000_000

type countKey struct{ period, unit, metric string }

var (
	shortMonthRe = regexp.MustCompile(`^[0-9]{4}-[0-9]$`)
	digitsRe     = regexp.MustCompile(`^[0-9]+$`)
	negativeRe   = regexp.MustCompile(`^-\s*[0-9]`)
	numberishRe  = regexp.MustCompile(`^[0-9][0-9., \x{00A0}']*$`)
)

// checkCounts validates a metric counts file.
func (im *Importer) checkCounts(ctx context.Context, rows []fields, ps *problems) ([]store.CountRow, error) {
	db, err := im.st.UnitCodes(ctx)
	if err != nil {
		return nil, fmt.Errorf("importer: %w", err)
	}
	var folded map[string]string // lower-case code → code, built on first miss
	seen := make(map[countKey]int, len(rows))
	out := make([]store.CountRow, 0, len(rows))
	for _, r := range rows {
		ok := true
		bad := func(col, vi, en string) { ps.add(r.n, col, vi, en); ok = false }

		period := r.cells["period"]
		if p, err := scoring.ParsePeriod(period); period == "" {
			bad("period", "Thiếu kỳ (period).", "The period is empty.")
		} else if err != nil {
			vi, en := "", ""
			switch {
			case shortMonthRe.MatchString(period):
				vi, en = " Tháng viết đủ hai chữ số, ví dụ 2024-04.", " Write the month with two digits, e.g. 2024-04."
			case strings.ToUpper(period) != period:
				if _, e := scoring.ParsePeriod(strings.ToUpper(period)); e == nil {
					vi, en = " Viết Q, H bằng chữ hoa: "+strings.ToUpper(period)+".", " Write Q and H in upper case: "+strings.ToUpper(period)+"."
				}
			}
			bad("period", "Kỳ "+quote(period)+" không hợp lệ: dùng YYYY-MM (tháng, ví dụ 2024-04), YYYY-Qn (quý, 2024-Q2), YYYY-Hn (6 tháng, 2024-H1) hoặc YYYY (năm)."+vi,
				"The period "+quote(period)+" is not valid: use YYYY-MM (month, e.g. 2024-04), YYYY-Qn (quarter, 2024-Q2), YYYY-Hn (half-year, 2024-H1) or YYYY (year)."+en)
		} else {
			period = p.String()
		}

		unit := r.cells["unit_code"]
		if vi, en := codeProblem(unit); unit == "" {
			bad("unit_code", "Thiếu mã đơn vị.", "The unit code is empty.")
		} else if vi != "" {
			bad("unit_code", "Mã đơn vị "+quote(unit)+" "+vi+".", "The unit code "+quote(unit)+" "+en+".")
		} else if _, found := db[unit]; !found {
			if folded == nil {
				folded = make(map[string]string, len(db))
				for c := range db {
					folded[strings.ToLower(c)] = c
				}
			}
			vi, en := "", ""
			if c, ok := folded[strings.ToLower(unit)]; ok {
				vi, en = " Có đơn vị "+quote(c)+": mã phân biệt chữ hoa, chữ thường.", " There is a unit "+quote(c)+": codes are case-sensitive."
			}
			bad("unit_code", "Đơn vị "+quote(unit)+" chưa có trong cơ sở dữ liệu. Hãy nhập tệp danh sách đơn vị có mã này trước."+vi,
				"The unit "+quote(unit)+" is not in the database. Import a units file with this code first."+en)
		}

		metric := r.cells["metric"]
		if vi, en := codeProblem(metric); metric == "" {
			bad("metric", "Thiếu mã chỉ số.", "The metric code is empty.")
		} else if vi != "" {
			bad("metric", "Mã chỉ số "+quote(metric)+" "+vi+".", "The metric code "+quote(metric)+" "+en+".")
		} else if !im.schemes.KnownMetric(metric) {
			vi, en := "", ""
			if c := im.metricFold(metric); c != "" {
				vi, en = " Có phải "+c+"? Mã phân biệt chữ hoa, chữ thường.", " Did you mean "+c+"? Codes are case-sensitive."
			}
			bad("metric", "Mã chỉ số "+quote(metric)+" không có trong bộ chỉ số (xem trang Phương pháp để biết các mã)."+vi,
				"The metric code "+quote(metric)+" is not in the scoring scheme (see the Methodology page for the codes)."+en)
		}

		num, numOK := parseCount(r, "numerator", bad)
		den, denOK := parseCount(r, "denominator", bad)
		switch {
		case !numOK || !denOK:
		case num == nil && den != nil:
			bad("numerator", "Thiếu tử số: tử số và mẫu số phải cùng có số, hoặc cùng để trống khi không có số liệu.",
				"The numerator is empty: numerator and denominator are both given, or both left empty when there are no counts.")
		case num != nil && den == nil:
			bad("denominator", "Thiếu mẫu số: tử số và mẫu số phải cùng có số, hoặc cùng để trống khi không có số liệu.",
				"The denominator is empty: numerator and denominator are both given, or both left empty when there are no counts.")
		case num != nil && *num > *den:
			bad("numerator", fmt.Sprintf("Tử số (%s) lớn hơn mẫu số (%s): tử số đếm một phần của mẫu số nên không thể lớn hơn.", scoring.FormatIntVI(*num), scoring.FormatIntVI(*den)),
				fmt.Sprintf("The numerator (%d) is larger than the denominator (%d): it counts part of the denominator.", *num, *den))
		}

		if !ok {
			continue
		}
		k := countKey{period, unit, metric}
		if first, dup := seen[k]; dup {
			ps.add(r.n, "", fmt.Sprintf("Dòng này trùng với dòng %d: cùng kỳ %s, đơn vị %s và chỉ số %s. Mỗi bộ (kỳ, đơn vị, chỉ số) chỉ có một dòng trong tệp.", first, period, unit, metric),
				fmt.Sprintf("This row repeats row %d: same period %s, unit %s and metric %s. Each (period, unit, metric) has one row in the file.", first, period, unit, metric))
			continue
		}
		seen[k] = r.n
		out = append(out, store.CountRow{Period: period, UnitCode: unit, Metric: metric, Numerator: num, Denominator: den})
	}
	return out, nil
}

// parseCount reads a count cell: empty (nil) or a non-negative integer
// written with digits only. A thousands separator is refused rather than
// guessed: "1.234" is 1234 to a Vietnamese reader and 1.234 to an English
// one, and guessing wrong would change a score silently.
func parseCount(r fields, col string, bad func(col, vi, en string)) (*int64, bool) {
	s := r.cells[col]
	name := map[string]string{"numerator": "Tử số", "denominator": "Mẫu số"}[col]
	switch {
	case s == "":
		return nil, true
	case digitsRe.MatchString(s):
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil || v > maxCount {
			bad(col, name+" "+quote(s)+" quá lớn.", "The "+col+" "+quote(s)+" is too large.")
			return nil, false
		}
		return &v, true
	case negativeRe.MatchString(s):
		bad(col, name+" "+quote(s)+" là số âm; số liệu đếm không thể âm.", "The "+col+" "+quote(s)+" is negative; counts cannot be.")
	case numberishRe.MatchString(s):
		bad(col, name+" "+quote(s)+" phải là số nguyên viết liền các chữ số, ví dụ 1234: không có phần thập phân, không có dấu chấm, dấu phẩy hay khoảng trắng phân cách hàng nghìn.",
			"The "+col+" "+quote(s)+" must be a whole number written with digits only, e.g. 1234: no decimals, no dots, commas or spaces between thousands.")
	default:
		bad(col, name+" "+quote(s)+" không phải là số.", "The "+col+" "+quote(s)+" is not a number.")
	}
	return nil, false
}

// metricFold finds a known metric code equal to s but for case.
func (im *Importer) metricFold(s string) string {
	for _, sc := range im.schemes.All() {
		for _, m := range sc.Metrics {
			if strings.EqualFold(m.Code, s) {
				return m.Code
			}
		}
	}
	return ""
}
