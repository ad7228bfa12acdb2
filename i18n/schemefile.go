package i18n

// Words for what is wrong in a scheme file (scoring.SchemeProblem, worded
// by package present): read by the administrator who points the program
// at a folder of scheme files. The place in the file (groups[CKMB].max)
// and the values it takes (linear, threshold) are the file's own names and
// are not translated.

var schemeFileVI = map[string]string{
	"schemefile.at":                 "%[1]s, %[2]s: %[3]s",
	"schemefile.file":               "%[1]s: %[2]s",
	"schemefile.unreadable":         "không đọc được tệp.",
	"schemefile.syntax":             "không phải JSON hợp lệ.",
	"schemefile.syntax.line":        "không phải JSON hợp lệ (lỗi ở dòng %s).",
	"schemefile.unknown_field":      "định dạng bộ chỉ số không có trường này (viết sai tên?).",
	"schemefile.wrong_type":         "giá trị không đúng kiểu (trong tệp là %s).",
	"schemefile.number":             "%s: số chỉ được có tối đa hai chữ số thập phân.",
	"schemefile.tie_precision":      "phải là 0, 1 hoặc 2 (điểm có hai chữ số thập phân), không phải %s.",
	"schemefile.empty":              "không được để trống.",
	"schemefile.date":               "%q không phải ngày dạng YYYY-MM-DD.",
	"schemefile.repeated":           "mã %q đã dùng ở trên; mỗi mã chỉ dùng một lần.",
	"schemefile.negative":           "điểm tối đa không được âm (%s).",
	"schemefile.groups_total":       "điểm tối đa của các nhóm cộng lại là %[1]s, phải là %[2]s.",
	"schemefile.metric_is_group":    "mã %q trùng mã một nhóm.",
	"schemefile.unknown_group":      "không có nhóm %q.",
	"schemefile.threshold_unused":   "chỉ chỉ tiêu có rule threshold mới có ngưỡng (threshold).",
	"schemefile.threshold_range":    "cần ngưỡng lớn hơn 0 và không quá 1 (ví dụ 0.8).",
	"schemefile.threshold_decimals": "ngưỡng %s có quá bốn chữ số thập phân.",
	"schemefile.not_one_of":         "%[1]q không hợp lệ: dùng %[2]s.",
	"schemefile.info_max":           "chỉ tiêu theo dõi (rule info) không có điểm: max phải là 0, không phải %s.",
	"schemefile.metrics_total":      "điểm tối đa của các chỉ tiêu trong nhóm cộng lại là %[1]s, khác điểm tối đa của nhóm (%[2]s).",
	"schemefile.no_bands":           "cần ít nhất một mức xếp loại.",
	"schemefile.band_min":           "mức tối thiểu phải từ 0 đến 100, không phải %s.",
	"schemefile.band_order":         "các mức xếp loại phải xếp từ mức tối thiểu cao nhất xuống thấp nhất.",
	"schemefile.last_band":          "mức xếp loại cuối cùng phải bắt đầu từ 0 để điểm nào cũng được xếp loại.",
	"schemefile.same_day":           "có hiệu lực cùng ngày %[1]s với bộ chỉ số trong %[2]s; mỗi phiên bản cần một ngày hiệu lực riêng.",
	"schemefile.other":              "không dùng được (%s).",
}

var schemeFileEN = map[string]string{
	"schemefile.at":                 "%[1]s, %[2]s: %[3]s",
	"schemefile.file":               "%[1]s: %[2]s",
	"schemefile.unreadable":         "the file cannot be read.",
	"schemefile.syntax":             "not valid JSON.",
	"schemefile.syntax.line":        "not valid JSON (error on line %s).",
	"schemefile.unknown_field":      "the scheme format has no such field (misspelt?).",
	"schemefile.wrong_type":         "the value is of the wrong kind (the file has a %s).",
	"schemefile.number":             "%s: a number has at most two decimals.",
	"schemefile.tie_precision":      "must be 0, 1 or 2 (scores have two decimals), not %s.",
	"schemefile.empty":              "must not be empty.",
	"schemefile.date":               "%q is not a date YYYY-MM-DD.",
	"schemefile.repeated":           "the code %q is used above already; each code is used once.",
	"schemefile.negative":           "a maximum cannot be negative (%s).",
	"schemefile.groups_total":       "the groups' maxima add up to %[1]s; they must add up to %[2]s.",
	"schemefile.metric_is_group":    "the code %q is also a group's.",
	"schemefile.unknown_group":      "there is no group %q.",
	"schemefile.threshold_unused":   "only a metric with rule threshold has a threshold.",
	"schemefile.threshold_range":    "needs a threshold above 0 and at most 1 (for example 0.8).",
	"schemefile.threshold_decimals": "the threshold %s has more than four decimals.",
	"schemefile.not_one_of":         "%[1]q is not valid: use %[2]s.",
	"schemefile.info_max":           "an info metric carries no points: max must be 0, not %s.",
	"schemefile.metrics_total":      "the group's metric maxima add up to %[1]s, not the group's maximum (%[2]s).",
	"schemefile.no_bands":           "at least one band is needed.",
	"schemefile.band_min":           "a band minimum is between 0 and 100, not %s.",
	"schemefile.band_order":         "bands are listed from the highest minimum down.",
	"schemefile.last_band":          "the last band must start at 0 so that every score has a band.",
	"schemefile.same_day":           "takes effect on the same day, %[1]s, as the scheme in %[2]s; each version needs its own day.",
	"schemefile.other":              "cannot be used (%s).",
}
