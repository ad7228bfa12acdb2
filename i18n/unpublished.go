package i18n

// Messages of a period that has figures not yet published (a draft), as a
// visitor who may not see it is told: plainly that it is not published yet,
// never that it has no data, with the latest published period instead.

var unpublishedVI = map[string]string{
	"unpublished.title":   "Kỳ này chưa được công bố",
	"unpublished.text":    "Số liệu %s chưa được công bố. Kết quả sẽ hiện ở đây khi văn phòng công bố.",
	"unpublished.latest":  "Xem kỳ đã công bố gần nhất:",
	"unpublished.none":    "Chưa có kỳ nào được công bố.",
	"unpublished.badge":   "chưa công bố",
	"report.unpublished":  "Số liệu %s của %s chưa được công bố nên chưa có báo cáo. Báo cáo được lập khi số liệu của kỳ đã được công bố.",
	"weekdoc.unpublished": "Số liệu cập nhật từ Cổng Dịch vụ công quốc gia trong %s chưa được công bố.",
	"embed.unpublished":   "Số liệu %s chưa được công bố.",

	"err.export.unpublished":   "Số liệu %s chưa được công bố nên chưa có dữ liệu để tải. Hãy chọn kỳ đã công bố.",
	"err.opendata.unpublished": "Số liệu %s chưa được công bố. Danh sách các kỳ đã công bố ở trang /open-data.",
}

var unpublishedEN = map[string]string{
	"unpublished.title":   "This period is not yet published",
	"unpublished.text":    "The figures of %s are not published yet. The results will show here once the office publishes them.",
	"unpublished.latest":  "See the latest published period:",
	"unpublished.none":    "No period has been published yet.",
	"unpublished.badge":   "not yet published",
	"report.unpublished":  "The figures of %s for %s are not published yet, so there is no report. A report is drawn up once the period's figures are published.",
	"weekdoc.unpublished": "The updates from the National Public Service Portal in %s are not published yet.",
	"embed.unpublished":   "The figures of %s are not published yet.",

	"err.export.unpublished":   "The figures of %s are not published yet, so there is nothing to download: choose a published period.",
	"err.opendata.unpublished": "The figures of %s are not published yet; see /open-data for the published periods.",
}
