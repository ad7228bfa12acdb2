package importer

import (
	"strings"
	"testing"

	"scorecard/i18n"
	"scorecard/internal/storetest"
)

const countsHeader = "period,unit_code,metric,numerator,denominator\n"
const unitsHeader = "code,name,kind,parent_code\n"

type wantProblem struct {
	row      int
	col      string
	contains string // in the Vietnamese message
}

// TestBadFiles: every bad input of docs/import-files.md is refused with the right row,
// column and explanation, and nothing changes in the database (refuse checks
// that).
func TestBadFiles(t *testing.T) { storetest.Run(t, testBadFiles) }

func testBadFiles(t *testing.T, db storetest.DB) {
	cases := []struct {
		name    string
		file    string
		content string
		want    []wantProblem
	}{
		// Whole-file problems.
		{"empty file", "c.csv", "", []wantProblem{{0, "", "Tệp trống"}}},
		{"only a BOM and blank lines", "c.csv", "\uFEFF\n\r\n  \n", []wantProblem{{0, "", "Tệp trống"}}},
		{"header only", "c.csv", countsHeader, []wantProblem{{0, "", "không có dòng dữ liệu"}}},
		{"PDF", "c.csv", "%PDF-1.7\n%âãÏÓ\n1 0 obj", []wantProblem{{0, "", "tệp PDF"}}},
		{"binary", "c.csv", "\x00\x01\x02\x03binary\x00", []wantProblem{{0, "", "nhị phân"}}},
		{"xls", "c.xls", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00", []wantProblem{{0, "", "Excel 97-2003"}}},
		{"renamed xlsx", "c.xlsx", countsHeader + "2024-04,BK,PUBLISH_ON_TIME,1,2\n", []wantProblem{{0, "", "không phải là tệp Excel"}}},
		{"broken zip", "c.xlsx", "PK\x03\x04garbage", []wantProblem{{0, "", "Không đọc được tệp Excel"}}},
		{"UTF-16", "c.csv", "\xFF\xFEp\x00e\x00", []wantProblem{{0, "", "CSV UTF-8"}}},
		{"Windows-1258 bytes", "c.csv", countsHeader + "2024-04,BK,PUBLISH_ON_TIME,1,2\n2024-04,BK,T\xEAn,1,2\n",
			[]wantProblem{{3, "", "CSV UTF-8 (Comma delimited)"}}},
		{"missing header", "c.csv", "2024-04,BK,PUBLISH_ON_TIME,1,2\n", []wantProblem{{1, "", "Dòng đầu tiên phải là dòng tiêu đề"}}},
		// Catalogue and dossier files (more in dossiers_test.go).
		{"catalogue of an unknown unit", "c.csv",
			"period,procedure_code,name,unit_code,online_level,has_fee,individual_applicant,citizen_data_connected\n2024-04,1.001234,Cấp phép,BK.XX,full,1,1,1\n",
			[]wantProblem{{2, "unit_code", "chưa có trong cơ sở dữ liệu"}}},
		{"dossiers header only", "c.csv",
			"dossier_code,unit_code,procedure_code,received_at,due_at,finished_at,channel,fee_required,paid_online,e_result,digitized,reused_data,personal_store,citizen_data,synced,supplement_requests,rating\n",
			[]wantProblem{{0, "", "không có dòng dữ liệu"}}},
		{"quote error", "c.csv", countsHeader + "2024-04,BK,PUBLISH_ON_TIME,1,2\n2024-04,B\"K,PUBLISH_ON_TIME,1,2\n",
			[]wantProblem{{3, "", "dấu ngoặc kép"}}},

		// Header problems.
		{"duplicated column", "c.csv", "period,unit_code,metric,numerator,denominator,metric\n2024-04,BK,PUBLISH_ON_TIME,1,2,X\n",
			[]wantProblem{{1, "metric", "xuất hiện hai lần"}}},
		{"missing column", "c.csv", "period,unit_code,metric,numerator\n2024-04,BK,PUBLISH_ON_TIME,1\n",
			[]wantProblem{{1, "denominator", "Thiếu cột \"denominator\""}}},
		{"unknown column", "c.csv", "period,unit_code,metric,numerator,denominator,note\n2024-04,BK,PUBLISH_ON_TIME,1,2,x\n",
			[]wantProblem{{1, "note", "không thuộc tệp số liệu chỉ số"}}},
		{"unnamed column with data", "c.csv", "period,unit_code,metric,numerator,denominator,\n2024-04,BK,PUBLISH_ON_TIME,1,2,x\n",
			[]wantProblem{{2, "", "không có tên"}}},

		// Row shape.
		{"short row", "c.csv", countsHeader + "2024-04,BK,PUBLISH_ON_TIME,1\n", []wantProblem{{2, "", "có 4 ô nhưng dòng tiêu đề có 5 cột"}}},
		{"data beyond header", "c.csv", countsHeader + "2024-04,BK,PUBLISH_ON_TIME,1,2,3\n", []wantProblem{{2, "", "ngoài 5 cột"}}},

		// Counts rows.
		{"unknown unit", "c.csv", countsHeader + "2024-04,BK,PUBLISH_ON_TIME,1,2\n2024-04,XX,PUBLISH_ON_TIME,1,2\n",
			[]wantProblem{{3, "unit_code", "chưa có trong cơ sở dữ liệu"}}},
		{"unit in wrong case", "c.csv", countsHeader + "2024-04,bk.sgtvt,ON_TIME_PROCESSING,1,2\n",
			[]wantProblem{{2, "unit_code", "Có đơn vị \"BK.SGTVT\""}}},
		{"unknown metric", "c.csv", countsHeader + "2024-04,BK,NOT_A_METRIC,1,2\n", []wantProblem{{2, "metric", "không có trong bộ chỉ số"}}},
		{"metric in wrong case", "c.csv", countsHeader + "2024-04,BK,on_time_processing,1,2\n", []wantProblem{{2, "metric", "Có phải ON_TIME_PROCESSING?"}}},
		{"month 13", "c.csv", countsHeader + "2024-13,BK,PUBLISH_ON_TIME,1,2\n", []wantProblem{{2, "period", "Kỳ \"2024-13\" không hợp lệ"}}},
		{"one-digit month", "c.csv", countsHeader + "2024-4,BK,PUBLISH_ON_TIME,1,2\n", []wantProblem{{2, "period", "hai chữ số"}}},
		{"lower-case quarter", "c.csv", countsHeader + "2024-q2,BK,PUBLISH_ON_TIME,1,2\n", []wantProblem{{2, "period", "2024-Q2"}}},
		{"Vietnamese date", "c.csv", countsHeader + "04/2024,BK,PUBLISH_ON_TIME,1,2\n", []wantProblem{{2, "period", "không hợp lệ"}}},
		{"empty period", "c.csv", countsHeader + ",BK,PUBLISH_ON_TIME,1,2\n", []wantProblem{{2, "period", "Thiếu kỳ"}}},
		{"decimal", "c.csv", countsHeader + "2024-04,BK,PUBLISH_ON_TIME,1.5,2\n", []wantProblem{{2, "numerator", "số nguyên"}}},
		{"thousands separator", "c.csv", "period;unit_code;metric;numerator;denominator\n2024-04;BK;PUBLISH_ON_TIME;1;1.234\n",
			[]wantProblem{{2, "denominator", "hàng nghìn"}}},
		{"quoted thousands", "c.csv", countsHeader + "2024-04,BK,PUBLISH_ON_TIME,\"1,000\",\"2 000\"\n",
			[]wantProblem{{2, "numerator", "hàng nghìn"}, {2, "denominator", "hàng nghìn"}}},
		{"not a number", "c.csv", countsHeader + "2024-04,BK,PUBLISH_ON_TIME,abc,2\n", []wantProblem{{2, "numerator", "không phải là số"}}},
		{"negative", "c.csv", countsHeader + "2024-04,BK,PUBLISH_ON_TIME,-1,2\n", []wantProblem{{2, "numerator", "số âm"}}},
		{"too large", "c.csv", countsHeader + "2024-04,BK,PUBLISH_ON_TIME,1,99999999999999999999\n", []wantProblem{{2, "denominator", "quá lớn"}}},
		{"numerator above denominator", "c.csv", countsHeader + "2024-04,BK,PUBLISH_ON_TIME,655,654\n",
			[]wantProblem{{2, "numerator", "Tử số (655) lớn hơn mẫu số (654)"}}},
		{"numerator only", "c.csv", countsHeader + "2024-04,BK,PUBLISH_ON_TIME,1,\n", []wantProblem{{2, "denominator", "Thiếu mẫu số"}}},
		{"denominator only", "c.csv", countsHeader + "2024-04,BK,PUBLISH_ON_TIME,,3\n", []wantProblem{{2, "numerator", "Thiếu tử số"}}},
		{"duplicated key", "c.csv", countsHeader + "2024-04,BK,PUBLISH_ON_TIME,1,2\n2024-05,BK,PUBLISH_ON_TIME,1,2\n2024-04,BK,PUBLISH_ON_TIME,2,2\n",
			[]wantProblem{{4, "", "trùng với dòng 2"}}},
		{"control character in unit code", "c.csv", countsHeader + "2024-04,BK\x07,PUBLISH_ON_TIME,1,2\n",
			[]wantProblem{{2, "unit_code", "ký tự điều khiển"}}},
		{"several problems in one row and file", "c.csv", countsHeader + "2024-4,XX,NOPE,3,2\n2024-04,BK,PUBLISH_ON_TIME,1,2\n2024-04,BK,PUBLISH_ON_TIME,x,\n",
			[]wantProblem{{2, "period", "hai chữ số"}, {2, "unit_code", "chưa có"}, {2, "metric", "không có trong bộ chỉ số"},
				{2, "numerator", "lớn hơn"}, {4, "numerator", "không phải là số"}}},

		// Units rows.
		{"bad kind", "u.csv", unitsHeader + "GL,Gia Lai,Province,\n", []wantProblem{{2, "kind", "viết chữ thường: province"}}},
		{"empty kind", "u.csv", unitsHeader + "GL,Gia Lai,,\n", []wantProblem{{2, "kind", "Thiếu loại đơn vị"}}},
		{"province with parent", "u.csv", unitsHeader + "GL,Gia Lai,province,BK\n", []wantProblem{{2, "parent_code", "không có đơn vị cấp trên"}}},
		{"agency without parent", "u.csv", unitsHeader + "BK.SNN,Sở Nông nghiệp,agency,\n", []wantProblem{{2, "parent_code", "Thiếu mã đơn vị cấp trên"}}},
		{"unknown parent", "u.csv", unitsHeader + "BK.SNN,Sở Nông nghiệp,agency,XX\n", []wantProblem{{2, "parent_code", "Không tìm thấy đơn vị cấp trên \"XX\""}}},
		{"agency under district", "u.csv", unitsHeader + "BK.SNN,Sở Nông nghiệp,agency,BK.BABE\n",
			[]wantProblem{{2, "parent_code", "phải là tỉnh (province), nhưng \"BK.BABE\" là huyện (district)"}}},
		{"commune under agency", "u.csv", unitsHeader + "BK.X,Xã X,commune,BK.SGTVT\n",
			[]wantProblem{{2, "parent_code", "huyện (district) hoặc tỉnh (province)"}}},
		{"own parent", "u.csv", unitsHeader + "BK.X,Xã X,commune,BK.X\n", []wantProblem{{2, "parent_code", "chính nó"}}},
		{"duplicate code", "u.csv", unitsHeader + "GL,Gia Lai,province,\nGL,Gia Lai 2,province,\n", []wantProblem{{3, "code", "trùng với dòng 2"}}},
		{"empty name", "u.csv", unitsHeader + "GL,,province,\n", []wantProblem{{2, "name", "Thiếu tên"}}},
		{"empty code", "u.csv", unitsHeader + ",Gia Lai,province,\n", []wantProblem{{2, "code", "Thiếu mã"}}},
		{"space in code", "u.csv", unitsHeader + "G L,Gia Lai,province,\n", []wantProblem{{2, "code", "khoảng trắng"}}},
		{"slash in code", "u.csv", unitsHeader + "G/L,Gia Lai,province,\n", []wantProblem{{2, "code", "gạch chéo"}}},
		{"control character in code", "u.csv", unitsHeader + "GL\x1b[31m,Gia Lai,province,\n", []wantProblem{{2, "code", "U+001B"}}},
		{"control character in name", "u.csv", unitsHeader + "GL,Gia\x00Lai,province,\n", []wantProblem{{0, "", "nhị phân"}}},
		{"bell in name", "u.csv", unitsHeader + "GL,Gia\x07Lai,province,\n", []wantProblem{{2, "name", "ký tự điều khiển"}}},
		{"long code", "u.csv", unitsHeader + strings.Repeat("A", 65) + ",Gia Lai,province,\n", []wantProblem{{2, "code", "dài quá 64"}}},
		{"cycle", "u.csv", unitsHeader + "A,A,commune,B\nB,B,commune,A\n",
			[]wantProblem{{2, "parent_code", "là xã (commune)"}, {3, "parent_code", "là xã (commune)"}, {2, "parent_code", "Vòng lặp cấp trên: A → B → A"}}},
		{"kind change strands children", "u.csv", unitsHeader + "BK.BABE,Huyện Ba Bể,agency,BK\n",
			[]wantProblem{{2, "kind", "1 đơn vị cấp dưới"}}},
		{"province demoted", "u.csv", unitsHeader + "GL,Gia Lai,province,\nBK,Bắc Kạn,district,GL\n",
			[]wantProblem{{3, "kind", "2 đơn vị cấp dưới"}}},
	}
	// One database for every case: each refusal must leave it exactly as
	// it was (refuse checks), so the next case starts from the same state.
	f := newFixtureOn(t, db)
	f.load(t, "units.csv", unitsCSV)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pe := f.refuse(t, c.file, []byte(c.content))
			got := pe.Problems
			t.Log("\n" + strings.Join(pe.Lines(i18n.VI), "\n") + "\n" + strings.Join(pe.Lines(i18n.EN), "\n"))
			if len(got) != len(c.want) {
				t.Fatalf("got %d problem(s), want %d:\n%s", len(got), len(c.want), strings.Join(pe.Lines(i18n.VI), "\n"))
			}
			for _, w := range c.want {
				found := false
				for _, p := range got {
					if p.Row == w.row && p.Column == w.col && strings.Contains(p.Message(i18n.VI), w.contains) {
						found = true
					}
				}
				if !found {
					t.Errorf("no problem at row %d, column %q containing %q; got:\n%s", w.row, w.col, w.contains, strings.Join(pe.Lines(i18n.VI), "\n"))
				}
			}
		})
	}
}

