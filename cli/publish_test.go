package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"scorecard/models"
	"scorecard/store"
)

func TestPublishWorkflow(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	// In English (SCORECARD_LANG), as an office's scripts may ask.
	env := map[string]string{"SCORECARD_DB": filepath.Join(dir, "pub.db"), "SCORECARD_LANG": "en"}
	units := writeFile(t, dir, "units.csv", "code,name,kind,parent_code\nBK,Tỉnh Bắc Kạn,province,\nBK.SGTVT,Sở Giao thông vận tải,agency,BK\nBK.SYT,Sở Y tế,agency,BK\n")
	counts := writeFile(t, dir, "counts.csv", "period,unit_code,metric,numerator,denominator\n"+
		"2024-04,BK.SGTVT,ON_TIME_PROCESSING,653,654\n2024-04,BK.SYT,ON_TIME_PROCESSING,100,200\n2024-05,BK.SGTVT,ON_TIME_PROCESSING,10,20\n")
	may := writeFile(t, dir, "may.csv", "period,unit_code,metric,numerator,denominator\n2024-05,BK.SGTVT,ON_TIME_PROCESSING,19,20\n")
	july := writeFile(t, dir, "july.csv", "period,unit_code,metric,numerator,denominator\n2024-07,BK.SGTVT,ON_TIME_PROCESSING,5,5\n")
	if r := runCLI(t, ctx, env, "import", units, counts); r.code != 0 {
		t.Fatalf("import: %+v", r)
	}

	r := runCLI(t, ctx, env, "publish", "2024-04", "2024-Q2")
	if r.code != 0 || strings.Count(r.stdout, "published (revision 1)") != 2 {
		t.Fatalf("publish: %+v", r)
	}
	if r := runCLI(t, ctx, env, "publish", "2024-04"); r.code != 0 || !strings.Contains(r.stdout, "already published") {
		t.Errorf("publish again: %+v", r)
	}
	if r := runCLI(t, ctx, env, "publish", "2030-01"); r.code != 1 || !strings.Contains(r.stdout, "no data") {
		t.Errorf("publish without data: %+v", r)
	}

	st := openDB(t, env)
	pubs, err := st.Publications(ctx)
	if err != nil || len(pubs) != 2 || pubs[0].PublishedBy != models.ActorCLI {
		t.Fatalf("publications: %+v %v", pubs, err)
	}
	// The frozen snapshot holds every unit's scores, ranks and counts.
	revs, err := st.Revisions(ctx, "2024-04")
	if err != nil || len(revs) != 1 || revs[0].Snapshot == nil {
		t.Fatalf("revisions: %+v %v", revs, err)
	}
	// Read back as any client would (scores are plain numbers).
	type metric struct {
		Code        string
		Numerator   *int64
		Denominator *int64
	}
	type unit struct {
		Code   string
		Total  float64
		Rank   *int
		RankOf int `json:"rank_of"`
		Groups []struct{ Metrics []metric }
	}
	var snap struct {
		Period string
		Units  []unit
	}
	if err := json.Unmarshal([]byte(*revs[0].Snapshot), &snap); err != nil {
		t.Fatal(err)
	}
	byCode := map[string]unit{}
	for _, u := range snap.Units {
		byCode[u.Code] = u
	}
	gtvt, yte := byCode["BK.SGTVT"], byCode["BK.SYT"]
	if snap.Period != "2024-04" || len(snap.Units) != 3 || gtvt.Rank == nil || *gtvt.Rank != 1 || yte.Rank == nil || *yte.Rank != 2 ||
		gtvt.RankOf != 2 || gtvt.Total <= yte.Total || len(gtvt.Groups) == 0 {
		t.Fatalf("snapshot: %+v", snap)
	}
	found := false
	for _, g := range gtvt.Groups {
		for _, m := range g.Metrics {
			if m.Code == "ON_TIME_PROCESSING" {
				found = m.Numerator != nil && *m.Numerator == 653 && *m.Denominator == 654
			}
		}
	}
	if !found {
		t.Error("the snapshot lacks the counts")
	}

	// May is in the published quarter: refused without a correction,
	// recorded in the audit trail, nothing changed.
	r = runCLI(t, ctx, env, "import", may)
	if r.code != 1 || !strings.Contains(r.stderr, "2024-Q2") || !strings.Contains(r.stderr, "--correction") {
		t.Fatalf("import into a published quarter: %+v", r)
	}
	if rows, _, _ := st.AuditLog(ctx, store.AuditFilter{Action: models.ActionImportRefused}); len(rows) != 1 || !strings.Contains(rows[0].Detail, "2024-Q2") {
		t.Errorf("refusal audit: %+v", rows)
	}
	if r := runCLI(t, ctx, env, "import", "--correction", "ngắn", may); r.code != 1 || !strings.Contains(r.stderr, "reason") {
		t.Errorf("short reason: %+v", r)
	}
	r = runCLI(t, ctx, env, "import", "--correction", "Sở GTVT gửi lại số liệu tháng 5 (công văn 45/SGTVT)", may)
	if r.code != 0 || !strings.Contains(r.stdout, "Corrected published periods: 2024-Q2 (revision 2)") {
		t.Fatalf("correction: %+v", r)
	}
	revs, _ = st.Revisions(ctx, "2024-Q2")
	if len(revs) != 2 || revs[1].Pending() || revs[1].Reason == "" || *revs[0].Snapshot == *revs[1].Snapshot {
		t.Fatalf("Q2 revisions: %+v", revs)
	}
	if p, _ := st.Publication(ctx, "2024-Q2"); p.Revision != 2 || p.CorrectedAt == nil {
		t.Errorf("Q2 publication: %+v", p)
	}

	// --publish publishes the file's own periods, not their quarter.
	r = runCLI(t, ctx, env, "import", "--publish", july)
	if r.code != 0 || !strings.Contains(r.stdout, "2024-07: published") {
		t.Fatalf("import --publish: %+v", r)
	}
	if _, err := st.Publication(ctx, "2024-07"); err != nil {
		t.Errorf("2024-07 not published: %v", err)
	}
	if _, err := st.Publication(ctx, "2024-Q3"); err == nil {
		t.Error("the quarter was published with its month")
	}
	rows, _, _ := st.AuditLog(ctx, store.AuditFilter{Action: models.ActionPublish})
	if len(rows) != 3 {
		t.Errorf("%d publish audit rows", len(rows))
	}
	rows, _, _ = st.AuditLog(ctx, store.AuditFilter{Action: models.ActionImport})
	if len(rows) != 4 || rows[0].Actor != models.ActorCLI {
		t.Errorf("import audit rows: %+v", rows)
	}
}

