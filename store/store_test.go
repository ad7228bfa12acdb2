package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"gorm.io/gorm"

	"scorecard/internal/sqlitetemplate"
	"scorecard/models"
	"scorecard/scoring"
)

func openTest(t testing.TB) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "nested", "folder", "test.db")
	return openAt(t, path), path
}

// openAt opens the SQLite database at path, closed when the test ends.
func openAt(t testing.TB, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), Config{Driver: DriverSQLite, DSN: path})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return s
}

// opener gives a fresh, migrated, empty store.
type opener func(testing.TB) *Store

// openSQLite opens a copy of sqliteTemplate. openTest's store is made from
// nothing, for the tests of what Open does to a new file, and so is this
// one while a test has cut the migrations to make an older schema.
func openSQLite(t testing.TB) *Store {
	t.Helper()
	if !slices.EqualFunc(migrations, allMigrations, func(a, b migration) bool { return a.id == b.id }) {
		s, _ := openTest(t)
		return s
	}
	path := filepath.Join(t.TempDir(), "test.db")
	sqliteTemplate.CopyTo(t, path)
	return openAt(t, path)
}

// sqliteTemplate is a new database as Open leaves it. Most tests need a
// fresh, migrated, empty store, not the migrations run again (~20 ms of
// CPU and several syncs each).
var sqliteTemplate = sqlitetemplate.New(func(path string) error {
	s, err := Open(context.Background(), Config{Driver: DriverSQLite, DSN: path})
	if err != nil {
		return err
	}
	return s.Close()
})

// allMigrations are the migrations of the code, which the template has.
var allMigrations = migrations

func i64(v int64) *int64 { return &v }

func imp(name string) *models.Import {
	return &models.Import{FileName: name, SHA256: "x", Source: models.SourceCLI}
}

// hierarchy is a small province: one agency, one district, two communes
// (one under the district, one directly under the province).
var hierarchy = []UnitRow{
	{Code: "BK.BABE.CHOREN", Name: "Xã Chợ Rã", Kind: "commune", ParentCode: "BK.BABE"},
	{Code: "BK", Name: "Tỉnh Bắc Kạn", Kind: "province"},
	{Code: "BK.SGTVT", Name: "Sở Giao thông vận tải", Kind: "agency", ParentCode: "BK"},
	{Code: "BK.BABE", Name: "Huyện Ba Bể", Kind: "district", ParentCode: "BK"},
	{Code: "BK.XA", Name: "Xã trực thuộc", Kind: "commune", ParentCode: "BK"},
}

func mustImportUnits(t testing.TB, s *Store, rows []UnitRow, demo bool) Result {
	t.Helper()
	im := imp("units.csv")
	im.Demo = demo
	if demo {
		im.Source = models.SourceDemo
	}
	res, err := s.ImportUnits(context.Background(), im, rows)
	if err != nil {
		t.Fatalf("import units: %v", err)
	}
	return res
}

func mustImportCounts(t testing.TB, s *Store, rows []CountRow, demo bool) Result {
	t.Helper()
	im := imp("counts.csv")
	im.Demo = demo
	res, err := s.ImportCounts(context.Background(), im, rows)
	if err != nil {
		t.Fatalf("import counts: %v", err)
	}
	return res
}

func version(t testing.TB, s *Store) int64 {
	t.Helper()
	v, err := s.DataVersion(context.Background())
	if err != nil {
		t.Fatalf("data version: %v", err)
	}
	return v
}

