package i18n

// Messages about units over time in the files offices import: the days a
// unit exists (valid_from, valid_to of a units file), how units became
// others (a unit changes file), and rows about a period or a day a unit
// does not exist in.

var unitHistoryVI = map[string]string{
	// The days a unit exists, in a sentence ("chỉ tồn tại %s").
	"file.span.always":  "ở mọi thời điểm",
	"file.span.from":    "từ ngày %s",
	"file.span.until":   "đến hết ngày %s",
	"file.span.between": "từ ngày %s đến hết ngày %s",

	"file.kind.unit_changes":  "thay đổi đơn vị (unit changes)",
	"staff.kind.unit_changes": "Thay đổi đơn vị (sáp nhập, chia tách, đổi mã)",

	// Units files.
	"file.units.dates.both":          "Thiếu cột %s: ngày tồn tại của đơn vị ghi bằng cả hai cột valid_from và valid_to (để trống ô nếu không giới hạn), hoặc bỏ cả hai cột.",
	"file.units.date.bad":            "Ngày %s không hợp lệ: ghi theo dạng YYYY-MM-DD, ví dụ 2025-07-01, hoặc để trống nếu không giới hạn.",
	"file.units.dates.order":         "Ngày bắt đầu %s phải trước ngày kết thúc %s (valid_to là ngày đầu tiên đơn vị không còn tồn tại).",
	"file.units.district.from":       "Một huyện (district) không thể tồn tại từ ngày %s: cấp huyện kết thúc từ ngày 01/07/2025 (chính quyền địa phương hai cấp).",
	"file.units.district.to":         "Một huyện (district) không thể tồn tại đến ngày %s: cấp huyện kết thúc từ ngày 01/07/2025. Ghi valid_to là 2025-07-01 hoặc sớm hơn, hoặc để trống.",
	"file.units.parent.dates":        "Đơn vị cấp trên %s chỉ tồn tại %s, không bao trọn thời gian tồn tại của đơn vị này (%s). Hãy sửa ngày của đơn vị, hoặc chọn đơn vị cấp trên tồn tại trong suốt thời gian đó.",
	"file.units.children.dates":      "Với ngày mới, %s chỉ tồn tại %s, không bao trọn thời gian tồn tại của %s đơn vị cấp dưới đã có (ví dụ %s, tồn tại %s). Hãy đưa cả các đơn vị đó vào tệp với ngày phù hợp, hoặc giữ ngày cũ.",
	"file.units.change.dates":        "Với ngày mới, %s không còn khớp với thay đổi đã nhập: %s → %s từ ngày %s (đơn vị cũ phải còn tồn tại ngày hôm trước, đơn vị mới phải tồn tại từ ngày đó).",
	"file.units.dates.data":          "Với ngày mới, đơn vị %s chỉ tồn tại %s, nhưng cơ sở dữ liệu đã có số liệu hoặc kết quả công bố của đơn vị trong %s kỳ ngoài thời gian đó (ví dụ kỳ %s). Hãy giữ ngày cũ, hoặc sửa ngày cho bao trọn các kỳ đã có số liệu; không có gì được thay đổi.",
	"file.units.dates.dossiers.to":   "Với ngày mới, đơn vị %s không còn tồn tại từ ngày %s, nhưng cơ sở dữ liệu đã có %s hồ sơ của đơn vị được tiếp nhận hoặc giải quyết từ ngày đó trở đi (đơn vị sẽ chỉ tồn tại %s). Hãy giữ ngày cũ, hoặc sửa ngày cho bao trọn các hồ sơ đã có; không có gì được thay đổi.",
	"file.units.dates.dossiers.from": "Với ngày mới, đơn vị %s chỉ tồn tại từ ngày %s, nhưng cơ sở dữ liệu đã có %s hồ sơ của đơn vị được tiếp nhận trước ngày đó (đơn vị sẽ chỉ tồn tại %s). Hãy giữ ngày cũ, hoặc sửa ngày cho bao trọn các hồ sơ đã có; không có gì được thay đổi.",
	"file.changes.data":              "Thay đổi này làm đơn vị %s kết thúc từ ngày %s, nhưng cơ sở dữ liệu đã có số liệu hoặc kết quả công bố của đơn vị trong %s kỳ sau ngày đó (ví dụ kỳ %s). Hãy kiểm tra lại ngày hiệu lực; không có gì được thay đổi.",
	"file.changes.dossiers":          "Thay đổi này làm đơn vị %s kết thúc từ ngày %s, nhưng cơ sở dữ liệu đã có %s hồ sơ của đơn vị được tiếp nhận hoặc giải quyết từ ngày đó trở đi. Hãy kiểm tra lại ngày hiệu lực; không có gì được thay đổi.",
	"file.unit.outside":              "Đơn vị %s không tồn tại trong kỳ %s: đơn vị chỉ tồn tại %s.",
	"file.unit.outside.district":     "Đơn vị %s không tồn tại trong kỳ %s: đơn vị chỉ tồn tại %s (cấp huyện kết thúc từ ngày 01/07/2025).",
	"file.unit.outside.day":          "Đơn vị %s không tồn tại vào ngày %s: đơn vị chỉ tồn tại %s.",

	// Unit changes files.
	"file.changes.code.empty":      "Thiếu mã đơn vị cũ (code).",
	"file.changes.successor.empty": "Thiếu mã đơn vị mới (successor_code).",
	"file.changes.self":            "Đơn vị không thể trở thành chính nó: mã đơn vị mới phải khác mã đơn vị cũ.",
	"file.changes.change.empty":    "Thiếu loại thay đổi: ghi merged (sáp nhập), split (chia tách) hoặc renamed (đổi mã).",
	"file.changes.change.bad":      "Loại thay đổi %s không hợp lệ: chỉ dùng merged (sáp nhập), split (chia tách) hoặc renamed (đổi mã).",
	"file.changes.change.case":     "Loại thay đổi %s không hợp lệ: chỉ dùng merged (sáp nhập), split (chia tách) hoặc renamed (đổi mã) (viết chữ thường: %s).",
	"file.changes.date.empty":      "Thiếu ngày hiệu lực (effective_from), ví dụ 2025-07-01.",
	"file.changes.date.bad":        "Ngày hiệu lực %s không hợp lệ: ghi theo dạng YYYY-MM-DD, ví dụ 2025-07-01.",
	"file.changes.twice":           "Dòng này trùng với dòng %d: cùng đơn vị cũ %s và đơn vị mới %s. Mỗi cặp chỉ có một dòng trong tệp.",
	"file.changes.kind":            "%s là %s nhưng %s là %s: một đơn vị chỉ có thể trở thành đơn vị cùng loại.",
	"file.changes.before":          "Đơn vị cũ %s không tồn tại vào ngày %s, ngày trước khi thay đổi có hiệu lực: đơn vị chỉ tồn tại %s.",
	"file.changes.after":           "Đơn vị mới %s không tồn tại vào ngày %s, ngày thay đổi có hiệu lực: đơn vị chỉ tồn tại %s.",
	"file.changes.cycle":           "Vòng lặp thay đổi: %s. Một đơn vị không thể trở lại thành chính nó qua các lần sáp nhập, chia tách, đổi mã.",
}

