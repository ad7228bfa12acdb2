package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"scorecard/internal/filesniff"
)

// Formats of files.
const (
	FormatCSV  = "csv"
	FormatXLSX = "xlsx"
)

// row is one data row: its 1-based number in the file and its cells,
// trimmed.
type row struct {
	n     int
	cells []string
}

// table is a file read into text: the header cells (as written, trimmed)
// and the non-blank rows below it.
type table struct {
	format    string
	headerRow int
	header    []string
	rows      []row
	// padded: rows may be shorter than the header (a spreadsheet stores no
	// trailing empty cells); a CSV row must have every cell.
	padded bool
}

// cell normalisation. Surrounding spaces are dropped from every cell: a
// space typed after "BK" or left by a copy from a web page would otherwise
// make a code that matches nothing while looking identical on screen, and
// no code, period, number or name legitimately starts or ends with one.
// strings.TrimSpace also removes non-breaking spaces (U+00A0), which Excel
// and web pages often carry.
func clean(s string) string { return strings.TrimSpace(s) }

// readTable recognises the format by content (a .csv that is really an
// Excel file is read as Excel; the extension only sharpens a message) and
// reads it; nil means refused, with the reason in ps.
func readTable(name string, b []byte, ps *problems) *table {
	switch f := filesniff.Sniff(b, name); f {
	case filesniff.XLSX:
		return readXLSX(b, ps)
	case filesniff.CSV:
		return readCSV(b, ps)
	default:
		vi, en := filesniff.Refusal(f, name)
		ps.add(0, "", vi, en)
		return nil
	}
}

// readCSV reads UTF-8 CSV with a comma or a semicolon (Excel writes
// semicolons where the decimal separator is a comma, as on Vietnamese
// Windows), detected from the header line.
func readCSV(b []byte, ps *problems) *table {
	b = bytes.TrimPrefix(b, filesniff.BOM)
	if !utf8.Valid(b) {
		line := 1 + bytes.Count(b[:firstInvalidUTF8(b)], []byte{'\n'})
		ps.add(line, "", "Tệp không được lưu bằng mã UTF-8 (dòng này có ký tự lỗi đầu tiên), nên chữ tiếng Việt sẽ bị sai. "+filesniff.HowToSaveCSV,
			"The file is not UTF-8 (this line has the first bad character), so Vietnamese letters would be garbled. "+filesniff.HowToSaveCSVEN)
		return nil
	}
	// Old Mac-style files end lines with a bare CR, which the csv package
	// keeps inside the field.
	if bytes.IndexByte(b, '\n') < 0 && bytes.IndexByte(b, '\r') >= 0 {
		b = bytes.ReplaceAll(b, []byte{'\r'}, []byte{'\n'})
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.Comma = rune(filesniff.Delimiter(b))
	r.FieldsPerRecord = -1 // checked per row against the header, with a row number
	// Allows `a, "b"`; the spaces themselves are trimmed anyway.
	r.TrimLeadingSpace = true
	t := &table{format: FormatCSV}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				// StartLine is where the bad row begins; with an
				// unclosed quote the error surfaces lines later.
				ps.add(pe.StartLine, "", "Lỗi định dạng CSV: dấu ngoặc kép (\") đặt sai chỗ hoặc thiếu dấu đóng. Một ô có dấu phẩy, chấm phẩy hay ngoặc kép phải được bao trong ngoặc kép, và ngoặc kép bên trong viết đôi (\"\"). Các dòng sau đó chưa được kiểm tra.",
					"CSV format error: a double quote (\") is misplaced or not closed. A cell containing a comma, semicolon or quote must be enclosed in double quotes, with inner quotes doubled (\"\"). Later rows were not checked.")
			} else {
				ps.addf(0, "", "Không đọc được tệp CSV: %v", "Cannot read the CSV file: %v", err)
			}
			return nil
		}
		line, _ := r.FieldPos(0)
		cells := make([]string, len(rec))
		blank := true
		for i, c := range rec {
			cells[i] = clean(c)
			blank = blank && cells[i] == ""
		}
		if t.header == nil {
			if blank {
				continue
			}
			t.header, t.headerRow = cells, line
			continue
		}
		// Rows with every cell empty are what Excel leaves behind
		// cleared rows: skip them rather than report each.
		if !blank {
			t.rows = append(t.rows, row{n: line, cells: cells})
		}
	}
	if t.header == nil {
		ps.add(0, "", "Tệp trống: không có dòng tiêu đề nào, cũng không có dữ liệu.",
			"The file is empty: no header row and no data.")
		return nil
	}
	return t
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}
