package importer

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"scorecard/data"
	"scorecard/i18n"
	"scorecard/internal/storetest"
	"scorecard/models"
	"scorecard/scoring"
	"scorecard/store"
)

const unitsCSV = `code,name,kind,parent_code
BK,Tỉnh Bắc Kạn,province,
BK.SGTVT,Sở Giao thông vận tải,agency,BK
BK.BABE,Huyện Ba Bể,district,BK
BK.BABE.CHOREN,Xã Chợ Rã,commune,BK.BABE
`

const countsCSV = `period,unit_code,metric,numerator,denominator
2024-04,BK.SGTVT,ON_TIME_PROCESSING,653,654
2024-04,BK,PUBLISH_ON_TIME,2,3
2024-Q2,BK.SGTVT,ON_TIME_PROCESSING,1802,1830
2024-04,BK.SGTVT,ELECTRONIC_CERTIFIED_COPY,,
`

type fixture struct {
	st *store.Store
	im *Importer
}

func schemes(t testing.TB) *scoring.Schemes {
	t.Helper()
	sc, err := data.DefaultSchemes()
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// newFixture is an importer over a fresh SQLite store, for the tests of
// what the importer reads rather than of what it stores.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	return newFixtureOn(t, storetest.SQLite)
}

// newFixtureOn is an importer over a fresh store on db.
func newFixtureOn(t testing.TB, db storetest.DB) *fixture {
	t.Helper()
	st := db.Open(t)
	return &fixture{st: st, im: New(st, schemes(t))}
}

func (f *fixture) load(t testing.TB, name, content string) *Report {
	t.Helper()
	rep, err := f.im.Import(context.Background(), name, strings.NewReader(content), models.SourceCLI, false)
	if err != nil {
		var pe *ProblemsError
		if errors.As(err, &pe) {
			t.Fatalf("import %s refused:\n%s", name, strings.Join(pe.Lines(i18n.EN), "\n"))
		}
		t.Fatalf("import %s: %v", name, err)
	}
	return rep
}

// state is everything an import can change, to prove a refusal changed
// nothing.
type state struct {
	version int64
	ds      *scoring.Dataset
	units   []models.Unit
	imports int
}

