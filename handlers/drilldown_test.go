package handlers

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gofiber/fiber/v2"

	"scorecard/data"
	"scorecard/data/demo"
	"scorecard/data/demo/dossiergen"
	"scorecard/dossier"
	"scorecard/importer"
	"scorecard/internal/sqlitetemplate"
	"scorecard/internal/storetest"
	"scorecard/models"
	"scorecard/scorecache"
	"scorecard/scoring"
	"scorecard/store"
)

// drillFixture is a real store with the demo units, a generated catalogue
// and 20 000 dossiers over the four months of 2024, and the web app over it
// with the drill-down list on or off. It returns the dossier file too. On
// SQLite the store is a copy of one imported once per test process
// (drillSeed); another database imports the files itself.
func drillFixture(t *testing.T, db storetest.DB) (st *store.Store, app func(list bool) *fiber.App, file []byte) {
	t.Helper()
	schemes := pageSchemes(t)
	files, err := drillFiles()
	if err != nil {
		t.Fatal(err)
	}
	if db == storetest.SQLite {
		cfg := store.Config{Driver: store.DriverSQLite, DSN: filepath.Join(t.TempDir(), "scorecard.db")}
		drillSeed.CopyTo(t, cfg.DSN)
		st = storetest.OpenConfig(t, cfg)
	} else {
		st = db.Open(t)
		if err := importDrillFiles(context.Background(), st, schemes, files); err != nil {
			t.Fatal(err)
		}
	}
	svc := scorecache.New(st, schemes)
	app = func(list bool) *fiber.App {
		a, err := New(Deps{Scores: svc, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
			Options: Options{DrillDown: list}, Dossiers: st})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	return st, app, files[2].data
}

// drillFile is a file of the drill-down fixture.
type drillFile struct {
	name string
	data []byte
}

// drillFiles are the fixture's files in the order they are imported: the
// demo units, the generated catalogue and dossiers.
var drillFiles = sync.OnceValues(func() ([]drillFile, error) {
	var d, c bytes.Buffer
	opts := dossiergen.GenOptions{Rows: 20000, Months: 4, Seed: 4}
	if err := dossiergen.Generate(&d, opts); err != nil {
		return nil, err
	}
	if err := dossiergen.GenerateCatalogue(&c, opts); err != nil {
		return nil, err
	}
	return []drillFile{{"units.csv", demo.Files()[0].Data}, {"catalogue.csv", c.Bytes()}, {"dossiers.csv", d.Bytes()}}, nil
})

func importDrillFiles(ctx context.Context, st *store.Store, schemes *scoring.Schemes, files []drillFile) error {
	im := importer.New(st, schemes)
	for _, f := range files {
		if _, err := im.Import(ctx, f.name, bytes.NewReader(f.data), models.SourceCLI, false); err != nil {
			return fmt.Errorf("import %s: %w", f.name, err)
		}
	}
	return nil
}

// drillSeed is the fixture's SQLite database, imported once per test
// process and copied for each fixture: the three tests over it would
// otherwise import the same 20 000 dossiers each.
var drillSeed = sqlitetemplate.New(func(path string) error {
	ctx := context.Background()
	schemes, err := data.DefaultSchemes()
	if err != nil {
		return err
	}
	files, err := drillFiles()
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, store.Config{Driver: store.DriverSQLite, DSN: path})
	if err != nil {
		return err
	}
	if err := importDrillFiles(ctx, st, schemes, files); err != nil {
		_ = st.Close()
		return err
	}
	return st.Close()
})

// drillPeriod is the period drilled into.
const drillPeriod = "2024"

