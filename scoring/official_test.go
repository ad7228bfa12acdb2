package scoring

import (
	"errors"
	"testing"
)

// publishedFixture: agency A has counts for on-time processing only and the
// portal published its TDGQ group (and metric) lower than we compute, and
// its DVCTT group without any counts (official only); agency B has counts
// and nothing published; commune X nothing but a published TDGQ group.
func publishedFixture(t *testing.T) (ps, shown *PeriodScores) {
	t.Helper()
	own := map[Key]Counts{
		{"2026-08", "P.A", "ON_TIME_PROCESSING"}: C(9, 10),
		{"2026-08", "P.B", "ON_TIME_PROCESSING"}: C(10, 10),
	}
	ps = NewEngine(loadDefault(t), &Dataset{Units: province2(), Own: own}).Score(MustPeriod("2026-08"))
	shown = ps.WithPublished(map[string]Published{
		"P.A":   {Groups: map[string]Cents{"TDGQ": 1750, "DVCTT": 672}, Metrics: map[string]Cents{"ON_TIME_PROCESSING": 1750}},
		"P.D.X": {Groups: map[string]Cents{"TDGQ": 1500}},
		"P.B":   {Groups: map[string]Cents{"NO_SUCH_GROUP": 100}},
	})
	return ps, shown
}

func TestWithPublishedShowsOfficialFiguresAndKeepsOurs(t *testing.T) {
	ps, shown := publishedFixture(t)
	ours := ps.Unit("P.A")
	a := shown.Unit("P.A")
	if a == ours || !a.Official || a.Recomputation().Group("TDGQ").Score != ours.Group("TDGQ").Score {
		t.Fatalf("A: official %v, recomputed TDGQ %s, ours %s", a.Official, a.Recomputation().Group("TDGQ").Score, ours.Group("TDGQ").Score)
	}
	tdgq := a.Group("TDGQ")
	if tdgq.Score != 1750 || !tdgq.Official || tdgq.OfficialOnly {
		t.Errorf("A's TDGQ as shown: %+v", *tdgq)
	}
	if m := a.Metric("ON_TIME_PROCESSING"); m.Points != 1750 || !m.Official || m.Counts != C(9, 10) {
		t.Errorf("A's on-time metric as shown: points %s official %v counts %+v", m.Points, m.Official, m.Counts)
	}
	if ours.Metric("ON_TIME_PROCESSING").Points == 1750 || ours.Group("TDGQ").Official {
		t.Error("WithPublished changed the engine's own scores")
	}
	dvctt := a.Group("DVCTT")
	if dvctt.Score != 672 || !dvctt.OfficialOnly {
		t.Errorf("A's DVCTT published without counts: %+v", *dvctt)
	}
	if got := a.OfficialOnlyGroups(); len(got) != 1 || got[0] != "DVCTT" {
		t.Errorf("official-only groups %v", got)
	}
	// Its three metrics are not missing counts: the group was published.
	if a.Missing != ours.Missing-3 || a.Recomputation().Missing != a.Missing {
		t.Errorf("missing %d (recomputation %d), ours %d", a.Missing, a.Recomputation().Missing, ours.Missing)
	}
	// The total is the sum of the groups as shown.
	want := ours.Total - ours.Group("TDGQ").Score - ours.Group("DVCTT").Score + 1750 + 672
	if a.Total != want || a.MaxTotal != ours.MaxTotal {
		t.Errorf("A's total %s/%s, want %s/%s", a.Total, a.MaxTotal, want, ours.MaxTotal)
	}
	if a.Band != ours.Scheme.Band(a.Total, a.MaxTotal) {
		t.Errorf("A's band %v is not its shown total's", a.Band)
	}
	// The recomputation keeps the official-only group as published (no
	// counts to recompute it from) and our own TDGQ.
	r := a.Recomputation()
	if r.Group("DVCTT").Score != 672 || !r.Group("DVCTT").OfficialOnly || r.Group("TDGQ").Score != ours.Group("TDGQ").Score ||
		r.Total != ours.Total-ours.Group("DVCTT").Score+672 {
		t.Errorf("A's recomputation: TDGQ %s DVCTT %s total %s", r.Group("TDGQ").Score, r.Group("DVCTT").Score, r.Total)
	}
	if shown.Recomputed().Unit("P.A") != r || shown.Recomputed().Unit("P.B") != ps.Unit("P.B") {
		t.Error("the period's recomputation is not the units'")
	}
	// A published code the scheme does not have changes nothing.
	if shown.Unit("P.B") != ps.Unit("P.B") || shown.Unit("P.B").Official {
		t.Error("B had nothing of the scheme published")
	}
	// A unit with published figures only has data and is ranked.
	x := shown.Unit("P.D.X")
	if ps.Unit("P.D.X").HasData || !x.HasData || x.Band == nil || x.Group("TDGQ").Score != 1500 || !x.Group("TDGQ").OfficialOnly {
		t.Errorf("X: has data %v band %v TDGQ %+v", x.HasData, x.Band, *x.Group("TDGQ"))
	}
	if rk := shown.RankOf("P.D.X", nil); rk == nil || rk.Rank != 1 {
		t.Errorf("X is ranked on its published figures: %+v", rk)
	}
	if ps.WithPublished(nil) != ps || ps.WithPublished(map[string]Published{"P.B": {Metrics: map[string]Cents{"NOPE": 1}}}) != ps {
		t.Error("nothing to apply must give the scores back")
	}
	if ps.Recomputed() != ps || ours.Recomputation() != ours {
		t.Error("scores without published figures are their own recomputation")
	}
}

