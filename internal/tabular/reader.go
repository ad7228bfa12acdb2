// Package tabular is the one reader of the files offices import: CSV or
// XLSX tables (units, counts, official results, procedure catalogues,
// dossier records, and whatever comes next), streamed row by row in
// bounded memory whatever the file holds, and the problems found in them.
//
// A file is recognised by its content (internal/filesniff), its header
// read and matched to a Kind (its columns, each with how a spreadsheet
// cell of it turns back into text), then its rows are streamed: blank rows
// skipped, rows that do not line up with the header reported, cells
// trimmed. Callers validate the cells and report their own problems.
//
// A Problem carries data, not sentences: where (row, column) and a message
// key of the catalogue (i18n) with its arguments; it is worded when shown,
// in Vietnamese on the web and in English or Vietnamese on the command
// line. Problems keeps the first few hundred in full and counts the rest
// by kind, and every value quoted in a message is cut, so that a file of
// millions of bad rows or of one 50 MB line costs no more memory than a
// small one. A reader of files that are not tables (the portal's JSON
// captures) uses the problems alone: AddIn names the file of a capture and
// the place in it (a JSON path); Error.Lines words them.
//
// Limits, whatever the file says: a CSV line is at most MaxLineBytes, a
// cell at most MaxCellRunes characters (a spreadsheet cell is refused as
// soon as the reader meets it, before it is held), and a workbook unpacks
// to at most 512 MB, of which at most 64 MB of shared strings are held.
package tabular

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"scorecard/internal/filesniff"
)

// Formats of files.
const (
	FormatCSV  = "csv"
	FormatXLSX = "xlsx"
)

// MaxCellRunes bounds a cell: no column of any file needs more (a unit's
// name is at most 500 characters, a procedure's 1 000).
const MaxCellRunes = 4000

// sniffBytes is how much of a file is looked at to recognise its format
// and its CSV delimiter.
const sniffBytes = 64 << 10

// Options tunes a Reader.
type Options struct {
	// MaxXLSXRows caps the rows of a sheet; 0 means no cap.
	MaxXLSXRows int
}

// Reader streams the rows of a CSV or XLSX table. Open reads the header;
// SetKind maps it to a kind's columns; Next then yields the data rows.
type Reader struct {
	name   string
	ps     *Problems
	format string
	src    *source
	csv    *csvReader
	xl     *xlsxReader
	// ra and size: a workbook read where it is (a file on disk).
	ra   io.ReaderAt
	size int64
	mem  []byte // a workbook read into memory

	header    [][]byte
	headerRow int
	kind      *Kind
	colIdx    []int // kind column → cell index
	unnamed   []int // unnamed header cells not yet seen with data
	width     int
	row       int
	out       [][]byte
	ok        bool
	finished  bool
	ioErr     error
}

// source counts and hashes what is read from the file. The count is
// atomic: a caller may read the file on a goroutine of its own while
// another reports progress.
type source struct {
	r io.Reader
	h hash.Hash
	n atomic.Int64
}

func (s *source) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	s.n.Add(int64(n))
	_, _ = s.h.Write(p[:n])
	return n, err
}

// Open recognises the format of the file named name by its content (the
// extension only sharpens a message) and reads up to its header row.
// Problems of the file as a whole go to ps; Header is then nil. An
// *os.File or another io.ReaderAt with a size is read where it is when it
// is a workbook.
func Open(name string, r io.Reader, ps *Problems, opts Options) *Reader {
	t := &Reader{name: name, ps: ps, format: FormatCSV, src: &source{r: r, h: sha256.New()}}
	br := bufio.NewReaderSize(t.src, 256<<10)
	head, err := br.Peek(sniffBytes)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		t.ioErr = fmt.Errorf("tabular: read %s: %w", name, err)
		return t
	}
	switch f := filesniff.Sniff(head, name); f {
	case filesniff.XLSX:
		t.format = FormatXLSX
		t.openXLSX(r, br, opts)
		return t
	case filesniff.CSV:
	default:
		key, args := filesniff.Refusal(f, name)
		ps.Add(0, "", key, args...)
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
	t.csv = &csvReader{br: br, comma: ',', ps: ps}
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
				ps.Add(0, "", "file.empty")
			}
			return t
		}
		if !blank(cells) {
			t.setHeader(t.csv.rowLine, cells)
			return t
		}
	}
}

