package handlers

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"scorecard/auth"
	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scoring"
)

// The department head's part of the unit page: the points at
// stake and what would win them back, the what-if panel, the unit against
// its peers, its rank history and its warnings. Every figure comes from
// scoring (PointsAtStake, ToNextBand, WhatIfScore, ComparePeers…); this
// file only shapes it for the template.

// unitTools are the department head's tools on the unit page.
type unitTools struct {
	Stake    stakeView
	WhatIf   whatIfPanel
	Peers    peersView
	Ranks    rankHistoryView
	Warnings []warningRow
	// WarningsURL lists every warning of the period.
	WarningsURL string
}

// unitTools fills v.Compare (the comparison with the unit's peers) and
// v.Tools. ps is the period's scores and us the unit's score in it.
func (h *handler) unitTools(c *fiber.Ctx, e *env, v *unitPage, ps, prev *scoring.PeriodScores, us *scoring.UnitScore) error {
	t := &unitTools{WarningsURL: warningsURL(e.period)}
	t.Stake = newStakeView(e.lang, ps, us)
	t.WhatIf = newWhatIfPanel(e.lang, ps, us, nil, nil, nil)
	pe, err := scoring.ComparePeers(ps, us.Unit.Code)
	if err != nil {
		return fmt.Errorf("handlers: unit page of %s: %w", us.Unit.Code, err)
	}
	if err := unitCompare(v, pe, ps, e.period); err != nil {
		return err
	}
	points, before, err := h.historyPoints(c, e, us.Unit.Code)
	if err != nil {
		return err
	}
	// Streaks count within the periods shown; only the rank history's
	// oldest row looks at before.
	t.Peers = newPeersView(e.lang, pe, points, e.period)
	if t.Ranks, err = newRankHistoryL(e.lang, us.Unit, before, points, h.Scores.Schemes()); err != nil {
		return err
	}
	// Warnings are shown to staff and to the unit's own accounts;
	// without accounts configured (h.Auth nil) the dashboard has no roles.
	if h.Auth == nil || auth.UserFrom(c).CanViewDraft(us.Unit.Code) {
		t.Warnings = unitWarnings(e.lang, ps, prev, us.Unit.Code)
	}
	if h.Auth != nil && !auth.UserFrom(c).IsStaff() {
		t.WarningsURL = ""
	}
	v.Tools = t
	return nil
}

// stakeView is "Điểm có thể cải thiện": where the unit lost points and what
// would recover them. Its names and messages are in the page's language.
type stakeView struct {
	Lost scoring.Cents
	// Rows are the unit's own metrics that more counts would recover, the
	// best points per added count first.
	Rows []stakeRow
	// NoData are metrics without counts (or 0/0) scored below their
	// maximum; Province the inherited province-level metrics.
	NoData   []stakeRow
	Province []stakeRow
	// Next is the fewest changes that lift the unit into the band above
	// (nil in the top band or without a band); Top recovers the three best
	// rows (nil when nothing is actionable).
	Next *recoveryView
	Top  *recoveryView
	// TopBand is true when the unit is already in the highest band.
	TopBand  bool
	BandName string
	HasData  bool
}

// stakeRow is one metric where points were lost.
type stakeRow struct {
	Code, Name, Group string
	Points, Max, Lost scoring.Cents
	HasCounts         bool
	Num, Den          int64
	Ratio             scoring.Cents
	HasRatio          bool
	// Target is the ratio that earns full points (threshold, or 100 %).
	Target    scoring.Cents
	Threshold bool
	// Need more in the numerator recover everything, for NewRatio.
	Need     int64
	NewNum   int64 // the numerator with Need added
	NewRatio scoring.Cents
	Noun     string // what the numerator counts ("hồ sơ nộp trực tuyến", "dossiers submitted online")
	Message  string
	Steps    []stakeStep
	// WhatIf opens the what-if page with this change typed in.
	WhatIf string
}

type stakeStep struct {
	Add  int64
	Gain scoring.Cents
}

// recoveryView is the score the unit would reach with some changes.
type recoveryView struct {
	Changes         []stakeRow
	Total, NewTotal scoring.Cents
	Gain            scoring.Cents
	Band, NewBand   bandView
	BandUp          bool
	Rank, RankOf    int
	NewRank         int
	NewRankOf       int
	// Short is how many points would still be missing for the next band
	// when even every change falls short (0 otherwise).
	Short scoring.Cents
	// NextBand names the band aimed at, in the page's language.
	NextBand string
	WhatIf   string
}

