package importer

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"scorecard/data/demo"
	"scorecard/data/demo/dossiergen"
	"scorecard/dossier"
	"scorecard/i18n"
	"scorecard/internal/storetest"
	"scorecard/models"
	"scorecard/scoring"
)

const catalogueHeader = "period,procedure_code,name,unit_code,online_level,has_fee,individual_applicant,citizen_data_connected\n"

var dossierHeader = strings.Join(dossier.DossierColumns, ",") + "\n"

// catalogueCSV gives BK.SGTVT one procedure and BK.BABE.CHOREN another.
const catalogueCSV = catalogueHeader +
	"2024-04,1.001234,Cấp giấy phép lái xe,BK.SGTVT,full,1,1,1\n" +
	"2024-04,2.000103,Chứng thực bản sao,BK.BABE.CHOREN,partial,1,1,0\n"

const goodDossier = "000.00.12.H05-240403-0001,BK.SGTVT,1.001234,2024-04-03T09:15:00+07:00,2024-04-10T17:00:00+07:00,2024-04-08T10:00:00+07:00,online,1,1,1,1,0,0,1,1,0,satisfied\n"

// dossierFixture has the units of unitsCSV and catalogueCSV.
func dossierFixture(t testing.TB) *fixture {
	t.Helper()
	return dossierFixtureOn(t, storetest.SQLite)
}

func dossierFixtureOn(t testing.TB, db storetest.DB) *fixture {
	t.Helper()
	f := newFixtureOn(t, db)
	f.load(t, "units.csv", unitsCSV)
	f.load(t, "catalogue.csv", catalogueCSV)
	return f
}

// TestDossierAndCatalogueFiles: the examples of docs/import-files.md go in, are
// reported, and a re-import of the same files changes nothing.
func TestDossierAndCatalogueFiles(t *testing.T) { storetest.Run(t, testDossierAndCatalogueFiles) }

