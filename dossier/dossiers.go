package dossier

import (
	"bytes"
	"io"
	"os"
	"sync"

	"scorecard/internal/tabular"
)

// The dossier columns of docs/import-files.md, in canonical order.
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

// DossierKind is the dossier records file: its columns, the times read
// from spreadsheet dates.
var DossierKind = &tabular.Kind{Name: "dossiers", Label: "file.kind.dossiers", Columns: kindColumns(DossierColumns,
	map[string]tabular.CellKind{"received_at": tabular.Time, "due_at": tabular.Time, "finished_at": tabular.Time, "supplement_requests": tabular.Number})}

// kindColumns makes a kind's columns from their names, text unless cells
// says otherwise.
func kindColumns(names []string, cells map[string]tabular.CellKind) []tabular.Column {
	out := make([]tabular.Column, len(names))
	for i, n := range names {
		out[i] = tabular.Column{Name: n, Cell: cells[n]}
	}
	return out
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
	// (a message of the catalogue; a zero Msg when it can): the importer
	// refuses a province's dossiers and catalogue, since a province's
	// counts are the pool of its units'. Called once per distinct code,
	// after UnitKnown.
	UnitProblem func(code string) tabular.Msg
	// UnitDays, when set, gives the days a known unit exists (once per
	// distinct code): a dossier received on a day its unit does not
	// exist, or a catalogue month its unit does not touch, is refused with
	// UnitOutside's message for the unit and the seconds [from, to) the
	// row is about. Both or neither.
	UnitDays    func(code string) Days
	UnitOutside func(code string, from, to int64) tabular.Msg
	// MaxProblems caps the problems kept in full (the rest are counted by
	// kind); 0 means DefaultMaxProblems.
	MaxProblems int
	// MaxXLSXRows caps the rows of a spreadsheet; 0 means
	// DefaultMaxXLSXRows, negative means no cap.
	MaxXLSXRows int
	// SizeHint is the file's size in bytes, when the reader cannot tell
	// (an *os.File or a bytes/strings reader tells); it sizes the table
	// of dossier codes once instead of growing it.
	SizeHint int64
}

// Days are the days a unit exists, [From, Until) in Unix seconds; 0 leaves
// a side open.
type Days struct{ From, Until int64 }

// Overlaps reports whether the unit exists at some second of [from, to).
func (d Days) Overlaps(from, to int64) bool {
	return (d.From == 0 || to > d.From) && (d.Until == 0 || from < d.Until)
}

// outside checks the days of a unit against a row about [from, to),
// caching the unit's days; a zero Msg when the row may name the unit.
func (o *ReadOptions) outside(cache map[string]Days, code []byte, from, to int64) tabular.Msg {
	if o.UnitDays == nil || o.UnitOutside == nil {
		return tabular.Msg{}
	}
	days, ok := cache[string(code)]
	if !ok {
		days = o.UnitDays(string(code))
		cache[string(code)] = days
	}
	if days.Overlaps(from, to) {
		return tabular.Msg{}
	}
	return o.UnitOutside(string(code), from, to)
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
	t    *tabular.Reader

	// The parsing goroutine's.
	ps     *tabular.Problems
	seen   *codeSet
	unitOK map[string]tabular.Msg
	// unitDays caches the days of the units (ReadOptions.UnitDays).
	unitDays map[string]Days
	procOK   map[string]tabular.Msg
	prec     Record

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
	switch v := r.(type) {
	case interface{ Size() int64 }: // bytes.Reader, strings.Reader
		opts.SizeHint = v.Size()
	case interface{ Stat() (os.FileInfo, error) }:
		if fi, err := v.Stat(); err == nil && fi.Mode().IsRegular() {
			opts.SizeHint = fi.Size()
		}
	}
	ps := &tabular.Problems{Max: opts.MaxProblems}
	return DossiersFrom(openTable(name, r, ps, opts.MaxXLSXRows), ps, opts)
}

// DossiersFrom reads the dossier records of a table the caller opened
// (tabular.Open, its header read), whose problems go to ps.
func DossiersFrom(t *tabular.Reader, ps *tabular.Problems, opts ReadOptions) *DossierReader {
	opts.defaults()
	t.SetKind(DossierKind)
	size := opts.SizeHint
	if size <= 0 {
		size = t.Size()
	}
	// A dossier row is about 150–250 bytes: room for the codes of a file
	// of that size is reserved once rather than grown.
	d := &DossierReader{opts: opts, seen: newCodeSet(int(size / 150)), ps: ps, t: t,
		unitOK: map[string]tabular.Msg{}, procOK: map[string]tabular.Msg{}, unitDays: map[string]Days{}}
	d.problems = d.ps.Total()
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
			d.problems = d.ps.Total()
			return false
		}
		d.cur, d.i = b, 0
	}
}

