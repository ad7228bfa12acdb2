package dossier

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"scorecard/i18n"
	"scorecard/internal/tabular"
	"scorecard/scoring"
)

const header = "dossier_code,unit_code,procedure_code,received_at,due_at,finished_at,channel,fee_required,paid_online,e_result,digitized,reused_data,personal_store,citizen_data,synced,supplement_requests,rating\n"

const goodRow = "000.00.12.H05-240403-0001,BK.SGTVT,1.001234,2024-04-03T09:15:00+07:00,2024-04-10T17:00:00+07:00,2024-04-08T10:00:00+07:00,online,1,1,1,1,0,0,1,1,0,satisfied\n"

func knownOpts() ReadOptions {
	return ReadOptions{
		UnitKnown:      func(c string) bool { return c == "BK.SGTVT" || c == "BK.STP" },
		ProcedureKnown: func(c string) bool { return c == "1.001234" || c == "1.000001" },
	}
}

// readAll reads a dossier file to the end.
func readAll(t *testing.T, name string, data []byte, opts ReadOptions) (*DossierReader, []Record, []string) {
	t.Helper()
	r := NewDossierReader(name, bytes.NewReader(data), opts)
	var recs []Record
	var codes []string
	for r.Next() {
		recs = append(recs, *r.Record())
		codes = append(codes, string(r.Code()))
	}
	if err := r.Err(); err != nil {
		t.Fatalf("read: %v", err)
	}
	return r, recs, codes
}

func TestReadGoodRow(t *testing.T) {
	r, recs, codes := readAll(t, "d.csv", []byte(header+goodRow), knownOpts())
	if r.ProblemCount() != 0 {
		t.Fatal(r.Problems())
	}
	if len(recs) != 1 || codes[0] != "000.00.12.H05-240403-0001" {
		t.Fatalf("recs %v codes %v", recs, codes)
	}
	rec := recs[0]
	if got := r.Units().Code(rec.Unit); got != "BK.SGTVT" {
		t.Errorf("unit %q", got)
	}
	if got := r.Procedures().Code(rec.Procedure); got != "1.001234" {
		t.Errorf("procedure %q", got)
	}
	want := time.Date(2024, 4, 3, 9, 15, 0, 0, scoring.Location).Unix()
	if rec.Received != want || FormatTime(rec.Due) != "2024-04-10T17:00:00+07:00" || FormatTime(rec.Finished) != "2024-04-08T10:00:00+07:00" {
		t.Errorf("times %d %d %d", rec.Received, rec.Due, rec.Finished)
	}
	wantFlags := FeeRequired | PaidOnline | EResultGiven | EResult | Digitized | CitizenData | Synced
	if rec.Flags != wantFlags || rec.Channel != ChannelOnline || rec.Rating != RatingSatisfied || rec.Supplements != 0 {
		t.Errorf("record %+v", rec)
	}
	if r.Row() != 2 || r.Format() != FormatCSV {
		t.Errorf("row %d format %s", r.Row(), r.Format())
	}
}

