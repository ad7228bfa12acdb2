package i18n

// Messages of the import and fetch of the national portal's captures
// (package portal, the command line's import and fetch): why a capture or
// a response is refused, and what an import did. Every argument is given
// as a string, numbers already written the language's way. Like
// access.go they live in their own file; a key already defined elsewhere
// keeps its message there and is listed in portalDuplicates, which a test
// requires to be empty.

// portalDuplicates are the keys of this file also defined elsewhere.
var portalDuplicates []string

func init() {
	for _, c := range []struct {
		l    Lang
		msgs map[string]string
	}{{VI, portalVI}, {EN, portalEN}} {
		for k, v := range c.msgs {
			if _, dup := catalogues[c.l][k]; dup {
				portalDuplicates = append(portalDuplicates, string(c.l)+":"+k)
				continue
			}
			Register(c.l, map[string]string{k: v})
		}
	}
}

var portalVI = map[string]string{
	"portal.where.file":    "Tệp %s",
	"portal.problem.empty": "Tệp trống.",
	"portal.problem.html": "Tệp là một trang HTML, không phải câu trả lời JSON của Cổng Dịch vụ công quốc gia " +
		"(có thể là trang báo lỗi của Cổng hoặc của máy chủ trung gian).",
	"portal.problem.notutf8":   "Tệp không phải văn bản UTF-8, nên không phải câu trả lời JSON của Cổng.",
	"portal.problem.notjson":   "Tệp không phải JSON: câu trả lời của Cổng bắt đầu bằng dấu {.",
	"portal.problem.truncated": "Tệp bị cắt cụt: JSON kết thúc giữa chừng sau %s byte (tải về chưa xong?).",
	"portal.problem.syntax":    "JSON không hợp lệ ở byte %s (dòng %s).",
	"portal.problem.trailing":  "Sau câu trả lời JSON còn dữ liệu thừa (từ byte %s): có thể hai tệp bị ghép vào nhau.",
	"portal.problem.notobject": "Cần một đối tượng JSON ({…}) nhưng gặp %s.",
	"portal.problem.unknownfields": "Có trường không biết: %s. Câu trả lời của Cổng đã thay đổi; " +
		"hãy báo cho người quản trị phần mềm thay vì bỏ qua, vì trường mới có thể là một số liệu cần tính.",
	"portal.problem.missing":    "Thiếu trường này (hoặc để trống).",
	"portal.problem.notstring":  "Cần một chuỗi ký tự nhưng gặp %s.",
	"portal.problem.notnumber":  "Cần một số nhưng gặp %s.",
	"portal.problem.notcount":   "%s không phải số nguyên.",
	"portal.problem.negative":   "%s là số âm; số liệu không thể âm.",
	"portal.problem.notscore":   "Điểm %s có quá hai chữ số thập phân; Cổng công bố điểm với tối đa hai chữ số thập phân.",
	"portal.problem.notarray":   "Cần một danh sách ([…]) nhưng gặp %s.",
	"portal.problem.noenvelope": "Không có trường \"code\": đây không phải câu trả lời {\"code\":\"OK\",\"data\":…} của Cổng.",
	"portal.problem.code":       "Cổng trả lời mã %s thay vì \"OK\" (thông báo: %s): câu trả lời không có số liệu.",
	"portal.problem.unrecognised": "Không nhận ra câu trả lời này thuộc điểm cuối nào trong sáu điểm cuối của trang " +
		"\"Đánh giá chất lượng phục vụ\" (transparency, handling-satisfaction, dossier-digitized, dvc-progress-tree, " +
		"provide-online-tree, formality-online-payment-tree).",
	"portal.problem.pagination":        "Phân trang không hợp lệ: trang %s trên tổng %s trang, %s đơn vị.",
	"portal.problem.badid":             "Mã định danh đơn vị %s không hợp lệ (dài quá 64 ký tự, hoặc có khoảng trắng, ký tự điều khiển, dấu gạch chéo).",
	"portal.problem.badcode":           "Mã đơn vị %s không hợp lệ (dài quá 64 ký tự, hoặc có khoảng trắng, ký tự điều khiển, dấu gạch chéo).",
	"portal.problem.longname":          "Tên đơn vị dài quá %s ký tự.",
	"portal.problem.level":             "Cấp đơn vị %s không rõ: cần PROVINCE (sở, ban, ngành) hoặc COMMUNE (xã, phường).",
	"portal.problem.twoscores":         "Đơn vị có cả score và totalScore với hai giá trị khác nhau.",
	"portal.problem.mixed":             "Câu trả lời có trường của nhiều điểm cuối cùng lúc (%s).",
	"portal.problem.partialcounts":     "Chỉ số %s thiếu một phần số liệu (các trường này để trống hoặc không có), trong khi các trường khác có số.",
	"portal.problem.numgtden":          "Chỉ số %s có tử số %s lớn hơn mẫu số (%s = %s): số liệu mâu thuẫn.",
	"portal.problem.mixedgroups":       "Các chỉ số thuộc nhiều nhóm khác nhau (%s): một điểm cuối chỉ công bố một nhóm.",
	"portal.problem.dupmetric":         "Chỉ số %s xuất hiện hai lần cho cùng một đơn vị.",
	"portal.problem.unknownmetric":     "Mã chỉ số %s không có trong bộ chỉ số; Cổng có thể đã thêm chỉ số mới.",
	"portal.problem.halfcounts":        "Chỉ số %s có tử số mà không có mẫu số, hoặc ngược lại.",
	"portal.problem.longquality":       "Cờ chất lượng dữ liệu quá dài.",
	"portal.problem.manifest.unknown":  "Tệp mô tả có trường không biết %s (viết sai tên trường?).",
	"portal.problem.manifest.shape":    "Tệp mô tả không đúng cấu trúc: %s.",
	"portal.problem.manifest.format":   "Định dạng %s không phải %s.",
	"portal.problem.manifest.version":  "Phiên bản tệp mô tả %s mới hơn phiên bản phần mềm này đọc được (1); hãy cập nhật phần mềm.",
	"portal.problem.manifest.time":     "Thời điểm %s không đúng dạng RFC 3339, ví dụ 2026-09-26T06:00:00+07:00.",
	"portal.problem.manifest.period":   "Kỳ không hợp lệ: %s.",
	"portal.problem.manifest.nofile":   "Tệp mô tả liệt kê tệp %s nhưng bản thu không có tệp này.",
	"portal.problem.manifest.unlisted": "Tệp này không có trong danh sách responses của tệp mô tả.",
	"portal.problem.manifest.noperiod": "Không biết kỳ của bản thu: tệp mô tả cần timeType, year và quarter hoặc month, " +
		"hoặc các yêu cầu (request) của từng tệp.",
	"portal.problem.toomanyfiles":     "Bản thu có quá %s tệp.",
	"portal.problem.toolarge":         "Tệp quá lớn (%s MB; tối đa %s MB): một câu trả lời của Cổng chỉ khoảng vài trăm kilobyte.",
	"portal.problem.capturetoolarge":  "Bản thu quá lớn (quá %s MB khi giải nén).",
	"portal.problem.notcapture":       "Tệp không phải tệp nén .zip của một bản thu.",
	"portal.problem.badzip":           "Không đọc được tệp nén: %s.",
	"portal.problem.bomb":             "Tệp trong tệp nén giải nén ra quá %s MB, nhiều hơn kích thước nó khai báo: tệp nén bị hỏng hoặc cố ý gây hại. Không đọc tiếp.",
	"portal.problem.folderasresponse": "Đây là một thư mục: muốn nhập cả bản thu thì bỏ --period và --as-of.",
	"portal.problem.nomanifest": "Không có tệp mô tả %s: hãy nhập cả thư mục hoặc tệp .zip của bản thu, hoặc nhập các câu trả lời riêng lẻ " +
		"kèm --period (kỳ, ví dụ 2026-08) và --as-of (thời điểm thu, ví dụ 2026-09-26T06:00:00+07:00).",
	"portal.problem.incomplete":          "Bản thu chưa đầy đủ (có yêu cầu bị lỗi): chỉ được giữ lại để tra cứu, không nhập.",
	"portal.problem.failedrequest":       "Yêu cầu %s trang %s bị lỗi: %s.",
	"portal.problem.period":              "Kỳ %s: Cổng chỉ công bố theo tháng, quý và năm.",
	"portal.problem.noresponses":         "Bản thu không có câu trả lời nào của Cổng (tệp .json).",
	"portal.problem.hash":                "Nội dung tệp không khớp với mã SHA-256 ghi trong tệp mô tả: tệp đã bị sửa sau khi thu.",
	"portal.problem.endpoint":            "Tệp mô tả ghi điểm cuối %s nhưng nội dung là câu trả lời của %s.",
	"portal.problem.page":                "Tệp mô tả ghi trang %s nhưng câu trả lời là trang %s.",
	"portal.problem.formality":           "Yêu cầu lọc theo một thủ tục (formalityId): số liệu chỉ của một thủ tục, không phải của cả đơn vị, nên không nhập.",
	"portal.problem.tworequestprovinces": "Yêu cầu hỏi tỉnh %s nhưng bản thu là của tỉnh %s: một bản thu chỉ có một tỉnh.",
	"portal.problem.twoperiods":          "Yêu cầu hỏi kỳ %s nhưng bản thu là của kỳ %s: một bản thu chỉ có một kỳ.",
	"portal.problem.duppage":             "Trang %[2]s của %[1]s có hai lần (cả tệp %[3]s).",
	"portal.problem.pagesdisagree":       "Phân trang của %s khác với tệp %s (số trang hoặc số đơn vị): các trang không thuộc cùng một lần thu.",
	"portal.problem.missingpage":         "Thiếu trang %[2]s/%[3]s của %[1]s.",
	"portal.problem.extrapage":           "%s có nhiều trang hơn số trang nó khai báo (%s).",
	"portal.problem.dupunit":             "Đơn vị %s có hai lần (cả tệp %s).",
	"portal.problem.unitcount":           "%s có %s đơn vị trong các trang nhưng khai báo tổng %s.",
	"portal.problem.twoprovinces":        "Câu trả lời là của tỉnh %s, không phải tỉnh %s của bản thu: một bản thu chỉ có một tỉnh.",
	"portal.problem.provincecode":        "Mã tỉnh %s khác với mã %s ở tệp khác của bản thu.",
	"portal.problem.missingendpoint":     "Thiếu câu trả lời của %s: bản thu cần đủ sáu điểm cuối, mọi trang.",
	"portal.problem.unknownprovince": "Chưa biết mã của tỉnh %s: các câu trả lời này không ghi mã tỉnh. " +
		"Hãy nhập cả bản thu, hoặc trước hết nhập câu trả lời dvc-progress-tree, provide-online-tree, formality-online-payment-tree hoặc dossier-digitized.",
	"portal.problem.idconflict":      "Mã định danh %s đã gắn với đơn vị %s, không phải %s: mã và mã định danh là danh tính của đơn vị; hãy kiểm tra lại trước khi nhập.",
	"portal.problem.codeconflict":    "Đơn vị %s đã gắn với mã định danh %s, không phải %s: hãy kiểm tra lại trước khi nhập.",
	"portal.problem.codetwoids":      "Mã đơn vị %s được dùng cho hai mã định danh (%s và %s).",
	"portal.problem.childisprovince": "Đơn vị con có mã %s trùng mã tỉnh.",
	"portal.problem.idtwocodes":      "Đơn vị %s có mã %s ở tệp %[4]s nhưng mã %[3]s ở đây.",
	"portal.problem.leveldisagree":   "Đơn vị %s có cấp %s ở đây nhưng cấp %s ở tệp %s.",
	"portal.problem.unknownunit": "Đơn vị %s (%s) chưa có trong cơ sở dữ liệu, và câu trả lời %s chỉ ghi mã định danh, không ghi mã đơn vị. " +
		"Hãy nhập cả bản thu, hoặc trước hết nhập câu trả lời dvc-progress-tree, provide-online-tree, formality-online-payment-tree hoặc dossier-digitized của cùng tỉnh.",
	"portal.problem.otherprovince": "Đơn vị %s (mã %s) thuộc %s, không phải tỉnh %s của câu trả lời.",
	"portal.problem.published":     "%[1]s",
	"portal.problem.race":          "Dữ liệu vừa thay đổi trong lúc nhập (một lần nhập khác chạy cùng lúc?). Không có gì được ghi; hãy nhập lại.",

	"portal.report.head":     "%s: tỉnh %s, %s, số liệu tính đến %s — ",
	"portal.report.already":  "bản thu này đã được nhập (lần nhập #%s), không có gì thay đổi.",
	"portal.report.done":     "đã nhập (lần nhập #%s): %s đơn vị, %s nhóm số liệu (%s mới, %s thay đổi, %s không đổi).",
	"portal.report.history":  " Đã có bản thu mới hơn của kỳ này: bản thu này chỉ được lưu vào lịch sử.",
	"portal.report.units":    " Đơn vị: %s mới, %s đổi tên hoặc đổi cấp.",
	"portal.report.inactive": " %s đơn vị không còn trên Cổng (ngừng hoạt động).",

	"portal.fetch.start":      "Đang thu số liệu của %s từ %s…",
	"portal.fetch.saved":      "Đã lưu bản thu vào %s.",
	"portal.fetch.incomplete": "Bản thu %s chưa đầy đủ (%s yêu cầu bị lỗi), được giữ lại ở %s để tra cứu và không được nhập.",
	"portal.fetch.failed":     "Thu số liệu thất bại ở %s bản thu trên %s.",
	"portal.fetch.request":    "%s trang %s: %s",
}

