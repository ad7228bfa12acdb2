package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"scorecard/dossier"
	"scorecard/importer"
	"scorecard/models"
	"scorecard/scoring"
	"scorecard/store"
)

// The preview of a web import. The importer validates a file and writes it
// in one transaction, and has no mode that only validates. The preview
// therefore imports the file into a throwaway database that holds the
// reference data the importer checks files against (every unit, and every
// procedure code for dossier files) and nothing else: every problem the real
// import would report for the file itself is reported, by row and column,
// and nothing is written to the real database. What depends on the data
// already there is then read from the real database: which published
// periods the file would change (a correction, which needs a reason). The
// real import, on confirmation, validates everything again, so data that
// changed in between cannot slip through.

// importPreview is what the preview found.
type importPreview struct {
	Report *importer.Report
	// Problems is the refusal, nil when the file is fine. Not kept with
	// the upload: a refusal is kept as its messages (refusalOf).
	Problems *importer.ProblemsError `json:"-"`
	// Published are the published periods the file would change: the
	// import is then a correction and needs a written reason.
	Published []models.Publication
	// Changes are the units whose total the file changes, in each of its
	// periods (a counts file only), at most maxPreviewChanges of them;
	// Changed counts them all.
	Changes []totalChange
	Changed int
	// ChangedUnits and ChangedPeriods count the units of the file and the
	// periods among all the changes; ChangedOthers the units not in the
	// file whose total moves with it (the province, computed from its
	// units; units that take the province's figures), which a count of
	// "the file's units" must not include.
	ChangedUnits, ChangedPeriods, ChangedOthers int
	// Pooled are the quarters, halves and years, not among the file's
	// periods, that contain a month whose counts the file changes, each
	// after the months it ends with, shorter first: their totals are
	// computed from the months, so the import may change them too.
	// They are found by containment and not scored, as scoring a year
	// reads every count of its twelve months (a national file's preview
	// would take several times as long); the summary names them, as the
	// correction box lists those of them that are published.
	Pooled []string `json:",omitempty"`
	// Portal is what a capture of the national portal holds (its
	// preview); nil for a table.
	Portal *portalPreview
}

// totalChange is one unit's total in one period before and after a file.
type totalChange struct {
	Period           scoring.Period
	Unit             scoring.Unit
	Old, New         scoring.Cents
	OldData, NewData bool // whether the unit has counts before, after
}

// changeJSON is a totalChange as the upload's row keeps it (the preview
// is shown by whichever process the confirmation reaches).
type changeJSON struct {
	Period           scoring.Period
	Unit             scoring.Unit
	Old, New         int64
	OldData, NewData bool
}

func (c totalChange) MarshalJSON() ([]byte, error) {
	return json.Marshal(changeJSON{Period: c.Period, Unit: c.Unit, Old: int64(c.Old), New: int64(c.New), OldData: c.OldData, NewData: c.NewData})
}

func (c *totalChange) UnmarshalJSON(b []byte) error {
	var w changeJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return fmt.Errorf("handlers: a change of the preview: %w", err)
	}
	*c = totalChange{Period: w.Period, Unit: w.Unit, Old: scoring.Cents(w.Old), New: scoring.Cents(w.New), OldData: w.OldData, NewData: w.NewData}
	return nil
}

// maxPreviewChanges bounds the changes a preview lists: a province's file
// touches a few hundred units a month, a file of years of them thousands,
// which nobody reads on a page; the count of the rest is said.
const maxPreviewChanges = 500

