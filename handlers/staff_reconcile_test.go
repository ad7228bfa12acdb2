package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"scorecard/scorecache"
	"scorecard/scoring"
)

// The staff's reconciliation page and its JSON say, for the fixture
// capture, how many published scores our recomputation reproduces and why
// the others differ.
func TestReconciliationPageAndAPI(t *testing.T) {
	app, _, svc := newOfficialApp(t)
	rec, err := svc.Reconcile(context.Background(), scoring.MustPeriod("2026-08"), "H90")
	if err != nil {
		t.Fatal(err)
	}
	if rec.GroupsMatched == rec.GroupsCompared {
		t.Fatal("fixture: some published group scores should differ from ours")
	}
	summary := fmt.Sprintf("%d/%d điểm chỉ số, %d/%d điểm nhóm khớp với Cổng DVCQG.", rec.MetricsMatched, rec.MetricsCompared, rec.GroupsMatched, rec.GroupsCompared)
	for _, path := range []string{"/staff/reconciliation?period=2026-08&province=H90", "/staff/reconciliation?period=2026-08"} {
		status, _, body := get(t, app, path)
		if status != 200 {
			t.Fatalf("%s: %d", path, status)
		}
		if !strings.Contains(between(t, body, `id="recon-summary"`, "</p>"), summary) {
			t.Errorf("%s: no summary %q", path, summary)
		}
		diff := between(t, body, `id="recon-differences"`, "</table>")
		rows := strings.Count(diff, "<tr>") - 1 // the header
		if want := rec.MetricsCompared - rec.MetricsMatched + rec.GroupsCompared - rec.GroupsMatched; rows != want {
			t.Errorf("%s: %d rows of differences, want %d", path, rows, want)
		}
		if !strings.Contains(diff, "Cổng công bố điểm không kèm số liệu chi tiết") {
			t.Errorf("%s: the official-only cause is not explained", path)
		}
	}
	status, _, body := get(t, app, "/staff/reconciliation?period=2026-08&province=H90&lang=en")
	if status != 200 || !strings.Contains(body, "metric scores and") || !strings.Contains(body, "Published without detailed counts") {
		t.Errorf("English page: %d", status)
	}
	// A period the portal published nothing for says so.
	status, _, body = get(t, app, "/staff/reconciliation?period=2026-07&province=H90")
	if status != 200 || !strings.Contains(body, `id="recon-none"`) {
		t.Errorf("a period without published scores: %d", status)
	}

	status, _, body = get(t, app, "/api/v1/reconciliation?period=2026-08&province=H90")
	if status != 200 {
		t.Fatalf("API: %d %s", status, body)
	}
	var out struct {
		Province string `json:"province"`
		AsOf     string `json:"as_of"`
		Summary  struct {
			MetricsMatched  int `json:"metrics_matched"`
			MetricsCompared int `json:"metrics_compared"`
			GroupsMatched   int `json:"groups_matched"`
			GroupsCompared  int `json:"groups_compared"`
		} `json:"summary"`
		Units []struct {
			Code          string            `json:"code"`
			Total         scorecache.Cents  `json:"total"`
			OfficialTotal *scorecache.Cents `json:"official_total"`
			Groups        []struct {
				Group        string            `json:"group"`
				Ours         *scorecache.Cents `json:"ours"`
				Official     *scorecache.Cents `json:"official"`
				Match        bool              `json:"match"`
				Cause        string            `json:"cause"`
				OfficialOnly bool              `json:"official_only"`
			} `json:"groups"`
			Metrics []struct {
				Metric    string `json:"metric"`
				Numerator *int64 `json:"numerator"`
			} `json:"metrics"`
		} `json:"units"`
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	s := out.Summary
	if out.Province != "H90" || out.AsOf == "" || s.MetricsMatched != rec.MetricsMatched || s.MetricsCompared != rec.MetricsCompared ||
		s.GroupsMatched != rec.GroupsMatched || s.GroupsCompared != rec.GroupsCompared || len(out.Units) != len(rec.Units) {
		t.Errorf("API summary %+v of %d units, want %d/%d %d/%d of %d", s, len(out.Units), rec.MetricsMatched, rec.MetricsCompared,
			rec.GroupsMatched, rec.GroupsCompared, len(rec.Units))
	}
	found := false
	for _, u := range out.Units {
		for _, g := range u.Groups {
			if u.Code == "H90.07" && g.Group == "DVCTT" {
				found = g.OfficialOnly && g.Cause == string(scorecache.CauseOfficialOnly) && !g.Match && g.Official != nil && g.Ours != nil
			}
		}
	}
	if !found {
		t.Error("API: H90.07's DVCTT is not an official-only difference")
	}
	for path, want := range map[string]int{
		"/api/v1/reconciliation?period=2026-8&province=H90":     400,
		"/api/v1/reconciliation?period=2026-08&province=NOPE":   404,
		"/api/v1/reconciliation?period=2026-08&province=H90.07": 404,
		"/staff/reconciliation?period=nope":                     400,
	} {
		status, _, body := get(t, app, path)
		if status != want {
			t.Errorf("%s: %d, want %d", path, status, want)
		}
		if strings.HasPrefix(path, "/api/") && !strings.Contains(body, `"error"`) {
			t.Errorf("%s: not a JSON error: %s", path, body)
		}
	}
}
