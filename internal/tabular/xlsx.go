package tabular

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"
)

// An .xlsx workbook is a zip archive of XML parts. It is read here as a
// stream, part by part, never whole: a 0,5 MB upload can unpack to
// gigabytes, and one cell can hold hundreds of megabytes of text. The
// limits below hold whatever the file says about itself: every byte
// unpacked counts against one budget, no text or tag between two XML marks
// may be longer than maxRunBytes (so no single token is ever held longer),
// and a cell longer than MaxCellRunes is refused as soon as it is seen.
const (
	// MaxXLSXBytes bounds a workbook that has to be held in memory (a zip
	// needs random access; a file on disk is read where it is).
	MaxXLSXBytes = 64 << 20
	// maxUnpacked bounds everything unpacked from one workbook.
	maxUnpacked = 512 << 20
	// maxSharedBytes bounds the text of the shared strings, which are held
	// (cells refer to them by number) in one block with 4 bytes each more.
	maxSharedBytes = 64 << 20
	maxSharedCount = 4 << 20
	// maxRunBytes bounds the text or the tag between two XML marks: room
	// for a cell of MaxCellRunes characters however they are escaped.
	maxRunBytes = 64 << 10
	// maxStyles bounds the cell formats of a workbook (Excel allows 64 000).
	maxStyles = 1 << 16
	// The largest sheet Excel makes.
	maxSheetColumns = 16384
	maxSheetRows    = 1 << 20
)

// unpackedLimit is maxUnpacked; a test lowers it.
var unpackedLimit int64 = maxUnpacked

var (
	errLongRun = errors.New("tabular: xml run too long")
	errBudget  = errors.New("tabular: workbook unpacks too large")
	errBadBook = errors.New("tabular: not a workbook")
)

// partReader reads one part of the archive, counting its bytes against
// the workbook's budget and stopping at a run longer than maxRunBytes.
type partReader struct {
	r    io.Reader
	left *int64
	run  int
}

func (p *partReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	for i, c := range b[:n] {
		if c == '<' || c == '>' {
			p.run = 0
			continue
		}
		if p.run++; p.run > maxRunBytes {
			return i, errLongRun
		}
	}
	if *p.left -= int64(n); *p.left < 0 {
		return n, errBudget
	}
	return n, err
}

// cellStyle is what a cell format says about a number.
type cellStyle struct {
	date bool
	code string // a number format code; "" is General
}

// sharedStrings holds the workbook's shared strings in one block.
type sharedStrings struct {
	text []byte
	ends []uint32
	// long are strings longer than a cell may be (not kept).
	long map[int]bool
	// cut is the first string that was not read (a run longer than
	// maxRunBytes stopped the reading); -1 when all were read.
	cut int
}

func (s *sharedStrings) get(i int) (b []byte, ok bool) {
	if i < 0 || i >= len(s.ends) {
		return nil, false
	}
	start := uint32(0)
	if i > 0 {
		start = s.ends[i-1]
	}
	return s.text[start:s.ends[i]], true
}

// xlsxReader streams the rows of a workbook's first sheet.
type xlsxReader struct {
	files    map[string]*zip.File // by lower-case name
	left     int64                // budget of unpacked bytes
	date1904 bool
	sheet    string // the first sheet's name
	sst      sharedStrings
	styles   []cellStyle

	part   io.ReadCloser
	dec    *xml.Decoder
	ps     *Problems
	kinds  []CellKind // by cell index, once the header is known
	limit  int        // cells kept per row; beyond, only whether there is data
	maxRow int        // rows read at most (0: no cap)
	rows   int        // row elements read
	row    int        // the current row's number in the sheet
	cells  [][]byte
	extra  int // the first cell index ≥ limit holding data, or -1
	spans  []cellSpan
	buf    []byte
	err    error // errFatal (reported) or an I/O error
	header func(col int) string
}

type cellSpan struct{ col, start, end int }

// openXLSX opens the workbook's first sheet; nil when it cannot be read
// (reported in ps, or an I/O error in err).
func openXLSX(ra io.ReaderAt, size int64, ps *Problems) (x *xlsxReader, err error) {
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		badXLSX(ps, err)
		return nil, nil
	}
	x = &xlsxReader{files: map[string]*zip.File{}, left: unpackedLimit, ps: ps, limit: maxSheetColumns, extra: -1}
	x.sst.cut = -1
	for _, f := range zr.File {
		x.files[strings.ToLower(f.Name)] = f
	}
	if err := x.open(); err != nil {
		x.fail(err, 0, "")
		x.close()
		return nil, nil
	}
	return x, nil
}

