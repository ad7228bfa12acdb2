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

	"scorecard/alerts"
	"scorecard/internal/pgtest"
	"scorecard/models"
)

// tableRows is every row of every table of a store but the migrations'
// record, each row written as text the same way whichever database it
// comes from (times in UTC to the microsecond PostgreSQL keeps, booleans
// and numbers as Go prints them), the rows of a table sorted.
func allRows(t testing.TB, s *Store) map[string][]string {
	t.Helper()
	q := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'migrations'"
	if s.Driver() == DriverPostgres {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'migrations'"
	}
	var tables []string
	if err := s.r.Raw(q).Scan(&tables).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, table := range tables {
		rows, err := s.r.Raw("SELECT * FROM " + quoteIdent(table)).Rows()
		if err != nil {
			t.Fatal(err)
		}
		cols, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		list := []string{}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			cells := make([]string, len(cols))
			for i, v := range vals {
				cells[i] = cols[i] + "=" + cellText(v)
			}
			list = append(list, strings.Join(cells, " | "))
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
		slices.Sort(list)
		out[table] = list
	}
	return out
}

func cellText(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case time.Time:
		return x.UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano)
	case []byte:
		return fmt.Sprintf("%x", x)
	case int16, int32, int64, int:
		return fmt.Sprint(x)
	}
	return fmt.Sprint(v)
}

