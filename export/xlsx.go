package export

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scoring"
)

// InfoSheet is the name of the first sheet, which records the period,
// filters, scheme version and export time.
var InfoSheet = vi("export.sheet.info")

// Display formats. Built-in format ids are used where one exists: Excel
// shows them with the reader's own separators, so "#,##0.00" reads 1.234,50
// under vi-VN and 1,234.50 under en-US, and the stored value stays a number.
const (
	fmtGeneral = 0  // General
	fmtInt     = 3  // #,##0
	fmtScore   = 4  // #,##0.00
	fmtPercent = 10 // 0.00%
)

// Custom date formats: built-in 14 follows the reader's short date, which is
// month-first on many machines; a report for Vietnamese offices states the
// day first explicitly.
const (
	fmtDate     = "dd/mm/yyyy"
	fmtDateTime = "dd/mm/yyyy hh:mm"
)

// bandFills are the cell fills of bands by level (1 = highest), light enough
// for black text to keep a 4.5:1 contrast and to print in grey. Levels past
// the list share its last fill.
var bandFills = []string{"C6EFCE", "DDEBF7", "FFF2CC", "FCE4D6", "F8CBAD", "EDEDED"}

// chartColour is the bars' colour, the pages' accent.
const chartColour = "1F4E8C"

type styles struct {
	header, label, title, text, wrap int
	byKind                           map[Kind]int
	band                             []int
}

func newStyles(f *excelize.File) (*styles, error) {
	s := &styles{byKind: map[Kind]int{}}
	var err error
	mk := func(st *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(st)
		return id
	}
	str := func(v string) *string { return &v }
	s.header = mk(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"},
		Border:    []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}},
	})
	s.label = mk(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "top"}})
	s.title = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	s.text = mk(&excelize.Style{NumFmt: 49}) // "@": typed text stays text
	s.wrap = mk(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	s.byKind[Text] = s.text
	s.byKind[BandKind] = s.text
	s.byKind[GroupsKind] = s.text
	s.byKind[Bool] = mk(&excelize.Style{NumFmt: fmtGeneral})
	s.byKind[Number] = mk(&excelize.Style{NumFmt: fmtGeneral})
	s.byKind[Int] = mk(&excelize.Style{NumFmt: fmtInt})
	s.byKind[Score] = mk(&excelize.Style{NumFmt: fmtScore})
	s.byKind[Percent] = mk(&excelize.Style{NumFmt: fmtPercent})
	s.byKind[Date] = mk(&excelize.Style{CustomNumFmt: str(fmtDate)})
	s.byKind[DateTime] = mk(&excelize.Style{CustomNumFmt: str(fmtDateTime)})
	for _, c := range bandFills {
		s.band = append(s.band, mk(&excelize.Style{
			NumFmt: 49,
			Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c}},
			Border: []excelize.Border{{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1}},
		}))
	}
	if err != nil {
		return nil, fmt.Errorf("export: xlsx styles: %w", err)
	}
	return s, nil
}

// wallClock turns an instant into Vietnam's wall-clock time expressed in
// UTC: spreadsheet dates have no time zone, and excelize counts the serial
// from the instant, so the reader must see 09:00 for 09:00 in Hà Nội.
func wallClock(t time.Time) time.Time {
	v := t.In(scoring.Location)
	return time.Date(v.Year(), v.Month(), v.Day(), v.Hour(), v.Minute(), v.Second(), 0, time.UTC)
}

// sheetName makes a valid, unique sheet name: Excel forbids : \ / ? * [ ],
// a leading or trailing apostrophe and more than 31 characters, and compares
// names case-insensitively.
func sheetName(name string, used map[string]bool, n int) string {
	s := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) || r < 0x20 {
			return '-'
		}
		return r
	}, strings.TrimSpace(name))
	s = strings.Trim(s, "' ")
	if s == "" {
		s = vi("export.sheet.numbered", n)
	}
	base := truncate(s, 31)
	s = base
	for i := 2; used[strings.ToLower(s)]; i++ {
		suffix := " (" + strconv.Itoa(i) + ")"
		s = strings.TrimRight(truncate(base, 31-utf16Len(suffix)), "' ") + suffix
	}
	used[strings.ToLower(s)] = true
	return s
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// truncate cuts s to at most max UTF-16 units (Excel's measure).
func truncate(s string, max int) string {
	n := 0
	for i, r := range s {
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if n+w > max {
			return s[:i]
		}
		n += w
	}
	return s
}