func TestOpenMigratesEmptyDatabase(t *testing.T) {
	s, path := openTest(t)
	ctx := context.Background()

	var ids []string
	if err := s.r.WithContext(ctx).Table(migrationsTable).Order("id").Pluck("id", &ids).Error; err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, m := range migrations {
		want = append(want, m.id)
	}
	if !reflect.DeepEqual(ids, want) {
		t.Fatalf("recorded migrations %v, want %v", ids, want)
	}
	for _, table := range []string{"units", "imports", "metric_counts", "data_state"} {
		if !s.r.Migrator().HasTable(table) {
			t.Errorf("table %s missing", table)
		}
	}
	if v := version(t, s); v != 0 {
		t.Errorf("fresh data version = %d, want 0", v)
	}

	// The pragmas hold on both pools (they are per connection).
	for name, pool := range map[string]*gorm.DB{"writer": s.w, "reader": s.r} {
		var journal string
		var fk, sync, busy int
		for q, dst := range map[string]any{"PRAGMA journal_mode": &journal, "PRAGMA foreign_keys": &fk,
			"PRAGMA synchronous": &sync, "PRAGMA busy_timeout": &busy} {
			if err := pool.Raw(q).Scan(dst).Error; err != nil {
				t.Fatalf("%s %s: %v", name, q, err)
			}
		}
		var pageSize int
		if err := pool.Raw("PRAGMA page_size").Scan(&pageSize).Error; err != nil || pageSize != sqlitePageSize {
			t.Errorf("%s: page_size %d (%v), want %d for a new file", name, pageSize, err, sqlitePageSize)
		}
		if journal != "wal" || fk != 1 || sync != 1 || busy != 10000 {
			t.Errorf("%s: journal_mode=%s foreign_keys=%d synchronous=%d busy_timeout=%d; want wal 1 1(NORMAL) 10000",
				name, journal, fk, sync, busy)
		}
	}
	// The read pool refuses writes.
	if err := s.r.Exec("UPDATE data_state SET version = 99").Error; err == nil {
		t.Error("write through the read pool succeeded; want query_only to refuse it")
	}
	if filepath.Base(path) != "test.db" {
		t.Fatal(path)
	}
}

func TestSecondOpenIsNoop(t *testing.T) { both(t, testSecondOpenIsNoop) }

