package handlers

import (
	"strings"

	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scoring"
)

// moversLimit is how many most improved and most declined units the
// overview lists.
const moversLimit = 5

// moversView is the overview's "what changed since the previous period":
// the units whose total rose or fell the most, and the units that changed
// band (scoring.FindMovers over agencies, districts and communes, each
// ranked among its own kind).
type moversView struct {
	Prev string // the previous period's label
	// Kinds names the kinds of unit ranked in the period, each among its
	// own ("sở, ban, ngành; xã, phường, đặc khu"): districts only before
	// 01/07/2025.
	Kinds       string
	WarningsURL string
	Improved    moverTable
	Declined    moverTable
	BandChanged []moverRow
}

// moverTable is a table of movers with its caption.
type moverTable struct {
	ID, Title string
	Rows      []moverRow
}

type moverRow struct {
	Unit            unitRef
	Kind            string
	Total           scoring.Cents
	PrevTotal       scoring.Cents
	Change          present.Change
	Rank, PrevRank  int
	RankChange      present.Change
	Band, PrevBand  bandView
	BandUp          bool
	BandChangeLabel string // "lên loại Xuất sắc", "xuống loại Khá"
}

// Empty reports whether nothing moved.
func (m *moversView) Empty() bool {
	return m == nil || len(m.Improved.Rows)+len(m.Declined.Rows)+len(m.BandChanged) == 0
}

// newMoversViewL compares cur with prev (nil: no previous period with data,
// and no section) for the units of one province, in language l.
func newMoversViewL(l i18n.Lang, cur, prev *scoring.PeriodScores, province string) *moversView {
	if cur == nil || prev == nil {
		return nil
	}
	mv := scoring.FindMovers(cur, prev, "", province, moversLimit)
	seen := map[scoring.UnitKind]bool{}
	for _, us := range cur.Units {
		if us.HasData {
			seen[us.Unit.Kind] = true
		}
	}
	var kinds []string
	for _, k := range scoring.UnitKinds {
		if k != scoring.KindProvince && seen[k] {
			kinds = append(kinds, present.KindLower(l, k, cur.Period))
		}
	}
	v := &moversView{Prev: present.Period(l, prev.Period), WarningsURL: warningsURL(cur.Period), Kinds: strings.Join(kinds, "; "),
		Improved: moverTable{ID: "movers-up", Title: l.T("movers.up")},
		Declined: moverTable{ID: "movers-down", Title: l.T("movers.down")}}
	row := func(m scoring.Move) moverRow {
		d, rc := m.Change, m.RankChange
		r := moverRow{Unit: newUnitRef(m.Unit.Unit, cur.Period), Kind: present.KindOne(l, m.Unit.Unit.Kind, cur.Period),
			Total: m.Total, PrevTotal: m.PrevTotal, Change: present.ScoreChange(l, &d), Rank: m.Rank, PrevRank: m.PrevRank,
			RankChange: present.RankChange(l, &rc), Band: newBandView(l, cur.Scheme, m.Band), PrevBand: newBandView(l, prev.Scheme, m.PrevBand),
			BandUp: m.BandUp()}
		if m.Band != nil && m.PrevBand != nil && m.Band.Code != m.PrevBand.Code {
			if r.BandUp {
				r.BandChangeLabel = l.T("movers.band.up", present.Name(l, m.Band.NameVI, m.Band.NameEN))
			} else {
				r.BandChangeLabel = l.T("movers.band.down", present.Name(l, m.Band.NameVI, m.Band.NameEN))
			}
		}
		return r
	}
	for _, m := range mv.Improved {
		v.Improved.Rows = append(v.Improved.Rows, row(m))
	}
	for _, m := range mv.Declined {
		v.Declined.Rows = append(v.Declined.Rows, row(m))
	}
	for _, m := range mv.BandChanged {
		v.BandChanged = append(v.BandChanged, row(m))
	}
	return v
}
