package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"scorecard/models"
	"scorecard/scoring"
)

// portalCap builds a capture of province P1 of 2026-08 at minute min of
// 26/09/2026, one TDGQ figure per unit with the counts given (unit code →
// on-time, received) and the group score on-time/received × 20.
func portalCap(min int, complete bool, counts map[string][2]int64) *PortalCapture {
	at := time.Date(2026, 9, 26, 6, min, 0, 0, scoring.Location)
	c := &PortalCapture{Name: fmt.Sprintf("cap-%d", min), Fingerprint: fmt.Sprintf("fp-%d-%v", min, counts), ProvinceID: "id-P1",
		ProvinceCode: "P1", Period: "2026-08", AsOf: at, Complete: complete, Groups: []string{"TDGQ"},
		Units: []PortalUnit{{Code: "P1", Name: "Tỉnh Một", Kind: models.KindProvince, PortalID: "id-P1"}}}
	for _, code := range []string{"P1", "P1.01", "P1.02", "P1.03"} {
		v, ok := counts[code]
		if !ok {
			continue
		}
		if code != "P1" {
			c.Units = append(c.Units, PortalUnit{Code: code, Name: "Đơn vị " + code, Kind: models.KindCommune, ParentCode: "P1", PortalID: "id-" + code})
		}
		n, d := v[0], v[1]
		score := scoring.Cents(n * 2000 / max(d, 1))
		max := scoring.Cents(2000)
		c.Figures = append(c.Figures, PortalFigures{Unit: code, Group: "TDGQ", Score: &score, Max: &max,
			Metrics: []PortalMetric{{Code: "ON_TIME_PROCESSING", Num: &n, Den: &d}}})
	}
	c.Files = []PortalFile{{Name: "dvc-progress-tree-p1.json", Endpoint: "dvc-progress-tree", Page: 1, Data: []byte(c.Fingerprint)}}
	return c
}

func mustPortal(t testing.TB, s *Store, c *PortalCapture) PortalResult {
	t.Helper()
	im := &models.Import{FileName: c.Name, SHA256: c.Fingerprint, Source: models.SourceCLI}
	res, err := s.ImportPortalCapture(context.Background(), im, c)
	if err != nil {
		t.Fatalf("import %s: %v", c.Name, err)
	}
	return res
}

