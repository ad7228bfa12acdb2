package store

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"scorecard/data/demo"
	"scorecard/data/demo/dossiergen"
	"scorecard/dossier"
	"scorecard/internal/sqlitetemplate"
	"scorecard/models"
	"scorecard/scoring"
)

// demoUnitRows are the demo province's units, as a units file gives them.
func demoUnitRows(t testing.TB) []UnitRow {
	t.Helper()
	for _, f := range demo.Files() {
		if f.Name != "units.csv" {
			continue
		}
		recs, err := csv.NewReader(bytes.NewReader(f.Data)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var out []UnitRow
		for _, r := range recs[1:] {
			out = append(out, UnitRow{Code: r[0], Name: r[1], Kind: r[2], ParentCode: r[3]})
		}
		return out
	}
	t.Fatal("no demo units")
	return nil
}

// genFiles generates dossiers of the demo province and their catalogue.
func genFiles(t testing.TB, rows, months int, seed int64) (dossiers, catalogue []byte) {
	t.Helper()
	var d, c bytes.Buffer
	opts := dossiergen.GenOptions{Rows: rows, Months: months, Seed: seed}
	if err := dossiergen.Generate(&d, opts); err != nil {
		t.Fatal(err)
	}
	if err := dossiergen.GenerateCatalogue(&c, opts); err != nil {
		t.Fatal(err)
	}
	return d.Bytes(), c.Bytes()
}

func importCatalogue(t testing.TB, s *Store, b []byte) DossierResult {
	t.Helper()
	cat, err := dossier.ReadCatalogue("catalogue.csv", bytes.NewReader(b), dossier.ReadOptions{})
	if err != nil {
		t.Fatalf("read catalogue: %v", err)
	}
	res, err := s.ImportCatalogue(context.Background(), imp("catalogue.csv"), cat)
	if err != nil {
		t.Fatalf("import catalogue: %v", err)
	}
	return res
}

// importDossiers streams a dossier file into the store the way the
// importer does: the reader's problems refuse the file.
func importDossiers(t testing.TB, s *Store, name string, b []byte) (DossierResult, error) {
	t.Helper()
	rd := dossier.NewDossierReader(name, bytes.NewReader(b), dossier.ReadOptions{})
	defer rd.Close()
	return s.ImportDossiers(context.Background(), imp(name), rd, func() error {
		if e := rd.Refusal(name); e != nil {
			return e
		}
		return rd.Err()
	})
}

func mustImportDossiers(t testing.TB, s *Store, name string, b []byte) DossierResult {
	t.Helper()
	res, err := importDossiers(t, s, name, b)
	if err != nil {
		t.Fatalf("import %s: %v", name, err)
	}
	return res
}

// wantDerived is what dossier.Deriver derives from the files directly: the
// dossiers of all files, a code given again replacing the earlier row, and
// the catalogue.
func wantDerived(t testing.TB, catalogue []byte, files ...[]byte) map[scoring.Key]scoring.Counts {
	t.Helper()
	d := dossier.NewDeriver()
	cat, err := dossier.ReadCatalogue("catalogue.csv", bytes.NewReader(catalogue), d.ReadOptions())
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string]dossier.Record{}
	for _, f := range files {
		rd := dossier.NewDossierReader("d.csv", bytes.NewReader(f), d.ReadOptions())
		for rd.Next() {
			byCode[string(rd.Code())] = *rd.Record()
		}
		if e := rd.Refusal("d.csv"); e != nil {
			t.Fatal(e)
		}
	}
	for _, r := range byCode {
		d.Add(&r)
	}
	return d.Counts(dossier.DeriveOptions{Catalogue: cat})
}

