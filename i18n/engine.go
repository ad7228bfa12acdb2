package i18n

// Words for what the scoring engine returns as figures and codes (package
// present words them): the problems of a what-if input.

var engineVI = map[string]string{
	"whatif.field.numerator":    "Tử số",
	"whatif.field.denominator":  "Mẫu số",
	"whatif.err.not_a_number":   "%s phải là số nguyên không âm.",
	"whatif.err.ratio_text":     "Tỷ lệ phải là số phần trăm, tối đa hai chữ số thập phân (ví dụ 95,5).",
	"whatif.err.too_large":      "%s quá lớn (tối đa %s).",
	"whatif.err.negative":       "%s không được âm.",
	"whatif.err.ratio_range":    "Tỷ lệ phải từ 0% đến 100%.",
	"whatif.err.ratio_and_num":  "Chỉ nhập tử số hoặc tỷ lệ, không nhập cả hai.",
	"whatif.err.repeated":       "Chỉ tiêu này được nhập hai lần.",
	"whatif.err.unknown_metric": "Chỉ tiêu %q không có trong bộ chỉ số %s.",
	"whatif.err.num_above_den":  "Tử số (%s) không được lớn hơn mẫu số (%s).",
	"whatif.err.invalid":        "Số liệu nhập không hợp lệ.",
}

var engineEN = map[string]string{
	"whatif.field.numerator":    "The numerator",
	"whatif.field.denominator":  "The denominator",
	"whatif.err.not_a_number":   "%s must be a whole number (0 or more).",
	"whatif.err.ratio_text":     "The ratio must be a percentage with at most two decimals (e.g. 95.5).",
	"whatif.err.too_large":      "%s is too large (at most %s).",
	"whatif.err.negative":       "%s must not be negative.",
	"whatif.err.ratio_range":    "The ratio must be between 0% and 100%.",
	"whatif.err.ratio_and_num":  "Give a numerator or a ratio, not both.",
	"whatif.err.repeated":       "The metric is given twice.",
	"whatif.err.unknown_metric": "Metric %q is not in scheme %s.",
	"whatif.err.num_above_den":  "The numerator (%s) cannot be larger than the denominator (%s).",
	"whatif.err.invalid":        "Invalid input.",
}
