package tabular

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"unicode/utf8"
)

// MaxLineBytes bounds one CSV row (with its quoted line breaks): a file
// with a stray quote would otherwise read the rest of the file as one
// cell, and a file of one 50 MB line would be held whole.
const MaxLineBytes = 1 << 20

// errFatal marks a problem after which the rows cannot be told apart any
// more; it has been reported already.
var errFatal = errors.New("tabular: cannot read on")

// csvReader splits a UTF-8 CSV stream into rows of cells without
// allocating per row: cells are slices into the reader's buffer, valid
// until the next call. encoding/csv allocates a string per field; for a
// dossier file (17 fields, a million rows) that was a third of the parse
// time.
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
	ps      *Problems
	err     error // I/O error, or errFatal
}

// readLine returns the next physical line without its line break, valid
// until the next call; ok is false at the end of the input or on an error.
func (r *csvReader) readLine() (line []byte, ok bool) {
	b, err := r.br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		// A line longer than the buffer: gather it (rare; bounded).
		long := append(r.buf[:0], b...)
		for errors.Is(err, bufio.ErrBufferFull) {
			if len(long) > MaxLineBytes {
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
	if len(b) > MaxLineBytes {
		r.tooLong()
		return nil, false
	}
	if n := len(b); b[n-1] == '\n' {
		b = b[:n-1]
		if n := len(b); n > 0 && b[n-1] == '\r' {
			b = b[:n-1]
		}
	}
	if !utf8.Valid(b) {
		r.ps.Add(r.line, "", "file.csv.utf8", M("file.howto.csv"))
		r.err = errFatal
		return nil, false
	}
	return b, true
}

func (r *csvReader) tooLong() {
	r.ps.Add(r.line, "", "file.csv.long", Int(MaxLineBytes>>20))
	r.err = errFatal
	r.buf = nil // its memory is not needed any more
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
	r.ps.Add(r.rowLine, "", "file.csv.quote", r.line, cell)
	r.err = errFatal
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
					if len(out) > MaxLineBytes {
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
