// Package filesniff tells what an uploaded file really is from its first
// bytes, and names the refusal of the files the importers cannot read (a
// message of the catalogue, i18n). Offices send what their tools give them: an old
// .xls, a PDF, a "CSV" that Excel saved as UTF-16 or that is a workbook
// renamed; the content decides, the extension only sharpens a message.
//
// The reader of uploaded tables (internal/tabular) uses it for every kind
// of file, so that the same file gets the same answer whatever it holds.
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

// Refusal is why a file of format f, named name, cannot be imported, as a
// message key of the catalogue (i18n) and its arguments; "" for the
// formats that can (CSV, XLSX).
func Refusal(f Format, name string) (key string, args []any) {
	switch f {
	case Empty:
		return "file.empty", nil
	case OldExcel:
		return "file.sniff.xls", nil
	case PDF:
		return "file.sniff.pdf", nil
	case NotExcel:
		ext := strings.ToLower(path.Ext(name))
		if len(ext) > 16 {
			ext = ext[:16]
		}
		return "file.sniff.not_excel", []any{ext}
	case UTF16:
		return "file.sniff.utf16", nil
	case Binary:
		return "file.sniff.binary", nil
	}
	return "", nil
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
