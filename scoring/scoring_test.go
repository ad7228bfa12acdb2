package scoring

import (
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

func loadDefault(t testing.TB) *Schemes {
	t.Helper()
	b, err := os.ReadFile("../data/schemes/qd766.json")
	if err != nil {
		t.Fatal(err)
	}
	s, err := ParseScheme(b, "qd766.json")
	if err != nil {
		t.Fatal(err)
	}
	all, err := NewSchemes(s)
	if err != nil {
		t.Fatal(err)
	}
	return all
}

func metric(t *testing.T, s *Scheme, code string) *Metric {
	t.Helper()
	m := s.Metric(code)
	if m == nil {
		t.Fatalf("no metric %s", code)
	}
	return m
}

func TestMetricPoints(t *testing.T) {
	s := loadDefault(t).Latest()
	cases := []struct {
		name   string
		metric string
		c      Counts
		want   Cents
		max    Cents
		scored bool
	}{
		{"linear 6×145/165 rounds down", "DOSSIER_SYNC", C(145, 165), 527, 600, true},
		{"linear 20×653/654", "ON_TIME_PROCESSING", C(653, 654), 1997, 2000, true},
		{"linear exact .xx5 rounds up where float64 would not", "PUBLIC_CONTENT_FULL", C(201, 400), 101, 200, true},
		{"linear 6×1/16 = 0.375 half-up", "DOSSIER_SYNC", C(1, 16), 38, 600, true},
		{"linear zero numerator", "SYNCED_WITH_DVCQG_PERSONAL_STORAGE", C(0, 654), 0, 400, true},
		{"linear full", "DOSSIER_SYNC", C(547, 547), 600, 600, true},
		{"3999/4000 earns 20.00", "ON_TIME_PROCESSING", C(3999, 4000), 2000, 2000, true},
		{"threshold reached", "REUSED_DIGITIZED_DATA", C(636, 654), 200, 200, true},
		{"threshold exactly at 80%", "REUSED_DIGITIZED_DATA", C(80, 100), 200, 200, true},
		{"threshold below: proportional", "REUSED_DIGITIZED_DATA", C(50, 100), 125, 200, true},
		{"threshold 90%: 80/100 → 6×0.8/0.9", "DOSSIER_RECEIVING_SATISFACTION", C(80, 100), 533, 600, true},
		{"threshold 50% online submission", "ONLINE_SUBMISSION", C(1, 4), 300, 600, true},
		{"no data zero (d=0)", "ON_TIME_PROCESSING", C(0, 0), 0, 2000, true},
		{"no data zero (no counts)", "ON_TIME_PROCESSING", Counts{}, 0, 2000, true},
		{"no data full (petitions 0/0)", "PETITION_PROCESSING_ON_TIME", C(0, 0), 600, 600, true},
		{"no data full (no counts)", "ELECTRONIC_CERTIFIED_COPY", Counts{}, 200, 200, true},
		{"info metric never scores", "PETITION_CLASSIFICATION_TTHC", C(3, 4), 0, 0, false},
		{"percent_first linear 6×87,25% → 5,24 (6×87,25÷100 is the double 5,2350000000000003)", "ONLINE_PAYMENT_DOSSIERS", C(349, 400), 524, 600, true},
		{"percent_first linear published 295/377 → 78,25% → 4,70", "ONLINE_PAYMENT_DOSSIERS", C(295, 377), 470, 600, true},
		{"percent_first threshold reached", "PAYMENT_FORMALITY_ENABLED", C(9, 10), 200, 200, true},
		{"percent_first threshold below", "PAYMENT_FORMALITY_USED", C(3, 5), 150, 200, true},
		{"percent_first no data", "ONLINE_PAYMENT_DOSSIERS", C(0, 0), 0, 600, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, max, scored, _ := metricPoints(metric(t, s, tc.metric), tc.c)
			if got != tc.want || max != tc.max || scored != tc.scored {
				t.Fatalf("points %s of %s (scored %v), want %s of %s (scored %v)", got, max, scored, tc.want, tc.max, tc.scored)
			}
		})
	}
}