func testSecondOpenIsNoop(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	mustImportUnits(t, s, hierarchy, false)
	v := version(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s2 := reopen(t, s)
	var ids []string
	if err := s2.r.Table(migrationsTable).Order("id").Pluck("id", &ids).Error; err != nil {
		t.Fatal(err)
	}
	if len(ids) != len(migrations) || ids[0] != migrations[0].id {
		t.Errorf("migrations recorded after a second open: %v, want the %d steps once each", ids, len(migrations))
	}
	units, err := s2.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(units) != len(hierarchy) || version(t, s2) != v {
		t.Errorf("second open changed data: %d units, version %d (want %d, %d)", len(units), version(t, s2), len(hierarchy), v)
	}
}

func TestOpenRefusesDatabaseFromNewerBinary(t *testing.T) {
	both(t, testOpenRefusesDatabaseFromNewerBinary)
}

func testOpenRefusesDatabaseFromNewerBinary(t *testing.T, open opener) {
	s := open(t)
	if err := s.w.Exec("INSERT INTO migrations (id) VALUES ('299901010001_from_the_future')").Error; err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if s2, err := Open(context.Background(), s.cfg); err == nil {
		_ = s2.Close()
		t.Fatal("open accepted a database with an unknown migration")
	}
}

func TestOpenUnknownDriver(t *testing.T) {
	if _, err := Open(context.Background(), Config{Driver: "mysql", DSN: "x"}); err == nil {
		t.Fatal("unknown driver accepted")
	}
}

func TestImportUnitsUpsert(t *testing.T) { both(t, testImportUnitsUpsert) }

func testImportUnitsUpsert(t *testing.T, open opener) {
	s := open(t)
	ctx := context.Background()

	res := mustImportUnits(t, s, hierarchy, false)
	if res.Inserted != 5 || res.Updated != 0 || res.Unchanged != 0 || res.Rows != 5 || res.ImportID == 0 {
		t.Fatalf("first import: %+v", res)
	}
	v1 := version(t, s)

	// Same file again: nothing changes but the import that last wrote.
	res2 := mustImportUnits(t, s, hierarchy, false)
	if res2.Inserted != 0 || res2.Updated != 0 || res2.Unchanged != 5 {
		t.Fatalf("re-import: %+v", res2)
	}
	if v2 := version(t, s); v2 <= v1 {
		t.Errorf("data version did not move: %d then %d", v1, v2)
	}

	// Rename the commune and move it under the province.
	moved := []UnitRow{{Code: "BK.BABE.CHOREN", Name: "Xã Chợ Rã (mới)", Kind: "commune", ParentCode: "BK"}}
	res3 := mustImportUnits(t, s, moved, false)
	if res3.Inserted != 0 || res3.Updated != 1 {
		t.Fatalf("update: %+v", res3)
	}
	u, err := s.UnitByCode(ctx, "BK.BABE.CHOREN")
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "Xã Chợ Rã (mới)" || u.Parent() != "BK" || u.ImportID == nil || *u.ImportID != res3.ImportID {
		t.Errorf("after update: %+v", u)
	}
	if time.Since(u.CreatedAt) > time.Minute || u.UpdatedAt.Before(u.CreatedAt) {
		t.Errorf("timestamps: created %v, updated %v", u.CreatedAt, u.UpdatedAt)
	}
	units, err := s.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(units) != 5 || units[0].Code != "BK" {
		t.Errorf("units: %d, first %q", len(units), units[0].Code)
	}
	codes, err := s.UnitCodes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if codes["BK.SGTVT"].Kind != "agency" || len(codes) != 5 {
		t.Errorf("unit codes: %v", codes)
	}

	imps, err := s.Imports(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(imps) != 2 || imps[0].ID != res3.ImportID || imps[0].Kind != models.ImportUnits ||
		imps[0].Rows != 1 || imps[0].Updated != 1 || imps[1].ID != res2.ImportID {
		t.Errorf("imports log: %+v", imps)
	}
}

func TestUnitByCodeIsCaseSensitive(t *testing.T) { both(t, testUnitByCodeIsCaseSensitive) }

func testUnitByCodeIsCaseSensitive(t *testing.T, open opener) {
	s := open(t)
	mustImportUnits(t, s, hierarchy, false)
	_, err := s.UnitByCode(context.Background(), "bk")
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("UnitByCode(bk) error = %v, want ErrNotFound", err)
	}
	// A code differing only in case is another unit.
	mustImportUnits(t, s, []UnitRow{{Code: "bk", Name: "lower", Kind: "province"}}, false)
	u, err := s.UnitByCode(context.Background(), "bk")
	if err != nil || u.Name != "lower" {
		t.Fatalf("bk: %+v, %v", u, err)
	}
}

func TestImportUnitsRollsBackOnError(t *testing.T) { both(t, testImportUnitsRollsBackOnError) }

func testImportUnitsRollsBackOnError(t *testing.T, open opener) {
	s := open(t)
	ctx := context.Background()
	mustImportUnits(t, s, hierarchy[1:2], false) // BK only
	v := version(t, s)

	// Many good rows, then one whose parent does not exist, in a later
	// batch: the foreign key fails and nothing of the file may stay.
	var rows []UnitRow
	for i := 0; i < 2500; i++ {
		rows = append(rows, UnitRow{Code: fmt.Sprintf("BK.A%04d", i), Name: "Sở", Kind: "agency", ParentCode: "BK"})
	}
	rows = append(rows, UnitRow{Code: "BK.ORPHAN", Name: "Mồ côi", Kind: "commune", ParentCode: "NOWHERE"})
	_, err := s.ImportUnits(ctx, imp("bad.csv"), rows)
	if !errors.Is(err, ErrConflict) {
		t.Fatalf("error = %v, want ErrConflict", err)
	}
	units, err := s.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	imps, err := s.Imports(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(units) != 1 || len(imps) != 1 || version(t, s) != v {
		t.Errorf("after failed import: %d units, %d imports, version %d→%d; want 1, 1, unchanged", len(units), len(imps), v, version(t, s))
	}

	// Duplicated codes in one call are refused before writing.
	if _, err := s.ImportUnits(ctx, imp("dup.csv"), []UnitRow{hierarchy[1], hierarchy[1]}); !errors.Is(err, ErrConflict) {
		t.Errorf("duplicate codes: %v, want ErrConflict", err)
	}
	// A province with a parent breaks the table's CHECK.
	if _, err := s.ImportUnits(ctx, imp("p.csv"), []UnitRow{{Code: "X", Name: "X", Kind: "province", ParentCode: "BK"}}); err == nil {
		t.Error("province with a parent accepted")
	}
}

func countRows(period string) []CountRow {
	return []CountRow{
		{Period: period, UnitCode: "BK.SGTVT", Metric: "ON_TIME_PROCESSING", Numerator: i64(653), Denominator: i64(654)},
		{Period: period, UnitCode: "BK", Metric: "PUBLISH_ON_TIME", Numerator: i64(2), Denominator: i64(3)},
		{Period: period, UnitCode: "BK.SGTVT", Metric: "ELECTRONIC_CERTIFIED_COPY"},
		{Period: period, UnitCode: "BK.BABE", Metric: "ON_TIME_PROCESSING", Numerator: i64(0), Denominator: i64(0)},
	}
}

func TestDatasetRoundTrip(t *testing.T) { both(t, testDatasetRoundTrip) }

func testDatasetRoundTrip(t *testing.T, open opener) {
	s := open(t)
	ctx := context.Background()
	mustImportUnits(t, s, hierarchy, false)
	res := mustImportCounts(t, s, append(countRows("2024-Q2"), countRows("2024-04")...), false)
	if !reflect.DeepEqual(res.Periods, []string{"2024-04", "2024-Q2"}) {
		t.Errorf("periods = %v, want oldest first", res.Periods)
	}

	ds, err := s.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Units) != 5 {
		t.Fatalf("units = %d", len(ds.Units))
	}
	var commune scoring.Unit
	for _, u := range ds.Units {
		if u.Code == "BK.BABE.CHOREN" {
			commune = u
		}
	}
	if commune != (scoring.Unit{Code: "BK.BABE.CHOREN", Name: "Xã Chợ Rã", Kind: scoring.KindCommune, ParentCode: "BK.BABE"}) {
		t.Errorf("commune = %+v", commune)
	}
	want := map[scoring.Key]scoring.Counts{}
	for _, p := range []string{"2024-04", "2024-Q2"} {
		want[scoring.Key{Period: p, Unit: "BK.SGTVT", Metric: "ON_TIME_PROCESSING"}] = scoring.C(653, 654)
		want[scoring.Key{Period: p, Unit: "BK", Metric: "PUBLISH_ON_TIME"}] = scoring.C(2, 3)
		want[scoring.Key{Period: p, Unit: "BK.SGTVT", Metric: "ELECTRONIC_CERTIFIED_COPY"}] = scoring.Counts{}
		want[scoring.Key{Period: p, Unit: "BK.BABE", Metric: "ON_TIME_PROCESSING"}] = scoring.C(0, 0)
	}
	if !reflect.DeepEqual(ds.Own, want) {
		t.Errorf("own counts:\n got %v\nwant %v", ds.Own, want)
	}
}

func TestImportCountsIdempotent(t *testing.T) { both(t, testImportCountsIdempotent) }

func testImportCountsIdempotent(t *testing.T, open opener) {
	s := open(t)
	ctx := context.Background()
	mustImportUnits(t, s, hierarchy, false)
	first := mustImportCounts(t, s, countRows("2024-04"), false)
	ds1, err := s.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	again := mustImportCounts(t, s, countRows("2024-04"), false)
	if first.Inserted != 4 || again.Inserted != 0 || again.Updated != 0 || again.Unchanged != 4 {
		t.Fatalf("first %+v, again %+v", first, again)
	}
	ds2, err := s.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ds1, ds2) {
		t.Error("re-importing the same counts changed the dataset")
	}

	// New values replace old ones, including "no counts" ↔ numbers.
	changed := []CountRow{
		{Period: "2024-04", UnitCode: "BK.SGTVT", Metric: "ON_TIME_PROCESSING", Numerator: i64(600), Denominator: i64(654)},
		{Period: "2024-04", UnitCode: "BK.SGTVT", Metric: "ELECTRONIC_CERTIFIED_COPY", Numerator: i64(1), Denominator: i64(1)},
		{Period: "2024-04", UnitCode: "BK", Metric: "PUBLISH_ON_TIME"},
	}
	res := mustImportCounts(t, s, changed, false)
	if res.Updated != 3 || res.Inserted != 0 {
		t.Fatalf("changed: %+v", res)
	}
	ds3, err := s.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := ds3.Own[scoring.Key{Period: "2024-04", Unit: "BK.SGTVT", Metric: "ON_TIME_PROCESSING"}]; got != scoring.C(600, 654) {
		t.Errorf("replaced counts = %+v", got)
	}
	if got := ds3.Own[scoring.Key{Period: "2024-04", Unit: "BK", Metric: "PUBLISH_ON_TIME"}]; got.Valid {
		t.Errorf("counts emptied by re-import = %+v, want no counts", got)
	}
	if len(ds3.Own) != 4 {
		t.Errorf("rows = %d, want 4", len(ds3.Own))
	}
}