func (t *Reader) openXLSX(r io.Reader, br *bufio.Reader, opts Options) {
	// excelize is not used here, but the archive and XML readers face
	// untrusted bytes too: whatever happens, the answer is a refusal.
	defer func() {
		if p := recover(); p != nil {
			badXLSX(t.ps, fmt.Errorf("%v", p))
			t.header = nil
		}
	}()
	t.ra, t.size = readerAt(r)
	if t.ra == nil {
		b, err := io.ReadAll(io.LimitReader(br, MaxXLSXBytes+1))
		if err != nil {
			t.ioErr = fmt.Errorf("tabular: read %s: %w", t.name, err)
			return
		}
		if len(b) > MaxXLSXBytes {
			t.ps.Add(0, "", "file.xlsx.too_big", Int(MaxXLSXBytes>>20))
			return
		}
		t.mem = b
		t.ra, t.size = bytes.NewReader(b), int64(len(b))
	}
	x, err := openXLSX(t.ra, t.size, t.ps)
	if err != nil || x == nil {
		t.ioErr = err
		return
	}
	x.maxRow = opts.MaxXLSXRows
	if x.maxRow > 0 {
		x.maxRow++ // the header row
	}
	t.xl = x
	for {
		cells, ok := x.next()
		if !ok {
			if x.err == nil {
				t.ps.Add(0, "", "file.xlsx.empty", x.sheet)
			}
			return
		}
		if !blank(cells) {
			t.setHeader(x.row, cells)
			return
		}
	}
}

// readerAt is r's random access, when it has one and a known size.
func readerAt(r io.Reader) (io.ReaderAt, int64) {
	ra, ok := r.(io.ReaderAt)
	if !ok {
		return nil, 0
	}
	switch v := r.(type) {
	case interface{ Size() int64 }:
		return ra, v.Size()
	case *os.File:
		if fi, err := v.Stat(); err == nil && fi.Mode().IsRegular() {
			return ra, fi.Size()
		}
	}
	return nil, 0
}

func (t *Reader) csvEnd() {
	if t.csv.err != nil && !errors.Is(t.csv.err, errFatal) {
		t.ioErr = fmt.Errorf("tabular: read %s: %w", t.name, t.csv.err)
	}
}

func blank(cells [][]byte) bool {
	for _, c := range cells {
		if len(Trim(c)) > 0 {
			return false
		}
	}
	return true
}

// setHeader keeps the header cells (trimmed copies).
func (t *Reader) setHeader(row int, cells [][]byte) {
	t.headerRow, t.row = row, row
	t.header = make([][]byte, len(cells))
	for i, c := range cells {
		t.header[i] = bytes.Clone(Trim(c))
	}
	t.width = len(cells)
}

// Header is the header row's cells, trimmed; nil when the file was
// refused before it (see the problems) or could not be read (Err).
func (t *Reader) Header() [][]byte { return t.header }

// HeaderRow is the header's row number.
func (t *Reader) HeaderRow() int { return t.headerRow }

// Format is FormatCSV or FormatXLSX.
func (t *Reader) Format() string { return t.format }

// SetKind maps the header to the kind's columns, reporting unknown,
// duplicated and missing columns; false when the header has any such
// problem (no row is read then).
func (t *Reader) SetKind(k *Kind) bool {
	if t.header == nil {
		return false
	}
	t.kind = k
	names := strings.Join(k.ColumnNames(), ", ")
	t.colIdx = make([]int, len(k.Columns))
	for i := range t.colIdx {
		t.colIdx[i] = -1
	}
	want := make(map[string]int, len(k.Columns))
	for i, c := range k.Columns {
		want[c.Name] = i
	}
	row, bad := t.headerRow, false
	for i, c := range t.header {
		name := NormHeader(c)
		j, known := want[name]
		switch {
		case name == "":
			t.unnamed = append(t.unnamed, i)
		case !known:
			bad = true
			t.ps.Add(row, string(c[:min(len(c), 4*maxColumnRunes+4)]), "file.header.unknown", Quote(c), M(k.Label), names)
		case t.colIdx[j] >= 0:
			bad = true
			t.ps.Add(row, name, "file.header.twice", Quote(c), t.colIdx[j]+1, i+1)
		default:
			t.colIdx[j] = i
		}
	}
	for j, c := range k.Columns {
		if t.colIdx[j] < 0 && !c.Optional {
			bad = true
			t.ps.Add(row, c.Name, "file.header.missing", c.Name, M(k.Label), names)
		}
	}
	t.ok = !bad
	t.out = make([][]byte, len(k.Columns))
	if t.xl != nil {
		t.xl.kinds = make([]CellKind, t.width)
		for j, i := range t.colIdx {
			if i >= 0 {
				t.xl.kinds[i] = k.Columns[j].Cell
			}
		}
		t.xl.limit = t.width
		t.xl.header = t.headerName
	}
	return t.ok
}

