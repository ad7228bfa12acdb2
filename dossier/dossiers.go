package dossier

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
)

// The dossier columns of formats.md, in canonical order.
const (
	colCode = iota
	colUnit
	colProcedure
	colReceived
	colDue
	colFinished
	colChannel
	colFee
	colPaid
	colEResult
	colDigitized
	colReused
	colPersonal
	colCitizen
	colSynced
	colSupplements
	colRating
)

// DossierColumns are the columns of a dossier records file.
var DossierColumns = []string{"dossier_code", "unit_code", "procedure_code", "received_at", "due_at", "finished_at",
	"channel", "fee_required", "paid_online", "e_result", "digitized", "reused_data", "personal_store",
	"citizen_data", "synced", "supplement_requests", "rating"}

var dossierKind = &fileKind{
	labelVI: "hồ sơ thủ tục hành chính (dossiers)", labelEN: "dossier records",
	cols:     DossierColumns,
	timeCols: map[string]bool{"received_at": true, "due_at": true, "finished_at": true},
}

// flagCols maps the plain 0/1 columns to their bits (e_result, which may
// be empty, is handled apart).
var flagCols = [...]struct {
	col  int
	flag Flags
}{
	{colFee, FeeRequired}, {colPaid, PaidOnline}, {colDigitized, Digitized}, {colReused, ReusedData},
	{colPersonal, PersonalStore}, {colCitizen, CitizenData}, {colSynced, Synced},
}

// ReadOptions configures a reader.
type ReadOptions struct {
	// Units and Procedures intern the codes; nil gives fresh tables. Pass
	// a Deriver's tables (Deriver.Units, Deriver.Procedures) to feed it.
	Units, Procedures *Codes
	// UnitKnown and ProcedureKnown say whether a code exists (in the
	// database, in the catalogue); nil accepts every well-formed code.
	// Each is called once per distinct code.
	UnitKnown, ProcedureKnown func(code string) bool
	// UnitProblem, when set, says why a known unit cannot take these rows
	// ("" when it can), in Vietnamese and English: the importer refuses a
	// province's dossiers and catalogue, since a province's counts are the
	// pool of its units'. Called once per distinct code, after UnitKnown.
	UnitProblem func(code string) (vi, en string)
	// MaxProblems caps the problems kept (all are counted); 0 means
	// DefaultMaxProblems.
	MaxProblems int
	// MaxXLSXRows caps the rows of a spreadsheet; 0 means
	// DefaultMaxXLSXRows, negative means no cap.
	MaxXLSXRows int
	// SizeHint is the file's size in bytes, when the reader cannot tell
	// (an *os.File or a bytes/strings reader tells); it sizes the table
	// of dossier codes once instead of growing it.
	SizeHint int64
}

func (o *ReadOptions) defaults() {
	if o.Units == nil {
		o.Units = NewCodes()
	}
	if o.Procedures == nil {
		o.Procedures = NewCodes()
	}
	if o.MaxProblems <= 0 {
		o.MaxProblems = DefaultMaxProblems
	}
	if o.MaxXLSXRows == 0 {
		o.MaxXLSXRows = DefaultMaxXLSXRows
	}
}

// DossierReader streams a dossier records file (CSV or XLSX), validating
// every row. Next yields the valid rows only; a caller that writes them
// must roll back when Problems is not empty at the end (a file is imported
// whole or not at all). It never holds more than a few batches of rows of
// the file, plus 16 bytes per dossier code seen (duplicates are refused).
//
// Parsing runs on a goroutine of its own, a few thousand rows ahead of
// the caller, so that on two cores reading the file and storing or
// deriving its rows overlap. The caller's UnitKnown and ProcedureKnown
// are called on that goroutine. Everything else (the code tables
// included) is touched on the caller's goroutine only.
type DossierReader struct {
	opts ReadOptions
	t    *tableReader

	// The parsing goroutine's.
	ps     problems
	seen   *codeSet
	unitOK map[string]refusal
	procOK map[string]refusal
	prec   Record

	full, free chan *dossierBatch
	stop       chan struct{}
	started    bool
	stopOnce   sync.Once

	// The caller's.
	cur      *dossierBatch
	i        int
	rec      Record
	code     []byte
	row      int
	rows     int
	problems int
	ended    bool
}

// dossierBatch carries parsed rows from the parsing goroutine.
type dossierBatch struct {
	recs     []Record // unit and procedure ids not set yet
	rows     []int32
	text     []byte  // per row: dossier code, unit code, procedure code
	ends     []int32 // three ends in text per row
	problems int     // problems found when the batch was sent
}

