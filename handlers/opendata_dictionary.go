package handlers

import (
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/export"
	"scorecard/handlers/site"
	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scorecache"
	"scorecard/scoring"
)

// The data dictionary (/open-data/dictionary): every column of every open
// data file, its type and its meaning, in Vietnamese with the English
// name. The columns are read from the same export builders that write the
// files, so a column added there without a description here shows up in
// the test (TestDictionaryCoversEveryColumn), not silently on the page.

// columnDict are the fixed columns of scores and counts; each has its
// meaning ("dict.meaning.<key>") and English name ("dict.name.<key>") in
// the catalogue. Group columns are named by the scheme's group codes and
// described from it.
var columnDict = map[string]bool{
	"period": true, "unit_code": true, "unit_name": true, "kind": true, "parent_code": true, "rank": true,
	"rank_of": true, "total": true, "max_total": true, "band": true, "total_change": true, "rank_change": true,
	"note": true, "metric": true, "numerator": true, "denominator": true, "official_rank": true, "official_rank_of": true,
	"official": true, "official_groups": true, "official_only_groups": true, "official_note": true,
}

// kindType is the catalogue's word ("dict.type.<kind>") for a column kind.
func kindType(k export.Kind) string {
	switch k {
	case export.Text:
		return "text"
	case export.Score:
		return "score"
	case export.Percent:
		return "percent"
	case export.Int:
		return "int"
	case export.BandKind:
		return "band"
	case export.Date:
		return "date"
	case export.DateTime:
		return "datetime"
	case export.Number:
		return "number"
	case export.Bool:
		return "bool"
	case export.GroupsKind:
		return "groups"
	}
	return ""
}

// dictRow is one column on the page. The meaning is in Vietnamese, the
// language of the files (the page says so in English); Name is the
// English name; Type is in the page's language, TypeEN its English form.
type dictRow struct {
	Key, Title    string
	Type, TypeEN  string
	Meaning, Name string
	Known         bool // described (false: a column this page misses)
}

// typeWords is a type's words in the page's language and in English.
func typeWords(l i18n.Lang, typ string) (string, string) {
	if typ == "" {
		return "", ""
	}
	return l.T("dict.type." + typ), i18n.EN.T("dict.type." + typ)
}

// dictColumns describes a table's columns; group columns from the scheme.
func dictColumns(l i18n.Lang, t export.Table, s *scoring.Scheme) []dictRow {
	var out []dictRow
	for _, c := range t.Columns {
		r := dictRow{Key: c.Key, Title: c.Title}
		r.Type, r.TypeEN = typeWords(l, kindType(c.Kind))
		if r.Type == "" {
			r.Type, r.TypeEN = string(c.Kind), string(c.Kind)
		}
		switch g := s.Group(c.Key); {
		case c.Key == "band":
			r.Meaning, r.Name, r.Known = i18n.VI.T("dict.meaning.band", bandsVI(s)), i18n.EN.T("dict.name.band"), true
		case columnDict[c.Key]:
			r.Meaning, r.Name, r.Known = i18n.VI.T("dict.meaning."+c.Key), i18n.EN.T("dict.name."+c.Key), true
		case g != nil:
			r.Meaning = i18n.VI.T("dict.meaning.group", g.NameVI, present.Max(i18n.VI, g.Max))
			r.Name, r.Known = i18n.EN.T("dict.name.group", g.NameEN), true
		default:
			r.Meaning, r.Name = c.Title, c.Key
		}
		out = append(out, r)
	}
	return out
}