func derived(t testing.TB, s *Store) map[scoring.Key]scoring.Counts {
	t.Helper()
	ds, err := s.Dataset(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return ds.Dossier
}

// sameCounts fails with the first few differences.
func sameCounts(t testing.TB, what string, got, want map[scoring.Key]scoring.Counts) {
	t.Helper()
	var diffs []string
	for k, w := range want {
		if g, ok := got[k]; !ok || g != w {
			diffs = append(diffs, fmt.Sprintf("%v: got %+v (present %v), want %+v", k, g, ok, w))
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%v: got %+v, want none", k, g))
		}
	}
	if len(diffs) > 0 {
		sort.Strings(diffs)
		t.Fatalf("%s: %d of %d/%d counts differ, e.g.\n%s", what, len(diffs), len(got), len(want), strings.Join(diffs[:min(8, len(diffs))], "\n"))
	}
}

// yearOfDossiers is the size of the generated year of a province's
// dossiers that the tests of importing and deriving write: 20 000 rows,
// three sorted chunks (the first ones are small, see stream) and 40
// statements of rows. With -short, 6 000: still two chunks and a dozen
// statements, for the fast loop; the full run keeps the bigger year.
func yearOfDossiers() int {
	if testing.Short() {
		return 6_000
	}
	return 20_000
}

// province loads the demo units and a generated catalogue and dossiers.
// On SQLite with the code's migrations the store is a copy of one loaded
// once per test process for each number of rows (provinceSeed): four tests
// start from the same province, each on both databases.
func province(t testing.TB, open opener, rows int) (*Store, []byte, []byte) {
	t.Helper()
	if reflect.ValueOf(open).Pointer() != reflect.ValueOf(openSQLite).Pointer() ||
		!slices.EqualFunc(migrations, allMigrations, func(a, b migration) bool { return a.id == b.id }) {
		return provinceOn(t, open(t), rows)
	}
	path := filepath.Join(t.TempDir(), "test.db")
	provinceSeed(t, rows, path)
	s := openAt(t, path)
	d, c := genFiles(t, rows, 12, 7)
	return s, d, c
}

// provinceSeeds are the SQLite databases provinceOn loads, by number of
// rows, each made once per test process.
var provinceSeeds = struct {
	sync.Mutex
	byRows map[int]*sqlitetemplate.Template
}{byRows: map[int]*sqlitetemplate.Template{}}

// provinceSeed writes at path a copy of the province of rows dossiers,
// loading it first if no test has. The first test makes it on its own
// goroutine (the template's making fails that test), others wait.
func provinceSeed(t testing.TB, rows int, path string) {
	t.Helper()
	provinceSeeds.Lock()
	tp := provinceSeeds.byRows[rows]
	if tp == nil {
		defer provinceSeeds.Unlock()
		tp = sqlitetemplate.New(func(path string) error {
			s, err := Open(context.Background(), Config{Driver: DriverSQLite, DSN: path})
			if err != nil {
				return err
			}
			provinceOn(t, s, rows)
			return s.Close()
		})
		provinceSeeds.byRows[rows] = tp
		tp.CopyTo(t, path)
		return
	}
	provinceSeeds.Unlock()
	tp.CopyTo(t, path)
}

func provinceOn(t testing.TB, s *Store, rows int) (*Store, []byte, []byte) {
	t.Helper()
	mustImportUnits(t, s, demoUnitRows(t), false)
	d, c := genFiles(t, rows, 12, 7)
	importCatalogue(t, s, c)
	mustImportDossiers(t, s, "dossiers.csv", d)
	return s, d, c
}

// TestDossierCodesMatchModels: the store writes the dossier package's
// values as they are; models documents them.
func TestDossierCodesMatchModels(t *testing.T) {
	pairs := [][2]int{
		{int(dossier.ChannelDirect), models.DossierChannelDirect}, {int(dossier.ChannelOnline), models.DossierChannelOnline},
		{int(dossier.ChannelPostal), models.DossierChannelPostal},
		{int(dossier.RatingNone), models.DossierRatingNone}, {int(dossier.RatingSatisfied), models.DossierRatingSatisfied},
		{int(dossier.RatingDissatisfied), models.DossierRatingDissatisfied},
		{int(dossier.FeeRequired), models.DossierFlagFeeRequired}, {int(dossier.PaidOnline), models.DossierFlagPaidOnline},
		{int(dossier.EResultGiven), models.DossierFlagEResultGiven}, {int(dossier.EResult), models.DossierFlagEResult},
		{int(dossier.Digitized), models.DossierFlagDigitized}, {int(dossier.ReusedData), models.DossierFlagReusedData},
		{int(dossier.PersonalStore), models.DossierFlagPersonalStore}, {int(dossier.CitizenData), models.DossierFlagCitizenData},
		{int(dossier.Synced), models.DossierFlagSynced},
	}
	for i, p := range pairs {
		if p[0] != p[1] {
			t.Errorf("pair %d: dossier %d, models %d", i, p[0], p[1])
		}
	}
}

// TestImportDossiersDerivesLikeDeriver: after importing a catalogue and
// dossiers, the stored derived counts are exactly what dossier.Deriver
// derives from the same files, and deriving everything again from the
// tables gives the same.
func TestImportDossiersDerivesLikeDeriver(t *testing.T) {
	t.Parallel()
	both(t, testImportDossiersDerivesLikeDeriver)
}

// dossierIndexes lists the indexes of the dossiers table with their
// definitions.
func dossierIndexes(t testing.TB, s *Store) []string {
	t.Helper()
	q := "SELECT name || ': ' || COALESCE(sql, '') FROM sqlite_master WHERE type = 'index' AND tbl_name = 'dossiers' ORDER BY name"
	if s.Driver() == DriverPostgres {
		q = "SELECT indexname || ': ' || indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'dossiers' ORDER BY indexname"
	}
	var out []string
	if err := s.r.Raw(q).Scan(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

func testImportDossiersDerivesLikeDeriver(t *testing.T, open opener) {
	s := open(t)
	indexes := dossierIndexes(t, s)
	if len(indexes) < 2 {
		t.Fatalf("indexes of a new dossiers table: %v", indexes)
	}
	rows := yearOfDossiers()
	_, d, c := provinceOn(t, s, rows)
	// The indexes an import into the empty table made after its rows
	// are the schema's.
	if got := dossierIndexes(t, s); !slices.Equal(got, indexes) {
		t.Errorf("indexes after the import %v, want %v", got, indexes)
	}
	want := wantDerived(t, c, d)
	if len(want) == 0 {
		t.Fatal("nothing derived")
	}
	sameCounts(t, "after import", derived(t, s), want)

	var n int64
	if err := s.r.Raw("SELECT COUNT(*) FROM dossiers").Scan(&n).Error; err != nil || n != int64(rows) {
		t.Fatalf("%d dossiers stored (%v)", n, err)
	}
	if s.Driver() == DriverSQLite {
		// Codes are sent as bytes and stored as text, or a code
		// looked up as text would never match.
		if err := s.r.Raw("SELECT COUNT(*) FROM dossiers WHERE typeof(code) <> 'text'").Scan(&n).Error; err != nil || n != 0 {
			t.Fatalf("%d codes not stored as text (%v)", n, err)
		}
	}
	if _, err := s.RederiveAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	sameCounts(t, "derived again from the tables", derived(t, s), want)

	// The same file again changes nothing, not even the data version.
	v := version(t, s)
	res := mustImportDossiers(t, s, "again.csv", d)
	if res.Inserted != 0 || res.Updated != 0 || res.Unchanged != rows || len(res.Periods) != 0 || res.Rederived != 0 {
		t.Fatalf("re-import of the same file: %+v", res)
	}
	if version(t, s) != v {
		t.Error("the same file again moved the data version")
	}
	sameCounts(t, "after the same file again", derived(t, s), want)
}

// editRows rewrites the generated rows for which pick returns true with
// edit, and returns the header plus those rows.
func editRows(t testing.TB, file []byte, limit int, pick func(cells []string) bool, edit func(cells []string)) []byte {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(string(file), "\n"), "\n")
	out := []string{lines[0]}
	for _, l := range lines[1:] {
		cells := strings.Split(l, ",")
		if len(out) > limit || !pick(cells) {
			continue
		}
		edit(cells)
		out = append(out, strings.Join(cells, ","))
	}
	if len(out) == 1 {
		t.Fatal("no row picked")
	}
	return []byte(strings.Join(out, "\n") + "\n")
}

const (
	cCode, cUnit, cProc, cRecv, cDue, cFin = 0, 1, 2, 3, 4, 5
	cRating                                = 16
)

// TestReimportUpdatesDossiers: re-importing dossier codes updates them and
// the derived counts follow, old versions out and new in; only the months
// (and their quarter, half-year and year) that the changes touch are
// derived again.
func TestReimportUpdatesDossiers(t *testing.T) {
	t.Parallel()
	both(t, testReimportUpdatesDossiers)
}

func testReimportUpdatesDossiers(t *testing.T, open opener) {
	s, d, c := province(t, open, yearOfDossiers())
	before := derived(t, s)

	// 1. Dossiers of one unit received and finished in February 2024,
	// on time: rated dissatisfied now. Only February and the periods
	// containing it change, for that unit only.
	var unit string
	fix := editRows(t, d, 3, func(cells []string) bool {
		ok := (unit == "" || cells[cUnit] == unit) && strings.HasPrefix(cells[cRecv], "2024-02-1") &&
			strings.HasPrefix(cells[cFin], "2024-02-2") && cells[cRating] != "dissatisfied" && cells[cFin] < cells[cDue] &&
			cells[15] == "0"
		if ok {
			unit = cells[cUnit]
		}
		return ok
	}, func(cells []string) { cells[cRating] = "dissatisfied" })
	n := bytes.Count(fix, []byte{'\n'}) - 1
	res := mustImportDossiers(t, s, "fix.csv", fix)
	if res.Updated != n || res.Inserted != 0 || res.Unchanged != 0 {
		t.Fatalf("re-import: %+v, want %d updated", res, n)
	}
	if want := []string{"2024", "2024-H1", "2024-Q1", "2024-02"}; res.Rederived != 4 || !sameSet(res.Periods, want) {
		t.Errorf("re-derived %d pairs, periods %v; want the 4 of %v", res.Rederived, res.Periods, want)
	}
	after := derived(t, s)
	for _, p := range []string{"2024-02", "2024-Q1", "2024-H1", "2024"} {
		k := scoring.Key{Period: p, Unit: unit, Metric: dossier.MetricSatisfaction}
		if got, was := after[k], before[k]; got.Num != was.Num-int64(n) || got.Den != was.Den {
			t.Errorf("%v: %+v, was %+v; want %d fewer satisfied", k, got, was, n)
		}
	}
	changed := 0
	for k, v := range after {
		if before[k] != v {
			changed++
			if k.Unit != unit || k.Metric != dossier.MetricSatisfaction {
				t.Errorf("%v changed from %+v to %+v", k, before[k], v)
			}
		}
	}
	if changed != 4 {
		t.Errorf("%d counts changed, want 4", changed)
	}
	sameCounts(t, "after the rating fix", after, wantDerived(t, c, d, fix))

	// 2. Bigger changes: dossiers move to another unit, to another month,
	// finish late or are open again. The counts are still those of the
	// files taken together, and deriving all again agrees.
	i := 0
	move := editRows(t, d, 40, func(cells []string) bool {
		i++
		return i%97 == 0 && cells[cUnit] != unit
	}, func(cells []string) {
		switch i % 4 {
		case 0:
			cells[cUnit] = unit // the same procedure may be outside this unit's catalogue
		case 1:
			cells[cRecv] = strings.Replace(cells[cRecv], cells[cRecv][:7], "2023-05", 1)
			if cells[cFin] != "" && cells[cFin] < cells[cRecv] {
				cells[cFin] = ""
			}
		case 2:
			cells[cFin] = ""
		case 3:
			cells[cFin] = "2024-04-29T16:00:00+07:00"
		}
		if cells[cDue] < cells[cRecv] {
			cells[cDue] = cells[cRecv]
		}
	})
	res = mustImportDossiers(t, s, "move.csv", move)
	if res.Updated == 0 {
		t.Fatalf("%+v", res)
	}
	want := wantDerived(t, c, d, fix, move)
	sameCounts(t, "after moves", derived(t, s), want)
	if _, err := s.RederiveAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	sameCounts(t, "derived again from the tables", derived(t, s), want)
}

func sameSet(a, b []string) bool {
	a, b = append([]string(nil), a...), append([]string(nil), b...)
	sort.Strings(a)
	sort.Strings(b)
	return reflect.DeepEqual(a, b)
}

// TestNewMonthDerivesEveryUnit: dossiers of a new month extend the data;
// every unit with dossiers still open is derived for it, not only the
// units of the file.
func TestNewMonthDerivesEveryUnit(t *testing.T) {
	t.Parallel()
	both(t, testNewMonthDerivesEveryUnit)
}

func testNewMonthDerivesEveryUnit(t *testing.T, open opener) {
	s := open(t)
	mustImportUnits(t, s, demoUnitRows(t), false)
	d, c := genFiles(t, 6_000, 3, 11)
	importCatalogue(t, s, c)
	// The first two months, then the third.
	lines := strings.SplitAfter(string(d), "\n")
	var early, late strings.Builder
	early.WriteString(lines[0])
	late.WriteString(lines[0])
	for _, l := range lines[1:] {
		if l == "" {
			continue
		}
		if strings.Split(l, ",")[cRecv][:7] == "2024-04" {
			late.WriteString(l)
		} else {
			early.WriteString(l)
		}
	}
	mustImportDossiers(t, s, "early.csv", []byte(early.String()))
	sameCounts(t, "two months", derived(t, s), wantDerived(t, c, []byte(early.String())))
	mustImportDossiers(t, s, "late.csv", []byte(late.String()))
	sameCounts(t, "three months", derived(t, s), wantDerived(t, c, d))
}

// TestRefusedDossierFileChangesNothing: a verdict against the file rolls
// everything back, rows and derived counts.
func TestRefusedDossierFileChangesNothing(t *testing.T) {
	t.Parallel()
	both(t, testRefusedDossierFileChangesNothing)
}

func testRefusedDossierFileChangesNothing(t *testing.T, open opener) {
	s, d, _ := province(t, open, 5_000)
	before, v := derived(t, s), version(t, s)
	imps, _ := s.Imports(context.Background(), 0)
	changed := editRows(t, d, 50, func([]string) bool { return true }, func(cells []string) { cells[cFin] = "" })
	refused := errors.New("the file has problems")
	rd := dossier.NewDossierReader("x.csv", bytes.NewReader(changed), dossier.ReadOptions{})
	_, err := s.ImportDossiers(context.Background(), imp("x.csv"), rd, func() error { return refused })
	if !errors.Is(err, refused) {
		t.Fatalf("err = %v, want the verdict", err)
	}
	sameCounts(t, "after a refusal", derived(t, s), before)
	if version(t, s) != v {
		t.Error("data version moved")
	}
	var stillOpen int64
	if err := s.r.Raw("SELECT COUNT(*) FROM dossiers WHERE finished_at IS NULL").Scan(&stillOpen).Error; err != nil {
		t.Fatal(err)
	}
	var wantOpen int64
	for _, l := range strings.Split(string(d), "\n")[1:] {
		if c := strings.Split(l, ","); len(c) > cFin && c[cFin] == "" {
			wantOpen++
		}
	}
	if stillOpen != wantOpen {
		t.Errorf("%d open dossiers, want %d", stillOpen, wantOpen)
	}
	if after, _ := s.Imports(context.Background(), 0); len(after) != len(imps) {
		t.Errorf("import log grew from %d to %d", len(imps), len(after))
	}

	// A province's dossiers are refused by the store too.
	prov := []byte(strings.Join(dossier.DossierColumns, ",") + "\n" +
		"P-1,BK,1.001001,2024-04-03T09:15:00+07:00,2024-04-10T17:00:00+07:00,,online,1,1,1,1,0,0,1,1,0,\n")
	if _, err := importDossiers(t, s, "p.csv", prov); !errors.Is(err, ErrInvalid) {
		t.Errorf("province dossier: %v, want ErrInvalid", err)
	}
	sameCounts(t, "after a province's dossier", derived(t, s), before)
}

// TestCatalogueReimport: a catalogue state replaces the unit's month; a
// withdrawn procedure leaves the counts of that month on, and a re-import
// of the same catalogue derives nothing.
func TestCatalogueReimport(t *testing.T) {
	t.Parallel()
	both(t, testCatalogueReimport)
}

func testCatalogueReimport(t *testing.T, open opener) {
	s, d, c := province(t, open, 5_000)
	res := importCatalogue(t, s, c)
	if res.Inserted != 0 || res.Updated != 0 || res.Unchanged != res.Rows || res.Rederived != 0 || len(res.Periods) != 0 {
		t.Fatalf("same catalogue again: %+v", res)
	}
	// One unit's catalogue from 2024-03 on: its first procedure only, now
	// without any online service.
	lines := strings.Split(strings.TrimSpace(string(c)), "\n")
	first := strings.Split(lines[1], ",")
	unit := first[3]
	first[0], first[4] = "2024-03", "none"
	more := lines[0] + "\n" + strings.Join(first, ",") + "\n"
	res = importCatalogue(t, s, []byte(more))
	if res.Inserted != 1 || res.Rederived == 0 {
		t.Fatalf("%+v", res)
	}
	got := derived(t, s)
	k := scoring.Key{Period: "2024-03", Unit: unit, Metric: dossier.MetricServiceProvision}
	if got[k] != scoring.C(0, 1) {
		t.Errorf("%v = %+v, want 0 of 1", k, got[k])
	}
	sameCounts(t, "after a catalogue change", got, wantDerived(t, []byte(string(c)+strings.SplitN(more, "\n", 2)[1]), d))
}

// TestDossierDrillDown: the late and unsatisfied dossiers listed are as
// many as the derived counts say, by procedure and page by page.
func TestDossierDrillDown(t *testing.T) {
	t.Parallel()
	both(t, testDossierDrillDown)
}

func testDossierDrillDown(t *testing.T, open opener) {
	s, _, _ := province(t, open, yearOfDossiers())
	ctx := context.Background()
	counts := derived(t, s)
	checked := 0
	for k, c := range counts {
		if k.Metric != dossier.MetricOnTime && k.Metric != dossier.MetricSatisfaction || c.Num == c.Den || checked > 25 {
			continue
		}
		checked++
		p := scoring.MustPeriod(k.Period)
		dd, err := s.DossierDrillDown(ctx, DrillDownQuery{Unit: k.Unit, Period: p, Metric: k.Metric, Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		if dd.Handled != c.Den || dd.Issues != c.Den-c.Num {
			t.Fatalf("%v: handled %d, issues %d; counts %+v", k, dd.Handled, dd.Issues, c)
		}
		var sum int64
		for i, bp := range dd.ByProcedure {
			sum += bp.Issues
			if bp.ProcedureCode == "" || bp.ProcedureName == "" || bp.Issues > bp.Handled ||
				(i > 0 && bp.Issues > dd.ByProcedure[i-1].Issues) {
				t.Errorf("%v: procedure %+v", k, bp)
			}
		}
		if sum != dd.Issues || len(dd.List) != int(min(3, dd.Issues)) {
			t.Fatalf("%v: %d by procedure, %d listed, of %d", k, sum, len(dd.List), dd.Issues)
		}
		for i, it := range dd.List {
			if it.Code == "" || it.ProcedureName == "" || (i > 0 && it.ReceivedAt.Before(dd.List[i-1].ReceivedAt)) {
				t.Errorf("%v: item %+v", k, it)
			}
			if k.Metric == dossier.MetricOnTime && !it.Late || !it.Late && !it.Dissatisfied {
				t.Errorf("%v: %+v is neither late nor dissatisfied", k, it)
			}
			if it.ReceivedAt.Location() != scoring.Location {
				t.Errorf("%v: time in %v", k, it.ReceivedAt.Location())
			}
		}
		// The pages cover the list once.
		seen := map[string]bool{}
		for off := 0; off < int(dd.Issues); off += 7 {
			page, err := s.DossierDrillDown(ctx, DrillDownQuery{Unit: k.Unit, Period: p, Metric: k.Metric, Offset: off, Limit: 7})
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range page.List {
				if seen[it.Code] {
					t.Fatalf("%v: %s listed twice", k, it.Code)
				}
				seen[it.Code] = true
			}
		}
		if len(seen) != int(dd.Issues) {
			t.Fatalf("%v: pages list %d of %d", k, len(seen), dd.Issues)
		}
	}
	if checked == 0 {
		t.Fatal("no count with late dossiers to check")
	}
	if _, err := s.DossierDrillDown(ctx, DrillDownQuery{Unit: "NOPE", Period: scoring.MustPeriod("2024-04"), Metric: dossier.MetricOnTime}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown unit: %v", err)
	}
	if _, err := s.DossierDrillDown(ctx, DrillDownQuery{Unit: "BK.SNV", Period: scoring.MustPeriod("2024-04"), Metric: "PUBLISH_ON_TIME"}); !errors.Is(err, ErrInvalid) {
		t.Errorf("other metric: %v", err)
	}
}

// TestRemoveDemoTakesDossiers: dossiers hang off their unit; removing the
// demo units removes them and their derived counts.
func TestRemoveDemoTakesDossiers(t *testing.T) { both(t, testRemoveDemoTakesDossiers) }

func testRemoveDemoTakesDossiers(t *testing.T, open opener) {
	s := open(t)
	mustImportUnits(t, s, demoUnitRows(t), true)
	d, c := genFiles(t, 2_000, 2, 5)
	importCatalogue(t, s, c)
	mustImportDossiers(t, s, "d.csv", d)
	if _, err := s.RemoveDemo(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"dossiers", "derived_counts", "catalogue_states"} {
		var n int64
		if err := s.r.Raw("SELECT COUNT(*) FROM " + table).Scan(&n).Error; err != nil || n != 0 {
			t.Errorf("%s: %d rows left (%v)", table, n, err)
		}
	}
}

// BenchmarkRederiveMonth: a province's year of dossiers is stored (ROWS,
// 200 000 by default, bench/dossiers.sh uses a million through the command
// line); one month of it is re-imported with every dossier changed, and
// the month, its quarter, half-year and year derived again.
func BenchmarkRederiveMonth(b *testing.B) {
	s := openSQLite(b)
	mustImportUnits(b, s, demoUnitRows(b), false)
	d, c := genFiles(b, 200_000, 12, 1)
	importCatalogue(b, s, c)
	mustImportDossiers(b, s, "year.csv", d)
	// Two versions of March 2024: as generated, and every dossier rated
	// dissatisfied; the loop alternates them so each import changes all.
	march := func(cells []string) bool { return strings.HasPrefix(cells[cRecv], "2024-03") }
	a := editRows(b, d, 1<<30, march, func([]string) {})
	z := editRows(b, d, 1<<30, march, func(cells []string) { cells[cRating] = "dissatisfied" })
	var derive time.Duration
	i := 0
	for b.Loop() {
		f := z
		if i%2 == 1 {
			f = a
		}
		i++
		res := mustImportDossiers(b, s, "march.csv", f)
		if res.Updated == 0 {
			b.Fatalf("%+v", res)
		}
		derive += res.DeriveTime
	}
	b.ReportMetric(float64(derive.Milliseconds())/float64(i), "ms-derive/op")
	b.ReportMetric(float64(bytes.Count(a, []byte{'\n'})-1), "dossiers")
}

// TestDossiersRebuildKeepsData: a database whose dossiers were imported
// before migration 202612030010 rebuilt the table keeps every dossier,
// its counts and its drill-down, and gets the cheaper constraints (which
// still refuse what the old ones refused).
func TestDossiersRebuildKeepsData(t *testing.T) {
	const rebuild = "202612030010_dossiers_cheaper_checks"
	at := slices.IndexFunc(migrations, func(m migration) bool { return m.id == rebuild })
	if at < 0 {
		t.Fatalf("migration %s not found", rebuild)
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	all := migrations
	// The schema as it was before the rebuild, with the audit trail's
	// chain, which every import writes now.
	migrations = slices.Clone(all[:at])
	for _, m := range all[at:] {
		if strings.Contains(m.id, "_audit_chain") {
			migrations = append(migrations, m)
		}
	}
	migrations = withScoreTables(migrations)
	old, err := Open(ctx, Config{Driver: DriverSQLite, DSN: path})
	migrations = all
	if err != nil {
		t.Fatal(err)
	}
	// The units as that schema holds them: today's ImportUnits writes
	// columns added later.
	units := demoUnitRows(t)
	sort.SliceStable(units, func(i, j int) bool { return kindRank(units[i].Kind) < kindRank(units[j].Kind) })
	for _, u := range units {
		if err := old.w.Exec("INSERT INTO units (code, name, kind, parent_code, demo, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			u.Code, u.Name, u.Kind, nullString(u.ParentCode), false, time.Now(), time.Now()).Error; err != nil {
			t.Fatalf("insert unit %s: %v", u.Code, err)
		}
	}
	d, c := genFiles(t, 3_000, 6, 11)
	importCatalogue(t, old, c)
	mustImportDossiers(t, old, "dossiers.csv", d)
	schema := func(s *Store) string {
		var sql string
		if err := s.r.Raw("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'dossiers'").Scan(&sql).Error; err != nil {
			t.Fatal(err)
		}
		return sql
	}
	if !strings.Contains(schema(old), "IN (0, 1, 2)") {
		t.Fatalf("the old schema is not the old one: %s", schema(old))
	}
	type row struct {
		ID   int64
		Code string
	}
	var before []row
	if err := old.r.Raw("SELECT id, code FROM dossiers ORDER BY id").Scan(&before).Error; err != nil {
		t.Fatal(err)
	}
	// The derived counts as loaded from that schema (Dataset would also
	// read unit columns added later).
	wantDS := &scoring.Dataset{}
	if err := old.loadDerived(old.r, wantDS); err != nil {
		t.Fatal(err)
	}
	want := wantDS.Dossier
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	s, err := Open(ctx, Config{Driver: DriverSQLite, DSN: path})
	if err != nil {
		t.Fatalf("open with the rebuild: %v", err)
	}
	defer s.Close()
	if got := schema(s); strings.Contains(got, " IN (") || strings.Contains(got, "AUTOINCREMENT") || !strings.Contains(got, "channel = 0 OR channel = 1 OR channel = 2") {
		t.Errorf("rebuilt schema: %s", got)
	}
	var after []row
	if err := s.r.Raw("SELECT id, code FROM dossiers ORDER BY id").Scan(&after).Error; err != nil {
		t.Fatal(err)
	}
	if len(before) != 3_000 || !slices.Equal(before, after) {
		t.Fatalf("%d dossiers before, %d after the rebuild (or ids and codes differ)", len(before), len(after))
	}
	var idx int64
	if err := s.r.Raw("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'idx_dossiers_unit_received' AND tbl_name = 'dossiers'").
		Scan(&idx).Error; err != nil || idx != 1 {
		t.Fatalf("unit index after the rebuild: %d (%v)", idx, err)
	}
	sameCounts(t, "after the rebuild", derived(t, s), want)
	if _, err := s.RederiveAll(ctx); err != nil {
		t.Fatal(err)
	}
	sameCounts(t, "derived again after the rebuild", derived(t, s), want)
	// The same file again is recognised row by row: nothing changes.
	if res := mustImportDossiers(t, s, "again.csv", d); res.Inserted != 0 || res.Updated != 0 || res.Unchanged != 3_000 {
		t.Fatalf("same file after the rebuild: %+v", res)
	}
	// The constraints still hold: a channel or rating out of range, a
	// due time before reception.
	for _, set := range []string{"channel = 3", "channel = 1.5", "rating = 3", "rating = -1", "rating = 0.5", "due_at = received_at - 1", "supplement_requests = -1"} {
		if err := s.w.Exec("UPDATE dossiers SET "+set+" WHERE id = ?", after[0].ID).Error; err == nil {
			t.Errorf("%s accepted after the rebuild", set)
		}
	}
	// Units still take their dossiers with them.
	var unitID int64
	if err := s.r.Raw("SELECT unit_id FROM dossiers WHERE id = ?", after[0].ID).Scan(&unitID).Error; err != nil {
		t.Fatal(err)
	}
	if err := s.w.Exec("DELETE FROM units WHERE id = ?", unitID).Error; err != nil {
		t.Fatalf("remove a unit: %v", err)
	}
	var left int64
	if err := s.r.Raw("SELECT COUNT(*) FROM dossiers WHERE unit_id = ?", unitID).Scan(&left).Error; err != nil || left != 0 {
		t.Fatalf("%d dossiers of a removed unit left (%v)", left, err)
	}
}

// TestDuplicateCodeIntoEmptyTableIsConflict: without the reader's verdict,
// a dossier code given twice in a file written into an empty table (plain
// INSERTs) is a conflict, and nothing is written.
func TestDuplicateCodeIntoEmptyTableIsConflict(t *testing.T) {
	both(t, testDuplicateCodeIntoEmptyTable)
}

func testDuplicateCodeIntoEmptyTable(t *testing.T, open opener) {
	s := open(t)
	indexes := dossierIndexes(t, s)
	mustImportUnits(t, s, demoUnitRows(t), false)
	d, c := genFiles(t, 50, 2, 3)
	importCatalogue(t, s, c)
	lines := strings.SplitAfter(string(d), "\n")
	twice := strings.Join(append(lines[:len(lines)-1], lines[1]), "") // the first row again at the end
	rd := dossier.NewDossierReader("twice.csv", strings.NewReader(twice), dossier.ReadOptions{})
	defer rd.Close()
	_, err := s.ImportDossiers(context.Background(), imp("twice.csv"), rd, nil)
	if !errors.Is(err, ErrConflict) {
		t.Fatalf("a code twice into an empty table: %v, want ErrConflict", err)
	}
	var n int64
	if err := s.r.Raw("SELECT COUNT(*) FROM dossiers").Scan(&n).Error; err != nil || n != 0 {
		t.Fatalf("%d dossiers written by a refused file (%v)", n, err)
	}
	if got := dossierIndexes(t, s); !slices.Equal(got, indexes) {
		t.Errorf("indexes after a refused file %v, want %v", got, indexes)
	}
}