// quoteSheet quotes a sheet name for a cell reference in a chart formula.
func quoteSheet(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func cellName(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row) // col, row ≥ 1 here
	return name
}

func colName(col int) string {
	name, _ := excelize.ColumnNumberToName(col)
	return name
}

// WriteXLSX writes the workbook: a first sheet "Thông tin" with the
// metadata, then one sheet per table with a frozen, bold header row, an
// autofilter, computed column widths, numbers stored as numbers with vi-VN
// display formats, bands as text on a coloured fill, and a native bar chart
// where the table asks for one. Nothing is written when a table is invalid.
func (wb Workbook) WriteXLSX(w io.Writer) error {
	grids := make([]*grid, len(wb.Tables))
	for i := range wb.Tables {
		g, err := prepare(&wb.Tables[i])
		if err != nil {
			return err
		}
		grids[i] = g
	}
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", InfoSheet); err != nil {
		return fmt.Errorf("export: xlsx: %w", err)
	}
	used := map[string]bool{strings.ToLower(InfoSheet): true}
	names := make([]string, len(grids))
	for i, g := range grids {
		names[i] = sheetName(g.t.Name, used, i+1)
		if _, err := f.NewSheet(names[i]); err != nil {
			return fmt.Errorf("export: xlsx sheet %q: %w", names[i], err)
		}
		if err := writeSheet(f, st, names[i], g); err != nil {
			return err
		}
	}
	if err := writeInfo(f, st, wb.Meta, grids, names); err != nil {
		return err
	}
	if len(grids) > 0 {
		// Open on the first table: the information sheet stays first, as the
		// record of what was exported, but the reader lands on the data.
		f.SetActiveSheet(1)
	}
	props := &excelize.DocProperties{Title: wb.Meta.Title, Creator: "scorecard", Language: "vi-VN",
		Description: wb.Meta.Source}
	if !wb.Meta.ExportedAt.IsZero() {
		props.Created = wb.Meta.ExportedAt.UTC().Format(time.RFC3339)
		props.Modified = props.Created
	}
	if err := f.SetDocProps(props); err != nil {
		return fmt.Errorf("export: xlsx properties: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("export: write xlsx: %w", err)
	}
	return nil
}