func (f *fixture) state(t testing.TB) state {
	t.Helper()
	ctx := context.Background()
	v, err := f.st.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := f.st.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	units, err := f.st.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	imps, err := f.st.Imports(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	return state{v, ds, units, len(imps)}
}

// refuse imports content expecting a refusal and returns the problems; it
// fails the test if anything in the database changed.
func (f *fixture) refuse(t testing.TB, name string, content []byte) *ProblemsError {
	t.Helper()
	before := f.state(t)
	rep, err := f.im.Import(context.Background(), name, bytes.NewReader(content), models.SourceWeb, false)
	if err == nil {
		t.Fatalf("import %s accepted: %+v", name, rep)
	}
	var pe *ProblemsError
	if !errors.As(err, &pe) {
		t.Fatalf("import %s: error %v is not a *ProblemsError", name, err)
	}
	if len(pe.Problems) == 0 || pe.Total < len(pe.Problems)-1 {
		t.Fatalf("problems error without problems: %+v", pe)
	}
	for _, p := range pe.Problems {
		if p.Message(i18n.VI) == "" || p.Message(i18n.EN) == "" || p.Row < 0 {
			t.Errorf("incomplete problem %+v", p)
		}
	}
	if after := f.state(t); !reflect.DeepEqual(before, after) {
		t.Fatalf("refused import %s changed the database", name)
	}
	return pe
}

func TestImportExamplesFromFormats(t *testing.T) { storetest.Run(t, testImportExamplesFromFormats) }

func testImportExamplesFromFormats(t *testing.T, db storetest.DB) {
	f := newFixtureOn(t, db)
	rep := f.load(t, "units.csv", unitsCSV)
	if rep.Kind != models.ImportUnits || rep.Format != FormatCSV || rep.Rows != 4 || rep.Inserted != 4 || rep.ImportID == 0 || len(rep.SHA256) != 64 {
		t.Fatalf("units report: %+v", rep)
	}
	rep = f.load(t, "counts.csv", countsCSV)
	if rep.Kind != models.ImportCounts || rep.Rows != 4 || rep.Inserted != 4 || !reflect.DeepEqual(rep.Periods, []string{"2024-04", "2024-Q2"}) {
		t.Fatalf("counts report: %+v", rep)
	}
	ds, err := f.st.Dataset(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := map[scoring.Key]scoring.Counts{
		{Period: "2024-04", Unit: "BK.SGTVT", Metric: "ON_TIME_PROCESSING"}:        scoring.C(653, 654),
		{Period: "2024-04", Unit: "BK", Metric: "PUBLISH_ON_TIME"}:                 scoring.C(2, 3),
		{Period: "2024-Q2", Unit: "BK.SGTVT", Metric: "ON_TIME_PROCESSING"}:        scoring.C(1802, 1830),
		{Period: "2024-04", Unit: "BK.SGTVT", Metric: "ELECTRONIC_CERTIFIED_COPY"}: {},
	}
	if !reflect.DeepEqual(ds.Own, want) {
		t.Errorf("counts = %v\nwant %v", ds.Own, want)
	}
	u, err := f.st.UnitByCode(context.Background(), "BK.BABE.CHOREN")
	if err != nil || u.Name != "Xã Chợ Rã" || u.Kind != "commune" || u.Parent() != "BK.BABE" {
		t.Errorf("commune: %+v, %v", u, err)
	}
	imps, err := f.st.Imports(context.Background(), 1)
	if err != nil || len(imps) != 1 || imps[0].Periods != "2024-04,2024-Q2" || imps[0].FileName != "counts.csv" || imps[0].Source != "cli" {
		t.Errorf("import log: %+v, %v", imps, err)
	}
	if rep.Kind != models.ImportCounts || rep.Rows != 4 || strings.Join(rep.Periods, ",") != "2024-04,2024-Q2" {
		t.Errorf("report: %+v", rep)
	}
}

func TestReimportIsIdempotent(t *testing.T) { storetest.Run(t, testReimportIsIdempotent) }

func testReimportIsIdempotent(t *testing.T, db storetest.DB) {
	f := newFixtureOn(t, db)
	f.load(t, "units.csv", unitsCSV)
	f.load(t, "counts.csv", countsCSV)
	before := f.state(t)
	rep := f.load(t, "counts.csv", countsCSV)
	if rep.Inserted != 0 || rep.Updated != 0 || rep.Unchanged != 4 {
		t.Fatalf("re-import report: %+v", rep)
	}
	urep := f.load(t, "units.csv", unitsCSV)
	if urep.Inserted != 0 || urep.Updated != 0 || urep.Unchanged != 4 {
		t.Fatalf("units re-import report: %+v", urep)
	}
	after := f.state(t)
	if !reflect.DeepEqual(before.ds, after.ds) {
		t.Error("re-importing the same files changed the data")
	}
	if after.version == before.version {
		t.Error("data version did not move")
	}

	// Re-importing a unit updates its name and parent.
	rep = f.load(t, "u2.csv", "code,name,kind,parent_code\nBK.BABE.CHOREN,Xã Chợ Rã mới,commune,BK\n")
	if rep.Updated != 1 {
		t.Fatalf("update report: %+v", rep)
	}
	u, err := f.st.UnitByCode(context.Background(), "BK.BABE.CHOREN")
	if err != nil || u.Name != "Xã Chợ Rã mới" || u.Parent() != "BK" {
		t.Errorf("updated unit: %+v, %v", u, err)
	}
	// And counts are replaced.
	rep = f.load(t, "c2.csv", "period,unit_code,metric,numerator,denominator\n2024-04,BK.SGTVT,ON_TIME_PROCESSING,600,654\n")
	if rep.Updated != 1 {
		t.Fatalf("counts update report: %+v", rep)
	}
	ds, err := f.st.Dataset(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := ds.Own[scoring.Key{Period: "2024-04", Unit: "BK.SGTVT", Metric: "ON_TIME_PROCESSING"}]; got != scoring.C(600, 654) {
		t.Errorf("replaced = %+v", got)
	}
}

func TestCSVDialects(t *testing.T) {
	f := newFixture(t)
	// BOM, semicolons, CRLF, columns in another order, spaces around cells
	// (including a non-breaking space), a quoted name with the separator,
	// a blank line and an all-empty row.
	units := "\uFEFFKind ; Code;parent_code;name\r\n" +
		"province; BK ;;\"Tỉnh Bắc Kạn; miền núi\"\r\n" +
		"\r\n" +
		"agency;BK.SGTVT\u00A0;BK; \"Sở \"\"GTVT\"\" \";\r\n" +
		";;;\r\n"
	// The last data row has a trailing empty cell beyond the header: allowed.
	rep := f.load(t, "đơn vị.csv", units)
	if rep.Rows != 2 || rep.Inserted != 2 {
		t.Fatalf("report: %+v", rep)
	}
	u, err := f.st.UnitByCode(context.Background(), "BK")
	if err != nil || u.Name != "Tỉnh Bắc Kạn; miền núi" {
		t.Errorf("BK: %+v, %v", u, err)
	}
	u, err = f.st.UnitByCode(context.Background(), "BK.SGTVT")
	if err != nil || u.Name != `Sở "GTVT"` || u.Parent() != "BK" {
		t.Errorf("BK.SGTVT: %+v, %v", u, err)
	}
	// Old Mac line ends (bare CR).
	rep = f.load(t, "mac.csv", "period,unit_code,metric,numerator,denominator\r2024-05,BK,PUBLISH_ON_TIME,1,2\r")
	if rep.Rows != 1 {
		t.Fatalf("CR file: %+v", rep)
	}
}

func TestRowNumbersCountBlankLines(t *testing.T) {
	f := newFixture(t)
	f.load(t, "units.csv", unitsCSV)
	pe := f.refuse(t, "c.csv", []byte("period,unit_code,metric,numerator,denominator\n\n2024-04,BK,PUBLISH_ON_TIME,1,2\n\n\n2024-04,NOPE,PUBLISH_ON_TIME,1,2\n"))
	if len(pe.Problems) != 1 || pe.Problems[0].Row != 6 || pe.Problems[0].Column != "unit_code" {
		t.Fatalf("problems: %v", pe.Lines(i18n.EN))
	}
}

func TestProblemsAreCapped(t *testing.T) {
	f := newFixture(t)
	f.load(t, "units.csv", unitsCSV)
	var b strings.Builder
	b.WriteString("period,unit_code,metric,numerator,denominator\n")
	for i := 0; i < 250; i++ {
		b.WriteString("2024-04,BK,NOT_A_METRIC_" + strings.Repeat("X", i%3) + string(rune('A'+i%26)) + ",1,2\n")
	}
	pe := f.refuse(t, "many.csv", []byte(b.String()))
	if pe.Total != 250 || len(pe.Problems) != DefaultMaxProblems || len(pe.More) != 1 || pe.More[0].Count != 50 {
		t.Fatalf("total %d, listed %d, more %+v", pe.Total, len(pe.Problems), pe.More)
	}
	more := pe.More[0]
	if more.First.Row != 202 || more.First.Column != "metric" ||
		!strings.Contains(more.Message(i18n.VI), "… và 50 lỗi khác cùng loại, từ dòng 202: Mã chỉ số") ||
		!strings.Contains(more.Message(i18n.EN), "50 more problems of the same kind, from row 202: The metric code") {
		t.Errorf("the rest: %+v\n%s\n%s", more, more.Message(i18n.VI), more.Message(i18n.EN))
	}
	if pe.Problems[0].Row != 2 || pe.Problems[199].Row != 201 {
		t.Errorf("not sorted by row: first %d, 200th %d", pe.Problems[0].Row, pe.Problems[199].Row)
	}
}

func TestDemoImportAndSources(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.im.Import(ctx, "u.csv", strings.NewReader(unitsCSV), models.SourceDemo, true); err != nil {
		t.Fatal(err)
	}
	has, err := f.st.HasDemo(ctx)
	if err != nil || !has {
		t.Fatalf("HasDemo = %v, %v", has, err)
	}
	if _, err := f.im.Import(ctx, "u.csv", strings.NewReader(unitsCSV), "ftp", false); err == nil {
		t.Error("unknown source accepted")
	} else if errors.As(err, new(*ProblemsError)) {
		t.Error("unknown source reported as a file problem")
	}
}

func TestImportFile(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	p := filepath.Join(dir, "Đơn vị tháng 4.csv")
	if err := os.WriteFile(p, []byte(unitsCSV), 0o600); err != nil {
		t.Fatal(err)
	}
	rep, err := f.im.ImportFile(context.Background(), p, models.SourceCLI)
	if err != nil || rep.FileName != "Đơn vị tháng 4.csv" || rep.Inserted != 4 {
		t.Fatalf("ImportFile: %+v, %v", rep, err)
	}
	if _, err := f.im.ImportFile(context.Background(), filepath.Join(dir, "missing.csv"), models.SourceCLI); err == nil {
		t.Error("missing file accepted")
	}
}

func TestWindowsPathIsReducedToName(t *testing.T) {
	f := newFixture(t)
	rep := f.load(t, `C:\Users\vanthu\Desktop\units.csv`, unitsCSV)
	if rep.FileName != "units.csv" {
		t.Errorf("file name = %q", rep.FileName)
	}
}

// TestTextIsStoredAsGiven: names are data, never code; escaping for HTML,
// charts and spreadsheets is the job of whoever shows them.
func TestTextIsStoredAsGiven(t *testing.T) { storetest.Run(t, testTextIsStoredAsGiven) }

func testTextIsStoredAsGiven(t *testing.T, db storetest.DB) {
	f := newFixtureOn(t, db)
	names := []string{`<script>alert(1)</script>`, `=HYPERLINK("http://x","y")`, `+1`, `-2`, `@SUM(A1)`, "Hai\ndòng"}
	var b strings.Builder
	b.WriteString(unitsHeader + "P,Tỉnh,province,\n")
	for i, n := range names {
		b.WriteString("P." + string(rune('A'+i)) + "," + `"` + strings.ReplaceAll(n, `"`, `""`) + `"` + ",agency,P\n")
	}
	f.load(t, "u.csv", b.String())
	for i, n := range names {
		u, err := f.st.UnitByCode(t.Context(), "P."+string(rune('A'+i)))
		if err != nil || u.Name != n {
			t.Errorf("unit %d: name %q, want %q (%v)", i, u.Name, n, err)
		}
	}
}

// TestEmptyTrailingColumns: spreadsheets often export empty columns with
// no name after the data; they are ignored.
func TestEmptyTrailingColumns(t *testing.T) {
	f := newFixture(t)
	rep := f.load(t, "u.csv", "code,name,kind,parent_code,,\nGL,Gia Lai,province,,,\n")
	if rep.Inserted != 1 {
		t.Fatalf("%+v", rep)
	}
}

// TestAuditDetail: the audit trail of a refused file keeps how many
// problems, the first one, where the file came from and, when published
// periods were the reason, which.
func TestAuditDetail(t *testing.T) {
	pe := &ProblemsError{FileName: "f.csv", Total: 3, Problems: []Problem{{Row: 2, Column: "metric", Key: "file.metric.unknown", Args: []any{`"X"`}}}}
	d := AuditDetail(pe, pe, models.SourceWeb)
	if d["first"] != `row 2, column metric: The metric code "X" is not in the scoring scheme (see the Methodology page for the codes).` {
		t.Errorf("first %q", d["first"])
	}
	if d["problems"] != 3 || d["source"] != models.SourceWeb || d["first"] != pe.Problems[0].String() {
		t.Errorf("detail %v", d)
	}
	if _, ok := d["published_periods"]; ok {
		t.Errorf("published periods without a publication: %v", d)
	}
	pub := &store.PublishedError{Periods: []models.Publication{{Period: "2024-04"}, {Period: "2024-Q2"}}}
	d = AuditDetail(&ProblemsError{Total: 1}, errors.Join(pe, pub), models.SourceCLI)
	if !reflect.DeepEqual(d["published_periods"], []string{"2024-04", "2024-Q2"}) || d["source"] != models.SourceCLI {
		t.Errorf("detail %v", d)
	}
	if _, ok := d["first"]; ok {
		t.Errorf("a first problem where none was listed: %v", d)
	}
}
