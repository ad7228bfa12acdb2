// Package dossier turns a one-stop information system's exports (the
// procedure catalogue and the dossier records of docs/import-files.md) into the
// counts of the dossier- and catalogue-based metrics, for every unit and
// every month, quarter, half-year and year.
//
// It imports neither the store nor the web layer: a reader streams a file
// into compact records, a Deriver accumulates records from any Source (a
// file, or rows read back from the database) and emits
// map[scoring.Key]scoring.Counts, the engine's Dataset.Dossier.
//
// # Reading
//
// NewDossierReader and NewCatalogueReader stream a CSV or XLSX file
// through internal/tabular, the one reader of imported tables (format
// recognised by content, header matched to DossierKind or CatalogueKind,
// spreadsheet dates turned into ISO 8601 in Vietnam time; at most
// DefaultMaxXLSXRows rows of a sheet, larger exports are refused with
// advice to save them as CSV); DossiersFrom and CatalogueFrom read a table
// the importer opened itself. Every row is validated and every problem
// reported with its row, column and a message of the catalogue
// (tabular.Problem: the first MaxProblems in full, the rest counted by
// kind). Next yields only valid rows: a caller storing them rolls back
// when Refusal is not nil at the end. A dossier file is never held in
// memory: the reader keeps a few batches of rows and 16 bytes per dossier
// code (to refuse a code given twice). Times are hand-parsed; a record is
// 40 bytes (codes interned as int32 ids in Codes tables, times as Unix
// seconds, the 0/1 columns as a bitset).
//
// # Deriving
//
// The Deriver's documentation states how the docs/import-files.md table is read
// (half-open periods, end-time, what is emitted). Accumulation is one
// pass, O(1) per dossier and period kind (difference arrays), and linear:
// Remove undoes Add, so a re-import updates the counters with the old and
// new versions of the dossiers it touched, and DeriveOptions.Periods
// derives only the affected periods again. Judge is the same rule for one
// dossier, for drill-down lists.
//
// A unit's counters can be kept between runs (EncodeUnit, a few kilobytes;
// AddEncoded adds them back; UnitMonths is the exact span of what they
// count): the store keeps them per unit, so that an import adds only its
// changes and derives the periods they touch without reading a stored
// dossier back.
//
// The demo's generator of catalogues and dossier records lives in
// data/demo/dossiergen.
//
// # Speed (2-core virtual machine, 1,000,000 generated dossiers, 154 MB)
//
// Reading, validating and deriving all counts: about 1 s of wall time and
// 60–70 MB peak RSS, the parsing running on its own goroutine; the
// derivation alone (records in memory to every count): about 0.1 s.
// bench/dossiers.sh measures it next to `sqlite3 .import` of the same file;
// go test -bench . ./dossier gives the parts.
package dossier
