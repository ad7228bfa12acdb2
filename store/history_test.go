package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"scorecard/scoring"
)

func TestUnitHistory(t *testing.T) { both(t, testUnitHistory) }

// testUnitHistory: units carry the days they exist, a unit changes file
// records how units became others (re-importing it changes nothing), and
// the engine's dataset ends a merged unit on its change's date.
func testUnitHistory(t *testing.T, open opener) {
	s := open(t)
	ctx := context.Background()
	rows := []UnitRow{
		{Code: "BK", Name: "Tỉnh Bắc Kạn", Kind: "province", Dates: true},
		{Code: "BK.CR", Name: "Xã Chợ Rã", Kind: "commune", ParentCode: "BK", Dates: true},
		{Code: "BK.DT", Name: "Xã Đồng Tâm", Kind: "commune", ParentCode: "BK", Dates: true},
		{Code: "TN", Name: "Tỉnh Thái Nguyên", Kind: "province", Dates: true},
		{Code: "TN.BB", Name: "Xã Ba Bể", Kind: "commune", ParentCode: "TN", Dates: true, ValidFrom: "2025-07-01"},
	}
	mustImportUnits(t, s, rows, false)
	changes := []UnitChangeRow{
		{Code: "BK.CR", Successor: "TN.BB", Change: "merged", Effective: "2025-07-01"},
		{Code: "BK.DT", Successor: "TN.BB", Change: "merged", Effective: "2025-07-01"},
		{Code: "BK", Successor: "TN", Change: "merged", Effective: "2025-07-01"},
	}
	res, err := s.ImportUnitChanges(ctx, imp("changes.csv"), changes)
	if err != nil || res.Inserted != 3 || res.ImportID == 0 {
		t.Fatalf("import changes: %+v, %v", res, err)
	}
	v := version(t, s)
	res, err = s.ImportUnitChanges(ctx, imp("changes.csv"), changes)
	if err != nil || res.Inserted != 0 || res.Updated != 0 || res.Unchanged != 3 {
		t.Fatalf("re-import changes: %+v, %v", res, err)
	}
	if version(t, s) <= v {
		t.Error("an import does not move the data version")
	}
	if _, err := s.ImportUnitChanges(ctx, imp("x.csv"), []UnitChangeRow{changes[0], changes[0]}); !errors.Is(err, ErrConflict) {
		t.Errorf("a pair twice: %v, want ErrConflict", err)
	}
	// The database refuses what the importer would (a second line of defence).
	for _, bad := range []UnitChangeRow{
		{Code: "BK.CR", Successor: "NOPE", Change: "merged", Effective: "2025-07-01"},
		{Code: "BK.CR", Successor: "BK.CR", Change: "merged", Effective: "2025-07-01"},
		{Code: "BK.CR", Successor: "TN", Change: "absorbed", Effective: "2025-07-01"},
	} {
		if _, err := s.ImportUnitChanges(ctx, imp("bad.csv"), []UnitChangeRow{bad}); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
	got, err := s.UnitChanges(ctx)
	if err != nil || len(got) != 3 || got[0].Code != "BK" {
		t.Fatalf("changes %+v, %v", got, err)
	}

	ds, err := s.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	merger := time.Date(2025, 7, 1, 0, 0, 0, 0, scoring.Location)
	by := map[string]scoring.Unit{}
	for _, u := range ds.Units {
		by[u.Code] = u
	}
	if !by["BK.CR"].ValidTo.Equal(merger) || !by["BK"].ValidTo.Equal(merger) || !by["TN"].ValidTo.IsZero() {
		t.Errorf("ends: %v %v %v", by["BK.CR"].ValidTo, by["BK"].ValidTo, by["TN"].ValidTo)
	}
	if !by["TN.BB"].ValidFrom.Equal(merger) || !by["BK.CR"].ValidFrom.IsZero() {
		t.Errorf("starts: %v %v", by["TN.BB"].ValidFrom, by["BK.CR"].ValidFrom)
	}
	if len(ds.Changes) != 3 || ds.Changes[0].Kind != scoring.ChangeMerged {
		t.Errorf("dataset changes %+v", ds.Changes)
	}
	// The units over time, without the counts, are the dataset's.
	units, ch, err := s.UnitsOverTime(ctx)
	if err != nil || len(units) != len(ds.Units) || len(ch) != len(ds.Changes) {
		t.Fatalf("units over time: %d units, %d changes, %v", len(units), len(ch), err)
	}
	for i := range units {
		if units[i] != ds.Units[i] {
			t.Errorf("unit %d: %+v, the dataset's %+v", i, units[i], ds.Units[i])
		}
	}
	for i := range ch {
		if ch[i] != ds.Changes[i] {
			t.Errorf("change %d: %+v, the dataset's %+v", i, ch[i], ds.Changes[i])
		}
	}

	// A units file without the date columns keeps the dates; one with
	// them replaces them.
	plain := []UnitRow{{Code: "TN.BB", Name: "Xã Ba Bể mới", Kind: "commune", ParentCode: "TN"}}
	mustImportUnits(t, s, plain, false)
	if u, _ := s.UnitByCode(ctx, "TN.BB"); deref(u.ValidFrom) != "2025-07-01" || u.Name != "Xã Ba Bể mới" {
		t.Errorf("after a file without dates: %q %q", deref(u.ValidFrom), u.Name)
	}
	dated := []UnitRow{{Code: "TN.BB", Name: "Xã Ba Bể mới", Kind: "commune", ParentCode: "TN", Dates: true, ValidFrom: "2025-08-01"}}
	if res := mustImportUnits(t, s, dated, false); res.Updated != 1 {
		t.Errorf("a new date is not an update: %+v", res)
	}
	if u, _ := s.UnitByCode(ctx, "TN.BB"); deref(u.ValidFrom) != "2025-08-01" {
		t.Errorf("after a file with dates: %q", deref(u.ValidFrom))
	}
}
