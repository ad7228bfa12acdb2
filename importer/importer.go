// Package importer reads the files offices import (docs/import-files.md): CSV or XLSX, recognised by content and header,
// validated row by row against the database and the scoring schemes, then
// written through the store in one transaction. A file with any problem
// changes nothing; every problem is reported with its row, column and an
// explanation worded from the message catalogue (i18n) in the reader's
// language: Vietnamese on the web, English or Vietnamese on the command
// line.
//
// Every file is streamed by internal/tabular, the one reader of tables.
// Units, metric counts and official results are checked row by row and
// their valid rows written together; procedure catalogues and dossier
// records are checked by the dossier package and derived into counts by
// the store (dossiers.go).
package importer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"scorecard/dossier"
	"scorecard/internal/tabular"
	"scorecard/models"
	"scorecard/scoring"
	"scorecard/store"
)

// DefaultMaxBytes is the largest file accepted: a province's monthly counts
// are a few hundred kilobytes; 20 000 rows of CSV about 1 MB.
const DefaultMaxBytes = 64 << 20

// Importer validates files and writes them through the store.
type Importer struct {
	st      *store.Store
	schemes *scoring.Schemes
	// MaxBytes caps the size of a file (DefaultMaxBytes).
	MaxBytes int64
	// MaxProblems caps the problems listed for one file
	// (DefaultMaxProblems); the rest are counted.
	MaxProblems int
	// Progress, when set, is told how far a dossier file has been read,
	// every few thousand rows (a progress bar on the command line). A
	// context made by WithProgress overrides it for one import.
	Progress func(Progress)
}

type progressKey struct{}

// WithProgress returns a context whose imports report to fn instead of
// the importer's Progress: an importer is shared by every web request, and
// each web import shows its own progress.
func WithProgress(ctx context.Context, fn func(Progress)) context.Context {
	return context.WithValue(ctx, progressKey{}, fn)
}

// progressOf is the progress function for an import under ctx.
func (im *Importer) progressOf(ctx context.Context) func(Progress) {
	if fn, ok := ctx.Value(progressKey{}).(func(Progress)); ok && fn != nil {
		return fn
	}
	return im.Progress
}

// New returns an importer writing to st; metric codes are checked against
// every scheme version in schemes.
func New(st *store.Store, schemes *scoring.Schemes) *Importer {
	return &Importer{st: st, schemes: schemes, MaxBytes: DefaultMaxBytes, MaxProblems: DefaultMaxProblems}
}

// Store is the store the importer writes to, and Schemes the schemes it
// checks metric codes against: the command line publishes the demo data
// set it loads with them.
func (im *Importer) Store() *store.Store { return im.st }

// Schemes: see Store.
func (im *Importer) Schemes() *scoring.Schemes { return im.schemes }

// Report says what an import did.
type Report struct {
	ImportID uint
	FileName string
	Kind     string // models.ImportUnits, ImportCounts, ImportOfficial, …
	Format   string // FormatCSV or FormatXLSX
	SHA256   string
	// Rows is the number of data rows; Inserted + Updated + Unchanged = Rows.
	Rows      int
	Inserted  int
	Updated   int
	Unchanged int
	// Periods lists the periods the file touched, oldest first (counts);
	// for a catalogue or dossier file, the periods whose derived counts
	// changed.
	Periods []string
	// Derived is the number of derived counts written again (catalogue
	// and dossier files), in DeriveTime.
	Derived    int
	DeriveTime time.Duration
}

// ImportFile imports the file at path; the demo flag follows the source.
func (im *Importer) ImportFile(ctx context.Context, path, source string) (*Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("importer: %w", err)
	}
	defer func() { _ = f.Close() }()
	return im.Import(ctx, filepath.Base(path), f, source, source == models.SourceDemo)
}