// A published case (scoring.md §3): 295 of 377 fee-bearing dossiers paid
// online. The portal multiplies first, (6 × 78,25) ÷ 100 = 4,695000…028 →
// 4,70, and published the group as 0,41 + 0,88 + 4,70 = 5,99. Exact
// arithmetic and dividing first, (6 ÷ 100) × 78,25 = 4,694999…, both give 4,69:
// the three really differ, and the scheme decides which one a metric uses.
func TestPercentFirstMultipliesBeforeDividing(t *testing.T) {
	m := *loadDefault(t).Latest().Metric("ONLINE_PAYMENT_DOSSIERS")
	pf, _, _, _ := metricPoints(&m, C(295, 377))
	// Variables, not constants: Go folds constant expressions exactly.
	n, d := 295.0, 377.0
	mx, pct := float64(m.Max)/100, math.Floor(n/d*10000+0.5)/100
	divideFirst := roundHalfUp(new(big.Rat).SetFloat64(mx / 100 * pct))
	m.Rounding = RoundExact
	ex, _, _, _ := metricPoints(&m, C(295, 377))
	if pf != 470 || ex != 469 || divideFirst != 469 {
		t.Fatalf("percent_first %s, exact %s, divide-first %s; want 4.70, 4.69, 4.69", pf, ex, divideFirst)
	}

	// The rest of that unit's published payment group: the two threshold
	// metrics (80 %) computed the same way, 2 × min(1, pct ÷ 80).
	s := loadDefault(t).Latest()
	enabled, _, _, _ := metricPoints(metric(t, s, "PAYMENT_FORMALITY_ENABLED"), C(41, 250))
	used, _, _, _ := metricPoints(metric(t, s, "PAYMENT_FORMALITY_USED"), C(88, 250))
	if enabled != 41 || used != 88 || enabled+used+pf != 599 {
		t.Fatalf("payment group %s + %s + %s, want 0.41 + 0.88 + 4.70 = 5.99", enabled, used, pf)
	}
}

func TestNoDataNoneLeavesMetricOut(t *testing.T) {
	s := loadDefault(t).Latest()
	m := s.Metric("DOSSIER_SYNC")
	m2 := *m
	m2.NoData = NoDataNone
	pts, max, scored, nd := metricPoints(&m2, C(0, 0))
	if pts != 0 || max != 0 || scored || !nd {
		t.Fatalf("got %s/%s scored=%v nodata=%v", pts, max, scored, nd)
	}
}

// The worked example of scoring.md §3: Sở Văn hóa, Thể thao và Du lịch, Gia
// Lai, year 2026, province-level metrics supplied on the province's row.
func TestWorkedExample(t *testing.T) {
	schemes := loadDefault(t)
	own := map[Key]Counts{}
	put := func(unit, metric string, n, d int64) { own[Key{"2026", unit, metric}] = C(n, d) }
	put("H21.17", "ON_TIME_PROCESSING", 653, 654)
	put("H21", "PUBLISH_ON_TIME", 1, 47)
	put("H21", "PUBLIC_UPDATE_ON_TIME", 43, 47)
	put("H21", "PUBLIC_CONTENT_FULL", 47, 47)
	put("H21.17", "DOSSIER_SYNC", 547, 547)
	put("H21.17", "ORIGINAL_RESULT_AVAILABLE", 610, 654)
	put("H21.17", "SO_HOA_GIAY_TO_GIAI_QUYET", 603, 654)
	put("H21.17", "REUSED_DIGITIZED_DATA", 636, 654)
	put("H21.17", "SYNCED_WITH_DVCQG_PERSONAL_STORAGE", 0, 654)
	put("H21.17", "CITIZEN_DATA_CONNECTED_DOSSIER", 220, 654)
	put("H21.17", "CITIZEN_DATA_CONNECTED_FORMALITY", 16, 147)
	put("H21.17", "DOSSIER_RECEIVING_SATISFACTION", 653, 654)
	put("H21.17", "PETITION_PROCESSING_ON_TIME", 0, 0)
	put("H21.17", "PETITION_HANDLING_SATISFACTION", 0, 0)
	ds := &Dataset{Units: []Unit{
		{Code: "H21", Name: "Tỉnh Gia Lai", Kind: KindProvince},
		{Code: "H21.17", Name: "Sở Văn hóa, Thể thao và Du lịch", Kind: KindAgency, ParentCode: "H21"},
	}, Own: own}
	us := NewEngine(schemes, ds).Score(MustPeriod("2026")).Unit("H21.17")
	wantMetric := map[string]Cents{
		"ON_TIME_PROCESSING": 1997, "PUBLISH_ON_TIME": 13, "PUBLIC_UPDATE_ON_TIME": 366, "PUBLIC_CONTENT_FULL": 200,
		"DOSSIER_SYNC": 600, "ORIGINAL_RESULT_AVAILABLE": 560, "SO_HOA_GIAY_TO_GIAI_QUYET": 369,
		"REUSED_DIGITIZED_DATA": 200, "SYNCED_WITH_DVCQG_PERSONAL_STORAGE": 0, "CITIZEN_DATA_CONNECTED_DOSSIER": 67,
		"CITIZEN_DATA_CONNECTED_FORMALITY": 22, "ELECTRONIC_CERTIFIED_COPY": 200, "DOSSIER_RECEIVING_SATISFACTION": 600,
		"PETITION_PROCESSING_ON_TIME": 600, "PETITION_HANDLING_SATISFACTION": 600,
	}
	for code, want := range wantMetric {
		if got := us.Metric(code).Points; got != want {
			t.Errorf("%s: %s, want %s", code, got, want)
		}
	}
	for code, want := range map[string]Cents{"CKMB": 1179, "TDGQ": 1997, "MDSH": 1418, "MDHL": 1800} {
		if got := us.Group(code).Score; got != want {
			t.Errorf("group %s: %s, want %s", code, got, want)
		}
	}
	if src := us.Metric("PUBLISH_ON_TIME").Source; src != SourceProvince {
		t.Errorf("PUBLISH_ON_TIME source %s, want province", src)
	}
	if src := us.Metric("ELECTRONIC_CERTIFIED_COPY").Source; src != SourceNone {
		t.Errorf("ELECTRONIC_CERTIFIED_COPY source %s, want none", src)
	}
	if r := us.Metric("PUBLISH_ON_TIME"); !r.HasRatio || r.Ratio != 213 {
		t.Errorf("PUBLISH_ON_TIME ratio %s, want 2.13", r.Ratio)
	}
	if !us.HasData || us.MaxTotal != 10000 {
		t.Errorf("has data %v, max total %s", us.HasData, us.MaxTotal)
	}
}

