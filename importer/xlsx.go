package importer

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// Limits on what an uploaded workbook may unpack to: a 50 MB upload cannot
// become gigabytes in memory (a "zip bomb").
const (
	xlsxUnzipLimit    = 512 << 20
	xlsxUnzipXMLLimit = 64 << 20
	// xlsxMaxCells bounds the cells read, empty ones included: 20 000 rows
	// of 5 columns are 100 000.
	xlsxMaxCells = 5_000_000
)

// cellKind says how a typed spreadsheet cell turns back into the text a CSV
// file would carry.
type cellKind int

const (
	cellText   cellKind = iota // the text shown in the cell
	cellNumber                 // the stored number, without display formatting
	cellPeriod                 // a date becomes YYYY-MM
)

// columnCellKind is the cell kind of a header name.
func columnCellKind(header string) cellKind {
	switch normHeader(header) {
	case "numerator", "denominator", "supplement_requests":
		return cellNumber
	case "period":
		return cellPeriod
	}
	return cellText
}

// readXLSX reads the first sheet. Excel stores typed values: numbers (dates
// are numbers with a date format) and text. A cell's text is what the cell
// shows, except that
//   - in a numeric column the stored number is taken, so "1,234" shown with
//     a thousands format reads as 1234;
//   - a date cell in the period column becomes YYYY-MM (Excel turns a typed
//     "2024-04" into 1 April 2024); elsewhere a date becomes ISO 8601.
//
// A code typed as a number (1.001234) keeps the digits the cell shows.
func readXLSX(b []byte, ps *problems) (t *table) {
	// excelize is a large parser facing untrusted bytes: whatever it does
	// on a malformed workbook, the answer must be a refusal, not a crash.
	defer func() {
		if r := recover(); r != nil {
			t = nil
			badXLSX(ps, fmt.Errorf("%v", r))
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{
		UnzipSizeLimit: xlsxUnzipLimit, UnzipXMLSizeLimit: xlsxUnzipXMLLimit})
	if err != nil {
		badXLSX(ps, err)
		return nil
	}
	defer func() { _ = f.Close() }()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		badXLSX(ps, fmt.Errorf("no sheet"))
		return nil
	}
	sheet := sheets[0]
	date1904 := false
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		date1904 = *props.Date1904
	}
	dates := dateStyles{f: f, known: map[int]bool{}}

	// Two streaming iterators over the same sheet, kept in step: one gives
	// the text each cell shows, the other the stored values. Streaming
	// (rather than GetRows) and the cell budget keep a small file that
	// declares a million rows or a cell in column XFD from costing
	// gigabytes.
	shownRows, err := f.Rows(sheet)
	if err != nil {
		badXLSX(ps, err)
		return nil
	}
	defer func() { _ = shownRows.Close() }()
	rawRows, err := f.Rows(sheet)
	if err != nil {
		badXLSX(ps, err)
		return nil
	}
	defer func() { _ = rawRows.Close() }()

	t = &table{format: FormatXLSX, padded: true}
	var kinds []cellKind
	budget := xlsxMaxCells
	for n := 1; shownRows.Next(); n++ {
		if !rawRows.Next() {
			badXLSX(ps, fmt.Errorf("row %d: sheet ended early", n))
			return nil
		}
		shown, err := shownRows.Columns()
		if err != nil {
			badXLSX(ps, err)
			return nil
		}
		raw, err := rawRows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			badXLSX(ps, err)
			return nil
		}
		if budget -= len(shown) + 1; budget < 0 {
			ps.addf(0, "", "Trang tính quá lớn (hơn %s ô, tính cả các ô trống đến ô xa nhất của mỗi dòng). Hãy xóa các cột, dòng thừa hoặc chia thành nhiều tệp.",
				"The sheet is too large (over %s cells, counting empty cells up to the last one of each row). Delete unused columns and rows or split the file.", viInt(xlsxMaxCells))
			return nil
		}
		out := make([]string, len(shown))
		blank := true
		for j, c := range shown {
			kind := cellText
			if j < len(kinds) {
				kind = kinds[j]
			}
			var r string
			if j < len(raw) {
				r = raw[j]
			}
			out[j] = clean(c)
			// A cell whose display differs from a stored number is a
			// number with a format: dates, thousands separators,
			// fixed decimals.
			if t.header != nil && r != c && isDecimal(r) {
				switch {
				case kind == cellNumber:
					out[j] = r
				case dates.is(sheet, j+1, n):
					out[j] = excelDate(r, date1904, kind == cellPeriod, c)
				}
			}
			blank = blank && out[j] == ""
		}
		if blank {
			continue
		}
		if t.header == nil {
			t.header, t.headerRow = out, n
			kinds = make([]cellKind, len(out))
			for j, h := range out {
				kinds[j] = columnCellKind(h)
			}
			continue
		}
		t.rows = append(t.rows, row{n: n, cells: out})
	}
	if err := shownRows.Error(); err != nil {
		badXLSX(ps, err)
		return nil
	}
	if t.header == nil {
		ps.addf(0, "", "Trang tính đầu tiên (\"%s\") trống: không có dòng tiêu đề nào, cũng không có dữ liệu.",
			"The first sheet (%q) is empty: no header row and no data.", sheet)
		return nil
	}
	return t
}