// TestReadLayouts: a BOM, semicolons, CRLF or bare CR line ends, another
// column order, quoted cells, blank lines and spaced headers all read the
// same single dossier.
func TestReadLayouts(t *testing.T) {
	cols := strings.Split(strings.TrimSpace(header), ",")
	cells := strings.Split(strings.TrimSpace(goodRow), ",")
	rev := func(s []string) []string {
		out := make([]string, len(s))
		for i := range s {
			out[len(s)-1-i] = s[i]
		}
		return out
	}
	files := map[string]string{
		"bom":              "\uFEFF" + header + goodRow,
		"crlf":             strings.ReplaceAll(header+goodRow, "\n", "\r\n"),
		"cr":               strings.ReplaceAll(header+goodRow, "\n", "\r"),
		"semicolon":        strings.ReplaceAll(header+goodRow, ",", ";"),
		"reversed":         strings.Join(rev(cols), ",") + "\n" + strings.Join(rev(cells), ",") + "\n",
		"quoted":           header + `"000.00.12.H05-240403-0001", "BK.SGTVT",1.001234,"2024-04-03T09:15:00+07:00",2024-04-10T17:00:00+07:00,2024-04-08T10:00:00+07:00,online,1,1,1,1,0,0,1,1,0,"satisfied"` + "\n",
		"blanks":           "\n\n" + header + "\n,,,,,,,,,,,,,,,,\n" + goodRow + "\n",
		"spaces":           strings.ToUpper(strings.ReplaceAll(header, ",", " , ")) + strings.ReplaceAll(goodRow, ",", " ,\u00A0"),
		"no final newline": header + strings.TrimSuffix(goodRow, "\n"),
	}
	for name, f := range files {
		r, recs, codes := readAll(t, "d.csv", []byte(f), knownOpts())
		if r.ProblemCount() != 0 || len(recs) != 1 {
			t.Errorf("%s: %d records, problems %v", name, len(recs), r.Problems())
			continue
		}
		if codes[0] != "000.00.12.H05-240403-0001" || recs[0].Channel != ChannelOnline || recs[0].Rating != RatingSatisfied {
			t.Errorf("%s: read %q %+v", name, codes[0], recs[0])
		}
	}
}

type wantProblem struct {
	row    int
	column string
	vi, en string // substrings
}

func checkProblems(t *testing.T, label string, got []tabular.Problem, want []wantProblem) {
	t.Helper()
	for _, w := range want {
		found := false
		for _, p := range got {
			if p.Row == w.row && p.Column == w.column && strings.Contains(p.Message(i18n.VI), w.vi) && strings.Contains(p.Message(i18n.EN), w.en) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("%s: no problem at row %d column %q with %q / %q; got:\n%s", label, w.row, w.column, w.vi, w.en, listProblems(got))
		}
	}
	if len(got) != len(want) {
		t.Errorf("%s: %d problems, want %d:\n%s", label, len(got), len(want), listProblems(got))
	}
}

func listProblems(ps []tabular.Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString("  " + p.Text(i18n.VI) + " | " + p.String() + "\n")
	}
	return b.String()
}