func TestImportCountsRollsBackOnError(t *testing.T) { both(t, testImportCountsRollsBackOnError) }

func testImportCountsRollsBackOnError(t *testing.T, open opener) {
	s := open(t)
	ctx := context.Background()
	mustImportUnits(t, s, hierarchy, false)
	mustImportCounts(t, s, countRows("2024-04"), false)
	before, err := s.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	v := version(t, s)

	// 1 500 good rows (some replacing existing ones), then a unit that does
	// not exist in the second batch.
	var rows []CountRow
	for i := 0; i < 1500; i++ {
		rows = append(rows, CountRow{Period: "2024-05", UnitCode: "BK.SGTVT", Metric: fmt.Sprintf("M%04d", i), Numerator: i64(1), Denominator: i64(2)})
	}
	rows = append(rows, CountRow{Period: "2024-04", UnitCode: "BK.SGTVT", Metric: "ON_TIME_PROCESSING", Numerator: i64(1), Denominator: i64(1)})
	rows = append(rows, CountRow{Period: "2024-05", UnitCode: "NOWHERE", Metric: "ON_TIME_PROCESSING", Numerator: i64(1), Denominator: i64(2)})
	if _, err := s.ImportCounts(ctx, imp("bad.csv"), rows); !errors.Is(err, ErrConflict) {
		t.Fatalf("error = %v, want ErrConflict", err)
	}
	after, err := s.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	imps, err := s.Imports(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, after) || len(imps) != 2 || version(t, s) != v {
		t.Errorf("failed import left traces: same data %v, %d imports (want 2), version %d→%d",
			reflect.DeepEqual(before, after), len(imps), v, version(t, s))
	}
}

