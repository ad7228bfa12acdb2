package scoring

// The portal's published figures over our recomputation. Where the national
// portal published a score, it is the official figure and the one the
// public sees; our recomputation is kept beside it (UnitScore.Recomputed)
// because it explains the figure and is what the what-if and the points at
// stake compute with: hypothetical counts can only move a score computed
// from counts.

// Published is what the portal published for one unit in a period: group
// scores and metric points (a published null is simply absent).
type Published struct {
	Groups  map[string]Cents
	Metrics map[string]Cents
}

// WithPublished returns ps with the published figures of each unit in
// place of ours: a published metric's points replace its points, a
// published group score its score, and the unit's total is the sum of its
// groups as shown. A unit with published group scores has data (it is
// ranked) even without counts. A group published without any counts
// behind it is OfficialOnly. ps itself is not modified.
//
// Every unit changed keeps its recomputation in Recomputed, and the result
// keeps the period's (Recomputed): the engine's scores from the counts,
// except that an official-only group keeps its published score there too,
// there being no counts to recompute it from (it is counted in the total
// and the ranks, and the what-if leaves it as it is).
func (ps *PeriodScores) WithPublished(pub map[string]Published) *PeriodScores {
	if ps == nil || len(pub) == 0 {
		return ps
	}
	shown := &PeriodScores{Period: ps.Period, Scheme: ps.Scheme, e: ps.e, Units: make(map[string]*UnitScore, len(ps.Units))}
	recomputed := &PeriodScores{Period: ps.Period, Scheme: ps.Scheme, e: ps.e, Units: make(map[string]*UnitScore, len(ps.Units))}
	shown.recomputed = recomputed
	changed := false
	for code, us := range ps.Units {
		shown.Units[code], recomputed.Units[code] = us, us
		p, ok := pub[code]
		if !ok || us == nil {
			continue
		}
		if o, r := us.withPublished(p); o != nil {
			shown.Units[code], recomputed.Units[code] = o, r
			changed = true
		}
	}
	if !changed {
		return ps
	}
	return shown
}

// withPublished is us with p applied (nil when nothing of p is a figure of
// us's scheme) and us's recomputation with its official-only groups as
// published (us itself when it has none).
func (us *UnitScore) withPublished(p Published) (shown, recomputed *UnitScore) {
	o := *us
	o.Groups = make([]GroupScore, len(us.Groups))
	o.Total = 0
	applied, groupPublished := false, false
	var only []int
	for gi, gs := range us.Groups {
		g := gs
		g.Metrics = append([]MetricScore(nil), gs.Metrics...)
		metricsPublished, counts := false, false
		for mi := range g.Metrics {
			ms := &g.Metrics[mi]
			counts = counts || (ms.Counts.Valid && ms.Source != SourceNone)
			if v, ok := p.Metrics[ms.Metric.Code]; ok && ms.Scored {
				ms.Points, ms.Official = v, true
				metricsPublished = true
			}
		}
		if v, ok := p.Groups[g.Group.Code]; ok {
			g.Score, g.Official, g.OfficialOnly = v, true, !counts
			groupPublished = true
			if g.OfficialOnly {
				only = append(only, gi)
				// Its metrics are not missing: the portal published the
				// group as a whole.
				o.Missing -= missingIn(g)
			}
		} else if metricsPublished {
			// The group as shown is the sum of its metrics as shown.
			g.Score = 0
			for _, ms := range g.Metrics {
				g.Score += ms.Points
			}
		}
		applied = applied || g.Official || metricsPublished
		o.Groups[gi] = g
		o.Total += g.Score
	}
	if !applied {
		return nil, nil
	}
	recomputed = us
	if len(only) > 0 {
		r := *us
		r.Groups = append([]GroupScore(nil), us.Groups...)
		r.Missing = o.Missing
		for _, gi := range only {
			r.Total += o.Groups[gi].Score - r.Groups[gi].Score
			r.Groups[gi].Score, r.Groups[gi].Official, r.Groups[gi].OfficialOnly = o.Groups[gi].Score, true, true
		}
		r.HasData = true
		r.setBand()
		recomputed = &r
	}
	o.Official, o.Recomputed = true, recomputed
	o.HasData = us.HasData || groupPublished
	o.setBand()
	return &o, recomputed
}

// missingIn counts the group's scored metrics without counts.
func missingIn(g GroupScore) int {
	n := 0
	for _, ms := range g.Metrics {
		if ms.Source == SourceNone && ms.Metric.Scored() {
			n++
		}
	}
	return n
}

// setBand puts the band of the unit's total, none without data.
func (us *UnitScore) setBand() {
	us.Band = nil
	if us.HasData && us.Scheme != nil {
		us.Band = us.Scheme.Band(us.Total, us.MaxTotal)
	}
}

// Recomputed is the scores as our engine computed them from the counts
// (official-only groups as published; see WithPublished): ps itself
// unless WithPublished made it.
func (ps *PeriodScores) Recomputed() *PeriodScores {
	if ps != nil && ps.recomputed != nil {
		return ps.recomputed
	}
	return ps
}

// Recomputation is the unit's score as our engine computed it from the
// counts (official-only groups as published): us itself unless published
// figures were applied.
func (us *UnitScore) Recomputation() *UnitScore {
	if us != nil && us.Recomputed != nil {
		return us.Recomputed
	}
	return us
}

// OfficialOnlyGroups lists the codes of the unit's groups the portal
// published without any counts behind them ("theo Cổng DVCQG, không có số
// liệu chi tiết"): shown and counted in the total, left out of the
// what-if.
func (us *UnitScore) OfficialOnlyGroups() []string {
	if us == nil {
		return nil
	}
	var out []string
	for _, g := range us.Groups {
		if g.OfficialOnly {
			out = append(out, g.Group.Code)
		}
	}
	return out
}
