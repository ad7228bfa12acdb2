package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"scorecard/i18n"
	"scorecard/models"
	"scorecard/present"
	"scorecard/scoring"
)

// fakeSnap is a snapshot function over the real data: the period, the data
// version it read and the sum of the numerators the period is made of (its
// own rows, or its months'), so that a snapshot changes when the data does.
type fakeSnap struct {
	s     *Store
	calls int
	// before, when set, runs at the start of each call (a concurrent import).
	before func(call int)
}

type snapDoc struct {
	Period  string `json:"period"`
	Version int64  `json:"version"`
	Sum     int64  `json:"sum"`
}

func (f *fakeSnap) snap(ctx context.Context, period string) ([]byte, error) {
	f.calls++
	if f.before != nil {
		f.before(f.calls)
	}
	v, err := f.s.DataVersion(ctx)
	if err != nil {
		return nil, err
	}
	ds, err := f.s.Dataset(ctx)
	if err != nil {
		return nil, err
	}
	p := scoring.MustPeriod(period)
	var sum int64
	found := false
	for k, c := range ds.Own {
		kp, err := scoring.ParsePeriod(k.Period)
		if err != nil || !c.Valid {
			continue
		}
		if kp == p || (kp.Kind == scoring.Month && p.Kind != scoring.Month && p.Contains(kp)) {
			sum += c.Num
			found = true
		}
	}
	if !found {
		return nil, fmt.Errorf("fake snapshot of %s: %w", period, ErrNoData)
	}
	return json.Marshal(snapDoc{Period: period, Version: v, Sum: sum})
}

func readSnap(t testing.TB, r models.Revision) snapDoc {
	t.Helper()
	if r.Snapshot == nil {
		t.Fatalf("revision %d of %s has no snapshot", r.Revision, r.Period)
	}
	var d snapDoc
	if err := json.Unmarshal([]byte(*r.Snapshot), &d); err != nil {
		t.Fatal(err)
	}
	return d
}

func countRow(period string, num int64) CountRow {
	return CountRow{Period: period, UnitCode: "BK.SGTVT", Metric: "ON_TIME_PROCESSING", Numerator: i64(num), Denominator: i64(10)}
}

// importCounts imports rows with ctx (actor, correction) and returns the
// error.
func importCounts(ctx context.Context, s *Store, rows ...CountRow) error {
	_, err := s.ImportCounts(ctx, imp("counts.csv"), rows)
	return err
}

// snapshotOfDB is what a refused import must leave untouched.
type dbState struct {
	version int64
	imports int
	counts  map[scoring.Key]scoring.Counts
	audit   int64
}

