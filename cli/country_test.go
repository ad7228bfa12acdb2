package cli

import (
	"bytes"
	"context"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"scorecard/data/demo/country"
	"scorecard/handlers"
	"scorecard/importer"
	"scorecard/internal/storetest"
	"scorecard/models"
	"scorecard/scorecache"
)

// TestGenCountry: gen-country writes the units file and a counts file a
// month, the same options the same bytes, bad options a usage error.
func TestGenCountry(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "vn")
	args := []string{"gen-country", "--months", "3", "--end", "2025-02", "--agencies", "4", "--communes", "6", dir}
	r := runCLI(t, ctx, nil, args...)
	if r.code != 0 || !strings.Contains(r.stdout, "34 tỉnh, thành phố, 374 đơn vị") || !strings.Contains(r.stdout, "từ tháng 12/2024 đến tháng 02/2025") {
		t.Fatalf("gen-country: %+v", r)
	}
	names, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"counts-2024-12.csv", "counts-2025-01.csv", "counts-2025-02.csv", "units.csv"}
	if len(names) != len(want) {
		t.Fatalf("files %v, want %v", names, want)
	}
	for i, n := range names {
		if filepath.Base(n) != want[i] {
			t.Errorf("file %s, want %s", filepath.Base(n), want[i])
		}
	}
	units, _ := os.ReadFile(filepath.Join(dir, "units.csv"))
	if n := bytes.Count(units, []byte{'\n'}); n != 1+34*(1+4+6) {
		t.Errorf("units.csv has %d lines", n)
	}
	if r := runCLI(t, ctx, nil, args...); r.code != 0 {
		t.Fatal(r)
	}
	if again, _ := os.ReadFile(filepath.Join(dir, "units.csv")); !bytes.Equal(again, units) {
		t.Error("the same options wrote other bytes")
	}
	for _, bad := range [][]string{{"gen-country"}, {"gen-country", "--months", "0", dir}, {"gen-country", "--end", "2025", dir}, {"gen-country", "--communes", "5000", dir}} {
		if r := runCLI(t, ctx, nil, bad...); r.code != 2 || r.stderr == "" {
			t.Errorf("%v: %+v", bad, r)
		}
	}
	if r := runCLI(t, ctx, nil, "--help"); !strings.Contains(r.stdout, "scorecard gen-country [--months M]") {
		t.Error("gen-country is not in the usage text")
	}
}

// TestCountryServes: the national data set imports on both databases, and
// once its last month is published, the national ranking lists the 34
// provinces and every province's overview, rankings and a unit page of
// each province are served.
func TestCountryServes(t *testing.T) { storetest.Run(t, testCountryServes) }

func testCountryServes(t *testing.T, db storetest.DB) {
	if testing.Short() {
		t.Skip("imports the national data set (slow)")
	}
	ctx := context.Background()
	dir := t.TempDir()
	sum, err := country.Write(dir, country.Options{Months: 2, Agencies: 3, Communes: 4})
	if err != nil {
		t.Fatal(err)
	}
	st := db.Open(t)
	schemes, err := loadSchemes("")
	if err != nil {
		t.Fatal(err)
	}
	imp := importer.New(st, schemes)
	for _, path := range sum.Files {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		_, err = imp.Import(ctx, filepath.Base(path), f, models.SourceCLI, false)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	svc := scorecache.New(st, schemes)
	if _, err := st.Publish(ctx, sum.Last.String(), cliActor, snapshotFunc(svc)); err != nil {
		t.Fatal(err)
	}
	app, err := handlers.New(handlers.Deps{Scores: svc})
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string) string {
		t.Helper()
		resp, err := app.Test(httptest.NewRequest("GET", path, nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
		return string(body)
	}
	home := get("/")
	provinces := map[string]bool{}
	for _, m := range regexp.MustCompile(`href="/provinces/([A-Z]+)[?"]`).FindAllStringSubmatch(home, -1) {
		provinces[m[1]] = true
	}
	if len(provinces) != 34 {
		t.Fatalf("the national ranking links %d provinces, want 34", len(provinces))
	}
	for code := range provinces {
		if page := get("/provinces/" + code); !strings.Contains(page, "/units/"+code+".X001") && !strings.Contains(page, "/units/"+code+".SNV") {
			t.Errorf("/provinces/%s links none of its units", code)
		}
		get("/units/" + code + ".X001")
		get("/rankings?kind=commune&province=" + code)
	}
}
