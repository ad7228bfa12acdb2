package handlers

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/xuri/excelize/v2"

	"scorecard/importer"
	"scorecard/internal/storetest"
	"scorecard/models"
)

// officialFilesApp is the application over a store on db holding the
// fixture capture (H90, August 2026: every unit's groups published, the
// online services, DVCTT, without counts) and one agency the portal does
// not know, H90.99, whose scores are ours, computed from counts imported
// for it; the period published.
func officialFilesApp(t *testing.T, db storetest.DB) *fiber.App {
	t.Helper()
	ctx := context.Background()
	st := db.Open(t)
	schemes := withCapture(t, st)
	im := importer.New(st, schemes)
	for _, f := range []struct{ name, content string }{
		{"units.csv", "code,name,kind,parent_code\nH90.99,Sở Thử nghiệm - Tỉnh Sông Lam,agency,H90\n"},
		{"counts.csv", "period,unit_code,metric,numerator,denominator\n2026-08,H90.99,ON_TIME_PROCESSING,90,100\n"},
	} {
		if _, err := im.Import(ctx, f.name, strings.NewReader(f.content), models.SourceCLI, false); err != nil {
			t.Fatalf("import %s: %v", f.name, err)
		}
	}
	app, _, _ := publishedCapture(t, st, schemes)
	return app
}

func TestFilesMarkPublishedFigures(t *testing.T) {
	storetest.Run(t, testFilesMarkPublishedFigures)
}

