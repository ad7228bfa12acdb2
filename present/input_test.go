package present

import (
	"testing"

	"scorecard/i18n"
	"scorecard/scoring"
)

func TestInputError(t *testing.T) {
	for _, tc := range []struct {
		e      scoring.InputError
		vi, en string
	}{
		{scoring.InputError{Field: "numerator", Code: scoring.ErrCodeNegative}, "Tử số không được âm.", "The numerator must not be negative."},
		{scoring.InputError{Field: "denominator", Code: scoring.ErrCodeNegative}, "Mẫu số không được âm.", "The denominator must not be negative."},
		{scoring.InputError{Field: "numerator", Code: scoring.ErrCodeNumAboveDen, Num: 1235, Den: 1234},
			"Tử số (1.235) không được lớn hơn mẫu số (1.234).", "The numerator (1,235) cannot be larger than the denominator (1,234)."},
		{scoring.InputError{Field: "numerator", Code: scoring.ErrCodeNumAboveDen, Num: 3}, "Tử số (3) không được lớn hơn mẫu số (0).", "The numerator (3) cannot be larger than the denominator (0)."},
		{scoring.InputError{Metric: "NOT_A_METRIC", Field: "metric", Code: scoring.ErrCodeUnknownMetric, Scheme: "qd766"},
			"Chỉ tiêu \"NOT_A_METRIC\" không có trong bộ chỉ số qd766.", "Metric \"NOT_A_METRIC\" is not in scheme qd766."},
		{scoring.InputError{Field: "numerator", Code: scoring.ErrCodeTooLarge}, "Tử số quá lớn (tối đa 1.000.000.000).", "The numerator is too large (at most 1,000,000,000)."},
		{scoring.InputError{Field: "ratio", Code: scoring.ErrCodeRatioRange}, "Tỷ lệ phải từ 0% đến 100%.", "The ratio must be between 0% and 100%."},
		{scoring.InputError{Field: "ratio", Code: scoring.ErrCodeRatioAndNum}, "Chỉ nhập tử số hoặc tỷ lệ, không nhập cả hai.", "Give a numerator or a ratio, not both."},
		{scoring.InputError{Field: "numerator", Code: scoring.ErrCodeNotANumber}, "Tử số phải là số nguyên không âm.", "The numerator must be a whole number (0 or more)."},
		{scoring.InputError{Field: "ratio", Code: scoring.ErrCodeNotANumber}, "Tỷ lệ phải là số phần trăm, tối đa hai chữ số thập phân (ví dụ 95,5).",
			"The ratio must be a percentage with at most two decimals (e.g. 95.5)."},
		{scoring.InputError{Field: "metric", Code: scoring.ErrCodeRepeated}, "Chỉ tiêu này được nhập hai lần.", "The metric is given twice."},
		{scoring.InputError{Field: "metric", Code: scoring.ErrCodeOfficialOnly}, "Nhóm chỉ số này theo Cổng DVCQG, không có số liệu chi tiết: không thể thử tính.",
			"This group is as published by the national portal, without detailed counts: it cannot be tried."},
	} {
		if got := InputError(i18n.VI, &tc.e); got != tc.vi {
			t.Errorf("%s/%s: %q, want %q", tc.e.Code, tc.e.Field, got, tc.vi)
		}
		if got := InputError(i18n.EN, &tc.e); got != tc.en {
			t.Errorf("%s/%s: %q, want %q", tc.e.Code, tc.e.Field, got, tc.en)
		}
	}
}
