package dossier

import (
	"io"

	"scorecard/internal/tabular"
)

// DefaultMaxXLSXRows is the largest dossier sheet read by default: a large
// export is read faster, and written by the one-stop systems more
// reliably, as CSV.
const DefaultMaxXLSXRows = 100_000

// Formats of files, as the importer names them.
const (
	FormatCSV  = tabular.FormatCSV
	FormatXLSX = tabular.FormatXLSX
)

// DefaultMaxProblems is how many problems of a file are kept in full by
// default; the rest are counted by kind.
const DefaultMaxProblems = tabular.DefaultMaxProblems

// openTable opens a file: its format recognised by content, its header
// read. A problem of the file leaves no row to read.
func openTable(name string, r io.Reader, ps *tabular.Problems, maxRows int) *tabular.Reader {
	if maxRows < 0 {
		maxRows = 0
	}
	return tabular.Open(name, r, ps, tabular.Options{MaxXLSXRows: maxRows})
}