func testDossierAndCatalogueFiles(t *testing.T, db storetest.DB) {
	f := newFixtureOn(t, db)
	f.load(t, "units.csv", unitsCSV)
	rep := f.load(t, "catalogue.csv", catalogueCSV)
	if rep.Kind != models.ImportCatalogue || rep.Rows != 2 || rep.Inserted != 2 || rep.Derived == 0 || rep.Format != FormatCSV {
		t.Fatalf("catalogue: %+v", rep)
	}
	rep = f.load(t, "dossiers.csv", dossierHeader+goodDossier+
		"000.00.12.H05-240403-0002,BK.SGTVT,1.001234,2024-04-03T10:00:00,2024-04-05T17:00:00,,direct,1,0,,1,0,0,0,1,2,dissatisfied\n")
	if rep.Kind != models.ImportDossiers || rep.Rows != 2 || rep.Inserted != 2 || rep.Derived == 0 || len(rep.SHA256) != 64 {
		t.Fatalf("dossiers: %+v", rep)
	}
	if !slices.Contains(rep.Periods, "2024-04") {
		t.Errorf("periods whose derived counts changed: %v, want 2024-04 among them", rep.Periods)
	}
	ds, err := f.st.Dataset(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// One on time, one late (due 04-05, open at the month's end).
	if c := ds.Dossier[scoring.Key{Period: "2024-04", Unit: "BK.SGTVT", Metric: dossier.MetricOnTime}]; c != scoring.C(1, 2) {
		t.Errorf("on time: %+v", c)
	}
	v, _ := f.st.DataVersion(context.Background())
	again := f.load(t, "dossiers.csv", dossierHeader+goodDossier)
	if again.Inserted != 0 || again.Updated != 0 || again.Unchanged != 1 || len(again.Periods) != 0 {
		t.Errorf("same dossier again: %+v", again)
	}
	if v2, _ := f.st.DataVersion(context.Background()); v2 != v {
		t.Error("the same dossier again moved the data version")
	}
}

// TestBadDossierFiles: every kind of bad dossier or catalogue file is
// refused with its row, column and reason, and changes nothing.
func TestBadDossierFiles(t *testing.T) {
	t.Parallel()
	storetest.Run(t, testBadDossierFiles)
}

func testBadDossierFiles(t *testing.T, db storetest.DB) {
	row := func(cells map[int]string) string {
		c := strings.Split(strings.TrimSuffix(goodDossier, "\n"), ",")
		for i, v := range cells {
			c[i] = v
		}
		return strings.Join(c, ",") + "\n"
	}
	cases := []struct {
		name, file, content string
		want                []wantProblem
	}{
		{"bad timestamp", "d.csv", dossierHeader + row(map[int]string{3: "03/04/2024 09:15"}), []wantProblem{{2, "received_at", "ISO 8601"}}},
		{"date without time", "d.csv", dossierHeader + row(map[int]string{4: "2024-04-10"}), []wantProblem{{2, "due_at", "thiếu giờ"}}},
		{"due before received", "d.csv", dossierHeader + row(map[int]string{4: "2024-04-01T17:00:00+07:00"}), []wantProblem{{2, "due_at", "sớm hơn thời điểm tiếp nhận"}}},
		{"finished before received", "d.csv", dossierHeader + row(map[int]string{5: "2024-04-02T10:00:00+07:00"}), []wantProblem{{2, "finished_at", "sớm hơn thời điểm tiếp nhận"}}},
		{"unknown unit", "d.csv", dossierHeader + row(map[int]string{1: "BK.XX"}), []wantProblem{{2, "unit_code", "chưa có trong cơ sở dữ liệu"}}},
		{"province", "d.csv", dossierHeader + row(map[int]string{1: "BK"}), []wantProblem{{2, "unit_code", "là tỉnh"}}},
		{"unknown procedure", "d.csv", dossierHeader + row(map[int]string{2: "9.999999"}), []wantProblem{{2, "procedure_code", "danh mục thủ tục"}}},
		{"bad flag", "d.csv", dossierHeader + row(map[int]string{7: "yes"}), []wantProblem{{2, "fee_required", "nhận 1 (có) hoặc 0 (không)"}}},
		{"paid without fee", "d.csv", dossierHeader + row(map[int]string{7: "0"}), []wantProblem{{2, "paid_online", "không thể đã thanh toán"}}},
		{"unknown channel", "d.csv", dossierHeader + row(map[int]string{6: "email"}), []wantProblem{{2, "channel", "Kênh nộp"}}},
		{"channel in capitals", "d.csv", dossierHeader + row(map[int]string{6: "Online"}), []wantProblem{{2, "channel", "chữ thường"}}},
		{"unknown rating", "d.csv", dossierHeader + row(map[int]string{16: "ok"}), []wantProblem{{2, "rating", "Đánh giá"}}},
		{"bad supplements", "d.csv", dossierHeader + row(map[int]string{15: "-1"}), []wantProblem{{2, "supplement_requests", "số nguyên không âm"}}},
		{"code twice", "d.csv", dossierHeader + goodDossier + goodDossier, []wantProblem{{3, "dossier_code", "trùng với mã ở dòng 2"}}},
		{"missing column", "d.csv", strings.Replace(dossierHeader, ",rating", "", 1) + strings.TrimSuffix(goodDossier, ",satisfied\n") + "\n",
			[]wantProblem{{1, "rating", "rating"}}},
		{"several rows", "d.csv", dossierHeader + goodDossier + row(map[int]string{0: "X-2", 1: "BK.XX"}) + row(map[int]string{0: "X-3", 6: "fax"}),
			[]wantProblem{{3, "unit_code", "chưa có"}, {4, "channel", "Kênh nộp"}}},
		{"catalogue: bad month", "c.csv", catalogueHeader + "2024-4,1.001234,Cấp phép,BK.SGTVT,full,1,1,1\n", []wantProblem{{2, "period", "YYYY-MM"}}},
		{"catalogue: quarter", "c.csv", catalogueHeader + "2024-Q2,1.001234,Cấp phép,BK.SGTVT,full,1,1,1\n", []wantProblem{{2, "period", "theo tháng"}}},
		{"catalogue: province", "c.csv", catalogueHeader + "2024-04,1.001234,Cấp phép,BK,full,1,1,1\n", []wantProblem{{2, "unit_code", "là tỉnh"}}},
		{"catalogue: online level", "c.csv", catalogueHeader + "2024-04,1.001234,Cấp phép,BK.SGTVT,yes,1,1,1\n", []wantProblem{{2, "online_level", "none (không có)"}}},
		{"catalogue: duplicated procedure", "c.csv", catalogueHeader + "2024-04,1.001234,A,BK.SGTVT,full,1,1,1\n2024-04,1.001234,B,BK.SGTVT,none,0,1,1\n",
			[]wantProblem{{3, "procedure_code", "trùng với dòng 2"}}},
		{"catalogue: empty name", "c.csv", catalogueHeader + "2024-04,1.001234,,BK.SGTVT,full,1,1,1\n", []wantProblem{{2, "name", "Thiếu tên thủ tục"}}},
	}
	// One database for every case: each refusal must leave it exactly as
	// it was (refuse checks), so the next case starts from the same state.
	f := dossierFixtureOn(t, db)
	f.load(t, "first.csv", dossierHeader+strings.Replace(goodDossier, "0001,", "0009,", 1))
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pe := f.refuse(t, c.file, []byte(c.content))
			if len(pe.Problems) != len(c.want) {
				t.Fatalf("got %d problem(s), want %d:\n%s", len(pe.Problems), len(c.want), strings.Join(pe.Lines(i18n.VI), "\n"))
			}
			for _, w := range c.want {
				found := false
				for _, p := range pe.Problems {
					found = found || p.Row == w.row && p.Column == w.col && strings.Contains(p.Message(i18n.VI), w.contains)
				}
				if !found {
					t.Errorf("no problem at row %d, column %q containing %q; got:\n%s", w.row, w.col, w.contains, strings.Join(pe.Lines(i18n.VI), "\n"))
				}
			}
		})
	}
}

