package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

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
	sum, err := country.Write(dir, country.Options{Months: 2, Agencies: 3, Communes: 7})
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
		if _, err := imp.ImportFile(ctx, path, models.SourceCLI); err != nil {
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
	countryPaged(t, app)
}

// countryPaged: the country's rankings are served a page at a time (238
// communes: pages of 100, 100 and 38), the API's on request, every page a
// national reader opens under 300 KB.
func countryPaged(t *testing.T, app *fiber.App) {
	t.Helper()
	do := func(path string) (int, http.Header, string) {
		t.Helper()
		resp, err := app.Test(httptest.NewRequest("GET", path, nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, string(body)
	}
	rows := regexp.MustCompile(`<th scope="row" class="sticky"><a href="/units/([^"?]+)`)
	var listed []string
	for n, want := range map[int]struct {
		rows  int
		where string
	}{1: {100, "Trang 1/3"}, 2: {100, "Trang 2/3"}, 3: {38, "Trang 3/3"}, 4: {38, "Không có trang 4: bảng xếp hạng này có 3 trang."}} {
		path := "/rankings?kind=commune&page=" + strconv.Itoa(n)
		st, _, body := do(path)
		got := rows.FindAllStringSubmatch(body, -1)
		if st != 200 || len(got) != want.rows || !strings.Contains(body, want.where) {
			t.Errorf("%s: status %d, %d rows, want %d and %q", path, st, len(got), want.rows, want.where)
		}
		if n <= 3 {
			for _, m := range got {
				listed = append(listed, m[1])
			}
		}
	}
	seen := map[string]bool{}
	for _, c := range listed {
		seen[c] = true
	}
	if len(listed) != 238 || len(seen) != 238 {
		t.Errorf("the three pages list %d communes, %d different; want the country's 238 once each", len(listed), len(seen))
	}
	if st, _, body := do("/rankings?kind=commune&page=hai"); st != 400 || !strings.Contains(body, "Số trang không hợp lệ") {
		t.Errorf("page=hai: status %d, want 400 with a message", st)
	}

	// The API: the whole list by default, one page on request.
	codes := func(body string) []string {
		var list []struct {
			Code string `json:"unit_code"`
		}
		if err := json.Unmarshal([]byte(body), &list); err != nil {
			t.Fatalf("api: %v", err)
		}
		out := make([]string, len(list))
		for i, r := range list {
			out[i] = r.Code
		}
		return out
	}
	st, hdr, body := do("/api/v1/rankings?kind=commune")
	all := codes(body)
	if st != 200 || len(all) != 238 || hdr.Get("X-Total-Count") != "238" {
		t.Fatalf("api whole list: status %d, %d rows, X-Total-Count %q", st, len(all), hdr.Get("X-Total-Count"))
	}
	for q, want := range map[string][]string{"page=1": all[:100], "page=2": all[100:200], "page=3": all[200:], "page=4": {}} {
		st, hdr, body := do("/api/v1/rankings?kind=commune&" + q)
		if got := codes(body); st != 200 || strings.Join(got, " ") != strings.Join(want, " ") || hdr.Get("X-Total-Count") != "238" || hdr.Get("Link") == "" {
			t.Errorf("api %s: status %d, %d rows, want %d, with X-Total-Count and Link", q, st, len(got), len(want))
		}
	}
	if st, _, body := do("/api/v1/rankings?kind=commune&per_page=5000"); st != 400 || !strings.Contains(body, "per_page") {
		t.Errorf("api per_page=5000: status %d %s", st, body)
	}

	for _, path := range []string{"/", "/rankings?kind=agency", "/rankings?kind=agency&page=2", "/rankings?kind=province", "/rankings?kind=commune",
		"/search?q=x%C3%A3", "/provinces/HN", "/units/HN.X001", "/rankings?kind=commune&province=HN"} {
		st, _, body := do(path)
		if st != 200 || len(body) > 300_000 {
			t.Errorf("%s: status %d, %d bytes (at most 300 KB)", path, st, len(body))
		}
	}
}
