package importer

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"sync/atomic"

	"scorecard/dossier"
	"scorecard/internal/filesniff"
	"scorecard/models"
	"scorecard/store"
)

// Procedure catalogues and dossier records (formats.md) are read by the
// dossier package's streaming readers and written by the store in one
// transaction, which also derives their counts again. A dossier file is
// never held in memory: a CSV one is recognised from its first line and
// streamed from there, whatever its size (MaxBytes does not apply); a
// workbook is read whole like any other, then streamed from memory.
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

// sniffBytes is how much of a file is looked at to recognise a dossier or
// catalogue CSV by its first line.
const sniffBytes = 64 << 10

// isDossierKind reports whether kind is read by the dossier package.
func isDossierKind(kind string) bool {
	return kind == models.ImportCatalogue || kind == models.ImportDossiers
}

// sniffCSV recognises a dossier or catalogue CSV from its first non-blank
// line without consuming anything; "" leaves the file to the general path,
// which also gives every message about files that are not CSV.
func sniffCSV(name string, br *bufio.Reader) string {
	head, err := br.Peek(sniffBytes)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return ""
	}
	if filesniff.Sniff(head, name) != filesniff.CSV {
		return ""
	}
	head = bytes.TrimPrefix(head, filesniff.BOM)
	for len(head) > 0 {
		i := bytes.IndexAny(head, "\r\n")
		if i < 0 {
			return "" // no whole line in sight: let the general path judge
		}
		line := head[:i]
		head = head[i+1:]
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		r := csv.NewReader(bytes.NewReader(line))
		r.Comma = rune(filesniff.Delimiter(line))
		r.LazyQuotes = true
		cells, err := r.Read()
		if err != nil {
			return ""
		}
		if k := recognise(cells); k != nil && isDossierKind(k.name) {
			return k.name
		}
		return ""
	}
	return ""
}

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

// countingReader hashes and counts what is read through it. The count is
// atomic: the dossier reader reads ahead on a goroutine of its own while
// the progress reports read the count from the store's.
type countingReader struct {
	r io.Reader
	h hash.Hash
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	_, _ = c.h.Write(p[:n])
	return n, err
}

func (c *countingReader) sum() string { return hex.EncodeToString(c.h.Sum(nil)) }

