package report_test

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"testing"

	"scorecard/data"
	"scorecard/data/demo"
	"scorecard/scoring"
)

// demoEngine reads the embedded demo files (units.csv, counts.csv) the way
// data/demo/demo_test.go does and returns the real engine over them.
func demoEngine(t testing.TB) *scoring.Engine {
	t.Helper()
	return demoEngineWith(t, nil)
}

// demoEngineWith is the demo plus extra counts (tests of what an office
// would import on top of it).
func demoEngineWith(t testing.TB, extra map[scoring.Key]scoring.Counts) *scoring.Engine {
	t.Helper()
	list, err := scoring.LoadSchemes(data.Schemes, "schemes", "embedded:")
	if err != nil {
		t.Fatal(err)
	}
	schemes, err := scoring.NewSchemes(list...)
	if err != nil {
		t.Fatal(err)
	}
	ds := &scoring.Dataset{Own: map[scoring.Key]scoring.Counts{}}
	files := demo.Files()
	read := func(f demo.File) [][]string {
		rows, err := csv.NewReader(bytes.NewReader(f.Data)).ReadAll()
		if err != nil || len(rows) < 2 {
			t.Fatalf("%s: %v (%d rows)", f.Name, err, len(rows))
		}
		return rows[1:]
	}
	for _, r := range read(files[0]) {
		ds.Units = append(ds.Units, scoring.Unit{Code: r[0], Name: r[1], Kind: scoring.UnitKind(r[2]), ParentCode: r[3]})
	}
	for i, r := range read(files[1]) {
		var c scoring.Counts
		if r[3] != "" || r[4] != "" {
			n, err1 := strconv.ParseInt(r[3], 10, 64)
			d, err2 := strconv.ParseInt(r[4], 10, 64)
			if err1 != nil || err2 != nil {
				t.Fatalf("counts row %d: %q/%q", i+2, r[3], r[4])
			}
			c = scoring.C(n, d)
		}
		ds.Own[scoring.Key{Period: r[0], Unit: r[1], Metric: r[2]}] = c
	}
	for k, c := range extra {
		ds.Own[k] = c
	}
	return scoring.NewEngine(schemes, ds)
}
