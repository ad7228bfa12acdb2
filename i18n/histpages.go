package i18n

// Messages of the pages that read units over time: a unit's place in the
// history of mergers (what it became, what it came from, its history across
// the change), the search page and the national view.

var histPagesVI = map[string]string{
	"lineage.ended":               "Đơn vị này không còn tồn tại từ ngày %s.",
	"lineage.began":               "Đơn vị này được thành lập từ ngày %s.",
	"lineage.outside":             "Đơn vị không tồn tại trong kỳ %s: đơn vị chỉ tồn tại %s. Số liệu và thứ hạng của kỳ này thuộc các đơn vị tồn tại trong kỳ.",
	"lineage.successors":          "Đơn vị kế tiếp:",
	"lineage.predecessors":        "Hình thành từ:",
	"lineage.change.merged":       "sáp nhập",
	"lineage.change.split":        "chia tách",
	"lineage.change.renamed":      "đổi mã",
	"lineage.break.merged":        "Sáp nhập %s",
	"lineage.break.split":         "Chia tách %s",
	"lineage.break.renamed":       "Đổi mã %s",
	"lineage.title":               "Lịch sử qua sáp nhập",
	"lineage.hint":                "Mỗi đơn vị một đường: đường của đơn vị cũ kết thúc và đường của đơn vị mới bắt đầu tại mốc %s. Điểm và thứ hạng không bao giờ được cộng dồn hay lấy trung bình qua sáp nhập.",
	"lineage.scores":              "Tổng điểm",
	"lineage.ranks":               "Thứ hạng",
	"lineage.caption":             "Tổng điểm và thứ hạng theo tháng của %s và các đơn vị liên quan",
	"lineage.row.break":           "mốc %s",
	"rankings.kind.gone":          "Không có đơn vị loại %s trong kỳ %s: mỗi kỳ chỉ xếp hạng các đơn vị tồn tại trong kỳ. Dưới đây là bảng xếp hạng của một loại đơn vị có trong kỳ.",
	"rankings.kind.gone.district": "Không có đơn vị loại %s trong kỳ %s: cấp huyện kết thúc từ ngày 01/07/2025 (chính quyền địa phương hai cấp). Dưới đây là bảng xếp hạng của một loại đơn vị có trong kỳ.",
	"chart.lineage.desc":          "Biểu đồ đường tổng điểm của %d đơn vị qua %d tháng, có mốc %s; đường không nối qua mốc. Số liệu chi tiết ở bảng bên dưới.",
	"chart.lineage.ranks":         "Biểu đồ đường thứ hạng của %d đơn vị qua %d tháng, có mốc %s; hạng 1 ở trên cùng. Số liệu chi tiết ở bảng bên dưới.",
}

var histPagesEN = map[string]string{
	"lineage.ended":               "This unit no longer exists since %s.",
	"lineage.began":               "This unit exists since %s.",
	"lineage.outside":             "This unit does not exist in %s: it exists only %s. The figures and ranks of this period belong to the units existing in it.",
	"lineage.successors":          "Became:",
	"lineage.predecessors":        "Formed from:",
	"lineage.change.merged":       "merged",
	"lineage.change.split":        "split",
	"lineage.change.renamed":      "new code",
	"lineage.break.merged":        "Merger %s",
	"lineage.break.split":         "Split %s",
	"lineage.break.renamed":       "New code %s",
	"lineage.title":               "History across the merger",
	"lineage.hint":                "One line per unit: the former units' lines end and the new unit's line begins at %s. Scores and ranks are never added up or averaged across a merger.",
	"lineage.scores":              "Total score",
	"lineage.ranks":               "Rank",
	"lineage.caption":             "Total score and rank by month of %s and the units it is linked to",
	"lineage.row.break":           "%s",
	"rankings.kind.gone":          "There are no units of the kind %s in %s: each period ranks only the units existing in it. Below is the ranking of a kind that exists in the period.",
	"rankings.kind.gone.district": "There are no units of the kind %s in %s: districts ended on 1 July 2025 (two tiers of local government). Below is the ranking of a kind that exists in the period.",
	"chart.lineage.desc":          "Line chart of the total score of %d units over %d months, with a break at %s; no line crosses the break. The table below holds the figures.",
	"chart.lineage.ranks":         "Line chart of the rank of %d units over %d months, with a break at %s; rank 1 at the top. The table below holds the figures.",
}