// TestUnitsFileOrderAndParentsInFile: parents may come after their
// children in the file; a commune may sit directly under the province; a
// kind change is fine when the children move too.
func TestUnitsFileOrderAndParentsInFile(t *testing.T) {
	storetest.Run(t, testUnitsFileOrderAndParentsInFile)
}

func testUnitsFileOrderAndParentsInFile(t *testing.T, db storetest.DB) {
	f := newFixtureOn(t, db)
	rep := f.load(t, "u.csv", unitsHeader+
		"GL.X.Y,Xã Y,commune,GL.X\n"+
		"GL.X,Huyện X,district,GL\n"+
		"GL.Z,Xã Z,commune,GL\n"+
		"GL,Tỉnh Gia Lai,province,\n")
	if rep.Inserted != 4 {
		t.Fatalf("%+v", rep)
	}
	// District X becomes an agency; its commune moves under the province.
	rep = f.load(t, "u2.csv", unitsHeader+"GL.X,Sở X,agency,GL\nGL.X.Y,Xã Y,commune,GL\n")
	if rep.Updated != 2 {
		t.Fatalf("%+v", rep)
	}
	u, err := f.st.UnitByCode(t.Context(), "GL.X")
	if err != nil || u.Kind != "agency" {
		t.Errorf("GL.X: %+v %v", u, err)
	}
}