const batchRows = 2048

// NewDossierReader reads the header of a dossier file. name is used for
// messages and to tell a renamed file; r is read as the caller iterates.
func NewDossierReader(name string, r io.Reader, opts ReadOptions) *DossierReader {
	opts.defaults()
	size := opts.SizeHint
	switch v := r.(type) {
	case interface{ Size() int64 }: // bytes.Reader, strings.Reader
		size = v.Size()
	case interface{ Stat() (os.FileInfo, error) }:
		if fi, err := v.Stat(); err == nil && fi.Mode().IsRegular() {
			size = fi.Size()
		}
	}
	// A dossier row is about 150–250 bytes: room for the codes of a file
	// of that size is reserved once rather than grown.
	d := &DossierReader{opts: opts, seen: newCodeSet(int(size / 150)),
		unitOK: map[string]refusal{}, procOK: map[string]refusal{}}
	d.ps.max = opts.MaxProblems
	d.t = openTable(name, r, dossierKind, &d.ps, opts.MaxXLSXRows)
	d.problems = d.ps.total
	return d
}

// Next advances to the next valid row. It returns false at the end of the
// file, on an I/O error (see Err) or after a problem that stops reading
// (a broken CSV quote, an unreadable workbook).
//
// Codes repeated within the file are reported when the file ends (see
// codeSet): their rows are yielded like the others. Problems are complete
// once Next has returned false.
func (d *DossierReader) Next() bool {
	if d.ended {
		return false
	}
	if !d.started {
		d.started = true
		d.full, d.free, d.stop = make(chan *dossierBatch, 2), make(chan *dossierBatch, 4), make(chan struct{})
		go d.produce()
	}
	for {
		if b := d.cur; b != nil && d.i < len(b.recs) {
			j := d.i
			d.i++
			d.rec = b.recs[j]
			e := b.ends[3*j : 3*j+3]
			s := int32(0)
			if j > 0 {
				s = b.ends[3*j-1]
			}
			d.code = b.text[s:e[0]:e[0]]
			d.rec.Unit = d.opts.Units.idOf(b.text[e[0]:e[1]])
			d.rec.Procedure = d.opts.Procedures.idOf(b.text[e[1]:e[2]])
			d.row = int(b.rows[j])
			d.rows++
			return true
		}
		if d.cur != nil {
			d.problems = d.cur.problems
			d.free <- d.cur // never blocks: at most four batches exist
			d.cur = nil
		}
		b, ok := <-d.full
		if !ok {
			// The parser is done: its fields are safe to read.
			d.ended = true
			d.problems = d.ps.total
			return false
		}
		d.cur, d.i = b, 0
	}
}

// produce parses rows into batches until the end of the file or Close.
func (d *DossierReader) produce() {
	defer close(d.full)
	defer d.t.close()
	b := &dossierBatch{}
	send := func() bool {
		b.problems = d.ps.total
		select {
		case d.full <- b:
		case <-d.stop:
			return false
		}
		select {
		case b = <-d.free:
		case <-d.stop:
			return false
		default:
			b = &dossierBatch{}
		}
		b.recs, b.rows, b.text, b.ends = b.recs[:0], b.rows[:0], b.text[:0], b.ends[:0]
		return true
	}
	for d.t.next() {
		c := d.t.out
		if !d.parse(c) {
			continue
		}
		b.recs = append(b.recs, d.prec)
		b.rows = append(b.rows, int32(d.t.row))
		b.text = append(b.text, c[colCode]...)
		b.ends = append(b.ends, int32(len(b.text)))
		b.text = append(b.text, c[colUnit]...)
		b.ends = append(b.ends, int32(len(b.text)))
		b.text = append(b.text, c[colProcedure]...)
		b.ends = append(b.ends, int32(len(b.text)))
		if len(b.recs) == batchRows && !send() {
			return
		}
	}
	d.seen.duplicates(func(row, first int) {
		d.ps.addf(row, "dossier_code", "Mã hồ sơ trùng với mã ở dòng %d: mỗi hồ sơ chỉ có một dòng trong tệp.",
			"The dossier code repeats the one of row %d: each dossier has one row in the file.", first)
	})
	d.seen = nil // its memory is not needed any more
	sort.SliceStable(d.ps.list, func(i, j int) bool { return d.ps.list[i].Row < d.ps.list[j].Row })
	b.problems = d.ps.total
	select {
	case d.full <- b:
	case <-d.stop:
	}
}

// Record is the current row; valid until the next call to Next.
func (d *DossierReader) Record() *Record { return &d.rec }