// Ranks follow the totals shown: A, recomputed below B, is above B with
// its published DVCTT.
func TestWithPublishedRanksByTotalsShown(t *testing.T) {
	ps, shown := publishedFixture(t)
	rankOf := func(ps *PeriodScores, code string) int {
		for _, r := range ps.Ranking(KindAgency, "P", nil) {
			if r.Unit.Code == code {
				return r.Rank
			}
		}
		return -1
	}
	if !(ps.Unit("P.A").Total < ps.Unit("P.B").Total && shown.Unit("P.A").Total > shown.Unit("P.B").Total) {
		t.Fatalf("fixture: A %s/%s, B %s", ps.Unit("P.A").Total, shown.Unit("P.A").Total, ps.Unit("P.B").Total)
	}
	if rankOf(ps, "P.A") != 2 || rankOf(shown, "P.A") != 1 || rankOf(shown, "P.B") != 2 {
		t.Errorf("ranks: ours A %d, shown A %d B %d", rankOf(ps, "P.A"), rankOf(shown, "P.A"), rankOf(shown, "P.B"))
	}
}

// The what-if and the points at stake work from the recomputation; an
// official-only group stays as published and cannot be changed.
func TestWhatIfAndStakeUseTheRecomputation(t *testing.T) {
	_, shown := publishedFixture(t)
	r := shown.Unit("P.A").Recomputation()
	w, err := WhatIfScore(shown, "P.A", nil)
	if err != nil {
		t.Fatal(err)
	}
	if w.Base != r || w.Score.Total != r.Total || w.Delta != 0 {
		t.Errorf("what-if base %s, recomputation %s (shown %s)", w.Base.Total, r.Total, shown.Unit("P.A").Total)
	}
	w, err = WhatIfScore(shown, "P.A", []Override{{Metric: "ON_TIME_PROCESSING", Num: i64(10)}})
	if err != nil {
		t.Fatal(err)
	}
	if g := w.Score.Group("DVCTT"); g.Score != 672 || !g.OfficialOnly {
		t.Errorf("the official-only group moved in the what-if: %+v", *g)
	}
	if w.Delta != w.Score.Group("TDGQ").Score-r.Group("TDGQ").Score || w.Delta <= 0 {
		t.Errorf("what-if delta %s", w.Delta)
	}
	_, err = WhatIfScore(shown, "P.A", []Override{{Metric: "ONLINE_SUBMISSION", Num: i64(1), Den: i64(2)}})
	var ie InputErrors
	if !errors.As(err, &ie) || len(ie) != 1 || ie[0].Code != ErrCodeOfficialOnly || ie[0].Metric != "ONLINE_SUBMISSION" {
		t.Errorf("an official-only metric changed in the what-if: %v", err)
	}
	rep := PointsAtStake(shown.Unit("P.A"))
	if rep.Unit != r {
		t.Error("points at stake are not the recomputation's")
	}
	for _, list := range [][]Stake{rep.Actionable, rep.NoData, rep.Province} {
		for _, st := range list {
			if st.Group.Code == "DVCTT" {
				t.Errorf("points at stake in an official-only group: %s", st.Metric.Code)
			}
		}
	}
	found := false
	for _, st := range rep.Actionable {
		if st.Metric.Code == "ON_TIME_PROCESSING" {
			found = true
			if st.Points != r.Metric("ON_TIME_PROCESSING").Points {
				t.Errorf("stake points %s are not ours %s", st.Points, r.Metric("ON_TIME_PROCESSING").Points)
			}
		}
	}
	if !found {
		t.Error("on-time processing lost points and is not at stake")
	}
}
