package export_test

import (
	"testing"

	"scorecard/data"
	"scorecard/data/demo/dataset"
	"scorecard/scoring"
)

// demoData returns the schemes and the dataset.
func demoData(t testing.TB) (*scoring.Schemes, *scoring.Dataset) {
	t.Helper()
	schemes, err := data.DefaultSchemes()
	if err != nil {
		t.Fatal(err)
	}
	ds, err := dataset.Load()
	if err != nil {
		t.Fatal(err)
	}
	return schemes, ds
}
