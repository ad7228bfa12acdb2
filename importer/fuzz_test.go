package importer

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"scorecard/i18n"
)

// FuzzImportCSV feeds arbitrary bytes to the importer, as an upload would:
// whatever they are, the answer is a report or a *ProblemsError whose
// problems are complete and printable, never a panic or another error.
// Seeds: the good files, dialects, the bad files of TestBadFiles, and
// workbooks; testdata/fuzz/FuzzImportCSV keeps one input per kind of answer
// from the corpus the fuzzer grew (plain `go test` replays them), and is
// where a crasher goes when one is found.
func FuzzImportCSV(f *testing.F) {
	fx := newFixture(f)
	fx.load(f, "units.csv", unitsCSV)

	for _, s := range []string{
		unitsCSV, countsCSV,
		"\uFEFFcode;name;kind;parent_code\r\nGL;\"Gia Lai; Tây Nguyên\";province;\r\n",
		"period,unit_code,metric,numerator,denominator\r2024-05,BK,PUBLISH_ON_TIME,1,2\r",
		countsHeader + "2024-4,XX,NOPE,3,2\n2024-04,BK,PUBLISH_ON_TIME,1,2\n2024-04,BK,PUBLISH_ON_TIME,x,\n",
		countsHeader + "2024-04,B\"K,PUBLISH_ON_TIME,1,2\n",
		unitsHeader + "A,A,commune,B\nB,B,commune,A\n",
		"period,procedure_code,name,unit_code,online_level,has_fee,individual_applicant,citizen_data_connected\n",
		"", "%PDF-1.7", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "\xFF\xFEp\x00", "PK\x03\x04",
	} {
		f.Add([]byte(s))
	}
	f.Add(workbook(f, func(x *excelize.File, s string) {
		rowOf(f, x, s, 1, "period", "unit_code", "metric", "numerator", "denominator")
		rowOf(f, x, s, 2, time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC), "BK", "PUBLISH_ON_TIME", 1, 2)
		rowOf(f, x, s, 4, "2024-05", "BK.SGTVT", "ON_TIME_PROCESSING", 3)
	}))
	f.Add(workbook(f, func(x *excelize.File, s string) {
		rowOf(f, x, s, 1, "code", "name", "kind", "parent_code")
		rowOf(f, x, s, 2, 101, "Sở", "agency", "BK")
	}))

	f.Fuzz(func(t *testing.T, b []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		rep, err := fx.im.Import(ctx, "fuzz.csv", bytes.NewReader(b), "cli", false)
		if err == nil {
			if rep == nil || rep.Rows == 0 || rep.Inserted+rep.Updated+rep.Unchanged != rep.Rows {
				t.Fatalf("accepted with a bad report: %+v", rep)
			}
			return
		}
		var pe *ProblemsError
		if !errors.As(err, &pe) {
			t.Fatalf("error is not a *ProblemsError: %v", err)
		}
		if len(pe.Problems) == 0 || pe.Total < 1 {
			t.Fatalf("refusal without problems: %+v", pe)
		}
		for _, p := range pe.Problems {
			if p.Row < 0 || p.Message(i18n.VI) == "" || p.Message(i18n.EN) == "" {
				t.Fatalf("incomplete problem %+v", p)
			}
			for _, s := range []string{p.Message(i18n.VI), p.Message(i18n.EN), p.Column} {
				if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
					t.Fatalf("unprintable problem %q", s)
				}
			}
		}
	})
}
