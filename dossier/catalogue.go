package dossier

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"scorecard/scoring"
)

// OnlineLevel is a procedure's online service level (DVCTT).
type OnlineLevel uint8

// The levels of formats.md.
const (
	OnlineNone    OnlineLevel = iota // no online service
	OnlinePartial                    // một phần
	OnlineFull                       // toàn trình
)

var onlineNames = [...]string{"none", "partial", "full"}

func (l OnlineLevel) String() string {
	if int(l) < len(onlineNames) {
		return onlineNames[l]
	}
	return "?"
}

// Procedure is one procedure (TTHC) of a unit's catalogue.
type Procedure struct {
	Code                 string
	Name                 string
	Online               OnlineLevel
	HasFee               bool
	IndividualApplicant  bool
	CitizenDataConnected bool
}

// State is a unit's complete catalogue as of a month. It stays in force
// until a later state of the same unit.
type State struct {
	Unit       string
	Month      scoring.Period
	Procedures []Procedure
}

// Catalogue holds the states of every unit.
type Catalogue struct {
	units map[string][]State // by month ascending
}

// NewCatalogue returns an empty catalogue.
func NewCatalogue() *Catalogue { return &Catalogue{units: map[string][]State{}} }

// Set makes s the unit's state for its month, replacing an earlier state
// for the same month (a re-imported file).
func (c *Catalogue) Set(s State) {
	list := c.units[s.Unit]
	i := sort.Search(len(list), func(i int) bool { return !monthBefore(list[i].Month, s.Month) })
	if i < len(list) && list[i].Month == s.Month {
		list[i] = s
		return
	}
	list = append(list, State{})
	copy(list[i+1:], list[i:])
	list[i] = s
	c.units[s.Unit] = list
}

// Merge sets every state of other (a file read on its own) into c.
func (c *Catalogue) Merge(other *Catalogue) {
	for _, list := range other.units {
		for _, s := range list {
			c.Set(s)
		}
	}
}

func monthIndex(p scoring.Period) int32 { return int32((p.Year-1970)*12 + p.N - 1) }

func monthBefore(a, b scoring.Period) bool { return monthIndex(a) < monthIndex(b) }

func periodOfMonth(a int32) scoring.Period {
	y := int(floorDiv(int64(a), 12))
	return scoring.Period{Kind: scoring.Month, Year: 1970 + y, N: int(a) - y*12 + 1}
}

// At returns the unit's state in force at the end of period p: the latest
// state of a month at or before p's last month (formats.md: snapshot
// metrics use the latest state at or before the period's end).
func (c *Catalogue) At(unit string, p scoring.Period) (State, bool) {
	months := p.Months()
	last := monthIndex(months[len(months)-1])
	s := c.stateAt(unit, last)
	if s == nil {
		return State{}, false
	}
	return *s, true
}

func (c *Catalogue) stateAt(unit string, last int32) *State {
	list := c.units[unit]
	i := sort.Search(len(list), func(i int) bool { return monthIndex(list[i].Month) > last })
	if i == 0 {
		return nil
	}
	return &list[i-1]
}

// Units lists the units with a state, sorted.
func (c *Catalogue) Units() []string {
	out := make([]string, 0, len(c.units))
	for u := range c.units {
		out = append(out, u)
	}
	sort.Strings(out)
	return out
}

// States lists a unit's states, oldest first.
func (c *Catalogue) States(unit string) []State { return c.units[unit] }

// Procedures returns every procedure code of any state, for
// ReadOptions.ProcedureKnown.
func (c *Catalogue) Procedures() map[string]bool {
	out := map[string]bool{}
	for _, list := range c.units {
		for _, s := range list {
			for _, p := range s.Procedures {
				out[p.Code] = true
			}
		}
	}
	return out
}

// months returns the first and last month with a state.
func (c *Catalogue) months() (lo, hi int32, ok bool) {
	for _, list := range c.units {
		if len(list) == 0 {
			continue
		}
		a, b := monthIndex(list[0].Month), monthIndex(list[len(list)-1].Month)
		if !ok || a < lo {
			lo = a
		}
		if !ok || b > hi {
			hi = b
		}
		ok = true
	}
	return lo, hi, ok
}

// CatalogueColumns are the columns of a procedure catalogue file.
var CatalogueColumns = []string{"period", "procedure_code", "name", "unit_code", "online_level", "has_fee",
	"individual_applicant", "citizen_data_connected"}

