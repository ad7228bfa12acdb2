// Package importer reads the files offices import (formats.md, "Files the
// importer accepts"): CSV or XLSX, recognised by content and header,
// validated row by row against the database and the scoring schemes, then
// written through the store in one transaction. A file with any problem
// changes nothing; every problem is reported with its row, column and an
// explanation in Vietnamese (web) and English (command line).
//
// Units and metric counts files are read whole; procedure catalogues and
// dossier records are streamed through the dossier package and derived into
// counts by the store (dossiers.go).
package importer

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

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

// String is a one-line English summary for the command line.
func (r *Report) String() string {
	what, _ := kindWords(r.Kind)
	s := fmt.Sprintf("%s: %d row(s) of %s imported (%d new, %d changed, %d unchanged)",
		r.FileName, r.Rows, what, r.Inserted, r.Updated, r.Unchanged)
	if isDossierKind(r.Kind) {
		s += fmt.Sprintf("; %d derived count(s) written in %.2f s", r.Derived, r.DeriveTime.Seconds())
	}
	if len(r.Periods) > 0 {
		s += "; periods " + strings.Join(r.Periods, ", ")
	}
	return s
}

// SummaryVI is the same summary in Vietnamese, for the web UI.
func (r *Report) SummaryVI() string {
	_, what := kindWords(r.Kind)
	s := fmt.Sprintf("%s: đã nhập %s dòng %s (%s mới, %s thay đổi, %s không đổi)",
		r.FileName, viInt(r.Rows), what, viInt(r.Inserted), viInt(r.Updated), viInt(r.Unchanged))
	if len(r.Periods) > 0 {
		s += "; kỳ " + strings.Join(r.Periods, ", ")
	}
	return s
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

// Import reads one file whole and writes it in one transaction. name is
// the file's name (its extension is only a hint: the content decides);
// source is cli, web or demo; demo marks what it writes as demo data.
//
// When the file is refused the error is a *ProblemsError listing every
// problem (up to MaxProblems) and nothing was written; other errors are
// failures to read the input or to reach the database.
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
	// Dossier and catalogue CSV files are streamed, whatever their size
	// (dossiers.go); the rest is read whole.
	br := bufio.NewReaderSize(r, sniffBytes)
	if kind := sniffCSV(name, br); kind != "" {
		return im.importStream(ctx, name, kind, FormatCSV, br, sizeOf(r), source, demo)
	}
	limit := im.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	b, err := io.ReadAll(io.LimitReader(br, limit+1))
	if err != nil {
		return nil, fmt.Errorf("importer: read %s: %w", name, err)
	}
	var ps problems
	refuse := func() (*Report, error) { return nil, ps.err(name, im.MaxProblems) }
	// An import made as a correction of published periods
	// (store.WithCorrection) needs a written reason, checked before
	// anything else so that the office is not told about it last.
	if c := store.CorrectionFrom(ctx); c != nil {
		if _, err := store.CheckReason(c.Reason); err != nil {
			ps.addf(0, "", "Lý do điều chỉnh số liệu đã công bố phải dài từ %d đến %d ký tự.",
				"The reason for correcting published figures must be %d to %d characters long.", store.MinReasonLen, store.MaxReasonLen)
			return refuse()
		}
	}
	if int64(len(b)) > limit {
		ps.addf(0, "", "Tệp quá lớn (hơn %s MB). Hãy chia thành nhiều tệp nhỏ hơn.",
			"The file is too large (over %s MB). Split it into smaller files.", viInt(int(limit>>20)))
		return refuse()
	}
	sum := sha256.Sum256(b)

	t := readTable(name, b, &ps)
	if t == nil {
		return refuse()
	}
	k := recognise(t.header)
	if k == nil {
		vi, en := expectedHeaders()
		ps.add(t.headerRow, "",
			fmt.Sprintf("Không nhận ra loại tệp từ dòng tiêu đề %s. %s", quote(strings.Join(t.header, ",")), vi),
			fmt.Sprintf("The kind of file is not recognised from the header row %s. %s", quote(strings.Join(t.header, ",")), en))
		return refuse()
	}
	if isDossierKind(k.name) { // a workbook, or a CSV the first line did not tell
		return im.importStream(ctx, name, k.name, t.format, bytes.NewReader(b), int64(len(b)), source, demo)
	}
	if !k.supported {
		ps.add(t.headerRow, "",
			fmt.Sprintf("Loại tệp %s chưa được hỗ trợ: hiện chỉ nhập được tệp danh sách đơn vị và tệp số liệu chỉ số.", k.vi()),
			fmt.Sprintf("The %s file kind is not supported yet: only units and metric counts files can be imported for now.", k.labelEN))
		return refuse()
	}
	idx := columns(t, k, &ps)
	if !ps.empty() {
		return refuse()
	}
	if len(t.rows) == 0 {
		ps.add(0, "", "Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào.", "The file has a header row but no data rows.")
		return refuse()
	}
	rows := shapeRows(t, idx, &ps)

	rep := &Report{FileName: name, Kind: k.name, Format: t.format, SHA256: hex.EncodeToString(sum[:])}
	imp := &models.Import{FileName: name, SHA256: rep.SHA256, Source: source, Demo: demo}
	var res store.Result
	switch k.name {
	case models.ImportUnits:
		units, err := im.checkUnits(ctx, rows, &ps)
		if err != nil {
			return nil, err
		}
		if !ps.empty() {
			return refuse()
		}
		res, err = im.st.ImportUnits(ctx, imp, units)
		if err != nil {
			return im.storeFailed(name, err, &ps)
		}
	case models.ImportCounts:
		counts, err := im.checkCounts(ctx, rows, &ps)
		if err != nil {
			return nil, err
		}
		if !ps.empty() {
			return refuse()
		}
		res, err = im.st.ImportCounts(ctx, imp, counts)
		if err != nil {
			return im.storeFailed(name, err, &ps)
		}
	case models.ImportOfficial:
		results, err := im.checkOfficial(ctx, rows, &ps)
		if err != nil {
			return nil, err
		}
		if !ps.empty() {
			return refuse()
		}
		res, err = im.st.ImportOfficialResults(ctx, imp, results)
		if err != nil {
			return im.storeFailed(name, err, &ps)
		}
	}
	rep.ImportID, rep.Rows, rep.Inserted, rep.Updated, rep.Unchanged, rep.Periods =
		res.ImportID, res.Rows, res.Inserted, res.Updated, res.Unchanged, res.Periods
	return rep, nil
}