// The downloads and the open data say which scores are the portal's: H90.07
// is marked official, its six groups as published and its online services
// (DVCTT) as published without counts, in the words of the pages where a
// person reads them; H90.99, computed from our counts, is marked nowhere.
func testFilesMarkPublishedFigures(t *testing.T, db storetest.DB) {
	app := officialFilesApp(t, db)
	const allGroups = "CKMB TDGQ DVCTT TTTT MDSH MDHL"
	const only = "theo Cổng DVCQG, không có số liệu chi tiết"

	// CSV: the rankings download and the open data's scores.
	for _, path := range []string{"/export/rankings?period=2026-08&kind=agency&format=csv", "/open-data/2026-08/scores.csv",
		"/export/overview?province=H90&period=2026-08&format=csv&table=rankings-agency"} {
		status, _, body := get(t, app, path)
		if status != 200 {
			t.Fatalf("%s: %d %.300s", path, status, body)
		}
		_, rows := csvByCode(t, path, body)
		ours, theirs := rows["H90.07"], rows["H90.99"]
		if ours == nil || theirs == nil {
			t.Fatalf("%s: H90.07 or H90.99 missing: %.600s", path, body)
		}
		if ours["official"] != "true" || ours["official_groups"] != allGroups || ours["official_only_groups"] != "DVCTT" ||
			!strings.HasSuffix(ours["official_note"], ": "+only) {
			t.Errorf("%s: H90.07 marked %q %q %q %q", path, ours["official"], ours["official_groups"], ours["official_only_groups"], ours["official_note"])
		}
		if theirs["official"] != "false" || theirs["official_groups"] != "" || theirs["official_only_groups"] != "" || theirs["official_note"] != "" {
			t.Errorf("%s: H90.99, computed, marked %q %q %q %q", path, theirs["official"], theirs["official_groups"], theirs["official_only_groups"], theirs["official_note"])
		}
		if theirs["total"] == "" || ours["total"] == "" || strings.Contains(ours["total"], ",") {
			t.Errorf("%s: totals %q %q", path, ours["total"], theirs["total"])
		}
	}
	// A unit's summary, and its groups, one row per group.
	for code, want := range map[string]string{"H90.07": "DVCTT", "H90.99": ""} {
		path := "/export/units/" + code + "?period=2026-08&format=csv&table=summary"
		status, _, body := get(t, app, path)
		if status != 200 {
			t.Fatalf("%s: %d %.300s", path, status, body)
		}
		if _, rows := csvByCode(t, path, body); rows[code] == nil || rows[code]["official_only_groups"] != want || (rows[code]["official"] == "true") != (want != "") {
			t.Errorf("%s: %v", path, rows[code])
		}
	}

	status, _, body := get(t, app, "/export/units/H90.07?period=2026-08&format=csv&table=groups")
	if status != 200 {
		t.Fatalf("unit groups: %d %.300s", status, body)
	}
	groups := map[string]map[string]string{}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("unit groups: %d records, %v", len(recs), err)
	}
	for _, rec := range recs[1:] {
		r := map[string]string{}
		for i, h := range recs[0] {
			r[h] = rec[i]
		}
		groups[r["group"]] = r
	}
	for _, code := range strings.Fields(allGroups) {
		g := groups[code]
		want := code == "DVCTT"
		if g == nil || g["official"] != "true" || (g["official_only"] == "true") != want || (g["official_note"] == only) != want {
			t.Errorf("unit groups %s: %v", code, g)
		}
	}

	// A unit's metrics say which points are the portal's, as the API's.
	for code, want := range map[string]bool{"H90.07": true, "H90.99": false} {
		path := "/export/units/" + code + "?period=2026-08&format=csv&table=metrics"
		status, _, body := get(t, app, path)
		if status != 200 {
			t.Fatalf("%s: %d %.300s", path, status, body)
		}
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
		if err != nil || len(recs) < 2 || recs[0][len(recs[0])-1] != "official" {
			t.Fatalf("%s: %v %v", path, err, recs)
		}
		official := 0
		for _, rec := range recs[1:] {
			if rec[len(rec)-1] == "true" {
				official++
			}
		}
		if (official > 0) != want {
			t.Errorf("%s: %d metrics marked official", path, official)
		}
	}

	// JSON: booleans per group, as the API's groups.
	for _, path := range []string{"/export/rankings?period=2026-08&kind=agency&format=json", "/open-data/2026-08/scores.json"} {
		status, _, body := get(t, app, path)
		if status != 200 {
			t.Fatalf("%s: %d", path, status)
		}
		var doc struct {
			Notes  []string `json:"notes"`
			Tables []struct {
				Rows []map[string]any `json:"rows"`
			} `json:"tables"`
		}
		if err := json.Unmarshal([]byte(body), &doc); err != nil || len(doc.Tables) == 0 {
			t.Fatalf("%s: %v %.300s", path, err, body)
		}
		seen := 0
		for _, r := range doc.Tables[0].Rows {
			onlyFlags, _ := r["official_only_groups"].(map[string]any)
			officialFlags, _ := r["official_groups"].(map[string]any)
			if len(onlyFlags) != 6 || len(officialFlags) != 6 {
				t.Errorf("%s: %v: flags %v %v", path, r["unit_code"], r["official_groups"], r["official_only_groups"])
				continue
			}
			switch r["unit_code"] {
			case "H90.07":
				seen++
				for code, v := range onlyFlags {
					if v != (code == "DVCTT") || officialFlags[code] != true {
						t.Errorf("%s: H90.07 group %s: official %v, official only %v", path, code, officialFlags[code], v)
					}
				}
				if r["official"] != true {
					t.Errorf("%s: H90.07 official %v", path, r["official"])
				}
			case "H90.99":
				seen++
				for code, v := range onlyFlags {
					if v != false || officialFlags[code] != false {
						t.Errorf("%s: H90.99 group %s: official %v, official only %v", path, code, officialFlags[code], v)
					}
				}
				if r["official"] != false {
					t.Errorf("%s: H90.99 official %v", path, r["official"])
				}
			}
		}
		if seen != 2 {
			t.Errorf("%s: %d of H90.07 and H90.99", path, seen)
		}
		if !strings.Contains(strings.Join(doc.Notes, "\n"), only) {
			t.Errorf("%s: the notes do not explain the official-only groups: %q", path, doc.Notes)
		}
	}

	// XLSX: the columns with their Vietnamese titles, the note in words
	// and the pages' words on the information sheet.
	for _, path := range []string{"/export/rankings?period=2026-08&kind=agency&format=xlsx", "/open-data/2026-08/scores.xlsx"} {
		status, _, body := get(t, app, path)
		if status != 200 {
			t.Fatalf("%s: %d", path, status)
		}
		f, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		sheets := f.GetSheetList()
		info, err := f.GetRows(sheets[0])
		if err != nil {
			t.Fatal(err)
		}
		var infoText []string
		for _, r := range info {
			infoText = append(infoText, strings.Join(r, " "))
		}
		if !strings.Contains(strings.Join(infoText, "\n"), "“Nhóm theo Cổng DVCQG, không có số liệu chi tiết”") {
			t.Errorf("%s: the information sheet does not explain the column: %q", path, infoText)
		}
		rows, err := f.GetRows(sheets[1])
		if err != nil {
			t.Fatal(err)
		}
		col := map[string]int{}
		for i, h := range rows[0] {
			col[h] = i
		}
		cellOf := func(r []string, title string) string {
			i, ok := col[title]
			if !ok {
				t.Fatalf("%s: no column %q in %q", path, title, rows[0])
			}
			if i < len(r) {
				return r[i]
			}
			return ""
		}
		seen := 0
		for _, r := range rows[1:] {
			switch {
			case strings.HasPrefix(strings.Join(r, "|"), "H90.07|") || strings.Contains(strings.Join(r, "|"), "|H90.07|"):
				seen++
				if cellOf(r, "Nhóm theo Cổng DVCQG, không có số liệu chi tiết") != "DVCTT" ||
					cellOf(r, "Nhóm theo điểm Cổng DVCQG công bố") != allGroups ||
					!strings.HasSuffix(cellOf(r, "Ghi chú về điểm Cổng DVCQG"), only) {
					t.Errorf("%s: H90.07 %q", path, r)
				}
			case strings.Contains(strings.Join(r, "|"), "|H90.99|"):
				seen++
				if cellOf(r, "Nhóm theo Cổng DVCQG, không có số liệu chi tiết") != "" ||
					cellOf(r, "Nhóm theo điểm Cổng DVCQG công bố") != "" || cellOf(r, "Ghi chú về điểm Cổng DVCQG") != "" {
					t.Errorf("%s: H90.99 %q", path, r)
				}
			}
		}
		if seen != 2 {
			t.Errorf("%s: %d of H90.07 and H90.99", path, seen)
		}
		f.Close()
	}

	// The dictionary describes the marks.
	status, _, body = get(t, app, "/open-data/dictionary")
	if status != 200 {
		t.Fatalf("dictionary: %d", status)
	}
	for _, key := range []string{"official", "official_groups", "official_only_groups", "official_note"} {
		if !strings.Contains(body, "<code>"+key+"</code>") {
			t.Errorf("the dictionary does not describe %s", key)
		}
	}
}