var catalogueKind = &fileKind{
	labelVI: "danh mục thủ tục hành chính (catalogue)", labelEN: "procedure catalogue",
	cols:       CatalogueColumns,
	periodCols: map[string]bool{"period": true},
}

// CatalogueRow is one valid row of a catalogue file.
type CatalogueRow struct {
	Row   int
	Month scoring.Period
	Unit  string
	Procedure
}

// CatalogueReader streams a catalogue file, validating every row (see
// DossierReader for the contract).
type CatalogueReader struct {
	t     *tableReader
	ps    problems
	opts  ReadOptions
	cur   CatalogueRow
	seen  map[string]int // period|unit|procedure → row
	units map[string]int32
}

// NewCatalogueReader reads the header of a catalogue file.
func NewCatalogueReader(name string, r io.Reader, opts ReadOptions) *CatalogueReader {
	opts.defaults()
	c := &CatalogueReader{opts: opts, seen: map[string]int{}, units: map[string]int32{}}
	c.ps.max = opts.MaxProblems
	c.t = openTable(name, r, catalogueKind, &c.ps, opts.MaxXLSXRows)
	return c
}

// Next advances to the next valid row.
func (c *CatalogueReader) Next() bool {
	for c.t.next() {
		if c.parse(c.t.out) {
			return true
		}
	}
	return false
}

// Row is the current row.
func (c *CatalogueReader) Row() *CatalogueRow { return &c.cur }

// Err is the I/O error that ended reading, if any.
func (c *CatalogueReader) Err() error { return c.t.ioErr }

// Problems lists the problems found so far (at most MaxProblems).
func (c *CatalogueReader) Problems() []Problem { return c.ps.list }

// ProblemCount is the number of problems found so far.
func (c *CatalogueReader) ProblemCount() int { return c.ps.total }

// Close releases a workbook when reading stops early.
func (c *CatalogueReader) Close() { c.t.close() }

func (c *CatalogueReader) parse(cells [][]byte) bool {
	row := c.t.row
	before := c.ps.total
	ps := &c.ps
	cur := CatalogueRow{Row: row}

	per := cells[0]
	p, err := scoring.ParsePeriod(string(per))
	switch {
	case len(per) == 0:
		ps.add(row, "period", "Thiếu tháng (period).", "The period is empty.")
	case err != nil || p.Kind != scoring.Month:
		ps.add(row, "period", "Tháng "+quote(per)+" không hợp lệ: danh mục thủ tục ghi theo tháng, dạng YYYY-MM (ví dụ 2024-04).",
			"The period "+quote(per)+" is not valid: a catalogue is given per month, as YYYY-MM (e.g. 2024-04).")
	case p.Year < minYear || p.Year > maxYear:
		ps.addf(row, "period", "Tháng "+quote(per)+" có năm ngoài khoảng %d–%d.", "The period "+quote(per)+" has a year outside %d–%d.", minYear, maxYear)
	default:
		cur.Month = p
	}

	proc := cells[1]
	switch vi, en := codeProblem(proc); {
	case len(proc) == 0:
		ps.add(row, "procedure_code", "Thiếu mã thủ tục.", "The procedure code is empty.")
	case vi != "":
		ps.add(row, "procedure_code", "Mã thủ tục "+quote(proc)+" "+vi+".", "The procedure code "+quote(proc)+" "+en+".")
	default:
		cur.Code = string(proc)
	}

	name := cells[2]
	switch vi, en := nameProblem(name); {
	case len(name) == 0:
		ps.add(row, "name", "Thiếu tên thủ tục.", "The procedure name is empty.")
	case vi != "":
		ps.add(row, "name", "Tên thủ tục "+vi+".", "The procedure name "+en+".")
	default:
		cur.Name = string(name)
	}

	unit := cells[3]
	switch vi, en := codeProblem(unit); {
	case len(unit) == 0:
		ps.add(row, "unit_code", "Thiếu mã đơn vị.", "The unit code is empty.")
	case vi != "":
		ps.add(row, "unit_code", "Mã đơn vị "+quote(unit)+" "+vi+".", "The unit code "+quote(unit)+" "+en+".")
	case lookup(c.units, c.opts.Units, c.opts.UnitKnown, unit) < 0:
		ps.add(row, "unit_code", "Đơn vị "+quote(unit)+" chưa có trong cơ sở dữ liệu. Hãy nhập tệp danh sách đơn vị có mã này trước.",
			"The unit "+quote(unit)+" is not in the database. Import a units file with this code first.")
	default:
		if c.opts.UnitProblem != nil {
			if vi, en := c.opts.UnitProblem(string(unit)); vi != "" {
				ps.add(row, "unit_code", vi, en)
				break
			}
		}
		cur.Unit = string(unit)
	}

	switch v := cells[4]; string(v) {
	case "none":
		cur.Online = OnlineNone
	case "partial":
		cur.Online = OnlinePartial
	case "full":
		cur.Online = OnlineFull
	default:
		vi, en := lowerHint(v, "none", "partial", "full")
		if len(v) == 0 {
			vi, en = "", ""
		}
		ps.add(row, "online_level", "Mức dịch vụ công trực tuyến "+quote(v)+" không hợp lệ: dùng none (không có), partial (một phần) hoặc full (toàn trình)."+vi,
			"The online level "+quote(v)+" is not valid: use none, partial or full."+en)
	}

	flags := [...]*bool{&cur.HasFee, &cur.IndividualApplicant, &cur.CitizenDataConnected}
	for i, dst := range flags {
		col := CatalogueColumns[5+i]
		switch v := cells[5+i]; string(v) {
		case "1":
			*dst = true
		case "0":
		case "":
			ps.add(row, col, "Thiếu giá trị: cột "+col+" nhận 1 (có) hoặc 0 (không).", "The cell is empty: column "+col+" takes 1 (yes) or 0 (no).")
		default:
			ps.add(row, col, "Giá trị "+quote(v)+" không hợp lệ: cột "+col+" nhận 1 (có) hoặc 0 (không).",
				"The value "+quote(v)+" is not valid: column "+col+" takes 1 (yes) or 0 (no).")
		}
	}

	if !cur.Month.IsZero() && cur.Code != "" && cur.Unit != "" {
		key := cur.Month.String() + "|" + cur.Unit + "|" + cur.Code
		if first, dup := c.seen[key]; dup {
			ps.addf(row, "procedure_code", "Thủ tục %s của đơn vị %s tháng %s trùng với dòng %d.",
				"Procedure %s of unit %s in %s repeats row %d.", quote(proc), quote(unit), cur.Month.String(), first)
		} else {
			c.seen[key] = row
		}
	}
	if c.ps.total != before {
		return false
	}
	c.cur = cur
	return true
}

