package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"scorecard/dossier"
	"scorecard/internal/tabular"
	"scorecard/models"
	"scorecard/scoring"
	"scorecard/store"
)

// Procedure catalogues and dossier records (docs/import-files.md) are read by the
// dossier package's streaming readers and written by the store in one
// transaction, which also derives their counts again. A dossier file is
// never held in memory, whatever its size (MaxBytes does not apply).
//
// The rules checked against the database:
//   - every unit must exist and not be a province: a province's counts are
//     the pool of its units' (scoring.md §4), so its own dossiers would be
//     counted twice, or hide its units';
//   - a dossier's procedure must be known to the catalogue: listed in some
//     unit's catalogue, some month. Not necessarily its own unit's at its
//     month: catalogues lag behind the one-stop system, and refusing a
//     month of dossiers for that would help nobody. Such a dossier counts
//     in the dossier metrics and not in the catalogue ones, which count
//     the procedures of the unit's catalogue.

// Progress is how far a long import has got, for a progress bar.
type Progress struct {
	Rows  int   // data rows read
	Bytes int64 // bytes of the file read
	Size  int64 // the file's size; 0 when unknown
	Done  bool  // the whole file is read (storing and deriving may go on)
}

// progressEvery is how often, in rows, Progress is called.
const progressEvery = 1 << 14

// sizeOf is the size of what r reads, when r can tell.
func sizeOf(r io.Reader) int64 {
	switch v := r.(type) {
	case interface{ Size() int64 }:
		return v.Size()
	case *os.File:
		if fi, err := v.Stat(); err == nil && fi.Mode().IsRegular() {
			return fi.Size()
		}
	}
	return 0
}

// importStream imports a catalogue or a dossier file, whose table t is
// open at its header.
func (im *Importer) importStream(ctx context.Context, name string, k *tabular.Kind, t *tabular.Reader, ps *tabular.Problems, size int64, source string, demo bool) (*Report, error) {
	units, _, err := im.unitsOverTime(ctx)
	if err != nil {
		return nil, err
	}
	opts := dossier.ReadOptions{
		MaxProblems: im.maxProblems(),
		SizeHint:    size,
		UnitKnown:   func(code string) bool { _, ok := units[code]; return ok },
		UnitProblem: func(code string) tabular.Msg {
			if units[code].Kind != scoring.KindProvince {
				return tabular.Msg{}
			}
			return tabular.M("file.unit.province", tabular.Quote(code))
		},
		// Dossiers received, and catalogue months, within the unit's days.
		UnitDays: func(code string) dossier.Days {
			s := spanOf(units[code])
			var d dossier.Days
			if !s.from.IsZero() {
				d.From = s.from.Unix()
			}
			if !s.to.IsZero() {
				d.Until = s.to.Unix()
			}
			return d
		},
		UnitOutside: func(code string, from, to int64) tabular.Msg {
			u := units[code]
			at := time.Unix(from, 0).In(scoring.Location)
			if to-from <= 1 { // a dossier's time of receipt
				return tabular.M("file.unit.outside.day", tabular.Quote(code), tabular.Date(at), spanOf(u).msg())
			}
			return outside(u, scoring.Period{Kind: scoring.Month, Year: at.Year(), N: int(at.Month())})
		},
	}
	rep := &Report{FileName: name, Kind: k.Name, Format: t.Format()}
	imp := &models.Import{FileName: name, Source: source, Demo: demo}
	var res store.DossierResult
	if k == dossier.CatalogueKind {
		cat, err := dossier.CatalogueFrom(t, ps, opts).Catalogue(name)
		var pe *ProblemsError
		switch {
		case errors.As(err, &pe):
			return nil, pe
		case err != nil:
			return nil, fmt.Errorf("importer: read %s: %w", name, err)
		case len(cat.Units()) == 0:
			ps.Add(0, "", "file.import.no_rows")
			return nil, ps.Err(name)
		}
		if imp.SHA256, err = t.SHA256(); err != nil {
			return nil, fmt.Errorf("importer: %w", err)
		}
		if res, err = im.st.ImportCatalogue(ctx, imp, cat); err != nil {
			return im.storeFailed(name, err, ps)
		}
	} else {
		procs, err := im.st.ProcedureCodes(ctx)
		if err != nil {
			return nil, fmt.Errorf("importer: %w", err)
		}
		opts.ProcedureKnown = func(code string) bool { return procs[code] }
		rd := dossier.DossiersFrom(t, ps, opts)
		defer rd.Close()
		if rd.ProblemCount() > 0 { // the file or its header: no row is read
			return nil, ps.Err(name)
		}
		src := &dossierStream{DossierReader: rd, size: size, progress: im.progressOf(ctx)}
		verdict := func() error {
			if err := rd.Err(); err != nil {
				return fmt.Errorf("importer: read %s: %w", name, err)
			}
			if pe := rd.Refusal(name); pe != nil {
				return pe
			}
			if src.rows == 0 {
				ps.Add(0, "", "file.import.no_rows")
				return ps.Err(name)
			}
			// The hash is known once the file is read: the store writes
			// it with the import's totals.
			sum, err := rd.SHA256()
			imp.SHA256 = sum
			return err
		}
		res, err = im.st.ImportDossiers(ctx, imp, src, verdict)
		if err != nil {
			var pe *ProblemsError
			if errors.As(err, &pe) {
				return nil, pe
			}
			return im.storeFailed(name, err, ps)
		}
	}
	rep.SHA256 = imp.SHA256
	rep.ImportID, rep.Rows, rep.Inserted, rep.Updated, rep.Unchanged, rep.Periods =
		res.ImportID, res.Rows, res.Inserted, res.Updated, res.Unchanged, res.Periods
	rep.Derived, rep.DeriveTime = res.Derived, res.DeriveTime
	return rep, nil
}

func (im *Importer) maxProblems() int {
	if im.MaxProblems <= 0 {
		return DefaultMaxProblems
	}
	return im.MaxProblems
}

// dossierStream is the reader as the store sees it: the valid rows while
// the file has no problem. Once a problem is found the file will be
// refused, so the rest is read for its problems only, and nothing more is
// written.
type dossierStream struct {
	*dossier.DossierReader
	size     int64
	progress func(Progress)
	read     int // rows read
	rows     int // rows handed to the store
}

func (s *dossierStream) Next() bool {
	for s.DossierReader.Next() {
		s.read++
		if s.progress != nil && s.read%progressEvery == 0 {
			s.progress(Progress{Rows: s.read, Bytes: s.Bytes(), Size: s.size})
		}
		if s.ProblemCount() > 0 {
			continue
		}
		s.rows++
		return true
	}
	if s.progress != nil {
		s.progress(Progress{Rows: s.read, Bytes: s.Bytes(), Size: s.size, Done: true})
	}
	return false
}