// Has reports whether the header has the named column of the kind (an
// optional column may be left out).
func (t *Reader) Has(name string) bool {
	if t.kind == nil {
		return false
	}
	for j, c := range t.kind.Columns {
		if c.Name == name {
			return t.colIdx[j] >= 0
		}
	}
	return false
}

// headerName is the header name of cell index i, for messages.
func (t *Reader) headerName(i int) string {
	if i < len(t.header) {
		return string(t.header[i])
	}
	return ""
}

// Next advances to the next non-blank row whose cells line up with the
// header; rows that do not are reported and skipped. Cells then gives the
// kind's columns. It returns false at the end of the file, on an I/O error
// (Err) or after a problem that stops reading (a broken CSV quote, an
// unreadable workbook, a cell too long in a workbook).
func (t *Reader) Next() bool {
	if !t.ok || t.finished {
		return false
	}
	for {
		var cells [][]byte
		var ok bool
		extra := -1
		if t.csv != nil {
			if cells, ok = t.csv.readRow(); !ok {
				t.csvEnd()
				t.finished = true
				return false
			}
			t.row = t.csv.rowLine
			if len(cells) < t.width && !blank(cells) {
				// A spreadsheet stores no trailing empty cells; a CSV
				// row must have them all: a shorter row usually means
				// a missing separator, and guessing which cell is
				// missing could put a number in the wrong column.
				t.ps.Add(t.row, "", "file.row.short", len(cells), t.width)
				continue
			}
			for i := t.width; i < len(cells); i++ {
				if len(Trim(cells[i])) > 0 {
					extra = i
					break
				}
			}
		} else {
			if cells, ok = t.xl.next(); !ok {
				t.finished = true
				return false
			}
			t.row, extra = t.xl.row, t.xl.extra
		}
		if extra < 0 && blank(cells) {
			continue
		}
		if extra >= 0 {
			t.ps.Add(t.row, "", "file.row.extra", extra+1, t.width)
			continue
		}
		if !t.lineUp(cells) {
			continue
		}
		return true
	}
}

// lineUp picks the kind's columns out of a row, reporting a cell too long
// and data under an unnamed column; false when the row is reported.
func (t *Reader) lineUp(cells [][]byte) bool {
	for n, i := range t.unnamed {
		if i < len(cells) && len(Trim(cells[i])) > 0 {
			t.ps.Add(t.row, "", "file.header.unnamed", i+1)
			// Reported once: drop it from the watch list.
			t.unnamed = append(t.unnamed[:n:n], t.unnamed[n+1:]...)
			return false
		}
	}
	for j, i := range t.colIdx {
		if i < 0 || i >= len(cells) { // an optional column left out, or a short row
			t.out[j] = nil
			continue
		}
		c := Trim(cells[i])
		if len(c) > MaxCellRunes && utf8.RuneCount(c) > MaxCellRunes {
			t.ps.Add(t.row, t.kind.Columns[j].Name, "file.cell.long", Int(MaxCellRunes))
			return false
		}
		t.out[j] = c
	}
	return true
}

// Cells is the current row's cells in the order of the kind's columns,
// trimmed (nil for a cell the row does not have); valid until Next.
func (t *Reader) Cells() [][]byte { return t.out }

// Row is the current row's number in the file (1-based, the header row
// counting): the CSV line a row starts on, the sheet's row number.
func (t *Reader) Row() int { return t.row }

// Err is the I/O error that ended reading, if any. Problems of the file's
// content are not errors: see the Problems.
func (t *Reader) Err() error { return t.ioErr }

// Size is the size of a workbook, 0 when the file is a CSV one (see
// Bytes).
func (t *Reader) Size() int64 { return t.size }

// Bytes is how much of the file has been read so far; safe to call from
// any goroutine.
func (t *Reader) Bytes() int64 { return t.src.n.Load() }

// SHA256 is the hex SHA-256 of the whole file. A CSV file must have been
// read to the end (Next returned false without a problem that stops
// reading); a workbook is hashed where it is.
func (t *Reader) SHA256() (string, error) {
	if t.ra != nil && t.mem == nil {
		h := sha256.New()
		if _, err := io.Copy(h, io.NewSectionReader(t.ra, 0, t.size)); err != nil {
			return "", fmt.Errorf("tabular: read %s: %w", t.name, err)
		}
		return hex.EncodeToString(h.Sum(nil)), nil
	}
	return hex.EncodeToString(t.src.h.Sum(nil)), nil
}

// Close releases what the reader holds when reading stops early; reading
// to the end releases it too.
func (t *Reader) Close() {
	if t.xl != nil {
		t.xl.close()
	}
	t.mem = nil
}
