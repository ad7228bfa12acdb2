package dossier

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"scorecard/internal/filesniff"
	"scorecard/scoring"
)

// Limits of the spreadsheet path. excelize keeps a workbook's shared
// strings in memory, and a dossier sheet is mostly unique strings (codes,
// timestamps): a million rows would cost gigabytes. Large exports must
// come as CSV.
const (
	// DefaultMaxXLSXRows is the largest dossier sheet read by default.
	DefaultMaxXLSXRows = 100_000
	// maxXLSXBytes bounds the compressed workbook, which is read whole
	// (a zip needs random access).
	maxXLSXBytes = 64 << 20
	// Unzip limits: a small upload cannot become gigabytes (zip bomb).
	xlsxUnzipLimit    = 512 << 20
	xlsxUnzipXMLLimit = 16 << 20
)

// Formats of files, as the importer names them.
const (
	FormatCSV  = "csv"
	FormatXLSX = "xlsx"
)

// fileKind is one file format: its columns in canonical order, and for
// the spreadsheet path which columns hold times and periods.
type fileKind struct {
	labelVI, labelEN string
	cols             []string
	timeCols         map[string]bool
	periodCols       map[string]bool
}

// tableReader streams the rows of a CSV or XLSX file, maps the header to
// the kind's columns and reports the problems of the file's layout. Row
// cells are trimmed and valid until the next call to next.
type tableReader struct {
	kind     *fileKind
	ps       *problems
	format   string
	maxRows  int // XLSX only
	csv      *csvReader
	xl       *xlsxRows
	colIdx   []int    // kind column → cell index
	unnamed  []int    // cell indexes of unnamed header cells not yet seen with data
	width    int      // header cells
	row      int      // current row number
	out      [][]byte // the kind's columns of the current row
	ok       bool     // header usable
	ioErr    error
	finished bool
}

// openTable recognises the format by content, reads the header and checks
// it. A file-level problem leaves t.ok false; rows are then not read.
func openTable(name string, r io.Reader, kind *fileKind, ps *problems, maxRows int) *tableReader {
	t := &tableReader{kind: kind, ps: ps, maxRows: maxRows, format: FormatCSV}
	br := bufio.NewReaderSize(r, 256<<10)
	head, err := br.Peek(64 << 10)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		t.ioErr = fmt.Errorf("dossier: read %s: %w", name, err)
		return t
	}
	switch f := filesniff.Sniff(head, name); f {
	case filesniff.XLSX:
		t.format = FormatXLSX
		t.openXLSX(br)
		return t
	case filesniff.CSV:
	default:
		vi, en := filesniff.Refusal(f, name)
		ps.add(0, "", vi, en)
		return t
	}
	if bytes.HasPrefix(head, filesniff.BOM) {
		_, _ = br.Discard(len(filesniff.BOM))
		head = head[len(filesniff.BOM):]
	}
	if bytes.IndexByte(head, '\n') < 0 && bytes.IndexByte(head, '\r') >= 0 {
		// Old Mac line ends; re-buffer through the translator. The
		// peeked bytes are still unread, so nothing is lost.
		br = bufio.NewReaderSize(crReader{br}, 256<<10)
	}
	t.csv = newCSVReader(br, ps)
	// The delimiter comes from the first non-blank line.
	for _, line := range bytes.Split(head, []byte{'\n'}) {
		if len(bytes.TrimSpace(line)) > 0 {
			t.csv.comma = filesniff.Delimiter(line)
			break
		}
	}
	for {
		cells, ok := t.csv.readRow()
		if !ok {
			t.csvEnd()
			if t.csv.err == nil {
				ps.add(0, "", "Tệp trống: không có dòng tiêu đề nào, cũng không có dữ liệu.", "The file is empty: no header row and no data.")
			}
			return t
		}
		if !blank(cells) {
			t.setHeader(t.csv.rowLine, cells)
			return t
		}
	}
}

