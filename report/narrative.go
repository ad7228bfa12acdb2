package report

import (
	"strings"

	"scorecard/i18n"
	"scorecard/present"
)

// Paragraph is one section of the narrative: a heading and its sentences,
// each complete and ending with a full stop. In a List paragraph (the
// recommendations) each entry is an item of a numbered list: a finding
// followed by its advice.
type Paragraph struct {
	Heading   string
	Sentences []string
	List      bool
}

// Text joins the sentences into one paragraph.
func (p Paragraph) Text() string { return strings.Join(p.Sentences, " ") }

// maxNamed caps the names listed for one level in a sentence: a report may
// list seven agencies, not forty communes.
const maxNamed = 12

// Narrative words the facts in Vietnamese, in the register of a provincial
// report: "Tháng 04/2024, tỉnh Bắc Kạn đạt 75,35/100 điểm, xếp loại Khá…".
// Every figure comes from f; nothing is computed here but wording, and
// the words are the catalogue's (reportdoc.prose.*).
func Narrative(f Facts) []Paragraph { return NarrativeIn(i18n.VI, f) }

// NarrativeIn is Narrative with the sentences of language l. The report
// document is Vietnamese whatever the page language; the facts' names
// (units, groups, metrics, bands) and advice are the scheme's and the
// catalogue's Vietnamese ones in any language.
func NarrativeIn(l i18n.Lang, f Facts) []Paragraph {
	prov := provinceInSentence(l, f.Province.Name)
	if !f.HasData {
		return []Paragraph{{Heading: l.T("reportdoc.prose.h.general"), Sentences: []string{
			l.T("reportdoc.prose.nodata", present.Period(l, f.Period), prov),
		}}}
	}
	var out []Paragraph
	add := func(p Paragraph) {
		if len(p.Sentences) > 0 {
			out = append(out, p)
		}
	}
	add(overall(l, f, prov))
	add(publication(l, f))
	add(processing(l, f))
	add(online(l, f))
	add(detail(l, f, f.Payment))
	add(detail(l, f, f.Digitisation))
	add(satisfaction(l, f))
	add(classification(l, f))
	add(standingsPara(l, f))
	add(recommendations(l, f))
	return out
}

func overall(l i18n.Lang, f Facts, prov string) Paragraph {
	p := Paragraph{Heading: l.T("reportdoc.prose.h.general")}
	var tail string
	if f.Band != nil {
		tail += l.T("reportdoc.prose.band", f.Band.Name)
	}
	if f.Change != nil && f.PrevTotal != nil {
		var band string
		if f.PrevBand != nil && (f.Band == nil || f.PrevBand.Code != f.Band.Code) {
			band = l.T("reportdoc.prose.band", f.PrevBand.Name)
		}
		tail += l.T("reportdoc.prose.compared.prev", signed(l, *f.Change), periodInSentence(l, f.Prev), present.Score(l, *f.PrevTotal), band)
	}
	if f.Provisional {
		tail += l.T("reportdoc.prose.provisional", f.MonthsCovered, f.MonthsOf)
	}
	p.Sentences = append(p.Sentences, l.T("reportdoc.prose.overall",
		present.Period(l, f.Period), prov, present.Score(l, f.Total), present.Max(l, f.MaxTotal), tail))
	if n := f.National; n != nil {
		var tail string
		if n.Total != f.Total {
			tail += l.T("reportdoc.prose.national.score", present.Score(l, n.Total))
		}
		if n.PrevRank > 0 {
			prev := periodInSentence(l, f.Prev)
			switch d := n.PrevRank - n.Rank; {
			case d > 0:
				tail += l.TN(d, "reportdoc.prose.national.up", d, prev)
			case d < 0:
				tail += l.TN(-d, "reportdoc.prose.national.down", -d, prev)
			default:
				tail += l.T("reportdoc.prose.national.same", prev)
			}
		}
		if n.RankOf > 0 {
			p.Sentences = append(p.Sentences, l.T("reportdoc.prose.national", prov, n.Rank, n.RankOf, tail))
		} else {
			p.Sentences = append(p.Sentences, l.T("reportdoc.prose.national.norankof", prov, n.Rank, tail))
		}
	}
	if len(f.Groups) > 0 {
		var parts []string
		for _, g := range f.Groups {
			parts = append(parts, l.T("reportdoc.prose.groups.item", present.Lower(l, g.Name), present.Score(l, g.Score), present.Max(l, g.Max)))
		}
		p.Sentences = append(p.Sentences, l.T("reportdoc.prose.groups", strings.Join(parts, "; ")))
	}
	return p
}

