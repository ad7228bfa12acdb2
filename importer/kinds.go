package importer

import (
	"scorecard/dossier"
	"scorecard/internal/tabular"
	"scorecard/models"
)

// The kinds of file the importer reads (docs/import-files.md), known by their
// header. In a workbook, a numeric column takes the stored number, whatever
// the cell shows; a period column turns a date cell into YYYY-MM.
var (
	// A units file may say the days each unit exists: both date columns
	// or neither (a file without them keeps the units' dates).
	unitsKind = &tabular.Kind{Name: models.ImportUnits, Label: "file.kind.units", Columns: []tabular.Column{
		{Name: "code"}, {Name: "name"}, {Name: "kind"}, {Name: "parent_code"},
		{Name: "valid_from", Optional: true}, {Name: "valid_to", Optional: true}}}
	// How units became others: merged, split, given a new code.
	changesKind = &tabular.Kind{Name: models.ImportUnitChanges, Label: "file.kind.unit_changes", Columns: []tabular.Column{
		{Name: "code"}, {Name: "successor_code"}, {Name: "change"}, {Name: "effective_from"}}}
	countsKind = &tabular.Kind{Name: models.ImportCounts, Label: "file.kind.counts", Columns: []tabular.Column{
		{Name: "period", Cell: tabular.Period}, {Name: "unit_code"}, {Name: "metric"},
		{Name: "numerator", Cell: tabular.Number}, {Name: "denominator", Cell: tabular.Number}}}
	// Optional: the results the national portal published, for the
	// report's national rank (official.go).
	officialKind = &tabular.Kind{Name: models.ImportOfficial, Label: "file.kind.official", Columns: []tabular.Column{
		{Name: "period", Cell: tabular.Period}, {Name: "unit_code"}, {Name: "total"}, {Name: "rank"}, {Name: "rank_of"}}}

	fileKinds = []*tabular.Kind{unitsKind, countsKind, officialKind, changesKind, dossier.CatalogueKind, dossier.DossierKind}
)

// Formats of files (Report.Format).
const (
	FormatCSV  = tabular.FormatCSV
	FormatXLSX = tabular.FormatXLSX
)