func (t *tableReader) csvEnd() {
	if t.csv.err != nil && !errors.Is(t.csv.err, errCSVFatal) {
		t.ioErr = fmt.Errorf("dossier: read: %w", t.csv.err)
	}
}

// trim drops surrounding spaces (also non-breaking ones, which Excel and
// web pages carry): a space after a code makes a code that matches
// nothing while looking identical on screen. The common case, no space at
// either end, costs two comparisons.
func trim(b []byte) []byte {
	if len(b) == 0 || (b[0] > ' ' && b[0] < 0x80 && b[len(b)-1] > ' ' && b[len(b)-1] < 0x80) {
		return b
	}
	return bytes.TrimSpace(b)
}

func blank(cells [][]byte) bool {
	for _, c := range cells {
		if len(trim(c)) > 0 {
			return false
		}
	}
	return true
}

// normHeader: header names match without surrounding spaces, case or a
// BOM kept as a character (the importer's rule).
func normHeader(b []byte) string {
	return strings.ToLower(strings.TrimSpace(strings.TrimPrefix(string(b), "\uFEFF")))
}

// setHeader maps the header cells to the kind's columns, reporting
// unknown, duplicated and missing columns.
func (t *tableReader) setHeader(row int, cells [][]byte) {
	k := t.kind
	t.row = row
	t.width = len(cells)
	t.colIdx = make([]int, len(k.cols))
	for i := range t.colIdx {
		t.colIdx[i] = -1
	}
	want := map[string]int{}
	for i, c := range k.cols {
		want[c] = i
	}
	bad := false
	for i, c := range cells {
		name := normHeader(c)
		j, known := want[name]
		switch {
		case name == "":
			t.unnamed = append(t.unnamed, i)
		case !known:
			bad = true
			t.ps.add(row, string(trim(c)),
				fmt.Sprintf("Cột %s không thuộc tệp %s. Các cột của tệp này là: %s.", quote(trim(c)), k.labelVI, strings.Join(k.cols, ", ")),
				fmt.Sprintf("Column %s is not part of a %s file. Its columns are: %s.", quote(trim(c)), k.labelEN, strings.Join(k.cols, ", ")))
		case t.colIdx[j] >= 0:
			bad = true
			t.ps.addf(row, name, "Cột \"%s\" xuất hiện hai lần ở dòng tiêu đề (cột thứ %d và %d).",
				"Column %q appears twice in the header row (columns %d and %d).", name, t.colIdx[j]+1, i+1)
		default:
			t.colIdx[j] = i
		}
	}
	for j, c := range k.cols {
		if t.colIdx[j] < 0 {
			bad = true
			t.ps.add(row, c,
				fmt.Sprintf("Thiếu cột \"%s\" ở dòng tiêu đề. Tệp %s cần đủ các cột: %s.", c, k.labelVI, strings.Join(k.cols, ", ")),
				fmt.Sprintf("The header row lacks column %q. A %s file needs the columns: %s.", c, k.labelEN, strings.Join(k.cols, ", ")))
		}
	}
	t.ok = !bad
	t.out = make([][]byte, len(k.cols))
}