// Pinned: MDSH is the sum of rounded metric points (14,18) although the
// unrounded sum would round to 14,17.
func TestGroupIsSumOfRoundedPoints(t *testing.T) {
	s := loadDefault(t).Latest()
	in := map[string]Input{
		"ORIGINAL_RESULT_AVAILABLE":          {Counts: C(610, 654)},
		"SO_HOA_GIAY_TO_GIAI_QUYET":          {Counts: C(603, 654)},
		"REUSED_DIGITIZED_DATA":              {Counts: C(636, 654)},
		"SYNCED_WITH_DVCQG_PERSONAL_STORAGE": {Counts: C(0, 654)},
		"CITIZEN_DATA_CONNECTED_DOSSIER":     {Counts: C(220, 654)},
		"CITIZEN_DATA_CONNECTED_FORMALITY":   {Counts: C(16, 147)},
	}
	us := ScoreInputs(s, Unit{Code: "X", Kind: KindAgency}, MustPeriod("2026"), in)
	if g := us.Group("MDSH").Score; g != 1418 {
		t.Fatalf("MDSH %s, want 14.18", g)
	}
	raw := 6.0*610/654 + 4.0*603/654 + 2 + 0 + 2.0*220/654 + 2.0*16/147 + 2
	if r := Cents(raw*100 + 0.5); r != 1417 {
		t.Fatalf("the unrounded sum should round to 14.17 for this test to mean anything, got %s", r)
	}
}

func TestBands(t *testing.T) {
	s := loadDefault(t).Latest()
	for _, tc := range []struct {
		score, max Cents
		want       string
	}{{9000, 10000, "Xuất sắc"}, {8999, 10000, "Tốt"}, {8000, 10000, "Tốt"}, {7999, 10000, "Khá"},
		{7000, 10000, "Khá"}, {5000, 10000, "Trung bình"}, {4999, 10000, "Yếu"}, {0, 10000, "Yếu"},
		{8550, 9500, "Xuất sắc"}} { // out of a smaller maximum: 90 %
		if b := s.Band(tc.score, tc.max); b == nil || b.NameVI != tc.want {
			t.Errorf("band(%s/%s) = %v, want %s", tc.score, tc.max, b, tc.want)
		}
	}
}

// The integer comparison of a score ratio with a band's minimum equals the
// exact rational one, at the band edges and far from them, on both paths.
func TestBandEdgesExact(t *testing.T) {
	rat := func(score, max, min Cents) bool {
		r := new(big.Rat).SetFrac(big.NewInt(int64(score)*100), big.NewInt(int64(max)))
		return r.Cmp(new(big.Rat).SetFrac(big.NewInt(int64(min)), big.NewInt(100))) >= 0
	}
	n := 0
	for _, max := range []Cents{1, 3, 7, 9500, 9999, 10000, 10001, 123457, 1 << 40} {
		for _, min := range []Cents{-100, 0, 1, 4999, 5000, 7000, 8000, 9000, 9999, 10000} {
			edge := Cents(int64(min) * int64(max) / 10000)
			for _, score := range []Cents{edge - 1, edge, edge + 1, 0, max, -max, max * 3, 1 << 41} {
				if got, want := reaches(score, max, min), rat(score, max, min); got != want {
					t.Fatalf("%s/%s against %s: %v, want %v", score, max, min, got, want)
				}
				n++
			}
		}
	}
	if n < 500 {
		t.Fatalf("%d cases", n)
	}
}

func province2() []Unit {
	return []Unit{
		{Code: "P", Name: "Tỉnh P", Kind: KindProvince},
		{Code: "P.A", Name: "Sở A", Kind: KindAgency, ParentCode: "P"},
		{Code: "P.B", Name: "Sở B", Kind: KindAgency, ParentCode: "P"},
		{Code: "P.D", Name: "Huyện D", Kind: KindDistrict, ParentCode: "P"},
		{Code: "P.D.X", Name: "Xã X", Kind: KindCommune, ParentCode: "P.D"},
	}
}