// TestReadBadRows: every kind of bad cell is reported with its row, its
// column and a message in both languages, all of them, not only the
// first; valid rows of the same file are still read.
func TestReadBadRows(t *testing.T) {
	row := func(edit func(c []string)) string {
		c := strings.Split(strings.TrimSpace(goodRow), ",")
		edit(c)
		return strings.Join(c, ",") + "\n"
	}
	code := func(i int) func(c []string) { return func(c []string) { c[0] = fmt.Sprintf("X-%d", i) } }
	with := func(i int, edit func(c []string)) string {
		return row(func(c []string) { code(i)(c); edit(c) })
	}
	file := header + goodRow + // row 2
		with(3, func(c []string) { c[1] = "BK.NOPE" }) +
		with(4, func(c []string) { c[2] = "9.999999" }) +
		with(5, func(c []string) { c[3] = "03/04/2024 09:15" }) +
		with(6, func(c []string) { c[4] = "2024-04-01T08:00:00+07:00" }) + // due before received
		with(7, func(c []string) { c[5] = "2024-04-02T08:00:00+07:00" }) + // finished before received
		with(8, func(c []string) { c[6] = "Online" }) +
		with(9, func(c []string) { c[7] = "yes"; c[16] = "happy" }) + // two problems in one row
		with(10, func(c []string) { c[9] = "2" }) +
		with(11, func(c []string) { c[7] = "0" }) + // paid online without a fee
		with(12, func(c []string) { c[15] = "-1" }) +
		with(13, func(c []string) { c[3] = "2024-02-30T09:00:00" }) +
		with(14, func(c []string) { c[3] = "2024-04-03" }) +
		with(15, func(c []string) { c[0] = "" }) +
		with(16, func(c []string) { c[0] = "A B" }) +
		goodRow + // row 17: the code of row 2 again
		with(18, func(c []string) { c[4] = "" }) +
		with(19, func(c []string) {}) // valid
	r, recs, codes := readAll(t, "d.csv", []byte(file), knownOpts())
	checkProblems(t, "bad rows", r.Problems(), []wantProblem{
		{3, "unit_code", "chưa có trong cơ sở dữ liệu", "not in the database"},
		{4, "procedure_code", "không có trong danh mục", "not in the procedure catalogue"},
		{5, "received_at", "không phải thời điểm ISO 8601", "not an ISO 8601 time"},
		{6, "due_at", "sớm hơn thời điểm tiếp nhận", "before the received time"},
		{7, "finished_at", "sớm hơn thời điểm tiếp nhận", "before the received time"},
		{8, "channel", "Viết chữ thường: online", "lower case: online"},
		{9, "fee_required", "nhận 1 (có) hoặc 0 (không)", "takes 1 (yes) or 0 (no)"},
		{9, "rating", "Đánh giá \"happy\" không hợp lệ", "rating \"happy\" is not valid"},
		{10, "e_result", "hoặc để trống", "or empty"},
		{11, "paid_online", "fee_required = 0", "fee_required = 0"},
		{12, "supplement_requests", "số nguyên không âm", "whole number"},
		{13, "received_at", "không có ngày này", "not a calendar date"},
		{14, "received_at", "thiếu giờ", "no time of day"},
		{15, "dossier_code", "Thiếu mã hồ sơ", "dossier code is empty"},
		{16, "dossier_code", "khoảng trắng", "contains a space"},
		{17, "dossier_code", "trùng với mã ở dòng 2", "repeats the one of row 2"},
		{18, "due_at", "Thiếu hạn xử lý", "due time is empty"},
	})
	if len(recs) != 3 || codes[0] != "000.00.12.H05-240403-0001" || codes[2] != "X-19" {
		t.Errorf("valid rows read: %v", codes) // rows 2, 17 (its repeat is reported at the end) and 19
	}
	if e := r.Refusal("d.csv"); e == nil || e.Total != 17 || !strings.Contains(e.Error(), "17 problem") {
		t.Errorf("refusal %v", e)
	}
	if p := r.Problems(); p[0].Row != 3 || p[len(p)-1].Row != 18 {
		t.Errorf("problems not in row order:\n%s", listProblems(p))
	}
}

