package report_test

import (
	"testing"

	"scorecard/data"
	"scorecard/data/demo/dataset"
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
	schemes, err := data.DefaultSchemes()
	if err != nil {
		t.Fatal(err)
	}
	ds, err := dataset.Load()
	if err != nil {
		t.Fatal(err)
	}
	for k, c := range extra {
		ds.Own[k] = c
	}
	return scoring.NewEngine(schemes, ds)
}
