package handlers

import (
	"scorecard/charts"
	"scorecard/handlers/site"
	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scoring"
)

// rankRow is one unit in a ranking table.
type rankRow struct {
	Rank       int // 0: not ranked (no data)
	RankOf     int
	RankChange present.Change
	RankDelta  int // places moved up (0 when unknown), for sorting
	Unit       unitRef
	HasData    bool
	Total      scoring.Cents
	MaxTotal   scoring.Cents
	Change     present.Change
	Band       bandView
	Groups     []scoring.Cents // in scheme group order
	// Only marks the groups the portal published without counts.
	Only    []bool
	Missing int // scored metrics without counts
	// Province names the unit's province in a ranking of the whole
	// country, where two communes may share a name; "" otherwise.
	Province string
	// Official is the national rank the portal published ("7/34"), in a
	// ranking of provinces; nil when not imported.
	Official *site.OfficialRank
}

// OutOf reports whether the total is out of less than 100 (metrics left out).
func (r rankRow) OutOf() bool { return r.MaxTotal != 10000 }

func newRankRow(l i18n.Lang, r scoring.Ranked, s *scoring.Scheme, p scoring.Period, link func(string, scoring.Period) string) rankRow {
	row := rankRow{
		Rank:       r.Rank,
		RankOf:     r.RankOf,
		RankChange: present.RankChange(l, r.RankChange),
		Unit:       unitRef{Code: r.Unit.Code, Name: r.Unit.Name, URL: link(r.Unit.Code, p)},
		HasData:    r.HasData,
		Total:      r.Total,
		MaxTotal:   r.MaxTotal,
		Change:     present.ScoreChange(l, r.TotalChange),
		Band:       newBandView(l, r.Scheme, r.Band),
		Missing:    r.Missing,
	}
	if r.RankChange != nil {
		row.RankDelta = *r.RankChange
	}
	for _, g := range s.Groups {
		var v scoring.Cents
		only := false
		if gs := r.Group(g.Code); gs != nil {
			v, only = gs.Score, gs.OfficialOnly
		}
		row.Groups = append(row.Groups, v)
		row.Only = append(row.Only, only)
	}
	return row
}

// rankingTable is a ranking of one kind of unit, split into ranked units and
// units without data ("chưa có dữ liệu").
type rankingTable struct {
	ID      string // anchor and caption id
	Title   string
	Kind    scoring.UnitKind
	Rows    []rankRow
	NoData  []unitRef
	Ranked  int
	Hidden  int    // ranked rows not shown (overview shows the top only)
	FullURL string // the full ranking page
	// Chart draws the rows as bars (the overview's agencies); nil
	// otherwise. The table holds its numbers.
	Chart *charts.Chart
}

func newRankingTable(l i18n.Lang, id, title string, kind scoring.UnitKind, ranked []scoring.Ranked, s *scoring.Scheme, p scoring.Period, limit int, fullURL string) rankingTable {
	t := rankingTable{ID: id, Title: title, Kind: kind, FullURL: fullURL}
	for _, r := range ranked {
		if r.Rank == 0 {
			t.NoData = append(t.NoData, newUnitRef(r.Unit, p))
			continue
		}
		t.Ranked++
		if limit > 0 && len(t.Rows) >= limit {
			t.Hidden++
			continue
		}
		t.Rows = append(t.Rows, newRankRow(l, r, s, p, site.UnitURL))
	}
	return t
}

// bandCount is how many ranked units of each kind fall in each band.
type bandCount struct {
	Bands []bandView
	Rows  []bandCountRow
}

type bandCountRow struct {
	Kind   string
	Counts []int // per band, in scheme order
	NoData int
	Total  int
}

func newBandCount(l i18n.Lang, s *scoring.Scheme, kinds []scoring.UnitKind, rankings map[scoring.UnitKind][]scoring.Ranked) bandCount {
	bc := bandCount{}
	for i := range s.Bands {
		bc.Bands = append(bc.Bands, newBandView(l, s, &s.Bands[i]))
	}
	for _, k := range kinds {
		list := rankings[k]
		if len(list) == 0 {
			continue
		}
		row := bandCountRow{Kind: present.Kind(l, k, list[0].Period), Counts: make([]int, len(s.Bands)), Total: len(list)}
		for _, r := range list {
			if r.Rank == 0 || r.Band == nil {
				row.NoData++
				continue
			}
			for i := range s.Bands {
				if s.Bands[i].Code == r.Band.Code {
					row.Counts[i]++
				}
			}
		}
		bc.Rows = append(bc.Rows, row)
	}
	return bc
}