// bandsVI lists the scheme's bands with their lower limits: ": Xuất sắc
// (từ 90 điểm), Tốt (từ 80 điểm)…".
func bandsVI(s *scoring.Scheme) string {
	var parts []string
	for _, b := range s.Bands {
		if b.Min > 0 {
			parts = append(parts, i18n.VI.T("dict.band.from", b.NameVI, present.Max(i18n.VI, b.Min)))
		} else {
			parts = append(parts, b.NameVI)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return ": " + strings.Join(parts, ", ")
}

// dictFile is one file of the dictionary.
type dictFile struct {
	ID, Name, Intro string
	Columns         []dictRow
}

// dictField is a field of a JSON file: its key, its type and its words in
// the catalogue ("dict.<ID>.meaning", "dict.<ID>.name").
type dictField struct{ Key, Type, ID string }

func dictFields(l i18n.Lang, fs []dictField) []dictRow {
	out := make([]dictRow, 0, len(fs))
	for _, f := range fs {
		r := dictRow{Key: f.Key, Meaning: i18n.VI.T("dict." + f.ID + ".meaning"), Name: i18n.EN.T("dict." + f.ID + ".name"), Known: true}
		r.Type, r.TypeEN = typeWords(l, f.Type)
		out = append(out, r)
	}
	return out
}

// jsonFields describe the envelope of scores.json (export.WriteJSON).
var jsonFields = []dictField{
	{Key: "title", Type: "str", ID: "json.title"},
	{Key: "period", Type: "str", ID: "json.period"},
	{Key: "period_label", Type: "str", ID: "json.period_label"},
	{Key: "scheme", Type: "str", ID: "json.scheme"},
	{Key: "exported_at", Type: "datetime_null", ID: "json.exported_at"},
	{Key: "source", Type: "str", ID: "json.source"},
	{Key: "filters", Type: "filters", ID: "json.filters"},
	{Key: "notes", Type: "strings", ID: "json.notes"},
	{Key: "tables[].name / key", Type: "str", ID: "json.table"},
	{Key: "tables[].columns[]", Type: "columns", ID: "json.columns"},
	{Key: "tables[].rows[]", Type: "objects", ID: "json.rows"},
}

// schemeFields describe scheme.json (the API's /api/v1/scheme).
var schemeFields = []dictField{
	{Key: "id, title, legal_basis, effective_from", Type: "str", ID: "scheme.identity"},
	{Key: "max_total", Type: "decimal", ID: "scheme.max_total"},
	{Key: "threshold_unit", Type: "str", ID: "scheme.threshold_unit"},
	{Key: "groups[]", Type: "array", ID: "scheme.groups"},
	{Key: "metrics[]", Type: "array", ID: "scheme.metrics"},
	{Key: "bands[]", Type: "array", ID: "scheme.bands"},
	{Key: "versions[]", Type: "array", ID: "scheme.versions"},
}

// dictionaryPage is the data dictionary.
type dictionaryPage struct {
	site.Layout
	Files  []dictFile
	Scheme string
}

// dictionaryFiles builds the description of every file from the builders
// (ps: any period's scores, for the scheme's group columns).
func dictionaryFiles(l i18n.Lang, ps *scoring.PeriodScores) []dictFile {
	scores := export.WithNationalRanks(export.ScoresTable(ps, nil, ""), nil)
	counts := export.CountsTable(ps, "", true)
	return []dictFile{
		{ID: "scores", Name: "scores.csv", Intro: i18n.VI.T("dict.intro.scores"),
			Columns: dictColumns(l, scores, ps.Scheme)},
		{ID: "counts", Name: "counts.csv", Intro: i18n.VI.T("dict.intro.counts"),
			Columns: dictColumns(l, counts, ps.Scheme)},
		{ID: "json", Name: "scores.json", Intro: i18n.VI.T("dict.intro.json"),
			Columns: dictFields(l, jsonFields)},
		{ID: "xlsx", Name: "scores.xlsx", Intro: i18n.VI.T("dict.intro.xlsx")},
		{ID: "scheme", Name: "scheme.json", Intro: i18n.VI.T("dict.intro.scheme"),
			Columns: dictFields(l, schemeFields)},
	}
}

// openDataDictionary is /open-data/dictionary.
func (h *handler) openDataDictionary(c *fiber.Ctx) error {
	eng, err := h.Engine(c)
	if err != nil {
		return err
	}
	demo, err := h.Scores.Demo(c.UserContext())
	if err != nil {
		return fmt.Errorf("handlers: demo flag: %w", err)
	}
	periods, err := site.PublishedPeriods(c, eng) // published periods only
	if err != nil {
		return err
	}
	ps, err := h.PeriodScores(c, scorecache.DefaultPeriod(periods, time.Now()))
	if err != nil {
		return err
	}
	v := dictionaryPage{Files: dictionaryFiles(site.Lang(c), ps), Scheme: export.SchemeLabel(ps.Scheme),
		Layout: site.Layout{Title: site.Lang(c).T("dictionary.title"), Nav: "opendata", Demo: demo}}
	return h.Render(c, fiber.StatusOK, "dictionary", &v)
}
