package handlers

import (
	"context"
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
	// Problems is the refusal, nil when the file is fine.
	Problems *importer.ProblemsError
	// Published are the published periods the file would change: the
	// import is then a correction and needs a written reason.
	Published []models.Publication
}

// previewImport validates the staged file.
func (h *handler) previewImport(ctx context.Context, s *staged) (*importPreview, error) {
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
	return pv, nil
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