// previewImport validates the staged file.
func (h *handler) previewImport(ctx context.Context, s *staged) (*importPreview, error) {
	if s.portal != nil {
		return h.previewPortal(ctx, s)
	}
	dir, err := os.MkdirTemp(filepath.Dir(s.path), "preview-")
	if err != nil {
		return nil, fmt.Errorf("handlers: preview folder: %w", err)
	}
	defer func() { _ = os.RemoveAll(dir) }()
	scratch, err := store.Open(ctx, store.Config{Driver: store.DriverSQLite, DSN: filepath.Join(dir, "preview.db")})
	if err != nil {
		return nil, fmt.Errorf("handlers: preview database: %w", err)
	}
	defer func() { _ = scratch.Close() }()
	seeded, err := h.seedPreview(ctx, scratch)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(s.path)
	if err != nil {
		return nil, fmt.Errorf("handlers: preview: %w", err)
	}
	defer func() { _ = f.Close() }()
	im := importer.New(scratch, h.Scores.Schemes())
	im.MaxBytes = h.uploadLimit()
	rep, err := im.Import(ctx, s.name, f, models.SourceWeb, false)
	var pe *importer.ProblemsError
	switch {
	case errors.As(err, &pe):
		return &importPreview{Problems: pe}, nil
	case err != nil:
		return nil, fmt.Errorf("handlers: preview: %w", err)
	}
	// The seed's own periods change in the throwaway database once the
	// file's dossiers move the derivation elsewhere; the real database
	// has no such periods, so they are not the file's.
	kept := rep.Periods[:0:0]
	for _, p := range rep.Periods {
		if !seeded[p] {
			kept = append(kept, p)
		}
	}
	rep.Periods = kept
	pv := &importPreview{Report: rep}
	if len(rep.Periods) > 0 {
		if pv.Published, err = h.st.PublishedAmong(ctx, rep.Kind, rep.Periods); err != nil {
			return nil, fmt.Errorf("handlers: preview: %w", err)
		}
	}
	if rep.Kind == models.ImportCounts {
		if err := h.totalChanges(ctx, scratch, rep.Periods, pv); err != nil {
			return nil, err
		}
	}
	return pv, nil
}

// totalChanges scores the file's periods with the real database's counts
// and again with the file's counts put over them (the throwaway database
// holds the file's counts only), and lists the units whose total or
// whose having data changes: what the office checks before confirming.
// Counts files only: a dossier file's counts are derived together with the
// dossiers already imported, which the throwaway database does not hold.
//
// A period's scores read the counts of the period and of its months only
// (store.PeriodCounts), so each period is scored from those, with the
// scores service's units, as the service scores it after the import: a
// national month costs the reading of that month, not of every count.
func (h *handler) totalChanges(ctx context.Context, scratch *store.Store, periods []string, pv *importPreview) error {
	eng, err := h.Scores.Engine(ctx)
	if err != nil {
		return fmt.Errorf("handlers: preview changes: %w", err)
	}
	units, others := map[string]bool{}, map[string]bool{}
	var moved []scoring.Period // months whose counts the file changes
	for _, code := range periods {
		p, err := scoring.ParsePeriod(code)
		if err != nil {
			continue
		}
		real, _, err := h.st.PeriodCounts(ctx, p)
		if err != nil {
			return fmt.Errorf("handlers: preview changes: %w", err)
		}
		file, _, err := scratch.PeriodCounts(ctx, p)
		if err != nil {
			return fmt.Errorf("handlers: preview changes: %w", err)
		}
		if p.Kind == scoring.Month && countsDiffer(file.Own, real.Own) {
			moved = append(moved, p)
		}
		// The scores are computed whole by ScoreFrom and keep no hold on
		// the counts, so the period's counts, read for this preview alone,
		// take the file's over them for the second scoring instead of
		// being copied (a national month is 70 000 counts).
		old := eng.ScoreFrom(p, real)
		inFile := map[string]bool{}
		for k, c := range file.Own {
			real.Own[k] = c
			inFile[k.Unit] = true
		}
		cur := eng.ScoreFrom(p, real)
		var changes []totalChange
		for _, u := range eng.Units() { // by kind, then name
			code := u.Code
			nu := cur.Unit(code)
			if nu == nil || !nu.Exists {
				continue
			}
			c := totalChange{Period: p, Unit: nu.Unit, New: nu.Total, NewData: nu.HasData}
			if ou := old.Unit(code); ou != nil {
				c.Old, c.OldData = ou.Total, ou.HasData
			}
			if c.Old != c.New || c.OldData != c.NewData {
				changes = append(changes, c)
			}
		}
		// The largest changes first; equal ones by kind, then name.
		sort.SliceStable(changes, func(i, j int) bool {
			return abs(changes[i].New-changes[i].Old) > abs(changes[j].New-changes[j].Old)
		})
		pv.Changed += len(changes)
		if len(changes) > 0 {
			pv.ChangedPeriods++
		}
		for _, c := range changes {
			if inFile[c.Unit.Code] {
				units[c.Unit.Code] = true
			} else {
				others[c.Unit.Code] = true
			}
		}
		if room := maxPreviewChanges - len(pv.Changes); room > 0 {
			pv.Changes = append(pv.Changes, changes[:min(room, len(changes))]...)
		}
	}
	for code := range others {
		if units[code] { // in the file in another period
			delete(others, code)
		}
	}
	pv.ChangedUnits, pv.ChangedOthers = len(units), len(others)
	pv.Pooled = pooledPeriods(moved, periods)
	return nil
}

