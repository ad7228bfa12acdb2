package i18n

// The prose of the report document (package report, Narrative): its
// headings and sentences, written from the report's facts. The document
// is in Vietnamese whatever the page language (Decree 30/2020/NĐ-CP); the
// English wording is the same report for a reader of the code, and keeps
// the catalogue whole. Figures arrive formatted (%s) by package present,
// except counts of units, places and months (%d). Parts of a sentence that
// are said only when the facts have them (a band, a change, a named unit)
// are keys of their own, each with its leading comma or semicolon, put in
// the sentence's last %s.

var reportProseVI = map[string]string{
	// Headings of the sections the scheme's groups do not name.
	"reportdoc.prose.h.general":         "Kết quả chung",
	"reportdoc.prose.h.processing":      "Tiến độ giải quyết hồ sơ",
	"reportdoc.prose.h.classification":  "Xếp loại",
	"reportdoc.prose.h.standings":       "Đơn vị dẫn đầu, đơn vị thấp nhất và biến động",
	"reportdoc.prose.h.recommendations": "Kiến nghị",

	// Lists, changes and the date line.
	"reportdoc.prose.and":         "%s và %s",
	"reportdoc.prose.date":        "ngày %s tháng %s năm %d",
	"reportdoc.prose.change.up":   "tăng %s điểm",
	"reportdoc.prose.change.down": "giảm %s điểm",
	"reportdoc.prose.change.none": "không thay đổi",
	"reportdoc.prose.points":      "%s (%s điểm)",
	"reportdoc.prose.named":       "%d %s: %s",
	"reportdoc.prose.named.more":  "%d đơn vị khác",

	// The overall results.
	"reportdoc.prose.nodata":            "%s, chưa có số liệu để đánh giá chỉ số phục vụ của %s.",
	"reportdoc.prose.overall":           "%s, %s đạt %s/%s điểm%s.",
	"reportdoc.prose.band":              ", xếp loại %s",
	"reportdoc.prose.compared":          ", %s so với %s",
	"reportdoc.prose.compared.prev":     ", %s so với %s (%s điểm%s)",
	"reportdoc.prose.provisional":       "; số liệu tạm tính, mới có %d/%d tháng",
	"reportdoc.prose.national":          "Theo kết quả công bố trên Cổng Dịch vụ công quốc gia, %s xếp thứ %d/%d tỉnh, thành phố%s.",
	"reportdoc.prose.national.norankof": "Theo kết quả công bố trên Cổng Dịch vụ công quốc gia, %s xếp thứ %d tỉnh, thành phố%s.",
	"reportdoc.prose.national.score":    " với %s điểm",
	"reportdoc.prose.national.up":       ", tăng %d bậc so với %s",
	"reportdoc.prose.national.down":     ", giảm %d bậc so với %s",
	"reportdoc.prose.national.same":     ", giữ nguyên thứ hạng so với %s",
	"reportdoc.prose.groups":            "Theo từng nhóm chỉ số: %s.",
	"reportdoc.prose.groups.item":       "nhóm %s đạt %s/%s điểm",

	// A group's section and the ratios of its metrics.
	"reportdoc.prose.group":            "Nhóm chỉ số đạt %s/%s điểm%s.",
	"reportdoc.prose.ratio":            "%s đạt %s",
	"reportdoc.prose.ratio.procedures": "%s đạt %s (%s/%s TTHC)",
	"reportdoc.prose.ratio.dossiers":   "%s đạt %s (%s/%s hồ sơ)",
	"reportdoc.prose.ratio.none":       "%s không có số liệu trong kỳ",
	"reportdoc.prose.province":         "Toàn tỉnh, %s.",
	"reportdoc.prose.worst":            "Bị trừ nhiều điểm nhất ở nhóm này là %s.",
	"reportdoc.prose.allfull":          "Tất cả %d đơn vị có số liệu đạt điểm tối đa của nhóm chỉ số này.",
	"reportdoc.prose.late":             ", còn %s TTHC chưa đúng hạn",
	"reportdoc.prose.late.responsible": " thuộc trách nhiệm của %s",
	"reportdoc.prose.ontime.full":      "%s đạt 100%% tại %s.",
	"reportdoc.prose.ontime.none":      "Chưa có đơn vị nào có %s đạt 100%%.",
	"reportdoc.prose.online.none":      "Chưa phát sinh hồ sơ nộp trực tuyến tại %s.",
	"reportdoc.prose.satisfaction":     "Nhóm chỉ số về %s đạt %s/%s điểm%s.",
	"reportdoc.prose.fullat":           "%s đạt điểm tối đa của nhóm chỉ số này.",
	"reportdoc.prose.fullat.item":      "%d/%d %s",

	// Classification and standings.
	"reportdoc.prose.bands":          "Trong %d %s có %s.",
	"reportdoc.prose.bands.item":     "%d đơn vị xếp loại %s",
	"reportdoc.prose.bands.unranked": "%d đơn vị chưa có dữ liệu",
	"reportdoc.prose.best":           "Ở %s, dẫn đầu là %s%s.",
	"reportdoc.prose.best.worst":     "; thấp nhất là %s",
	"reportdoc.prose.moves":          "So với %s, ở %s, %s.",
	"reportdoc.prose.moves.up":       "tăng điểm nhiều nhất là %s",
	"reportdoc.prose.moves.down":     "giảm điểm nhiều nhất là %s",
	"reportdoc.prose.move":           "%s (%s%s)",
	"reportdoc.prose.move.up":        ", tăng %d bậc",
	"reportdoc.prose.move.down":      ", giảm %d bậc",

	// Recommendations: the finding; the advice follows it.
	"reportdoc.prose.rec.province":    "Chỉ số “%s”%s được đánh giá chung cho toàn tỉnh, khiến mỗi đơn vị bị trừ %s điểm%s.",
	"reportdoc.prose.rec.units":       "Chỉ số “%s”%s khiến %d/%d đơn vị bị trừ điểm, tổng cộng %s điểm%s.",
	"reportdoc.prose.rec.group":       " (nhóm %s)",
	"reportdoc.prose.rec.responsible": "; trách nhiệm thuộc %s",
	"reportdoc.prose.rec.worst":       "; bị trừ nhiều nhất là %s",
}

