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

	// The trend charts' zoom button (a toggle: aria-pressed says its state).
	"chart.zoom": "Phóng to trục điểm",
	// The overview's chart of the agencies' totals.
	"chart.agencies.desc": "Biểu đồ thanh tổng điểm của %d sở, ban, ngành của %s, từ cao xuống thấp, mỗi thanh ghi điểm và xếp loại; đường đứt nét là điểm trung bình (%s).",
	"chart.agencies.avg":  "Trung bình",
	// The embedded chart of a long ranking: both ends only.
	"embed.ranking.ends":      "Biểu đồ: %d đơn vị đứng đầu và %d đơn vị đứng cuối trong %d; bảng số liệu và trang xếp hạng có đủ:",
	"chart.ranking.ends.desc": "Biểu đồ thanh tổng điểm của %d đơn vị đứng đầu và %d đơn vị đứng cuối trong %d %s, xếp từ cao xuống thấp.",
	// The overview's paragraph for citizens.
	// Points a unit without figures gets from the no-data rules only.
	"unit.rulegiven":        "không có số liệu — điểm theo quy tắc",
	"unit.rulegiven.metric": "Không có số liệu — điểm theo quy tắc “%s”",
	// A district's page: its communes.
	"district.communes":      "Các xã của %s",
	"district.communes.hint": "Thứ hạng của mỗi xã là thứ hạng trong tất cả các xã của tỉnh.",
	"district.communes.all":  "Tất cả các xã của tỉnh",
	// The commune ranking's filter.
	"rankings.filter.district":     "Huyện",
	"rankings.filter.district.all": "Tất cả các huyện",
	"rankings.filter.search":       "Tên xã",
	"rankings.filter.submit":       "Lọc",
	"err.district.invalid":         "Huyện đã chọn không tồn tại.",
	"about.title":                  "Chỉ số này là gì?",
	"about.measures":               "Bộ chỉ số đo chất lượng phục vụ người dân, doanh nghiệp khi giải quyết thủ tục hành chính và dịch vụ công, trên thang 100 điểm gồm: %s.",
	"about.who":                    "Cổng Dịch vụ công quốc gia chấm điểm từ hồ sơ thực tế theo Quyết định số 766/QĐ-TTg; trang này tính lại đúng theo cách đó, từ cùng số liệu, cho tỉnh và cho từng cơ quan, đơn vị.",
	"about.bands":                  "Theo tổng điểm, mỗi nơi được xếp loại: %s.",
	"about.band.min":               "%s từ %s điểm",
	"about.band.below":             "%s dưới %s điểm",
	"about.province":               "Điểm của tỉnh không phải trung bình điểm các đơn vị: nó được tính trên toàn bộ hồ sơ của tỉnh (gộp hồ sơ của mọi sở, ban, ngành, xã, phường), nên một chỉ số yếu ở nơi có nhiều hồ sơ kéo điểm của tỉnh xuống dù phần lớn đơn vị đạt điểm cao.",
	"about.now":                    "Kỳ này tỉnh xếp loại %s, trong khi %d/%d sở, ban, ngành xếp loại %s.",
	"about.more":                   "Cách tính điểm chi tiết",
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

	"chart.zoom":                   "Zoom the score axis",
	"chart.agencies.desc":          "Bar chart of the totals of the %d agencies of %s, highest first, each bar with its score and band; the dashed line is their average (%s).",
	"chart.agencies.avg":           "Average",
	"embed.ranking.ends":           "Chart: the top %d and the bottom %d of %d; the table and the ranking page have them all:",
	"chart.ranking.ends.desc":      "Bar chart of the totals of the top %d and the bottom %d of %d %s, highest first.",
	"unit.rulegiven":               "no data — points given by the rule",
	"unit.rulegiven.metric":        "No data — points given by the rule “%s”",
	"district.communes":            "Communes of %s",
	"district.communes.hint":       "Each commune's rank is its rank among all the province's communes.",
	"district.communes.all":        "All communes of the province",
	"rankings.filter.district":     "District",
	"rankings.filter.district.all": "All districts",
	"rankings.filter.search":       "Commune name",
	"rankings.filter.submit":       "Filter",
	"err.district.invalid":         "The district chosen does not exist.",
	"about.title":                  "What is this index?",
	"about.measures":               "The index measures how well people and businesses are served when they carry out administrative procedures and use public services, on a 100-point scale made of: %s.",
	"about.who":                    "The National Public Service Portal scores it from real dossiers under Decision No. 766/QD-TTg; this site recomputes the scores exactly that way, from the same figures, for the province and for each agency and commune.",
	"about.bands":                  "By total score, each is rated: %s.",
	"about.band.min":               "%s from %s points",
	"about.band.below":             "%s below %s points",
	"about.province":               "The province's score is not the average of its units' scores: it is computed over all of the province's dossiers (those of every agency and commune together), so a weak metric where many dossiers are handled pulls the province down even when most units score high.",
	"about.now":                    "In this period the province is rated %s, while %d of %d agencies are rated %s.",
	"about.more":                   "How the scores are computed",
}
