package importer

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"scorecard/models"
	"scorecard/scoring"
	"scorecard/store"
)

// maxRankOf bounds rank_of: Vietnam has 63 provinces (34 after the 2025
// merger); a larger number is a typing mistake, not a ranking.
const maxRankOf = 1000

type officialKey struct{ period, unit string }

// totalRe is a total as the portal prints it in machine form: digits,
// then optionally a dot and digits (the number of decimals is checked
// apart, for a clearer message).
var totalRe = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)

// checkOfficial validates a file of the results the national portal
// published (period,unit_code,total,rank,rank_of). The figures are copied
// from the portal, not computed, so the checks are strict: a canonical
// period, a known province, a total as the portal prints it (0–100, at
// most two decimals, a dot for the decimal point) and 1 ≤ rank ≤ rank_of.
func (im *Importer) checkOfficial(ctx context.Context, rows []fields, ps *problems) ([]store.OfficialResult, error) {
	db, err := im.st.UnitCodes(ctx)
	if err != nil {
		return nil, fmt.Errorf("importer: %w", err)
	}
	seen := make(map[officialKey]int, len(rows))
	out := make([]store.OfficialResult, 0, len(rows))
	for _, r := range rows {
		ok := true
		bad := func(col, vi, en string) { ps.add(r.n, col, vi, en); ok = false }

		period := r.cells["period"]
		if p, err := scoring.ParsePeriod(period); period == "" {
			bad("period", "Thiếu kỳ (period).", "The period is empty.")
		} else if err != nil || p.String() != period {
			vi, en := "", ""
			if shortMonthRe.MatchString(period) {
				vi, en = " Tháng viết đủ hai chữ số, ví dụ 2024-04.", " Write the month with two digits, e.g. 2024-04."
			}
			bad("period", "Kỳ "+quote(period)+" không hợp lệ: dùng đúng dạng YYYY-MM (tháng, ví dụ 2024-04), YYYY-Qn (quý, 2024-Q2), YYYY-Hn (6 tháng, 2024-H1) hoặc YYYY (năm)."+vi,
				"The period "+quote(period)+" is not valid: use exactly YYYY-MM (month, e.g. 2024-04), YYYY-Qn (quarter, 2024-Q2), YYYY-Hn (half-year, 2024-H1) or YYYY (year)."+en)
		}

		unit := r.cells["unit_code"]
		if u, found := db[unit]; unit == "" {
			bad("unit_code", "Thiếu mã đơn vị.", "The unit code is empty.")
		} else if !found {
			bad("unit_code", "Đơn vị "+quote(unit)+" chưa có trong cơ sở dữ liệu. Hãy nhập tệp danh sách đơn vị có mã này trước (mã phân biệt chữ hoa, chữ thường).",
				"The unit "+quote(unit)+" is not in the database. Import a units file with this code first (codes are case-sensitive).")
		} else if u.Kind != models.KindProvince {
			bad("unit_code", "Đơn vị "+quote(unit)+" không phải là tỉnh, thành phố: kết quả công bố trên Cổng Dịch vụ công quốc gia chỉ xếp hạng các tỉnh, thành phố.",
				"The unit "+quote(unit)+" is not a province: the national portal's published results rank provinces only.")
		}

		var total scoring.Cents
		switch s := r.cells["total"]; {
		case s == "":
			bad("total", "Thiếu tổng điểm (total).", "The total is empty.")
		case negativeRe.MatchString(s):
			bad("total", "Tổng điểm "+quote(s)+" là số âm; tổng điểm nằm trong khoảng từ 0 đến 100.", "The total "+quote(s)+" is negative; totals are between 0 and 100.")
		case strings.ContainsAny(s, ", \u00A0"):
			bad("total", "Tổng điểm "+quote(s)+" phải viết dấu chấm cho phần thập phân, không có dấu phẩy hay khoảng trắng, ví dụ 75.35.",
				"The total "+quote(s)+" must use a dot for decimals, with no commas or spaces, e.g. 75.35.")
		case !totalRe.MatchString(s):
			bad("total", "Tổng điểm "+quote(s)+" không phải là số.", "The total "+quote(s)+" is not a number.")
		case strings.Contains(s, ".") && len(s)-strings.IndexByte(s, '.')-1 > 2:
			bad("total", "Tổng điểm "+quote(s)+" có quá hai chữ số thập phân; Cổng công bố điểm với tối đa hai chữ số thập phân.",
				"The total "+quote(s)+" has more than two decimals; the portal publishes totals with at most two.")
		default:
			c, err := scoring.ParseCents(s)
			switch {
			case err != nil:
				bad("total", "Tổng điểm "+quote(s)+" không đọc được.", "The total "+quote(s)+" cannot be read.")
			case c > 100*100:
				bad("total", "Tổng điểm "+quote(s)+" phải nằm trong khoảng từ 0 đến 100.", "The total "+quote(s)+" must be between 0 and 100.")
			default:
				total = c
			}
		}

		rank, rankOK := parseRank(r, "rank", bad)
		rankOf, rankOfOK := parseRank(r, "rank_of", bad)
		if rankOK && rankOfOK && rank > rankOf {
			bad("rank", fmt.Sprintf("Thứ hạng (%d) lớn hơn số tỉnh, thành phố được xếp hạng (%d).", rank, rankOf),
				fmt.Sprintf("The rank (%d) is larger than the number of provinces ranked (%d).", rank, rankOf))
		}

		if !ok {
			continue
		}
		k := officialKey{period, unit}
		if first, dup := seen[k]; dup {
			ps.add(r.n, "", fmt.Sprintf("Dòng này trùng với dòng %d: cùng kỳ %s và đơn vị %s. Mỗi cặp (kỳ, đơn vị) chỉ có một dòng trong tệp.", first, period, unit),
				fmt.Sprintf("This row repeats row %d: same period %s and unit %s. Each (period, unit) has one row in the file.", first, period, unit))
			continue
		}
		seen[k] = r.n
		out = append(out, store.OfficialResult{Period: period, UnitCode: unit, Total: total, Rank: rank, RankOf: rankOf})
	}
	return out, nil
}

// parseRank reads rank or rank_of: a positive whole number, digits only.
func parseRank(r fields, col string, bad func(col, vi, en string)) (int, bool) {
	s := r.cells[col]
	name := map[string]string{"rank": "Thứ hạng (rank)", "rank_of": "Số tỉnh, thành phố được xếp hạng (rank_of)"}[col]
	if s == "" {
		bad(col, "Thiếu "+strings.ToLower(name[:1])+name[1:]+".", "The "+col+" is empty.")
		return 0, false
	}
	if !digitsRe.MatchString(s) {
		bad(col, name+" "+quote(s)+" phải là số nguyên dương viết liền các chữ số, ví dụ 12.",
			"The "+col+" "+quote(s)+" must be a positive whole number written with digits only, e.g. 12.")
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > maxRankOf {
		bad(col, fmt.Sprintf("%s %s phải nằm trong khoảng từ 1 đến %d.", name, quote(s), maxRankOf),
			fmt.Sprintf("The %s %s must be between 1 and %d.", col, quote(s), maxRankOf))
		return 0, false
	}
	return n, true
}