// Code is the current row's dossier code; valid until the next call.
func (d *DossierReader) Code() []byte { return d.code }

// Row is the current row's number in the file (1-based, the header row
// counting).
func (d *DossierReader) Row() int { return d.row }

// Rows is the number of valid rows read so far.
func (d *DossierReader) Rows() int { return d.rows }

// Format is FormatCSV or FormatXLSX.
func (d *DossierReader) Format() string { return d.t.format }

// Err is the I/O error that ended reading, if any, once Next has returned
// false. Problems of the file's content are not errors: see Problems.
func (d *DossierReader) Err() error {
	if d.started && !d.ended {
		return nil
	}
	return d.t.ioErr
}

// Problems lists the problems of the file by row, at most MaxProblems,
// once Next has returned false (nil before, unless the header was bad).
func (d *DossierReader) Problems() []Problem {
	if d.started && !d.ended {
		return nil
	}
	return d.ps.list
}

// Refusal is the reader's problems as an error, or nil when there were
// none (read to the end first).
func (d *DossierReader) Refusal(name string) *ProblemsError {
	if d.ps.total == 0 {
		return nil
	}
	return &ProblemsError{FileName: name, Problems: d.ps.list, Total: d.ps.total}
}

// ProblemCount is the number of problems found, listed or not: final once
// Next has returned false, before that as of a few thousand rows ago (a
// caller may stop early when it grows).
func (d *DossierReader) ProblemCount() int { return d.problems }

// Units and Procedures are the tables the record ids refer to.
func (d *DossierReader) Units() *Codes { return d.opts.Units }

// Procedures: see Units.
func (d *DossierReader) Procedures() *Codes { return d.opts.Procedures }

// Close stops reading early and releases what the reader holds; reading
// to the end releases it too. Next returns false afterwards.
func (d *DossierReader) Close() {
	if !d.started {
		d.started, d.ended = true, true
		d.t.close()
		return
	}
	d.stopOnce.Do(func() { close(d.stop) })
	if !d.ended {
		for range d.full {
		}
		d.ended = true
	}
}

// lookup interns a known code, asking known() once per distinct code.
func lookup(cache map[string]int32, codes *Codes, known func(string) bool, b []byte) int32 {
	if id, ok := cache[string(b)]; ok {
		return id
	}
	s := string(b)
	id := int32(-1)
	if known == nil || known(s) {
		id = codes.ID(s)
	}
	cache[s] = id
	return id
}