var unitHistoryEN = map[string]string{
	"file.span.always":  "at all times",
	"file.span.from":    "from %s",
	"file.span.until":   "until %s",
	"file.span.between": "from %s until %s",

	"file.kind.unit_changes":  "unit changes",
	"staff.kind.unit_changes": "Unit changes (mergers, splits, new codes)",

	"file.units.dates.both":          "The column %s is missing: a unit's days are given by both valid_from and valid_to (leave a cell empty for no limit), or by neither.",
	"file.units.date.bad":            "The date %s is not valid: write it as YYYY-MM-DD, e.g. 2025-07-01, or leave it empty for no limit.",
	"file.units.dates.order":         "The start %s must come before the end %s (valid_to is the first day the unit no longer exists).",
	"file.units.district.from":       "A district cannot exist from %s: districts ended on 1 July 2025 (two tiers of local government).",
	"file.units.district.to":         "A district cannot exist until %s: districts ended on 1 July 2025. Write valid_to as 2025-07-01 or earlier, or leave it empty.",
	"file.units.parent.dates":        "The parent %s exists only %s, not over the whole life of this unit (%s). Correct the unit's dates, or choose a parent that exists all that time.",
	"file.units.children.dates":      "With the new dates, %s exists only %s, not over the whole life of %s existing child units (e.g. %s, which exists %s). Include them in the file with fitting dates, or keep the old dates.",
	"file.units.change.dates":        "With the new dates, %s no longer fits a change already imported: %s → %s from %s (the old unit must exist the day before, the new one from that day).",
	"file.units.dates.data":          "With the new dates, unit %s exists only %s, but the database already holds counts or published results of it for periods outside them (%s, e.g. %s). Keep the old dates, or give dates that cover the periods with data; nothing was changed.",
	"file.units.dates.dossiers.to":   "With the new dates, unit %s no longer exists from %s, but the database already holds %s dossier records of it received or decided from that day on (it would exist only %s). Keep the old dates, or give dates that cover the records; nothing was changed.",
	"file.units.dates.dossiers.from": "With the new dates, unit %s exists only from %s, but the database already holds %s dossier records of it received before that day (it would exist only %s). Keep the old dates, or give dates that cover the records; nothing was changed.",
	"file.changes.data":              "This change ends unit %s from %s, but the database already holds counts or published results of it for periods after that day (%s, e.g. %s). Check the effective date; nothing was changed.",
	"file.changes.dossiers":          "This change ends unit %s from %s, but the database already holds %s dossier records of it received or decided from that day on. Check the effective date; nothing was changed.",
	"file.unit.outside":              "The unit %s does not exist in the period %s: it exists only %s.",
	"file.unit.outside.district":     "The unit %s does not exist in the period %s: it exists only %s (districts ended on 1 July 2025).",
	"file.unit.outside.day":          "The unit %s does not exist on %s: it exists only %s.",

	"file.changes.code.empty":      "The old unit's code (code) is empty.",
	"file.changes.successor.empty": "The new unit's code (successor_code) is empty.",
	"file.changes.self":            "A unit cannot become itself: the new unit's code must differ from the old one's.",
	"file.changes.change.empty":    "The change is empty: write merged, split or renamed.",
	"file.changes.change.bad":      "The change %s is not valid: use merged, split or renamed.",
	"file.changes.change.case":     "The change %s is not valid: use merged, split or renamed (write it in lower case: %s).",
	"file.changes.date.empty":      "The effective date (effective_from) is empty, e.g. 2025-07-01.",
	"file.changes.date.bad":        "The effective date %s is not valid: write it as YYYY-MM-DD, e.g. 2025-07-01.",
	"file.changes.twice":           "This row repeats row %d: the same old unit %s and new unit %s. Each pair has one row in the file.",
	"file.changes.kind":            "%s is %s but %s is %s: a unit can only become a unit of the same kind.",
	"file.changes.before":          "The old unit %s does not exist on %s, the day before the change takes effect: it exists only %s.",
	"file.changes.after":           "The new unit %s does not exist on %s, the day the change takes effect: it exists only %s.",
	"file.changes.cycle":           "Change cycle: %s. A unit cannot become itself again through mergers, splits and new codes.",
}