// TestManyBadDossierRows: a file bad all the way down is refused with the
// listing capped and the rest counted by kind.
func TestManyBadDossierRows(t *testing.T) {
	f := dossierFixture(t)
	var b strings.Builder
	b.WriteString(dossierHeader)
	for i := 0; i < 5000; i++ {
		b.WriteString(strings.Replace(strings.Replace(goodDossier, "0001,", "x"+time.Duration(i).String()+",", 1), ",online,", ",fax,", 1))
	}
	pe := f.refuse(t, "d.csv", []byte(b.String()))
	if pe.Total != 5000 || len(pe.Problems) != DefaultMaxProblems || len(pe.More) != 1 || pe.More[0].Count != 4800 ||
		!strings.Contains(pe.More[0].Message(i18n.VI), "… và 4.800 lỗi khác cùng loại, từ dòng 202") {
		t.Fatalf("total %d, listed %d, more %+v", pe.Total, len(pe.Problems), pe.More)
	}
}

// TestDossierWorkbook: a small dossier file saved as .xlsx goes in, times
// typed as Excel dates included.
func TestDossierWorkbook(t *testing.T) {
	f := dossierFixture(t)
	book := workbook(t, func(x *excelize.File, s string) {
		cols := make([]any, len(dossier.DossierColumns))
		for i, c := range dossier.DossierColumns {
			cols[i] = c
		}
		rowOf(t, x, s, 1, cols...)
		rowOf(t, x, s, 2, "D-1", "BK.SGTVT", "1.001234", time.Date(2024, 4, 3, 9, 15, 0, 0, time.UTC),
			"2024-04-10T17:00:00+07:00", "", "online", 1, 1, 1, 1, 0, 0, 1, 1, 0, "")
		style(t, x, s, "D2", &excelize.Style{NumFmt: 22})
	})
	rep := f.load(t, "d.xlsx", string(book))
	if rep.Format != FormatXLSX || rep.Rows != 1 || rep.Inserted != 1 {
		t.Fatalf("%+v", rep)
	}
}

