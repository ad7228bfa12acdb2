package importer

import (
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"scorecard/i18n"
	"scorecard/internal/storetest"
	"scorecard/models"
)

const officialHeader = "period,unit_code,total,rank,rank_of\n"

// TestOfficialBadFiles: every rule of the published results file is
// enforced at its row and column, and a refused file changes nothing.
func TestOfficialBadFiles(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		content string
		want    []wantProblem
	}{
		{"loose period", "2024-4,BK,75.35,12,63\n", []wantProblem{{2, "period", "hai chữ số"}}},
		{"lower-case quarter", "2024-q2,BK,75.35,12,63\n", []wantProblem{{2, "period", "không hợp lệ"}}},
		{"empty period", ",BK,75.35,12,63\n", []wantProblem{{2, "period", "Thiếu kỳ"}}},
		{"unknown unit", "2024-04,GL,75.35,12,63\n", []wantProblem{{2, "unit_code", "chưa có trong cơ sở dữ liệu"}}},
		{"unit of another case", "2024-04,bk,75.35,12,63\n", []wantProblem{{2, "unit_code", "chưa có trong cơ sở dữ liệu"}}},
		{"agency", "2024-04,BK.SGTVT,75.35,12,63\n", []wantProblem{{2, "unit_code", "không phải là tỉnh"}}},
		{"three decimals", "2024-04,BK,75.351,12,63\n", []wantProblem{{2, "total", "quá hai chữ số thập phân"}}},
		{"decimal comma", "2024-04,BK,\"75,35\",12,63\n", []wantProblem{{2, "total", "dấu chấm"}}},
		{"over 100", "2024-04,BK,100.01,12,63\n", []wantProblem{{2, "total", "từ 0 đến 100"}}},
		{"negative total", "2024-04,BK,-1,12,63\n", []wantProblem{{2, "total", "số âm"}}},
		{"text total", "2024-04,BK,cao,12,63\n", []wantProblem{{2, "total", "không phải là số"}}},
		{"empty total", "2024-04,BK,,12,63\n", []wantProblem{{2, "total", "Thiếu tổng điểm"}}},
		{"rank zero", "2024-04,BK,75.35,0,63\n", []wantProblem{{2, "rank", "từ 1 đến"}}},
		{"rank decimal", "2024-04,BK,75.35,12.5,63\n", []wantProblem{{2, "rank", "số nguyên dương"}}},
		{"rank_of negative", "2024-04,BK,75.35,12,-63\n", []wantProblem{{2, "rank_of", "số nguyên dương"}}},
		{"rank over rank_of", "2024-04,BK,75.35,64,63\n", []wantProblem{{2, "rank", "lớn hơn số tỉnh"}}},
		{"duplicate", "2024-04,BK,75.35,12,63\n2024-04,BK,75.36,11,63\n", []wantProblem{{3, "", "trùng với dòng 2"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			f.load(t, "units.csv", unitsCSV)
			pe := f.refuse(t, "official.csv", []byte(officialHeader+c.content))
			if len(pe.Problems) != len(c.want) {
				t.Fatalf("got %d problem(s), want %d:\n%s", len(pe.Problems), len(c.want), strings.Join(pe.Lines(i18n.VI), "\n"))
			}
			for _, w := range c.want {
				found := false
				for _, p := range pe.Problems {
					if p.Row == w.row && p.Column == w.col && strings.Contains(p.Message(i18n.VI), w.contains) {
						found = true
					}
				}
				if !found {
					t.Errorf("no problem at row %d, column %q containing %q; got:\n%s", w.row, w.col, w.contains, strings.Join(pe.Lines(i18n.VI), "\n"))
				}
			}
			// Each problem is explained in English too, for the command line.
			for _, p := range pe.Problems {
				if p.Message(i18n.EN) == "" || p.Message(i18n.EN) == p.Message(i18n.VI) {
					t.Errorf("row %d: no English message: %+v", p.Row, p)
				}
			}
		})
	}
}

// TestOfficialImportAndReimport: a file is recognised by its header,
// stored, and importing it again changes nothing; a changed rank is an
// update; an XLSX workbook is read the same way.
func TestOfficialImportAndReimport(t *testing.T) { storetest.Run(t, testOfficialImportAndReimport) }

func testOfficialImportAndReimport(t *testing.T, db storetest.DB) {
	f := newFixtureOn(t, db)
	f.load(t, "units.csv", unitsCSV)
	file := officialHeader + "2024-04,BK,75.35,12,63\n2024-03,BK,70,20,63\n"
	rep := f.load(t, "official.csv", file)
	if rep.Kind != models.ImportOfficial || rep.Rows != 2 || rep.Inserted != 2 || strings.Join(rep.Periods, ",") != "2024-03,2024-04" {
		t.Fatalf("first import: %+v", rep)
	}
	v1, err := f.st.DataVersion(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	rep = f.load(t, "official.csv", file)
	if rep.Unchanged != 2 || rep.Inserted != 0 || rep.Updated != 0 {
		t.Fatalf("re-import: %+v", rep)
	}
	if rep.Kind != models.ImportOfficial {
		t.Errorf("report kind %q, want %q", rep.Kind, models.ImportOfficial)
	}
	book := workbook(t, func(x *excelize.File, sheet string) {
		rowOf(t, x, sheet, 1, "period", "unit_code", "total", "rank", "rank_of")
		rowOf(t, x, sheet, 2, "2024-04", "BK", 76.5, 10, 63)
	})
	rep, err = f.im.Import(t.Context(), "official.xlsx", strings.NewReader(string(book)), models.SourceCLI, false)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Updated != 1 || rep.Format != FormatXLSX {
		t.Fatalf("xlsx import: %+v", rep)
	}
	got, err := f.st.OfficialResults(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Period != "2024-03" || got[1].Period != "2024-04" || got[1].Total != 7650 || got[1].Rank != 10 || got[1].RankOf != 63 {
		t.Fatalf("stored: %+v", got)
	}
	if v2, err := f.st.DataVersion(t.Context()); err != nil || v2 <= v1 {
		t.Errorf("data version %d after %d (%v): an import that changes results must bump it", v2, v1, err)
	}
}
