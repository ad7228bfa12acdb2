package i18n

// Messages of the page layouts: the head of the unit page (what to fix
// first), the district pages, the overview's explanations and charts.

var layoutVI = map[string]string{
	// The head of the unit page.
	"lead.title":       "Việc cần làm trước",
	"lead.hint":        "Các chỉ số làm đơn vị mất nhiều điểm nhất, và cách cải thiện từng chỉ số.",
	"lead.lost":        "Mất %[1]s/%[2]s điểm",
	"lead.topband":     "Đơn vị đang ở mức xếp loại cao nhất (%s).",
	"lead.short":       "Số liệu của đơn vị chưa đủ để lên loại %s:",
	"lead.short.link":  "xem vì sao",
	"lead.whatif":      "Tính thử điểm với số liệu khác (trang tính thử)",
	"lead.details":     "Chi tiết",
	"lead.nav.metrics": "Điểm từng chỉ số",
	"lead.nav.stake":   "Điểm có thể cải thiện",
	"lead.nav.history": "Diễn biến",
	"lead.nav.compare": "So sánh",
}

var layoutEN = map[string]string{
	"lead.title":       "What to fix first",
	"lead.hint":        "The metrics that cost the unit the most points, and what to do about each.",
	"lead.lost":        "Lost %[1]s of %[2]s points",
	"lead.topband":     "The unit is in the highest band (%s).",
	"lead.short":       "The unit's own figures cannot lift it to %s:",
	"lead.short.link":  "see why",
	"lead.whatif":      "Try other figures (what-if calculator)",
	"lead.details":     "Details",
	"lead.nav.metrics": "Score of each metric",
	"lead.nav.stake":   "Points that can be won back",
	"lead.nav.history": "Over time",
	"lead.nav.compare": "Comparison",
}
