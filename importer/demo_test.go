package importer

import (
	"bytes"
	"testing"
	"time"

	"scorecard/data/demo"
	"scorecard/internal/storetest"
	"scorecard/models"
)

// TestDemoDataSet loads the shipped demo files the way a fresh installation
// does, then removes them.
func TestDemoDataSet(t *testing.T) {
	t.Parallel()
	storetest.Run(t, testDemoDataSet)
}

func testDemoDataSet(t *testing.T, db storetest.DB) {
	f := newFixtureOn(t, db)
	ctx := t.Context()
	for _, file := range demo.Files() {
		start := time.Now()
		rep, err := f.im.Import(ctx, "demo/"+file.Name, bytes.NewReader(file.Data), models.SourceDemo, true)
		if err != nil {
			t.Fatalf("%s: %v", file.Name, err)
		}
		lines := bytes.Count(file.Data, []byte{'\n'}) - 1
		if rep.Rows != lines || rep.Inserted != lines {
			t.Errorf("%s: %+v, want %d rows", file.Name, rep, lines)
		}
		t.Logf("%+v in %v", rep, time.Since(start))
	}
	if has, err := f.st.HasDemo(ctx); err != nil || !has {
		t.Fatalf("HasDemo = %v, %v", has, err)
	}
	removed, err := f.st.RemoveDemo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := f.st.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if removed == 0 || len(ds.Units) != 0 || len(ds.Own) != 0 {
		t.Errorf("after removal: %d removed, %d units and %d counts left", removed, len(ds.Units), len(ds.Own))
	}
}