func TestProvinceLevelInheritanceAndOverride(t *testing.T) {
	schemes := loadDefault(t)
	own := map[Key]Counts{
		{"2024-04", "P", "PUBLISH_ON_TIME"}:   C(2, 3),
		{"2024-04", "P.B", "PUBLISH_ON_TIME"}: C(3, 3),
		{"2024-04", "P.A", "DOSSIER_SYNC"}:    C(1, 2),
	}
	ps := NewEngine(schemes, &Dataset{Units: province2(), Own: own}).Score(MustPeriod("2024-04"))
	a := ps.Unit("P.A").Metric("PUBLISH_ON_TIME")
	if a.Source != SourceProvince || a.Points != 400 || a.Counts != C(2, 3) {
		t.Errorf("agency A inherits: %+v", a)
	}
	if x := ps.Unit("P.D.X").Metric("PUBLISH_ON_TIME"); x.Source != SourceProvince || x.Points != 400 {
		t.Errorf("commune under a district inherits: %+v", x)
	}
	if b := ps.Unit("P.B").Metric("PUBLISH_ON_TIME"); b.Source != SourceOwn || b.Points != 600 {
		t.Errorf("agency B's own row wins: %+v", b)
	}
	// Inherited values alone are no data: B has only a province-level own row,
	// which is its own counts, so B has data; D has nothing of its own.
	if ps.Unit("P.D").HasData {
		t.Error("district with only inherited values must not count as having data")
	}
	if !ps.Unit("P.B").HasData || !ps.Unit("P.A").HasData {
		t.Error("A and B have own counts")
	}
}

func TestProvincePoolAndPeriods(t *testing.T) {
	schemes := loadDefault(t)
	own := map[Key]Counts{}
	put := func(p, u, m string, n, d int64) { own[Key{p, u, m}] = C(n, d) }
	// Months of Q2 2024 for two agencies and a district and its commune.
	put("2024-04", "P.A", "ON_TIME_PROCESSING", 9, 10)
	put("2024-05", "P.A", "ON_TIME_PROCESSING", 10, 10)
	put("2024-06", "P.A", "ON_TIME_PROCESSING", 5, 10)
	put("2024-04", "P.B", "ON_TIME_PROCESSING", 1, 4)
	put("2024-04", "P.D", "ON_TIME_PROCESSING", 3, 3)
	put("2024-04", "P.D.X", "ON_TIME_PROCESSING", 7, 13)
	// Snapshot: the latest month with counts.
	put("2024-04", "P.A", "ONLINE_SERVICE_PROVISION", 1, 10)
	put("2024-05", "P.A", "ONLINE_SERVICE_PROVISION", 9, 10)
	// Directly supplied quarter counts win over the months.
	put("2024-Q2", "P.B", "DOSSIER_SYNC", 40, 50)
	put("2024-04", "P.B", "DOSSIER_SYNC", 1, 50)
	e := NewEngine(schemes, &Dataset{Units: province2(), Own: own})

	q := e.Score(MustPeriod("2024-Q2"))
	a := q.Unit("P.A")
	if m := a.Metric("ON_TIME_PROCESSING"); m.Counts != C(24, 30) || m.Source != SourceDerived || m.Derived != DerivedMonths || m.Months != 3 {
		t.Errorf("flow sum over months: %+v", m)
	}
	if m := a.Metric("ONLINE_SERVICE_PROVISION"); m.Counts != C(9, 10) || m.Months != 2 {
		t.Errorf("snapshot latest month: %+v", m)
	}
	if a.Provisional {
		t.Error("A has all three months of ON_TIME_PROCESSING: not provisional")
	}
	if b := q.Unit("P.B"); !b.Provisional || b.MonthsCovered != 1 {
		t.Errorf("B covers one month of three: provisional %v, months %d", b.Provisional, b.MonthsCovered)
	}
	if m := q.Unit("P.B").Metric("DOSSIER_SYNC"); m.Counts != C(40, 50) || m.Source != SourceOwn {
		t.Errorf("supplied quarter wins: %+v", m)
	}
	// The province pools every unit (a district's own counts, not its
	// communes' twice): 9+1+3+7 = 20 of 10+4+3+13 = 30 in April.
	apr := e.Score(MustPeriod("2024-04")).Unit("P").Metric("ON_TIME_PROCESSING")
	if apr.Counts != C(20, 30) || apr.Derived != DerivedPool {
		t.Errorf("province pool: %+v", apr)
	}
	pq := e.Score(MustPeriod("2024-Q2")).Unit("P")
	if got := pq.Metric("ON_TIME_PROCESSING"); got.Counts != C(35, 50) || got.Derived != DerivedPool {
		t.Errorf("province quarter pool %+v, want 35/50 pooled from its units' quarters", got)
	}
	// B, D and X cover only April: the pooled quarter is provisional, and
	// says it covers three months (A's) of three.
	if pq.Provisional || pq.MonthsCovered != 3 {
		t.Errorf("province quarter: provisional %v, months %d; want false, 3", pq.Provisional, pq.MonthsCovered)
	}
	if got := e.Score(MustPeriod("2024-H1")).Unit("P"); !got.Provisional || got.MonthsCovered != 3 {
		t.Errorf("province half-year: provisional %v, months %d; want true, 3 of 6", got.Provisional, got.MonthsCovered)
	}
	// Months the province supplied itself are summed like any unit's.
	put("2024-04", "P", "ONLINE_SUBMISSION", 5, 10)
	put("2024-05", "P", "ONLINE_SUBMISSION", 6, 10)
	put("2024-04", "P.A", "ONLINE_SUBMISSION", 1, 1)
	e = NewEngine(schemes, &Dataset{Units: province2(), Own: own})
	if got := e.Score(MustPeriod("2024-Q2")).Unit("P").Metric("ONLINE_SUBMISSION"); got.Counts != C(11, 20) || got.Derived != DerivedMonths || got.Months != 2 {
		t.Errorf("province's own months: %+v, want 11/20 from 2 months", got)
	}
	// A year is never the mean of months: 2024 from the same months.
	if got := e.Score(MustPeriod("2024")).Unit("P.A").Metric("ON_TIME_PROCESSING"); got.Counts != C(24, 30) || got.MonthsOf != 12 {
		t.Errorf("year: %+v", got)
	}
	// Periods listed newest first: months with data and their containers.
	got := []string{}
	for _, p := range e.Periods() {
		got = append(got, p.String())
	}
	want := "2024-06 2024-05 2024-04 2024-Q2 2024-H1 2024"
	if strings.Join(got, " ") != want {
		t.Errorf("periods %v, want %s", got, want)
	}
}

