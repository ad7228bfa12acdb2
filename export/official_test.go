package export_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"scorecard/export"
)

// flagsTable is a table with the two kinds of the portal's marks.
func flagsTable() export.Table {
	flags := export.GroupFlags{{Code: "G1", On: true}, {Code: "G2"}, {Code: "G3", On: true}}
	none := export.GroupFlags{{Code: "G1"}, {Code: "G2"}, {Code: "G3"}}
	return export.Table{Name: "Thử", Key: "flags", Columns: []export.Column{
		{Key: "unit_code", Title: "Mã", Kind: export.Text},
		{Key: "official", Title: "Cổng", Kind: export.Bool},
		{Key: "groups", Title: "Nhóm", Kind: export.GroupsKind},
	}, Rows: [][]any{{"A", true, flags}, {"B", false, none}, {"C", nil, none}}}
}

// A yes or no is true/false in CSV and JSON; group flags are the codes
// flagged, space-separated, in CSV and an object of booleans per group in
// JSON.
func TestFlagKinds(t *testing.T) {
	var buf bytes.Buffer
	if err := export.WriteCSV(&buf, flagsTable()); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, buf.Bytes())
	want := [][]string{{"unit_code", "official", "groups"}, {"A", "true", "G1 G3"}, {"B", "false", ""}, {"C", "", ""}}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("csv row %d: %q, want %q", i, rows[i], want[i])
		}
	}
	buf.Reset()
	if err := export.WriteTableJSON(&buf, flagsTable()); err != nil {
		t.Fatal(err)
	}
	var objs []map[string]any
	if err := json.Unmarshal(buf.Bytes(), &objs); err != nil {
		t.Fatalf("%v: %s", err, buf.Bytes())
	}
	g, ok := objs[0]["groups"].(map[string]any)
	if !ok || g["G1"] != true || g["G2"] != false || g["G3"] != true || len(g) != 3 || objs[0]["official"] != true {
		t.Errorf("json row A: %v", objs[0])
	}
	if objs[1]["official"] != false || objs[2]["official"] != nil {
		t.Errorf("json rows B, C: %v %v", objs[1], objs[2])
	}
	// JSON keeps the group order of the scheme.
	if !strings.Contains(buf.String(), `"groups":{"G1":true,"G2":false,"G3":true}`) {
		t.Errorf("json: %s", buf.Bytes())
	}
	f, _ := openXLSX(t, export.Workbook{Tables: []export.Table{flagsTable()}})
	sheet := f.GetSheetList()[1]
	for ref, want := range map[string]string{"B2": "TRUE", "C2": "G1 G3", "B3": "FALSE", "C3": "", "B4": ""} {
		if v, err := f.GetCellValue(sheet, ref); err != nil || v != want {
			t.Errorf("xlsx %s: %q %v, want %q", ref, v, err, want)
		}
	}
}

// The national rank's columns keep their place after the note when the
// table ends with the portal's marks, which stay last.
func TestNationalRanksBeforeOfficialMarks(t *testing.T) {
	_, cur, prev := april(t)
	tab := export.WithNationalRanks(export.ScoresTable(cur, prev, ""), map[string]export.NationalRank{"BK": {Rank: 17, RankOf: 63}})
	var keys []string
	for _, c := range tab.Columns {
		keys = append(keys, c.Key)
	}
	got := strings.Join(keys, ",")
	if !strings.HasSuffix(got, ",note,official_rank,official_rank_of,official,official_groups,official_only_groups,official_note") {
		t.Errorf("columns %s", got)
	}
	if err := tab.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, r := range tab.Rows {
		n := len(r)
		if r[1] == "BK" && (r[n-6] != 17 || r[n-5] != 63) {
			t.Errorf("BK: %v", r)
		}
		// The demo has no published figures: nothing is the portal's.
		if r[n-4] != false || r[n-1] != nil {
			t.Errorf("%v: marked as the portal's", r[1])
		}
	}
}