// TestImportProgress: a dossier file tells how far it has got, and when
// it is read.
func TestImportProgress(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, file := range demo.Files()[:1] {
		f.load(t, file.Name, string(file.Data))
	}
	// Three reports on the way and the last; with -short (a third of the
	// rows to import, twice) one on the way.
	reports := 3
	if testing.Short() {
		reports = 1
	}
	d, c := generate(t, reports*progressEvery+10)
	f.load(t, "catalogue.csv", string(c))
	var seen []Progress
	f.im.Progress = func(p Progress) { seen = append(seen, p) }
	rep, err := f.im.Import(context.Background(), "d.csv", bytes.NewReader(d), models.SourceCLI, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != reports+1 || !seen[reports].Done || seen[reports].Rows != rep.Rows || seen[reports].Size != int64(len(d)) {
		t.Fatalf("progress %+v for %d rows", seen, rep.Rows)
	}
	for i := 1; i < len(seen); i++ {
		if seen[i].Rows <= seen[i-1].Rows || seen[i].Bytes < seen[i-1].Bytes || seen[i].Bytes > seen[i].Size {
			t.Fatalf("progress %+v", seen)
		}
	}

	// A context's progress function takes the place of the importer's,
	// for that import only (each web import has its own).
	seen = nil
	var mine []Progress
	ctx := WithProgress(context.Background(), func(p Progress) { mine = append(mine, p) })
	if _, err := f.im.Import(ctx, "d.csv", bytes.NewReader(d), models.SourceCLI, false); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 0 || len(mine) != reports+1 || !mine[reports].Done || mine[reports].Rows != rep.Rows {
		t.Fatalf("importer's progress %+v, context's %+v", seen, mine)
	}
}

func generate(t testing.TB, rows int) (dossiers, catalogue []byte) {
	t.Helper()
	var d, c bytes.Buffer
	opts := dossiergen.GenOptions{Rows: rows, Months: 12, Seed: 21}
	if err := dossiergen.Generate(&d, opts); err != nil {
		t.Fatal(err)
	}
	if err := dossiergen.GenerateCatalogue(&c, opts); err != nil {
		t.Fatal(err)
	}
	return d.Bytes(), c.Bytes()
}

// TestDossiersEndToEnd: the demo units, a generated catalogue and 20 000
// dossiers (6 000 with -short) through the importer; the engine scores every unit as it does
// from dossier.Deriver's counts of the same files, each dossier metric's
// source is the dossiers; counts imported for a (period, unit, metric) then
// win over the derived ones.
func TestDossiersEndToEnd(t *testing.T) {
	t.Parallel()
	storetest.Run(t, testDossiersEndToEnd)
}

func testDossiersEndToEnd(t *testing.T, db storetest.DB) {
	f := newFixtureOn(t, db)
	ctx := context.Background()
	f.load(t, "units.csv", string(demo.Files()[0].Data))
	rows := 20_000
	if testing.Short() {
		rows = 6_000 // still every month of the year, every unit, several statements
	}
	d, c := generate(t, rows)
	f.load(t, "catalogue.csv", string(c))
	f.load(t, "dossiers.csv", string(d))

	ds, err := f.st.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ref := dossier.NewDeriver()
	cat, err := dossier.ReadCatalogue("c.csv", bytes.NewReader(c), ref.ReadOptions())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ref.AddAll(dossier.NewDossierReader("d.csv", bytes.NewReader(d), ref.ReadOptions())); err != nil {
		t.Fatal(err)
	}
	want := &scoring.Dataset{Units: ds.Units, Dossier: ref.Counts(dossier.DeriveOptions{Catalogue: cat})}
	got, exp := scoring.NewEngine(f.im.schemes, ds), scoring.NewEngine(f.im.schemes, want)
	periods := exp.Periods()
	if len(periods) < 12+4+2+1 {
		t.Fatalf("periods %v", periods)
	}
	compared := 0
	for _, p := range periods {
		g, w := got.Score(p), exp.Score(p)
		for code, wu := range w.Units {
			gu := g.Unit(code)
			if gu == nil || gu.Total != wu.Total || gu.HasData != wu.HasData || gu.MaxTotal != wu.MaxTotal {
				t.Fatalf("%s %s: total %+v, want %v", p, code, gu, wu.Total)
			}
			for _, grp := range wu.Groups {
				for _, wm := range grp.Metrics {
					gm := gu.Metric(wm.Metric.Code)
					if gm.Counts != wm.Counts || gm.Points != wm.Points || gm.Source != wm.Source || gm.Derived != wm.Derived {
						t.Fatalf("%s %s %s: %+v, want %+v", p, code, wm.Metric.Code, gm, wm)
					}
				}
			}
			compared++
		}
	}
	agency := "BK.STP"
	us := got.Score(scoring.MustPeriod("2024-04")).Unit(agency)
	on := us.Metric(dossier.MetricOnTime)
	if !us.HasData || on.Source != scoring.SourceDerived || on.Derived != scoring.DerivedDossier || !on.Counts.Valid || on.Counts.Den == 0 {
		t.Fatalf("%s ON_TIME_PROCESSING: %+v", agency, on)
	}
	t.Logf("%d unit scores compared; %s in 2024-04: %v points, on time %d/%d", compared, agency, us.Total, on.Counts.Num, on.Counts.Den)

	// Counts imported for the same (period, unit, metric) win.
	f.load(t, "counts.csv", countsHeader+"2024-04,"+agency+",ON_TIME_PROCESSING,1,2\n")
	ds, err = f.st.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	on = scoring.NewEngine(f.im.schemes, ds).Score(scoring.MustPeriod("2024-04")).Unit(agency).Metric(dossier.MetricOnTime)
	if on.Source != scoring.SourceOwn || on.Counts != scoring.C(1, 2) {
		t.Fatalf("after importing counts: %+v", on)
	}
	// The rest still comes from the dossiers.
	if m := scoring.NewEngine(f.im.schemes, ds).Score(scoring.MustPeriod("2024-04")).Unit(agency).Metric(dossier.MetricSync); m.Derived != scoring.DerivedDossier {
		t.Errorf("DOSSIER_SYNC: %+v", m)
	}
}

// FuzzImportDossierCSV: whatever follows a dossier or catalogue header,
// the importer answers with a report or a complete refusal, never a panic.
func FuzzImportDossierCSV(f *testing.F) {
	fx := dossierFixture(f)
	for _, s := range []string{goodDossier, "x", "\"a\"\"b\",BK.SGTVT\n", strings.ReplaceAll(goodDossier, ",", ";"),
		"2024-04,1.001234,Tên,BK.SGTVT,full,1,1,1\n"} {
		f.Add(true, []byte(s))
		f.Add(false, []byte(s))
	}
	f.Fuzz(func(t *testing.T, dossiers bool, body []byte) {
		head := catalogueHeader
		if dossiers {
			head = dossierHeader
		}
		rep, err := fx.im.Import(context.Background(), "f.csv", bytes.NewReader(append([]byte(head), body...)), models.SourceCLI, false)
		if err == nil {
			if rep.Rows == 0 || rep.Inserted+rep.Updated+rep.Unchanged != rep.Rows {
				t.Fatalf("bad report %+v", rep)
			}
			return
		}
		var pe *ProblemsError
		if !errors.As(err, &pe) || len(pe.Problems) == 0 {
			t.Fatalf("error %v", err)
		}
		for _, p := range pe.Problems {
			if p.Message(i18n.VI) == "" || p.Message(i18n.EN) == "" || p.Row < 0 {
				t.Fatalf("incomplete problem %+v", p)
			}
		}
	})
}
