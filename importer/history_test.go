package importer

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"scorecard/data/demo"
	"scorecard/data/demo/dataset"
	"scorecard/i18n"
	"scorecard/models"
	"scorecard/scoring"
)

const datedHeader = "code,name,kind,parent_code,valid_from,valid_to\n"

// mergerUnits: Bắc Kạn until the 2025 merger, with an agency, a district and
// two communes; Thái Nguyên from it, with a commune and an agency.
const mergerUnits = datedHeader +
	"BK,Tỉnh Bắc Kạn,province,,,2025-07-01\n" +
	"BK.STC,Sở Tài chính,agency,BK,,2025-07-01\n" +
	"BK.BABE,Huyện Ba Bể,district,BK,,\n" +
	"BK.BABE.CHORA,Thị trấn Chợ Rã,commune,BK.BABE,,2025-07-01\n" +
	"BK.BABE.HAHIEU,Xã Hà Hiệu,commune,BK.BABE,,2025-07-01\n" +
	"TN,Tỉnh Thái Nguyên,province,,2025-07-01,\n" +
	"TN.STC,Sở Tài chính,agency,TN,2025-07-01,\n" +
	"TN.BABE,Xã Ba Bể,commune,TN,2025-07-01,\n"

const changesHeader = "code,successor_code,change,effective_from\n"

const mergerChanges = changesHeader +
	"BK,TN,merged,2025-07-01\n" +
	"BK.STC,TN.STC,merged,2025-07-01\n" +
	"BK.BABE.CHORA,TN.BABE,merged,2025-07-01\n" +
	"BK.BABE.HAHIEU,TN.BABE,merged,2025-07-01\n"

func mergerFixture(t testing.TB, withChanges bool) *fixture {
	t.Helper()
	f := newFixture(t)
	f.load(t, "units.csv", mergerUnits)
	if withChanges {
		f.load(t, "changes.csv", mergerChanges)
	}
	return f
}

// refuseWith imports content expecting a refusal (changing nothing) with
// at least the wanted problems, and no problem at a place not wanted.
func refuseWith(t *testing.T, f *fixture, name, content string, want ...wantProblem) {
	t.Helper()
	pe := f.refuse(t, name, []byte(content))
	all := strings.Join(pe.Lines(i18n.VI), "\n") + "\n" + strings.Join(pe.Lines(i18n.EN), "\n")
	t.Log("\n" + all)
	for _, w := range want {
		found := false
		for _, p := range pe.Problems {
			if p.Row == w.row && p.Column == w.col && strings.Contains(p.Message(i18n.VI), w.contains) {
				found = true
			}
		}
		if !found {
			t.Errorf("no problem at row %d, column %q containing %q; got:\n%s", w.row, w.col, w.contains, all)
		}
	}
	for _, p := range pe.Problems {
		placed := false
		for _, w := range want {
			placed = placed || (p.Row == w.row && p.Column == w.col)
		}
		if !placed {
			t.Errorf("unexpected problem %s", p.Text(i18n.VI))
		}
	}
}