func writeSheet(f *excelize.File, st *styles, sheet string, g *grid) error {
	t := g.t
	wrap := func(err error) error { return fmt.Errorf("export: xlsx sheet %q: %w", sheet, err) }
	widths := make([]int, len(t.Columns))
	for i, c := range t.Columns {
		if err := f.SetCellStr(sheet, cellName(i+1, 1), c.title()); err != nil {
			return wrap(err)
		}
		widths[i] = utf8.RuneCountInString(c.title())
	}
	for r, row := range g.rows {
		for i, v := range row {
			if v.empty || (t.Columns[i].Kind == GroupsKind && v.s == "") {
				continue
			}
			cell := cellName(i+1, r+2)
			var err error
			var shown int
			switch t.Columns[i].Kind {
			case Text, BandKind, GroupsKind:
				// A string cell: even "=HYPERLINK(…)" is stored as text and
				// never evaluated.
				err = f.SetCellStr(sheet, cell, v.s)
				shown = utf8.RuneCountInString(v.s)
			case Bool:
				err = f.SetCellBool(sheet, cell, v.b)
				shown = 6
			case Score:
				err = f.SetCellFloat(sheet, cell, v.c.Float(), 2, 64)
				shown = len(present.Score(i18n.VI, v.c)) + 1
			case Percent:
				err = f.SetCellFloat(sheet, cell, float64(v.c)/10000, 4, 64)
				shown = len(present.Score(i18n.VI, v.c)) + 2
			case Int:
				err = f.SetCellInt(sheet, cell, v.i)
				shown = len(strconv.FormatInt(v.i, 10)) + 2
			case Number:
				err = f.SetCellFloat(sheet, cell, v.f, -1, 64)
				shown = len(strconv.FormatFloat(v.f, 'f', -1, 64)) + 1
			case Date:
				d := wallClock(v.t)
				err = f.SetCellValue(sheet, cell, time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC))
				shown = len(fmtDate)
			case DateTime:
				err = f.SetCellValue(sheet, cell, wallClock(v.t))
				shown = len(fmtDateTime)
			}
			if err != nil {
				return wrap(err)
			}
			if shown > widths[i] {
				widths[i] = shown
			}
		}
	}
	last := len(g.rows) + 1
	if err := f.SetCellStyle(sheet, "A1", cellName(len(t.Columns), 1), st.header); err != nil {
		return wrap(err)
	}
	for i, c := range t.Columns {
		if len(g.rows) > 0 {
			if err := f.SetCellStyle(sheet, cellName(i+1, 2), cellName(i+1, last), st.byKind[c.Kind]); err != nil {
				return wrap(err)
			}
		}
		if c.Kind == BandKind {
			for r, row := range g.rows {
				if lv := row[i].level; lv > 0 && !row[i].empty {
					if lv > len(st.band) {
						lv = len(st.band)
					}
					if err := f.SetCellStyle(sheet, cellName(i+1, r+2), cellName(i+1, r+2), st.band[lv-1]); err != nil {
						return wrap(err)
					}
				}
			}
		}
		w := c.Width
		if w <= 0 {
			w = float64(widths[i]) + 2
			if w < 8 {
				w = 8
			}
			if w > 60 {
				w = 60
			}
		}
		if err := f.SetColWidth(sheet, colName(i+1), colName(i+1), w); err != nil {
			return wrap(err)
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return wrap(err)
	}
	if len(g.rows) > 0 {
		if err := f.AutoFilter(sheet, "A1:"+cellName(len(t.Columns), last), nil); err != nil {
			return wrap(err)
		}
	}
	landscape, fit, tall := "landscape", 1, 0
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: &landscape, FitToWidth: &fit, FitToHeight: &tall}); err != nil {
		return wrap(err)
	}
	if t.Chart != nil {
		if err := addChart(f, sheet, g); err != nil {
			return wrap(err)
		}
	}
	return nil
}

func addChart(f *excelize.File, sheet string, g *grid) error {
	ch := g.t.Chart
	n := len(g.rows)
	if ch.Rows > 0 && ch.Rows < n {
		n = ch.Rows
	}
	if n == 0 {
		return nil
	}
	q := quoteSheet(sheet)
	colRange := func(col int) string {
		c := colName(col + 1)
		return fmt.Sprintf("%s!$%s$2:$%s$%d", q, c, c, n+1)
	}
	c := &excelize.Chart{Type: excelize.Col, VaryColors: new(bool),
		Legend:    excelize.ChartLegend{Position: "none"},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: ch.Title}}},
		YAxis:     excelize.ChartAxis{MajorGridLines: true, Minimum: ch.Min, Maximum: ch.Max},
		Dimension: excelize.ChartDimension{Width: 720, Height: 360},
	}
	if len(ch.Values) > 1 {
		c.Legend.Position = "bottom"
	}
	if ch.Horizontal {
		c.Type = excelize.Bar
		// Category axis reversed so the first row (rank 1) is on top.
		c.XAxis.ReverseOrder = true
		c.PlotArea.ShowVal = true
		h := 22*n + 90
		if h < 320 {
			h = 320
		}
		c.Dimension = excelize.ChartDimension{Width: 640, Height: uint(h)}
	}
	for _, v := range ch.Values {
		c.Series = append(c.Series, excelize.ChartSeries{
			Name:       fmt.Sprintf("%s!$%s$1", q, colName(v+1)),
			Categories: colRange(ch.Category),
			Values:     colRange(v),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{chartColour}},
		})
	}
	if len(ch.Values) > 1 {
		for i := range c.Series {
			c.Series[i].Fill = excelize.Fill{}
		}
	}
	// Two columns to the right of the table, below the header row.
	return f.AddChart(sheet, cellName(len(g.t.Columns)+2, 2), c)
}

