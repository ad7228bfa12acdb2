// Package export turns typed tables into the files an office hands on and
// a journalist downloads: XLSX workbooks (one sheet per table, a first sheet
// "Thông tin" recording what was exported), CSV per table, and JSON for open
// data. It is pure: tables in, bytes out.
//
// Conventions (docs/api.md, open data):
//   - CSV and JSON are machine-readable: "." decimals, no thousands
//     separator, headers and keys are the columns' stable Key.
//   - XLSX stores numbers as numbers with display formats that Excel and
//     LibreOffice render with the reader's locale separators (75,35 under
//     vi-VN), and Vietnamese column titles.
//   - Text that could run as a formula is neutralised: in CSV a text cell
//     starting with = + - @ (or a tab or carriage return) gets a leading
//     apostrophe; in XLSX every text cell is stored as a string, which Excel
//     never evaluates. Numbers are never touched: -1.20 stays a number.
package export

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"scorecard/scoring"
)

// Kind is what a column holds; it decides the cell type and display format.
type Kind string

// The column kinds.
const (
	// Text is a string (unit names, codes): neutralised, never a formula.
	Text Kind = "text"
	// Number is any number shown as Excel's General format (float64, int…).
	Number Kind = "number"
	// Score is points with two decimals (scoring.Cents): 75.35, -1.20.
	Score Kind = "score"
	// Percent is a ratio held as a percentage with two decimals
	// (scoring.Cents 6667 = 66.67 %). CSV and JSON write 66.67, like the
	// API's "ratio"; XLSX stores the fraction 0.6667 with a percent format,
	// so that Excel shows 66,67% and computes with it correctly.
	Percent Kind = "percent"
	// Int is a whole number (counts, ranks, rank changes).
	Int Kind = "int"
	// Date is a calendar day (time.Time, taken in Vietnam time).
	Date Kind = "date"
	// DateTime is an instant (time.Time, shown in Vietnam time).
	DateTime Kind = "datetime"
	// BandKind is a classification: its name as text, and in XLSX a fill
	// colour by level. The name is always written, so colour never carries
	// the meaning alone.
	BandKind Kind = "band"
	// Bool is a yes or no (bool): true/false in CSV and JSON, a logical
	// cell in XLSX, which Excel and LibreOffice name in the reader's
	// language.
	Bool Kind = "bool"
	// GroupsKind is a flag per group of the scheme (GroupFlags): in CSV and
	// XLSX the codes of the groups flagged, in scheme order, separated by a
	// space (group codes never hold one); in JSON an object of booleans, one
	// per group, as the API's groups carry theirs.
	GroupsKind Kind = "groups"
)

func (k Kind) valid() bool {
	switch k {
	case Text, Number, Score, Percent, Int, Date, DateTime, BandKind, Bool, GroupsKind:
		return true
	}
	return false
}

// Band is the value of a BandKind cell. Level is the band's position in its
// scheme (1 = the highest band); 0 means no colour.
type Band struct {
	Name  string
	Level int
}

// BandOf returns the cell value of a scheme band (a nil band, "no data",
// gives the zero Band, an empty cell).
func BandOf(s *scoring.Scheme, b *scoring.Band) Band {
	if b == nil {
		return Band{}
	}
	out := Band{Name: b.NameVI}
	if s != nil {
		for i := range s.Bands {
			if s.Bands[i].Code == b.Code {
				out.Level = i + 1
			}
		}
	}
	return out
}

// GroupFlag is one group's flag in a GroupsKind cell.
type GroupFlag struct {
	Code string
	// Name is the group's Vietnamese name, for the workbook's notes in
	// words; the cells carry the code only.
	Name string
	On   bool
}

// GroupFlags is the value of a GroupsKind cell: every group of the
// scheme, in scheme order, with its flag.
type GroupFlags []GroupFlag