func TestEmptyRowIsOwnWithoutCounts(t *testing.T) {
	schemes := loadDefault(t)
	own := map[Key]Counts{{"2024-04", "P.A", "ELECTRONIC_CERTIFIED_COPY"}: {}}
	us := NewEngine(schemes, &Dataset{Units: province2(), Own: own}).Score(MustPeriod("2024-04")).Unit("P.A")
	m := us.Metric("ELECTRONIC_CERTIFIED_COPY")
	if m.Source != SourceOwn || m.Points != 200 || m.HasRatio || !m.NoData {
		t.Errorf("%+v", m)
	}
	if us.HasData {
		t.Error("a row with empty counts is not data")
	}
}

func TestRankingCompetitionTiesAndChanges(t *testing.T) {
	schemes := loadDefault(t)
	units := []Unit{{Code: "P", Name: "Tỉnh P", Kind: KindProvince}}
	names := []string{"Sở Đ", "Sở A", "Sở B", "Sở C", "Sở E"}
	for i, n := range names {
		units = append(units, Unit{Code: "P." + string(rune('1'+i)), Name: n, Kind: KindAgency, ParentCode: "P"})
	}
	own := map[Key]Counts{}
	// April: P.1 Sở Đ and P.3 Sở B tie; P.5 has no data.
	for code, n := range map[string]int64{"P.1": 90, "P.2": 100, "P.3": 90, "P.4": 50} {
		own[Key{"2024-04", code, "ON_TIME_PROCESSING"}] = C(n, 100)
	}
	for code, n := range map[string]int64{"P.1": 100, "P.2": 10, "P.3": 90, "P.4": 50} {
		own[Key{"2024-03", code, "ON_TIME_PROCESSING"}] = C(n, 100)
	}
	e := NewEngine(schemes, &Dataset{Units: units, Own: own})
	prev := e.Score(MustPeriod("2024-03"))
	r := e.Score(MustPeriod("2024-04")).Ranking(KindAgency, "", prev)
	var got []string
	for _, x := range r {
		got = append(got, x.Unit.Name+"#"+itoa(x.Rank))
	}
	// Vietnamese order: B before Đ (Đ sorts after D).
	want := "Sở A#1 Sở B#2 Sở Đ#2 Sở C#4 Sở E#0"
	if strings.Join(got, " ") != want {
		t.Fatalf("ranking %v, want %s", got, want)
	}
	if r[0].RankOf != 4 || r[4].RankOf != 4 {
		t.Errorf("rank_of %d", r[0].RankOf)
	}
	// Sở A was 4th in March (10/100), now 1st: up 3; total +18.00.
	if r[0].RankChange == nil || *r[0].RankChange != 3 || *r[0].TotalChange != 1800 {
		t.Errorf("Sở A change %v %v", r[0].RankChange, r[0].TotalChange)
	}
	// Sở Đ was 1st, now 2nd: down 1.
	if *r[2].RankChange != -1 || *r[2].TotalChange != -200 {
		t.Errorf("Sở Đ change %d %d", *r[2].RankChange, *r[2].TotalChange)
	}
	if r[4].RankChange != nil {
		t.Error("a unit without data has no change")
	}
	// Province filter: another province's agency is not in the ranking.
	if n := len(e.Score(MustPeriod("2024-04")).Ranking(KindAgency, "Q", nil)); n != 0 {
		t.Errorf("ranking for another province has %d rows", n)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestSchemeValidation(t *testing.T) {
	good, err := os.ReadFile("../data/schemes/qd766.json")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, from, to, path, code string }{
		{"group maxima", `"code": "CKMB", "name_vi": "Công khai, minh bạch", "name_en": "Publicity and transparency", "max": 18`, `"code": "CKMB", "name_vi": "Công khai, minh bạch", "name_en": "Publicity and transparency", "max": 19`, "groups", SchemeGroupsTotal},
		{"metric maxima", `"code": "DOSSIER_SYNC", "group": "CKMB", "max": 6`, `"code": "DOSSIER_SYNC", "group": "CKMB", "max": 5`, "groups[CKMB]", SchemeMetricsTotal},
		{"duplicate metric", `"code": "DOSSIER_SYNC"`, `"code": "PUBLISH_ON_TIME"`, "metrics[PUBLISH_ON_TIME].code", SchemeRepeated},
		{"unknown rule", `"rule": "linear"`, `"rule": "square"`, "", SchemeNotOneOf},
		{"bad threshold", `"threshold": 0.8`, `"threshold": 1.8`, "", SchemeThresholdRange},
		{"bad date", `"effective_from": "2022-07-01"`, `"effective_from": "July"`, "effective_from", SchemeDate},
		{"too many decimals", `"max": 18`, `"max": 18.001`, "groups[CKMB].max", SchemeNumber},
		{"unknown field", `"tie_precision": 2`, `"tie_precison": 2`, "tie_precison", SchemeUnknownField},
		{"wrong type", `"tie_precision": 2`, `"tie_precision": "2"`, "tie_precision", SchemeWrongType},
		{"not JSON", `"tie_precision": 2`, `"tie_precision": 2,,`, "", SchemeSyntax},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(string(good), tc.from, tc.to, 1)
			if src == string(good) {
				t.Fatalf("test edit %q did not apply", tc.from)
			}
			_, err := ParseScheme([]byte(src), "x.json")
			var ps SchemeProblems
			if !errors.As(err, &ps) {
				t.Fatalf("err %v, want SchemeProblems", err)
			}
			var p *SchemeProblem
			if !errors.As(err, &p) || p.File != "x.json" {
				t.Errorf("errors.As *SchemeProblem: %v", p)
			}
			for _, p := range ps {
				if p.Code == tc.code && (tc.path == "" || p.Path == tc.path) {
					return
				}
			}
			t.Fatalf("problems %v, want %s at %q", err, tc.code, tc.path)
		})
	}
}

