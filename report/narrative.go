package report

import (
	"strconv"
	"strings"

	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scoring"
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
// Every figure comes from f; nothing is computed here but wording.
func Narrative(f Facts) []Paragraph {
	prov := provinceInSentence(f.Province.Name)
	if !f.HasData {
		return []Paragraph{{Heading: "Kết quả chung", Sentences: []string{
			present.Period(i18n.VI, f.Period) + ", chưa có số liệu để đánh giá chỉ số phục vụ của " + prov + ".",
		}}}
	}
	var out []Paragraph
	add := func(p Paragraph) {
		if len(p.Sentences) > 0 {
			out = append(out, p)
		}
	}
	add(overall(f, prov))
	add(publication(f))
	add(processing(f))
	add(online(f))
	add(detail(f, f.Payment, "Thanh toán trực tuyến"))
	add(detail(f, f.Digitisation, "Số hóa hồ sơ"))
	add(satisfaction(f))
	add(classification(f))
	add(standingsPara(f))
	add(recommendations(f))
	return out
}

func overall(f Facts, prov string) Paragraph {
	p := Paragraph{Heading: "Kết quả chung"}
	s := present.Period(i18n.VI, f.Period) + ", " + prov + " đạt " + present.Score(i18n.VI, f.Total) + "/" + present.Max(i18n.VI, f.MaxTotal) + " điểm"
	if f.Band != nil {
		s += ", xếp loại " + f.Band.Name
	}
	if f.Change != nil && f.PrevTotal != nil {
		s += ", " + signedVI(*f.Change) + " so với " + periodInSentence(f.Prev) + " (" + present.Score(i18n.VI, *f.PrevTotal) + " điểm"
		if f.PrevBand != nil && (f.Band == nil || f.PrevBand.Code != f.Band.Code) {
			s += ", xếp loại " + f.PrevBand.Name
		}
		s += ")"
	}
	if f.Provisional {
		s += "; số liệu tạm tính, mới có " + strconv.Itoa(f.MonthsCovered) + "/" + strconv.Itoa(f.MonthsOf) + " tháng"
	}
	p.Sentences = append(p.Sentences, s+".")
	if n := f.National; n != nil {
		s := "Theo kết quả công bố trên Cổng Dịch vụ công quốc gia, " + prov + " xếp thứ " + strconv.Itoa(n.Rank)
		if n.RankOf > 0 {
			s += "/" + strconv.Itoa(n.RankOf)
		}
		s += " tỉnh, thành phố"
		if n.Total != f.Total {
			s += " với " + present.Score(i18n.VI, n.Total) + " điểm"
		}
		if n.PrevRank > 0 {
			switch d := n.PrevRank - n.Rank; {
			case d > 0:
				s += ", tăng " + strconv.Itoa(d) + " bậc so với " + periodInSentence(f.Prev)
			case d < 0:
				s += ", giảm " + strconv.Itoa(-d) + " bậc so với " + periodInSentence(f.Prev)
			default:
				s += ", giữ nguyên thứ hạng so với " + periodInSentence(f.Prev)
			}
		}
		p.Sentences = append(p.Sentences, s+".")
	}
	if len(f.Groups) > 0 {
		var parts []string
		for _, g := range f.Groups {
			parts = append(parts, "nhóm "+lowerFirst(g.Name)+" đạt "+present.Score(i18n.VI, g.Score)+"/"+present.Max(i18n.VI, g.Max)+" điểm")
		}
		p.Sentences = append(p.Sentences, "Theo từng nhóm chỉ số: "+strings.Join(parts, "; ")+".")
	}
	return p
}

// countsVI writes "2/3" or "1.234/1.250" for a metric's counts.
func countsVI(c scoring.Counts) string {
	return present.Int(i18n.VI, c.Num) + "/" + present.Int(i18n.VI, c.Den)
}

// ratioClause is "tỷ lệ … đạt 66,67% (2/3 TTHC)" or "tỷ lệ … không có số
// liệu trong kỳ"; noun "" leaves the counts out.
func ratioClause(m MetricFact, noun string) string {
	name := lowerFirst(m.Name)
	if !m.HasRatio {
		return name + " không có số liệu trong kỳ"
	}
	s := name + " đạt " + present.Percent(i18n.VI, m.Ratio)
	if noun != "" {
		s += " (" + countsVI(m.Counts) + " " + noun + ")"
	}
	return s
}

// groupSentence is "Nhóm chỉ số đạt 7,50/10 điểm, tăng 0,50 điểm so với
// tháng 03/2024.": every group's section opens with it, so that each of the
// scheme's groups has its section even without a metric to speak of.
func groupSentence(f Facts, code string) string {
	for _, g := range f.Groups {
		if g.Code != code {
			continue
		}
		s := "Nhóm chỉ số đạt " + present.Score(i18n.VI, g.Score) + "/" + present.Max(i18n.VI, g.Max) + " điểm"
		if g.Change != nil {
			s += ", " + signedVI(*g.Change) + " so với " + periodInSentence(f.Prev)
		}
		return s + "."
	}
	return ""
}

// opened is a paragraph opened by its group's sentence.
func opened(f Facts, heading, code string) Paragraph {
	p := Paragraph{Heading: heading}
	if s := groupSentence(f, code); s != "" {
		p.Sentences = append(p.Sentences, s)
	}
	return p
}

// detail is the section of a group without sentences of its own (online
// payment, digitisation): its score, each scored metric's ratio at the
// province, and the units that lost most points on it.
func detail(f Facts, d *GroupDetail, heading string) Paragraph {
	if d == nil {
		return Paragraph{Heading: heading}
	}
	p := opened(f, heading, d.Group.Code)
	var parts []string
	for _, m := range d.Metrics {
		parts = append(parts, ratioClause(m, ""))
	}
	if len(parts) > 0 {
		p.Sentences = append(p.Sentences, "Toàn tỉnh, "+strings.Join(parts, "; ")+".")
	}
	if len(d.Worst) > 0 {
		var w []string
		for _, l := range d.Worst {
			w = append(w, l.Name+" ("+present.Score(i18n.VI, l.Lost)+" điểm)")
		}
		p.Sentences = append(p.Sentences, "Bị trừ nhiều điểm nhất ở nhóm này là "+JoinVI(w)+".")
	} else if d.Of > 0 {
		p.Sentences = append(p.Sentences, "Tất cả "+strconv.Itoa(d.Of)+" đơn vị có số liệu đạt điểm tối đa của nhóm chỉ số này.")
	}
	return p
}

func publication(f Facts) Paragraph {
	p := opened(f, "Công khai, minh bạch", GroupPublicity)
	var parts []string
	for _, pub := range f.Publication {
		s := ratioClause(pub.MetricFact, "TTHC")
		if pub.HasRatio && pub.Late > 0 {
			s += ", còn " + present.Int(i18n.VI, pub.Late) + " TTHC chưa đúng hạn"
			if len(pub.Responsible) > 0 {
				s += " thuộc trách nhiệm của " + JoinVI(names(pub.Responsible))
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
func namedList(ku KindUnits) string {
	n := names(ku.Units)
	if len(n) > maxNamed {
		rest := len(n) - maxNamed
		n = append(n[:maxNamed:maxNamed], strconv.Itoa(rest)+" đơn vị khác")
	}
	return strconv.Itoa(len(ku.Units)) + " " + kindNoun(ku.Kind) + ": " + JoinVI(n)
}

// levelsWith lists, per level, the units sharing a fact; levels with none
// are left out.
func levelsWith(kus []KindUnits) []string {
	var out []string
	for _, ku := range kus {
		if len(ku.Units) > 0 {
			out = append(out, namedList(ku))
		}
	}
	return out
}

func processing(f Facts) Paragraph {
	p := opened(f, "Tiến độ giải quyết hồ sơ", GroupProcessing)
	if f.OnTime == nil {
		return p
	}
	p.Sentences = append(p.Sentences, "Toàn tỉnh, "+ratioClause(*f.OnTime, "hồ sơ")+".")
	name := f.OnTime.Name
	if lv := levelsWith(f.OnTimeFull); len(lv) > 0 {
		p.Sentences = append(p.Sentences, name+" đạt 100% tại "+strings.Join(lv, "; ")+".")
	} else if len(f.OnTimeFull) > 0 {
		p.Sentences = append(p.Sentences, "Chưa có đơn vị nào có "+lowerFirst(f.OnTime.Name)+" đạt 100%.")
	}
	return p
}

func online(f Facts) Paragraph {
	p := opened(f, "Dịch vụ công trực tuyến", GroupOnline)
	if f.Online == nil {
		return p
	}
	p.Sentences = append(p.Sentences, "Toàn tỉnh, "+ratioClause(*f.Online, "hồ sơ")+".")
	if lv := levelsWith(f.NoOnline); len(lv) > 0 {
		p.Sentences = append(p.Sentences, "Chưa phát sinh hồ sơ nộp trực tuyến tại "+strings.Join(lv, "; ")+".")
	}
	return p
}

func satisfaction(f Facts) Paragraph {
	p := Paragraph{Heading: "Mức độ hài lòng"}
	s := f.Satisfaction
	if s == nil {
		return p
	}
	head := "Nhóm chỉ số về " + lowerFirst(s.Group.Name) + " đạt " + present.Score(i18n.VI, s.Group.Score) + "/" + present.Max(i18n.VI, s.Group.Max) + " điểm"
	var parts []string
	for _, m := range s.Metrics {
		parts = append(parts, ratioClause(m, ""))
	}
	if len(parts) > 0 {
		head += "; " + JoinVI(parts)
	}
	p.Sentences = append(p.Sentences, head+".")
	var full []string
	for _, kc := range s.FullAt {
		if kc.N > 0 {
			full = append(full, strconv.Itoa(kc.N)+"/"+strconv.Itoa(kc.Of)+" "+kindNoun(kc.Kind))
		}
	}
	if len(full) > 0 {
		p.Sentences = append(p.Sentences, upperFirst(JoinVI(full))+" đạt điểm tối đa của nhóm chỉ số này.")
	}
	return p
}

func classification(f Facts) Paragraph {
	p := Paragraph{Heading: "Xếp loại"}
	for _, lb := range f.Bands {
		var parts []string
		for _, b := range lb.Bands {
			if b.N > 0 {
				parts = append(parts, strconv.Itoa(b.N)+" đơn vị xếp loại "+b.Name)
			}
		}
		if lb.Unranked > 0 {
			parts = append(parts, strconv.Itoa(lb.Unranked)+" đơn vị chưa có dữ liệu")
		}
		if len(parts) == 0 {
			continue
		}
		p.Sentences = append(p.Sentences, "Trong "+strconv.Itoa(lb.Units)+" "+kindNoun(lb.Kind)+" có "+JoinVI(parts)+".")
	}
	return p
}

func standingVI(s Standing) string {
	return s.Name + " (" + present.Score(i18n.VI, s.Total) + " điểm)"
}

func moveVI(s Standing) string {
	out := s.Name + " (" + signedVI(*s.TotalChange)
	if s.RankChange != nil {
		switch d := *s.RankChange; {
		case d > 0:
			out += ", tăng " + strconv.Itoa(d) + " bậc"
		case d < 0:
			out += ", giảm " + strconv.Itoa(-d) + " bậc"
		}
	}
	return out + ")"
}

func standingsPara(f Facts) Paragraph {
	p := Paragraph{Heading: "Đơn vị dẫn đầu, đơn vị thấp nhất và biến động"}
	for _, ls := range f.Standings {
		if len(ls.Best) > 0 {
			s := "Ở " + kindBlock(ls.Kind) + ", dẫn đầu là " + JoinVI(mapStr(ls.Best, standingVI))
			if len(ls.Worst) > 0 {
				s += "; thấp nhất là " + JoinVI(mapStr(ls.Worst, standingVI))
			}
			p.Sentences = append(p.Sentences, s+".")
		}
		var mv []string
		if len(ls.Up) > 0 {
			mv = append(mv, "tăng điểm nhiều nhất là "+JoinVI(mapStr(ls.Up, moveVI)))
		}
		if len(ls.Down) > 0 {
			mv = append(mv, "giảm điểm nhiều nhất là "+JoinVI(mapStr(ls.Down, moveVI)))
		}
		if len(mv) > 0 {
			p.Sentences = append(p.Sentences, "So với "+periodInSentence(f.Prev)+", ở "+kindBlock(ls.Kind)+", "+strings.Join(mv, "; ")+".")
		}
	}
	return p
}

func mapStr(ss []Standing, fn func(Standing) string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fn(s)
	}
	return out
}

func recommendations(f Facts) Paragraph {
	p := Paragraph{Heading: "Kiến nghị", List: true}
	for _, r := range f.Recommendations {
		s := "Chỉ số “" + r.Name + "”"
		if r.Group != "" {
			s += " (nhóm " + r.Group + ")"
		}
		if r.ProvinceLevel {
			s += " được đánh giá chung cho toàn tỉnh, khiến mỗi đơn vị bị trừ " + present.Score(i18n.VI, r.PerUnit) + " điểm"
			if len(r.Responsible) > 0 {
				s += "; trách nhiệm thuộc " + JoinVI(names(r.Responsible))
			}
		} else {
			s += " khiến " + strconv.Itoa(r.Units) + "/" + strconv.Itoa(r.Of) + " đơn vị bị trừ điểm, tổng cộng " + present.Score(i18n.VI, r.Lost) + " điểm"
			if len(r.Worst) > 0 {
				var w []string
				for _, l := range r.Worst {
					w = append(w, l.Name+" ("+present.Score(i18n.VI, l.Lost)+" điểm)")
				}
				s += "; bị trừ nhiều nhất là " + JoinVI(w)
			}
		}
		p.Sentences = append(p.Sentences, s+". "+r.Advice)
	}
	return p
}
