package handlers

import (
	"bytes"
	"fmt"
	"sort"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/xuri/excelize/v2"

	"scorecard/handlers/site"
	"scorecard/i18n"
	"scorecard/models"
	"scorecard/present"
	"scorecard/scoring"
	"scorecard/store"
)

// Import templates: one XLSX workbook per kind of file, whose
// first sheet has the header the importer expects (docs/import-files.md) and is
// prefilled with what the office would otherwise type: the units file with
// the units already known, the counts file with one row per unit and metric
// of the scheme in force. Further sheets list the unit codes, the metric
// codes and the rules, for reference: the importer reads the first sheet
// only. Every cell of the first sheet is text, so that Excel does not turn
// "1.001234" into a number or "2024-05" into a date.

// templateColumns are the headers of docs/import-files.md.
var templateColumns = map[string][]string{
	models.ImportUnits:       {"code", "name", "kind", "parent_code", "valid_from", "valid_to"},
	models.ImportUnitChanges: {"code", "successor_code", "change", "effective_from"},
	models.ImportCounts:      {"period", "unit_code", "metric", "numerator", "denominator"},
	models.ImportCatalogue:   {"period", "procedure_code", "name", "unit_code", "online_level", "has_fee", "individual_applicant", "citizen_data_connected"},
	models.ImportDossiers: {"dossier_code", "unit_code", "procedure_code", "received_at", "due_at", "finished_at", "channel", "fee_required",
		"paid_online", "e_result", "digitized", "reused_data", "personal_store", "citizen_data", "synced", "supplement_requests", "rating"},
}

// templateNotes are the instructions sheet, per kind: keys of the
// catalogue, worded in Vietnamese (the offices' language).
var templateNotes = map[string][]string{
	models.ImportUnits:       {"tpl.note.units.1", "tpl.note.units.2", "tpl.note.units.3", "tpl.note.units.dates"},
	models.ImportUnitChanges: {"tpl.note.changes.1", "tpl.note.changes.2", "tpl.note.changes.3", "tpl.note.changes.4"},
	models.ImportCounts:      {"tpl.note.counts.1", "tpl.note.counts.2", "tpl.note.counts.3", "tpl.note.counts.4"},
	models.ImportCatalogue:   {"tpl.note.catalogue.1", "tpl.note.catalogue.2", "tpl.note.catalogue.3"},
	models.ImportDossiers:    {"tpl.note.dossiers.1", "tpl.note.dossiers.2", "tpl.note.dossiers.3"},
}

// The sheets' names.
var (
	sheetData    = i18n.VI.T("tpl.sheet.data")
	sheetUnits   = i18n.VI.T("tpl.sheet.units")
	sheetMetrics = i18n.VI.T("tpl.sheet.metrics")
	sheetNotes   = i18n.VI.T("tpl.sheet.notes")
)

// staffTemplate is GET /staff/templates/{kind}[?period=P].
func (h *handler) staffTemplate(c *fiber.Ctx) error {
	kind := c.Params("kind")
	cols, ok := templateColumns[kind]
	if !ok {
		return site.NotFound("err.template.notfound")
	}
	period := previousMonth(time.Now())
	if q := c.Query("period"); q != "" {
		p, err := scoring.ParsePeriod(q)
		if err != nil {
			return site.BadRequest("err.period.invalid")
		}
		period = p
	}
	units, err := h.st.Units(c.UserContext())
	if err != nil {
		return site.Internal(err)
	}
	var changes []store.UnitChangeRow
	if kind == models.ImportUnitChanges {
		if changes, err = h.st.UnitChanges(c.UserContext()); err != nil {
			return site.Internal(err)
		}
	}
	scheme := h.Scores.Schemes().For(period)
	b, err := buildTemplate(kind, cols, units, changes, scheme, period)
	if err != nil {
		return site.Internal(err)
	}
	name := "mau-" + kind + ".xlsx"
	if kind == models.ImportCounts {
		name = "mau-counts-" + period.String() + ".xlsx"
	}
	c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(b)
}

// previousMonth is the month before now's (in Vietnam): the month an office
// usually reports on.
func previousMonth(now time.Time) scoring.Period {
	t := now.In(scoring.Location)
	return scoring.Period{Kind: scoring.Month, Year: t.Year(), N: int(t.Month())}.Prev()
}

