package dossier

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"unicode/utf8"

	"scorecard/internal/filesniff"
)

// maxRowBytes bounds one CSV row (with its quoted line breaks): a file
// with a stray quote would otherwise read the rest of the file as one cell.
const maxRowBytes = 1 << 20

// errCSVFatal marks a syntax problem after which the rows cannot be told
// apart any more; it has been reported already.
var errCSVFatal = errors.New("dossier: csv syntax")

// csvReader splits a UTF-8 CSV stream into rows of cells without
// allocating per row: cells are slices into the reader's buffer, valid
// until the next call. encoding/csv allocates a string per field; for the
// dossier file (17 fields, a million rows) that was a third of the parse
// time (see BenchmarkReadDossiers).
//
// The syntax is encoding/csv's with TrimLeadingSpace: a cell may be
// enclosed in double quotes, with inner quotes doubled and line breaks
// allowed inside; a quote elsewhere is an error.
type csvReader struct {
	br      *bufio.Reader
	comma   byte
	line    int // physical lines read so far
	rowLine int // line the current row started on
	cells   [][]byte
	ends    []int  // cell ends in buf, for rows built in buf
	buf     []byte // quoted rows and lines longer than the bufio buffer
	ps      *problems
	err     error // I/O error
}

func newCSVReader(br *bufio.Reader, ps *problems) *csvReader {
	return &csvReader{br: br, comma: ',', ps: ps}
}

// readLine returns the next physical line without its line break, valid
// until the next call; ok is false at the end of the input or on an error.
func (r *csvReader) readLine() (line []byte, ok bool) {
	b, err := r.br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		// A line longer than the buffer: gather it (rare; bounded).
		long := append(r.buf[:0], b...)
		for errors.Is(err, bufio.ErrBufferFull) {
			if len(long) > maxRowBytes {
				r.line++
				r.tooLong()
				return nil, false
			}
			b, err = r.br.ReadSlice('\n')
			long = append(long, b...)
		}
		r.buf = long
		b = long
	}
	if err != nil && !errors.Is(err, io.EOF) {
		r.err = err
		return nil, false
	}
	if len(b) == 0 {
		return nil, false
	}
	r.line++
	if n := len(b); b[n-1] == '\n' {
		b = b[:n-1]
		if n := len(b); n > 0 && b[n-1] == '\r' {
			b = b[:n-1]
		}
	}
	if !utf8.Valid(b) {
		r.ps.addf(r.line, "", "Tệp không được lưu bằng mã UTF-8 (ký tự lỗi đầu tiên ở dòng %d), nên chữ tiếng Việt sẽ bị sai. "+filesniff.HowToSaveCSV,
			"The file is not UTF-8 (first bad character on line %d), so Vietnamese letters would be garbled. "+filesniff.HowToSaveCSVEN, r.line)
		r.err = errCSVFatal
		return nil, false
	}
	return b, true
}

func (r *csvReader) tooLong() {
	r.ps.addf(r.line, "", "Dòng %d dài hơn 1 MB: có thể một dấu ngoặc kép (\") bị thiếu nên nhiều dòng bị gộp làm một. Các dòng sau đó chưa được kiểm tra.",
		"Line %d is longer than 1 MB: a double quote (\") is probably missing, so many lines run together. Later rows were not checked.", r.line)
	r.err = errCSVFatal
}

// readRow returns the cells of the next row (which may span lines when a
// quoted cell holds line breaks); ok is false at the end or after a fatal
// problem. The cells are not trimmed.
func (r *csvReader) readRow() (cells [][]byte, ok bool) {
	line, ok := r.readLine()
	if !ok {
		return nil, false
	}
	r.rowLine = r.line
	if bytes.IndexByte(line, '"') < 0 {
		// The fast path: no quotes, split on the delimiter.
		r.cells = r.cells[:0]
		for {
			i := bytes.IndexByte(line, r.comma)
			if i < 0 {
				r.cells = append(r.cells, line)
				return r.cells, true
			}
			r.cells = append(r.cells, line[:i])
			line = line[i+1:]
		}
	}
	return r.readQuoted(line)
}

func (r *csvReader) syntax(cell int) {
	r.ps.addf(r.rowLine, "", "Lỗi định dạng CSV: dấu ngoặc kép (\") đặt sai chỗ (dòng %d, ô thứ %d). Một ô có dấu phẩy, chấm phẩy hay ngoặc kép phải được bao trong ngoặc kép, và ngoặc kép bên trong viết đôi (\"\"). Các dòng sau đó chưa được kiểm tra.",
		"CSV format error: misplaced double quote (line %d, cell %d). A cell containing a comma, semicolon or quote must be enclosed in double quotes, with inner quotes doubled (\"\"). Later rows were not checked.",
		r.line, cell)
	r.err = errCSVFatal
}

// readQuoted parses a row with quotes into r.buf. line may itself live in
// r.buf (a long line), so it is copied first.
func (r *csvReader) readQuoted(line []byte) ([][]byte, bool) {
	cur := append([]byte(nil), line...)
	out := r.buf[:0]
	r.ends = r.ends[:0]
	pos := 0
	for {
		// One cell starts at cur[pos].
		for pos < len(cur) && (cur[pos] == ' ' || cur[pos] == '\t') {
			pos++
		}
		if pos < len(cur) && cur[pos] == '"' {
			pos++
			for {
				i := bytes.IndexByte(cur[pos:], '"')
				if i < 0 {
					// The quoted cell goes on past the line break.
					out = append(out, cur[pos:]...)
					out = append(out, '\n')
					if len(out) > maxRowBytes {
						r.tooLong()
						return nil, false
					}
					next, ok := r.readLine()
					if !ok {
						if r.err == nil {
							r.syntax(len(r.ends) + 1)
						}
						return nil, false
					}
					cur = append(cur[:0], next...)
					pos = 0
					continue
				}
				out = append(out, cur[pos:pos+i]...)
				pos += i + 1
				if pos < len(cur) && cur[pos] == '"' {
					out = append(out, '"')
					pos++
					continue
				}
				break
			}
			// After the closing quote: spaces, then a delimiter or the end.
			for pos < len(cur) && (cur[pos] == ' ' || cur[pos] == '\t') {
				pos++
			}
			r.ends = append(r.ends, len(out))
			if pos == len(cur) {
				break
			}
			if cur[pos] != r.comma {
				r.syntax(len(r.ends))
				return nil, false
			}
			pos++
			continue
		}
		i := bytes.IndexByte(cur[pos:], r.comma)
		end := len(cur)
		if i >= 0 {
			end = pos + i
		}
		if bytes.IndexByte(cur[pos:end], '"') >= 0 {
			r.syntax(len(r.ends) + 1)
			return nil, false
		}
		out = append(out, cur[pos:end]...)
		r.ends = append(r.ends, len(out))
		if i < 0 {
			break
		}
		pos = end + 1
	}
	r.buf = out
	r.cells = r.cells[:0]
	start := 0
	for _, e := range r.ends {
		r.cells = append(r.cells, out[start:e:e])
		start = e
	}
	return r.cells, true
}

// crReader turns bare CR line ends (old Mac files) into LF.
type crReader struct{ r io.Reader }

func (c crReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i := 0; i < n; i++ {
		if p[i] == '\r' {
			p[i] = '\n'
		}
	}
	return n, err
}
