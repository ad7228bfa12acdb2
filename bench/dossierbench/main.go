// Command dossierbench measures the dossier pipeline on a generated file:
// read and validate every row, derive every count for every unit and
// period, and re-derive one month after a simulated re-import. It prints
// one line per step; bench/dossiers.sh runs it under /usr/bin/time and
// next to the sqlite3 .import floor.
//
//	go run ./bench/dossierbench -gen -rows 1000000 -out /tmp/dossiers.csv
//	go run ./bench/dossierbench -in /tmp/dossiers.csv
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"time"

	"scorecard/data/demo/dossiergen"
	"scorecard/dossier"
	"scorecard/scoring"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "dossierbench:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("dossierbench", flag.ContinueOnError)
	gen := fs.Bool("gen", false, "generate the file (and its catalogue) and stop")
	rows := fs.Int("rows", 1_000_000, "dossiers to generate")
	months := fs.Int("months", 12, "months to generate")
	seed := fs.Int64("seed", 1, "generator seed")
	path := fs.String("out", "/tmp/dossiers.csv", "file to generate")
	in := fs.String("in", "", "dossier file to read (its catalogue next to it, see dossiergen.CataloguePath)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *gen {
		start := time.Now()
		cat, err := dossiergen.GenerateFile(*path, dossiergen.GenOptions{Rows: *rows, Months: *months, Seed: *seed})
		if err != nil {
			return err
		}
		fi, err := os.Stat(*path)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "generate:      %d rows, %.1f MB in %.2f s (%s, %s)\n", *rows, float64(fi.Size())/1e6,
			time.Since(start).Seconds(), *path, cat)
		return nil
	}
	if *in == "" {
		return errors.New("give -gen or -in FILE")
	}
	return measure(*in, out)
}

// prevMonthStart is the start of the month before the one of t.
func prevMonthStart(t int64) int64 {
	lt := time.Unix(t, 0).In(scoring.Location)
	return time.Date(lt.Year(), lt.Month()-1, 1, 0, 0, 0, 0, scoring.Location).Unix()
}

func measure(path string, out io.Writer) error {
	d := dossier.NewDeriver()

	start := time.Now()
	cf, err := os.Open(dossiergen.CataloguePath(path))
	if err != nil {
		return err
	}
	cat, err := dossier.ReadCatalogue(cf.Name(), cf, d.ReadOptions())
	_ = cf.Close()
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "catalogue:     %d units in %.3f s\n", len(cat.Units()), time.Since(start).Seconds())

	// Read, validate and accumulate: what an import does besides storing.
	// The month to re-import is the one before the last (the last is
	// still being processed); the dossiers of the last two months seen
	// so far are kept aside for it, so memory stays that of an import.
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }()
	start = time.Now()
	opts := d.ReadOptions()
	known := cat.Procedures()
	opts.ProcedureKnown = func(code string) bool { return known[code] }
	r := dossier.NewDossierReader(path, f, opts)
	var kept []dossier.Record
	var keepFrom int64
	n := 0
	for r.Next() {
		rec := r.Record()
		d.Add(rec)
		n++
		if rec.Received < keepFrom {
			continue
		}
		if from := prevMonthStart(rec.Received); from > keepFrom {
			keepFrom = from
			kept = slices.DeleteFunc(kept, func(k dossier.Record) bool { return k.Received < keepFrom })
		}
		kept = append(kept, *rec)
	}
	if err := r.Err(); err != nil {
		return err
	}
	if e := r.Refusal(path); e != nil {
		return e
	}
	elapsed := time.Since(start)
	fmt.Fprintf(out, "read+derive:   %d rows in %.2f s (%.0f rows/s)\n", n, elapsed.Seconds(), float64(n)/elapsed.Seconds())

	start = time.Now()
	counts := d.Counts(dossier.DeriveOptions{Catalogue: cat})
	from, to, _ := d.Range(cat)
	fmt.Fprintf(out, "derive counts: %d counts, %s to %s, every unit and period, in %.3f s\n",
		len(counts), from, to, time.Since(start).Seconds())

	// Re-import of one month: its dossiers out (the stored versions) and
	// in again (the new file), then the month and the quarter, half-year
	// and year containing it derived again.
	month := to.Prev()
	lo, hi := month.Start().Unix(), month.End().Unix()
	var redo []dossier.Record
	for _, rec := range kept {
		if rec.Received >= lo && rec.Received < hi {
			redo = append(redo, rec)
		}
	}
	kept = nil
	start = time.Now()
	for i := range redo {
		d.Remove(&redo[i])
	}
	for i := range redo {
		d.Add(&redo[i])
	}
	periods := []scoring.Period{month}
	for _, k := range scoring.PeriodKinds[1:] {
		periods = append(periods, scoring.Containing(month, k))
	}
	again := d.Counts(dossier.DeriveOptions{Catalogue: cat, Periods: periods})
	fmt.Fprintf(out, "re-derive:     month %s (%d dossiers out and in) and its quarter, half-year, year: %d counts in %.3f s\n",
		month, len(redo), len(again), time.Since(start).Seconds())
	for k, c := range again {
		if counts[k] != c {
			return fmt.Errorf("re-derived %v = %+v, first derived %+v", k, c, counts[k])
		}
	}

	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Fprintf(out, "go heap:       %.1f MB in use at the end, %.1f MB obtained from the system\n",
		float64(ms.HeapInuse)/1e6, float64(ms.Sys)/1e6)
	return nil
}
