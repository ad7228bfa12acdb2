package dossiergen

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"scorecard/dossier"
	"scorecard/i18n"
	"scorecard/scoring"
)

// TestGenerate: the generated files read back without a single problem
// against the demo units and the generated catalogue, and tell the story
// they are meant to: seasonality around Tết, a procedure mix, some late,
// unsatisfied and still-open dossiers.
func TestGenerate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "d.csv")
	opts := GenOptions{Rows: 60000, Months: 12, Seed: 42}
	catPath, err := GenerateFile(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	units, err := demoUnits()
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	province := ""
	for _, u := range units {
		known[u.Code] = true
		if u.Kind == scoring.KindProvince {
			province = u.Code
		}
	}
	d := dossier.NewDeriver()
	ro := d.ReadOptions()
	ro.UnitKnown = func(c string) bool { return known[c] }
	cf, err := os.Open(catPath)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cf.Close() }()
	cat, err := dossier.ReadCatalogue(catPath, cf, ro)
	if err != nil {
		t.Fatal(err)
	}
	procs := cat.Procedures()
	ro.ProcedureKnown = func(c string) bool { return procs[c] }
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	r := dossier.NewDossierReader(path, f, ro)
	perMonth := map[int32]int{}
	perProc := map[int32]int{}
	late, dissatisfied, open, online, supp2 := 0, 0, 0, 0, 0
	for r.Next() {
		rec := r.Record()
		d.Add(rec)
		perMonth[dossier.MonthOf(rec.Received)]++
		perProc[rec.Procedure]++
		if rec.Finished != dossier.Open && rec.Finished > rec.Due {
			late++
		}
		if rec.Finished == dossier.Open {
			open++
		}
		if rec.Rating == dossier.RatingDissatisfied {
			dissatisfied++
		}
		if rec.Channel == dossier.ChannelOnline {
			online++
		}
		if rec.Supplements >= 2 {
			supp2++
		}
		if r.Units().Code(rec.Unit) == province {
			t.Fatal("a dossier received by the province itself: its counts would hide the pool of its units")
		}
	}
	if r.Err() != nil || r.ProblemCount() > 0 {
		t.Fatalf("%v\n%s", r.Err(), strings.Join(r.Refusal(path).Lines(i18n.EN), "\n"))
	}
	if r.Rows() != opts.Rows {
		t.Fatalf("%d rows, want %d", r.Rows(), opts.Rows)
	}
	if len(perMonth) != 12 {
		t.Fatalf("dossiers in %d months, want 12", len(perMonth))
	}
	jan, feb := perMonth[dossier.MonthIndex(scoring.MustPeriod("2024-01"))], perMonth[dossier.MonthIndex(scoring.MustPeriod("2024-02"))]
	if feb*100 > jan*75 {
		t.Errorf("Tết: February %d dossiers, January %d", feb, jan)
	}
	share := func(n int) float64 { return float64(n) / float64(opts.Rows) }
	for name, c := range map[string]struct {
		n      int
		lo, hi float64
	}{
		"late": {late, 0.01, 0.10}, "dissatisfied": {dissatisfied, 0.005, 0.06}, "open": {open, 0.001, 0.08},
		"online": {online, 0.2, 0.7}, "two or more supplement requests": {supp2, 0.005, 0.04},
	} {
		if s := share(c.n); s < c.lo || s > c.hi {
			t.Errorf("%s: %.3f of the dossiers, want %.3f–%.3f", name, s, c.lo, c.hi)
		}
	}
	if len(perProc) < 20 {
		t.Errorf("only %d procedures used", len(perProc))
	}

	// Every unit but the province has counts for the last month and for
	// the catalogue metrics, and the scores are not all perfect.
	counts := d.Counts(dossier.DeriveOptions{Catalogue: cat})
	last := "2024-04"
	below := 0
	for _, u := range units {
		if u.Kind == scoring.KindProvince {
			continue
		}
		for _, m := range append(append([]string{}, dossier.DossierMetrics...), dossier.CatalogueMetrics...) {
			c, ok := counts[scoring.Key{Period: last, Unit: u.Code, Metric: m}]
			if !ok {
				t.Fatalf("%s %s: no counts", u.Code, m)
			}
			if m == dossier.MetricOnTime && c.Num < c.Den {
				below++
			}
		}
	}
	if below < 10 {
		t.Errorf("only %d units with a late dossier in %s", below, last)
	}
}

// TestGenerateDeterministic: a seed gives the same bytes; another seed
// other bytes; bad options are refused.
func TestGenerateDeterministic(t *testing.T) {
	gen := func(o GenOptions) []byte {
		var b bytes.Buffer
		if err := Generate(&b, o); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	a, b := gen(GenOptions{Rows: 2000, Months: 3, Seed: 1}), gen(GenOptions{Rows: 2000, Months: 3, Seed: 1})
	if !bytes.Equal(a, b) {
		t.Fatal("same seed, different output")
	}
	if bytes.Equal(a, gen(GenOptions{Rows: 2000, Months: 3, Seed: 2})) {
		t.Fatal("different seeds, same output")
	}
	for _, o := range []GenOptions{{Rows: -1}, {Rows: 10, Months: 1000}, {Rows: 10, End: scoring.MustPeriod("2024-Q1")},
		{Rows: 10, Units: []scoring.Unit{{Code: "BK", Kind: scoring.KindProvince}}}} {
		if err := Generate(&bytes.Buffer{}, o); err == nil {
			t.Errorf("options %+v accepted", o)
		}
	}
	if got := CataloguePath("out/d.csv"); got != "out/d.catalogue.csv" {
		t.Errorf("CataloguePath = %s", got)
	}
	if got := CataloguePath("d"); got != "d.catalogue.csv" {
		t.Errorf("CataloguePath = %s", got)
	}
}
