package dossier_test

import (
	"bytes"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"scorecard/data/demo/dossiergen"
	"scorecard/dossier"
)

// benchRows is the size of the benchmark file: a province's year.
const benchRows = 1_000_000

var (
	benchOnce sync.Once
	benchCSV  []byte
	benchCat  []byte
	benchErr  error
)

// benchFile generates the benchmark's dossiers once per process (about
// 230 MB; cached under the test's temporary directory of the first run).
func benchFile(b *testing.B) ([]byte, []byte) {
	b.Helper()
	benchOnce.Do(func() {
		dir := os.TempDir()
		path := filepath.Join(dir, "dossier-bench-1m.csv")
		if _, err := os.Stat(path); err != nil {
			if _, benchErr = dossiergen.GenerateFile(path, dossiergen.GenOptions{Rows: benchRows, Months: 12, Seed: 1}); benchErr != nil {
				return
			}
		}
		if benchCSV, benchErr = os.ReadFile(path); benchErr != nil {
			return
		}
		benchCat, benchErr = os.ReadFile(dossiergen.CataloguePath(path))
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchCSV, benchCat
}

// BenchmarkReadDossiers parses and validates 1M rows (no derivation).
func BenchmarkReadDossiers(b *testing.B) {
	data, _ := benchFile(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r := dossier.NewDossierReader("d.csv", bytes.NewReader(data), dossier.ReadOptions{})
		n := 0
		for r.Next() {
			n++
		}
		if n != benchRows || r.ProblemCount() > 0 {
			b.Fatalf("read %d rows, problems %v", n, r.Problems())
		}
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkReadDerive parses 1M rows and derives every count.
func BenchmarkReadDerive(b *testing.B) {
	data, catData := benchFile(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		d := dossier.NewDeriver()
		cat, err := dossier.ReadCatalogue("c.csv", bytes.NewReader(catData), d.ReadOptions())
		if err != nil {
			b.Fatal(err)
		}
		r := dossier.NewDossierReader("d.csv", bytes.NewReader(data), d.ReadOptions())
		if _, err := d.AddAll(r); err != nil || r.ProblemCount() > 0 {
			b.Fatal(err, r.Problems())
		}
		if len(d.Counts(dossier.DeriveOptions{Catalogue: cat})) == 0 {
			b.Fatal("no counts")
		}
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkDerive accumulates 1M records already in memory and derives
// every count of every unit and period: the derivation alone.
func BenchmarkDerive(b *testing.B) {
	data, catData := benchFile(b)
	d0 := dossier.NewDeriver()
	cat, err := dossier.ReadCatalogue("c.csv", bytes.NewReader(catData), d0.ReadOptions())
	if err != nil {
		b.Fatal(err)
	}
	r := dossier.NewDossierReader("d.csv", bytes.NewReader(data), d0.ReadOptions())
	recs := make([]dossier.Record, 0, benchRows)
	for r.Next() {
		recs = append(recs, *r.Record())
	}
	b.ReportAllocs()
	for b.Loop() {
		d := &dossier.Deriver{Units: d0.Units, Procedures: d0.Procedures}
		if _, err := d.AddAll(dossier.Records(recs)); err != nil {
			b.Fatal(err)
		}
		if len(d.Counts(dossier.DeriveOptions{Catalogue: cat})) == 0 {
			b.Fatal("no counts")
		}
	}
	b.ReportMetric(float64(len(recs))*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