// Ratio clauses give the counts behind a ratio, counted in one of these.
const (
	noCounts   = ""
	procedures = "procedures"
	dossiers   = "dossiers"
)

// ratioClause is "tỷ lệ … đạt 66,67% (2/3 TTHC)" or "tỷ lệ … không có số
// liệu trong kỳ"; counted is procedures, dossiers or noCounts, which
// leaves the counts out.
func ratioClause(l i18n.Lang, m MetricFact, counted string) string {
	name := present.Lower(l, m.Name)
	switch {
	case !m.HasRatio:
		return l.T("reportdoc.prose.ratio.none", name)
	case counted == noCounts:
		return l.T("reportdoc.prose.ratio", name, present.Percent(l, m.Ratio))
	}
	return l.T("reportdoc.prose.ratio."+counted, name, present.Percent(l, m.Ratio), present.Int(l, m.Counts.Num), present.Int(l, m.Counts.Den))
}

// groupSentence is "Nhóm chỉ số đạt 7,50/10 điểm, tăng 0,50 điểm so với
// tháng 03/2024.": every group's section opens with it, so that each of the
// scheme's groups has its section even without a metric to speak of.
func groupSentence(l i18n.Lang, f Facts, code string) string {
	for _, g := range f.Groups {
		if g.Code != code {
			continue
		}
		var tail string
		if g.Change != nil {
			tail = l.T("reportdoc.prose.compared", signed(l, *g.Change), periodInSentence(l, f.Prev))
		}
		return l.T("reportdoc.prose.group", present.Score(l, g.Score), present.Max(l, g.Max), tail)
	}
	return ""
}

// groupName is the scheme's name of the group with the code, or else
// fallback. A section about one group is headed by the group's name as the
// scheme writes it (the table of groups beside the prose uses the same),
// not by a copy of it; only the processing section has a wording of its
// own ("Tiến độ giải quyết hồ sơ"). A scheme that has the section's
// metrics without the group heads it with the first metric's name.
func groupName(f Facts, code, fallback string) string {
	for _, g := range f.Groups {
		if g.Code == code {
			return g.Name
		}
	}
	return fallback
}

// opened is a paragraph opened by its group's sentence.
func opened(l i18n.Lang, f Facts, heading, code string) Paragraph {
	p := Paragraph{Heading: heading}
	if s := groupSentence(l, f, code); s != "" {
		p.Sentences = append(p.Sentences, s)
	}
	return p
}

// detail is the section of a group without sentences of its own (online
// payment, digitisation): its score, each scored metric's ratio at the
// province, and the units that lost most points on it.
func detail(l i18n.Lang, f Facts, d *GroupDetail) Paragraph {
	if d == nil {
		return Paragraph{}
	}
	p := opened(l, f, d.Group.Name, d.Group.Code)
	var parts []string
	for _, m := range d.Metrics {
		parts = append(parts, ratioClause(l, m, noCounts))
	}
	if len(parts) > 0 {
		p.Sentences = append(p.Sentences, l.T("reportdoc.prose.province", strings.Join(parts, "; ")))
	}
	if len(d.Worst) > 0 {
		var w []string
		for _, u := range d.Worst {
			w = append(w, l.T("reportdoc.prose.points", u.Name, present.Score(l, u.Lost)))
		}
		p.Sentences = append(p.Sentences, l.T("reportdoc.prose.worst", join(l, w)))
	} else if d.Of > 0 {
		p.Sentences = append(p.Sentences, l.TN(d.Of, "reportdoc.prose.allfull", d.Of))
	}
	return p
}