// next advances to the next non-blank row whose cells line up with the
// header; rows that do not are reported and skipped. cell(i) then gives
// the kind's column i.
func (t *tableReader) next() bool {
	if !t.ok || t.finished {
		return false
	}
	for {
		var cells [][]byte
		var ok bool
		if t.csv != nil {
			cells, ok = t.csv.readRow()
			if !ok {
				t.csvEnd()
				t.finished = true
				return false
			}
			t.row = t.csv.rowLine
		} else {
			cells, ok = t.xl.next(t)
			if !ok {
				t.finished = true
				return false
			}
			t.row = t.xl.row
		}
		if blank(cells) {
			continue
		}
		if len(cells) < t.width && t.csv != nil {
			// A spreadsheet stores no trailing empty cells; a CSV row
			// must have them all.
			t.ps.addf(t.row, "", "Dòng có %d ô nhưng dòng tiêu đề có %d cột: thiếu ô (kể cả ô trống phải có dấu phân cách).",
				"The row has %d cells but the header has %d columns: cells are missing (even empty cells need their delimiter).", len(cells), t.width)
			continue
		}
		extra := false
		for i := t.width; i < len(cells); i++ {
			if len(trim(cells[i])) > 0 {
				extra = true
				break
			}
		}
		if extra {
			t.ps.addf(t.row, "", "Dòng có %d ô, nhiều hơn %d cột của dòng tiêu đề.",
				"The row has %d cells, more than the %d columns of the header.", len(cells), t.width)
			continue
		}
		for n, i := range t.unnamed {
			if i < len(cells) && len(trim(cells[i])) > 0 {
				t.ps.addf(t.row, "", "Cột thứ %d không có tên ở dòng tiêu đề nhưng có dữ liệu. Hãy đặt tên cột hoặc xóa cột đó.",
					"Column %d has no name in the header row but holds data. Name the column or delete it.", i+1)
				// Reported once: drop it from the watch list.
				t.unnamed = append(t.unnamed[:n:n], t.unnamed[n+1:]...)
				break
			}
		}
		for j, i := range t.colIdx {
			if i < len(cells) {
				t.out[j] = trim(cells[i])
			} else {
				t.out[j] = nil
			}
		}
		return true
	}
}

// xlsxRows streams the first sheet with excelize's row iterator.
type xlsxRows struct {
	f        *excelize.File
	rows     *excelize.Rows
	row      int
	date1904 bool
	timeCol  []bool // by cell index
	period   []bool
	cells    [][]byte
}

func (t *tableReader) badXLSX(err error) {
	t.ps.addf(0, "", "Không đọc được tệp Excel: tệp bị hỏng, có mật khẩu, hoặc không phải sổ làm việc .xlsx (chi tiết: %v). Hãy mở tệp trong Excel và lưu lại thành \"CSV UTF-8 (Comma delimited)\".",
		"Cannot read the Excel file: it is damaged, password-protected or not an .xlsx workbook (detail: %v). Open it in Excel and save it again as \"CSV UTF-8 (Comma delimited)\".", err)
}

func (t *tableReader) openXLSX(r io.Reader) {
	// excelize is a large parser facing untrusted bytes: whatever it does
	// on a malformed workbook, the answer must be a refusal, not a crash.
	defer func() {
		if p := recover(); p != nil {
			t.badXLSX(fmt.Errorf("%v", p))
			t.ok = false
		}
	}()
	b, err := io.ReadAll(io.LimitReader(r, maxXLSXBytes+1))
	if err != nil {
		t.ioErr = fmt.Errorf("dossier: read workbook: %w", err)
		return
	}
	if len(b) > maxXLSXBytes {
		t.ps.addf(0, "", "Tệp Excel lớn hơn %d MB. Hãy lưu dữ liệu thành \"CSV UTF-8 (Comma delimited)\" rồi nhập tệp CSV: tệp CSV lớn được đọc nhanh và tốn ít bộ nhớ.",
			"The Excel file is larger than %d MB. Save the data as \"CSV UTF-8 (Comma delimited)\" and import the CSV: large CSV files are read quickly and with little memory.", maxXLSXBytes>>20)
		return
	}
	// Raw values: a date is its serial number, turned into ISO 8601 below,
	// whatever display format the office's Excel gave it.
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{
		RawCellValue: true, UnzipSizeLimit: xlsxUnzipLimit, UnzipXMLSizeLimit: xlsxUnzipXMLLimit})
	if err != nil {
		t.badXLSX(err)
		return
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		_ = f.Close()
		t.badXLSX(errors.New("no sheet"))
		return
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		_ = f.Close()
		t.badXLSX(err)
		return
	}
	x := &xlsxRows{f: f, rows: rows}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		x.date1904 = *props.Date1904
	}
	t.xl = x
	for {
		cells, ok := x.next(t)
		if !ok {
			if len(t.ps.list) == 0 && t.ps.total == 0 {
				t.ps.addf(0, "", "Trang tính đầu tiên (\"%s\") trống: không có dòng tiêu đề nào, cũng không có dữ liệu.",
					"The first sheet (%q) is empty: no header row and no data.", sheets[0])
			}
			return
		}
		if blank(cells) {
			continue
		}
		t.setHeader(x.row, cells)
		x.timeCol = make([]bool, len(cells))
		x.period = make([]bool, len(cells))
		for i, c := range cells {
			name := normHeader(c)
			x.timeCol[i] = t.kind.timeCols[name]
			x.period[i] = t.kind.periodCols[name]
		}
		return
	}
}