func TestImportCountsRefusesBadRows(t *testing.T) { both(t, testImportCountsRefusesBadRows) }

func testImportCountsRefusesBadRows(t *testing.T, open opener) {
	s := open(t)
	ctx := context.Background()
	mustImportUnits(t, s, hierarchy, false)
	cases := []struct {
		name string
		rows []CountRow
		want error
	}{
		{"numerator above denominator", []CountRow{{Period: "2024-04", UnitCode: "BK", Metric: "M", Numerator: i64(3), Denominator: i64(2)}}, ErrInvalid},
		{"negative", []CountRow{{Period: "2024-04", UnitCode: "BK", Metric: "M", Numerator: i64(-1), Denominator: i64(2)}}, ErrInvalid},
		{"one side empty", []CountRow{{Period: "2024-04", UnitCode: "BK", Metric: "M", Numerator: i64(1)}}, ErrInvalid},
		{"nothing", nil, ErrInvalid},
		{"duplicate key", []CountRow{{Period: "2024-04", UnitCode: "BK", Metric: "M"}, {Period: "2024-04", UnitCode: "BK", Metric: "M"}}, ErrConflict},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := s.ImportCounts(ctx, imp("x.csv"), c.rows); !errors.Is(err, c.want) {
				t.Fatalf("error = %v, want %v", err, c.want)
			}
		})
	}
	imps, err := s.Imports(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(imps) != 1 {
		t.Errorf("%d imports logged, want only the units import", len(imps))
	}
}

func TestRemoveDemo(t *testing.T) { both(t, testRemoveDemo) }

