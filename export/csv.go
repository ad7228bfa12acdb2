package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"
	"unicode/utf8"

	"scorecard/scoring"
)

// BOM is the UTF-8 byte order mark every CSV starts with. Excel on Windows
// opens a CSV without it in the machine's ANSI code page (Windows-1258 on
// Vietnamese systems) and garbles every diacritic; with it, a double click
// shows "Sở Tài chính" correctly. Our importer (docs/import-files.md), Python's
// "utf-8-sig", pandas, R and LibreOffice all accept the BOM, so it costs
// machine readers nothing and spares the most common reader a broken file.
const BOM = "\ufeff"

// dangerous are the characters that make a spreadsheet treat a CSV cell as
// a formula (or, for tab and carriage return, hide one after them), OWASP's
// list, plus their full-width forms, which some Excel input methods convert.
func dangerous(r rune) bool {
	switch r {
	case '=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠':
		return true
	}
	return false
}

// Neutralise makes a text value safe to open in a spreadsheet: a value that
// starts like a formula gets a leading apostrophe, which Excel shows as text
// and hides. Apply it to text only: numbers (-1.20) must stay numbers.
func Neutralise(s string) string {
	if r, _ := utf8.DecodeRuneInString(s); s != "" && dangerous(r) {
		return "'" + s
	}
	return s
}

// csvText is one cell as CSV text.
func csvText(k Kind, v value) string {
	if v.empty {
		return ""
	}
	switch k {
	case Text, BandKind:
		return Neutralise(v.s)
	case GroupsKind:
		// Scheme group codes: nothing a spreadsheet would evaluate, but
		// neutralised as any text.
		return Neutralise(v.s)
	case Bool:
		return strconv.FormatBool(v.b)
	case Number:
		return strconv.FormatFloat(v.f, 'f', -1, 64)
	case Score, Percent:
		return v.c.String()
	case Int:
		return strconv.FormatInt(v.i, 10)
	case Date:
		return v.t.In(scoring.Location).Format("2006-01-02")
	case DateTime:
		return v.t.In(scoring.Location).Format(time.RFC3339)
	}
	return ""
}

// WriteCSV writes one table as CSV: UTF-8 with a BOM, comma-separated, a
// header of the columns' keys, "." decimals and no thousands separator
// (docs/api.md, open data), dates as YYYY-MM-DD and instants as RFC 3339 in
// Vietnam time. Nothing is written when the table is invalid.
func WriteCSV(w io.Writer, t Table) error {
	g, err := prepare(&t)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, BOM); err != nil {
		return fmt.Errorf("export: write csv: %w", err)
	}
	cw := csv.NewWriter(w)
	rec := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		rec[i] = Neutralise(c.key())
	}
	if err := cw.Write(rec); err != nil {
		return fmt.Errorf("export: write csv: %w", err)
	}
	for _, row := range g.rows {
		for i, v := range row {
			rec[i] = csvText(t.Columns[i].Kind, v)
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("export: write csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("export: write csv: %w", err)
	}
	return nil
}