// The demo data set is published when it loads (the public pages show
// published periods only) and its publications go with it.
func TestDemoIsPublished(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the whole demo (slow)")
	}
	ctx := context.Background()
	env := map[string]string{"SCORECARD_DB": filepath.Join(t.TempDir(), "demo.db")}
	if r := runCLI(t, ctx, env, "demo", "load"); r.code != 0 {
		t.Fatalf("demo load: %+v", r)
	}
	st := openDB(t, env)
	pubs, err := st.Publications(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The 43 months from 2023-05 to 2026-11, and the closed periods they
	// make: 14 quarters, 7 half-years and 3 years; not 2026-Q4, 2026-H2 nor
	// 2026, still running in the demo's last month.
	if len(pubs) != 67 || !pubs[0].Demo || pubs[0].Period != "2026-11" {
		t.Fatalf("%d demo publications: %+v", len(pubs), pubs[:min(3, len(pubs))])
	}
	for _, p := range pubs {
		if p.Period == "2026-Q4" || p.Period == "2026-H2" || p.Period == "2026" {
			t.Errorf("%s published, though still running in the demo's last month", p.Period)
		}
	}
	// The running year comes with it, captured every evening, a draft.
	if caps, err := st.PortalCaptures(ctx, "TN", "2026"); err != nil || len(caps) != 91 {
		t.Errorf("%d captures of the running year, %v", len(caps), err)
	}
	// Loading it again is harmless.
	if r := runCLI(t, ctx, env, "demo", "load"); r.code != 0 {
		t.Fatalf("demo load again: %+v", r)
	}
	if caps, _ := st.PortalCaptures(ctx, "TN", "2026"); len(caps) != 91 {
		t.Errorf("%d captures of the running year after loading again", len(caps))
	}
	if r := runCLI(t, ctx, env, "demo", "remove"); r.code != 0 {
		t.Fatalf("demo remove: %+v", r)
	}
	if pubs, _ := st.Publications(ctx); len(pubs) != 0 {
		t.Errorf("%d demo publications left", len(pubs))
	}
	if fp, err := st.PortalFootprint(ctx); err != nil || fp.Captures != 0 || fp.Snapshots != 0 {
		t.Errorf("the running year after demo remove: %+v %v", fp, err)
	}
	if official, err := st.OfficialScores(ctx, "2026"); err != nil || len(official) != 0 {
		t.Errorf("%d published scores of the running year after demo remove, %v", len(official), err)
	}
	if rows, _, _ := st.AuditLog(ctx, store.AuditFilter{Action: models.ActionDemoRemove}); len(rows) != 1 || !strings.Contains(rows[0].Detail, `"publications":67`) {
		t.Errorf("demo remove audit: %+v", rows)
	}
}