// next reads one sheet row; ok is false at the end, on an error (reported)
// or past the row cap (reported with advice to use CSV).
func (x *xlsxRows) next(t *tableReader) (cells [][]byte, ok bool) {
	defer func() {
		if p := recover(); p != nil {
			t.badXLSX(fmt.Errorf("%v", p))
			cells, ok = nil, false
			x.close()
		}
	}()
	if x.rows == nil || !x.rows.Next() {
		if x.rows != nil {
			if err := x.rows.Error(); err != nil {
				t.badXLSX(err)
			}
		}
		x.close()
		return nil, false
	}
	x.row++
	if t.maxRows > 0 && x.row > t.maxRows+1 {
		t.ps.add(0, "", "Trang tính có hơn "+viInt(t.maxRows)+" dòng. Tệp Excel lớn như vậy không được nhập: hãy lưu thành \"CSV UTF-8 (Comma delimited)\" rồi nhập tệp CSV (nhanh hơn và tốn ít bộ nhớ hơn).",
			fmt.Sprintf("The sheet has more than %d rows. Excel files that large are not imported: save it as \"CSV UTF-8 (Comma delimited)\" and import the CSV (faster, and far less memory).", t.maxRows))
		x.close()
		return nil, false
	}
	vals, err := x.rows.Columns()
	if err != nil {
		t.badXLSX(err)
		x.close()
		return nil, false
	}
	x.cells = x.cells[:0]
	for i, v := range vals {
		if x.timeCol != nil && i < len(x.timeCol) && (x.timeCol[i] || x.period[i]) {
			v = x.fromSerial(v, x.period[i])
		}
		x.cells = append(x.cells, []byte(v))
	}
	return x.cells, true
}

// fromSerial turns a cell that Excel stored as a date serial into the text
// a CSV file would carry: YYYY-MM in a period column, else ISO 8601 in
// Vietnam time. Text cells pass unchanged.
func (x *xlsxRows) fromSerial(v string, period bool) string {
	s := strings.TrimSpace(v)
	if s == "" || !(s[0] >= '0' && s[0] <= '9') {
		return v
	}
	// Only serials of the years a timestamp may have (36526 is
	// 1 January 2000): a plain number such as 2024 stays as typed, so the
	// message about it shows what the office typed.
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 36526 || f > 73051 { // 1 January 2100
		return v
	}
	tm, err := excelize.ExcelDateToTime(f, x.date1904)
	if err != nil {
		return v
	}
	if period {
		return tm.Format("2006-01")
	}
	// The serial is local time without a zone: Vietnam time. Round to the
	// second, since 09:15 is stored as a binary fraction of a day.
	return tm.Round(1e9).Format("2006-01-02T15:04:05")
}

func (x *xlsxRows) close() {
	if x.rows != nil {
		_ = x.rows.Close()
		x.rows = nil
	}
	if x.f != nil {
		_ = x.f.Close()
		x.f = nil
	}
}

// close releases a workbook still open (a reader abandoned early).
func (t *tableReader) close() {
	if t.xl != nil {
		t.xl.close()
	}
}

// viInt writes n the Vietnamese way: 1.234.567.
func viInt(n int) string { return scoring.FormatIntVI(int64(n)) }