// nameProblem explains why b cannot be a procedure name: control
// characters other than tab and line break, or over 1000 characters.
func nameProblem(b []byte) (vi, en string) {
	if !utf8.Valid(b) {
		return "chứa ký tự không hợp lệ (không phải UTF-8)", "contains invalid characters (not UTF-8)"
	}
	if utf8.RuneCount(b) > 1000 {
		return "dài quá 1000 ký tự", "is longer than 1000 characters"
	}
	for _, r := range string(b) {
		if unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' {
			return fmt.Sprintf("chứa ký tự điều khiển vô hình (U+%04X)", r), fmt.Sprintf("contains an invisible control character (U+%04X)", r)
		}
	}
	return "", ""
}

// ProblemsError is a refused file: nothing of it may be stored.
type ProblemsError struct {
	FileName string
	Problems []Problem // at most the reader's MaxProblems
	Total    int       // all problems found
}

func (e *ProblemsError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "dossier: %s refused: %d problem(s)", e.FileName, e.Total)
	if len(e.Problems) > 0 {
		b.WriteString("; first: " + e.Problems[0].String())
	}
	return b.String()
}

// ReadCatalogue reads a whole catalogue file into its states: for each
// unit in the file, each month's rows are its complete catalogue. A file
// with any problem gives a *ProblemsError and no catalogue. A catalogue
// is small (procedures × units), so holding it is fine.
func ReadCatalogue(name string, r io.Reader, opts ReadOptions) (*Catalogue, error) {
	cr := NewCatalogueReader(name, r, opts)
	defer cr.Close()
	type um struct {
		unit  string
		month scoring.Period
	}
	groups := map[um][]Procedure{}
	for cr.Next() {
		row := cr.Row()
		k := um{row.Unit, row.Month}
		groups[k] = append(groups[k], row.Procedure)
	}
	if err := cr.Err(); err != nil {
		return nil, err
	}
	if cr.ProblemCount() > 0 {
		return nil, &ProblemsError{FileName: name, Problems: cr.Problems(), Total: cr.ProblemCount()}
	}
	cat := NewCatalogue()
	for k, procs := range groups {
		sort.Slice(procs, func(i, j int) bool { return procs[i].Code < procs[j].Code })
		cat.Set(State{Unit: k.unit, Month: k.month, Procedures: procs})
	}
	return cat, nil
}
