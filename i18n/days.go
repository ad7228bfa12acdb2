package i18n

// Messages of a running period followed day by day from the portal's
// captures: the "as of" notice, the movers since the day and the week
// before, a unit's day-by-day chart and the week report.

var daysVI = map[string]string{
	"days.asof":        "Số liệu tính đến %s",
	"days.asof.moment": "%s ngày %s",
	"days.asof.note":   "Kỳ đang diễn ra: Cổng Dịch vụ công quốc gia cập nhật số liệu hằng ngày, nên điểm và thứ hạng còn thay đổi đến hết kỳ.",

	"days.heading":    "Biến động theo ngày",
	"days.hint":       "So sánh số liệu tính đến %s với các lần cập nhật trước; thứ hạng tính trong từng loại đơn vị của tỉnh.",
	"days.official":   "Điểm và thứ hạng theo kết quả Cổng Dịch vụ công quốc gia công bố.",
	"days.ours":       "Điểm và thứ hạng tính lại từ số liệu Cổng Dịch vụ công quốc gia công bố.",
	"days.since.day":  "So với hôm trước (%s)",
	"days.since.week": "So với một tuần trước (%s)",
	"days.up":         "Tăng nhiều nhất",
	"days.down":       "Giảm nhiều nhất",
	"days.none":       "Không có đơn vị nào thay đổi điểm hoặc thứ hạng.",
	"days.col.points": "Điểm thay đổi",
	"days.col.rank":   "Hạng thay đổi",
	"days.col.before": "Trước",
	"days.col.now":    "Hiện tại",

	"days.change.points.up":   "tăng %s điểm",
	"days.change.points.down": "giảm %s điểm",
	"days.change.points.same": "điểm không đổi",
	"days.change.rank.up":     "tăng %s bậc",
	"days.change.rank.down":   "giảm %s bậc",
	"days.change.rank.same":   "giữ nguyên thứ hạng",

	"days.unit.heading":    "Diễn biến theo ngày",
	"days.unit.hint":       "Tổng điểm và thứ hạng của đơn vị trong %s, theo lần cập nhật cuối cùng của mỗi ngày; thứ hạng tính trong %s của tỉnh.",
	"days.unit.hint.total": "Tổng điểm của đơn vị trong %s, theo lần cập nhật cuối cùng của mỗi ngày.",
	"days.unit.preparing":  "Biểu đồ theo ngày đang được chuẩn bị từ các lần cập nhật của Cổng; vui lòng tải lại trang sau ít phút.",
	"days.unit.chart":      "Tổng điểm và thứ hạng của %s theo %d ngày có số liệu",
	"days.unit.caption":    "Tổng điểm và thứ hạng theo ngày của %s, %s",
	"days.col.day":         "Ngày",
	"days.series.total":    "Tổng điểm",
	"days.series.rank":     "Thứ hạng",
}

var daysEN = map[string]string{
	"days.asof":        "Figures as of %s",
	"days.asof.moment": "%s on %s",
	"days.asof.note":   "The period is still running: the National Public Service Portal updates its figures daily, so scores and ranks may change until it ends.",

	"days.heading":    "Day-by-day changes",
	"days.hint":       "The figures as of %s compared with earlier updates; ranks are within each kind of unit of the province.",
	"days.official":   "Scores and ranks as published by the National Public Service Portal.",
	"days.ours":       "Scores and ranks recomputed from the figures the National Public Service Portal published.",
	"days.since.day":  "Since the day before (%s)",
	"days.since.week": "Since a week before (%s)",
	"days.up":         "Largest rises",
	"days.down":       "Largest falls",
	"days.none":       "No unit's score or rank changed.",
	"days.col.points": "Change in points",
	"days.col.rank":   "Change in rank",
	"days.col.before": "Before",
	"days.col.now":    "Now",

	"days.change.points.up":   "up %s points",
	"days.change.points.down": "down %s points",
	"days.change.points.same": "score unchanged",
	"days.change.rank.up":     "up %s places",
	"days.change.rank.down":   "down %s places",
	"days.change.rank.same":   "rank unchanged",

	"days.unit.heading":    "Day by day",
	"days.unit.hint":       "The unit's total and rank in %s, as of the last update of each day; ranks are among the %s of the province.",
	"days.unit.hint.total": "The unit's total in %s, as of the last update of each day.",
	"days.unit.preparing":  "The day-by-day chart is being prepared from the portal's updates; please reload the page in a few minutes.",
	"days.unit.chart":      "Total and rank of %s over %d days with figures",
	"days.unit.caption":    "Total and rank by day of %s, %s",
	"days.col.day":         "Day",
	"days.series.total":    "Total",
	"days.series.rank":     "Rank",
}