var reportProseEN = map[string]string{
	"reportdoc.prose.h.general":         "Overall results",
	"reportdoc.prose.h.processing":      "Processing of dossiers",
	"reportdoc.prose.h.classification":  "Classification",
	"reportdoc.prose.h.standings":       "Leading units, lowest units and changes",
	"reportdoc.prose.h.recommendations": "Recommendations",

	"reportdoc.prose.and": "%s and %s",
	// Day, month, year, in the order of the Vietnamese date line.
	"reportdoc.prose.date":              "%s/%s/%d",
	"reportdoc.prose.change.up":         "up %s points",
	"reportdoc.prose.change.down":       "down %s points",
	"reportdoc.prose.change.none":       "unchanged",
	"reportdoc.prose.points":            "%s (%s points)",
	"reportdoc.prose.named":             "%d %s: %s",
	"reportdoc.prose.named.more":        "%d other units",
	"reportdoc.prose.named.more.one":    "%d other unit",
	"reportdoc.prose.nodata":            "%s: there are no figures yet to assess the service index of %s.",
	"reportdoc.prose.overall":           "In %s, %s scored %s/%s points%s.",
	"reportdoc.prose.band":              ", rated %s",
	"reportdoc.prose.compared":          ", %s compared with %s",
	"reportdoc.prose.compared.prev":     ", %s compared with %s (%s points%s)",
	"reportdoc.prose.provisional":       "; provisional figures, %d of %d months so far",
	"reportdoc.prose.national":          "According to the results published on the National Public Service Portal, %s ranks %d of %d provinces%s.",
	"reportdoc.prose.national.norankof": "According to the results published on the National Public Service Portal, %s ranks %d among the provinces%s.",
	"reportdoc.prose.national.score":    " with %s points",
	"reportdoc.prose.national.up":       ", up %d places compared with %s",
	"reportdoc.prose.national.up.one":   ", up %d place compared with %s",
	"reportdoc.prose.national.down":     ", down %d places compared with %s",
	"reportdoc.prose.national.down.one": ", down %d place compared with %s",
	"reportdoc.prose.national.same":     ", the same rank as in %s",
	"reportdoc.prose.groups":            "Group by group: %s.",
	"reportdoc.prose.groups.item":       "the %s group scored %s/%s points",

	"reportdoc.prose.group":            "The group scored %s/%s points%s.",
	"reportdoc.prose.ratio":            "%s reached %s",
	"reportdoc.prose.ratio.procedures": "%s reached %s (%s of %s procedures)",
	"reportdoc.prose.ratio.dossiers":   "%s reached %s (%s of %s dossiers)",
	"reportdoc.prose.ratio.none":       "%s has no figures in the period",
	"reportdoc.prose.province":         "Across the province, %s.",
	"reportdoc.prose.worst":            "The units that lost most points on this group are %s.",
	"reportdoc.prose.allfull":          "All %d units with data scored this group's maximum.",
	"reportdoc.prose.allfull.one":      "The only unit with data scored this group's maximum.",
	"reportdoc.prose.late":             ", %s procedures still not on time",
	"reportdoc.prose.late.one":         ", %s procedure still not on time",
	"reportdoc.prose.late.responsible": ", the responsibility of %s",
	"reportdoc.prose.ontime.full":      "%s reached 100%% at %s.",
	"reportdoc.prose.ontime.none":      "No unit has yet reached 100%% on %s.",
	"reportdoc.prose.online.none":      "No dossier has been submitted online yet at %s.",
	"reportdoc.prose.satisfaction":     "The %s group scored %s/%s points%s.",
	"reportdoc.prose.fullat":           "%s scored this group's maximum.",
	"reportdoc.prose.fullat.item":      "%d of %d %s",

	"reportdoc.prose.bands":              "Of the %d %s, %s.",
	"reportdoc.prose.bands.item":         "%d units are rated %s",
	"reportdoc.prose.bands.item.one":     "%d unit is rated %s",
	"reportdoc.prose.bands.unranked":     "%d units have no data",
	"reportdoc.prose.bands.unranked.one": "%d unit has no data",
	"reportdoc.prose.best":               "At %s, the leaders are %s%s.",
	"reportdoc.prose.best.worst":         "; the lowest are %s",
	"reportdoc.prose.moves":              "Compared with %s, at %s, %s.",
	"reportdoc.prose.moves.up":           "the largest rises are %s",
	"reportdoc.prose.moves.down":         "the largest falls are %s",
	"reportdoc.prose.move":               "%s (%s%s)",
	"reportdoc.prose.move.up":            ", up %d places",
	"reportdoc.prose.move.up.one":        ", up %d place",
	"reportdoc.prose.move.down":          ", down %d places",
	"reportdoc.prose.move.down.one":      ", down %d place",

	"reportdoc.prose.rec.province":    "The metric “%s”%s is assessed once for the whole province, so every unit loses %s points%s.",
	"reportdoc.prose.rec.units":       "The metric “%s”%s made %d of %d units lose points, %s points in all%s.",
	"reportdoc.prose.rec.group":       " (group %s)",
	"reportdoc.prose.rec.responsible": "; the responsibility lies with %s",
	"reportdoc.prose.rec.worst":       "; the units that lost most are %s",
}