// onTime is the stored ON_TIME_PROCESSING numerator of a unit in 2026-08.
func onTime(t testing.TB, s *Store, unit string) int64 {
	t.Helper()
	ds, err := s.Dataset(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return ds.Own[scoring.Key{Period: "2026-08", Unit: unit, Metric: "ON_TIME_PROCESSING"}].Num
}

// stateAt is the ON_TIME_PROCESSING numerator of each unit as of a minute.
func stateAt(t testing.TB, s *Store, min int) map[string]int64 {
	t.Helper()
	snaps, err := s.PortalStateAt(context.Background(), "2026-08", time.Date(2026, 9, 26, 6, min, 0, 0, scoring.Location))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, sn := range snaps {
		out[sn.Unit] = *sn.Metrics[0].Num
	}
	return out
}

func tableRows(t testing.TB, s *Store, table string) int64 {
	t.Helper()
	var n int64
	if err := s.r.Raw("SELECT COUNT(*) FROM " + table).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func testPortalSnapshots(t *testing.T, open opener) {
	s := open(t)
	r1 := mustPortal(t, s, portalCap(0, true, map[string][2]int64{"P1": {90, 100}, "P1.01": {40, 50}, "P1.02": {50, 50}}))
	if r1.Inserted != 3 || r1.Snapshots != 3 || !r1.Current || r1.NewUnits != 3 || len(r1.Periods) != 1 {
		t.Errorf("first capture: %+v", r1)
	}
	// Next day: only P1.01 moved.
	r2 := mustPortal(t, s, portalCap(10, true, map[string][2]int64{"P1": {95, 105}, "P1.01": {45, 55}, "P1.02": {50, 50}}))
	if r2.Updated != 2 || r2.Unchanged != 1 || r2.Snapshots != 2 || !r2.Current {
		t.Errorf("second capture: %+v", r2)
	}
	if got := onTime(t, s, "P1.01"); got != 45 {
		t.Errorf("the period's figures are the latest capture's: %d", got)
	}
	if n := tableRows(t, s, "portal_snapshots"); n != 5 {
		t.Errorf("%d snapshot rows, want 5 (unchanged figures are not stored again)", n)
	}
	if got := stateAt(t, s, 5); got["P1.01"] != 40 || got["P1.02"] != 50 {
		t.Errorf("state between the captures: %v", got)
	}
	if got := stateAt(t, s, 10); got["P1.01"] != 45 || got["P1.02"] != 50 || got["P1"] != 95 {
		t.Errorf("state at the second capture: %v", got)
	}
	series, err := s.PortalSeries(context.Background(), "2026-08", "P1.01")
	if err != nil || len(series) != 2 || *series[1].Metrics[0].Num != 45 || *series[1].Score != 1636 {
		t.Errorf("series %+v, %v", series, err)
	}
	// A published value keeps the moment of the capture that published it.
	off, err := s.OfficialScores(context.Background(), "2026-08", "P1.01", "P1.02")
	if err != nil || len(off) != 4 {
		t.Fatalf("official %+v, %v", off, err)
	}
	for _, o := range off {
		// Only P1.01's group score changed (a tree metric has no score).
		want := time.Date(2026, 9, 26, 6, 0, 0, 0, scoring.Location)
		if o.UnitCode == "P1.01" && o.IsGroup {
			want = want.Add(10 * time.Minute)
		}
		if !o.AsOf.Equal(want) {
			t.Errorf("%s %s as of %v, want %v", o.UnitCode, o.Item, o.AsOf, want)
		}
	}
	// The history in the table's order: by unit, group, moment.
	var hist []string
	err = s.PortalHistory(context.Background(), "2026-08", func(sn PortalSnapshot) error {
		hist = append(hist, fmt.Sprintf("%s@%d=%d", sn.Unit, sn.AsOf.In(scoring.Location).Minute(), *sn.Metrics[0].Num))
		return nil
	})
	if want := "[P1@0=90 P1@10=95 P1.01@0=40 P1.01@10=45 P1.02@0=50]"; err != nil || fmt.Sprint(hist) != want {
		t.Errorf("history %v (%v), want %s", hist, err, want)
	}
	// The same capture again changes nothing.
	v, _ := s.DataVersion(context.Background())
	again := mustPortal(t, s, portalCap(10, true, map[string][2]int64{"P1": {95, 105}, "P1.01": {45, 55}, "P1.02": {50, 50}}))
	if v2, _ := s.DataVersion(context.Background()); !again.Already || v2 != v || again.ImportID != r2.ImportID {
		t.Errorf("re-import: %+v, version %d → %d", again, v, v2)
	}
}

func testPortalBackfill(t *testing.T, open opener) {
	s := open(t)
	mustPortal(t, s, portalCap(0, true, map[string][2]int64{"P1": {90, 100}, "P1.01": {40, 50}}))
	mustPortal(t, s, portalCap(20, true, map[string][2]int64{"P1": {90, 100}, "P1.01": {40, 50}})) // unchanged: no row
	// A capture from between the two, found later, differs.
	r := mustPortal(t, s, portalCap(10, true, map[string][2]int64{"P1": {90, 100}, "P1.01": {30, 50}}))
	if r.Current || len(r.Periods) != 0 || r.Updated != 1 {
		t.Errorf("backfill: %+v", r)
	}
	if got := onTime(t, s, "P1.01"); got != 40 {
		t.Errorf("an older capture must not replace the latest's figures: %d", got)
	}
	for minute, want := range map[int]int64{0: 40, 10: 30, 15: 30, 20: 40, 30: 40} {
		if got := stateAt(t, s, minute)["P1.01"]; got != want {
			t.Errorf("state at minute %d = %d, want %d", minute, got, want)
		}
	}
	// A metric the portal stopped publishing goes from the period's
	// published scores (its counts stay: they were the portal's).
	gone := portalCap(25, true, map[string][2]int64{"P1": {90, 100}, "P1.01": {40, 50}})
	gone.Figures[1].Metrics = nil
	mustPortal(t, s, gone)
	off, err := s.OfficialScores(context.Background(), "2026-08", "P1.01")
	if err != nil || len(off) != 1 || off[0].Item != "TDGQ" {
		t.Errorf("official after a metric went: %+v, %v", off, err)
	}
	// And the latest stays the latest for the next daily capture.
	mustPortal(t, s, portalCap(30, true, map[string][2]int64{"P1": {91, 100}, "P1.01": {41, 50}}))
	if got := onTime(t, s, "P1.01"); got != 41 {
		t.Errorf("latest after the backfill: %d", got)
	}
}

func testPortalUnits(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	all := map[string][2]int64{"P1": {9, 10}, "P1.01": {4, 5}, "P1.02": {5, 5}}
	mustPortal(t, s, portalCap(0, true, all))
	// P1.02 is gone from the next complete capture, and P1.01 is renamed.
	c := portalCap(10, true, map[string][2]int64{"P1": {9, 10}, "P1.01": {4, 5}})
	c.Units[1].Name = "Đơn vị mới tên"
	r := mustPortal(t, s, c)
	if r.Inactive != 1 || r.RenamedUnits != 1 {
		t.Errorf("second capture: %+v", r)
	}
	u, err := s.UnitByCode(ctx, "P1.02")
	if err != nil || u.InactiveFrom == nil || !u.InactiveFrom.Equal(c.AsOf) {
		t.Errorf("P1.02 inactive from %v, want %v (%v)", u.InactiveFrom, c.AsOf, err)
	}
	if u, _ := s.UnitByCode(ctx, "P1.01"); u.Name != "Đơn vị mới tên" || u.InactiveFrom != nil {
		t.Errorf("P1.01 = %+v", u)
	}
	// An older capture, imported late, neither renames back nor revives.
	old := portalCap(5, true, all)
	mustPortal(t, s, old)
	if u, _ := s.UnitByCode(ctx, "P1.01"); u.Name != "Đơn vị mới tên" {
		t.Errorf("renamed back to %q by an older capture", u.Name)
	}
	if u, _ := s.UnitByCode(ctx, "P1.02"); u.InactiveFrom == nil || !u.InactiveFrom.Equal(c.AsOf) {
		t.Errorf("P1.02 inactive from %v after an older capture, want %v", u.InactiveFrom, c.AsOf)
	}
	// Back on the portal: active again; never deleted.
	mustPortal(t, s, portalCap(20, true, all))
	if u, _ := s.UnitByCode(ctx, "P1.02"); u.InactiveFrom != nil {
		t.Errorf("P1.02 still inactive from %v", u.InactiveFrom)
	}
	// A department id stored for another code is a conflict.
	bad := portalCap(30, true, map[string][2]int64{"P1": {9, 10}, "P1.01": {4, 5}})
	bad.Units[1].Code, bad.Figures[1].Unit = "P1.99", "P1.99"
	v, _ := s.DataVersion(ctx)
	_, err = s.ImportPortalCapture(ctx, &models.Import{FileName: "bad", SHA256: "x", Source: models.SourceCLI}, bad)
	var conflict *PortalIDConflict
	if !errors.As(err, &conflict) || conflict.StoredCode != "P1.01" {
		t.Errorf("want an id conflict, got %v", err)
	}
	if v2, _ := s.DataVersion(ctx); v2 != v {
		t.Error("a refused capture changed the data")
	}
}

func testPortalFiles(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	a := portalCap(0, true, map[string][2]int64{"P1": {9, 10}})
	a.Files = append(a.Files, PortalFile{Name: "manifest.json", Data: []byte(`{"same":"bytes"}`)})
	b := portalCap(10, true, map[string][2]int64{"P1": {9, 11}})
	b.Files = append(b.Files, PortalFile{Name: "manifest.json", Data: []byte(`{"same":"bytes"}`)})
	ra := mustPortal(t, s, a)
	mustPortal(t, s, b)
	if n := tableRows(t, s, "portal_files"); n != 3 {
		t.Errorf("%d files stored, want 3 (the same bytes once)", n)
	}
	files, err := s.PortalCaptureFiles(ctx, ra.CaptureID)
	if err != nil || len(files) != 2 {
		t.Fatalf("files %+v, %v", files, err)
	}
	for _, f := range files {
		got, err := s.PortalFileBytes(ctx, f.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"manifest.json": `{"same":"bytes"}`, "dvc-progress-tree-p1.json": a.Fingerprint}[f.Name]
		if string(got) != want || f.Size != int64(len(want)) {
			t.Errorf("%s = %q (%d bytes), want %q", f.Name, got, f.Size, want)
		}
	}
	fp, err := s.PortalFootprint(ctx)
	if err != nil || fp.Captures != 2 || fp.Files != 3 || fp.FileBytes == 0 || fp.Snapshots != 2 || fp.StateBytes == 0 {
		t.Errorf("footprint %+v, %v", fp, err)
	}
	caps, err := s.PortalCaptures(ctx, "P1", "2026-08")
	if err != nil || len(caps) != 2 || !caps[0].AsOf.Equal(a.AsOf) || caps[1].Groups[0] != "TDGQ" {
		t.Errorf("captures %+v, %v", caps, err)
	}
}

func testPortalPublished(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	mustPortal(t, s, portalCap(0, true, map[string][2]int64{"P1": {9, 10}}))
	snap := func(context.Context, string) ([]byte, error) { return []byte(`{"units":[]}`), nil }
	if _, err := s.Publish(ctx, "2026-08", Actor{Name: "office"}, snap); err != nil {
		t.Fatal(err)
	}
	// The same figures captured again: not a change of the published period.
	if r := mustPortal(t, s, portalCap(10, true, map[string][2]int64{"P1": {9, 10}})); len(r.Periods) != 0 {
		t.Errorf("unchanged figures touched %v", r.Periods)
	}
	// Changed figures: refused unless made as a correction.
	_, err := s.ImportPortalCapture(ctx, &models.Import{FileName: "c", SHA256: "x", Source: models.SourceCLI},
		portalCap(20, true, map[string][2]int64{"P1": {8, 10}}))
	var pub *PublishedError
	if !errors.As(err, &pub) {
		t.Errorf("want a PublishedError, got %v", err)
	}
	if got := onTime(t, s, "P1"); got != 9 {
		t.Errorf("refused capture wrote %d", got)
	}
}

var portalTests = map[string]func(*testing.T, opener){
	"Snapshots": testPortalSnapshots,
	"Backfill":  testPortalBackfill,
	"Units":     testPortalUnits,
	"Files":     testPortalFiles,
	"Published": testPortalPublished,
}

func TestPortal(t *testing.T) {
	for name, test := range portalTests {
		t.Run(name, func(t *testing.T) { both(t, test) })
	}
}

func TestPortalStateRoundTrip(t *testing.T) {
	ws := newWords()
	n, d := int64(0), int64(0)
	sc, mx, ra := scoring.Cents(796), scoring.Cents(1800), scoring.Cents(4422)
	f := PortalFigures{Score: &sc, Max: &mx, Ratio: &ra,
		Metrics: []PortalMetric{
			{Code: "PUBLISH_ON_TIME", Num: &n, Den: &d, Max: &mx},
			{Code: "DOSSIER_SYNC", Num: &n, Den: &d, Quality: "NO_NATIONAL_REPORT_DATA", QualityMessage: "Không có dữ liệu báo cáo tổng hợp."},
			{Code: "ELECTRONIC_CERTIFIED_COPY", Score: &mx},
		},
		Extras: []PortalExtra{{Name: "scoreDelta", Value: -125}}}
	b := encodeState(&f, ws)
	got, err := decodeState(b, ws)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, f) {
		t.Errorf("round trip\n got %+v\nwant %+v", got, f)
	}
	if len(b) > 40 {
		t.Errorf("%d bytes for a small state", len(b))
	}
	if _, err := decodeState(b[:len(b)-1], ws); err == nil {
		t.Error("a cut state decoded")
	}
}

// TestPortalSnapshotsRebuildKeepsData: a database whose snapshots were
// written before the table became WITHOUT ROWID keeps them.
func TestPortalSnapshotsRebuildKeepsData(t *testing.T) {
	const rebuild = "202612170001_portal_snapshots_without_rowid"
	at := slices.IndexFunc(migrations, func(m migration) bool { return m.id == rebuild })
	if at < 0 {
		t.Fatalf("migration %s not found", rebuild)
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	all := migrations
	migrations = withScoreTables(all[:at])
	old, err := Open(ctx, Config{Driver: DriverSQLite, DSN: path})
	migrations = all
	if err != nil {
		t.Fatal(err)
	}
	mustPortal(t, old, portalCap(0, true, map[string][2]int64{"P1": {90, 100}, "P1.01": {40, 50}}))
	mustPortal(t, old, portalCap(10, true, map[string][2]int64{"P1": {95, 105}, "P1.01": {40, 50}}))
	before := stateAt(t, old, 5)
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, Config{Driver: DriverSQLite, DSN: path})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var sql string
	if err := s.r.Raw("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'portal_snapshots'").Scan(&sql).Error; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sql, "WITHOUT ROWID") {
		t.Errorf("schema after the rebuild: %s", sql)
	}
	if got := stateAt(t, s, 5); fmt.Sprint(got) != fmt.Sprint(before) || got["P1"] != 90 {
		t.Errorf("state after the rebuild %v, before %v", got, before)
	}
	if got := stateAt(t, s, 10); got["P1"] != 95 || tableRows(t, s, "portal_snapshots") != 3 {
		t.Errorf("state at the second capture after the rebuild: %v", got)
	}
	// And it still takes captures.
	mustPortal(t, s, portalCap(20, true, map[string][2]int64{"P1": {96, 106}, "P1.01": {41, 50}}))
}