// Import reads one file and writes it in one transaction. name is the
// file's name (its extension is only a hint: the content decides); source
// is cli, web or demo; demo marks what it writes as demo data.
//
// The file is streamed (internal/tabular): whatever it holds, the memory
// spent on reading and checking it is bounded, except for the valid rows
// of a units, counts or official results file, which are written
// together (MaxBytes bounds those files).
//
// When the file is refused the error is a *ProblemsError listing the
// problems (the first MaxProblems in full, the rest counted by kind) and
// nothing was written; other errors are failures to read the input or to
// reach the database.
//
// A file that would change published periods is refused (the error then
// also holds a *store.PublishedError) unless ctx carries a correction with
// its reason (store.WithCorrection); who imports is taken from
// store.WithActor, for the audit trail.
func (im *Importer) Import(ctx context.Context, name string, r io.Reader, source string, demo bool) (*Report, error) {
	switch source {
	case models.SourceCLI, models.SourceWeb, models.SourceDemo:
	default:
		return nil, fmt.Errorf("importer: unknown source %q", source)
	}
	// A browser on Windows may send "C:\…\file.csv".
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	if IsBoundaries(name) {
		return im.importBoundaries(ctx, name, r, source, demo)
	}
	ps := &tabular.Problems{Max: im.maxProblems()}
	refuse := func() (*Report, error) { return nil, ps.Err(name) }
	// An import made as a correction of published periods
	// (store.WithCorrection) needs a written reason, checked before
	// anything else so that the office is not told about it last.
	if c := store.CorrectionFrom(ctx); c != nil {
		if _, err := store.CheckReason(c.Reason); err != nil {
			ps.Add(0, "", "file.import.reason", store.MinReasonLen, store.MaxReasonLen)
			return refuse()
		}
	}
	t := tabular.Open(name, r, ps, tabular.Options{MaxXLSXRows: dossier.DefaultMaxXLSXRows})
	defer t.Close()
	if err := t.Err(); err != nil {
		return nil, fmt.Errorf("importer: %w", err)
	}
	if t.Header() == nil {
		return refuse()
	}
	k := tabular.Recognise(fileKinds, t.Header())
	if k == nil {
		ps.Add(t.HeaderRow(), "", "file.import.unrecognised", tabular.Quote(bytes.Join(t.Header(), []byte(","))),
			strings.Join(unitsKind.ColumnNames(), ","), strings.Join(countsKind.ColumnNames(), ","))
		return refuse()
	}
	if k == dossier.CatalogueKind || k == dossier.DossierKind {
		return im.importStream(ctx, name, k, t, ps, sizeOf(r), source, demo)
	}
	if !t.SetKind(k) {
		return refuse()
	}
	limit := im.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	var check rowChecker
	var err error
	switch k {
	case unitsKind:
		if t.Has("valid_from") != t.Has("valid_to") {
			missing := "valid_from"
			if t.Has("valid_from") {
				missing = "valid_to"
			}
			ps.Add(t.HeaderRow(), missing, "file.units.dates.both", missing)
			return refuse()
		}
		check, err = im.newUnitsCheck(ctx, ps, t.Has("valid_from"))
	case changesKind:
		check, err = im.newChangesCheck(ctx, ps)
	case countsKind:
		check, err = im.newCountsCheck(ctx, ps)
	default:
		check, err = im.newOfficialCheck(ctx, ps)
	}
	if err != nil {
		return nil, err
	}
	rows := 0
	tooBig := t.Size() > limit
	for !tooBig && t.Next() {
		rows++
		check.row(newFields(t.Row(), k, t.Cells()))
		tooBig = t.Bytes() > limit
	}
	if tooBig {
		ps.Add(0, "", "file.import.too_big", tabular.Int(limit>>20))
		return refuse()
	}
	if err := t.Err(); err != nil {
		return nil, fmt.Errorf("importer: %w", err)
	}
	if ps.Empty() && rows == 0 {
		ps.Add(0, "", "file.import.no_rows")
	}
	check.finish()
	if !ps.Empty() {
		return refuse()
	}
	sum, err := t.SHA256()
	if err != nil {
		return nil, fmt.Errorf("importer: %w", err)
	}
	rep := &Report{FileName: name, Kind: k.Name, Format: t.Format(), SHA256: sum}
	imp := &models.Import{FileName: name, SHA256: sum, Source: source, Demo: demo}
	res, err := check.store(ctx, imp)
	if err != nil {
		return im.storeFailed(name, err, ps)
	}
	rep.ImportID, rep.Rows, rep.Inserted, rep.Updated, rep.Unchanged, rep.Periods =
		res.ImportID, res.Rows, res.Inserted, res.Updated, res.Unchanged, res.Periods
	return rep, nil
}

// rowChecker validates the rows of one kind of file as they are read,
// keeping the valid ones, and writes them.
type rowChecker interface {
	row(r fields)
	// finish checks what needs the whole file (units: their parents).
	finish()
	store(ctx context.Context, imp *models.Import) (store.Result, error)
}

// storeFailed turns a conflict the validation could not foresee (another
// import removed a unit between checking and writing) into a refusal; any
// other error is a database failure.
func (im *Importer) storeFailed(name string, err error, ps *tabular.Problems) (*Report, error) {
	// A file that would change published periods without a correction
	// (store/publications.go). The store error stays in the chain so that
	// the web layer can offer to import it as a correction.
	var pe *store.PublishedError
	if errors.As(err, &pe) {
		addPublished(ps, pe)
		return nil, errors.Join(ps.Err(name), pe)
	}
	if errors.Is(err, store.ErrConflict) {
		ps.Add(0, "", "file.import.conflict")
		return nil, ps.Err(name)
	}
	return nil, fmt.Errorf("importer: %s: %w", name, err)
}

// addPublished reports the published periods a file would change.
func addPublished(ps *tabular.Problems, pe *store.PublishedError) {
	periods := make(tabular.List, len(pe.Periods))
	for i, p := range pe.Periods {
		periods[i] = tabular.M("file.import.published.period", p.Period, tabular.Date(p.PublishedAt.In(scoring.Location)))
	}
	key := "file.import.published"
	if pe.Demo() {
		key = "file.import.published.demo"
	}
	ps.Add(0, "", key, periods)
}

// fields is one data row: its number and its cells by column name.
type fields struct {
	n     int
	kind  *tabular.Kind
	cells []string
}

func newFields(n int, k *tabular.Kind, cells [][]byte) fields {
	f := fields{n: n, kind: k, cells: make([]string, len(cells))}
	for i, c := range cells {
		f.cells[i] = string(c)
	}
	return f
}

// get is the cell of the named column.
func (f fields) get(col string) string {
	for i, c := range f.kind.Columns {
		if c.Name == col {
			return f.cells[i]
		}
	}
	return ""
}

// interner keeps one copy of the strings the valid rows of a file repeat
// (periods, unit and metric codes).
type interner map[string]string

func (in interner) of(s string) string {
	if v, ok := in[s]; ok {
		return v
	}
	in[s] = s
	return s
}
