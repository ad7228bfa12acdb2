package alerts

import (
	"sort"
	"strings"
	"testing"
	"time"

	"scorecard/data"
	"scorecard/scoring"
)

func loadSchemes(t testing.TB) *scoring.Schemes {
	t.Helper()
	s, err := data.DefaultSchemes()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// fixture: province P publishes everything on time; its agencies have every
// other metric at one ratio (hand-worked totals: 100 % → 100,00; 95 % →
// 96,60; 90 % → 93,20; 85 % → 89,47, see scoring's seriesFixture), except
// where noted. Units:
//
//	P.A  March 90 % (93,20 Xuất sắc) → April 85 % (89,47 Tốt): drops a
//	     band; 85 % on time is below 90 %; no group falls by 5.
//	P.B  March 100 % → April 100 % but no online dossiers and no online
//	     service used (0/100): DVCTT falls 12,00 → 2,00; total 90,00, still
//	     Xuất sắc.
//	P.C  95 % both months: nothing.
//	P.D  no data: nothing.
//	P.X  a commune at 80 % in April only: on time below 90 %, nothing to
//	     compare with.
func fixture(t *testing.T) (mar, apr *scoring.PeriodScores) {
	t.Helper()
	_, mar, apr = fixtureEngine(t)
	return mar, apr
}

func fixtureEngine(t *testing.T) (e *scoring.Engine, mar, apr *scoring.PeriodScores) {
	t.Helper()
	schemes := loadSchemes(t)
	s := schemes.Latest()
	units := []scoring.Unit{
		{Code: "P", Name: "Tỉnh P", Kind: scoring.KindProvince},
		{Code: "P.A", Name: "Sở Tư pháp", Kind: scoring.KindAgency, ParentCode: "P"},
		{Code: "P.B", Name: "Sở Y tế", Kind: scoring.KindAgency, ParentCode: "P"},
		{Code: "P.C", Name: "Sở Xây dựng", Kind: scoring.KindAgency, ParentCode: "P"},
		{Code: "P.D", Name: "Sở Du lịch", Kind: scoring.KindAgency, ParentCode: "P"},
		{Code: "P.H", Name: "Huyện H", Kind: scoring.KindDistrict, ParentCode: "P"},
		{Code: "P.X", Name: "Xã Đồng Phúc", Kind: scoring.KindCommune, ParentCode: "P.H"},
	}
	own := map[scoring.Key]scoring.Counts{}
	set := func(p, unit string, r int64) {
		for _, m := range s.Metrics {
			if !m.Scored() {
				continue
			}
			if m.Level == scoring.LevelProvince {
				own[scoring.Key{Period: p, Unit: "P", Metric: m.Code}] = scoring.C(40, 40)
				continue
			}
			own[scoring.Key{Period: p, Unit: unit, Metric: m.Code}] = scoring.C(r, 100)
		}
	}
	set("2024-03", "P.A", 90)
	set("2024-04", "P.A", 85)
	set("2024-03", "P.B", 100)
	set("2024-04", "P.B", 100)
	own[scoring.Key{Period: "2024-04", Unit: "P.B", Metric: "ONLINE_SUBMISSION"}] = scoring.C(0, 100)
	own[scoring.Key{Period: "2024-04", Unit: "P.B", Metric: "ONLINE_SERVICE_USAGE"}] = scoring.C(0, 100)
	set("2024-03", "P.C", 95)
	set("2024-04", "P.C", 95)
	set("2024-04", "P.X", 80)
	e = scoring.NewEngine(schemes, &scoring.Dataset{Units: units, Own: own})
	mar, apr = e.Score(scoring.MustPeriod("2024-03")), e.Score(scoring.MustPeriod("2024-04"))
	// The story above, checked, so a change in the engine shows here first.
	for code, want := range map[string]string{"P.A": "93.20 89.47", "P.B": "100.00 90.00", "P.C": "96.60 96.60"} {
		if got := mar.Unit(code).Total.String() + " " + apr.Unit(code).Total.String(); got != want {
			t.Fatalf("fixture %s: %s, want %s", code, got, want)
		}
	}
	return e, mar, apr
}

var (
	midApril = time.Date(2024, 4, 15, 9, 0, 0, 0, scoring.Location)
	inMay    = time.Date(2024, 5, 10, 9, 0, 0, 0, scoring.Location)
)

func summary(ws []Warning) string {
	var out []string
	for _, w := range ws {
		out = append(out, w.Unit.Code+":"+string(w.Rule))
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

func TestEvaluateFiresOnlyWhenRulesHold(t *testing.T) {
	mar, apr := fixture(t)
	ws := Evaluate(DefaultRules(), apr, mar, midApril)
	// The province is checked too: it pools its units (96,60 → 92,20, still
	// Xuất sắc; exactly 90,00 % on time, which is not below 90 %), so no
	// rule holds for it.
	if p := apr.Unit("P"); p.Total != 9220 || p.Metric("ON_TIME_PROCESSING").Ratio != 9000 {
		t.Fatalf("fixture: province %s, on time %s%%", p.Total, p.Metric("ON_TIME_PROCESSING").Ratio)
	}
	if got, want := summary(ws), "P.A:band_drop P.A:on_time_below P.B:group_fall P.X:on_time_below"; got != want {
		t.Fatalf("warnings %s, want %s", got, want)
	}
	for _, w := range ws {
		if w.Period != scoring.MustPeriod("2024-04") || !w.Partial {
			t.Errorf("%v: period %s partial %v", w.Key(), w.Period, w.Partial)
		}
		switch w.Key() {
		case Key{"P.A", RuleBandDrop, "2024-04"}:
			want := "Nếu số liệu tạm tính của tháng 04/2024 giữ nguyên, Sở Tư pháp sẽ tụt từ loại Xuất sắc xuống loại Tốt: 89,47 điểm, so với 93,20 điểm của tháng 03/2024."
			if w.MessageVI != want || w.PrevBand.NameVI != "Xuất sắc" || w.Band.NameVI != "Tốt" {
				t.Errorf("band drop:\n%s\nwant\n%s", w.MessageVI, want)
			}
			if !strings.Contains(w.MessageEN, "will drop from Excellent to Good") || !strings.Contains(w.SubjectVI, "có thể tụt xuống loại Tốt") {
				t.Errorf("band drop: %q / %q", w.MessageEN, w.SubjectVI)
			}
		case Key{"P.A", RuleOnTimeBelow, "2024-04"}:
			if w.Ratio != 8500 || w.Counts != scoring.C(85, 100) ||
				!strings.HasPrefix(w.MessageVI, "Sở Tư pháp: tỷ lệ hồ sơ xử lý trước hạn, đúng hạn tháng 04/2024 là 85,00% (85/100), dưới ngưỡng 90,00%.") {
				t.Errorf("on time: %+v", w)
			}
		case Key{"P.B", RuleGroupFall, "2024-04"}:
			if len(w.Groups) != 1 || w.Groups[0].Group.Code != "DVCTT" || w.Groups[0].From != 1200 || w.Groups[0].To != 200 ||
				!strings.Contains(w.MessageVI, "nhóm Dịch vụ công trực tuyến giảm 10,00 điểm (từ 12,00 xuống 2,00)") {
				t.Errorf("group fall: %+v\n%s", w.Groups, w.MessageVI)
			}
		}
	}
	// One warning per unit, rule and period.
	seen := map[Key]bool{}
	for _, w := range ws {
		if seen[w.Key()] {
			t.Errorf("%v twice", w.Key())
		}
		seen[w.Key()] = true
	}

	// After the month: the same drop, told as a fact.
	for _, w := range Evaluate(DefaultRules(), apr, mar, inMay) {
		if w.Partial {
			t.Errorf("%v: partial after the period", w.Key())
		}
		if w.Key() == (Key{"P.A", RuleBandDrop, "2024-04"}) && !strings.HasPrefix(w.MessageVI, "Sở Tư pháp đã tụt từ loại Xuất sắc xuống loại Tốt trong tháng 04/2024") {
			t.Errorf("complete period: %s", w.MessageVI)
		}
	}
	// Nothing to compare with: only the on-time rule can fire.
	if got := summary(Evaluate(DefaultRules(), apr, nil, inMay)); strings.Contains(got, "band_drop") || strings.Contains(got, "group_fall") {
		t.Errorf("without a previous period: %s", got)
	}
	// March, against nothing, has no unit below 90 % on time (90 % is not
	// below 90 %).
	if ws := Evaluate(DefaultRules(), mar, nil, inMay); len(ws) != 0 {
		t.Errorf("March: %s", summary(ws))
	}
}

// A unit page's warnings (EvaluateUnit) are Evaluate's about that unit,
// compared with the previous period's whole scores or with its standings
// (each unit's point only, as the pages read it).
func TestEvaluateUnitIsEvaluateOfTheUnit(t *testing.T) {
	e, mar, apr := fixtureEngine(t)
	points := mar.Points()
	standings := e.Standings(mar.Period, func(code string) (scoring.UnitPoint, bool) {
		pt, ok := points[code]
		return pt, ok
	})
	fired := 0
	for _, prev := range []*scoring.PeriodScores{mar, standings, nil} {
		all := Evaluate(DefaultRules(), apr, prev, midApril)
		for _, u := range e.Units() {
			var want []Warning
			for _, w := range all {
				if w.Unit.Code == u.Code {
					want = append(want, w)
				}
			}
			got := EvaluateUnit(DefaultRules(), apr, prev, u.Code, midApril)
			if summary(got) != summary(want) || len(got) != len(want) {
				t.Fatalf("%s: %s, want %s", u.Code, summary(got), summary(want))
			}
			for i := range got {
				if got[i].MessageVI != want[i].MessageVI || got[i].MessageEN != want[i].MessageEN {
					t.Errorf("%s: %q, want %q", u.Code, got[i].MessageVI, want[i].MessageVI)
				}
			}
			fired += len(got)
		}
	}
	if fired != 4+4+2 {
		t.Errorf("%d warnings in all, want 10", fired)
	}
	if ws := EvaluateUnit(DefaultRules(), apr, mar, "NOPE", midApril); ws != nil {
		t.Errorf("unknown unit: %s", summary(ws))
	}
}

func TestRulesAreConfigurable(t *testing.T) {
	mar, apr := fixture(t)
	agencies := []scoring.UnitKind{scoring.KindAgency}
	cases := []struct {
		name string
		r    Rules
		want string
	}{
		{"defaults, agencies only", Rules{BandDrop: true, GroupFall: 500, OnTimeBelow: 9000, OnTimeMetric: "ON_TIME_PROCESSING", Kinds: agencies},
			"P.A:band_drop P.A:on_time_below P.B:group_fall"},
		{"band drop off", Rules{GroupFall: 500, OnTimeBelow: 9000, OnTimeMetric: "ON_TIME_PROCESSING", Kinds: agencies},
			"P.A:on_time_below P.B:group_fall"},
		// DVCTT fell by exactly 10,00: "more than 10" does not hold.
		{"group fall of more than 10", Rules{GroupFall: 1000, Kinds: agencies}, ""},
		{"group fall of more than 9,99", Rules{GroupFall: 999, Kinds: agencies}, "P.B:group_fall"},
		{"on time below 85 %", Rules{OnTimeBelow: 8500, OnTimeMetric: "ON_TIME_PROCESSING", Kinds: agencies}, ""},
		{"on time below 85,01 %", Rules{OnTimeBelow: 8501, OnTimeMetric: "ON_TIME_PROCESSING", Kinds: agencies}, "P.A:on_time_below"},
		{"communes only", Rules{BandDrop: true, GroupFall: 1, OnTimeBelow: 9000, OnTimeMetric: "ON_TIME_PROCESSING",
			Kinds: []scoring.UnitKind{scoring.KindCommune}}, "P.X:on_time_below"},
		{"zero value checks nothing", Rules{}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.r.Validate(); err != nil {
				t.Fatal(err)
			}
			if got := summary(Evaluate(tc.r, apr, mar, midApril)); got != tc.want {
				t.Errorf("%s, want %s", got, tc.want)
			}
		})
	}
	for _, bad := range []Rules{{GroupFall: -1}, {OnTimeBelow: 10001, OnTimeMetric: "X"}, {OnTimeBelow: 9000}, {Kinds: []scoring.UnitKind{"ward"}}} {
		if bad.Validate() == nil {
			t.Errorf("%+v is accepted", bad)
		}
	}
	if err := DefaultRules().Validate(); err != nil {
		t.Error(err)
	}
}