// A units file with valid_from and valid_to sets the days each unit exists;
// one without them keeps the days; importing it again changes nothing.
func TestUnitDates(t *testing.T) {
	f := mergerFixture(t, false)
	ctx := t.Context()
	u, err := f.st.UnitByCode(ctx, "TN.BABE")
	if err != nil || u.ValidFrom == nil || *u.ValidFrom != "2025-07-01" || u.ValidTo != nil {
		t.Fatalf("TN.BABE: %+v, %v", u, err)
	}
	if rep := f.load(t, "units.csv", mergerUnits); rep.Unchanged != 8 {
		t.Errorf("the same file again: %+v", rep)
	}
	// Without the date columns: the names change, the days stay.
	f.load(t, "u.csv", unitsHeader+"TN.BABE,Xã Ba Bể (mới),commune,TN\nBK.BABE.CHORA,Thị trấn Chợ Rã,commune,BK.BABE\n")
	for code, want := range map[string][2]string{"TN.BABE": {"2025-07-01", ""}, "BK.BABE.CHORA": {"", "2025-07-01"}} {
		u, _ := f.st.UnitByCode(ctx, code)
		if deref(u.ValidFrom) != want[0] || deref(u.ValidTo) != want[1] {
			t.Errorf("%s after a file without dates: %q – %q, want %v", code, deref(u.ValidFrom), deref(u.ValidTo), want)
		}
	}
	// Columns in any order, an open side left empty.
	f.load(t, "u.csv", "valid_to,code,valid_from,name,kind,parent_code\n,TN.BABE,2025-07-01,Xã Ba Bể,commune,TN\n")
	ds, err := f.st.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range ds.Units {
		if u.Code == "BK.BABE" && !u.Until().Equal(scoring.DistrictsAbolished) {
			t.Errorf("a district without dates ends %v, want 01/07/2025", u.Until())
		}
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// Bad dates in a units file: each refused with its row, column and reason.
func TestUnitDatesRefused(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, content string
		want          []wantProblem
	}{
		{"one date column", "code,name,kind,parent_code,valid_from\nGL,Gia Lai,province,,2025-07-01\n",
			[]wantProblem{{1, "valid_to", "Thiếu cột valid_to"}}},
		{"not ISO", datedHeader + "GL,Gia Lai,province,,01/07/2025,\nGL.A,Xã A,commune,GL,,2025-7-1\n",
			[]wantProblem{{2, "valid_from", "YYYY-MM-DD"}, {3, "valid_to", "YYYY-MM-DD"}}},
		{"no such day", datedHeader + "GL,Gia Lai,province,,2025-02-30,\n",
			[]wantProblem{{2, "valid_from", "không hợp lệ"}}},
		{"end before start", datedHeader + "GL,Gia Lai,province,,2025-07-01,2025-07-01\n",
			[]wantProblem{{2, "valid_to", "phải trước ngày kết thúc"}}},
		{"district after 2025", datedHeader + "GL,Gia Lai,province,,,\nGL.D,Huyện D,district,GL,2025-07-01,\nGL.E,Huyện E,district,GL,,2026-01-01\n",
			[]wantProblem{{3, "valid_from", "cấp huyện kết thúc từ ngày 01/07/2025"}, {4, "valid_to", "cấp huyện kết thúc từ ngày 01/07/2025"}}},
		{"parent ends first", datedHeader + "TN.NEW,Xã Mới,commune,BK,,\n",
			[]wantProblem{{2, "parent_code", "Đơn vị cấp trên \"BK\" chỉ tồn tại đến hết ngày 30/06/2025"}}},
		{"parent begins later", datedHeader + "TN.OLD,Xã Cũ,commune,TN,2024-01-01,\n",
			[]wantProblem{{2, "parent_code", "chỉ tồn tại từ ngày 01/07/2025, không bao trọn thời gian tồn tại của đơn vị này (từ ngày 01/01/2024)"}}},
		{"no dates, parent ended", unitsHeader + "BK.NEW,Xã Mới,commune,BK\n",
			[]wantProblem{{2, "parent_code", "đến hết ngày 30/06/2025"}}},
		{"children left outside", datedHeader + "BK,Tỉnh Bắc Kạn,province,,,2024-01-01\n",
			[]wantProblem{{2, "valid_from", "2 đơn vị cấp dưới"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			refuseWith(t, mergerFixture(t, false), "u.csv", c.content, c.want...)
		})
	}
	// Once the changes are in, a unit's new days must still fit them.
	t.Run("changes no longer fit", func(t *testing.T) {
		refuseWith(t, mergerFixture(t, true), "u.csv", datedHeader+"TN.BABE,Xã Ba Bể,commune,TN,2025-08-01,\n",
			wantProblem{2, "valid_from", "không còn khớp với thay đổi đã nhập"})
	})
}

// A unit changes file records how units became others; the engine's data
// then has the predecessors and successors, and the same file again changes
// nothing.
func TestUnitChanges(t *testing.T) {
	f := mergerFixture(t, false)
	rep := f.load(t, "changes.csv", mergerChanges)
	if rep.Kind != models.ImportUnitChanges || rep.Inserted != 4 {
		t.Fatalf("report %+v", rep)
	}
	if again := f.load(t, "changes.csv", mergerChanges); again.Unchanged != 4 {
		t.Errorf("the same file again: %+v", again)
	}
	ds, err := f.st.Dataset(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	e := scoring.NewEngine(schemes(t), ds)
	var from []string
	for _, c := range e.Predecessors("TN.BABE") {
		from = append(from, c.From)
	}
	if strings.Join(from, " ") != "BK.BABE.HAHIEU BK.BABE.CHORA" && strings.Join(from, " ") != "BK.BABE.CHORA BK.BABE.HAHIEU" {
		t.Errorf("TN.BABE came from %v", from)
	}
	// A workbook says the same, dates typed as dates.
	book := workbook(t, func(x *excelize.File, s string) {
		rowOf(t, x, s, 1, "code", "successor_code", "change", "effective_from")
		rowOf(t, x, s, 2, "BK", "TN", "merged", time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC))
		style(t, x, s, "D2", &excelize.Style{NumFmt: 14})
	})
	r, err := f.im.Import(t.Context(), "changes.xlsx", bytes.NewReader(book), models.SourceWeb, false)
	if err != nil || r.Unchanged != 1 {
		t.Errorf("changes.xlsx: %+v, %v", r, err)
	}
}

// Bad unit changes: each refused with its row, column and reason, nothing
// changed.
func TestUnitChangesRefused(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, content string
		want          []wantProblem
	}{
		{"unknown units", changesHeader + "BK.NOPE,TN,merged,2025-07-01\nbk,TN,merged,2025-07-01\nBK,,merged,2025-07-01\n",
			[]wantProblem{{2, "code", "chưa có trong cơ sở dữ liệu"}, {3, "code", "mã phân biệt chữ hoa"}, {4, "successor_code", "Thiếu mã đơn vị mới"}}},
		{"itself", changesHeader + "BK,BK,renamed,2025-07-01\n", []wantProblem{{2, "successor_code", "không thể trở thành chính nó"}}},
		{"change", changesHeader + "BK,TN,Merged,2025-07-01\nBK.STC,TN.STC,absorbed,2025-07-01\nBK.BABE.CHORA,TN.BABE,,2025-07-01\n",
			[]wantProblem{{2, "change", "viết chữ thường: merged"}, {3, "change", "không hợp lệ"}, {4, "change", "Thiếu loại thay đổi"}}},
		{"date", changesHeader + "BK,TN,merged,1/7/2025\nBK.STC,TN.STC,merged,\n",
			[]wantProblem{{2, "effective_from", "YYYY-MM-DD"}, {3, "effective_from", "Thiếu ngày hiệu lực"}}},
		{"twice", changesHeader + "BK,TN,merged,2025-07-01\nBK,TN,merged,2025-07-01\n", []wantProblem{{3, "", "trùng với dòng 2"}}},
		{"kinds differ", changesHeader + "BK.STC,TN.BABE,merged,2025-07-01\n",
			[]wantProblem{{2, "successor_code", "là sở, ban, ngành (agency) nhưng \"TN.BABE\" là xã (commune)"}}},
		{"old unit gone by then", changesHeader + "BK.BABE.CHORA,TN.BABE,merged,2025-09-01\n",
			[]wantProblem{{2, "code", "không tồn tại vào ngày 31/08/2025"}}},
		{"new unit not yet there", changesHeader + "BK.BABE.CHORA,TN.BABE,merged,2025-01-01\n",
			[]wantProblem{{2, "successor_code", "không tồn tại vào ngày 01/01/2025"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			refuseWith(t, mergerFixture(t, false), "c.csv", c.content, c.want...)
		})
	}
}

// A chain of changes that leads a unit back to itself is refused, whether
// it is all in the file or closes on the database's changes.
func TestUnitChangesCycle(t *testing.T) {
	f := newFixture(t)
	f.load(t, "u.csv", unitsHeader+"GL,Gia Lai,province,\nGL.A,Xã A,commune,GL\nGL.B,Xã B,commune,GL\nGL.C,Xã C,commune,GL\n")
	refuseWith(t, f, "c.csv", changesHeader+"GL.A,GL.B,renamed,2020-01-01\nGL.B,GL.A,renamed,2020-01-01\n",
		wantProblem{2, "successor_code", "Vòng lặp thay đổi: GL.A → GL.B → GL.A"},
		wantProblem{3, "successor_code", "không tồn tại vào ngày 01/01/2020"},
		wantProblem{2, "successor_code", "không tồn tại vào ngày 01/01/2020"})
	f.load(t, "c.csv", changesHeader+"GL.A,GL.B,merged,2020-01-01\nGL.B,GL.C,renamed,2021-01-01\n")
	refuseWith(t, f, "c2.csv", changesHeader+"GL.C,GL.A,renamed,2022-01-01\n",
		wantProblem{2, "successor_code", "Vòng lặp thay đổi: GL.C → GL.A → GL.B → GL.C"})
}

// Counts, published results, catalogues and dossiers are refused for a
// unit in a period, or on a day, it does not exist in, naming its days;
// a period it exists on some day of is fine (the year of the merger).
func TestRowsOutsideTheUnitsDays(t *testing.T) {
	f := mergerFixture(t, true)
	f.load(t, "counts.csv", countsHeader+
		"2025-06,BK.BABE.CHORA,ON_TIME_PROCESSING,9,10\n"+
		"2025,BK.BABE.CHORA,ON_TIME_PROCESSING,19,20\n"+
		"2025,TN.BABE,ON_TIME_PROCESSING,19,20\n"+
		"2025-07,TN.BABE,ON_TIME_PROCESSING,9,10\n"+
		"2025-06,BK.BABE,ON_TIME_PROCESSING,9,10\n")
	refuseWith(t, f, "counts.csv", countsHeader+
		"2025-07,BK.BABE.CHORA,ON_TIME_PROCESSING,9,10\n"+
		"2025-06,TN.BABE,ON_TIME_PROCESSING,9,10\n"+
		"2025-Q3,BK.BABE,ON_TIME_PROCESSING,9,10\n"+
		"2026,BK,PUBLISH_ON_TIME,1,2\n",
		wantProblem{2, "unit_code", "Đơn vị \"BK.BABE.CHORA\" không tồn tại trong kỳ 2025-07: đơn vị chỉ tồn tại đến hết ngày 30/06/2025"},
		wantProblem{3, "unit_code", "chỉ tồn tại từ ngày 01/07/2025"},
		wantProblem{4, "unit_code", "cấp huyện kết thúc từ ngày 01/07/2025"},
		wantProblem{5, "unit_code", "không tồn tại trong kỳ 2026"})

	f.load(t, "official.csv", "period,unit_code,total,rank,rank_of\n2025-06,BK,75.35,17,63\n2025-07,TN,80.00,12,34\n")
	refuseWith(t, f, "official.csv", "period,unit_code,total,rank,rank_of\n2025-07,BK,75.35,17,63\n",
		wantProblem{2, "unit_code", "không tồn tại trong kỳ 2025-07"})

	f.load(t, "catalogue.csv", catalogueHeader+"2025-06,1.001234,Cấp phép,BK.STC,full,1,1,1\n2025-07,1.001234,Cấp phép,TN.STC,full,1,1,1\n")
	refuseWith(t, f, "catalogue.csv", catalogueHeader+"2025-07,1.001234,Cấp phép,BK.STC,full,1,1,1\n",
		wantProblem{2, "unit_code", "không tồn tại trong kỳ 2025-07"})

	ok := "D1,BK.STC,1.001234,2025-06-30T16:00:00+07:00,2025-07-10T17:00:00+07:00,2025-07-08T10:00:00+07:00,online,1,1,1,1,0,0,1,1,0,satisfied\n"
	f.load(t, "dossiers.csv", dossierHeader+ok)
	late := "D2,BK.STC,1.001234,2025-07-01T08:00:00+07:00,2025-07-10T17:00:00+07:00,,online,1,1,1,1,0,0,1,1,0,\n"
	refuseWith(t, f, "dossiers.csv", dossierHeader+late,
		wantProblem{2, "received_at", "Đơn vị \"BK.STC\" không tồn tại vào ngày 01/07/2025: đơn vị chỉ tồn tại đến hết ngày 30/06/2025"})
}

// The demo data set, imported file by file as a fresh installation does,
// is the demo the engine reads straight from its files: the same units
// with the same days, the same changes, the same counts.
func TestDemoThroughTheImporter(t *testing.T) {
	if testing.Short() {
		t.Skip("imports the whole demo (slow)")
	}
	f := newFixture(t)
	ctx := context.Background()
	for _, file := range demo.Files() {
		if _, err := f.im.Import(ctx, "demo/"+file.Name, bytes.NewReader(file.Data), models.SourceDemo, true); err != nil {
			t.Fatalf("%s: %v", file.Name, err)
		}
	}
	got, err := f.st.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want, err := dataset.Load()
	if err != nil {
		t.Fatal(err)
	}
	units := map[string]scoring.Unit{}
	for _, u := range got.Units {
		units[u.Code] = u
	}
	if len(units) != len(want.Units) {
		t.Fatalf("%d units, want %d", len(units), len(want.Units))
	}
	for _, u := range want.Units {
		if g := units[u.Code]; g.Name != u.Name || g.Kind != u.Kind || g.ParentCode != u.ParentCode ||
			!g.ValidFrom.Equal(u.ValidFrom) || !g.ValidTo.Equal(u.ValidTo) {
			t.Errorf("%s: %+v, want %+v", u.Code, g, u)
		}
	}
	if len(got.Changes) != len(want.Changes) || len(got.Own) != len(want.Own) {
		t.Errorf("%d changes and %d counts, want %d and %d", len(got.Changes), len(got.Own), len(want.Changes), len(want.Own))
	}
	for k, c := range want.Own {
		if got.Own[k] != c {
			t.Fatalf("%+v: %+v, want %+v", k, got.Own[k], c)
		}
	}
}