func badXLSX(ps *problems, err error) {
	ps.addf(0, "", "Không đọc được tệp Excel: tệp bị hỏng, có mật khẩu, hoặc không phải sổ làm việc .xlsx (chi tiết: %v). Hãy mở tệp trong Excel và lưu lại thành .xlsx hoặc \"CSV UTF-8 (Comma delimited)\".",
		"Cannot read the Excel file: it is damaged, password-protected or not an .xlsx workbook (detail: %v). Open it in Excel and save it again as .xlsx or \"CSV UTF-8 (Comma delimited)\".", err)
}

var decimalRe = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$`)

func isDecimal(s string) bool { return decimalRe.MatchString(s) }

// excelDate turns a serial date into YYYY-MM (period column) or ISO 8601;
// a serial that is not a date keeps the shown text.
func excelDate(serial string, date1904, period bool, shown string) string {
	v, err := strconv.ParseFloat(serial, 64)
	if err != nil || v < 0 || v > 2958465 { // 31/12/9999
		return clean(shown)
	}
	tm, err := excelize.ExcelDateToTime(v, date1904)
	if err != nil {
		return clean(shown)
	}
	switch {
	case period:
		return tm.Format("2006-01")
	case tm.Sub(tm.Truncate(24*time.Hour)) == 0:
		return tm.Format("2006-01-02")
	}
	return tm.Format("2006-01-02T15:04:05")
}

// dateStyles tells whether a cell's number format is a date or time,
// caching the answer per style.
type dateStyles struct {
	f     *excelize.File
	known map[int]bool
}

func (d dateStyles) is(sheet string, col, row int) bool {
	axis, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		return false
	}
	id, err := d.f.GetCellStyle(sheet, axis)
	if err != nil {
		return false
	}
	if v, ok := d.known[id]; ok {
		return v
	}
	st, err := d.f.GetStyle(id)
	v := err == nil && st != nil && (builtInDateFormat(st.NumFmt) ||
		(st.CustomNumFmt != nil && dateFormatCode(*st.CustomNumFmt)))
	d.known[id] = v
	return v
}

// builtInDateFormat: the number format ids ECMA-376 (and the East Asian
// variants Excel writes) reserve for dates and times.
func builtInDateFormat(id int) bool {
	return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
		(id >= 50 && id <= 58) || (id >= 71 && id <= 81)
}

// formatNoise removes from a format code what cannot be a date token:
// quoted text, escaped characters and bracketed locale or colour tags.
var formatNoise = regexp.MustCompile(`"[^"]*"|\\.|\[[^\]]*\]`)

// dateFormatCode reports whether a custom format code shows a date or time:
// after removing literals, it has a d, m, y, h or s token.
func dateFormatCode(code string) bool {
	code = strings.SplitN(code, ";", 2)[0]
	code = formatNoise.ReplaceAllString(code, "")
	if strings.EqualFold(code, "general") {
		return false
	}
	return strings.ContainsAny(code, "dmyhsDMYHS")
}