// TestReadBadFiles: files that are not dossier files at all.
func TestReadBadFiles(t *testing.T) {
	cases := []struct {
		name, data string
		want       wantProblem
	}{
		{"empty.csv", "", wantProblem{0, "", "Tệp trống", "file is empty"}},
		{"blank.csv", "\uFEFF \n\n", wantProblem{0, "", "Tệp trống", "file is empty"}},
		{"d.csv", "\xff\xfed\x00o\x00", wantProblem{0, "", "UTF-16", "UTF-16"}},
		{"d.csv", "%PDF-1.4 blah", wantProblem{0, "", "PDF", "PDF"}},
		{"d.csv", "\x00\x01\x02\x03binary", wantProblem{0, "", "nhị phân", "binary"}},
		{"d.xlsx", "not a zip", wantProblem{0, "", "không phải là tệp Excel", "not an Excel workbook"}},
		{"d.csv", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1....", wantProblem{0, "", ".xls", ".xls"}},
		{"d.csv", "PK\x03\x04garbage", wantProblem{0, "", "Không đọc được tệp Excel", "Cannot read the Excel file"}},
		{"d.csv", header + "Tr\xe1\xba n,BK\n", wantProblem{2, "", "UTF-8", "not UTF-8"}},
		{"d.csv", header + "\"unterminated,BK\n", wantProblem{2, "", "ngoặc kép", "double quote"}},
		{"d.csv", header + "a\"b,BK,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n", wantProblem{2, "", "ngoặc kép", "double quote"}},
		{"d.csv", header + "a,b\n", wantProblem{2, "", "thiếu dấu phân cách", "separator may be missing"}},
		{"d.csv", strings.TrimSuffix(header, "\n") + ",note\n", wantProblem{1, "note", "không thuộc tệp", "not part of a dossier records file"}},
		{"d.csv", strings.Replace(header, "rating", "ratting", 1), wantProblem{1, "ratting", "không thuộc tệp", "not part of"}},
	}
	for _, c := range cases {
		r, recs, _ := readAll(t, c.name, []byte(c.data), knownOpts())
		if len(recs) != 0 {
			t.Errorf("%s %q: read %d records", c.name, c.data, len(recs))
		}
		found := false
		for _, p := range r.Problems() {
			if p.Row == c.want.row && p.Column == c.want.column && strings.Contains(p.Message(i18n.VI), c.want.vi) && strings.Contains(p.Message(i18n.EN), c.want.en) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s %q: want %q / %q at row %d; got:\n%s", c.name, c.data, c.want.vi, c.want.en, c.want.row, listProblems(r.Problems()))
		}
	}
	// A missing column: named, with the list of columns.
	r, _, _ := readAll(t, "d.csv", []byte(strings.Replace(header, ",rating", "", 1)+goodRow), knownOpts())
	checkProblems(t, "missing column", r.Problems(), []wantProblem{{1, "rating", "Thiếu cột \"rating\"", "lacks column \"rating\""}})
	// A duplicated column.
	r, _, _ = readAll(t, "d.csv", []byte(strings.TrimSuffix(header, "\n")+",Rating\n"), knownOpts())
	checkProblems(t, "duplicated column", r.Problems(), []wantProblem{{1, "rating", "xuất hiện hai lần", "appears twice"}})
}

// TestReadProblemCap: past MaxProblems only the count grows.
func TestReadProblemCap(t *testing.T) {
	var b strings.Builder
	b.WriteString(header)
	for i := 0; i < 500; i++ {
		fmt.Fprintf(&b, "C%d,BK.NOPE,1.001234,2024-04-03T09:15:00,2024-04-10T17:00:00,,direct,0,0,,0,0,0,0,0,0,\n", i)
	}
	r, _, _ := readAll(t, "d.csv", []byte(b.String()), ReadOptions{MaxProblems: 50, UnitKnown: func(string) bool { return false }})
	if len(r.Problems()) != 50 || r.ProblemCount() != 500 {
		t.Fatalf("kept %d, counted %d", len(r.Problems()), r.ProblemCount())
	}
}

// TestReadCloseEarly: stopping after a few rows of a large file ends the
// parsing goroutine.
func TestReadCloseEarly(t *testing.T) {
	var buf bytes.Buffer
	buf.WriteString(header)
	for i := 0; i < 50000; i++ {
		buf.WriteString(strings.Replace(goodRow, "-0001,", fmt.Sprintf("-%07d,", i), 1))
	}
	before := runtime.NumGoroutine()
	r := NewDossierReader("d.csv", bytes.NewReader(buf.Bytes()), ReadOptions{})
	for i := 0; i < 10 && r.Next(); i++ {
	}
	r.Close()
	if r.Next() {
		t.Fatal("Next after Close")
	}
	for i := 0; i < 100 && runtime.NumGoroutine() > before; i++ {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Fatalf("%d goroutines after Close, %d before", n, before)
	}
}

// xlsxFile builds a workbook as an office would: the times typed as Excel
// date-times with a display format, a code typed as a number.
func xlsxFile(t *testing.T, rows int) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	style, err := f.NewStyle(&excelize.Style{NumFmt: 22}) // m/d/yy h:mm
	if err != nil {
		t.Fatal(err)
	}
	var head []any
	for _, c := range DossierColumns {
		head = append(head, c)
	}
	if err := sw.SetRow("A1", head); err != nil {
		t.Fatal(err)
	}
	recv := time.Date(2024, 4, 3, 9, 15, 0, 0, time.UTC) // Excel times carry no zone
	for i := 0; i < rows; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		row := []any{fmt.Sprintf("D-%d", i), "BK.SGTVT", 1.001234,
			excelize.Cell{StyleID: style, Value: recv}, excelize.Cell{StyleID: style, Value: recv.Add(7 * 24 * time.Hour)}, "",
			"direct", 0, 0, "", 1, 0, 0, 1, 1, 0, "dissatisfied"}
		if err := sw.SetRow(cell, row); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadXLSX(t *testing.T) {
	opts := knownOpts()
	opts.ProcedureKnown = func(c string) bool { return c == "1.001234" }
	r, recs, codes := readAll(t, "d.xlsx", xlsxFile(t, 3), opts)
	if r.ProblemCount() != 0 || len(recs) != 3 {
		t.Fatalf("%d records, problems:\n%s", len(recs), listProblems(r.Problems()))
	}
	rec := recs[2]
	if r.Format() != FormatXLSX || codes[2] != "D-2" || r.Procedures().Code(rec.Procedure) != "1.001234" {
		t.Errorf("format %s code %s procedure %s", r.Format(), codes[2], r.Procedures().Code(rec.Procedure))
	}
	// The serial date-time is Vietnam time.
	if got := FormatTime(rec.Received); got != "2024-04-03T09:15:00+07:00" {
		t.Errorf("received %s", got)
	}
	if rec.Finished != Open || rec.Rating != RatingDissatisfied || rec.Flags != Digitized|CitizenData|Synced {
		t.Errorf("record %+v", rec)
	}
	if r.Row() != 4 {
		t.Errorf("row %d", r.Row())
	}

	// Over the row cap: refused with advice to use CSV.
	opts.MaxXLSXRows = 5
	r, _, _ = readAll(t, "d.xlsx", xlsxFile(t, 6), opts)
	checkProblems(t, "xlsx cap", r.Problems(), []wantProblem{{0, "", "hãy lưu thành \"CSV UTF-8", "save it as \"CSV UTF-8"}})
}

func TestReadCatalogue(t *testing.T) {
	file := "period,procedure_code,name,unit_code,online_level,has_fee,individual_applicant,citizen_data_connected\n" +
		"2024-01,1.000001,\"Cấp giấy phép lái xe, đổi giấy phép\",BK.SGTVT,full,1,1,1\n" +
		"2024-01,1.001234,Đăng ký doanh nghiệp,BK.SGTVT,none,0,0,0\n" +
		"2024-03,1.000001,Cấp giấy phép lái xe,BK.SGTVT,partial,1,1,0\n" +
		"2024-02,1.000001,Cấp bản sao,BK.STP,full,0,1,1\n"
	opts := knownOpts()
	cat, err := ReadCatalogue("c.csv", strings.NewReader(file), opts)
	if err != nil {
		t.Fatal(err)
	}
	st, ok := cat.At("BK.SGTVT", scoring.MustPeriod("2024-02"))
	if !ok || st.Month.String() != "2024-01" || len(st.Procedures) != 2 || st.Procedures[0].Name != "Cấp giấy phép lái xe, đổi giấy phép" {
		t.Fatalf("state in force in 2024-02: %+v", st)
	}
	// March's file withdraws 1.001234; Q1 ends in March, so it sees it.
	if st, _ := cat.At("BK.SGTVT", scoring.MustPeriod("2024-Q1")); len(st.Procedures) != 1 || st.Procedures[0].Online != OnlinePartial {
		t.Fatalf("state at the end of Q1: %+v", st)
	}
	if _, ok := cat.At("BK.STP", scoring.MustPeriod("2024-01")); ok {
		t.Fatal("BK.STP has no state before 2024-02")
	}
	if got := cat.Units(); fmt.Sprint(got) != "[BK.SGTVT BK.STP]" {
		t.Fatalf("units %v", got)
	}

	bad := "period,procedure_code,name,unit_code,online_level,has_fee,individual_applicant,citizen_data_connected\n" +
		"2024-Q1,1.000001,Tên,BK.SGTVT,full,1,1,1\n" +
		"2024-01,1.000001,,BK.NOPE,Full,2,1,\n" +
		"2024-01,1.000002,Tên,BK.SGTVT,none,0,0,0\n" +
		"2024-01,1.000002,Tên,BK.SGTVT,none,0,0,0\n"
	_, err = ReadCatalogue("c.csv", strings.NewReader(bad), opts)
	pe, ok := err.(*tabular.Error)
	if !ok {
		t.Fatalf("error %v", err)
	}
	checkProblems(t, "catalogue", pe.Problems, []wantProblem{
		{2, "period", "danh mục thủ tục ghi theo tháng", "given per month"},
		{3, "name", "Thiếu tên thủ tục", "name is empty"},
		{3, "unit_code", "chưa có trong cơ sở dữ liệu", "not in the database"},
		{3, "online_level", "Viết chữ thường: full", "lower case: full"},
		{3, "has_fee", "nhận 1 (có) hoặc 0 (không)", "takes 1 (yes) or 0 (no)"},
		{3, "citizen_data_connected", "Thiếu giá trị", "cell is empty"},
		{5, "procedure_code", "trùng với dòng 4", "repeats row 4"},
	})
}

// FuzzReadDossiers: whatever the bytes, the reader neither panics nor
// hangs, and every row it yields is valid.
func FuzzReadDossiers(f *testing.F) {
	f.Add([]byte(header + goodRow))
	f.Add([]byte(strings.ReplaceAll(header+goodRow, ",", ";")))
	f.Add([]byte(header + `"a""b",BK.SGTVT,"1.001234` + "\n" + `x",2024-04-03T09:15:00,,,,,,,,,,,,,` + "\n"))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewDossierReader("f.csv", bytes.NewReader(data), ReadOptions{MaxXLSXRows: 1000})
		for r.Next() {
			rec := r.Record()
			if rec.Due < rec.Received || (rec.Finished != Open && rec.Finished < rec.Received) || len(r.Code()) == 0 {
				t.Fatalf("invalid row yielded: %+v", rec)
			}
		}
		if r.ProblemCount() != len(r.Problems()) && len(r.Problems()) < DefaultMaxProblems {
			t.Fatalf("count %d, listed %d", r.ProblemCount(), len(r.Problems()))
		}
	})
}