func testRemoveDemo(t *testing.T, open opener) {
	s := open(t)
	ctx := context.Background()
	if has, err := s.HasDemo(ctx); err != nil || has {
		t.Fatalf("empty db: HasDemo = %v, %v", has, err)
	}

	mustImportUnits(t, s, hierarchy, true)
	mustImportCounts(t, s, countRows("2024-04"), true)
	// The office's own data: a province of its own with counts, and an
	// agency imported under the demo province.
	mustImportUnits(t, s, []UnitRow{{Code: "GL", Name: "Tỉnh Gia Lai", Kind: "province"},
		{Code: "BK.MINE", Name: "Sở thật", Kind: "agency", ParentCode: "BK"}}, false)
	mustImportCounts(t, s, []CountRow{
		{Period: "2024-04", UnitCode: "GL", Metric: "PUBLISH_ON_TIME", Numerator: i64(1), Denominator: i64(1)},
		// Real counts on a demo unit go with the unit.
		{Period: "2024-05", UnitCode: "BK.SGTVT", Metric: "ON_TIME_PROCESSING", Numerator: i64(1), Denominator: i64(1)},
		// A real re-import of a demo count makes it the office's.
		{Period: "2024-04", UnitCode: "BK", Metric: "PUBLISH_ON_TIME", Numerator: i64(5), Denominator: i64(5)},
	}, false)
	if has, err := s.HasDemo(ctx); err != nil || !has {
		t.Fatalf("HasDemo = %v, %v; want true", has, err)
	}
	v := version(t, s)

	removed, err := s.RemoveDemo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// BK stays (BK.MINE hangs under it); the four other demo units go.
	if removed != 4 {
		t.Errorf("removed = %d, want 4", removed)
	}
	units, err := s.UnitCodes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(units) != 3 || units["BK"].Demo || units["GL"].Code == "" || units["BK.MINE"].Code == "" {
		t.Errorf("units left: %v", units)
	}
	ds, err := s.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[scoring.Key]scoring.Counts{
		{Period: "2024-04", Unit: "GL", Metric: "PUBLISH_ON_TIME"}: scoring.C(1, 1),
		{Period: "2024-04", Unit: "BK", Metric: "PUBLISH_ON_TIME"}: scoring.C(5, 5),
	}
	if !reflect.DeepEqual(ds.Own, want) {
		t.Errorf("counts left: %v, want %v", ds.Own, want)
	}
	if has, err := s.HasDemo(ctx); err != nil || has {
		t.Errorf("after removal HasDemo = %v, %v", has, err)
	}
	if version(t, s) <= v {
		t.Error("demo removal did not move the data version")
	}

	// Removing again is a no-op.
	v = version(t, s)
	if n, err := s.RemoveDemo(ctx); err != nil || n != 0 || version(t, s) != v {
		t.Errorf("second removal: %d, %v, version %d→%d", n, err, v, version(t, s))
	}
}

func TestDemoImportDoesNotClaimOfficeUnits(t *testing.T) {
	both(t, testDemoImportDoesNotClaimOfficeUnits)
}

