package handlers

import (
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/export"
	"scorecard/handlers/site"
	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scorecache"
	"scorecard/scoring"
)

// The data dictionary (/open-data/dictionary): every column of every open
// data file, its type and its meaning, in Vietnamese with the English
// name. The columns are read from the same export builders that write the
// files, so a column added there without a description here shows up in
// the test (TestDictionaryCoversEveryColumn), not silently on the page.

// dictEntry describes one column or field.
type dictEntry struct {
	VI string // meaning, Vietnamese
	EN string // English name
}

// columnDict describes the fixed columns of scores and counts. Group
// columns are named by the scheme's group codes and described from it.
var columnDict = map[string]dictEntry{
	"period":       {"Kỳ đánh giá: YYYY-MM (tháng), YYYY-Qn (quý), YYYY-Hn (6 tháng) hoặc YYYY (năm).", "Period"},
	"unit_code":    {"Mã đơn vị, ổn định qua các kỳ; dùng để nối các tệp với nhau.", "Unit code"},
	"unit_name":    {"Tên đơn vị.", "Unit name"},
	"kind":         {"Loại đơn vị: province (tỉnh, thành phố), agency (sở, ban, ngành), district (cấp huyện), commune (cấp xã).", "Unit kind"},
	"parent_code":  {"Mã đơn vị cấp trên (tỉnh của một sở hay huyện; huyện của một xã); trống với tỉnh.", "Parent unit code"},
	"rank":         {"Thứ hạng trong các đơn vị cùng loại của cùng tỉnh (tỉnh được xếp hạng giữa các tỉnh); trống khi đơn vị chưa có dữ liệu.", "Rank"},
	"rank_of":      {"Số đơn vị cùng loại có dữ liệu được xếp hạng cùng.", "Ranked out of"},
	"total":        {"Tổng điểm (thang 100), hai chữ số thập phân; trống khi đơn vị chưa có dữ liệu.", "Total score"},
	"max_total":    {"Tổng điểm tối đa đơn vị có thể đạt: 100, hoặc ít hơn khi có chỉ số không phát sinh (không tính vào điểm tối đa).", "Maximum total"},
	"band":         {"Xếp loại theo tổng điểm", "Classification band"},
	"total_change": {"Thay đổi tổng điểm so với kỳ trước cùng loại (tháng trước, quý trước…); trống khi không có kỳ trước để so sánh.", "Change of total"},
	"rank_change":  {"Thay đổi thứ hạng so với kỳ trước: số dương là tăng bậc, số âm là giảm bậc.", "Change of rank (positive = up)"},
	"note":         {"Ghi chú: “Chưa có dữ liệu”, “Tạm tính (m/n tháng)” khi kỳ dài mới có một phần số liệu, hoặc số chỉ số còn thiếu số liệu.", "Note"},
	"metric":       {"Mã chỉ số theo bộ chỉ số (xem scheme.json).", "Metric code"},
	"numerator":    {"Tử số của chỉ số (ví dụ: số hồ sơ giải quyết đúng hạn); trống khi không có số liệu.", "Numerator"},
	"denominator":  {"Mẫu số của chỉ số (ví dụ: tổng số hồ sơ đã giải quyết); trống khi không có số liệu.", "Denominator"},
}

// kindDict words a column kind.
func kindDict(k export.Kind) dictEntry {
	switch k {
	case export.Text:
		return dictEntry{"Chuỗi ký tự", "string"}
	case export.Score:
		return dictEntry{"Số thập phân, 2 chữ số sau dấu chấm", "decimal, 2 places"}
	case export.Percent:
		return dictEntry{"Tỷ lệ phần trăm, 2 chữ số sau dấu chấm (ghi số phần trăm, không phải phân số)", "percentage, 2 places"}
	case export.Int:
		return dictEntry{"Số nguyên", "integer"}
	case export.BandKind:
		return dictEntry{"Chuỗi: tên mức xếp loại", "string (band name)"}
	case export.Date:
		return dictEntry{"Ngày YYYY-MM-DD", "date"}
	case export.DateTime:
		return dictEntry{"Thời điểm theo ISO 8601, giờ Việt Nam", "date-time (RFC 3339)"}
	case export.Number:
		return dictEntry{"Số", "number"}
	}
	return dictEntry{string(k), string(k)}
}

// dictRow is one column on the page.
type dictRow struct {
	Key, Title    string
	Type, TypeEN  string
	Meaning, Name string
	Known         bool // described (false: a column this page misses)
}

