package handlers

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"scorecard/data"
	"scorecard/internal/storetest"
	"scorecard/models"
	"scorecard/portal"
	"scorecard/scorecache"
	"scorecard/scoring"
	"scorecard/store"
)

// portalCapture is the project's fixture capture of a small province
// (H90, August 2026: the province, two agencies, four communes).
const portalCapture = "../portal/testdata/h90-2026-08"

// newOfficialApp is the application over a store holding the fixture
// capture, its period published.
func newOfficialApp(t *testing.T) (*fiber.App, *store.Store, *scorecache.Service) {
	t.Helper()
	st := storetest.SQLite.Open(t)
	app, svc, _ := publishedCapture(t, st, withCapture(t, st))
	return app, st, svc
}

// withCapture imports the fixture capture into st; it gives the schemes.
func withCapture(t *testing.T, st *store.Store) *scoring.Schemes {
	t.Helper()
	schemes, err := data.DefaultSchemes()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := portal.NewImporter(st, schemes).ImportCapture(context.Background(), portalCapture, models.SourceCLI); err != nil {
		t.Fatal(err)
	}
	return schemes
}

// publishedCapture publishes the capture's period (2026-08) over st and
// gives the application, its scores service and the revision published.
func publishedCapture(t *testing.T, st *store.Store, schemes *scoring.Schemes) (*fiber.App, *scorecache.Service, models.Revision) {
	t.Helper()
	svc := scorecache.New(st, schemes)
	rev, err := st.Publish(context.Background(), "2026-08", store.Actor{Name: "test"}, scorecache.SnapshotFunc(svc))
	if err != nil {
		t.Fatal(err)
	}
	app, err := New(Deps{Scores: svc, Store: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return app, svc, rev
}

// The public unit page, the API and the rankings show the portal's
// published figures; a group published without counts is marked and left
// out of the what-if, which works on our recomputation.
func TestPagesShowPublishedFigures(t *testing.T) {
	app, _, svc := newOfficialApp(t)
	ctx := context.Background()
	p := scoring.MustPeriod("2026-08")
	rec, err := svc.Reconcile(ctx, p, "H90")
	if err != nil {
		t.Fatal(err)
	}
	var published scoring.Cents
	var recomputed scoring.Cents
	for _, u := range rec.Units {
		if u.Unit.Code == "H90.07" {
			published, recomputed = *u.OfficialTotal, u.Total
		}
	}
	if published == 0 || published == recomputed {
		t.Fatalf("fixture: H90.07's published total %s should differ from ours %s (its online services are official only)", published, recomputed)
	}

	status, _, body := get(t, app, "/api/v1/units/H90.07?period=2026-08")
	if status != 200 {
		t.Fatalf("API: %d %s", status, body)
	}
	var u struct {
		Total    scorecache.Cents `json:"total"`
		Official bool             `json:"official"`
		Groups   []struct {
			Code         string           `json:"code"`
			Score        scorecache.Cents `json:"score"`
			Official     bool             `json:"official"`
			OfficialOnly bool             `json:"official_only"`
		} `json:"groups"`
	}
	if err := json.Unmarshal([]byte(body), &u); err != nil {
		t.Fatal(err)
	}
	if scoring.Cents(u.Total) != published || !u.Official {
		t.Errorf("API total %s (official %v), published %s", scoring.Cents(u.Total), u.Official, published)
	}
	only := 0
	for _, g := range u.Groups {
		if g.OfficialOnly {
			only++
			if g.Code != "DVCTT" || !g.Official || scoring.Cents(g.Score) != 645 {
				t.Errorf("official-only group %+v", g)
			}
		}
	}
	if only != 1 {
		t.Errorf("%d official-only groups in the API, want DVCTT", only)
	}

	status, _, body = get(t, app, "/units/H90.07?period=2026-08")
	if status != 200 {
		t.Fatalf("unit page: %d", status)
	}
	groups := between(t, body, `id="h-groups"`, "</table>")
	if !strings.Contains(groups, "theo Cổng DVCQG, không có số liệu chi tiết") {
		t.Error("the groups table does not mark the official-only group")
	}
	total := strings.ReplaceAll(published.String(), ".", ",")
	if !strings.Contains(between(t, groups, "<tfoot>", "</tfoot>"), total) {
		t.Errorf("the groups table's total is not the published %s", total)
	}
	if !strings.Contains(body, `id="official-note"`) {
		t.Error("the page does not say the figures are the portal's")
	}
	if strings.Contains(body, strings.ReplaceAll(recomputed.String(), ".", ",")) {
		t.Errorf("the public page shows our differing total %s", recomputed)
	}
	// The what-if page offers no field for a metric of the official-only
	// group.
	if status, _, body = get(t, app, "/units/H90.07/whatif?period=2026-08"); status != 200 {
		t.Fatalf("what-if page: %d", status)
	}
	if !strings.Contains(body, `id="wi-official"`) {
		t.Error("the what-if does not say it works from the recomputation")
	}
	if wi := between(t, body, `id="thu-tinh"`, "</form>"); strings.Contains(wi, "ONLINE_SUBMISSION") || !strings.Contains(wi, "ON_TIME_PROCESSING") {
		t.Error("the what-if form offers the official-only group's metrics, or not the others")
	}

	status, b := postWhatIf(t, app, "H90.07", wiBody{Period: "2026-08", Overrides: []wiOverride{{Metric: "ONLINE_SUBMISSION", Num: 1, Den: 2}}})
	if status != 400 || !strings.Contains(string(b), scoring.ErrCodeOfficialOnly) {
		t.Errorf("what-if on an official-only metric: %d %s", status, b)
	}
	status, b = postWhatIf(t, app, "H90.07", wiBody{Period: "2026-08"})
	var w struct {
		Base struct {
			Total scorecache.Cents `json:"total"`
		} `json:"base"`
		Total scorecache.Cents `json:"total"`
	}
	if status != 200 || json.Unmarshal(b, &w) != nil {
		t.Fatalf("what-if: %d %s", status, b)
	}
	// Our recomputation, with the official-only group as published.
	want := recomputed - recomputedGroup(t, svc, "H90.07", "DVCTT") + 645
	if scoring.Cents(w.Base.Total) != want || scoring.Cents(w.Total) != want {
		t.Errorf("what-if base %s total %s, want the recomputation %s", scoring.Cents(w.Base.Total), scoring.Cents(w.Total), want)
	}

	// The downloads show the published figures too.
	status, _, body = get(t, app, "/export/rankings?period=2026-08&kind=agency&format=csv")
	if status != 200 || !strings.Contains(body, published.String()) || strings.Contains(body, recomputed.String()) {
		t.Errorf("the rankings download does not show H90.07's published total %s (ours %s): %d %.300s", published, recomputed, status, body)
	}
	status, _, body = get(t, app, "/rankings?period=2026-08&kind=agency")
	if status != 200 || !strings.Contains(body, `id="official-only-footnote"`) ||
		!strings.Contains(between(t, body, "<tbody>", "</tbody>"), `<abbr class="official-only" title="theo Cổng DVCQG, không có số liệu chi tiết">*</abbr>`) {
		t.Errorf("the rankings do not mark the official-only groups: %d", status)
	}
	status, _, body = get(t, app, "/api/v1/rankings?period=2026-08&kind=agency&province=H90")
	if status != 200 {
		t.Fatalf("rankings: %d", status)
	}
	var rows []struct {
		UnitCode string           `json:"unit_code"`
		Total    scorecache.Cents `json:"total"`
	}
	if err := json.Unmarshal([]byte(body), &rows); err != nil {
		t.Fatal(err)
	}
	seen := false
	for _, r := range rows {
		if r.UnitCode == "H90.07" {
			seen = scoring.Cents(r.Total) == published
		}
	}
	if !seen {
		t.Errorf("the rankings do not show H90.07's published total %s: %s", published, body)
	}
}

func recomputedGroup(t *testing.T, svc *scorecache.Service, unit, group string) scoring.Cents {
	t.Helper()
	ps, err := svc.Recomputed(context.Background(), scoring.MustPeriod("2026-08"))
	if err != nil {
		t.Fatal(err)
	}
	return ps.Unit(unit).Group(group).Score
}
