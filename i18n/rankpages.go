package i18n

// Messages of the rankings' pages: the navigation between the pages of a
// long ranking, the choice of a province in the country's ranking, and
// the API's paging parameters.

var rankPagesVI = map[string]string{
	"rankings.pager":                  "Các trang của bảng xếp hạng",
	"rankings.page.of":                "Trang %d/%d",
	"rankings.page.rows":              "dòng %s–%s trong %s",
	"rankings.page.first":             "« Trang đầu",
	"rankings.page.prev":              "‹ Trang trước",
	"rankings.page.next":              "Trang sau ›",
	"rankings.page.last":              "Trang cuối »",
	"rankings.page.go.label":          "Đến trang",
	"rankings.page.go":                "Xem",
	"rankings.page.clamped":           "Không có trang %s: bảng xếp hạng này có %s trang. Dưới đây là trang cuối.",
	"rankings.filter.province":        "Tỉnh, thành phố",
	"rankings.filter.province.all":    "Cả nước",
	"rankings.national.hint":          "Bảng xếp hạng %s của cả nước: thứ hạng là thứ hạng trong cả nước; chọn một tỉnh, thành phố để xem thứ hạng trong tỉnh. Tệp tải về có đủ mọi đơn vị.",
	"rankings.province.held":          "Hạng trong dữ liệu",
	"rankings.province.held.title":    "Thứ hạng giữa các tỉnh, thành phố có trong cơ sở dữ liệu này, không phải thứ hạng toàn quốc",
	"rankings.province.official":      "Xếp hạng toàn quốc (Cổng DVCQG)",
	"rankings.province.unknown":       "Chưa nhập kết quả Cổng Dịch vụ công quốc gia công bố cho kỳ này",
	"rankings.province.hint":          "Cột «Hạng trong dữ liệu» xếp các tỉnh, thành phố có trong cơ sở dữ liệu này (%s) với nhau, không phải thứ hạng toàn quốc (cả nước có %d tỉnh, thành phố trong kỳ này).",
	"rankings.province.hint.official": "Cột «Xếp hạng toàn quốc (Cổng DVCQG)» là thứ hạng do Cổng Dịch vụ công quốc gia công bố, giữ nguyên như đã công bố; dấu — là chưa nhập kết quả công bố của tỉnh đó.",
	"embed.ranking.ends.cut":          "Biểu đồ: %d đơn vị đứng đầu và %d đơn vị đứng cuối trong %s; bảng số liệu: %d đơn vị đứng đầu và %d đơn vị đứng cuối; trang xếp hạng có đủ:",
	"err.rankings.page":               "Số trang không hợp lệ: hãy ghi một số nguyên từ 1 trở lên, ví dụ page=2.",
	"err.api.page":                    "Tham số page “%s” không hợp lệ: dùng một số nguyên từ 1 trở lên, ví dụ page=2.",
	"err.api.perpage":                 "Tham số per_page “%s” không hợp lệ: dùng một số nguyên từ 1 đến %d.",
}

var rankPagesEN = map[string]string{
	"rankings.pager":                  "Pages of the ranking",
	"rankings.page.of":                "Page %d/%d",
	"rankings.page.rows":              "rows %s–%s of %s",
	"rankings.page.first":             "« First page",
	"rankings.page.prev":              "‹ Previous page",
	"rankings.page.next":              "Next page ›",
	"rankings.page.last":              "Last page »",
	"rankings.page.go.label":          "Go to page",
	"rankings.page.go":                "Show",
	"rankings.page.clamped":           "There is no page %s: this ranking has %s pages. Below is the last page.",
	"rankings.filter.province":        "Province or city",
	"rankings.filter.province.all":    "Whole country",
	"rankings.national.hint":          "The ranking of %s of the whole country: each rank is among the whole country; choose a province or city to see the ranks within it. The downloads hold every unit.",
	"rankings.province.held":          "Rank in this data",
	"rankings.province.held.title":    "Rank among the provinces this database holds, not the national rank",
	"rankings.province.official":      "National rank (National Public Service Portal)",
	"rankings.province.unknown":       "No results published by the National Public Service Portal imported for this period",
	"rankings.province.hint":          "The column “Rank in this data” ranks the provinces this database holds (%s) among themselves; it is not the national rank (the country has %d provinces in this period).",
	"rankings.province.hint.official": "The column “National rank (National Public Service Portal)” is the rank the portal published, as published; — means that province's published results were not imported.",
	"embed.ranking.ends.cut":          "Chart: the top %d and the bottom %d of %s; table: the top %d and the bottom %d; the ranking page has them all:",
	"err.rankings.page":               "Invalid page number: give a whole number from 1, for example page=2.",
	"err.api.page":                    "Invalid page \"%s\": use a whole number from 1, e.g. page=2.",
	"err.api.perpage":                 "Invalid per_page \"%s\": use a whole number from 1 to %d.",
}