// buildTemplate writes the workbook.
func buildTemplate(kind string, cols []string, units []models.Unit, changes []store.UnitChangeRow, scheme *scoring.Scheme, period scoring.Period) ([]byte, error) {
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	if err := f.SetSheetName("Sheet1", sheetData); err != nil {
		return nil, fmt.Errorf("handlers: template: %w", err)
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": text
	if err != nil {
		return nil, fmt.Errorf("handlers: template: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{NumFmt: 49, Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DCE6F1"}}})
	if err != nil {
		return nil, fmt.Errorf("handlers: template: %w", err)
	}
	last, err := excelize.ColumnNumberToName(len(cols))
	if err != nil {
		return nil, fmt.Errorf("handlers: template: %w", err)
	}
	if err := f.SetColStyle(sheetData, "A:"+last, text); err != nil {
		return nil, fmt.Errorf("handlers: template: %w", err)
	}
	if err := f.SetColWidth(sheetData, "A", last, 18); err != nil {
		return nil, fmt.Errorf("handlers: template: %w", err)
	}
	rows := [][]string{cols}
	sorted := append([]models.Unit(nil), units...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if ki, kj := unitKindOrder(sorted[i].Kind), unitKindOrder(sorted[j].Kind); ki != kj {
			return ki < kj
		}
		return sorted[i].Code < sorted[j].Code
	})
	switch kind {
	case models.ImportUnits:
		for _, u := range sorted {
			rows = append(rows, []string{u.Code, u.Name, u.Kind, u.Parent(), deref(u.ValidFrom), deref(u.ValidTo)})
		}
	case models.ImportUnitChanges:
		// The changes already imported: importing them again changes
		// nothing, and the office adds its own below.
		for _, ch := range changes {
			rows = append(rows, []string{ch.Code, ch.Successor, ch.Change, ch.Effective})
		}
	case models.ImportCounts:
		for _, u := range sorted {
			for _, m := range scheme.Metrics {
				atProvince := m.Level == scoring.LevelProvince
				if atProvince != (u.Kind == models.KindProvince) {
					continue
				}
				rows = append(rows, []string{period.String(), u.Code, m.Code, "", ""})
			}
		}
	}
	for i, r := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return nil, fmt.Errorf("handlers: template: %w", err)
		}
		vals := make([]any, len(r))
		for j, s := range r {
			vals[j] = s
		}
		if err := f.SetSheetRow(sheetData, cell, &vals); err != nil {
			return nil, fmt.Errorf("handlers: template: %w", err)
		}
	}
	if err := f.SetCellStyle(sheetData, "A1", last+"1", bold); err != nil {
		return nil, fmt.Errorf("handlers: template: %w", err)
	}
	if err := f.SetPanes(sheetData, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, fmt.Errorf("handlers: template: %w", err)
	}

	// Reference sheets.
	ref := [][]string{{"code", "name", "kind", "parent_code", "valid_from", "valid_to"}}
	for _, u := range sorted {
		ref = append(ref, []string{u.Code, u.Name, u.Kind, u.Parent(), deref(u.ValidFrom), deref(u.ValidTo)})
	}
	if err := refSheet(f, sheetUnits, ref); err != nil {
		return nil, err
	}
	if kind == models.ImportCounts {
		vi := i18n.VI
		ms := [][]string{{"metric", vi.T("tpl.col.name"), vi.T("tpl.col.group"), vi.T("tpl.col.level"), vi.T("tpl.col.max")}}
		for _, m := range scheme.Metrics {
			ms = append(ms, []string{m.Code, m.NameVI, m.Group, vi.T("tpl.level." + string(m.Level)), present.Max(vi, m.Max)})
		}
		if err := refSheet(f, sheetMetrics, ms); err != nil {
			return nil, err
		}
	}
	notes := [][]string{{sheetNotes}}
	for _, n := range templateNotes[kind] {
		notes = append(notes, []string{i18n.VI.T(n)})
	}
	notes = append(notes, []string{i18n.VI.T("tpl.note.first", sheetData)}, []string{i18n.VI.T("tpl.note.save")})
	if err := refSheet(f, sheetNotes, notes); err != nil {
		return nil, err
	}
	f.SetActiveSheet(0)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, fmt.Errorf("handlers: template: %w", err)
	}
	return buf.Bytes(), nil
}

// deref is a nullable column's text ("" for NULL: no limit).
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// refSheet adds a sheet of plain rows.
func refSheet(f *excelize.File, name string, rows [][]string) error {
	if _, err := f.NewSheet(name); err != nil {
		return fmt.Errorf("handlers: template sheet %s: %w", name, err)
	}
	for i, r := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return fmt.Errorf("handlers: template sheet %s: %w", name, err)
		}
		vals := make([]any, len(r))
		for j, s := range r {
			vals[j] = s
		}
		if err := f.SetSheetRow(name, cell, &vals); err != nil {
			return fmt.Errorf("handlers: template sheet %s: %w", name, err)
		}
	}
	if err := f.SetColWidth(name, "A", "B", 30); err != nil {
		return fmt.Errorf("handlers: template sheet %s: %w", name, err)
	}
	return nil
}

// unitKindOrder puts provinces first, then agencies, districts, communes.
func unitKindOrder(kind string) int {
	for i, k := range scoring.UnitKinds {
		if string(k) == kind {
			return i
		}
	}
	return len(scoring.UnitKinds)
}
