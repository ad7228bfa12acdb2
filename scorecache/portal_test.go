package scorecache

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"scorecard/data"
	"scorecard/internal/storetest"
	"scorecard/models"
	"scorecard/portal"
	"scorecard/portal/portaltest"
	"scorecard/scoring"
	"scorecard/store"
)

const h90 = "../portal/testdata/h90-2026-08"

func portalStoreWith(t *testing.T, captures ...string) (*Service, *store.Store) {
	t.Helper()
	st := storetest.SQLite.Open(t)
	sc, err := data.DefaultSchemes()
	if err != nil {
		t.Fatal(err)
	}
	im := portal.NewImporter(st, sc)
	for _, c := range captures {
		if _, err := im.ImportCapture(context.Background(), c, models.SourceCLI); err != nil {
			t.Fatalf("import %s: %v", c, err)
		}
	}
	return New(st, sc), st
}

// edited copies the fixture capture with one file edited (old → new),
// refreshing the manifest's hash of it.
func edited(t *testing.T, file, old, new string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "capture")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(h90)
	var before, after []byte
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(h90, e.Name()))
		if e.Name() == file {
			before = b
			if !bytes.Contains(b, []byte(old)) {
				t.Fatalf("%s lacks %q", file, old)
			}
			b = bytes.Replace(b, []byte(old), []byte(new), 1)
			after = b
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	m := filepath.Join(dir, portal.ManifestName)
	mb, _ := os.ReadFile(m)
	mb = bytes.Replace(mb, []byte(portal.File{Data: before}.SHA256()), []byte(portal.File{Data: after}.SHA256()), 1)
	if err := os.WriteFile(m, mb, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func findRecon(rec *Reconciliation, unit, group, metric string) (Recon, bool) {
	for _, u := range rec.Units {
		if u.Unit.Code != unit {
			continue
		}
		rows := u.Groups
		if metric != "" {
			rows = u.Metrics
		}
		for _, r := range rows {
			if r.Group == group && r.Metric == metric {
				return r, true
			}
		}
	}
	return Recon{}, false
}

func TestReconcileFixture(t *testing.T) {
	ctx := context.Background()
	// One published metric score changed: nothing explains it.
	dir := edited(t, "dossier-digitized.json", `"numerator":980,"denominator":1207,"ratio":81.19,"score":2,`, `"numerator":980,"denominator":1207,"ratio":81.19,"score":1.5,`)
	svc, _ := portalStoreWith(t, dir)
	rec, err := svc.Reconcile(ctx, scoring.MustPeriod("2026-08"), "H90")
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Units) != 7 || !rec.AsOf.Equal(time.Date(2026, 9, 25, 23, 0, 0, 0, time.UTC)) {
		t.Fatalf("%d units as of %v", len(rec.Units), rec.AsOf)
	}
	// Every published metric score is reproduced but the edited one; every
	// group but the online-services groups the portal published as a score
	// only, without counts (five of the six child units; the sixth is 0
	// either way). The edited metric's group kept its published score.
	if rec.MetricsCompared == 0 || rec.MetricsMatched != rec.MetricsCompared-1 {
		t.Errorf("metrics %d/%d", rec.MetricsMatched, rec.MetricsCompared)
	}
	if rec.GroupsCompared != 7*6 || rec.GroupsMatched != 7*6-5 {
		t.Errorf("groups %d/%d", rec.GroupsMatched, rec.GroupsCompared)
	}
	r, ok := findRecon(rec, "H90.12", "MDSH", "REUSED_DIGITIZED_DATA")
	if !ok || r.Match || r.Cause != CauseUnknown || *r.Ours != 200 || *r.Official != 150 || r.Diff != 50 {
		t.Errorf("edited metric: %+v", r)
	}
	if r, _ := findRecon(rec, "H90.12", "MDSH", ""); !r.Match {
		t.Errorf("its group: %+v", r)
	}
	r, ok = findRecon(rec, "H90.07", "DVCTT", "")
	if !ok || r.Match || !r.OfficialOnly || r.Cause != CauseOfficialOnly || *r.Official != 645 {
		t.Errorf("official-only group: %+v", r)
	}
	if r, _ := findRecon(rec, "H90", "DVCTT", ""); !r.Match || r.OfficialOnly {
		t.Errorf("the province's online services, with counts: %+v", r)
	}
	if r, _ := findRecon(rec, "H90.101", "TTTT", ""); !r.Match || *r.Official != 606 {
		t.Errorf("payment group (percent_first): %+v", r)
	}
	if r, _ := findRecon(rec, "H90.07", "CKMB", "PUBLISH_ON_TIME"); r.Cause != CauseNotPublished || r.Compared() {
		t.Errorf("a score the portal did not publish: %+v", r)
	}
	if r, _ := findRecon(rec, "H90.103", "CKMB", "DOSSIER_SYNC"); r.Quality != "NO_NATIONAL_REPORT_DATA" {
		t.Errorf("quality flag: %+v", r)
	}
	for _, u := range rec.Units {
		if u.OfficialTotal == nil {
			t.Errorf("%s: every group was published, no official total", u.Unit.Code)
		}
	}

	ou, err := svc.OfficialUnit(ctx, scoring.MustPeriod("2026-08"), "H90.07")
	if err != nil || ou.Groups["DVCTT"].Score == nil || *ou.Groups["DVCTT"].Score != 645 || ou.Metrics["DOSSIER_SYNC"].Quality == "" || ou.Total == nil {
		t.Errorf("official unit %+v, %v", ou, err)
	}
}

func TestReconcileCauses(t *testing.T) {
	sc, err := data.DefaultSchemes()
	if err != nil {
		t.Fatal(err)
	}
	s := sc.Latest()
	pay := s.Metric("ONLINE_PAYMENT_DOSSIERS")
	// 295/377 paid online: the portal's percent_first gives 4,70, exact
	// arithmetic 4,69.
	exact := *pay
	exact.Rounding = scoring.RoundExact
	ms := scoring.MetricScore{Metric: &exact, Counts: scoring.C(295, 377), Source: scoring.SourceOwn, Scored: true, Points: 469}
	if got := metricCause(ms, Recon{Official: cents(470)}); got != CauseRounding {
		t.Errorf("rounding: %q", got)
	}
	if got := metricCause(ms, Recon{Official: cents(470), Quality: "TEMP_NATIONAL_REPORT_DENOMINATOR"}); got != CauseQuality {
		t.Errorf("quality: %q", got)
	}
	ms.Source = scoring.SourceDerived
	if got := metricCause(ms, Recon{Official: cents(470)}); got != CauseOtherCounts {
		t.Errorf("derived counts: %q", got)
	}
	ms.Source, ms.Counts = scoring.SourceNone, scoring.Counts{}
	if got := metricCause(ms, Recon{Official: cents(470)}); got != CauseOfficialOnly {
		t.Errorf("no counts: %q", got)
	}
}

func TestDaysOfARunningPeriod(t *testing.T) {
	ctx := context.Background()
	sc, _ := data.DefaultSchemes()
	pr := portaltest.NewProvince("H93", 3, 8, sc)
	p := scoring.MustPeriod("2026-10")
	root := t.TempDir()
	var dirs []string
	// Five days, two captures on the third (the later one closes it), one
	// at 23:30 UTC that belongs to the next Vietnam day.
	for i, at := range []string{"2026-10-01T06:00:00+07:00", "2026-10-02T06:00:00+07:00", "2026-10-03T06:00:00+07:00",
		"2026-10-03T18:00:00+07:00", "2026-10-04T23:30:00Z", "2026-10-06T06:00:00+07:00"} {
		asOf, _ := time.Parse(time.RFC3339, at)
		day := []int{0, 1, 2, 2, 4, 5}[i]
		if i == 3 {
			pr.Renamed["H93.100"] = "UBND Phường Thử Nghiệm (tên mới)"
		}
		dir, err := pr.WriteCapture(root, p, day, asOf, 0)
		if err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, dir)
	}
	svc, _ := portalStoreWith(t, dirs...)
	days, err := svc.Days(ctx, p, "H93")
	if err != nil {
		t.Fatal(err)
	}
	var dates []string
	for _, d := range days.Days {
		dates = append(dates, d.Date)
	}
	if want := "[2026-10-01 2026-10-02 2026-10-03 2026-10-05 2026-10-06]"; fmtList(dates) != want {
		t.Fatalf("days %v, want %s", dates, want)
	}
	// Each day's figures are the engine's own from that day's counts.
	for _, d := range []int{0, 4} {
		ud := days.Days[d].Units["H93.101"]
		want := pr.Score(p, scoring.KindCommune, "H93.101", []int{0, 1, 2, 4, 5}[d])
		if ud == nil || ud.Total != want || !ud.HasData {
			t.Errorf("day %d: H93.101 = %+v, want total %s", d, ud, want)
		}
	}
	series := days.Unit("H93.02")
	if len(series) != 5 || series[0].Rank == 0 || series[0].RankOf != 3 || series[0].OfficialTotal == nil {
		t.Errorf("series %+v", series)
	}
	movers := days.Movers(3, 4)
	if len(movers) != 12 {
		t.Errorf("%d movers, want the province and its 11 units", len(movers))
	}
	for _, m := range movers {
		if m.Unit == "H93" && m.RankChange != 0 {
			t.Errorf("the province moved among itself: %+v", m)
		}
	}
	// Two moments read by index give the same day and movers as the replay.
	last, err := svc.DayAt(ctx, p, "H93", days.Days[4].AsOf.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	before, err := svc.DayAt(ctx, p, "H93", days.Days[3].AsOf)
	if err != nil {
		t.Fatal(err)
	}
	if !last.AsOf.Equal(days.Days[4].AsOf) || len(last.Units) != len(days.Days[4].Units) {
		t.Errorf("day at: %v, %d units", last.AsOf, len(last.Units))
	}
	for code, u := range days.Days[4].Units {
		if got := last.Units[code]; got == nil || got.Total != u.Total || got.Rank != u.Rank || got.OfficialRank != u.OfficialRank {
			t.Errorf("%s: day at %+v, replay %+v", code, got, u)
		}
	}
	if fmt.Sprint(Movers(before, last)) != fmt.Sprint(movers) {
		t.Errorf("movers by index %v, by replay %v", Movers(before, last), movers)
	}
}

func fmtList(s []string) string { return "[" + joinSpace(s) + "]" }

func joinSpace(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out
}

// Every reader of the service sees the portal's published figures where it
// published them, ours kept beside them; the reconciliation still compares
// ours.
func TestPeriodShowsPublishedFigures(t *testing.T) {
	ctx := context.Background()
	dir := edited(t, "dossier-digitized.json", `"numerator":980,"denominator":1207,"ratio":81.19,"score":2,`, `"numerator":980,"denominator":1207,"ratio":81.19,"score":1.5,`)
	svc, _ := portalStoreWith(t, dir)
	p := scoring.MustPeriod("2026-08")
	ps, err := svc.Period(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := svc.Recomputed(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := svc.Reconcile(ctx, p, "H90")
	if err != nil {
		t.Fatal(err)
	}
	m := ps.Unit("H90.12").Metric("REUSED_DIGITIZED_DATA")
	if m.Points != 150 || !m.Official || raw.Unit("H90.12").Metric("REUSED_DIGITIZED_DATA").Points != 200 {
		t.Errorf("edited metric shown %s (official %v), ours %s", m.Points, m.Official, raw.Unit("H90.12").Metric("REUSED_DIGITIZED_DATA").Points)
	}
	if r := ps.Recomputed().Unit("H90.12").Metric("REUSED_DIGITIZED_DATA"); r.Points != 200 || r.Official {
		t.Errorf("the recomputation kept beside it: %+v", r)
	}
	g := ps.Unit("H90.07").Group("DVCTT")
	if g.Score != 645 || !g.Official || !g.OfficialOnly || raw.Unit("H90.07").Group("DVCTT").Score == 645 {
		t.Errorf("official-only DVCTT shown %+v, ours %s", *g, raw.Unit("H90.07").Group("DVCTT").Score)
	}
	for _, u := range rec.Units {
		shown := ps.Unit(u.Unit.Code)
		if u.OfficialTotal == nil || shown.Total != *u.OfficialTotal || !shown.Official {
			t.Errorf("%s: shown total %s, published %v", u.Unit.Code, shown.Total, u.OfficialTotal)
		}
		if u.Total != raw.Unit(u.Unit.Code).Total {
			t.Errorf("%s: the reconciliation's own total %s is not the recomputation %s", u.Unit.Code, u.Total, raw.Unit(u.Unit.Code).Total)
		}
	}
	if r, _ := findRecon(rec, "H90.07", "DVCTT", ""); r.Match || r.Cause != CauseOfficialOnly {
		t.Errorf("the reconciliation compares ours, not the figures shown: %+v", r)
	}
	// A rank follows the figures shown.
	ranked := ps.Ranking(scoring.KindAgency, "H90", nil)
	for i := 1; i < len(ranked); i++ {
		if ranked[i].Rank > 0 && ranked[i].Total > ranked[i-1].Total {
			t.Errorf("ranking not by the totals shown: %s %s before %s %s", ranked[i-1].Unit.Code, ranked[i-1].Total, ranked[i].Unit.Code, ranked[i].Total)
		}
	}
}