// dictColumns describes a table's columns; group columns from the scheme.
func dictColumns(t export.Table, s *scoring.Scheme) []dictRow {
	var out []dictRow
	for _, c := range t.Columns {
		k := kindDict(c.Kind)
		r := dictRow{Key: c.Key, Title: c.Title, Type: k.VI, TypeEN: k.EN}
		if e, ok := columnDict[c.Key]; ok {
			r.Meaning, r.Name, r.Known = e.VI, e.EN, true
			if c.Key == "band" {
				r.Meaning += bandsVI(s) + "; trống khi đơn vị chưa có dữ liệu."
			}
		} else if g := s.Group(c.Key); g != nil {
			r.Meaning = fmt.Sprintf("Điểm nhóm chỉ số “%s” (tối đa %s điểm); trống khi đơn vị chưa có dữ liệu.", g.NameVI, present.Max(i18n.VI, g.Max))
			r.Name, r.Known = "Score of group: "+g.NameEN, true
		} else {
			r.Meaning, r.Name = c.Title, c.Key
		}
		out = append(out, r)
	}
	return out
}

// bandsVI lists the scheme's bands with their lower limits: ": Xuất sắc
// (từ 90 điểm), Tốt (từ 80 điểm)…".
func bandsVI(s *scoring.Scheme) string {
	var parts []string
	for _, b := range s.Bands {
		if b.Min > 0 {
			parts = append(parts, b.NameVI+" (từ "+present.Max(i18n.VI, b.Min)+" điểm)")
		} else {
			parts = append(parts, b.NameVI)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return ": " + strings.Join(parts, ", ")
}

// dictFile is one file of the dictionary.
type dictFile struct {
	ID, Name, Intro string
	Columns         []dictRow
}

// jsonFields describe the envelope of scores.json (export.WriteJSON).
var jsonFields = []dictRow{
	{Key: "title", Type: "Chuỗi", TypeEN: "string", Meaning: "Tiêu đề của tệp.", Name: "Title"},
	{Key: "period", Type: "Chuỗi", TypeEN: "string", Meaning: "Mã kỳ (2024-04).", Name: "Period"},
	{Key: "period_label", Type: "Chuỗi", TypeEN: "string", Meaning: "Tên kỳ bằng tiếng Việt (Tháng 04/2024).", Name: "Period label"},
	{Key: "scheme", Type: "Chuỗi", TypeEN: "string", Meaning: "Phiên bản bộ chỉ số dùng để tính điểm và văn bản căn cứ.", Name: "Scheme version"},
	{Key: "exported_at", Type: "Thời điểm ISO 8601 hoặc null", TypeEN: "date-time or null", Meaning: "Thời điểm số liệu được cập nhật lần cuối, khi hệ thống biết; null nếu không.", Name: "Data time"},
	{Key: "source", Type: "Chuỗi", TypeEN: "string", Meaning: "Cơ quan công bố và địa chỉ của tệp.", Name: "Source"},
	{Key: "filters", Type: "Mảng {name, value}", TypeEN: "array", Meaning: "Bộ lọc đã áp dụng (dữ liệu mở: không có).", Name: "Filters"},
	{Key: "notes", Type: "Mảng chuỗi", TypeEN: "array of strings", Meaning: "Ghi chú, ví dụ khi là dữ liệu minh họa.", Name: "Notes"},
	{Key: "tables[].name / key", Type: "Chuỗi", TypeEN: "string", Meaning: "Tên và mã của bảng (scores).", Name: "Table name / key"},
	{Key: "tables[].columns[]", Type: "Mảng {key, title, kind}", TypeEN: "array", Meaning: "Các cột: mã cột, tên tiếng Việt và kiểu (text, score, percent, int, band).", Name: "Columns"},
	{Key: "tables[].rows[]", Type: "Mảng đối tượng", TypeEN: "array of objects", Meaning: "Mỗi dòng là một đối tượng có các khóa như cột của scores.csv; ô trống là null.", Name: "Rows"},
}

// schemeFields describe scheme.json (the API's /api/v1/scheme).
var schemeFields = []dictRow{
	{Key: "id, title, legal_basis, effective_from", Type: "Chuỗi", TypeEN: "string", Meaning: "Mã, tên, văn bản căn cứ và ngày hiệu lực của bộ chỉ số.", Name: "Scheme identity"},
	{Key: "max_total", Type: "Số thập phân", TypeEN: "decimal", Meaning: "Tổng điểm tối đa (100).", Name: "Maximum total"},
	{Key: "threshold_unit", Type: "Chuỗi", TypeEN: "string", Meaning: "Đơn vị của ngưỡng và mức xếp loại: percent: ngưỡng 80% được ghi là số 80, không phải 0,8.", Name: "Threshold unit"},
	{Key: "groups[]", Type: "Mảng", TypeEN: "array", Meaning: "Các nhóm chỉ số: code, name_vi, name_en, max (điểm tối đa), metrics (mã các chỉ số).", Name: "Groups"},
	{Key: "metrics[]", Type: "Mảng", TypeEN: "array", Meaning: "Các chỉ số: code, tên, group, max, rule (linear: tỷ lệ thuận; threshold: đạt ngưỡng; info: chỉ theo dõi), threshold, no_data (quy tắc khi không phát sinh), rounding, aggregation (flow: cộng dồn; snapshot: tháng gần nhất), level (unit hay province).", Name: "Metrics"},
	{Key: "bands[]", Type: "Mảng", TypeEN: "array", Meaning: "Các mức xếp loại: code, name_vi, name_en, min (điểm tối thiểu).", Name: "Bands"},
	{Key: "versions[]", Type: "Mảng", TypeEN: "array", Meaning: "Mọi phiên bản bộ chỉ số đã nạp, với ngày hiệu lực.", Name: "Versions"},
}

// dictionaryPage is the data dictionary.
type dictionaryPage struct {
	site.Layout
	Files  []dictFile
	Scheme string
}

// dictionaryFiles builds the description of every file from the builders
// (ps: any period's scores, for the scheme's group columns).
func dictionaryFiles(ps *scoring.PeriodScores) []dictFile {
	scores := export.ScoresTable(ps, nil, "")
	counts := export.CountsTable(ps, "", true)
	return []dictFile{
		{ID: "scores", Name: "scores.csv", Intro: "Điểm của mọi đơn vị trong kỳ: mỗi dòng một đơn vị, theo thứ tự tỉnh, sở, ban, ngành, cấp huyện, cấp xã và theo thứ hạng. CSV mã hóa UTF-8 (có BOM), phân cách bằng dấu phẩy, dấu chấm thập phân, dòng đầu là mã cột.",
			Columns: dictColumns(scores, ps.Scheme)},
		{ID: "counts", Name: "counts.csv", Intro: "Số liệu đầu vào đã dùng để tính điểm (tử số, mẫu số của từng chỉ số), theo đúng định dạng nhập số liệu, nên có thể nhập lại vào hệ thống. Gồm số liệu đơn vị nhập và số liệu hệ thống tổng hợp (từ hồ sơ, từ các tháng).",
			Columns: dictColumns(counts, ps.Scheme)},
		{ID: "json", Name: "scores.json", Intro: "Cùng nội dung với scores.csv, kèm thông tin về tệp. Số là số JSON với dấu chấm thập phân; ô trống là null.",
			Columns: jsonFields},
		{ID: "xlsx", Name: "scores.xlsx", Intro: "Tệp Excel gồm trang “Thông tin” (kỳ, phiên bản bộ chỉ số, nguồn), trang “Điểm” (các cột như scores.csv, tên cột tiếng Việt) và trang “Số liệu” (các cột như counts.csv). Điểm và số liệu được lưu dưới dạng số."},
		{ID: "scheme", Name: "scheme.json", Intro: "Bộ chỉ số đang áp dụng: các nhóm, chỉ số, cách tính điểm và mức xếp loại.",
			Columns: schemeFields},
	}
}

// openDataDictionary is /open-data/dictionary.
func (h *handler) openDataDictionary(c *fiber.Ctx) error {
	eng, err := h.Engine(c)
	if err != nil {
		return err
	}
	demo, err := h.Scores.Demo(c.UserContext())
	if err != nil {
		return fmt.Errorf("handlers: demo flag: %w", err)
	}
	periods, err := site.PublishedPeriods(c, eng) // issue 4: published periods only
	if err != nil {
		return err
	}
	ps, err := h.PeriodScores(c, scorecache.DefaultPeriod(periods, time.Now()))
	if err != nil {
		return err
	}
	v := dictionaryPage{Files: dictionaryFiles(ps), Scheme: export.SchemeLabel(ps.Scheme),
		Layout: site.Layout{Title: site.Lang(c).T("dictionary.title"), Nav: "opendata", Demo: demo}}
	return h.Render(c, fiber.StatusOK, "dictionary", &v)
}
