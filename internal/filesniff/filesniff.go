// Package filesniff tells what an uploaded file really is from its first
// bytes, and words the refusal of the files the importers cannot read, in
// Vietnamese and English. Offices send what their tools give them: an old
// .xls, a PDF, a "CSV" that Excel saved as UTF-16 or that is a workbook
// renamed; the content decides, the extension only sharpens a message.
//
// Both readers of uploaded tables use it: the importer's (units, counts,
// official results) and the dossier package's streaming one (catalogues,
// dossier records), so that the same file gets the same answer whatever
// it holds.
package filesniff

import (
	"bytes"
	"path"
	"strings"
)

// Format is what a file's first bytes say it is.
type Format int

const (
	CSV      Format = iota // text, read as CSV (after its UTF-8 byte-order mark, if any)
	XLSX                   // a zip archive: an Excel workbook
	Empty                  // nothing but spaces and line ends
	OldExcel               // an OLE file: Excel 97-2003, or a password-protected workbook
	PDF                    // a PDF document
	NotExcel               // named .xlsx or .xlsm, but not a workbook
	UTF16                  // text saved as "Unicode" by Excel or Notepad
	Binary                 // anything else that is not text
)

var (
	// BOM is the UTF-8 byte-order mark Excel writes at the start of a
	// "CSV UTF-8" file.
	BOM        = []byte{0xEF, 0xBB, 0xBF}
	magicZip   = []byte("PK\x03\x04")
	magicOLE   = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	magicPDF   = []byte("%PDF")
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// HowToSaveCSV and HowToSaveCSVEN tell how Excel saves a file the
// importers read, for the messages about encodings.
const (
	HowToSaveCSV   = "Trong Excel: Tệp → Lưu thành → chọn kiểu \"CSV UTF-8 (Comma delimited) (*.csv)\"; hoặc lưu thành Excel (.xlsx)."
	HowToSaveCSVEN = "In Excel: File → Save As → choose \"CSV UTF-8 (Comma delimited) (*.csv)\"; or save as Excel (.xlsx)."
)

// Sniff recognises the format of a file named name from its first bytes
// (a few kilobytes are plenty).
func Sniff(head []byte, name string) Format {
	ext := strings.ToLower(path.Ext(name))
	switch {
	case len(bytes.TrimSpace(bytes.TrimPrefix(head, BOM))) == 0:
		return Empty
	case bytes.HasPrefix(head, magicZip):
		return XLSX
	case bytes.HasPrefix(head, magicOLE):
		return OldExcel
	case bytes.HasPrefix(head, magicPDF):
		return PDF
	case ext == ".xlsx" || ext == ".xlsm":
		return NotExcel
	case bytes.HasPrefix(head, bomUTF16LE) || bytes.HasPrefix(head, bomUTF16BE):
		return UTF16
	case bytes.IndexByte(head, 0) >= 0:
		return Binary
	}
	return CSV
}

// Refusal words why a file of format f, named name, cannot be imported;
// "" for the formats that can (CSV, XLSX).
func Refusal(f Format, name string) (vi, en string) {
	switch f {
	case Empty:
		return "Tệp trống: không có dòng tiêu đề nào, cũng không có dữ liệu.",
			"The file is empty: no header row and no data."
	case OldExcel:
		return "Đây là tệp Excel 97-2003 (.xls) hoặc tệp Excel có đặt mật khẩu; chương trình chỉ đọc .xlsx và CSV. Mở tệp trong Excel, bỏ mật khẩu nếu có, rồi Lưu thành \"Sổ làm việc Excel (*.xlsx)\" hoặc \"CSV UTF-8 (Comma delimited)\".",
			"This is an Excel 97-2003 (.xls) or password-protected workbook; only .xlsx and CSV are read. Open it in Excel, remove any password, and save as \"Excel Workbook (*.xlsx)\" or \"CSV UTF-8 (Comma delimited)\"."
	case PDF:
		return "Đây là tệp PDF; chương trình chỉ nhập tệp CSV hoặc Excel (.xlsx).",
			"This is a PDF file; only CSV or Excel (.xlsx) files can be imported."
	case NotExcel:
		ext := strings.ToLower(path.Ext(name))
		return "Tệp có đuôi " + ext + " nhưng nội dung không phải là tệp Excel: có thể tệp bị hỏng hoặc bị đổi đuôi. Hãy mở lại trong Excel và lưu thành .xlsx.",
			"The file is named " + ext + " but its content is not an Excel workbook: it may be damaged or renamed. Open it in Excel and save it as .xlsx again."
	case UTF16:
		return "Tệp được lưu dạng Unicode (UTF-16), không phải CSV UTF-8. " + HowToSaveCSV,
			"The file is saved as Unicode text (UTF-16), not CSV UTF-8. " + HowToSaveCSVEN
	case Binary:
		return "Tệp không phải là CSV hay Excel (.xlsx): nội dung là dữ liệu nhị phân.",
			"The file is neither CSV nor Excel (.xlsx): its content is binary."
	}
	return "", ""
}

// Delimiter is the delimiter of a CSV file from its first line (b may go
// on past it): commas and semicolons are counted outside quotes and the
// more frequent wins, a comma when neither appears. Excel writes
// semicolons where the decimal separator is a comma, as on Vietnamese
// Windows.
func Delimiter(b []byte) byte {
	commas, semis, quoted := 0, 0, false
	for _, c := range b {
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '\n' || c == '\r':
			return pick(commas, semis)
		case c == ',':
			commas++
		case c == ';':
			semis++
		}
	}
	return pick(commas, semis)
}

func pick(commas, semis int) byte {
	if semis > commas {
		return ';'
	}
	return ','
}