func publication(l i18n.Lang, f Facts) Paragraph {
	var heading string
	if len(f.Publication) > 0 {
		heading = f.Publication[0].Name
	}
	p := opened(l, f, groupName(f, GroupPublicity, heading), GroupPublicity)
	var parts []string
	for _, pub := range f.Publication {
		s := ratioClause(l, pub.MetricFact, procedures)
		if pub.HasRatio && pub.Late > 0 {
			s += l.TN(int(pub.Late), "reportdoc.prose.late", present.Int(l, pub.Late))
			if len(pub.Responsible) > 0 {
				s += l.T("reportdoc.prose.late.responsible", join(l, names(pub.Responsible)))
			}
		}
		parts = append(parts, s)
	}
	if len(parts) > 0 {
		p.Sentences = append(p.Sentences, upperFirst(strings.Join(parts, "; "))+".")
	}
	return p
}

func names(us []UnitRef) []string {
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = u.Name
	}
	return out
}

// namedList is "7 Sở, ban, ngành: A, B và C", capped at maxNamed names.
func namedList(l i18n.Lang, ku KindUnits) string {
	n := names(ku.Units)
	if len(n) > maxNamed {
		rest := len(n) - maxNamed
		n = append(n[:maxNamed:maxNamed], l.TN(rest, "reportdoc.prose.named.more", rest))
	}
	return l.T("reportdoc.prose.named", len(ku.Units), kindNoun(l, ku.Kind), join(l, n))
}

// levelsWith lists, per level, the units sharing a fact; levels with none
// are left out.
func levelsWith(l i18n.Lang, kus []KindUnits) []string {
	var out []string
	for _, ku := range kus {
		if len(ku.Units) > 0 {
			out = append(out, namedList(l, ku))
		}
	}
	return out
}

func processing(l i18n.Lang, f Facts) Paragraph {
	p := opened(l, f, l.T("reportdoc.prose.h.processing"), GroupProcessing)
	if f.OnTime == nil {
		return p
	}
	p.Sentences = append(p.Sentences, l.T("reportdoc.prose.province", ratioClause(l, *f.OnTime, dossiers)))
	if lv := levelsWith(l, f.OnTimeFull); len(lv) > 0 {
		p.Sentences = append(p.Sentences, l.T("reportdoc.prose.ontime.full", f.OnTime.Name, strings.Join(lv, "; ")))
	} else if len(f.OnTimeFull) > 0 {
		p.Sentences = append(p.Sentences, l.T("reportdoc.prose.ontime.none", present.Lower(l, f.OnTime.Name)))
	}
	return p
}

func online(l i18n.Lang, f Facts) Paragraph {
	var heading string
	if f.Online != nil {
		heading = f.Online.Name
	}
	p := opened(l, f, groupName(f, GroupOnline, heading), GroupOnline)
	if f.Online == nil {
		return p
	}
	p.Sentences = append(p.Sentences, l.T("reportdoc.prose.province", ratioClause(l, *f.Online, dossiers)))
	if lv := levelsWith(l, f.NoOnline); len(lv) > 0 {
		p.Sentences = append(p.Sentences, l.T("reportdoc.prose.online.none", strings.Join(lv, "; ")))
	}
	return p
}

func satisfaction(l i18n.Lang, f Facts) Paragraph {
	s := f.Satisfaction
	if s == nil {
		return Paragraph{}
	}
	p := Paragraph{Heading: s.Group.Name}
	var parts []string
	for _, m := range s.Metrics {
		parts = append(parts, ratioClause(l, m, noCounts))
	}
	var tail string
	if len(parts) > 0 {
		tail = "; " + join(l, parts)
	}
	p.Sentences = append(p.Sentences, l.T("reportdoc.prose.satisfaction",
		present.Lower(l, s.Group.Name), present.Score(l, s.Group.Score), present.Max(l, s.Group.Max), tail))
	var full []string
	for _, kc := range s.FullAt {
		if kc.N > 0 {
			full = append(full, l.T("reportdoc.prose.fullat.item", kc.N, kc.Of, kindNoun(l, kc.Kind)))
		}
	}
	if len(full) > 0 {
		p.Sentences = append(p.Sentences, l.T("reportdoc.prose.fullat", upperFirst(join(l, full))))
	}
	return p
}