func testDemoImportDoesNotClaimOfficeUnits(t *testing.T, open opener) {
	s := open(t)
	ctx := context.Background()
	mustImportUnits(t, s, hierarchy[1:2], false) // office's BK
	mustImportUnits(t, s, hierarchy, true)       // demo re-imports BK with its children
	u, err := s.UnitByCode(ctx, "BK")
	if err != nil {
		t.Fatal(err)
	}
	if u.Demo {
		t.Fatal("a demo import turned an office unit into a demo unit")
	}
	if _, err := s.RemoveDemo(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UnitByCode(ctx, "BK"); err != nil {
		t.Errorf("office unit removed with the demo: %v", err)
	}
}

// TestReadsDuringWrite: with WAL and a separate read pool, pages keep
// reading the last committed data while a write transaction is open.
func TestReadsDuringWrite(t *testing.T) { both(t, testReadsDuringWrite) }

func testReadsDuringWrite(t *testing.T, open opener) {
	s := open(t)
	ctx := context.Background()
	mustImportUnits(t, s, hierarchy, false)
	v := version(t, s)

	tx := s.w.Begin()
	if tx.Error != nil {
		t.Fatal(tx.Error)
	}
	if err := tx.Exec("UPDATE data_state SET version = version + 1").Error; err != nil {
		t.Fatal(err)
	}
	if err := tx.Exec("DELETE FROM units WHERE kind = 'commune'").Error; err != nil {
		t.Fatal(err)
	}

	done := make(chan error, 1)
	go func() {
		rctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		ds, err := s.Dataset(rctx)
		if err == nil && len(ds.Units) != len(hierarchy) {
			err = fmt.Errorf("reader saw uncommitted data: %d units", len(ds.Units))
		}
		if err == nil {
			var got int64
			if got, err = s.DataVersion(rctx); err == nil && got != v {
				err = fmt.Errorf("reader saw uncommitted version %d", got)
			}
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Error(err)
		}
	case <-time.After(5 * time.Second):
		t.Error("read blocked behind an open write transaction")
	}
	if err := tx.Commit().Error; err != nil {
		t.Fatal(err)
	}
	if got := version(t, s); got != v+1 {
		t.Errorf("after commit version = %d, want %d", got, v+1)
	}
}

func TestMemoryDatabase(t *testing.T) {
	s, err := Open(context.Background(), Config{Driver: "sqlite", DSN: ":memory:"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mustImportUnits(t, s, hierarchy, false)
	units, err := s.Units(context.Background())
	if err != nil || len(units) != 5 {
		t.Fatalf("in-memory units: %d, %v", len(units), err)
	}
}

// bigDataset is 20 000 counts: 200 units × 25 metrics × 4 months.
func bigDataset(t testing.TB, s *Store) {
	t.Helper()
	units := []UnitRow{{Code: "P", Name: "Tỉnh", Kind: "province"}}
	for i := 0; i < 199; i++ {
		units = append(units, UnitRow{Code: fmt.Sprintf("P.%03d", i), Name: "Sở", Kind: "agency", ParentCode: "P"})
	}
	mustImportUnits(t, s, units, false)
	var rows []CountRow
	for m := 1; m <= 4; m++ {
		for _, u := range units {
			for k := 0; k < 25; k++ {
				rows = append(rows, CountRow{Period: fmt.Sprintf("2024-%02d", m), UnitCode: u.Code,
					Metric: fmt.Sprintf("METRIC_%02d", k), Numerator: i64(int64(k)), Denominator: i64(100)})
			}
		}
	}
	start := time.Now()
	res := mustImportCounts(t, s, rows, false)
	if res.Inserted != 20000 {
		t.Fatalf("inserted %d", res.Inserted)
	}
	if tb, ok := t.(*testing.T); ok {
		tb.Logf("imported 20 000 counts in %v", time.Since(start))
	}
}

func TestDatasetLarge(t *testing.T) {
	t.Parallel()
	both(t, testDatasetLarge)
}

func testDatasetLarge(t *testing.T, open opener) {
	s := open(t)
	bigDataset(t, s)
	start := time.Now()
	ds, err := s.Dataset(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Dataset with %d counts in %v", len(ds.Own), time.Since(start))
	if len(ds.Own) != 20000 || len(ds.Units) != 200 {
		t.Fatalf("dataset: %d counts, %d units", len(ds.Own), len(ds.Units))
	}
}

func BenchmarkDataset(b *testing.B) {
	s, _ := openTest(b)
	bigDataset(b, s)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		ds, err := s.Dataset(ctx)
		if err != nil || len(ds.Own) != 20000 {
			b.Fatal(err)
		}
	}
}

func BenchmarkImportCounts20k(b *testing.B) {
	s, _ := openTest(b)
	bigDataset(b, s)
	ds, err := s.Dataset(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	rows := make([]CountRow, 0, len(ds.Own))
	for k, c := range ds.Own {
		rows = append(rows, CountRow{Period: k.Period, UnitCode: k.Unit, Metric: k.Metric, Numerator: i64(c.Num), Denominator: i64(c.Den)})
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.ImportCounts(context.Background(), imp("b.csv"), rows); err != nil {
			b.Fatal(err)
		}
	}
}

// TestOpenKeepsPageSizeOfExistingFile: a database made with SQLite's
// default page size (by an earlier version) opens, migrates and keeps its
// page size; only a new file gets sqlitePageSize.
func TestOpenKeepsPageSizeOfExistingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"PRAGMA page_size = 4096", "PRAGMA journal_mode = WAL", "CREATE TABLE keep_me (x INTEGER)"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(context.Background(), Config{Driver: DriverSQLite, DSN: path})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var size, kept int
	if err := s.r.Raw("PRAGMA page_size").Scan(&size).Error; err != nil || size != 4096 {
		t.Errorf("page_size %d (%v), want the file's 4096", size, err)
	}
	if err := s.r.Raw("SELECT COUNT(*) FROM sqlite_master WHERE name = 'keep_me'").Scan(&kept).Error; err != nil || kept != 1 {
		t.Errorf("the existing table is gone (%d, %v)", kept, err)
	}
	mustImportUnits(t, s, hierarchy, false)
}