// lateUnit finds a non-province unit with more than two pages of late
// dossiers in 2024, and returns its drill-down.
func lateUnit(t *testing.T, st *store.Store) (string, models.DossierDrillDown) {
	t.Helper()
	ds, err := st.Dataset(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	best, most := "", int64(0)
	for k, c := range ds.Dossier {
		if k.Period == drillPeriod && k.Metric == dossier.MetricOnTime && c.Den-c.Num > most {
			best, most = k.Unit, c.Den-c.Num
		}
	}
	if most <= drillPageSize {
		t.Fatalf("no unit with more than %d late dossiers (most: %s, %d)", drillPageSize, best, most)
	}
	dd, err := st.DossierDrillDown(context.Background(), store.DrillDownQuery{Unit: best, Period: scoring.MustPeriod(drillPeriod),
		Metric: dossier.MetricOnTime, Limit: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	return best, dd
}

// TestDrillDownList: with the list allowed, the unit page lists the late
// dossiers page by page, with their codes, procedure and vi-VN times, and
// the summary by procedure; dossier-derived metrics say where they come
// from.
func TestDrillDownList(t *testing.T) {
	t.Parallel()
	storetest.Run(t, testDrillDownList)
}

func testDrillDownList(t *testing.T, db storetest.DB) {
	st, app, _ := drillFixture(t, db)
	unit, all := lateUnit(t, st)
	a := app(true)
	base := "/units/" + unit + "?period=" + drillPeriod
	status, _, page := get(t, a, base)
	if status != fiber.StatusOK {
		t.Fatalf("status %d", status)
	}
	for _, want := range []string{`id="ho-so"`, "Hồ sơ làm mất điểm", "tính từ hồ sơ", all.ByProcedure[0].ProcedureName,
		"Trang 1/", "dpage=2", all.List[0].Code, all.List[drillPageSize-1].Code,
		all.List[0].ReceivedAt.In(scoring.Location).Format("02/01/2006 15:04")} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, all.List[drillPageSize].Code) {
		t.Error("the first page lists a dossier of the second")
	}
	_, _, page2 := get(t, a, base+"&dpage=2")
	if !strings.Contains(page2, all.List[drillPageSize].Code) || strings.Contains(page2, ">"+all.List[0].Code+"<") {
		t.Error("the second page does not hold the next dossiers")
	}
	if !strings.Contains(page2, "dpage=1") {
		t.Error("the second page has no link back")
	}
	// The unsatisfied list: late ones and those rated dissatisfied.
	sat, err := st.DossierDrillDown(context.Background(), store.DrillDownQuery{Unit: unit, Period: scoring.MustPeriod(drillPeriod),
		Metric: dossier.MetricSatisfaction, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	_, _, page3 := get(t, a, base+"&dlist=unsatisfied")
	if sat.Issues > 0 && !strings.Contains(page3, sat.List[0].Code) {
		t.Error("the unsatisfied list lacks its first dossier")
	}
	for q, want := range map[string]int{"&dpage=abc": 400, "&dpage=0": 400, "&dlist=nope": 400, "&dpage=999": 404} {
		if status, _, _ := get(t, a, base+q); status != want {
			t.Errorf("%s: status %d, want %d", q, status, want)
		}
	}
	// A province has no dossiers of its own: no drill-down.
	if _, _, p := get(t, a, "/units/BK?period="+drillPeriod+""); strings.Contains(p, `id="ho-so"`) {
		t.Error("the province page has a drill-down")
	}
}

// TestDrillDownWithoutFlag: without the flag, the summary by procedure
// shows, and no dossier code of the unit appears anywhere in the page.
func TestDrillDownWithoutFlag(t *testing.T) {
	t.Parallel()
	storetest.Run(t, testDrillDownWithoutFlag)
}

func testDrillDownWithoutFlag(t *testing.T, db storetest.DB) {
	st, app, file := drillFixture(t, db)
	unit, all := lateUnit(t, st)
	a := app(false)
	status, _, page := get(t, a, "/units/"+unit+"?period="+drillPeriod)
	if status != fiber.StatusOK {
		t.Fatalf("status %d", status)
	}
	if !strings.Contains(page, `id="ho-so"`) || !strings.Contains(page, all.ByProcedure[0].ProcedureName) ||
		!strings.Contains(page, "Mã hồ sơ không công khai") {
		t.Fatal("the summary or the note is missing")
	}
	checked := 0
	for _, line := range strings.Split(string(file), "\n")[1:] {
		cells := strings.Split(line, ",")
		if len(cells) < 2 || cells[1] != unit {
			continue
		}
		checked++
		if strings.Contains(page, cells[0]) {
			t.Fatalf("dossier code %s shows without the flag", cells[0])
		}
	}
	if checked == 0 {
		t.Fatal("no dossier of the unit to look for")
	}
	if status, _, p := get(t, a, "/units/"+unit+"?period="+drillPeriod+"&dpage=2&dlist=late"); status != fiber.StatusOK || strings.Contains(p, all.List[drillPageSize].Code) {
		t.Errorf("a page asked for without the flag: status %d", status)
	}
}