// fail reports what stopped the reading of the workbook; ref is the cell
// being read, if any.
func (x *xlsxReader) fail(err error, row int, ref string) {
	switch {
	case errors.Is(err, errFatal):
	case errors.Is(err, errBudget):
		x.ps.Add(0, "", "file.xlsx.unpacked", Int(unpackedLimit>>20))
	case errors.Is(err, errLongRun) && ref != "":
		x.ps.Add(row, x.columnName(ref), "file.xlsx.cell_long", ref, Int(MaxCellRunes))
	case errors.Is(err, errLongRun):
		x.ps.Add(0, "", "file.xlsx.text_long", Int(MaxCellRunes))
	default:
		badXLSX(x.ps, err)
	}
	x.err = errFatal
}

// columnName is the header name of a cell's column, "" when unknown.
func (x *xlsxReader) columnName(ref string) string {
	col, _, ok := cellRef(ref)
	if !ok || x.header == nil {
		return ""
	}
	return x.header(col)
}

func badXLSX(ps *Problems, err error) {
	ps.Add(0, "", "file.xlsx.bad", err)
}

// open finds the first sheet and reads what its cells refer to.
func (x *xlsxReader) open() error {
	book := "xl/workbook.xml"
	rels, err := x.rels("_rels/.rels")
	if err != nil {
		return err
	}
	for _, r := range rels {
		if strings.HasSuffix(r.typ, "/officeDocument") {
			book = r.target
		}
	}
	var sheetID string
	err = x.walk(book, func(t xml.Token) error {
		if se, ok := t.(xml.StartElement); ok {
			switch se.Name.Local {
			case "workbookPr":
				v := attr(se, "date1904")
				x.date1904 = v == "1" || v == "true"
			case "sheet":
				if sheetID == "" {
					sheetID, x.sheet = attr(se, "id"), attr(se, "name")
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if sheetID == "" {
		return fmt.Errorf("%w: no sheet", errBadBook)
	}
	rels, err = x.rels(path.Join(path.Dir(book), "_rels", path.Base(book)+".rels"))
	if err != nil {
		return err
	}
	sheetPart, sharedPart, stylesPart := "", path.Join(path.Dir(book), "sharedStrings.xml"), path.Join(path.Dir(book), "styles.xml")
	for _, r := range rels {
		target := r.target
		if !strings.HasPrefix(target, "/") {
			target = path.Join(path.Dir(book), target)
		}
		target = strings.TrimPrefix(path.Clean(target), "/")
		switch {
		case r.id == sheetID:
			sheetPart = target
		case strings.HasSuffix(r.typ, "/sharedStrings"):
			sharedPart = target
		case strings.HasSuffix(r.typ, "/styles"):
			stylesPart = target
		}
	}
	if sheetPart == "" {
		return fmt.Errorf("%w: the first sheet has no part", errBadBook)
	}
	if err := x.readStyles(stylesPart); err != nil {
		return err
	}
	if err := x.readShared(sharedPart); err != nil {
		return err
	}
	f := x.files[strings.ToLower(sheetPart)]
	if f == nil {
		return fmt.Errorf("%w: no part %s", errBadBook, sheetPart)
	}
	rc, err := f.Open()
	if err != nil {
		return fmt.Errorf("%w: %w", errBadBook, err)
	}
	x.part = rc
	x.dec = xml.NewDecoder(&partReader{r: rc, left: &x.left})
	return nil
}

type relationship struct{ id, typ, target string }

// rels reads a relationships part; a missing one is empty.
func (x *xlsxReader) rels(name string) ([]relationship, error) {
	var out []relationship
	if x.files[strings.ToLower(name)] == nil {
		return nil, nil
	}
	err := x.walk(name, func(t xml.Token) error {
		if se, ok := t.(xml.StartElement); ok && se.Name.Local == "Relationship" {
			if len(out) >= 1000 {
				return fmt.Errorf("%w: too many relationships", errBadBook)
			}
			out = append(out, relationship{attr(se, "Id"), attr(se, "Type"), attr(se, "Target")})
		}
		return nil
	})
	return out, err
}

// walk streams the tokens of a part to fn; a missing part is an error.
func (x *xlsxReader) walk(name string, fn func(xml.Token) error) error {
	f := x.files[strings.ToLower(name)]
	if f == nil {
		return fmt.Errorf("%w: no part %s", errBadBook, name)
	}
	rc, err := f.Open()
	if err != nil {
		return fmt.Errorf("%w: %w", errBadBook, err)
	}
	defer func() { _ = rc.Close() }()
	dec := xml.NewDecoder(&partReader{r: rc, left: &x.left})
	for {
		t, err := dec.RawToken()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(t); err != nil {
			return err
		}
	}
}

// attr is the value of the attribute named local (any prefix).
func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// readStyles reads which cell formats show dates, and the number formats.
func (x *xlsxReader) readStyles(name string) error {
	if x.files[strings.ToLower(name)] == nil {
		return nil // no styles: every number is General
	}
	custom := map[int]string{}
	inXfs := false
	return x.walk(name, func(t xml.Token) error {
		switch t := t.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "numFmt":
				if id, err := strconv.Atoi(attr(t, "numFmtId")); err == nil && len(custom) < maxStyles {
					custom[id] = attr(t, "formatCode")
				}
			case "cellXfs":
				inXfs = true
			case "xf":
				if !inXfs {
					break
				}
				if len(x.styles) >= maxStyles {
					return fmt.Errorf("%w: too many cell formats", errBadBook)
				}
				id, _ := strconv.Atoi(attr(t, "numFmtId"))
				st := cellStyle{date: builtInDateFormat(id), code: builtInNumberFormats[id]}
				if code, ok := custom[id]; ok {
					st = cellStyle{date: dateFormatCode(code), code: code}
				}
				x.styles = append(x.styles, st)
			}
		case xml.EndElement:
			if t.Name.Local == "cellXfs" {
				inXfs = false
			}
		}
		return nil
	})
}

// readShared reads the shared strings. A string longer than a cell may be
// is not kept but marked, so that the cell using it is refused with its
// place; a run too long to read stops the reading there (cut).
func (x *xlsxReader) readShared(name string) error {
	if x.files[strings.ToLower(name)] == nil {
		return nil
	}
	s := &x.sst
	s.long = map[int]bool{}
	inT, rph, start, long := false, 0, 0, false
	err := x.walk(name, func(t xml.Token) error {
		switch t := t.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				start, long, rph, inT = len(s.text), false, 0, false
			case "rPh": // phonetic run: not part of the text
				rph++
			case "t":
				inT = rph == 0
			}
		case xml.CharData:
			if !inT || long {
				break
			}
			if len(s.text)-start+len(t) > 4*MaxCellRunes {
				long = true
				break
			}
			if len(s.text)+len(t) > maxSharedBytes {
				return errBudget
			}
			s.text = append(s.text, t...)
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inT = false
			case "rPh":
				rph--
			case "si":
				if long || utf8.RuneCount(s.text[start:]) > MaxCellRunes {
					s.long[len(s.ends)] = true
					s.text = s.text[:start]
				}
				if len(s.ends) >= maxSharedCount {
					return errBudget
				}
				s.ends = append(s.ends, uint32(len(s.text)))
			}
		}
		return nil
	})
	if errors.Is(err, errLongRun) {
		s.cut = len(s.ends)
		return nil
	}
	return err
}

