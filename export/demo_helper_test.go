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
	list, err := scoring.LoadSchemes(data.Schemes, "schemes", "embedded:")
	if err != nil {
		t.Fatal(err)
	}
	schemes, err := scoring.NewSchemes(list...)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := dataset.Load()
	if err != nil {
		t.Fatal(err)
	}
	return schemes, ds
}
