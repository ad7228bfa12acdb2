package report_test

import (
	"errors"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"scorecard/i18n"
	"scorecard/present"
	"scorecard/report"
	"scorecard/scoring"
)

// The facts of the seed article that the demo pins for 04/2024
// (data/demo/demo_test.go); everything else is compared with the engine.
var (
	storyOnTimeAll = []string{
		"Sở Giáo dục và Đào tạo", "Sở Văn hóa, Thể thao và Du lịch", "Sở Tài chính", "Sở Xây dựng",
		"Sở Khoa học và Công nghệ", "Sở Lao động - Thương binh và Xã hội", "Thanh tra tỉnh",
	}
	storyNoOnline = []string{"Ban Quản lý các Khu công nghiệp", "Ban Dân tộc"}
)

func april(t *testing.T, opt report.Options) (*scoring.Engine, *report.Facts, []report.Paragraph) {
	t.Helper()
	e := demoEngine(t)
	f, err := report.FromEngine(e, scoring.MustPeriod("2024-04"), opt)
	if err != nil {
		t.Fatal(err)
	}
	return e, f, report.Narrative(*f)
}

// sentenceWith returns the one sentence of the narrative that contains every
// part, failing the test when none (or several) do.
func sentenceWith(t *testing.T, paras []report.Paragraph, parts ...string) string {
	t.Helper()
	var found []string
	for _, p := range paras {
		for _, s := range p.Sentences {
			ok := true
			for _, part := range parts {
				if !strings.Contains(s, part) {
					ok = false
					break
				}
			}
			if ok {
				found = append(found, s)
			}
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d sentences contain all of %q, want 1:\n%s", len(found), parts, strings.Join(found, "\n"))
	}
	return found[0]
}

func unitNames(kus []report.KindUnits, k scoring.UnitKind) []string {
	for _, ku := range kus {
		if ku.Kind == k {
			var out []string
			for _, u := range ku.Units {
				out = append(out, u.Name)
			}
			sort.Strings(out)
			return out
		}
	}
	return nil
}

func sortedCopy(s []string) []string {
	out := slices.Clone(s)
	sort.Strings(out)
	return out
}

func TestAprilFacts(t *testing.T) {
	e, f, paras := april(t, report.Options{})
	if !f.HasData || f.Province.Code != "BK" || f.Place != "Bắc Kạn" {
		t.Fatalf("province %+v place %q data %v", f.Province, f.Place, f.HasData)
	}

	// Total, band and change against the engine's March.
	if f.Total != 7535 || f.MaxTotal != 10000 || f.Band == nil || f.Band.Name != "Khá" {
		t.Errorf("total %s/%s band %+v, want 75.35/100 Khá", f.Total, f.MaxTotal, f.Band)
	}
	march := e.Score(scoring.MustPeriod("2024-03")).Unit("BK")
	if f.PrevTotal == nil || *f.PrevTotal != march.Total || f.Change == nil || *f.Change != f.Total-march.Total {
		t.Errorf("change %v from %v, want from the engine's March %s", f.Change, f.PrevTotal, march.Total)
	}
	s := sentenceWith(t, paras, "75,35/100 điểm")
	for _, want := range []string{"Tháng 04/2024", "tỉnh Bắc Kạn", "xếp loại Khá", "tháng 03/2024", present.Score(i18n.VI, march.Total)} {
		if !strings.Contains(s, want) {
			t.Errorf("total sentence %q lacks %q", s, want)
		}
	}

	// Publication ratios.
	if len(f.Publication) != 2 || f.Publication[0].Ratio != 6667 || f.Publication[1].Ratio != 7468 {
		t.Fatalf("publication %+v, want 66.67 and 74.68", f.Publication)
	}
	for _, p := range f.Publication {
		if p.Late != p.Counts.Den-p.Counts.Num || p.Late <= 0 {
			t.Errorf("%s: late %d of %+v", p.Code, p.Late, p.Counts)
		}
	}
	sentenceWith(t, paras, "66,67%", "74,68%", "công bố đúng hạn", "cập nhật, công khai đúng hạn")

	// Seven agencies at 100% on time, named in one sentence.
	if got, want := unitNames(f.OnTimeFull, scoring.KindAgency), sortedCopy(storyOnTimeAll); !slices.Equal(got, want) {
		t.Errorf("agencies at 100%%: %q, want %q", got, want)
	}
	sentenceWith(t, paras, append([]string{"đạt 100% tại 7 Sở, ban, ngành: "}, storyOnTimeAll...)...)

	// Two agencies with dossiers but none online, named.
	if got, want := unitNames(f.NoOnline, scoring.KindAgency), sortedCopy(storyNoOnline); !slices.Equal(got, want) {
		t.Errorf("agencies without online dossiers: %q, want %q", got, want)
	}
	sentenceWith(t, paras, append([]string{"2 Sở, ban, ngành", "trực tuyến"}, storyNoOnline...)...)

	// Satisfaction 18/18 with its petition and dossier ratios.
	sat := f.Satisfaction
	if sat == nil || sat.Group.Score != 1800 || sat.Group.Max != 1800 {
		t.Fatalf("satisfaction %+v, want 18/18", sat)
	}
	ratios := map[string]scoring.Cents{}
	for _, m := range sat.Metrics {
		ratios[m.Code] = m.Ratio
	}
	if ratios["PETITION_HANDLING_SATISFACTION"] != 10000 || ratios["DOSSIER_RECEIVING_SATISFACTION"] != 9345 {
		t.Errorf("satisfaction ratios %v, want petitions 100 and dossiers 93.45", ratios)
	}
	for _, kc := range sat.FullAt {
		if (kc.Kind == scoring.KindAgency || kc.Kind == scoring.KindDistrict) && kc.N != kc.Of {
			t.Errorf("%s at the maximum: %d of %d, want all", kc.Kind, kc.N, kc.Of)
		}
	}
	sentenceWith(t, paras, "mức độ hài lòng đạt 18,00/18 điểm", "hài lòng trong xử lý PAKN đạt 100,00%", "93,45%")
	sentenceWith(t, paras, "18/18 Sở, ban, ngành", "8/8 đơn vị cấp huyện", "điểm tối đa")

	// Classification counts per level.
	ag, di := f.Level(scoring.KindAgency), f.Level(scoring.KindDistrict)
	if ag == nil || ag.Count("Xuất sắc") != 12 || ag.Count("Tốt") != 6 || ag.Ranked != 18 {
		t.Errorf("agency bands %+v, want 12 Xuất sắc + 6 Tốt", ag)
	}
	if di == nil || di.Count("Tốt") != 7 || di.Count("Trung bình") != 1 || di.Ranked != 8 {
		t.Errorf("district bands %+v, want 7 Tốt + 1 Trung bình", di)
	}
	sentenceWith(t, paras, "18 Sở, ban, ngành", "12 đơn vị xếp loại Xuất sắc", "6 đơn vị xếp loại Tốt")
	sentenceWith(t, paras, "8 đơn vị cấp huyện", "7 đơn vị xếp loại Tốt", "1 đơn vị xếp loại Trung bình")
	if co := f.Level(scoring.KindCommune); co == nil || co.Ranked+co.Unranked != co.Units || co.Units < 40 {
		t.Errorf("commune bands %+v", co)
	}
}

// Best, worst and movers agree with the engine's ranking.
func TestStandings(t *testing.T) {
	e, f, paras := april(t, report.Options{Top: 2})
	cur, prev := e.Score(f.Period), e.Score(f.Prev)
	for _, ls := range f.Standings {
		rk := cur.Ranking(ls.Kind, "BK", prev)
		if len(ls.Best) != 2 || ls.Best[0].Code != rk[0].Unit.Code || ls.Best[1].Code != rk[1].Unit.Code {
			t.Errorf("%s best %+v, want the first two of the ranking", ls.Kind, ls.Best)
		}
		last := rk[len(rk)-1]
		if len(ls.Worst) == 0 || ls.Worst[0].Code != last.Unit.Code {
			t.Errorf("%s worst %+v, want %s first", ls.Kind, ls.Worst, last.Unit.Code)
		}
		for _, w := range ls.Worst {
			for _, b := range ls.Best {
				if w.Code == b.Code {
					t.Errorf("%s: %s named best and worst", ls.Kind, w.Code)
				}
			}
		}
		var maxUp scoring.Cents
		for _, r := range rk {
			if r.TotalChange != nil && *r.TotalChange > maxUp {
				maxUp = *r.TotalChange
			}
		}
		if maxUp > 0 && (len(ls.Up) == 0 || *ls.Up[0].TotalChange != maxUp) {
			t.Errorf("%s biggest rise %+v, want %s", ls.Kind, ls.Up, maxUp)
		}
		for i := 1; i < len(ls.Down); i++ {
			if *ls.Down[i].TotalChange < *ls.Down[i-1].TotalChange {
				t.Errorf("%s falls out of order", ls.Kind)
			}
		}
		sentenceWith(t, paras, "dẫn đầu là "+ls.Best[0].Name+" ("+present.Score(i18n.VI, ls.Best[0].Total)+" điểm)")
	}
}

// Recommendations are the metrics with the most points lost, summed over the
// province's units with data, biggest first.
func TestRecommendations(t *testing.T) {
	e, f, paras := april(t, report.Options{Recommendations: 4})
	cur := e.Score(f.Period)
	lost := map[string]scoring.Cents{}
	for _, u := range e.Units() {
		if u.Kind == scoring.KindProvince {
			continue
		}
		us := cur.Unit(u.Code)
		if !us.HasData {
			continue
		}
		for _, g := range us.Groups {
			for _, m := range g.Metrics {
				if m.Scored {
					lost[m.Metric.Code] += m.Lost()
				}
			}
		}
	}
	var want []string
	for c, l := range lost {
		if l > 0 {
			want = append(want, c)
		}
	}
	sort.Slice(want, func(i, j int) bool { return lost[want[i]] > lost[want[j]] })
	if len(f.Recommendations) != 4 {
		t.Fatalf("%d recommendations, want 4", len(f.Recommendations))
	}
	for i, r := range f.Recommendations {
		if r.Lost != lost[r.Metric] {
			t.Errorf("%s lost %s, want %s", r.Metric, r.Lost, lost[r.Metric])
		}
		if lost[r.Metric] != lost[want[i]] {
			t.Errorf("recommendation %d is %s (%s), want one losing %s", i, r.Metric, r.Lost, lost[want[i]])
		}
		if r.Advice == "" || !strings.HasPrefix(r.Advice, "Đề nghị") {
			t.Errorf("%s: advice %q", r.Metric, r.Advice)
		}
		sentenceWith(t, paras, "“"+r.Name+"”", r.Advice)
	}
	var para *report.Paragraph
	for i := range paras {
		if paras[i].Heading == "Kiến nghị" {
			para = &paras[i]
		}
	}
	if para == nil || !para.List || len(para.Sentences) != 4 {
		t.Errorf("recommendations paragraph %+v", para)
	}
}

// The national rank comes from imported official results, and the hook for
// the agency responsible for late publications names it.
func TestOfficialRankAndResponsible(t *testing.T) {
	off := []report.OfficialResult{
		{Period: scoring.MustPeriod("2024-04"), UnitCode: "BK", Total: 7535, Rank: 30, RankOf: 63},
		{Period: scoring.MustPeriod("2024-03"), UnitCode: "BK", Total: 7417, Rank: 32, RankOf: 63},
		{Period: scoring.MustPeriod("2024-04"), UnitCode: "XX", Total: 9000, Rank: 1, RankOf: 63},
	}
	resp := map[string][]string{"PUBLISH_ON_TIME": {"BK.SNV", "NO.SUCH.UNIT"}}
	_, f, paras := april(t, report.Options{Official: off, Responsible: resp})
	if f.National == nil || f.National.Rank != 30 || f.National.RankOf != 63 || f.National.PrevRank != 32 {
		t.Fatalf("national %+v", f.National)
	}
	s := sentenceWith(t, paras, "Cổng Dịch vụ công quốc gia", "xếp thứ 30/63 tỉnh, thành phố")
	if !strings.Contains(s, "tăng 2 bậc") || strings.Contains(s, "với 75,35 điểm") {
		t.Errorf("national sentence %q: want the rise of 2 places and no repeated total", s)
	}
	pub := f.Publication[0]
	if len(pub.Responsible) != 1 || pub.Responsible[0].Name != "Sở Nội vụ" {
		t.Errorf("responsible %+v, want Sở Nội vụ only (unknown codes dropped)", pub.Responsible)
	}
	sentenceWith(t, paras, "66,67%", "thuộc trách nhiệm của Sở Nội vụ")

	// Without official results there is no national sentence.
	_, _, plain := april(t, report.Options{})
	for _, p := range plain {
		for _, s := range p.Sentences {
			if strings.Contains(s, "xếp thứ") {
				t.Errorf("national sentence without official results: %q", s)
			}
		}
	}
}

// Longer periods are reported from the engine's own quarter and year scores,
// and say when they are provisional.
func TestLongerPeriods(t *testing.T) {
	e := demoEngine(t)
	for _, ps := range []string{"2024-Q2", "2023-H2", "2023"} {
		p := scoring.MustPeriod(ps)
		f, err := report.FromEngine(e, p, report.Options{})
		if err != nil {
			t.Fatal(err)
		}
		us := e.Score(p).Unit("BK")
		if f.Total != us.Total || f.Provisional != us.Provisional {
			t.Errorf("%s: total %s provisional %v, want %s %v", ps, f.Total, f.Provisional, us.Total, us.Provisional)
		}
		paras := report.Narrative(*f)
		s := sentenceWith(t, paras, present.Period(i18n.VI, p)+", tỉnh Bắc Kạn đạt "+present.Score(i18n.VI, us.Total)+"/100 điểm")
		if us.Provisional != strings.Contains(s, "tạm tính") {
			t.Errorf("%s: %q, provisional %v", ps, s, us.Provisional)
		}
	}
}

func TestNoDataAndErrors(t *testing.T) {
	e := demoEngine(t)
	f, err := report.FromEngine(e, scoring.MustPeriod("2022-01"), report.Options{Province: "BK"})
	if err != nil {
		t.Fatal(err)
	}
	paras := report.Narrative(*f)
	if f.HasData || len(paras) != 1 || !strings.Contains(paras[0].Text(), "chưa có số liệu") {
		t.Errorf("no-data report: %v %+v", f.HasData, paras)
	}
	for _, code := range []string{"NOPE", "BK.SNV"} {
		if _, err := report.FromEngine(e, scoring.MustPeriod("2024-04"), report.Options{Province: code}); !errors.Is(err, report.ErrUnknownProvince) {
			t.Errorf("province %q: %v, want ErrUnknownProvince", code, err)
		}
	}
	schemes := e.Schemes()
	two := scoring.NewEngine(schemes, &scoring.Dataset{Units: []scoring.Unit{
		{Code: "A", Name: "Tỉnh A", Kind: scoring.KindProvince}, {Code: "B", Name: "Tỉnh B", Kind: scoring.KindProvince}}})
	if _, err := report.FromEngine(two, scoring.MustPeriod("2024-04"), report.Options{}); !errors.Is(err, report.ErrSeveralProvinces) {
		t.Errorf("two provinces: %v", err)
	}
	// A province merged into another before the period is not one of its
	// provinces: the report is the other's without asking.
	merged := scoring.NewEngine(schemes, &scoring.Dataset{Units: []scoring.Unit{
		{Code: "A", Name: "Tỉnh A", Kind: scoring.KindProvince, ValidTo: time.Date(2025, 7, 1, 0, 0, 0, 0, scoring.Location)},
		{Code: "B", Name: "Tỉnh B", Kind: scoring.KindProvince}}})
	for period, want := range map[string]string{"2025-06": "", "2025-07": "B"} {
		f, err := report.FromEngine(merged, scoring.MustPeriod(period), report.Options{})
		switch {
		case want == "" && !errors.Is(err, report.ErrSeveralProvinces):
			t.Errorf("%s, two provinces: %v", period, err)
		case want != "" && (err != nil || f.Province.Code != want):
			t.Errorf("%s, after the merger: %v, %v; want %s", period, f, err, want)
		}
	}
	if _, err := report.FromEngine(scoring.NewEngine(schemes, nil), scoring.MustPeriod("2024-04"), report.Options{}); !errors.Is(err, report.ErrNoProvince) {
		t.Errorf("no province: %v", err)
	}
	if _, err := report.Build(nil, nil, nil, report.Options{}); err == nil {
		t.Error("Build without scores succeeded")
	}
}

// The first month of the data has nothing to compare with: no change, no
// movers, and the narrative says nothing about a previous period.
func TestFirstMonth(t *testing.T) {
	e := demoEngine(t)
	f, err := report.FromEngine(e, scoring.MustPeriod("2023-05"), report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !f.HasData || f.Change != nil || f.PrevTotal != nil {
		t.Fatalf("first month: data %v change %v", f.HasData, f.Change)
	}
	for _, ls := range f.Standings {
		if len(ls.Up)+len(ls.Down) > 0 {
			t.Errorf("%s: movers without a previous period", ls.Kind)
		}
	}
	for _, p := range report.Narrative(*f) {
		for _, s := range p.Sentences {
			if strings.Contains(s, "tháng 04/2023") || strings.Contains(s, "So với") {
				t.Errorf("sentence compares with a period without data: %q", s)
			}
		}
	}
}

// Where the office imported an agency's own publication counts, the agency
// with late publications is named without any option; agencies that
// published everything on time are not.
func TestResponsibleFromOwnRows(t *testing.T) {
	e := demoEngineWith(t, map[scoring.Key]scoring.Counts{
		{Period: "2024-04", Unit: "BK.STP", Metric: "PUBLISH_ON_TIME"}: scoring.C(0, 1),
		{Period: "2024-04", Unit: "BK.SNV", Metric: "PUBLISH_ON_TIME"}: scoring.C(2, 2),
	})
	f, err := report.FromEngine(e, scoring.MustPeriod("2024-04"), report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pub := f.Publication[0]
	if len(pub.Responsible) != 1 || pub.Responsible[0].Name != "Sở Tư pháp" {
		t.Fatalf("responsible %+v, want Sở Tư pháp only", pub.Responsible)
	}
	sentenceWith(t, report.Narrative(*f), "66,67%", "thuộc trách nhiệm của Sở Tư pháp")
	// The demo alone has only the province's row: nobody is named.
	if _, plain, _ := april(t, report.Options{}); len(plain.Publication[0].Responsible) != 0 {
		t.Errorf("named %+v without any unit's own row", plain.Publication[0].Responsible)
	}
}

// Every group of the scheme has its section, opened by the group's score
// at the province; online payment and digitisation, which have no
// sentences of their own elsewhere, give each scored metric's ratio and the
// units that lost most points on the group, taken from the engine.
func TestSectionPerGroup(t *testing.T) {
	e, f, paras := april(t, report.Options{})
	heads := map[string]report.Paragraph{}
	for _, p := range paras {
		heads[p.Heading] = p
	}
	us := e.Score(scoring.MustPeriod("2024-04")).Unit("BK")
	want := map[string]string{"CKMB": "Công khai, minh bạch", "TDGQ": "Tiến độ giải quyết hồ sơ", "DVCTT": "Dịch vụ công trực tuyến",
		"TTTT": "Thanh toán trực tuyến", "MDSH": "Số hóa hồ sơ", "MDHL": "Mức độ hài lòng"}
	if len(us.Groups) != len(want) {
		t.Fatalf("the scheme has %d groups, the test knows %d", len(us.Groups), len(want))
	}
	for _, g := range us.Groups {
		p, ok := heads[want[g.Group.Code]]
		if !ok {
			t.Errorf("no section for the group %s (%s)", g.Group.Code, want[g.Group.Code])
			continue
		}
		score := present.Score(i18n.VI, g.Score) + "/" + present.Max(i18n.VI, g.Max) + " điểm"
		if !strings.Contains(p.Text(), score) {
			t.Errorf("the section %q does not give the group's %s: %q", p.Heading, score, p.Text())
		}
	}
	for _, d := range []*report.GroupDetail{f.Payment, f.Digitisation} {
		if d == nil {
			t.Fatal("no payment or digitisation detail")
		}
		p := heads[want[d.Group.Code]]
		for _, m := range d.Metrics {
			if m.HasRatio && !strings.Contains(p.Text(), present.Percent(i18n.VI, m.Ratio)) {
				t.Errorf("%s: %s's ratio %s missing from %q", d.Group.Code, m.Code, present.Percent(i18n.VI, m.Ratio), p.Text())
			}
		}
		if len(d.Worst) == 0 {
			t.Fatalf("%s: no unit lost points in the demo's April", d.Group.Code)
		}
		// The worst unit is the one the engine says lost most on the group.
		var most scoring.Cents
		scoresApril := e.Score(scoring.MustPeriod("2024-04")) // once: it scores every unit
		for _, k := range []scoring.UnitKind{scoring.KindAgency, scoring.KindDistrict, scoring.KindCommune} {
			for _, u := range e.Units() {
				if u.Kind != k {
					continue
				}
				s := scoresApril.Unit(u.Code)
				if s == nil || !s.HasData || !s.Exists || e.ProvinceOf(u.Code) != "BK" {
					continue
				}
				if g := s.Group(d.Group.Code); g != nil && g.Max-g.Score > most {
					most = g.Max - g.Score
				}
			}
		}
		if d.Worst[0].Lost != most || !strings.Contains(p.Text(), d.Worst[0].Name+" ("+present.Score(i18n.VI, most)+" điểm)") {
			t.Errorf("%s: worst %+v, the engine's largest loss %s; text %q", d.Group.Code, d.Worst[0], most, p.Text())
		}
	}
}