// A database with something in every kind of table the product writes:
// units, counts, official results, catalogue, dossiers and their derived
// counts, accounts, sessions, publications and their revisions, the audit
// trail, e-mailed alerts, secrets, the portal's captures, a unit merged.
func richDatabase(t testing.TB, s *Store) {
	t.Helper()
	ctx := context.Background()
	provinceOn(t, s, 3000)
	mustImportCounts(t, s, []CountRow{
		{Period: "2024-03", UnitCode: "BK.STP", Metric: "ON_TIME_PROCESSING", Numerator: i64(77), Denominator: i64(80)},
		{Period: "2024-04", UnitCode: "BK.STP", Metric: "ON_TIME_PROCESSING", Numerator: i64(70), Denominator: i64(81)},
	}, false)
	if _, err := s.ImportOfficialResults(ctx, imp("official.csv"), []OfficialResult{{Period: "2024-04", UnitCode: "BK", Total: 7535, Rank: 12, RankOf: 63}}); err != nil {
		t.Fatal(err)
	}
	// Scores a process kept (their form is the scores service's).
	if err := s.SaveScores(ctx, "2024-04", 3, []byte("SC1…"), []byte("ST1…")); err != nil {
		t.Fatal(err)
	}
	u := mustUser(t, s, "vanphong", models.RoleOffice, "")
	mustUser(t, s, "sotp", models.RoleUnit, "BK.STP")
	now := time.Date(2024, 5, 2, 8, 30, 15, 123456789, time.UTC)
	if err := s.CreateSession(ctx, newSession(u.ID, "phiên-1", now), "", nil); err != nil {
		t.Fatal(err)
	}
	f := &fakeSnap{s: s}
	if _, err := s.Publish(ctx, "2024-03", Actor{Name: "vanphong", UserID: &u.ID}, f.snap); err != nil {
		t.Fatal(err)
	}
	appendAt(t, s, now, "vanphong", models.ActionLoginSuccess, "vanphong", "192.0.2.7")
	if ok, err := s.AlertsSent().Claim(ctx, alerts.Key{Unit: "BK.STP", Rule: alerts.RuleBandDrop, Period: "2024-04"}, now); err != nil || !ok {
		t.Fatal(ok, err)
	}
	if _, err := s.Secret(ctx, "csrf", func() (string, error) { return "bí-mật", nil }); err != nil {
		t.Fatal(err)
	}
	// The national portal's captures: their units, snapshots, published
	// scores and raw files.
	mustPortal(t, s, portalCap(0, true, map[string][2]int64{"P1": {9, 10}, "P1.01": {3, 4}, "P1.02": {1, 1}}))
	mustPortal(t, s, portalCap(10, true, map[string][2]int64{"P1": {9, 11}, "P1.01": {3, 5}, "P1.02": {1, 2}}))
	if _, err := s.ImportUnitChanges(ctx, imp("changes.csv"), []UnitChangeRow{{Code: "P1.02", Successor: "P1.01", Change: "merged", Effective: "2026-10-01"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportBoundaries(ctx, imp("ranh-gioi.geojson"), []BoundaryRow{{UnitCode: "P1", Geometry: `{"type":"Polygon","coordinates":[[[105.8,22.1],[105.9,22.1],[105.9,22.2],[105.8,22.1]]]}`}}); err != nil {
		t.Fatal(err)
	}
	// A file uploaded through the web, waiting for its confirmation: its
	// bytes (any byte) too.
	up := &models.StagedUpload{ID: "0123456789abcdef0123456789abcdef", OwnerID: u.ID, FileName: "tải-lên.csv", Size: 6, CreatedAt: now,
		ExpiresAt: now.Add(time.Hour), Phase: models.StagedPreview, Running: true, StartedAt: now, HeartbeatAt: now}
	if err := s.StageUpload(ctx, up, strings.NewReader("a,b\n\x00\xff"), now, now, 50); err != nil {
		t.Fatal(err)
	}
}

// The whole SQLite database goes into an empty PostgreSQL schema: every
// row of every table the same (times to the microsecond), the audit chain
// intact and ending on the same row and hash, the same scores' input, and
// the target goes on from there (its identity columns continue after the
// copied ids). A target with tables is refused and left as it was.
func TestCopyDatabase(t *testing.T) {
	pgtest.Server(t) // skips (fails on CI) before the source is built
	ctx := context.Background()
	from := Config{Driver: DriverSQLite, DSN: filepath.Join(t.TempDir(), "source.db")}
	src := openConfig(t, from)
	richDatabase(t, src)
	want := allRows(t, src)
	for table, rows := range want {
		if len(rows) == 0 {
			t.Errorf("the source has no rows in %s: the test does not cover it", table)
		}
	}
	wantDS, err := src.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}

	to := Config{Driver: DriverPostgres, DSN: pgtest.DSN(t)}
	var seen []string
	rep, err := CopyDatabase(ctx, from, to, func(tc TableCount) { seen = append(seen, tc.Name) })
	if err != nil {
		t.Fatal(err)
	}
	dst := openConfig(t, to)
	got := allRows(t, dst)
	if len(got) != len(want) || len(seen) != len(want) {
		t.Errorf("tables: %d copied, %d reported, %d in the source", len(got), len(seen), len(want))
	}
	for table, rows := range want {
		if !reflect.DeepEqual(got[table], rows) {
			t.Errorf("%s differs:\n source %q\n target %q", table, first(rows, 3), first(got[table], 3))
		}
	}
	for _, tc := range rep.Tables {
		if int64(len(want[tc.Name])) != tc.Rows {
			t.Errorf("%s: %d rows reported, %d in the source", tc.Name, tc.Rows, len(want[tc.Name]))
		}
	}
	if !rep.Audit.Intact() || rep.Audit.Rows < 3 {
		t.Errorf("audit chain after the copy: %+v", rep.Audit)
	}
	gotDS, err := dst.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gotDS, wantDS) {
		t.Error("the dataset read from the copy is not the source's")
	}
	// The copy goes on: new rows take ids after the copied ones.
	mustUser(t, dst, "moi", models.RoleOffice, "")
	if _, err := dst.ImportCounts(ctx, imp("more.csv"), []CountRow{{Period: "2024-05", UnitCode: "BK.STP", Metric: "ON_TIME_PROCESSING",
		Numerator: i64(1), Denominator: i64(2)}}); err != nil {
		t.Fatalf("import into the copy: %v", err)
	}
	appendAt(t, dst, time.Now(), "moi", models.ActionLogout, "moi", "")
	if c, err := dst.VerifyAudit(ctx); err != nil || !c.Intact() || c.Rows <= rep.Audit.Rows {
		t.Errorf("audit chain after new rows: %+v %v", c, err)
	}

	// Again into the same schema: refused, nothing changed.
	before := allRows(t, dst)
	if _, err := CopyDatabase(ctx, from, to, nil); !errors.Is(err, ErrTargetNotEmpty) {
		t.Errorf("copy into a schema with tables: %v", err)
	}
	if !reflect.DeepEqual(allRows(t, dst), before) {
		t.Error("a refused copy changed the target")
	}
}

func first(rows []string, n int) []string { return rows[:min(n, len(rows))] }