// infoRow is one line of the information sheet: a label and a string or a
// time.
type infoRow struct {
	label string
	val   any
}

func writeInfo(f *excelize.File, st *styles, m Meta, grids []*grid, names []string) error {
	wrap := func(err error) error { return fmt.Errorf("export: xlsx sheet %q: %w", InfoSheet, err) }
	row := 1
	set := func(label string, val any) error {
		if err := f.SetCellStr(InfoSheet, cellName(1, row), label); err != nil {
			return err
		}
		if err := f.SetCellStyle(InfoSheet, cellName(1, row), cellName(1, row), st.label); err != nil {
			return err
		}
		switch x := val.(type) {
		case string:
			if err := f.SetCellStr(InfoSheet, cellName(2, row), x); err != nil {
				return err
			}
			if err := f.SetCellStyle(InfoSheet, cellName(2, row), cellName(2, row), st.wrap); err != nil {
				return err
			}
		case time.Time:
			if err := f.SetCellValue(InfoSheet, cellName(2, row), wallClock(x)); err != nil {
				return err
			}
			if err := f.SetCellStyle(InfoSheet, cellName(2, row), cellName(2, row), st.byKind[DateTime]); err != nil {
				return err
			}
		}
		row++
		return nil
	}
	title := m.Title
	if title == "" {
		title = vi("export.title.default")
	}
	if err := f.SetCellStr(InfoSheet, "A1", title); err != nil {
		return wrap(err)
	}
	if err := f.SetCellStyle(InfoSheet, "A1", "A1", st.title); err != nil {
		return wrap(err)
	}
	row = 3
	period := "—"
	if !m.Period.IsZero() {
		period = present.Period(i18n.VI, m.Period) + " (" + m.Period.String() + ")"
	}
	steps := []infoRow{{vi("export.info.period"), period}}
	if len(m.Filters) == 0 {
		steps = append(steps, infoRow{vi("export.info.filters"), vi("export.info.no_filter")})
	}
	for _, fl := range m.Filters {
		steps = append(steps, infoRow{vi("export.info.filter", fl.Name), fl.Value})
	}
	steps = append(steps, infoRow{vi("export.info.scheme"), m.Scheme})
	if !m.ExportedAt.IsZero() {
		steps = append(steps, infoRow{vi("export.info.exported"), m.ExportedAt},
			infoRow{vi("export.info.exported_iso"), m.ExportedAt.In(scoring.Location).Format(time.RFC3339)})
	}
	if m.Source != "" {
		steps = append(steps, infoRow{vi("export.info.source"), m.Source})
	}
	for _, n := range m.Notes {
		steps = append(steps, infoRow{vi("export.info.note"), n})
	}
	steps = append(steps, infoRow{vi("export.info.format"), vi("export.info.format_text")})
	for _, s := range steps {
		if err := set(s.label, s.val); err != nil {
			return wrap(err)
		}
	}
	row++
	if err := f.SetCellStr(InfoSheet, cellName(1, row), vi("export.info.tables")); err != nil {
		return wrap(err)
	}
	if err := f.SetCellStyle(InfoSheet, cellName(1, row), cellName(2, row), st.header); err != nil {
		return wrap(err)
	}
	if err := f.SetCellStr(InfoSheet, cellName(2, row), vi("export.info.rows")); err != nil {
		return wrap(err)
	}
	row++
	for i, g := range grids {
		if err := f.SetCellStr(InfoSheet, cellName(1, row), names[i]); err != nil {
			return wrap(err)
		}
		if err := f.SetCellInt(InfoSheet, cellName(2, row), int64(len(g.rows))); err != nil {
			return wrap(err)
		}
		row++
	}
	if err := f.SetColWidth(InfoSheet, "A", "A", 32); err != nil {
		return wrap(err)
	}
	if err := f.SetColWidth(InfoSheet, "B", "B", 80); err != nil {
		return wrap(err)
	}
	return nil
}