var portalEN = map[string]string{
	"portal.where.file":    "file %s",
	"portal.problem.empty": "The file is empty.",
	"portal.problem.html": "The file is an HTML page, not a JSON answer of the National Public Service Portal " +
		"(perhaps an error page of the portal or of a proxy).",
	"portal.problem.notutf8":   "The file is not UTF-8 text, so it is not a JSON answer of the portal.",
	"portal.problem.notjson":   "The file is not JSON: the portal's answers start with {.",
	"portal.problem.truncated": "The file is truncated: the JSON ends in the middle after %s bytes (an unfinished download?).",
	"portal.problem.syntax":    "Invalid JSON at byte %s (line %s).",
	"portal.problem.trailing":  "There is more data after the JSON answer (from byte %s): perhaps two files glued together.",
	"portal.problem.notobject": "A JSON object ({…}) is needed here, found %s.",
	"portal.problem.unknownfields": "Unknown fields: %s. The portal's answer has changed; " +
		"tell the software's maintainers rather than ignore it, as a new field may be a figure that counts.",
	"portal.problem.missing":    "This field is missing (or empty).",
	"portal.problem.notstring":  "A string is needed here, found %s.",
	"portal.problem.notnumber":  "A number is needed here, found %s.",
	"portal.problem.notcount":   "%s is not an integer.",
	"portal.problem.negative":   "%s is negative; counts cannot be negative.",
	"portal.problem.notscore":   "The score %s has more than two decimals; the portal publishes scores with at most two.",
	"portal.problem.notarray":   "A list ([…]) is needed here, found %s.",
	"portal.problem.noenvelope": "There is no \"code\" field: this is not a {\"code\":\"OK\",\"data\":…} answer of the portal.",
	"portal.problem.code":       "The portal answered code %s instead of \"OK\" (message: %s): the answer holds no figures.",
	"portal.problem.unrecognised": "This answer is not recognised as one of the six endpoints of the portal's service-quality " +
		"evaluation page (transparency, handling-satisfaction, dossier-digitized, dvc-progress-tree, " +
		"provide-online-tree, formality-online-payment-tree).",
	"portal.problem.pagination":        "Invalid pagination: page %s of %s pages, %s units.",
	"portal.problem.badid":             "The department id %s is not valid (over 64 characters, or a space, a control character or a slash).",
	"portal.problem.badcode":           "The unit code %s is not valid (over 64 characters, or a space, a control character or a slash).",
	"portal.problem.longname":          "The unit name is longer than %s characters.",
	"portal.problem.level":             "Unknown unit level %s: PROVINCE (provincial agency) or COMMUNE (commune, ward) is expected.",
	"portal.problem.twoscores":         "The unit has both score and totalScore, with different values.",
	"portal.problem.mixed":             "The answer carries fields of several endpoints at once (%s).",
	"portal.problem.partialcounts":     "The metric %s has part of its counts missing (these fields are null or absent) while the others are given.",
	"portal.problem.numgtden":          "The metric %s has a numerator of %s, larger than its denominator (%s = %s): the counts contradict each other.",
	"portal.problem.mixedgroups":       "The metrics belong to several groups (%s): one endpoint publishes one group.",
	"portal.problem.dupmetric":         "The metric %s appears twice for the same unit.",
	"portal.problem.unknownmetric":     "The metric code %s is not in the scheme; the portal may have added a metric.",
	"portal.problem.halfcounts":        "The metric %s has a numerator without a denominator, or the reverse.",
	"portal.problem.longquality":       "The data-quality flag is too long.",
	"portal.problem.manifest.unknown":  "The manifest has an unknown field %s (a misspelt field name?).",
	"portal.problem.manifest.shape":    "The manifest's structure is wrong: %s.",
	"portal.problem.manifest.format":   "The format %s is not %s.",
	"portal.problem.manifest.version":  "Manifest version %s is newer than this program reads (1); update the program.",
	"portal.problem.manifest.time":     "The time %s is not RFC 3339, e.g. 2026-09-26T06:00:00+07:00.",
	"portal.problem.manifest.period":   "Invalid period: %s.",
	"portal.problem.manifest.nofile":   "The manifest lists the file %s but the capture does not hold it.",
	"portal.problem.manifest.unlisted": "This file is not listed among the manifest's responses.",
	"portal.problem.manifest.noperiod": "The capture's period is unknown: the manifest needs timeType, year and quarter or month, " +
		"or the request of each file.",
	"portal.problem.toomanyfiles":     "The capture holds more than %s files.",
	"portal.problem.toolarge":         "The file is too large (%s MB; at most %s MB): one answer of the portal is a few hundred kilobytes.",
	"portal.problem.capturetoolarge":  "The capture is too large (over %s MB uncompressed).",
	"portal.problem.notcapture":       "The file is not the .zip archive of a capture.",
	"portal.problem.badzip":           "The archive cannot be read: %s.",
	"portal.problem.bomb":             "A file in the archive inflates past %s MB, more than its declared size: the archive is broken or hostile. Reading stopped.",
	"portal.problem.folderasresponse": "This is a folder: to import a whole capture, leave out --period and --as-of.",
	"portal.problem.nomanifest": "There is no manifest %s: import the capture's folder or .zip, or import bare responses " +
		"with --period (e.g. 2026-08) and --as-of (the capture time, e.g. 2026-09-26T06:00:00+07:00).",
	"portal.problem.incomplete":          "The capture is incomplete (a request failed): it is kept for diagnosis only and is not imported.",
	"portal.problem.failedrequest":       "Request %s page %s failed: %s.",
	"portal.problem.period":              "Period %s: the portal publishes months, quarters and years only.",
	"portal.problem.noresponses":         "The capture holds no answer of the portal (.json file).",
	"portal.problem.hash":                "The file's content does not match the SHA-256 in the manifest: it was changed after the capture.",
	"portal.problem.endpoint":            "The manifest says endpoint %s but the content is an answer of %s.",
	"portal.problem.page":                "The manifest says page %s but the answer is page %s.",
	"portal.problem.formality":           "The request filters by one procedure (formalityId): the figures are of one procedure, not of whole units, and are not imported.",
	"portal.problem.tworequestprovinces": "The request asks for province %s but the capture is of province %s: a capture holds one province.",
	"portal.problem.twoperiods":          "The request asks for period %s but the capture is of period %s: a capture holds one period.",
	"portal.problem.duppage":             "Page %[2]s of %[1]s appears twice (also in file %[3]s).",
	"portal.problem.pagesdisagree":       "The pagination of %s differs from file %s (pages or units): the pages are not of one capture.",
	"portal.problem.missingpage":         "Page %[2]s of %[3]s of %[1]s is missing.",
	"portal.problem.extrapage":           "%s has more pages than it declares (%s).",
	"portal.problem.dupunit":             "The unit %s appears twice (also in file %s).",
	"portal.problem.unitcount":           "%s has %s units in its pages but declares %s.",
	"portal.problem.twoprovinces":        "The answer is of province %s, not of the capture's province %s: a capture holds one province.",
	"portal.problem.provincecode":        "The province code %s differs from the code %s in another file of the capture.",
	"portal.problem.missingendpoint":     "The answer of %s is missing: a capture needs all six endpoints, every page.",
	"portal.problem.unknownprovince": "The code of province %s is not known yet: these answers do not give it. " +
		"Import the whole capture, or first the dvc-progress-tree, provide-online-tree, formality-online-payment-tree or dossier-digitized answer.",
	"portal.problem.idconflict":      "The department id %s is stored for unit %s, not %s: codes and ids are the identity of a unit; check before importing.",
	"portal.problem.codeconflict":    "The unit %s is stored with department id %s, not %s: check before importing.",
	"portal.problem.codetwoids":      "The unit code %s is used for two department ids (%s and %s).",
	"portal.problem.childisprovince": "A child unit has the province's code %s.",
	"portal.problem.idtwocodes":      "The unit %s has code %s in file %[4]s but code %[3]s here.",
	"portal.problem.leveldisagree":   "The unit %s has level %s here but level %s in file %s.",
	"portal.problem.unknownunit": "The unit %s (%s) is not in the database, and the %s answer names units by department id only, not by code. " +
		"Import the whole capture, or first the dvc-progress-tree, provide-online-tree, formality-online-payment-tree or dossier-digitized answer of the same province.",
	"portal.problem.otherprovince": "The unit %s (code %s) belongs to %s, not to the answer's province %s.",
	"portal.problem.published":     "%[2]s",
	"portal.problem.race":          "The data changed during the import (another import at the same time?). Nothing was written; import again.",

	"portal.report.head":     "%s: province %s, %s, figures as of %s — ",
	"portal.report.already":  "this capture was imported already (import #%s); nothing changed.",
	"portal.report.done":     "imported (import #%s): %s units, %s unit groups (%s new, %s changed, %s unchanged).",
	"portal.report.history":  " A newer capture of this period exists: this one went into the history only.",
	"portal.report.units":    " Units: %s new, %s renamed or re-levelled.",
	"portal.report.inactive": " %s units are no longer on the portal (inactive).",

	"portal.fetch.start":      "Fetching %s from %s…",
	"portal.fetch.saved":      "Capture saved in %s.",
	"portal.fetch.incomplete": "The capture %s is incomplete (%s requests failed); it is kept in %s for diagnosis and not imported.",
	"portal.fetch.failed":     "Fetching failed for %s of %s captures.",
	"portal.fetch.request":    "%s page %s: %s",
}
