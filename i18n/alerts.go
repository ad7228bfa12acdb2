package i18n

// The early warnings' subjects and messages (alerts/): written in both
// languages, Vietnamese first, in the e-mail and on the staff pages; and
// the store's refusal to change published figures without a correction.

var alertsVI = map[string]string{
	"alert.msg.band_drop":              "%s đã tụt từ loại %s xuống loại %s trong %s: %s điểm, so với %s điểm của %s.",
	"alert.msg.band_drop.partial":      "Nếu số liệu tạm tính của %[4]s giữ nguyên, %[1]s sẽ tụt từ loại %[2]s xuống loại %[3]s: %[5]s điểm, so với %[6]s điểm của %[7]s.",
	"alert.msg.band_drop.subject":      "Cảnh báo: %s tụt xuống loại %s (%s)",
	"alert.msg.band_drop.subject_risk": "Cảnh báo: %s có thể tụt xuống loại %s (%s)",
	"alert.msg.group_fall":             "%s, %s so với %s: %s. Ngưỡng cảnh báo: giảm quá %s điểm.",
	"alert.msg.group_fall.part":        "nhóm %s giảm %s điểm (từ %s xuống %s)",
	"alert.msg.group_fall.subject":     "Cảnh báo: %s giảm điểm nhóm chỉ số (%s)",
	"alert.msg.mail.footer":            "Thư này do hệ thống theo dõi Bộ chỉ số phục vụ người dân, doanh nghiệp gửi tự động; mỗi cảnh báo chỉ gửi một lần cho mỗi đơn vị, mỗi quy tắc, mỗi kỳ.",
	"alert.msg.mail.period":            "Kỳ: %s",
	"alert.msg.mail.unit":              "Đơn vị: %s (%s)",
	"alert.msg.on_time":                "%s: %s %s là %s%% (%s/%s), dưới ngưỡng %s%%.",
	"alert.msg.on_time.subject":        "Cảnh báo: %s có tỷ lệ hồ sơ đúng hạn dưới %s%% (%s)",
	"alert.msg.partial":                "Số liệu của kỳ là tạm tính.",
	"alert.msg.unrated":                "chưa xếp loại",
	"store.published.demo":             "Các kỳ này là của dữ liệu minh họa: xóa dữ liệu minh họa (scorecard demo remove) trước khi nhập số liệu thật.",
	"store.published.period":           "%s (công bố ngày %s)",
	"store.published.refused":          "Tệp làm thay đổi số liệu của kỳ đã công bố: %s. Muốn sửa số liệu đã công bố, hãy nhập lại dưới dạng điều chỉnh, kèm lý do bằng văn bản.",
}

var alertsEN = map[string]string{
	"alert.msg.band_drop":              "%s dropped from %s to %s in %s: %s points, against %s in %s.",
	"alert.msg.band_drop.partial":      "If the partial data for %[4]s holds, %[1]s will drop from %[2]s to %[3]s: %[5]s points, against %[6]s in %[7]s.",
	"alert.msg.band_drop.subject":      "Warning: %s dropped to %s (%s)",
	"alert.msg.band_drop.subject_risk": "Warning: %s may drop to %s (%s)",
	"alert.msg.group_fall":             "%s, %s against %s: %s. Warning threshold: a fall of more than %s points.",
	"alert.msg.group_fall.part":        "%s fell by %s points (from %s to %s)",
	"alert.msg.group_fall.subject":     "Warning: group scores of %s fell (%s)",
	"alert.msg.mail.footer":            "This message was sent automatically by the service-index monitoring system; each warning is sent once per unit, rule and period.",
	"alert.msg.mail.period":            "Period: %s",
	"alert.msg.mail.unit":              "Unit: %s (%s)",
	"alert.msg.on_time":                "%s: %s in %s is %s%% (%s/%s), below the %s%% floor.",
	"alert.msg.on_time.subject":        "Warning: the on-time rate of %s is below %s%% (%s)",
	"alert.msg.partial":                "The period's data is partial.",
	"alert.msg.unrated":                "unclassified",
	"store.published.demo":             "They were published by the demo data set: remove it first (scorecard demo remove).",
	"store.published.period":           "%s (published %s)",
	"store.published.refused":          "The file changes figures already published: %s. To change published figures, import it as a correction with a written reason (--correction \"…\").",
}