// codes are the codes of the groups flagged, space-separated.
func (g GroupFlags) codes() string {
	var b strings.Builder
	for _, f := range g {
		if !f.On {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(f.Code)
	}
	return b.String()
}

// Column describes one column.
type Column struct {
	// Key is the stable machine name: the CSV header and the JSON key
	// ("unit_code"). Empty falls back to Title.
	Key string
	// Title is the Vietnamese heading of the XLSX sheet ("Mã đơn vị").
	Title string
	Kind  Kind
	// Width is the XLSX column width in characters; 0 computes it.
	Width float64
}

func (c Column) key() string {
	if c.Key != "" {
		return c.Key
	}
	return c.Title
}

func (c Column) title() string {
	if c.Title != "" {
		return c.Title
	}
	return c.Key
}

// Chart asks for a native Excel bar chart of a table: one bar per row,
// labelled by the Category column, one series per Values column.
type Chart struct {
	Title    string
	Category int   // index of the label column
	Values   []int // indexes of numeric columns
	// Rows limits the chart to the first Rows data rows (a ranking's ranked
	// units, before those without data); 0 means every row.
	Rows int
	// Horizontal draws horizontal bars, first row on top (rankings).
	Horizontal bool
	// Min and Max fix the value axis (0 and 100 for totals); nil is automatic.
	Min, Max *float64
}

// Table is one sheet of a workbook, one CSV file, one JSON array.
type Table struct {
	// Name is the sheet name (Vietnamese; shortened to Excel's 31
	// characters and made unique in a workbook).
	Name string
	// Key is the file stem for CSV and JSON ("rankings-agency"); ASCII.
	Key     string
	Columns []Column
	// Rows hold one value per column; nil is an empty cell. Accepted values
	// per kind: Text string or fmt.Stringer; Number any Go number or
	// scoring.Cents; Score and Percent scoring.Cents or *scoring.Cents; Int
	// int, int64, int32 or a pointer to int/int64; Date and DateTime
	// time.Time (zero = empty) or *time.Time; BandKind Band, *Band or a
	// string name; Bool bool or *bool; GroupsKind GroupFlags.
	Rows  [][]any
	Chart *Chart
}

// Filter is one filter the user applied to the exported view.
type Filter struct {
	Name  string // "Loại đơn vị"
	Value string // "Sở, ban, ngành"
}

// Meta records what was exported, on the first sheet and in JSON.
type Meta struct {
	Title string
	// Period is the period exported (the zero Period when not one period).
	Period  scoring.Period
	Filters []Filter
	// Scheme names the scheme version ("qd766, hiệu lực từ 01/07/2022").
	Scheme string
	// ExportedAt is when the file was made (the caller's clock).
	ExportedAt time.Time
	// Source says where the data comes from (the office, the page's URL).
	Source string
	Notes  []string
}

// Workbook is a set of tables with their metadata.
type Workbook struct {
	Meta   Meta
	Tables []Table
}

// value is a cell normalised by its column's kind.
type value struct {
	empty bool
	s     string // Text, BandKind
	level int    // BandKind
	c     scoring.Cents
	f     float64 // Number
	i     int64   // Int
	t     time.Time
	b     bool       // Bool
	flags GroupFlags // GroupsKind
}

var errType = errors.New("unsupported value")

func normalise(k Kind, v any) (value, error) {
	if v == nil {
		return value{empty: true}, nil
	}
	switch k {
	case Text:
		switch x := v.(type) {
		case string:
			return value{s: x}, nil
		case fmt.Stringer:
			return value{s: x.String()}, nil
		}
	case Number:
		var f float64
		switch x := v.(type) {
		case float64:
			f = x
		case float32:
			f = float64(x)
		case int:
			f = float64(x)
		case int64:
			f = float64(x)
		case int32:
			f = float64(x)
		case scoring.Cents:
			f = x.Float()
		default:
			return value{}, errType
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return value{}, errors.New("not a finite number")
		}
		return value{f: f}, nil
	case Score, Percent:
		switch x := v.(type) {
		case scoring.Cents:
			return value{c: x}, nil
		case *scoring.Cents:
			if x == nil {
				return value{empty: true}, nil
			}
			return value{c: *x}, nil
		}
	case Int:
		switch x := v.(type) {
		case int:
			return value{i: int64(x)}, nil
		case int64:
			return value{i: x}, nil
		case int32:
			return value{i: int64(x)}, nil
		case *int:
			if x == nil {
				return value{empty: true}, nil
			}
			return value{i: int64(*x)}, nil
		case *int64:
			if x == nil {
				return value{empty: true}, nil
			}
			return value{i: *x}, nil
		}
	case Date, DateTime:
		switch x := v.(type) {
		case time.Time:
			return value{t: x, empty: x.IsZero()}, nil
		case *time.Time:
			if x == nil || x.IsZero() {
				return value{empty: true}, nil
			}
			return value{t: *x}, nil
		}
	case Bool:
		switch x := v.(type) {
		case bool:
			return value{b: x}, nil
		case *bool:
			if x == nil {
				return value{empty: true}, nil
			}
			return value{b: *x}, nil
		}
	case GroupsKind:
		if x, ok := v.(GroupFlags); ok {
			// Text for CSV and XLSX; the flags for JSON.
			return value{s: x.codes(), flags: x}, nil
		}
	case BandKind:
		switch x := v.(type) {
		case Band:
			return value{s: x.Name, level: x.Level, empty: x.Name == ""}, nil
		case *Band:
			if x == nil || x.Name == "" {
				return value{empty: true}, nil
			}
			return value{s: x.Name, level: x.Level}, nil
		case string:
			return value{s: x, empty: x == ""}, nil
		}
	}
	return value{}, errType
}

// grid is a table checked and normalised, ready for any writer.
type grid struct {
	t    *Table
	rows [][]value
}

// prepare checks a table and normalises its cells, so a writer fails before
// it writes anything (an HTTP response is not left half-written).
func prepare(t *Table) (*grid, error) {
	if len(t.Columns) == 0 {
		return nil, fmt.Errorf("export: table %q has no columns", t.Name)
	}
	seen := map[string]bool{}
	for i, c := range t.Columns {
		if !c.Kind.valid() {
			return nil, fmt.Errorf("export: table %q column %d: unknown kind %q", t.Name, i+1, c.Kind)
		}
		if c.key() == "" {
			return nil, fmt.Errorf("export: table %q column %d has no key or title", t.Name, i+1)
		}
		if seen[c.key()] {
			return nil, fmt.Errorf("export: table %q: column key %q repeated", t.Name, c.key())
		}
		seen[c.key()] = true
	}
	if ch := t.Chart; ch != nil {
		ok := ch.Category >= 0 && ch.Category < len(t.Columns) && len(ch.Values) > 0 && ch.Rows >= 0
		for _, v := range ch.Values {
			if v < 0 || v >= len(t.Columns) {
				ok = false
				continue
			}
			switch t.Columns[v].Kind {
			case Number, Score, Percent, Int:
			default:
				ok = false
			}
		}
		if !ok {
			return nil, fmt.Errorf("export: table %q: the chart refers to missing or non-numeric columns", t.Name)
		}
	}
	g := &grid{t: t, rows: make([][]value, len(t.Rows))}
	for r, row := range t.Rows {
		if len(row) != len(t.Columns) {
			return nil, fmt.Errorf("export: table %q row %d: %d values for %d columns", t.Name, r+1, len(row), len(t.Columns))
		}
		g.rows[r] = make([]value, len(row))
		for c, v := range row {
			nv, err := normalise(t.Columns[c].Kind, v)
			if err != nil {
				return nil, fmt.Errorf("export: table %q row %d column %q: %T: %w", t.Name, r+1, t.Columns[c].key(), v, err)
			}
			g.rows[r][c] = nv
		}
	}
	return g, nil
}

// Validate reports whether the table can be written.
func (t Table) Validate() error {
	_, err := prepare(&t)
	return err
}