// The month after the demo's last is not a correction: the demo publishes
// only what has ended, and publishing that month ends the quarter,
// half-year and year it completes, which are then published with it.
func TestMonthAfterTheDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the whole demo (slow)")
	}
	ctx := context.Background()
	dir := t.TempDir()
	env := map[string]string{"SCORECARD_DB": filepath.Join(dir, "demo.db")}
	if r := runCLI(t, ctx, env, "demo", "load"); r.code != 0 {
		t.Fatalf("demo load: %+v", r)
	}
	st := openDB(t, env)
	before, err := st.Publications(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dec := writeFile(t, dir, "dec.csv", "period,unit_code,metric,numerator,denominator\n"+
		"2026-12,TN.SNV,ON_TIME_PROCESSING,90,100\n2026-12,TN.STP,ON_TIME_PROCESSING,80,100\n")
	if r := runCLI(t, ctx, env, "import", dec); r.code != 0 {
		t.Fatalf("import the month after the demo's: %+v", r)
	}
	after, err := st.Publications(ctx)
	if err != nil || len(after) != len(before) {
		t.Fatalf("publications %d → %d %v", len(before), len(after), err)
	}
	for _, p := range after {
		if p.Revision != 1 {
			t.Errorf("%s has revision %d after a new month", p.Period, p.Revision)
		}
	}
	r := runCLI(t, ctx, env, "publish", "2026-12")
	if r.code != 0 {
		t.Fatalf("publish 2026-12: %+v", r)
	}
	for _, p := range []string{"2026-12", "2026-Q4", "2026-H2", "2026"} {
		if pub, err := st.Publication(ctx, p); err != nil || pub.Revision != 1 || !strings.Contains(r.stdout, p+":") {
			t.Errorf("%s after publishing December: %+v %v\n%s", p, pub, err, r.stdout)
		}
	}
}

// A quarter published while running grows with a new month: no correction
// asked, a revision of kind update; a month it already held needs one.
func TestRunningQuarterGrows(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	env := map[string]string{"SCORECARD_DB": filepath.Join(dir, "q.db")}
	units := writeFile(t, dir, "units.csv", "code,name,kind,parent_code\nBK,Tỉnh Bắc Kạn,province,\nBK.SGTVT,Sở Giao thông vận tải,agency,BK\n")
	month := func(m string, num int) string {
		return writeFile(t, dir, m+".csv", fmt.Sprintf("period,unit_code,metric,numerator,denominator\n%s,BK.SGTVT,ON_TIME_PROCESSING,%d,20\n", m, num))
	}
	if r := runCLI(t, ctx, env, "import", "--publish", units, month("2024-04", 18)); r.code != 0 {
		t.Fatalf("import April: %+v", r)
	}
	st := openDB(t, env)
	if _, err := st.Publication(ctx, "2024-Q2"); err == nil {
		t.Fatal("Q2 published with April")
	}
	if r := runCLI(t, ctx, env, "publish", "2024-Q2"); r.code != 0 {
		t.Fatalf("publish Q2: %+v", r)
	}
	if r := runCLI(t, ctx, env, "import", month("2024-05", 19)); r.code != 0 {
		t.Fatalf("May into running Q2: %+v", r)
	}
	revs, err := st.Revisions(ctx, "2024-Q2")
	if err != nil || len(revs) != 2 || revs[1].Kind != models.RevisionUpdate || revs[1].Pending() || *revs[0].Snapshot == *revs[1].Snapshot {
		t.Fatalf("Q2 after May: %+v %v", revs, err)
	}
	if r := runCLI(t, ctx, env, "import", month("2024-05", 17)); r.code != 1 || !strings.Contains(r.stderr, "2024-Q2") {
		t.Errorf("May again, changed: %+v", r)
	}
	if r := runCLI(t, ctx, env, "publish", "2024-05"); r.code != 0 || strings.Contains(r.stdout, "2024-H1") {
		t.Errorf("publish May: %+v", r)
	}
	if r := runCLI(t, ctx, env, "import", "--publish", month("2024-06", 20)); r.code != 0 ||
		!strings.Contains(r.stdout, "2024-H1:") {
		t.Errorf("June ends H1: %+v", r)
	}
	if _, err := st.Publication(ctx, "2024"); err == nil {
		t.Error("the year published in June")
	}
}