// cellRef splits "B7" into its 0-based column and 1-based row.
func cellRef(ref string) (col, row int, ok bool) {
	i := 0
	for i < len(ref) && ref[i] >= 'A' && ref[i] <= 'Z' {
		col = col*26 + int(ref[i]-'A'+1)
		if col > maxSheetColumns {
			return 0, 0, false
		}
		i++
	}
	if i == 0 {
		return 0, 0, false
	}
	row, err := strconv.Atoi(ref[i:])
	if err != nil || row < 1 || row > maxSheetRows {
		return 0, 0, false
	}
	return col - 1, row, true
}

// colName writes a 0-based column index as letters: 1 → B.
func colName(col int) string {
	var b []byte
	for col++; col > 0; col = (col - 1) / 26 {
		b = append([]byte{byte('A' + (col-1)%26)}, b...)
	}
	return string(b)
}

// next reads the next row element: its cells, dense up to the limit; ok
// is false at the end of the sheet or when reading stopped (reported).
func (x *xlsxReader) next() (cells [][]byte, ok bool) {
	if x.err != nil || x.dec == nil {
		return nil, false
	}
	x.spans, x.buf, x.extra = x.spans[:0], x.buf[:0], -1
	inRow := false
	var (
		ref             string
		col, style      int
		typ             string
		inV, inIS, inT  bool
		rph, start, top int
	)
	for {
		t, err := x.dec.RawToken()
		if errors.Is(err, io.EOF) {
			x.close()
			return nil, false
		}
		if err != nil {
			x.fail(err, x.row, ref)
			x.close()
			return nil, false
		}
		switch t := t.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				n := x.row + 1
				if r := attr(t, "r"); r != "" {
					v, err := strconv.Atoi(r)
					if err != nil || v < 1 || v > maxSheetRows {
						return x.bad("row number %q", r)
					}
					n = v
				}
				x.rows++
				if x.maxRow > 0 && x.rows > x.maxRow {
					x.ps.Add(0, "", "file.xlsx.rows", Int(x.maxRow))
					x.err = errFatal
					x.close()
					return nil, false
				}
				x.row, inRow, top = n, true, -1
			case "c":
				if !inRow {
					break
				}
				ref = attr(t, "r")
				if ref == "" {
					col = top + 1
					ref = colName(col) + strconv.Itoa(x.row)
				} else {
					c, _, ok := cellRef(ref)
					if !ok {
						return x.bad("cell reference %q", ref)
					}
					col = c
				}
				if col >= maxSheetColumns {
					return x.bad("cell reference %q", ref)
				}
				top = col
				typ = attr(t, "t")
				style, _ = strconv.Atoi(attr(t, "s"))
				start = len(x.buf)
				inV, inIS, inT, rph = false, false, false, 0
			case "v":
				inV = true
			case "is":
				inIS = true
			case "rPh":
				rph++
			case "t":
				inT = inIS && rph == 0
			}
		case xml.CharData:
			if !inV && !inT {
				break
			}
			if len(x.buf)-start+len(t) > 4*MaxCellRunes {
				x.fail(errLongRun, x.row, ref)
				x.close()
				return nil, false
			}
			x.buf = append(x.buf, t...)
		case xml.EndElement:
			switch t.Name.Local {
			case "v":
				inV = false
			case "is":
				inIS = false
			case "t":
				inT = false
			case "rPh":
				rph--
			case "c":
				if !inRow {
					break
				}
				if !x.cell(col, style, typ, ref, start) {
					x.close()
					return nil, false
				}
				ref = ""
			case "row":
				return x.dense(), true
			}
		}
	}
}