// countsDiffer reports whether the file's counts of a month differ from
// those held (a new row, or other figures): a month whose counts differ
// may change its longer periods even when none of its own totals moves
// (equal ratios over other denominators weigh differently in a sum).
func countsDiffer(file, real map[scoring.Key]scoring.Counts) bool {
	for k, c := range file {
		if rc, ok := real[k]; !ok || rc != c {
			return true
		}
	}
	return false
}

// pooledPeriods lists the quarters, halves and years that contain one of
// months and are not among the file's own periods (those are scored), each
// after the months it ends with and shorter first ("Quý II/2024, 6 tháng
// đầu năm 2024 và Năm 2024"). Each of them has data after the import, as
// its month does, and each one published is also in the correction box,
// which lists the published periods containing the file's months.
func pooledPeriods(months []scoring.Period, own []string) []string {
	skip := map[string]bool{}
	for _, code := range own {
		skip[code] = true
	}
	var out []scoring.Period
	for _, m := range months {
		for _, k := range scoring.PeriodKinds[1:] {
			p := scoring.Containing(m, k)
			if !skip[p.String()] {
				skip[p.String()] = true
				out = append(out, p)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if !a.End().Equal(b.End()) {
			return a.End().Before(b.End())
		}
		return len(a.Months()) < len(b.Months())
	})
	codes := make([]string, len(out))
	for i, p := range out {
		codes[i] = p.String()
	}
	return codes
}

func abs(c scoring.Cents) scoring.Cents {
	if c < 0 {
		return -c
	}
	return c
}

// seedPreview copies the reference data into the throwaway database: the
// units (parents first) with the days they exist and the changes between
// them, and a catalogue naming every known procedure, so that a file is
// checked against the same units, days and codes as the real import. It
// returns the periods the seed catalogue derived counts for.
func (h *handler) seedPreview(ctx context.Context, scratch *store.Store) (map[string]bool, error) {
	units, err := h.st.Units(ctx)
	if err != nil {
		return nil, fmt.Errorf("handlers: preview units: %w", err)
	}
	if len(units) == 0 {
		return nil, nil
	}
	rows := make([]store.UnitRow, 0, len(units))
	var holder string // a unit that may hold a catalogue (not a province)
	for _, u := range units {
		row := store.UnitRow{Code: u.Code, Name: u.Name, Kind: u.Kind, ParentCode: u.Parent(), Dates: true}
		if u.ValidFrom != nil {
			row.ValidFrom = *u.ValidFrom
		}
		if u.ValidTo != nil {
			row.ValidTo = *u.ValidTo
		}
		rows = append(rows, row)
		if holder == "" && u.Kind != models.KindProvince {
			holder = u.Code
		}
	}
	if _, err := scratch.ImportUnits(ctx, &models.Import{FileName: "preview-units", Source: models.SourceWeb}, rows); err != nil {
		return nil, fmt.Errorf("handlers: preview units: %w", err)
	}
	changes, err := h.st.UnitChanges(ctx)
	if err != nil {
		return nil, fmt.Errorf("handlers: preview unit changes: %w", err)
	}
	if len(changes) > 0 {
		if _, err := scratch.ImportUnitChanges(ctx, &models.Import{FileName: "preview-unit-changes", Source: models.SourceWeb}, changes); err != nil {
			return nil, fmt.Errorf("handlers: preview unit changes: %w", err)
		}
	}
	codes, err := h.st.ProcedureCodes(ctx)
	if err != nil {
		return nil, fmt.Errorf("handlers: preview procedures: %w", err)
	}
	if len(codes) == 0 || holder == "" {
		return nil, nil
	}
	list := make([]string, 0, len(codes))
	for c := range codes {
		list = append(list, c)
	}
	sort.Strings(list)
	procs := make([]dossier.Procedure, len(list))
	for i, c := range list {
		procs[i] = dossier.Procedure{Code: c, Name: c}
	}
	cat := dossier.NewCatalogue()
	// The month is of no consequence: only the codes are checked.
	cat.Set(dossier.State{Unit: holder, Month: scoring.Period{Kind: scoring.Month, Year: 2000, N: 1}, Procedures: procs})
	res, err := scratch.ImportCatalogue(ctx, &models.Import{FileName: "preview-procedures", Source: models.SourceWeb}, cat)
	if err != nil {
		return nil, fmt.Errorf("handlers: preview procedures: %w", err)
	}
	seeded := map[string]bool{}
	for _, p := range res.Periods {
		seeded[p] = true
	}
	return seeded, nil
}