// After an import the periods left as drafts are named with the exact
// command that publishes them (with the --db the import was given), and
// that command does.
func TestImportNamesDraftsAndTheNextCommand(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "số liệu")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "tỉnh mới.db")
	units := writeFile(t, dir, "units.csv", "code,name,kind,parent_code\nSL,Tỉnh Sông Lam,province,\nSL.STP,Sở Tư pháp,agency,SL\n")
	counts := writeFile(t, dir, "counts.csv", "period,unit_code,metric,numerator,denominator\n"+
		"2024-03,SL.STP,ON_TIME_PROCESSING,90,100\n2024-04,SL.STP,ON_TIME_PROCESSING,95,100\n")
	r := runCLI(t, ctx, nil, "import", "--db", db, units, counts)
	want := "2 kỳ đang là bản nháp, công chúng chưa thấy: scorecard publish --db '" + db + "' 2024-03 2024-04"
	if r.code != 0 || !strings.Contains(r.stdout, want) {
		t.Fatalf("import: %+v\nwant %q", r, want)
	}
	if strings.Contains(r.stdout, "units.csv: đã nhập 2 dòng đơn vị (2 mới, 0 thay đổi, 0 không đổi)") == false ||
		!strings.Contains(r.stdout, "counts.csv: đã nhập 2 dòng số liệu chỉ số (2 mới, 0 thay đổi, 0 không đổi); kỳ 2024-03, 2024-04") {
		t.Errorf("summary: %s", r.stdout)
	}
	// Run the printed command as printed.
	line := r.stdout[strings.Index(r.stdout, "scorecard publish"):]
	line = line[:strings.Index(line, " (")]
	args := shellSplit(t, line)[1:]
	if r := runCLI(t, ctx, nil, args...); r.code != 0 || !strings.Contains(r.stdout, "2024-03: đã công bố (bản 1).") ||
		!strings.Contains(r.stdout, "2024-04: đã công bố (bản 1).") {
		t.Fatalf("%v: %+v", args, r)
	}
	// Nothing left to say once published; in English when asked.
	env := map[string]string{"SCORECARD_DB": db}
	may := writeFile(t, dir, "may.csv", "period,unit_code,metric,numerator,denominator\n2024-05,SL.STP,ON_TIME_PROCESSING,97,100\n")
	r = runCLI(t, ctx, env, "import", "--lang", "en", may)
	if r.code != 0 || !strings.Contains(r.stdout, "1 period is a draft the public cannot see yet: scorecard publish 2024-05") {
		t.Errorf("English, one period, SCORECARD_DB: %+v", r)
	}
	if r := runCLI(t, ctx, env, "import", "--publish", may); r.code != 0 || strings.Contains(r.stdout, "bản nháp") {
		t.Errorf("--publish: %+v", r)
	}
}

// shellSplit splits a command line as a POSIX shell would, for the
// quoting the command line prints (words, and words in single quotes).
func shellSplit(t *testing.T, s string) []string {
	t.Helper()
	var out []string
	var cur strings.Builder
	in, has := false, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\'':
			in, has = !in, true
		case c == ' ' && !in:
			if has {
				out = append(out, cur.String())
			}
			cur.Reset()
			has = false
		default:
			cur.WriteByte(c)
			has = true
		}
	}
	if in {
		t.Fatalf("unbalanced quotes in %q", s)
	}
	if has {
		out = append(out, cur.String())
	}
	return out
}