// bad stops reading at a malformed sheet.
func (x *xlsxReader) bad(format string, args ...any) ([][]byte, bool) {
	x.fail(fmt.Errorf("%w: "+format, append([]any{errBadBook}, args...)...), 0, "")
	x.close()
	return nil, false
}

// cell turns the cell whose raw text is x.buf[start:] into the text a CSV
// file would carry, in place, and records it; false when the reading must
// stop (reported).
func (x *xlsxReader) cell(col, style int, typ, ref string, start int) bool {
	raw := x.buf[start:]
	var text []byte
	switch typ {
	case "s":
		i, err := strconv.Atoi(string(bytes.TrimSpace(raw)))
		switch {
		case err != nil:
			x.fail(fmt.Errorf("%w: shared string %q in %s", errBadBook, raw, ref), 0, "")
			return false
		case x.sst.long[i] || i == x.sst.cut:
			x.fail(errLongRun, x.row, ref)
			return false
		case x.sst.cut >= 0 && i > x.sst.cut:
			x.fail(errLongRun, 0, "")
			return false
		}
		s, ok := x.sst.get(i)
		if !ok {
			x.fail(fmt.Errorf("%w: no shared string %d (%s)", errBadBook, i, ref), 0, "")
			return false
		}
		text = s
	case "inlineStr", "str", "e", "b", "d":
		text = raw
	default: // a number
		if len(raw) == 0 {
			break
		}
		kind := Text
		if col < len(x.kinds) {
			kind = x.kinds[col]
		}
		var st cellStyle
		if style >= 0 && style < len(x.styles) {
			st = x.styles[style]
		}
		text = []byte(x.number(string(raw), kind, st))
	}
	if utf8.RuneCount(text) > MaxCellRunes {
		x.fail(errLongRun, x.row, ref)
		return false
	}
	// The text replaces the raw value in the buffer (text may be a shared
	// string, or a new slice).
	x.buf = append(x.buf[:start], text...)
	x.spans = append(x.spans, cellSpan{col, start, len(x.buf)})
	return true
}

// number is a number cell's text in a column of kind k.
func (x *xlsxReader) number(raw string, k CellKind, st cellStyle) string {
	if k == Number {
		return raw
	}
	f, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		return raw
	}
	if st.date || (k == Time || k == Period) && f >= minTimeSerial && f < maxTimeSerial {
		if t, ok := ExcelTime(f, x.date1904); ok {
			return dateText(t, k)
		}
	}
	return numberText(raw, st.code)
}

// dense lays the row's cells out by index, up to the limit.
func (x *xlsxReader) dense() [][]byte {
	width := 0
	for _, s := range x.spans {
		if s.col < x.limit {
			width = max(width, s.col+1)
		} else if s.end > s.start && len(Trim(x.buf[s.start:s.end])) > 0 && (x.extra < 0 || s.col < x.extra) {
			x.extra = s.col
		}
	}
	if cap(x.cells) < width {
		x.cells = make([][]byte, width)
	}
	x.cells = x.cells[:width]
	clear(x.cells)
	for _, s := range x.spans {
		if s.col < x.limit {
			x.cells[s.col] = x.buf[s.start:s.end:s.end]
		}
	}
	return x.cells
}

func (x *xlsxReader) close() {
	if x.part != nil {
		_ = x.part.Close()
		x.part, x.dec = nil, nil
	}
}