// produce parses rows into batches until the end of the file or Close.
func (d *DossierReader) produce() {
	defer close(d.full)
	defer d.t.Close()
	b := &dossierBatch{}
	send := func() bool {
		b.problems = d.ps.Total()
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
	for d.t.Next() {
		c := d.t.Cells()
		if !d.parse(c) {
			continue
		}
		b.recs = append(b.recs, d.prec)
		b.rows = append(b.rows, int32(d.t.Row()))
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
		d.ps.Add(row, "dossier_code", "file.dossier.twice", first)
	})
	d.seen = nil // its memory is not needed any more
	b.problems = d.ps.Total()
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
func (d *DossierReader) Format() string { return d.t.Format() }

// Bytes is how much of the file has been read; safe to call from any
// goroutine.
func (d *DossierReader) Bytes() int64 { return d.t.Bytes() }

// SHA256 is the hex SHA-256 of the whole file, once it is read to the end.
func (d *DossierReader) SHA256() (string, error) { return d.t.SHA256() }

// Err is the I/O error that ended reading, if any, once Next has returned
// false. Problems of the file's content are not errors: see Problems.
func (d *DossierReader) Err() error {
	if d.started && !d.ended {
		return nil
	}
	return d.t.Err()
}

// Problems lists the problems kept in full, by row: complete once Next has
// returned false (before, only the problems of the file and its header).
func (d *DossierReader) Problems() []tabular.Problem {
	if pe := d.Refusal(""); pe != nil {
		return pe.Problems
	}
	return nil
}

// Refusal is the reader's problems as an error, or nil when there were
// none: complete once Next has returned false (before, only the problems
// of the file and its header).
func (d *DossierReader) Refusal(name string) *tabular.Error {
	if d.started && !d.ended {
		return nil
	}
	return d.ps.Err(name)
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
		d.t.Close()
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
	row := d.t.Row()
	before := d.ps.Total()
	ps := d.ps
	r := &d.prec
	*r = Record{}

	code := c[colCode]
	switch why, ok := tabular.CodeProblem(code); {
	case len(code) == 0:
		ps.Add(row, "dossier_code", "file.dossier_code.empty")
	case !ok:
		ps.Add(row, "dossier_code", "file.dossier_code.bad", tabular.Quote(code), why)
	default:
		d.seen.add(code, row)
	}

	d.codeCol(c[colUnit], "unit_code", d.unitOK, d.checkUnit)
	d.codeCol(c[colProcedure], "procedure_code", d.procOK, d.checkProcedure)

	recvOK, dueOK := false, false
	r.Received, recvOK = d.timeCol(c[colReceived], "received_at", true)
	r.Due, dueOK = d.timeCol(c[colDue], "due_at", true)
	r.Finished = Open
	if len(c[colFinished]) > 0 {
		if t, ok := d.timeCol(c[colFinished], "finished_at", false); ok {
			r.Finished = t
			if recvOK && t < r.Received {
				ps.Add(row, "finished_at", "file.dossier.finished_early", FormatTime(t), FormatTime(r.Received))
			}
		}
	}
	if recvOK && dueOK && r.Due < r.Received {
		ps.Add(row, "due_at", "file.dossier.due_early", FormatTime(r.Due), FormatTime(r.Received))
	}
	// Received by a unit that exists that day (the unit's code is known
	// and well formed when it is in the cache without a problem).
	if why, checked := d.unitOK[string(c[colUnit])]; recvOK && checked && why.Key == "" {
		if why := d.opts.outside(d.unitDays, c[colUnit], r.Received, r.Received+1); why.Key != "" {
			ps.Add(row, "received_at", why.Key, why.Args...)
		}
	}

	switch ch := c[colChannel]; string(ch) {
	case "online":
		r.Channel = ChannelOnline
	case "direct":
		r.Channel = ChannelDirect
	case "postal":
		r.Channel = ChannelPostal
	case "":
		ps.Add(row, "channel", "file.dossier.channel.empty")
	default:
		if low, ok := lowerHint(ch, "online", "direct", "postal"); ok {
			ps.Add(row, "channel", "file.dossier.channel.case", tabular.Quote(ch), low)
		} else {
			ps.Add(row, "channel", "file.dossier.channel.bad", tabular.Quote(ch))
		}
	}

	feeOK := true
	for _, fc := range flagCols {
		switch v := c[fc.col]; {
		case len(v) == 1 && v[0] == '1':
			r.Flags |= fc.flag
		case len(v) == 1 && v[0] == '0':
		default:
			badFlag(ps, row, DossierColumns[fc.col], v, false)
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
		badFlag(ps, row, DossierColumns[colEResult], v, true)
	}
	if feeOK && r.Flags.Has(PaidOnline) && !r.Flags.Has(FeeRequired) {
		ps.Add(row, "paid_online", "file.dossier.paid_no_fee")
	}

	if n, ok := smallUint(c[colSupplements]); ok {
		r.Supplements = n
	} else if v := c[colSupplements]; len(v) == 0 {
		ps.Add(row, "supplement_requests", "file.dossier.supplements.empty")
	} else {
		ps.Add(row, "supplement_requests", "file.dossier.supplements.bad", tabular.Quote(v))
	}

	switch v := c[colRating]; string(v) {
	case "":
	case "satisfied":
		r.Rating = RatingSatisfied
	case "dissatisfied":
		r.Rating = RatingDissatisfied
	default:
		if low, ok := lowerHint(v, "satisfied", "dissatisfied"); ok {
			ps.Add(row, "rating", "file.dossier.rating.case", tabular.Quote(v), low)
		} else {
			ps.Add(row, "rating", "file.dossier.rating.bad", tabular.Quote(v))
		}
	}
	return d.ps.Total() == before
}

// checkUnit asks the caller whether a unit code may take dossiers; a zero
// Msg when it may.
func (d *DossierReader) checkUnit(code string) tabular.Msg {
	return unitRefusal(code, d.opts)
}

// unitRefusal is why a well-formed unit code cannot take the rows of a
// dossier or catalogue file.
func unitRefusal(code string, opts ReadOptions) tabular.Msg {
	if opts.UnitKnown != nil && !opts.UnitKnown(code) {
		return tabular.M("file.unit.unknown", tabular.Quote(code))
	}
	if opts.UnitProblem != nil {
		return opts.UnitProblem(code)
	}
	return tabular.Msg{}
}

// checkProcedure asks the caller whether a procedure code is known.
func (d *DossierReader) checkProcedure(code string) tabular.Msg {
	if d.opts.ProcedureKnown != nil && !d.opts.ProcedureKnown(code) {
		return tabular.M("file.procedure.unknown", tabular.Quote(code))
	}
	return tabular.Msg{}
}

// codeCol validates a unit or procedure code, asking check once per
// distinct code.
func (d *DossierReader) codeCol(b []byte, col string, cache map[string]tabular.Msg, check func(string) tabular.Msg) {
	row := d.t.Row()
	if len(b) == 0 {
		d.ps.Add(row, col, "file."+col+".empty")
		return
	}
	r, seen := cache[string(b)]
	if seen && r.Key == "" {
		return // the common case: a code already checked
	}
	if why, ok := tabular.CodeProblem(b); !ok {
		d.ps.Add(row, col, "file."+col+".bad", tabular.Quote(b), why)
		return
	}
	if !seen {
		r = check(string(b))
		cache[string(b)] = r
	}
	if r.Key != "" {
		d.ps.Add(row, col, r.Key, r.Args...)
	}
}

// timeCol parses a time cell; required says an empty cell is a problem.
func (d *DossierReader) timeCol(b []byte, col string, required bool) (int64, bool) {
	row := d.t.Row()
	if len(b) == 0 {
		if required {
			d.ps.Add(row, col, "file.dossier."+col+".empty")
		}
		return 0, false
	}
	t, e := parseTime(b)
	if e == timeOK {
		return t, true
	}
	var why tabular.Msg
	switch e {
	case timeDateOnly:
		why = tabular.M("file.time.date_only")
	case timeDate:
		why = tabular.M("file.time.date")
	case timeClock:
		why = tabular.M("file.time.clock")
	case timeOffset:
		why = tabular.M("file.time.offset")
	case timeYear:
		why = tabular.M("file.time.year", minYear, maxYear)
	default:
		why = tabular.M("file.time.format")
	}
	d.ps.Add(row, col, "file.dossier."+col+".bad", tabular.Quote(b), why)
	return 0, false
}

// badFlag reports a 0/1 cell that is neither; emptyOK says an empty cell
// is allowed (e_result).
func badFlag(ps *tabular.Problems, row int, col string, v []byte, emptyOK bool) {
	switch {
	case emptyOK:
		ps.Add(row, col, "file.flag.bad_or_empty", tabular.Quote(v), col)
	case len(v) == 0:
		ps.Add(row, col, "file.flag.empty", col)
	default:
		ps.Add(row, col, "file.flag.bad", tabular.Quote(v), col)
	}
}

// lowerHint points out a value that is right but for its case: the value
// to write, and true.
func lowerHint(v []byte, allowed ...string) (string, bool) {
	low := string(bytes.ToLower(v))
	for _, a := range allowed {
		if low == a {
			return a, true
		}
	}
	return "", false
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
