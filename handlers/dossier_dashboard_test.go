package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"scorecard/data/demo"
	"scorecard/dossier"
	"scorecard/importer"
	"scorecard/internal/storetest"
	"scorecard/models"
	"scorecard/scoring"
)

// TestDashboardFromDossiers: the demo province's
// dashboard fed entirely from a procedure catalogue and dossier records,
// plus counts for what dossiers cannot give (publication, petitions,
// electronic certified copies: docs/import-files.md), taken from the demo's counts.
// Every unit then has counts for every metric that carries points (none
// scored by a no-data rule for lack of a row), the dossier metrics say
// they come from dossiers and the others from the imported counts, and the
// overview, rankings and unit pages show the month.
func TestDashboardFromDossiers(t *testing.T) {
	t.Parallel()
	storetest.Run(t, testDashboardFromDossiers)
}

func testDashboardFromDossiers(t *testing.T, db storetest.DB) {
	ctx := context.Background()
	st, app, _ := drillFixture(t, db) // units, a catalogue and dossiers, no counts
	derivable := map[string]bool{}
	for _, m := range append(append([]string{}, dossier.DossierMetrics...), dossier.CatalogueMetrics...) {
		derivable[m] = true
	}
	// The counts dossiers cannot give, from the demo's counts file: its
	// rows of the other metrics only.
	var rest bytes.Buffer
	// The story year's counts, Bắc Kạn's units of the fixture.
	f, ok := demo.Lookup("counts.csv")
	if !ok {
		t.Fatal("no demo counts file")
	}
	lines := strings.SplitAfter(string(f.Data), "\n")
	if len(lines) < 2 {
		t.Fatal("no demo counts file")
	}
	rest.WriteString(lines[0])
	kept := 0
	for _, l := range lines[1:] {
		cells := strings.Split(l, ",")
		if len(cells) > 3 && !derivable[cells[2]] {
			rest.WriteString(l)
			kept++
		}
	}
	if kept == 0 {
		t.Fatal("no publication or petition counts in the demo")
	}
	if _, err := importer.New(st, pageSchemes(t)).Import(ctx, "counts.csv", &rest, models.SourceCLI, false); err != nil {
		t.Fatalf("import the other counts: %v", err)
	}
	a := app(false)

	const period = "2024-04"
	units, err := st.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, u := range units {
		status, _, body := get(t, a, "/api/v1/units/"+u.Code+"?period="+period)
		if status != fiber.StatusOK {
			t.Fatalf("%s: %d %.300s", u.Code, status, body)
		}
		type metric struct {
			Code    string         `json:"code"`
			Source  scoring.Source `json:"source"`
			Derived *string        `json:"derived"`
			Level   scoring.Level  `json:"level"`
			Max     float64        `json:"max"`
		}
		var got struct {
			Groups []struct {
				Metrics []metric `json:"metrics"`
			} `json:"groups"`
		}
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			t.Fatalf("%s: %v", u.Code, err)
		}
		var ms []metric
		for _, g := range got.Groups {
			ms = append(ms, g.Metrics...)
		}
		if len(ms) == 0 {
			t.Fatalf("%s: no metrics in %.300s", u.Code, body)
		}
		for _, m := range ms {
			if m.Source == scoring.SourceNone && m.Max > 0 { // the informational petition shares have no points and no counts in the demo
				t.Errorf("%s %s: no counts", u.Code, m.Code)
			}
			fromDossiers := m.Derived != nil && (*m.Derived == string(scoring.DerivedDossier) || *m.Derived == string(scoring.DerivedPool))
			if derivable[m.Code] && m.Level != "province" && !fromDossiers {
				t.Errorf("%s %s: derivable but from %v/%v", u.Code, m.Code, m.Source, m.Derived)
			}
			if !derivable[m.Code] && m.Derived != nil && *m.Derived == string(scoring.DerivedDossier) {
				t.Errorf("%s %s: said to come from dossiers", u.Code, m.Code)
			}
		}
		checked++
	}
	if checked != len(units) || checked < 10 {
		t.Fatalf("%d units checked", checked)
	}

	for _, path := range []string{"/?period=" + period, "/rankings?kind=agency&period=" + period, "/rankings?kind=commune&period=" + period} {
		status, _, body := get(t, a, path)
		if status != fiber.StatusOK || !strings.Contains(body, "Tháng 04/2024") {
			t.Fatalf("%s: %d", path, status)
		}
		if strings.Contains(body, "thiếu ") {
			t.Errorf("%s: a unit lacks metrics", path)
		}
	}
	status, _, body := get(t, a, "/units/BK.SGTVT?period="+period)
	if status != fiber.StatusOK || !strings.Contains(body, "tính từ hồ sơ") || strings.Contains(body, "chỉ số chưa có số liệu") {
		t.Fatalf("unit page: %d, dossier source shown %v", status, strings.Contains(body, "tính từ hồ sơ"))
	}
}
