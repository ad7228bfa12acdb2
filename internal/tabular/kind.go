package tabular

// CellKind says how a spreadsheet cell of a column turns back into the
// text a CSV file would carry (see Column).
type CellKind uint8

const (
	// Text: what the cell shows (a number keeps the digits shown, "007"
	// with a format of leading zeros); a date cell becomes ISO 8601
	// (YYYY-MM-DD at midnight, else YYYY-MM-DDThh:mm:ss).
	Text CellKind = iota
	// Number: the stored number, without display formatting ("1,234"
	// shown with a thousands format reads as 1234).
	Number
	// Period: a date becomes YYYY-MM (Excel turns a typed "2024-04" into
	// 1 April 2024).
	Period
	// Time: a date becomes YYYY-MM-DDThh:mm:ss, local time without a
	// zone, even at midnight; a number in the years 2000–2099 is taken as
	// a date even without a date format (exports of one-stop systems).
	Time
)

// Column is one column of a kind of file.
type Column struct {
	Name string
	Cell CellKind
	// Optional columns may be left out of the header; their cells are
	// then empty (Reader.Has tells).
	Optional bool
}

// Kind is one kind of file the importers read (docs/import-files.md), known by its
// header's column names.
type Kind struct {
	// Name is the kind's code (models.ImportUnits, …).
	Name string
	// Label is the catalogue key of its name in a sentence ("danh sách
	// đơn vị (units)").
	Label   string
	Columns []Column
}

// ColumnNames lists the kind's column names in order.
func (k *Kind) ColumnNames() []string {
	out := make([]string, len(k.Columns))
	for i, c := range k.Columns {
		out[i] = c.Name
	}
	return out
}

// Recognise picks the kind whose columns the header shares most (then
// proportionally most); nil when fewer than two columns match or two kinds
// tie, which is what a missing header row (data in row 1) looks like.
func Recognise(kinds []*Kind, header [][]byte) *Kind {
	have := make(map[string]bool, len(header))
	for _, h := range header {
		if len(h) <= 64 { // no column name is longer
			have[NormHeader(h)] = true
		}
	}
	var best *Kind
	bestN, tie := 0, false
	for _, k := range kinds {
		n := 0
		for _, c := range k.Columns {
			if have[c.Name] {
				n++
			}
		}
		switch {
		case best == nil || n > bestN || (n == bestN && n*len(best.Columns) > bestN*len(k.Columns)):
			best, bestN, tie = k, n, false
		case n == bestN && n*len(best.Columns) == bestN*len(k.Columns):
			tie = true
		}
	}
	if bestN < 2 || tie {
		return nil
	}
	return best
}