func TestSchemeProblemsFigures(t *testing.T) {
	good, err := os.ReadFile("../data/schemes/qd766.json")
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(string(good), `"rule": "linear"`, `"rule": "square"`, 1)
	src = strings.Replace(src, `"code": "DOSSIER_SYNC", "group": "CKMB", "max": 6`, `"code": "DOSSIER_SYNC", "group": "CKMB", "max": 5`, 1)
	_, err = ParseScheme([]byte(src), "x.json")
	var ps SchemeProblems
	if !errors.As(err, &ps) || len(ps) < 2 {
		t.Fatalf("want every problem, got %v", err)
	}
	for _, p := range ps {
		switch p.Code {
		case SchemeNotOneOf:
			if p.Value != "square" || strings.Join(p.Allowed, " ") != "linear threshold info" || !strings.HasSuffix(p.Path, ".rule") {
				t.Errorf("rule: %+v", p)
			}
		case SchemeMetricsTotal:
			if p.Total != 1700 || p.Want != 1800 {
				t.Errorf("metric maxima: %+v", p)
			}
		}
	}
	// Two versions on the same day: the later file is named, with the other.
	next := strings.Replace(string(good), `"id": "qd766"`, `"id": "twin"`, 1)
	list, err := LoadSchemes(fstest.MapFS{"s/a.json": {Data: good}, "s/b.json": {Data: []byte(next)}}, "s", "dir/")
	if err != nil {
		t.Fatal(err)
	}
	_, err = NewSchemes(list...)
	var p *SchemeProblem
	if !errors.As(err, &p) || p.Code != SchemeSameDay || p.File != "dir/b.json" || p.Other != "dir/a.json" || p.Value != "2022-07-01" {
		t.Errorf("same day: %v", err)
	}
}

func TestSchemeForPeriodAndOverride(t *testing.T) {
	good, err := os.ReadFile("../data/schemes/qd766.json")
	if err != nil {
		t.Fatal(err)
	}
	next := strings.Replace(strings.Replace(string(good), `"id": "qd766"`, `"id": "v2027"`, 1), `"2022-07-01"`, `"2027-01-01"`, 1)
	fsys := fstest.MapFS{"s/a.json": {Data: good}, "s/b.json": {Data: []byte(next)}}
	list, err := LoadSchemes(fsys, "s", "test:")
	if err != nil {
		t.Fatal(err)
	}
	all, err := NewSchemes(list...)
	if err != nil {
		t.Fatal(err)
	}
	if id := all.For(MustPeriod("2026-12")).ID; id != "qd766" {
		t.Errorf("2026-12 scored by %s", id)
	}
	if id := all.For(MustPeriod("2027-01")).ID; id != "v2027" {
		t.Errorf("2027-01 scored by %s", id)
	}
	if id := all.For(MustPeriod("2026")).ID; id != "qd766" {
		t.Errorf("year 2026 (starts before) scored by %s", id)
	}
	// A later scheme with the same id overrides (a configured folder over the embedded default).
	override := strings.Replace(string(good), `"tie_precision": 2`, `"tie_precision": 1`, 1)
	o, err := ParseScheme([]byte(override), "folder/qd766.json")
	if err != nil {
		t.Fatal(err)
	}
	all2, err := NewSchemes(list[0], o)
	if err != nil {
		t.Fatal(err)
	}
	if all2.Latest().TiePrecision != 1 || len(all2.All()) != 1 {
		t.Error("override by id did not replace the scheme")
	}
}