func newStakeView(l i18n.Lang, ps *scoring.PeriodScores, us *scoring.UnitScore) stakeView {
	v := stakeView{HasData: us.HasData, BandName: "—"}
	if us.Band != nil {
		v.BandName = present.Name(l, us.Band.NameVI, us.Band.NameEN)
	}
	rep := scoring.PointsAtStake(us)
	v.Lost = rep.Lost
	for _, st := range rep.Actionable {
		v.Rows = append(v.Rows, newStakeRow(l, us, st))
	}
	for _, st := range rep.NoData {
		v.NoData = append(v.NoData, newStakeRow(l, us, st))
	}
	for _, st := range rep.Province {
		v.Province = append(v.Province, newStakeRow(l, us, st))
	}
	if !us.HasData {
		// An unranked unit has no band or rank to move: the rows still say
		// what each metric would give.
		return v
	}
	s := us.Scheme
	if us.Band != nil && s != nil && len(s.Bands) > 0 && us.Band.Code == s.Bands[0].Code {
		v.TopBand = true
	}
	if rec := rep.ToNextBand(ps); rec != nil {
		v.Next = newRecoveryView(l, us, rec, us.NextBand())
	}
	if rec := rep.RecoverTop(ps, 3); rec != nil {
		v.Top = newRecoveryView(l, us, rec, us.NextBand())
	}
	return v
}

func newStakeRow(l i18n.Lang, us *scoring.UnitScore, st scoring.Stake) stakeRow {
	r := stakeRow{Code: st.Metric.Code, Name: present.Name(l, st.Metric.NameVI, st.Metric.NameEN), Points: st.Points, Max: st.Max, Lost: st.Lost,
		HasCounts: st.Counts.Valid, Num: st.Counts.Num, Den: st.Counts.Den, Ratio: st.Ratio, HasRatio: st.HasRatio,
		Target: st.Target, Threshold: st.Metric.Rule == scoring.RuleThreshold, Need: st.Need, NewRatio: st.NewRatio,
		Noun: present.Noun(l, st.Metric, st.Need), Message: present.StakeMessage(l, us.Period, st)}
	if st.Kind == scoring.StakeCounts {
		r.NewNum = max(st.Counts.Num, 0) + st.Need
	}
	if st.Group != nil {
		r.Group = present.Name(l, st.Group.NameVI, st.Group.NameEN)
	}
	prevGain := scoring.Cents(0)
	for _, s := range st.Steps {
		if s.Gain <= prevGain {
			continue
		}
		prevGain = s.Gain
		r.Steps = append(r.Steps, stakeStep{Add: s.Add, Gain: s.Gain})
	}
	if st.Kind == scoring.StakeCounts {
		r.WhatIf = whatIfLink(us, []scoring.Stake{st})
	}
	return r
}

func newRecoveryView(l i18n.Lang, us *scoring.UnitScore, rec *scoring.Recovery, next *scoring.Band) *recoveryView {
	v := &recoveryView{Total: us.Total, NewTotal: rec.Score.Total, Gain: rec.Gain,
		Band: newBandView(l, us.Scheme, us.Band), NewBand: newBandView(l, us.Scheme, rec.Band), BandUp: rec.BandUp(),
		Rank: rec.BaseRank, RankOf: rec.BaseRankOf, NewRank: rec.Rank, NewRankOf: rec.RankOf,
		WhatIf: whatIfLink(us, rec.Applied)}
	for _, st := range rec.Applied {
		v.Changes = append(v.Changes, newStakeRow(l, us, st))
	}
	if next != nil {
		v.NextBand = present.Name(l, next.NameVI, next.NameEN)
		if !v.BandUp {
			v.Short = scoring.ShortOf(next, rec.Score.Total, rec.Score.MaxTotal)
		}
	}
	return v
}

// whatIfLink opens the what-if page with the stakes' numerators raised by
// what each needs; the other metrics keep their counts.
func whatIfLink(us *scoring.UnitScore, stakes []scoring.Stake) string {
	q := url.Values{}
	q.Set("period", us.Period.String())
	for _, st := range stakes {
		if st.Kind != scoring.StakeCounts {
			continue
		}
		n := st.Counts.Num
		if n < 0 {
			n = 0
		}
		q.Set("n."+st.Metric.Code, strconv.FormatInt(n+st.Need, 10))
	}
	return whatIfURL(us.Unit.Code) + "?" + q.Encode() + "#thu-tinh"
}

// whatIfURL is the what-if page of a unit (without a query).
func whatIfURL(code string) string { return "/units/" + url.PathEscape(code) + "/whatif" }