// parse validates one row into d.rec and d.code, reporting every problem
// of the row; it returns false when there was any.
func (d *DossierReader) parse(c [][]byte) bool {
	row := d.t.row
	before := d.ps.total
	ps := &d.ps
	r := &d.prec
	*r = Record{}

	code := c[colCode]
	switch vi, en := codeProblem(code); {
	case len(code) == 0:
		ps.add(row, "dossier_code", "Thiếu mã hồ sơ.", "The dossier code is empty.")
	case vi != "":
		ps.add(row, "dossier_code", "Mã hồ sơ "+quote(code)+" "+vi+".", "The dossier code "+quote(code)+" "+en+".")
	default:
		d.seen.add(code, row)
	}

	d.codeCol(c[colUnit], "unit_code", d.unitOK, d.checkUnit, "đơn vị", "unit")
	d.codeCol(c[colProcedure], "procedure_code", d.procOK, d.checkProcedure, "thủ tục", "procedure")

	recvOK, dueOK := false, false
	r.Received, recvOK = d.timeCol(c[colReceived], "received_at", "thời điểm tiếp nhận", "received time", true)
	r.Due, dueOK = d.timeCol(c[colDue], "due_at", "hạn xử lý", "due time", true)
	r.Finished = Open
	if len(c[colFinished]) > 0 {
		if t, ok := d.timeCol(c[colFinished], "finished_at", "thời điểm hoàn thành", "finished time", false); ok {
			r.Finished = t
			if recvOK && t < r.Received {
				ps.add(row, "finished_at", "Thời điểm hoàn thành "+FormatTime(t)+" sớm hơn thời điểm tiếp nhận "+FormatTime(r.Received)+".",
					"The finished time "+FormatTime(t)+" is before the received time "+FormatTime(r.Received)+".")
			}
		}
	}
	if recvOK && dueOK && r.Due < r.Received {
		ps.add(row, "due_at", "Hạn xử lý "+FormatTime(r.Due)+" sớm hơn thời điểm tiếp nhận "+FormatTime(r.Received)+".",
			"The due time "+FormatTime(r.Due)+" is before the received time "+FormatTime(r.Received)+".")
	}

	switch ch := c[colChannel]; string(ch) {
	case "online":
		r.Channel = ChannelOnline
	case "direct":
		r.Channel = ChannelDirect
	case "postal":
		r.Channel = ChannelPostal
	case "":
		ps.add(row, "channel", "Thiếu kênh nộp hồ sơ: online (trực tuyến), direct (trực tiếp) hoặc postal (bưu chính).",
			"The channel is empty: online, direct or postal.")
	default:
		vi, en := lowerHint(ch, "online", "direct", "postal")
		ps.add(row, "channel", "Kênh nộp "+quote(ch)+" không hợp lệ: dùng online (trực tuyến), direct (trực tiếp) hoặc postal (bưu chính)."+vi,
			"The channel "+quote(ch)+" is not valid: use online, direct or postal."+en)
	}

	feeOK := true
	for _, fc := range flagCols {
		switch v := c[fc.col]; {
		case len(v) == 1 && v[0] == '1':
			r.Flags |= fc.flag
		case len(v) == 1 && v[0] == '0':
		default:
			d.badFlag(row, fc.col, v, false)
			feeOK = feeOK && fc.col != colFee
		}
	}
	switch v := c[colEResult]; {
	case len(v) == 0:
	case len(v) == 1 && v[0] == '1':
		r.Flags |= EResultGiven | EResult
	case len(v) == 1 && v[0] == '0':
		r.Flags |= EResultGiven
	default:
		d.badFlag(row, colEResult, v, true)
	}
	if feeOK && r.Flags.Has(PaidOnline) && !r.Flags.Has(FeeRequired) {
		ps.add(row, "paid_online", "paid_online = 1 nhưng fee_required = 0: hồ sơ không phải nộp phí, lệ phí thì không thể đã thanh toán trực tuyến.",
			"paid_online = 1 but fee_required = 0: a dossier without a fee cannot have been paid online.")
	}

	if n, ok := smallUint(c[colSupplements]); ok {
		r.Supplements = n
	} else {
		v := c[colSupplements]
		if len(v) == 0 {
			ps.add(row, "supplement_requests", "Thiếu số lần yêu cầu bổ sung hồ sơ (ghi 0 nếu không có).",
				"The number of supplement requests is empty (write 0 if there were none).")
		} else {
			ps.add(row, "supplement_requests", "Số lần yêu cầu bổ sung "+quote(v)+" không hợp lệ: cần một số nguyên không âm, ví dụ 0 hoặc 1.",
				"The supplement request count "+quote(v)+" is not valid: it must be a whole number, 0 or more.")
		}
	}

	switch v := c[colRating]; string(v) {
	case "":
	case "satisfied":
		r.Rating = RatingSatisfied
	case "dissatisfied":
		r.Rating = RatingDissatisfied
	default:
		vi, en := lowerHint(v, "satisfied", "dissatisfied")
		ps.add(row, "rating", "Đánh giá "+quote(v)+" không hợp lệ: dùng satisfied (hài lòng), dissatisfied (không hài lòng) hoặc để trống."+vi,
			"The rating "+quote(v)+" is not valid: use satisfied, dissatisfied or leave it empty."+en)
	}
	return d.ps.total == before
}

// refusal is why a well-formed code cannot be used; empty when it can.
type refusal struct{ vi, en string }

// checkUnit asks the caller whether a unit code may take dossiers.
func (d *DossierReader) checkUnit(code string) refusal {
	if d.opts.UnitKnown != nil && !d.opts.UnitKnown(code) {
		q := quote([]byte(code))
		return refusal{"Đơn vị " + q + " chưa có trong cơ sở dữ liệu. Hãy nhập tệp danh sách đơn vị có mã này trước.",
			"The unit " + q + " is not in the database. Import a units file with this code first."}
	}
	if d.opts.UnitProblem != nil {
		vi, en := d.opts.UnitProblem(code)
		return refusal{vi, en}
	}
	return refusal{}
}

// checkProcedure asks the caller whether a procedure code is known.
func (d *DossierReader) checkProcedure(code string) refusal {
	if d.opts.ProcedureKnown != nil && !d.opts.ProcedureKnown(code) {
		q := quote([]byte(code))
		return refusal{"Thủ tục " + q + " không có trong danh mục thủ tục hành chính. Hãy nhập danh mục thủ tục có mã này trước.",
			"The procedure " + q + " is not in the procedure catalogue. Import a catalogue with this procedure first."}
	}
	return refusal{}
}