func TestPeriods(t *testing.T) {
	for _, s := range []string{"2024-04", "2024-Q2", "2024-H1", "2024", "2023-12"} {
		p, err := ParsePeriod(s)
		if err != nil || p.String() != s {
			t.Errorf("%s: %v %v", s, p, err)
		}
	}
	for _, s := range []string{"2024-13", "2024-00", "2024-Q5", "2024-q2", "2024-H3", "24-04", "2024-4", "", "2024-04 ", "abcd"} {
		if _, err := ParsePeriod(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
	if p := MustPeriod("2024-01").Prev().String(); p != "2023-12" {
		t.Error(p)
	}
	if p := MustPeriod("2024-Q1").Prev().String(); p != "2023-Q4" {
		t.Error(p)
	}
	if p := MustPeriod("2024-H1").Prev().String(); p != "2023-H2" {
		t.Error(p)
	}
	if p := MustPeriod("2024").Prev().String(); p != "2023" {
		t.Error(p)
	}
	q := MustPeriod("2024-Q2")
	if q.Start().Format("2006-01-02T15:04:05Z07:00") != "2024-04-01T00:00:00+07:00" || q.End().Format("2006-01-02") != "2024-07-01" {
		t.Error(q.Start(), q.End())
	}
}

func TestCentsFormat(t *testing.T) {
	for _, tc := range []struct {
		c  Cents
		en string
	}{{7535, "75.35"}, {-120, "-1.20"}, {123456789, "1234567.89"}, {0, "0.00"}, {5, "0.05"}} {
		if tc.c.String() != tc.en {
			t.Errorf("%d: %s", tc.c, tc.c.String())
		}
	}
	if r, ok := Ratio(2, 3); !ok || r != 6667 {
		t.Error(r)
	}
	if r, ok := Ratio(59, 79); !ok || r != 7468 {
		t.Error(r)
	}
}

// Properties over random datasets: 0 ≤ points ≤ max; group = Σ rounded
// metric points; total = Σ groups; ranking order consistent with totals.
func TestProperties(t *testing.T) {
	schemes := loadDefault(t)
	rng := rand.New(rand.NewPCG(1, 2))
	for iter := 0; iter < 200; iter++ {
		units := []Unit{{Code: "P", Name: "P", Kind: KindProvince}}
		own := map[Key]Counts{}
		n := 2 + rng.IntN(12)
		for i := 0; i < n; i++ {
			code := "P." + string(rune('A'+i))
			units = append(units, Unit{Code: code, Name: "Unit " + code, Kind: KindAgency, ParentCode: "P"})
			for _, m := range schemes.Latest().Metrics {
				switch rng.IntN(5) {
				case 0: // no row
				case 1:
					own[Key{"2024-04", code, m.Code}] = Counts{}
				default:
					d := int64(rng.IntN(2000))
					var num int64
					if d > 0 {
						num = rng.Int64N(d + 1)
					}
					own[Key{"2024-04", code, m.Code}] = C(num, d)
				}
			}
		}
		ps := NewEngine(schemes, &Dataset{Units: units, Own: own}).Score(MustPeriod("2024-04"))
		for _, us := range ps.Units {
			var total, maxTotal Cents
			for _, g := range us.Groups {
				var sum, max Cents
				for _, m := range g.Metrics {
					if m.Points < 0 || m.Points > m.Max {
						t.Fatalf("points %s outside [0, %s] for %s", m.Points, m.Max, m.Metric.Code)
					}
					sum += m.Points
					max += m.Max
				}
				if g.Score != sum || g.Max != max || g.Max > g.Group.Max {
					t.Fatalf("group %s: %s ≠ Σ %s", g.Group.Code, g.Score, sum)
				}
				total += g.Score
				maxTotal += g.Max
			}
			if us.Total != total || us.MaxTotal != maxTotal || us.Total > 10000 {
				t.Fatalf("total %s ≠ Σ groups %s", us.Total, total)
			}
		}
		r := ps.Ranking(KindAgency, "P", nil)
		for i := 1; i < len(r); i++ {
			a, b := r[i-1], r[i]
			if b.Rank == 0 {
				continue
			}
			if a.Total < b.Total || a.Rank > b.Rank || (a.Total == b.Total) != (a.Rank == b.Rank) {
				t.Fatalf("ranking inconsistent at %d: %s#%d then %s#%d", i, a.Total, a.Rank, b.Total, b.Rank)
			}
			if a.Total > b.Total && b.Rank != i+1 {
				t.Fatalf("competition ranking: row %d has rank %d", i+1, b.Rank)
			}
		}
	}
}

// The integer fast path and the big.Rat path must agree everywhere.
func TestFastPathMatchesRational(t *testing.T) {
	s := loadDefault(t).Latest()
	rng := rand.New(rand.NewPCG(7, 8))
	for i := 0; i < 20000; i++ {
		m := &s.Metrics[rng.IntN(len(s.Metrics))]
		if !m.Scored() || m.Rounding != RoundExact {
			continue
		}
		d := 1 + rng.Int64N(5000)
		n := rng.Int64N(d + 1)
		got, _, _, _ := metricPoints(m, C(n, d))
		x := new(big.Rat).SetFrac64(int64(m.Max)*n, 100*d)
		if m.Rule == RuleThreshold {
			if n*10000 >= int64(m.Threshold)*d {
				x.SetFrac64(int64(m.Max), 100)
			} else {
				x.Mul(x, big.NewRat(10000, int64(m.Threshold)))
			}
		}
		if want := roundHalfUp(x); got != want {
			t.Fatalf("%s %d/%d: fast %s, rational %s", m.Code, n, d, got, want)
		}
		r, _ := Ratio(n, d)
		if want := roundHalfUp(new(big.Rat).SetFrac64(n*100, d)); r != want {
			t.Fatalf("ratio %d/%d: fast %s, rational %s", n, d, r, want)
		}
	}
	// Beyond the fast path's bound the rational path still gives exact results.
	big1 := int64(3_000_000_000)
	if p, _, _, _ := metricPoints(s.Metric("ON_TIME_PROCESSING"), C(big1-1, big1)); p != 2000 {
		t.Fatalf("large counts: %s", p)
	}
}

// The rules the web layer and the downloads share: where a unit is ranked,
// its row there, a procedure's share of the points lost, the band above
// and how far a score is from it.
func TestSharedRules(t *testing.T) {
	for _, tc := range []struct {
		c        Cents
		part, of int64
		want     Cents
	}{{120, 1, 3, 40}, {100, 1, 3, 33}, {100, 2, 3, 67}, {1, 1, 2, 1}, {0, 1, 2, 0}, {100, 1, 0, 0}, {-5, 1, 2, 0}} {
		if got := Share(tc.c, tc.part, tc.of); got != tc.want {
			t.Errorf("Share(%d, %d, %d) = %d, want %d", tc.c, tc.part, tc.of, got, tc.want)
		}
	}
	s := &Scheme{Bands: []Band{{Code: "A", Min: 9000}, {Code: "B", Min: 8000}, {Code: "C", Min: 0}}}
	if b := s.Above(&s.Bands[1]); b == nil || b.Code != "A" {
		t.Errorf("above B: %v", b)
	}
	if b := s.Above(&s.Bands[0]); b != nil {
		t.Errorf("above the top band: %v", b)
	}
	// 90 % of a maximum of 94,00 is 84,60: a score of 84,59 is 0,01 short.
	if got := ShortOf(&s.Bands[0], 8459, 9400); got != 1 {
		t.Errorf("ShortOf = %d, want 1", got)
	}
	if got := ShortOf(&s.Bands[0], 8460, 9400); got != 0 {
		t.Errorf("ShortOf at the limit = %d", got)
	}
	us := &UnitScore{Scheme: s, Band: &s.Bands[2]}
	if b := us.NextBand(); b == nil || b.Code != "B" {
		t.Errorf("next band of C: %v", b)
	}
}

// A unit is ranked among its kind within its province; a province among
// the provinces. RankOf is its row of that ranking.
func TestRankOf(t *testing.T) {
	e := loadDemo(t)
	p := MustPeriod("2024-04")
	ps := e.Score(p)
	var agency, province string
	for _, u := range e.Units() {
		if us := ps.Unit(u.Code); us == nil || !us.HasData {
			continue
		}
		switch {
		case agency == "" && u.Kind == KindAgency:
			agency = u.Code
		case province == "" && u.Kind == KindProvince:
			province = u.Code
		}
	}
	if e.RankScope(province) != "" || e.RankScope(agency) != e.ProvinceOf(agency) || e.RankScope(agency) == "" {
		t.Fatalf("scopes: %q %q", e.RankScope(province), e.RankScope(agency))
	}
	for _, code := range []string{agency, province} {
		r := ps.RankOf(code, nil)
		if r == nil || r.Unit.Code != code || r.Rank < 1 {
			t.Fatalf("RankOf(%s) = %+v", code, r)
		}
		u, _ := e.Unit(code)
		found := false
		for _, x := range ps.Ranking(u.Kind, e.RankScope(code), nil) {
			if x.Unit.Code == code {
				found = x.Rank == r.Rank && x.RankOf == r.RankOf
			}
		}
		if !found {
			t.Errorf("RankOf(%s) is not its row of the ranking", code)
		}
	}
	if ps.RankOf("NO.SUCH.UNIT", nil) != nil {
		t.Error("RankOf an unknown unit")
	}
}
