package handlers

import (
	"context"
	"strings"
	"testing"

	"scorecard/i18n"
	"scorecard/internal/storetest"
	"scorecard/models"
	"scorecard/scorecache"
	"scorecard/scoring"
	"scorecard/store"
)

func TestRevisionKeepsPublishedFigures(t *testing.T) {
	storetest.Run(t, testRevisionKeepsPublishedFigures)
}

// A published revision keeps what the portal published as the live pages
// show it: a group published without counts is marked with the same words,
// the unit's figures are said to be the portal's, and the province keeps
// its national rank; after the figures change, the old revision still
// shows them.
func testRevisionKeepsPublishedFigures(t *testing.T, db storetest.DB) {
	ctx := context.Background()
	st := db.Open(t)
	schemes := withCapture(t, st)
	imp := &models.Import{FileName: "official.csv", SHA256: "x", Source: models.SourceCLI}
	if _, err := st.ImportOfficialResults(ctx, imp, []store.OfficialResult{{Period: "2026-08", UnitCode: "H90", Total: 8123, Rank: 7, RankOf: 34}}); err != nil {
		t.Fatal(err)
	}
	app, svc, rev := publishedCapture(t, st, schemes)

	// The snapshot: the scores as shown, with their flags.
	snap, err := scorecache.ParseSnapshot([]byte(*rev.Snapshot))
	if err != nil {
		t.Fatal(err)
	}
	ps, err := svc.Period(ctx, scoring.MustPeriod("2026-08"))
	if err != nil {
		t.Fatal(err)
	}
	var unit, province *scorecache.SnapshotUnit
	for i := range snap.Units {
		switch snap.Units[i].Code {
		case "H90.07":
			unit = &snap.Units[i]
		case "H90":
			province = &snap.Units[i]
		}
	}
	if unit == nil || province == nil {
		t.Fatalf("H90 or H90.07 missing from the snapshot: %+v", snap.Units)
	}
	live := ps.Unit("H90.07")
	if scoring.Cents(unit.Total) != live.Total || !unit.Official {
		t.Errorf("snapshot of H90.07: total %s official %v, the page shows %s (official %v)", scoring.Cents(unit.Total), unit.Official, live.Total, live.Official)
	}
	only := 0
	for _, g := range unit.Groups {
		lg := live.Group(g.Code)
		if lg == nil || g.Official != lg.Official || g.OfficialOnly != lg.OfficialOnly || scoring.Cents(g.Score) != lg.Score {
			t.Errorf("snapshot group %s: %+v, the page shows %+v", g.Code, g, lg)
		}
		if g.OfficialOnly {
			only++
		}
		for _, m := range g.Metrics {
			if lm := live.Metric(m.Code); lm == nil || m.Official != lm.Official {
				t.Errorf("snapshot metric %s: official %v", m.Code, m.Official)
			}
		}
	}
	if only != 1 {
		t.Errorf("%d official-only groups in the snapshot of H90.07, want DVCTT", only)
	}
	if province.OfficialRank == nil || *province.OfficialRank != 7 || province.OfficialRankOf == nil || *province.OfficialRankOf != 34 {
		t.Errorf("snapshot of H90: national rank %v of %v, want 7 of 34", province.OfficialRank, province.OfficialRankOf)
	}
	if unit.OfficialRank != nil {
		t.Errorf("H90.07 has a national rank in the snapshot: %d", *unit.OfficialRank)
	}

	// The revision page marks them as the live pages do, in both languages.
	for _, c := range []struct{ query, only, rank string }{
		{"", "theo Cổng DVCQG, không có số liệu chi tiết", "Xếp hạng toàn quốc (Cổng DVCQG)"},
		{"?lang=en", "as published by the national portal, without detailed counts", "National rank (National Public Service Portal)"},
	} {
		status, _, body := get(t, app, "/revisions/2026-08/1"+c.query)
		if status != 200 {
			t.Fatalf("revision page%s: %d", c.query, status)
		}
		row := between(t, body, ">"+unit.Name+"<", "</tr>")
		if !strings.Contains(row, `<abbr class="official-only" title="`+c.only+`">*</abbr>`) {
			t.Errorf("revision page%s: H90.07's official-only group is not marked: %s", c.query, row)
		}
		if c.query != "" {
			band := ""
			for _, b := range schemes.For(scoring.MustPeriod("2026-08")).Bands {
				if b.Code == unit.BandCode {
					band = b.NameEN
				}
			}
			if band == "" || !strings.Contains(row, "<td>"+band+"</td>") {
				t.Errorf("revision page%s: H90.07's band %q is not named in English: %s", c.query, band, row)
			}
		}
		if !strings.Contains(body, `id="official-only-footnote"`) || !strings.Contains(body, "* "+c.only) {
			t.Errorf("revision page%s: no footnote for the official-only group", c.query)
		}
		if !strings.Contains(body, c.rank) || !strings.Contains(body, `7<span class="muted">/34</span>`) {
			t.Errorf("revision page%s: no national rank of H90", c.query)
		}
	}
}

// A snapshot written before the portal's figures were kept in it reads and
// shows as it did: nothing marked, no national rank column; its groups are
// shown by code when the scheme it names is not known any more.
func TestRevisionTablesOfAnOlderSnapshot(t *testing.T) {
	old := `{"period":"2024-04","kind":"month","scheme":"gone","computed_at":"2024-05-02T00:00:00Z","units":[
		{"code":"BK","name":"Tỉnh Bắc Kạn","kind":"province","has_data":true,"total":75.35,"max_total":100.00,"rank":1,"rank_of":1,
		 "groups":[{"code":"G1","score":40.00,"max":50.00,"metrics":[]},{"code":"G2","score":35.35,"max":50.00,"metrics":[]}]},
		{"code":"TN","name":"Tỉnh Thái Nguyên","kind":"province","has_data":true,"total":40.00,"max_total":50.00,"rank":2,"rank_of":2,
		 "groups":[{"code":"G1","score":40.00,"max":50.00,"metrics":[]}]}]}`
	s, err := scorecache.ParseSnapshot([]byte(old))
	if err != nil {
		t.Fatal(err)
	}
	u := s.Units[0]
	if u.Official || u.OfficialRank != nil || u.Groups[0].Official || u.Groups[0].OfficialOnly {
		t.Errorf("an older snapshot reads with flags: %+v", u)
	}
	tables := revisionTables(i18n.VI, s, scoring.MustPeriod("2024-04"), nil)
	if len(tables) != 1 || len(tables[0].Rows) != 2 {
		t.Fatalf("tables: %+v", tables)
	}
	tb := tables[0]
	if tb.OfficialCol || len(tb.Only) != 0 || len(tb.Groups) != 2 || tb.Groups[1].Code != "G2" || tb.Groups[1].Title != "" {
		t.Errorf("table of an older snapshot: %+v", tb)
	}
	if r := tb.Rows[0]; r.Official != nil || len(r.Groups) != 2 || r.Groups[1] == nil || *r.Groups[1] != 3535 || r.Only[0] || r.Only[1] {
		t.Errorf("row of an older snapshot: %+v", r)
	}
	// A group the unit's snapshot does not hold has no score, not 0,00.
	if r := tb.Rows[1]; len(r.Groups) != 2 || r.Groups[0] == nil || *r.Groups[0] != 4000 || r.Groups[1] != nil {
		t.Errorf("row of a unit without G2: %+v", r)
	}
}