// TestReadCatalogueXLSX: Excel turns a typed "2024-04" into a date; it
// reads back as the month. A plain number stays as typed in the message.
func TestReadCatalogueXLSX(t *testing.T) {
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	style, err := f.NewStyle(&excelize.Style{NumFmt: 17}) // mmm-yy
	if err != nil {
		t.Fatal(err)
	}
	rows := [][]any{
		{"period", "procedure_code", "name", "unit_code", "online_level", "has_fee", "individual_applicant", "citizen_data_connected"},
		{time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC), "1.000001", "Cấp bản sao", "BK.STP", "full", 1, 1, 0},
		{2024, "1.000002", "Chứng thực", "BK.STP", "partial", 0, 1, 1},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SetCellStyle("Sheet1", "A2", "A2", style); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	cr := NewCatalogueReader("c.xlsx", bytes.NewReader(buf.Bytes()), knownOpts())
	var got []CatalogueRow
	for cr.Next() {
		got = append(got, *cr.Row())
	}
	if len(got) != 1 || got[0].Month.String() != "2024-04" || got[0].Online != OnlineFull || !got[0].HasFee {
		t.Fatalf("rows %+v", got)
	}
	checkProblems(t, "xlsx catalogue", cr.Problems(), []wantProblem{{3, "period", "Tháng \"2024\" không hợp lệ", "period \"2024\" is not valid"}})
}