func classification(l i18n.Lang, f Facts) Paragraph {
	p := Paragraph{Heading: l.T("reportdoc.prose.h.classification")}
	for _, lb := range f.Bands {
		var parts []string
		for _, b := range lb.Bands {
			if b.N > 0 {
				parts = append(parts, l.TN(b.N, "reportdoc.prose.bands.item", b.N, b.Name))
			}
		}
		if lb.Unranked > 0 {
			parts = append(parts, l.TN(lb.Unranked, "reportdoc.prose.bands.unranked", lb.Unranked))
		}
		if len(parts) == 0 {
			continue
		}
		p.Sentences = append(p.Sentences, l.T("reportdoc.prose.bands", lb.Units, kindNoun(l, lb.Kind), join(l, parts)))
	}
	return p
}

// standing is "Sở Tư pháp (82,28 điểm)".
func standing(l i18n.Lang, s Standing) string {
	return l.T("reportdoc.prose.points", s.Name, present.Score(l, s.Total))
}

// move is "Huyện Ba Bể (tăng 1,78 điểm, giảm 1 bậc)".
func move(l i18n.Lang, s Standing) string {
	var rank string
	if s.RankChange != nil {
		switch d := *s.RankChange; {
		case d > 0:
			rank = l.TN(d, "reportdoc.prose.move.up", d)
		case d < 0:
			rank = l.TN(-d, "reportdoc.prose.move.down", -d)
		}
	}
	return l.T("reportdoc.prose.move", s.Name, signed(l, *s.TotalChange), rank)
}

func standingsPara(l i18n.Lang, f Facts) Paragraph {
	p := Paragraph{Heading: l.T("reportdoc.prose.h.standings")}
	for _, ls := range f.Standings {
		if len(ls.Best) > 0 {
			var worst string
			if len(ls.Worst) > 0 {
				worst = l.T("reportdoc.prose.best.worst", join(l, mapStr(l, ls.Worst, standing)))
			}
			p.Sentences = append(p.Sentences, l.T("reportdoc.prose.best", kindBlock(l, ls.Kind), join(l, mapStr(l, ls.Best, standing)), worst))
		}
		var mv []string
		if len(ls.Up) > 0 {
			mv = append(mv, l.T("reportdoc.prose.moves.up", join(l, mapStr(l, ls.Up, move))))
		}
		if len(ls.Down) > 0 {
			mv = append(mv, l.T("reportdoc.prose.moves.down", join(l, mapStr(l, ls.Down, move))))
		}
		if len(mv) > 0 {
			p.Sentences = append(p.Sentences, l.T("reportdoc.prose.moves", periodInSentence(l, f.Prev), kindBlock(l, ls.Kind), strings.Join(mv, "; ")))
		}
	}
	return p
}

func mapStr(l i18n.Lang, ss []Standing, fn func(i18n.Lang, Standing) string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fn(l, s)
	}
	return out
}

func recommendations(l i18n.Lang, f Facts) Paragraph {
	p := Paragraph{Heading: l.T("reportdoc.prose.h.recommendations"), List: true}
	for _, r := range f.Recommendations {
		var group, tail, s string
		if r.Group != "" {
			group = l.T("reportdoc.prose.rec.group", r.Group)
		}
		if r.ProvinceLevel {
			if len(r.Responsible) > 0 {
				tail = l.T("reportdoc.prose.rec.responsible", join(l, names(r.Responsible)))
			}
			s = l.T("reportdoc.prose.rec.province", r.Name, group, present.Score(l, r.PerUnit), tail)
		} else {
			if len(r.Worst) > 0 {
				var w []string
				for _, u := range r.Worst {
					w = append(w, l.T("reportdoc.prose.points", u.Name, present.Score(l, u.Lost)))
				}
				tail = l.T("reportdoc.prose.rec.worst", join(l, w))
			}
			s = l.T("reportdoc.prose.rec.units", r.Name, group, r.Units, r.Of, present.Score(l, r.Lost), tail)
		}
		p.Sentences = append(p.Sentences, s+" "+r.Advice)
	}
	return p
}