func stateOf(t testing.TB, s *Store) dbState {
	t.Helper()
	ctx := context.Background()
	v, err := s.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	log, err := s.Imports(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := s.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, n, err := s.AuditLog(ctx, AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return dbState{v, len(log), ds.Own, n}
}

func publishedPeriods(err error) []string {
	var pe *PublishedError
	if !errors.As(err, &pe) {
		return nil
	}
	var out []string
	for _, p := range pe.Periods {
		out = append(out, p.Period)
	}
	return out
}

func testPublishAndCorrect(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	f := &fakeSnap{s: s}
	office := Actor{Name: "vanphong", RemoteAddr: "192.0.2.7"}
	mustImportUnits(t, s, hierarchy, false)
	mustImportCounts(t, s, []CountRow{countRow("2024-04", 5), countRow("2024-05", 6)}, false)

	// Publishing freezes the scores as revision 1, once.
	rev, err := s.Publish(ctx, "2024-04", office, f.snap)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := s.DataVersion(ctx)
	if rev.Revision != 1 || rev.Kind != models.RevisionPublish || rev.DataVersion == nil || *rev.DataVersion != v ||
		readSnap(t, rev) != (snapDoc{"2024-04", v, 5}) {
		t.Fatalf("revision 1: %+v", rev)
	}
	if _, err := s.Publish(ctx, "2024-04", office, f.snap); !errors.Is(err, ErrAlreadyPublished) || !errors.Is(err, ErrConflict) {
		t.Errorf("second publish: %v", err)
	}
	if _, err := s.Publish(ctx, "2030-01", office, f.snap); !errors.Is(err, ErrNoData) {
		t.Errorf("period without data: %v", err)
	}
	if _, err := s.Publication(ctx, "2030-01"); !errors.Is(err, ErrNotFound) {
		t.Errorf("a period without data was published: %v", err)
	}
	if _, err := s.Publish(ctx, "2024-4", office, f.snap); !errors.Is(err, ErrInvalid) {
		t.Errorf("non-canonical period: %v", err)
	}
	if _, err := s.Publish(ctx, "2024-Q2", office, f.snap); err != nil {
		t.Fatal(err)
	}
	pubs, err := s.Publications(ctx)
	if err != nil || len(pubs) != 2 || pubs[0].Period != "2024-04" || pubs[1].Period != "2024-Q2" ||
		pubs[0].PublishedBy != "vanphong" || pubs[0].Revision != 1 || pubs[0].CorrectedAt != nil {
		t.Fatalf("publications: %+v %v", pubs, err)
	}

	// Imports into published periods are refused, and change nothing: a
	// month of a published quarter too.
	before := stateOf(t, s)
	err = importCounts(ctx, s, countRow("2024-05", 7))
	if got := publishedPeriods(err); !reflect.DeepEqual(got, []string{"2024-Q2"}) {
		t.Fatalf("2024-05 into published Q2: %v (%v)", got, err)
	}
	err = importCounts(ctx, s, countRow("2024-04", 9), countRow("2024-08", 1))
	if got := publishedPeriods(err); !reflect.DeepEqual(got, []string{"2024-04", "2024-Q2"}) {
		t.Fatalf("2024-04: %v (%v)", got, err)
	}
	if err := importCounts(ctx, s, countRow("2024-Q2", 1)); publishedPeriods(err) == nil {
		t.Fatalf("a row for the published quarter itself: %v", err)
	}
	if after := stateOf(t, s); !reflect.DeepEqual(before, after) {
		t.Fatalf("a refused import changed the database:\n%+v\n%+v", before, after)
	}
	// A too short reason is refused as well.
	short := WithCorrection(ctx, Correction{Reason: " sửa  ", By: office})
	if err := importCounts(short, s, countRow("2024-05", 7)); !errors.Is(err, ErrReason) {
		t.Fatalf("short reason: %v", err)
	}
	if after := stateOf(t, s); !reflect.DeepEqual(before, after) {
		t.Fatal("a refused correction changed the database")
	}
	// Periods nothing published depends on are free: another quarter's
	// month, a half-year's own row, a units file.
	if err := importCounts(ctx, s, countRow("2024-07", 3)); err != nil {
		t.Errorf("2024-07: %v", err)
	}
	if err := importCounts(ctx, s, countRow("2024-H1", 3)); err != nil {
		t.Errorf("2024-H1 row: %v", err)
	}
	mustImportUnits(t, s, hierarchy, false)

	// A correction with its reason goes in and adds a revision to each
	// published period it changes; the snapshot follows after the commit.
	reason := "Sở GTVT gửi lại số liệu tháng 5 sau khi rà soát"
	corr := WithCorrection(WithActor(ctx, office), Correction{Reason: reason})
	if err := importCounts(corr, s, countRow("2024-05", 7)); err != nil {
		t.Fatalf("correction: %v", err)
	}
	q2, err := s.Publication(ctx, "2024-Q2")
	if err != nil || q2.Revision != 2 || q2.CorrectedAt == nil {
		t.Fatalf("Q2 after the correction: %+v %v", q2, err)
	}
	if p, _ := s.Publication(ctx, "2024-04"); p.Revision != 1 {
		t.Errorf("2024-04 was not touched, yet revision %d", p.Revision)
	}
	revs, err := s.Revisions(ctx, "2024-Q2")
	if err != nil || len(revs) != 2 || revs[1].Kind != models.RevisionCorrection || revs[1].Reason != reason ||
		revs[1].Actor != "vanphong" || revs[1].ImportID == nil || !revs[1].Pending() {
		t.Fatalf("revisions: %+v %v", revs, err)
	}
	n, err := s.CompleteRevisions(ctx, f.snap)
	if err != nil || n != 1 {
		t.Fatalf("complete: %d %v", n, err)
	}
	revs, _ = s.Revisions(ctx, "2024-Q2")
	if first, second := readSnap(t, revs[0]), readSnap(t, revs[1]); first.Sum != 5+6 || second.Sum != 5+7 {
		t.Errorf("revision 1 must keep the old figures, revision 2 the new: %+v %+v", first, second)
	}
	if n, _ := s.CompleteRevisions(ctx, f.snap); n != 0 {
		t.Errorf("completed again: %d", n)
	}
	// The audit trail has the correction and the import, with who and why.
	rows, _, err := s.AuditLog(ctx, AuditFilter{Action: models.ActionCorrection})
	if err != nil || len(rows) != 1 || rows[0].Target != "2024-Q2" || rows[0].Actor != "vanphong" ||
		rows[0].RemoteAddr != "192.0.2.7" || !strings.Contains(rows[0].Detail, "rà soát") || !strings.Contains(rows[0].Detail, `"revision":2`) {
		t.Errorf("correction audit: %+v %v", rows, err)
	}
	rows, _, _ = s.AuditLog(ctx, AuditFilter{Action: models.ActionImport, Limit: 1})
	if len(rows) != 1 || !strings.Contains(rows[0].Detail, `"corrected_periods":["2024-Q2"]`) {
		t.Errorf("import audit: %+v", rows)
	}
	if rows, _, _ := s.AuditLog(ctx, AuditFilter{Action: models.ActionPublish}); len(rows) != 2 {
		t.Errorf("publish audit rows: %d", len(rows))
	}

	// A correction without an import (figures changed another way).
	if _, err := s.Correct(ctx, "2024-04", office, "short", f.snap); !errors.Is(err, ErrReason) {
		t.Errorf("short reason: %v", err)
	}
	if _, err := s.Correct(ctx, "2024-08", office, "Điều chỉnh theo văn bản số 12/VP", f.snap); !errors.Is(err, ErrNotPublished) {
		t.Errorf("draft period: %v", err)
	}
	rev, err = s.Correct(ctx, "2024-04", office, "Điều chỉnh theo văn bản số 12/VP", f.snap)
	if err != nil || rev.Revision != 2 || rev.Pending() {
		t.Fatalf("correct: %+v %v", rev, err)
	}
	got, err := s.Revision(ctx, "2024-04", 1)
	if err != nil || readSnap(t, got).Sum != 5 {
		t.Errorf("revision 1 of 2024-04: %+v %v", got, err)
	}
	// May, which Q2 held when published, is a change to it; June, new
	// to it, is not.
	among, err := s.PublishedAmong(ctx, models.ImportCounts, []string{"2024-05"})
	if err != nil || len(among) != 1 || among[0].Period != "2024-Q2" {
		t.Errorf("published among 2024-05: %+v %v", among, err)
	}
	if among, err := s.PublishedAmong(ctx, models.ImportCounts, []string{"2024-06"}); err != nil || len(among) != 0 {
		t.Errorf("published among 2024-06: %+v %v", among, err)
	}
}

func TestPublishAndCorrect(t *testing.T) { both(t, testPublishAndCorrect) }

// An import that commits while a snapshot is being computed must not end
// up under a snapshot of the older data: Publish computes again.
func TestPublishRetriesWhenDataChanges(t *testing.T) { both(t, testPublishRetriesWhenDataChanges) }

func testPublishRetriesWhenDataChanges(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	mustImportUnits(t, s, hierarchy, false)
	mustImportCounts(t, s, []CountRow{countRow("2024-04", 5)}, false)
	f := &fakeSnap{s: s}
	// Publish reads the data version, then calls the snapshot function;
	// during the first call an import commits: the version under the
	// write lock differs from the one read, and Publish computes again.
	f.before = func(call int) {
		if call == 1 {
			mustImportCounts(t, s, []CountRow{countRow("2024-04", 8)}, false)
		}
	}
	rev, err := s.Publish(ctx, "2024-04", cli, f.snap)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := s.DataVersion(ctx)
	if f.calls != 2 || *rev.DataVersion != v || readSnap(t, rev).Sum != 8 {
		t.Errorf("calls %d, revision %+v, version %d", f.calls, rev, v)
	}
}

func TestDemoPublications(t *testing.T) { both(t, testDemoPublications) }

func testDemoPublications(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	f := &fakeSnap{s: s}
	mustImportUnits(t, s, hierarchy, true)
	mustImportCounts(t, s, []CountRow{countRow("2024-04", 5)}, true)
	for _, p := range TouchedPeriods([]string{"2024-04"}) {
		if _, err := s.PublishDemo(ctx, p, f.snap); err != nil {
			t.Fatal(err)
		}
	}
	pubs, _ := s.Publications(ctx)
	if len(pubs) != 4 || !pubs[0].Demo || pubs[0].PublishedBy != models.ActorSystem {
		t.Fatalf("demo publications: %+v", pubs)
	}
	// Loading the demo again writes over its own publications.
	demoImp := imp("counts.csv")
	demoImp.Demo, demoImp.Source = true, models.SourceDemo
	if _, err := s.ImportCounts(ctx, demoImp, []CountRow{countRow("2024-04", 5)}); err != nil {
		t.Fatalf("demo over demo: %v", err)
	}
	// The office's own figures for a month the demo published are
	// refused until the demo goes, and told so.
	err := importCounts(ctx, s, countRow("2024-04", 1))
	var pe *PublishedError
	if !errors.As(err, &pe) || !pe.Demo() || !strings.Contains(present.PublishedRefusal(i18n.VI, pe.Periods), "demo remove") {
		t.Fatalf("office import over the demo: %v", err)
	}
	for l, want := range map[i18n.Lang]string{i18n.VI: "2024-04 (công bố ngày ", i18n.EN: "2024-04 (published "} {
		if msg := present.PublishedRefusal(l, pe.Periods); !strings.Contains(msg, want) || !strings.Contains(msg, "scorecard demo remove") {
			t.Errorf("%s refusal %q, want the period with its day (%q) and how to remove the demo", l, msg, want)
		}
	}
	// The month after the demo's is new to the running quarter, half-year
	// and year the demo published (as older versions did): no correction.
	if err := importCounts(ctx, s, countRow("2024-05", 1)); err != nil {
		t.Fatalf("the month after the demo's: %v", err)
	}
	if revs, _ := s.Revisions(ctx, "2024-Q2"); len(revs) != 2 || revs[1].Kind != models.RevisionUpdate {
		t.Errorf("Q2 after the month after the demo's: %+v", revs)
	}
	n, err := s.RemoveDemoPublications(ctx)
	if err != nil || n != 4 {
		t.Fatalf("removed %d %v", n, err)
	}
	for _, p := range []string{"2024-04", "2024-Q2"} {
		if revs, _ := s.Revisions(ctx, p); len(revs) != 0 {
			t.Errorf("demo revisions of %s kept: %d", p, len(revs))
		}
	}
	if err := importCounts(ctx, s, countRow("2024-04", 1)); err != nil {
		t.Errorf("office import after the demo went: %v", err)
	}
}

func TestTouchedPeriods(t *testing.T) {
	for _, c := range []struct {
		in, want []string
	}{
		{[]string{"2024-05"}, []string{"2024-H1", "2024", "2024-Q2", "2024-05"}},
		{[]string{"2024-05", "2024-06"}, []string{"2024-H1", "2024", "2024-Q2", "2024-05", "2024-06"}},
		{[]string{"2024-Q3"}, []string{"2024-Q3"}},
		{[]string{"2024-H2", "2023"}, []string{"2023", "2024-H2"}},
		{[]string{"2023-12", "2024-01"}, []string{"2023", "2023-H2", "2023-Q4", "2023-12", "2024-01", "2024-Q1", "2024-H1", "2024"}},
		{nil, []string{}},
	} {
		got := TouchedPeriods(c.in)
		// Oldest first; shorter first among those starting together.
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%v: %v, want %v", c.in, got, c.want)
		}
	}
}

// A quarter, half-year or year is published when it ends (its last month
// published, and every month of it with data), not with each of its
// months; one published while running grows with its new months without a
// correction, and anything else that changes it is one.
func TestRunningLongerPeriods(t *testing.T) { both(t, testRunningLongerPeriods) }

func testRunningLongerPeriods(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	f := &fakeSnap{s: s}
	office := Actor{Name: "vanphong"}
	mustImportUnits(t, s, hierarchy, false)
	mustImportCounts(t, s, []CountRow{countRow("2024-04", 5)}, false)

	published := func(want ...string) {
		t.Helper()
		pubs, err := s.Publications(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range pubs {
			got = append(got, p.Period)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("published %v, want %v", got, want)
		}
	}
	revs, err := s.PublishClosing(ctx, "2024-04", office, f.snap)
	if err != nil || len(revs) != 1 || revs[0].Period != "2024-04" {
		t.Fatalf("publish April: %+v %v", revs, err)
	}
	published("2024-04") // Q2, H1 and 2024 run on

	// Q2 published while running, with April only.
	if _, err := s.Publish(ctx, "2024-Q2", office, f.snap); err != nil {
		t.Fatal(err)
	}
	q2, _ := s.Publication(ctx, "2024-Q2")
	if q2.ThroughMonth != "2024-04" {
		t.Fatalf("Q2 holds through %q", q2.ThroughMonth)
	}

	// May is new to Q2: not a correction. Q2 gets a revision of kind
	// update, without a reason, and is not marked corrected.
	if err := importCounts(ctx, s, countRow("2024-05", 6)); err != nil {
		t.Fatalf("a new month into running Q2: %v", err)
	}
	q2, _ = s.Publication(ctx, "2024-Q2")
	if q2.Revision != 2 || q2.CorrectedAt != nil || q2.ThroughMonth != "2024-05" {
		t.Fatalf("Q2 after May: %+v", q2)
	}
	list, _ := s.Revisions(ctx, "2024-Q2")
	if len(list) != 2 || list[1].Kind != models.RevisionUpdate || list[1].Reason != "" || list[1].ImportID == nil || !list[1].Pending() {
		t.Fatalf("Q2's revisions: %+v", list)
	}
	if n, err := s.CompleteRevisions(ctx, f.snap); err != nil || n != 1 {
		t.Fatalf("complete: %d %v", n, err)
	}
	list, _ = s.Revisions(ctx, "2024-Q2")
	if a, b := readSnap(t, list[0]), readSnap(t, list[1]); a.Sum != 5 || b.Sum != 5+6 {
		t.Errorf("revision 1 keeps April only (%d), revision 2 has May (%d)", a.Sum, b.Sum)
	}
	if rows, _, _ := s.AuditLog(ctx, AuditFilter{Action: models.ActionCorrection}); len(rows) != 0 {
		t.Errorf("a new month wrote correction audit rows: %+v", rows)
	}
	if rows, _, _ := s.AuditLog(ctx, AuditFilter{Action: models.ActionImport, Limit: 1}); len(rows) != 1 ||
		!strings.Contains(rows[0].Detail, `"updated_periods":["2024-Q2"]`) || strings.Contains(rows[0].Detail, "corrected") {
		t.Errorf("import audit: %+v", rows)
	}

	// May again, changed: Q2 showed May, so this is a correction; so are
	// a change to April (published) and a row for Q2 itself.
	before := stateOf(t, s)
	for _, c := range []struct {
		rows []CountRow
		want []string
	}{
		{[]CountRow{countRow("2024-05", 7)}, []string{"2024-Q2"}},
		{[]CountRow{countRow("2024-04", 4), countRow("2024-06", 1)}, []string{"2024-04", "2024-Q2"}},
		{[]CountRow{countRow("2024-06", 1), countRow("2024-Q2", 1)}, []string{"2024-Q2"}},
	} {
		if got := publishedPeriods(importCounts(ctx, s, c.rows...)); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%+v: refused for %v, want %v", c.rows, got, c.want)
		}
	}
	if after := stateOf(t, s); !reflect.DeepEqual(before, after) {
		t.Fatal("a refused import changed the database")
	}
	// The same through a dossier import: its quarters are derived from
	// its months, not rows of their own.
	if among, err := s.PublishedAmong(ctx, models.ImportDossiers, []string{"2024-06", "2024-Q2", "2024-H1", "2024"}); err != nil || len(among) != 0 {
		t.Errorf("dossiers of June: %+v %v", among, err)
	}
	if among, err := s.PublishedAmong(ctx, models.ImportCounts, []string{"2024-06", "2024-Q2"}); err != nil || len(among) != 1 {
		t.Errorf("counts of June and Q2: %+v %v", among, err)
	}

	// June, new as well, then May and June published: June ends Q2
	// (published already) and H1 (its months with data are April to
	// June, all published); the year runs on.
	if err := importCounts(ctx, s, countRow("2024-06", 8)); err != nil {
		t.Fatalf("June: %v", err)
	}
	if _, err := s.CompleteRevisions(ctx, f.snap); err != nil {
		t.Fatal(err)
	}
	if revs, err := s.PublishClosing(ctx, "2024-05", office, f.snap); err != nil || len(revs) != 1 {
		t.Fatalf("publish May: %+v %v", revs, err)
	}
	revs, err = s.PublishClosing(ctx, "2024-06", office, f.snap)
	if err != nil || len(revs) != 2 || revs[1].Period != "2024-H1" || readSnap(t, revs[1]).Sum != 5+6+8 {
		t.Fatalf("publish June: %+v %v", revs, err)
	}
	published("2024-06", "2024-05", "2024-04", "2024-Q2", "2024-H1")
	if h1, _ := s.Publication(ctx, "2024-H1"); h1.PublishedBy != "vanphong" || h1.ThroughMonth != "2024-06" {
		t.Errorf("H1: %+v", h1)
	}
	// Q2 has ended: a change to any of its months is a correction.
	if got := publishedPeriods(importCounts(ctx, s, countRow("2024-06", 9))); !reflect.DeepEqual(got, []string{"2024-06", "2024-Q2", "2024-H1"}) {
		t.Errorf("June again: %v", got)
	}
	// July starts Q3 and H2: nothing published changes.
	if err := importCounts(ctx, s, countRow("2024-07", 2)); err != nil {
		t.Errorf("July: %v", err)
	}
}

// A month does not end a longer period while one of its months with data
// is a draft; publishing that month does.
func TestLongerPeriodEndsWithItsLastDraft(t *testing.T) {
	both(t, testLongerPeriodEndsWithItsLastDraft)
}

func testLongerPeriodEndsWithItsLastDraft(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	f := &fakeSnap{s: s}
	mustImportUnits(t, s, hierarchy, false)
	mustImportCounts(t, s, []CountRow{countRow("2024-02", 1), countRow("2024-03", 2)}, false)
	// Closes tells beforehand what publishing a month publishes too.
	closes := func(month string) string {
		t.Helper()
		ps, err := s.Closes(ctx, month)
		if err != nil {
			t.Fatalf("closes %s: %v", month, err)
		}
		var out []string
		for _, p := range ps {
			out = append(out, p.String())
		}
		return strings.Join(out, " ")
	}
	if got := closes("2024-03"); got != "" {
		t.Errorf("March, February a draft, would close %q", got)
	}
	revs, err := s.PublishClosing(ctx, "2024-03", cli, f.snap)
	if err != nil || len(revs) != 1 {
		t.Fatalf("March before February: %+v %v", revs, err)
	}
	if got := closes("2024-02"); got != "2024-Q1" {
		t.Errorf("February, March published, would close %q, want 2024-Q1", got)
	}
	if got := closes("2024-Q1"); got != "" {
		t.Errorf("a quarter closes %q", got)
	}
	revs, err = s.PublishClosing(ctx, "2024-02", cli, f.snap)
	if err != nil || len(revs) != 2 || revs[1].Period != "2024-Q1" {
		t.Fatalf("February: %+v %v", revs, err)
	}
	if got := closes("2024-02"); got != "" {
		t.Errorf("February published, Q1 too: closes %q", got)
	}
}

// Publications made before the latest month was remembered get the latest
// month their period has data for.
func TestThroughMonthMigration(t *testing.T) { both(t, testThroughMonthMigration) }

func testThroughMonthMigration(t *testing.T, open opener) {
	const step = "202612180001_publications_through_month"
	at := slices.IndexFunc(migrations, func(m migration) bool { return m.id == step })
	if at < 0 {
		t.Fatalf("migration %s not found", step)
	}
	ctx := context.Background()
	all := migrations
	migrations = withScoreTables(all[:at])
	defer func() { migrations = all }() // also when open skips
	old := open(t)
	migrations = all
	mustImportUnits(t, old, hierarchy, false)
	mustImportCounts(t, old, []CountRow{countRow("2024-04", 5), countRow("2024-05", 6)}, false)
	// As the older version published: the quarter and the month with
	// it, no latest month, correction as the only other kind.
	for _, p := range []string{"2024-Q2", "2024-05"} {
		if err := old.w.Exec("INSERT INTO publications (period, revision, published_at, published_by, demo) VALUES (?, 1, ?, 'cli', false)", p, time.Now()).Error; err != nil {
			t.Fatal(err)
		}
		if err := old.w.Exec("INSERT INTO publication_revisions (period, revision, kind, actor, snapshot, created_at) VALUES (?, 1, 'publish', 'cli', '{}', ?)", p, time.Now()).Error; err != nil {
			t.Fatal(err)
		}
	}
	s := reopen(t, old)
	for p, want := range map[string]string{"2024-Q2": "2024-05", "2024-05": "2024-05"} {
		if pub, err := s.Publication(ctx, p); err != nil || pub.ThroughMonth != want {
			t.Errorf("%s: %+v %v", p, pub, err)
		}
	}
	// June is new to Q2: an update revision (which the older schema
	// refused) goes in without a reason.
	if err := importCounts(ctx, s, countRow("2024-06", 1)); err != nil {
		t.Fatalf("June: %v", err)
	}
	if revs, _ := s.Revisions(ctx, "2024-Q2"); len(revs) != 2 || revs[1].Kind != models.RevisionUpdate {
		t.Errorf("revisions after the migration: %+v", revs)
	}
	// A correction still needs its reason.
	err := s.w.Exec("INSERT INTO publication_revisions (period, revision, kind, actor, created_at) VALUES ('2024-05', 2, 'correction', 'cli', ?)", time.Now()).Error
	if err == nil {
		t.Error("a correction without a reason was stored")
	}
}