// importStream imports a catalogue or a dossier file.
func (im *Importer) importStream(ctx context.Context, name, kind, format string, r io.Reader, size int64, source string, demo bool) (*Report, error) {
	// As for every import: a correction of published periods needs its
	// reason, checked before the file is read.
	if c := store.CorrectionFrom(ctx); c != nil {
		if _, err := store.CheckReason(c.Reason); err != nil {
			var ps problems
			ps.addf(0, "", "Lý do điều chỉnh số liệu đã công bố phải dài từ %d đến %d ký tự.",
				"The reason for correcting published figures must be %d to %d characters long.", store.MinReasonLen, store.MaxReasonLen)
			return nil, ps.err(name, im.MaxProblems)
		}
	}
	units, err := im.st.UnitCodes(ctx)
	if err != nil {
		return nil, fmt.Errorf("importer: %w", err)
	}
	cr := &countingReader{r: r, h: sha256.New()}
	opts := dossier.ReadOptions{
		MaxProblems: im.maxProblems(),
		SizeHint:    size,
		UnitKnown:   func(code string) bool { _, ok := units[code]; return ok },
		UnitProblem: func(code string) (string, string) {
			if units[code].Kind != models.KindProvince {
				return "", ""
			}
			q := quote(code)
			return "Đơn vị " + q + " là tỉnh: hồ sơ và danh mục thủ tục ghi cho sở, ban, ngành, huyện hoặc xã giải quyết; số liệu của tỉnh được cộng từ các đơn vị trong tỉnh.",
				"The unit " + q + " is a province: dossiers and catalogues name the agency, district or commune that handles them; a province's counts are pooled from its units."
		},
	}
	rep := &Report{FileName: name, Kind: kind, Format: format}
	imp := &models.Import{FileName: name, Source: source, Demo: demo}
	var res store.DossierResult
	if kind == models.ImportCatalogue {
		cat, err := dossier.ReadCatalogue(name, cr, opts)
		var dpe *dossier.ProblemsError
		switch {
		case errors.As(err, &dpe):
			return nil, im.refusal(name, dpe.Problems, dpe.Total)
		case err != nil:
			return nil, fmt.Errorf("importer: read %s: %w", name, err)
		case len(cat.Units()) == 0:
			return nil, noRows(name, im.MaxProblems)
		}
		imp.SHA256 = cr.sum()
		if res, err = im.st.ImportCatalogue(ctx, imp, cat); err != nil {
			var ps problems
			return im.storeFailed(name, err, &ps)
		}
	} else {
		procs, err := im.st.ProcedureCodes(ctx)
		if err != nil {
			return nil, fmt.Errorf("importer: %w", err)
		}
		opts.ProcedureKnown = func(code string) bool { return procs[code] }
		rd := dossier.NewDossierReader(name, cr, opts)
		defer rd.Close()
		if rd.ProblemCount() > 0 { // the file or its header: no row is read
			return nil, im.refusal(name, rd.Problems(), rd.ProblemCount())
		}
		rep.Format = rd.Format()
		src := &dossierStream{DossierReader: rd, cr: cr, size: size, progress: im.progressOf(ctx)}
		verdict := func() error {
			if err := rd.Err(); err != nil {
				return fmt.Errorf("importer: read %s: %w", name, err)
			}
			if rd.ProblemCount() > 0 {
				return im.refusal(name, rd.Problems(), rd.ProblemCount())
			}
			if src.rows == 0 {
				return noRows(name, im.MaxProblems)
			}
			// The hash is known once the file is read: the store writes
			// it with the import's totals.
			imp.SHA256 = cr.sum()
			return nil
		}
		res, err = im.st.ImportDossiers(ctx, imp, src, verdict)
		if err != nil {
			var pe *ProblemsError
			if errors.As(err, &pe) {
				return nil, pe
			}
			var ps problems
			return im.storeFailed(name, err, &ps)
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

// refusal turns a reader's problems into the importer's.
func (im *Importer) refusal(name string, list []dossier.Problem, total int) *ProblemsError {
	ps := problems{total: total}
	for _, p := range list {
		ps.list = append(ps.list, Problem{Row: p.Row, Column: p.Column, Message: p.Message, MessageEN: p.MessageEN})
	}
	if ps.total < len(ps.list) {
		ps.total = len(ps.list)
	}
	return ps.err(name, im.MaxProblems)
}

func noRows(name string, max int) *ProblemsError {
	var ps problems
	ps.add(0, "", "Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào.", "The file has a header row but no data rows.")
	return ps.err(name, max)
}

// dossierStream is the reader as the store sees it: the valid rows while
// the file has no problem. Once a problem is found the file will be
// refused, so the rest is read for its problems only, and nothing more is
// written.
type dossierStream struct {
	*dossier.DossierReader
	cr       *countingReader
	size     int64
	progress func(Progress)
	read     int // rows read
	rows     int // rows handed to the store
}

func (s *dossierStream) Next() bool {
	for s.DossierReader.Next() {
		s.read++
		if s.progress != nil && s.read%progressEvery == 0 {
			s.progress(Progress{Rows: s.read, Bytes: s.cr.n.Load(), Size: s.size})
		}
		if s.ProblemCount() > 0 {
			continue
		}
		s.rows++
		return true
	}
	if s.progress != nil {
		s.progress(Progress{Rows: s.read, Bytes: s.cr.n.Load(), Size: s.size, Done: true})
	}
	return false
}

// kindWords names what a file of the kind holds, in English and Vietnamese,
// for the summaries.
func kindWords(kind string) (en, vi string) {
	switch kind {
	case models.ImportCounts:
		return "metric counts", "số liệu chỉ số"
	case models.ImportCatalogue:
		return "procedure catalogue", "danh mục thủ tục"
	case models.ImportDossiers:
		return "dossiers", "hồ sơ"
	case models.ImportOfficial:
		return "published national results", "kết quả công bố"
	}
	return "units", "đơn vị"
}
