package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scoring"
)

// JSON for open data. Objects keep the columns' order (encoding/json would
// sort map keys), numbers are JSON numbers with "." decimals (scores and
// percentages with exactly two, like the API), empty cells are null, dates
// are "YYYY-MM-DD" and instants RFC 3339 in Vietnam time. Text is written as
// it is: JSON is not opened by a spreadsheet, so it needs no neutralising.

func jsonString(b *bytes.Buffer, s string) {
	q, _ := json.Marshal(s) // a string always marshals
	b.Write(q)
}

func jsonValue(b *bytes.Buffer, k Kind, v value) {
	if v.empty {
		b.WriteString("null")
		return
	}
	switch k {
	case Text, BandKind:
		jsonString(b, v.s)
	case Bool:
		b.WriteString(strconv.FormatBool(v.b))
	case GroupsKind:
		b.WriteByte('{')
		for i, f := range v.flags {
			if i > 0 {
				b.WriteByte(',')
			}
			jsonString(b, f.Code)
			b.WriteByte(':')
			b.WriteString(strconv.FormatBool(f.On))
		}
		b.WriteByte('}')
	case Number:
		b.WriteString(strconv.FormatFloat(v.f, 'f', -1, 64))
	case Score, Percent:
		b.WriteString(v.c.String())
	case Int:
		b.WriteString(strconv.FormatInt(v.i, 10))
	case Date:
		jsonString(b, v.t.In(scoring.Location).Format("2006-01-02"))
	case DateTime:
		jsonString(b, v.t.In(scoring.Location).Format(time.RFC3339))
	default:
		b.WriteString("null")
	}
}

func jsonRows(b *bytes.Buffer, g *grid) {
	b.WriteByte('[')
	for r, row := range g.rows {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n{")
		for i, v := range row {
			if i > 0 {
				b.WriteByte(',')
			}
			jsonString(b, g.t.Columns[i].key())
			b.WriteByte(':')
			jsonValue(b, g.t.Columns[i].Kind, v)
		}
		b.WriteByte('}')
	}
	b.WriteString("]")
}

// WriteTableJSON writes one table as a JSON array of objects keyed by the
// columns' keys: [{"rank":1,"unit_code":"BK.STC","total":96.99,…},…].
func WriteTableJSON(w io.Writer, t Table) error {
	g, err := prepare(&t)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	jsonRows(&b, g)
	b.WriteByte('\n')
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("export: write json: %w", err)
	}
	return nil
}

// WriteJSON writes a workbook as one JSON document: its metadata and every
// table with its columns (key, title, kind) and rows.
//
//	{"title":"…","period":"2024-04","period_label":"Tháng 04/2024",
//	 "scheme":"…","exported_at":"2024-05-05T09:00:00+07:00","source":"…",
//	 "filters":[{"name":"…","value":"…"}],"notes":[…],
//	 "tables":[{"name":"…","key":"…","columns":[{"key":"rank","title":"Hạng","kind":"int"},…],
//	            "rows":[{"rank":1,…},…]}]}
func WriteJSON(w io.Writer, wb Workbook) error {
	grids := make([]*grid, len(wb.Tables))
	for i := range wb.Tables {
		g, err := prepare(&wb.Tables[i])
		if err != nil {
			return err
		}
		grids[i] = g
	}
	m := wb.Meta
	var b bytes.Buffer
	field := func(first bool, k string) {
		if !first {
			b.WriteByte(',')
		}
		jsonString(&b, k)
		b.WriteByte(':')
	}
	b.WriteByte('{')
	field(true, "title")
	jsonString(&b, m.Title)
	field(false, "period")
	if m.Period.IsZero() {
		b.WriteString("null")
		field(false, "period_label")
		b.WriteString("null")
	} else {
		jsonString(&b, m.Period.String())
		field(false, "period_label")
		jsonString(&b, present.Period(i18n.VI, m.Period))
	}
	field(false, "scheme")
	jsonString(&b, m.Scheme)
	field(false, "exported_at")
	if m.ExportedAt.IsZero() {
		b.WriteString("null")
	} else {
		jsonString(&b, m.ExportedAt.In(scoring.Location).Format(time.RFC3339))
	}
	field(false, "source")
	jsonString(&b, m.Source)
	field(false, "filters")
	b.WriteByte('[')
	for i, f := range m.Filters {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('{')
		field(true, "name")
		jsonString(&b, f.Name)
		field(false, "value")
		jsonString(&b, f.Value)
		b.WriteByte('}')
	}
	b.WriteByte(']')
	field(false, "notes")
	b.WriteByte('[')
	for i, n := range m.Notes {
		if i > 0 {
			b.WriteByte(',')
		}
		jsonString(&b, n)
	}
	b.WriteByte(']')
	field(false, "tables")
	b.WriteByte('[')
	for ti, g := range grids {
		if ti > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n{")
		field(true, "name")
		jsonString(&b, g.t.Name)
		field(false, "key")
		jsonString(&b, g.t.Key)
		field(false, "columns")
		b.WriteByte('[')
		for i, c := range g.t.Columns {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('{')
			field(true, "key")
			jsonString(&b, c.key())
			field(false, "title")
			jsonString(&b, c.title())
			field(false, "kind")
			jsonString(&b, string(c.Kind))
			b.WriteByte('}')
		}
		b.WriteByte(']')
		field(false, "rows")
		jsonRows(&b, g)
		b.WriteByte('}')
	}
	b.WriteString("]}\n")
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("export: write json: %w", err)
	}
	return nil
}
