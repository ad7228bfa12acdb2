package i18n

// Words of the portal's published figures on the pages: the marks of
// official-only scores, the staff's reconciliation page and the web import
// of captures.

var officialVI = map[string]string{
	"official.only":      "theo Cổng DVCQG, không có số liệu chi tiết",
	"official.only.note": "Cổng Dịch vụ công quốc gia công bố điểm của %s mà không kèm số liệu chi tiết: điểm được tính vào tổng điểm và xếp hạng như Cổng công bố, và không dùng được trong phần thử tính.",
	"official.shown":     "Điểm hiển thị là kết quả Cổng Dịch vụ công quốc gia công bố; số liệu chi tiết giải thích kết quả đó.",
}

var officialEN = map[string]string{
	"official.only":      "as published by the national portal, without detailed counts",
	"official.only.note": "The National Public Service Portal published the score of %s without detailed counts: it counts in the total and the ranks as published, and cannot be tried in the what-if.",
	"official.shown":     "The scores shown are the results the National Public Service Portal published; the detailed counts explain them.",
}