// storeFailed turns a conflict the validation could not foresee (another
// import removed a unit between checking and writing) into a refusal; any
// other error is a database failure.
func (im *Importer) storeFailed(name string, err error, ps *problems) (*Report, error) {
	// A file that would change published periods without a correction
	// (store/publications.go). The store error stays in the chain so that
	// the web layer can offer to import it as a correction.
	var pe *store.PublishedError
	if errors.As(err, &pe) {
		ps.add(0, "", pe.MessageVI(), pe.MessageEN())
		return nil, errors.Join(ps.err(name, im.MaxProblems), pe)
	}
	if errors.Is(err, store.ErrConflict) {
		ps.add(0, "", "Dữ liệu trong cơ sở dữ liệu vừa thay đổi trong lúc nhập (một lần nhập khác chạy cùng lúc?). Không có gì được ghi; hãy nhập lại tệp.",
			"The database changed while the file was being imported (another import at the same time?). Nothing was written; import the file again.")
		return nil, ps.err(name, im.MaxProblems)
	}
	return nil, fmt.Errorf("importer: %s: %w", name, err)
}

// fields is one data row by column name.
type fields struct {
	n     int
	cells map[string]string
}

// shapeRows checks each row's cell count against the header and maps the
// cells to column names. A CSV row must have one cell per header column
// (a shorter row usually means a missing separator, and guessing which cell
// is missing could put a number in the wrong column); a spreadsheet row
// simply stores no trailing empty cells. Cells beyond the header must be
// empty.
func shapeRows(t *table, idx map[string]int, ps *problems) []fields {
	out := make([]fields, 0, len(t.rows))
	width := len(t.header)
	for _, r := range t.rows {
		if !t.padded && len(r.cells) < width {
			ps.addf(r.n, "", "Dòng có %d ô nhưng dòng tiêu đề có %d cột: có thể thiếu dấu phân cách.",
				"The row has %d cells but the header has %d columns: a separator may be missing.", len(r.cells), width)
			continue
		}
		extra := false
		for i := width; i < len(r.cells); i++ {
			if r.cells[i] != "" {
				ps.addf(r.n, "", "Dòng có dữ liệu ở ô thứ %d, ngoài %d cột của dòng tiêu đề (thừa dấu phân cách, hoặc một ô có dấu phẩy mà không bao trong ngoặc kép?).",
					"The row has data in cell %d, beyond the %d columns of the header (an extra separator, or a cell with a comma not enclosed in quotes?).", i+1, width)
				extra = true
				break
			}
		}
		if extra {
			continue
		}
		f := fields{n: r.n, cells: make(map[string]string, len(idx))}
		for name, i := range idx {
			if i < len(r.cells) {
				f.cells[name] = r.cells[i]
			}
		}
		out = append(out, f)
	}
	return out
}