// codeCol validates a unit or procedure code, asking check once per
// distinct code.
func (d *DossierReader) codeCol(b []byte, col string, cache map[string]refusal, check func(string) refusal, whatVI, whatEN string) {
	row := d.t.row
	if len(b) == 0 {
		d.ps.add(row, col, "Thiếu mã "+whatVI+".", "The "+whatEN+" code is empty.")
		return
	}
	r, seen := cache[string(b)]
	if seen && r.vi == "" {
		return // the common case: a code already checked
	}
	if vi, en := codeProblem(b); vi != "" {
		d.ps.add(row, col, "Mã "+whatVI+" "+quote(b)+" "+vi+".", "The "+whatEN+" code "+quote(b)+" "+en+".")
		return
	}
	if !seen {
		r = check(string(b))
		cache[string(b)] = r
	}
	if r.vi != "" {
		d.ps.add(row, col, r.vi, r.en)
	}
}

// timeCol parses a time cell; required says an empty cell is a problem.
func (d *DossierReader) timeCol(b []byte, col, whatVI, whatEN string, required bool) (int64, bool) {
	row := d.t.row
	if len(b) == 0 {
		if required {
			d.ps.add(row, col, "Thiếu "+whatVI+".", "The "+whatEN+" is empty.")
		}
		return 0, false
	}
	t, e := parseTime(b)
	if e == timeOK {
		return t, true
	}
	q := quote(b)
	var vi, en string
	switch e {
	case timeDateOnly:
		vi, en = "chỉ có ngày, thiếu giờ: viết như 2024-04-03T09:15:00", "has a date but no time of day: write e.g. 2024-04-03T09:15:00"
	case timeDate:
		vi, en = "không có ngày này trong lịch", "is not a calendar date"
	case timeClock:
		vi, en = "có giờ không hợp lệ (giờ 00–23, phút và giây 00–59)", "has an invalid time of day (hours 00–23, minutes and seconds 00–59)"
	case timeOffset:
		vi, en = "có múi giờ không hợp lệ (±hh:mm, tối đa ±14:00)", "has an invalid UTC offset (±hh:mm, at most ±14:00)"
	case timeYear:
		vi, en = fmt.Sprintf("có năm ngoài khoảng %d–%d", minYear, maxYear), fmt.Sprintf("has a year outside %d–%d", minYear, maxYear)
	default:
		vi, en = "không phải thời điểm ISO 8601: viết như 2024-04-03T09:15:00+07:00 (không ghi múi giờ thì hiểu là giờ Việt Nam)",
			"is not an ISO 8601 time: write e.g. 2024-04-03T09:15:00+07:00 (without an offset, Vietnam time is assumed)"
	}
	d.ps.add(row, col, strings.ToUpper(whatVI[:1])+whatVI[1:]+" "+q+" "+vi+".", "The "+whatEN+" "+q+" "+en+".")
	return 0, false
}

func (d *DossierReader) badFlag(row, col int, v []byte, emptyOK bool) {
	name := DossierColumns[col]
	if emptyOK {
		d.ps.add(row, name, "Giá trị "+quote(v)+" không hợp lệ: cột "+name+" nhận 1 (có), 0 (không) hoặc để trống (thủ tục không có giấy tờ kết quả).",
			"The value "+quote(v)+" is not valid: column "+name+" takes 1 (yes), 0 (no) or empty (the procedure issues no result document).")
		return
	}
	if len(v) == 0 {
		d.ps.add(row, name, "Thiếu giá trị: cột "+name+" nhận 1 (có) hoặc 0 (không).",
			"The cell is empty: column "+name+" takes 1 (yes) or 0 (no).")
		return
	}
	d.ps.add(row, name, "Giá trị "+quote(v)+" không hợp lệ: cột "+name+" nhận 1 (có) hoặc 0 (không).",
		"The value "+quote(v)+" is not valid: column "+name+" takes 1 (yes) or 0 (no).")
}

// lowerHint points out a value that is right but for its case.
func lowerHint(v []byte, allowed ...string) (vi, en string) {
	low := string(bytes.ToLower(v))
	for _, a := range allowed {
		if low == a {
			return " Viết chữ thường: " + a + ".", " Write it in lower case: " + a + "."
		}
	}
	return "", ""
}

// smallUint parses a non-negative integer of at most 6 digits.
func smallUint(b []byte) (int32, bool) {
	if len(b) == 0 || len(b) > 6 {
		return 0, false
	}
	var n int32
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int32(c-'0')
	}
	return n, true
}
