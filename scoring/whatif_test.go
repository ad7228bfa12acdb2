package scoring

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
)

func i64(v int64) *int64 { return &v }
func pct(v Cents) *Cents { return &v }

// With no overrides the what-if is the engine's own result, field by
// field, for every unit of the demo, for a month, a complete quarter and a
// quarter that has only one month yet (provisional).
func TestWhatIfWithoutChangesIsTheEngine(t *testing.T) {
	e := loadDemo(t)
	for _, p := range []string{"2024-04", "2024-Q1", "2024-Q2", "2023"} {
		ps := e.Score(MustPeriod(p))
		rank := map[string]Ranked{}
		for _, k := range UnitKinds {
			scope := "BK"
			if k == KindProvince {
				scope = ""
			}
			for _, r := range ps.Ranking(k, scope, nil) {
				rank[r.Unit.Code] = r
			}
		}
		provisional := 0
		for code, base := range ps.Units {
			w, err := WhatIfScore(ps, code, nil)
			if err != nil {
				t.Fatalf("%s %s: %v", p, code, err)
			}
			got := w.Score
			if got.Total != base.Total || got.MaxTotal != base.MaxTotal || got.Band != base.Band ||
				got.HasData != base.HasData || got.Missing != base.Missing || got.Province != base.Province ||
				got.Provisional != base.Provisional || got.MonthsCovered != base.MonthsCovered {
				t.Fatalf("%s %s: what-if %+v\nengine %+v", p, code, got, base)
			}
			if got.Provisional {
				provisional++
			}
			for gi, g := range base.Groups {
				if got.Groups[gi].Score != g.Score || got.Groups[gi].Max != g.Max {
					t.Fatalf("%s %s %s: %s/%s, engine %s/%s", p, code, g.Group.Code, got.Groups[gi].Score, got.Groups[gi].Max, g.Score, g.Max)
				}
				for mi, m := range g.Metrics {
					if gm := got.Groups[gi].Metrics[mi]; gm != m {
						t.Fatalf("%s %s %s: %+v, engine %+v", p, code, m.Metric.Code, gm, m)
					}
				}
			}
			if len(w.Changed) != 0 || w.Delta != 0 {
				t.Errorf("%s %s: changed %v delta %s", p, code, w.Changed, w.Delta)
			}
			if r := rank[code]; w.Rank != r.Rank || w.RankOf != r.RankOf || w.BaseRank != r.Rank {
				t.Errorf("%s %s: rank %d/%d, ranking says %d/%d", p, code, w.Rank, w.RankOf, r.Rank, r.RankOf)
			}
		}
		if p == "2024-Q2" && provisional == 0 {
			t.Error("2024-Q2 has one month of three: its scores are provisional")
		}
	}
}

// Raising a numerator never lowers the total nor the rank; lowering it
// never raises them.
func TestWhatIfMonotonicInNumerator(t *testing.T) {
	e := loadDemo(t)
	ps := e.Score(MustPeriod("2024-04"))
	var codes []string
	for _, u := range e.Units() {
		codes = append(codes, u.Code)
	}
	rng := rand.New(rand.NewPCG(3, 5))
	moved := 0
	for i := 0; i < 150; i++ {
		code := codes[rng.IntN(len(codes))]
		base := ps.Unit(code)
		m := ps.Scheme.Metrics[rng.IntN(len(ps.Scheme.Metrics))]
		d := base.Metric(m.Code).Counts.Den
		if !base.Metric(m.Code).Counts.Valid || d == 0 {
			d = 1 + rng.Int64N(300)
		}
		prevTotal, prevRank := Cents(-1), 1<<30
		for n := int64(0); n <= d; n += 1 + d/25 {
			w, err := WhatIfScore(ps, code, []Override{{Metric: m.Code, Num: i64(n), Den: i64(d)}})
			if err != nil {
				t.Fatal(err)
			}
			if w.Score.Total < prevTotal || (w.Rank > prevRank && w.Rank != 0) {
				t.Fatalf("%s %s %d/%d: total %s rank %d after %s rank %d", code, m.Code, n, d, w.Score.Total, w.Rank, prevTotal, prevRank)
			}
			if prevTotal >= 0 && w.Score.Total > prevTotal {
				moved++
			}
			prevTotal, prevRank = w.Score.Total, w.Rank
		}
	}
	if moved == 0 {
		t.Fatal("no numerator ever moved a total: the property was not exercised")
	}
}

func TestWhatIfOverrides(t *testing.T) {
	e := loadDemo(t)
	ps := e.Score(MustPeriod("2024-04"))
	code := unitByName(t, e, "Sở Công Thương")
	base := ps.Unit(code)
	ot := base.Metric("ON_TIME_PROCESSING")
	if ot.Lost() == 0 {
		t.Fatal("fixture: the agency lost no on-time points")
	}
	// Every dossier on time: exactly the points lost come back.
	w, err := WhatIfScore(ps, code, []Override{{Metric: "ON_TIME_PROCESSING", Num: i64(ot.Counts.Den)}})
	if err != nil {
		t.Fatal(err)
	}
	if w.Delta != ot.Lost() || w.Score.Metric("ON_TIME_PROCESSING").Points != 2000 ||
		strings.Join(w.Changed, ",") != "ON_TIME_PROCESSING" {
		t.Errorf("delta %s (lost %s), changed %v", w.Delta, ot.Lost(), w.Changed)
	}
	if g := w.Score.Group("TDGQ"); g.Score != 2000 {
		t.Errorf("group TDGQ %s", g.Score)
	}
	// The same as what ScoreInputs gives from the same counts.
	in := BaseInputs(base)
	in["ON_TIME_PROCESSING"] = Input{Counts: C(ot.Counts.Den, ot.Counts.Den)}
	if direct := ScoreInputs(base.Scheme, base.Unit, base.Period, in); direct.Total != w.Score.Total {
		t.Errorf("what-if %s, ScoreInputs %s", w.Score.Total, direct.Total)
	}

	// A ratio keeps the denominator: 50 % of 370 is 185.
	w, err = WhatIfScore(ps, code, []Override{{Metric: "ONLINE_SUBMISSION", Den: i64(370), Ratio: pct(5000)}})
	if err != nil {
		t.Fatal(err)
	}
	if m := w.Score.Metric("ONLINE_SUBMISSION"); m.Counts != C(185, 370) || m.Points != 600 || m.Source != SourceOwn {
		t.Errorf("ratio override %+v", m)
	}
	// Half up: 33,33 % of 3 is 0,9999 → 1.
	w, err = WhatIfScore(ps, code, []Override{{Metric: "ONLINE_SUBMISSION", Den: i64(3), Ratio: pct(3333)}})
	if err != nil {
		t.Fatal(err)
	}
	if m := w.Score.Metric("ONLINE_SUBMISSION"); m.Counts != C(1, 3) {
		t.Errorf("ratio 33,33 %% of 3: %+v", m.Counts)
	}
	// A ratio on a metric with no denominator becomes the exact fraction.
	w, err = WhatIfScore(ps, code, []Override{{Metric: "ELECTRONIC_CERTIFIED_COPY", Ratio: pct(7525)}})
	if err != nil {
		t.Fatal(err)
	}
	if m := w.Score.Metric("ELECTRONIC_CERTIFIED_COPY"); m.Counts != C(7525, 10000) || m.Points != 151 {
		t.Errorf("ratio without counts %+v", m)
	}
	// Inheriting nothing changes: overriding a province-level metric gives
	// the unit its own value, and its band and rank follow.
	w, err = WhatIfScore(ps, code, []Override{{Metric: "PUBLISH_ON_TIME", Num: i64(3), Den: i64(3)},
		{Metric: "ONLINE_PAYMENT_DOSSIERS", Num: i64(base.Metric("ONLINE_PAYMENT_DOSSIERS").Counts.Den)}})
	if err != nil {
		t.Fatal(err)
	}
	if w.Score.Metric("PUBLISH_ON_TIME").Source != SourceOwn || len(w.Changed) != 2 || w.Rank >= w.BaseRank {
		t.Errorf("province metric override: changed %v rank %d → %d", w.Changed, w.BaseRank, w.Rank)
	}
	if _, err := WhatIfScore(ps, "NOPE", nil); !errors.Is(err, ErrUnknownUnit) {
		t.Errorf("unknown unit: %v", err)
	}
}

func TestWhatIfValidation(t *testing.T) {
	e := loadDemo(t)
	ps := e.Score(MustPeriod("2024-04"))
	code := unitByName(t, e, "Sở Công Thương")
	den := ps.Unit(code).Metric("ON_TIME_PROCESSING").Counts.Den
	num := ps.Unit(code).Metric("ON_TIME_PROCESSING").Counts.Num
	cases := []struct {
		name  string
		o     Override
		field string
		code  string
		vi    string
	}{
		{"negative numerator", Override{Metric: "ON_TIME_PROCESSING", Num: i64(-1)}, "numerator", ErrCodeNegative, "Tử số không được âm."},
		{"negative denominator", Override{Metric: "ON_TIME_PROCESSING", Den: i64(-5)}, "denominator", ErrCodeNegative, "Mẫu số không được âm."},
		{"numerator above denominator", Override{Metric: "ON_TIME_PROCESSING", Num: i64(den + 1)}, "numerator", ErrCodeNumAboveDen, "Tử số (numerator) above the denominator"},
		{"denominator below numerator", Override{Metric: "ON_TIME_PROCESSING", Den: i64(num - 1)}, "denominator", ErrCodeNumAboveDen, "the denominator (den) below the numerator"},
		{"unknown metric", Override{Metric: "NOT_A_METRIC", Num: i64(1)}, "metric", ErrCodeUnknownMetric, "Chỉ tiêu \"NOT_A_METRIC\" không có trong bộ chỉ số"},
		{"absurdly large", Override{Metric: "ON_TIME_PROCESSING", Num: i64(5_000_000_000), Den: i64(9_000_000_000)}, "numerator", ErrCodeTooLarge, "Tử số quá lớn (tối đa 1.000.000.000)."},
		{"ratio above 100 %", Override{Metric: "ON_TIME_PROCESSING", Ratio: pct(10001)}, "ratio", ErrCodeRatioRange, "Tỷ lệ phải từ 0% đến 100%."},
		{"ratio and numerator", Override{Metric: "ON_TIME_PROCESSING", Num: i64(1), Ratio: pct(5000)}, "ratio", ErrCodeRatioAndNum, "Chỉ nhập tử số hoặc tỷ lệ"},
		{"numerator without denominator", Override{Metric: "ELECTRONIC_CERTIFIED_COPY", Num: i64(3)}, "numerator", ErrCodeNumAboveDen, "không được lớn hơn mẫu số (0)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := WhatIfScore(ps, code, []Override{tc.o})
			var errs InputErrors
			if !errors.As(err, &errs) || len(errs) == 0 {
				t.Fatalf("error %v, want InputErrors", err)
			}
			e := errs[0]
			if e.Field != tc.field || e.Code != tc.code || e.Metric != strings.TrimSpace(tc.o.Metric) {
				t.Errorf("got %+v, want field %s code %s (%s)", e, tc.field, tc.code, tc.vi)
			}
			// What the words are made of (package present words them).
			switch {
			case tc.name == "numerator above denominator" && (e.Num != den+1 || e.Den != den),
				tc.name == "denominator below numerator" && (e.Num != num || e.Den != num-1),
				tc.name == "numerator without denominator" && (e.Num != 3 || e.Den != 0),
				tc.code == ErrCodeUnknownMetric && e.Scheme != ps.Scheme.ID:
				t.Errorf("got %+v for %s", e, tc.vi)
			}
			if len(errs.For(tc.o.Metric)) == 0 {
				t.Error("For does not find the metric's errors")
			}
		})
	}
	// Every problem is reported at once, a repeated metric too.
	_, err := WhatIfScore(ps, code, []Override{
		{Metric: "ON_TIME_PROCESSING", Num: i64(-1)},
		{Metric: "DOSSIER_SYNC", Num: i64(MaxWhatIfCount + 1)},
		{Metric: "DOSSIER_SYNC", Num: i64(1)},
	})
	var errs InputErrors
	if !errors.As(err, &errs) || len(errs) != 3 || errs[2].Code != ErrCodeRepeated {
		t.Fatalf("errors %v", err)
	}
	// The largest allowed counts score without overflow.
	w, err := WhatIfScore(ps, code, []Override{{Metric: "ON_TIME_PROCESSING", Num: i64(MaxWhatIfCount - 1), Den: i64(MaxWhatIfCount)}})
	if err != nil || w.Score.Metric("ON_TIME_PROCESSING").Points != 2000 {
		t.Errorf("largest counts: %v", err)
	}
	// A form row left empty changes nothing.
	w, err = WhatIfScore(ps, code, []Override{{Metric: "DOSSIER_SYNC"}})
	if err != nil || len(w.Changed) != 0 {
		t.Errorf("empty row: %v %v", err, w.Changed)
	}
}

// Form fields and JSON bodies read into overrides; what cannot be read is
// reported next to its field, like any other input error.
func TestOverrideFromTextAndJSON(t *testing.T) {
	o := OverrideFromText(" ON_TIME_PROCESSING ", "1.234", "", "95,5%")
	if o.Metric != "ON_TIME_PROCESSING" || o.Num == nil || *o.Num != 1234 || o.Den != nil || o.Ratio == nil || *o.Ratio != 9550 || len(o.errs) != 0 {
		t.Errorf("%+v", o)
	}
	if o := OverrideFromText("X", "-3", "1 234 567", "95.25"); *o.Num != -3 || *o.Den != 1234567 || *o.Ratio != 9525 {
		t.Errorf("%+v", o)
	}
	for _, tc := range []struct{ num, den, ratio, field, code string }{
		{"1,5", "", "", "numerator", ErrCodeNotANumber},
		{"2.5", "", "", "numerator", ErrCodeNotANumber},
		{"12.34.567", "", "", "numerator", ErrCodeNotANumber},
		{"abc", "", "", "numerator", ErrCodeNotANumber},
		{"", "99999999999999999999999", "", "denominator", ErrCodeTooLarge},
		{"", "1.000.000.001", "", "denominator", ErrCodeTooLarge},
		{"", "", "95,555", "ratio", ErrCodeNotANumber},
		{"", "", "1e2", "ratio", ErrCodeNotANumber},
		{"", "", "1/3", "ratio", ErrCodeNotANumber},
	} {
		o := OverrideFromText("ON_TIME_PROCESSING", tc.num, tc.den, tc.ratio)
		if len(o.errs) != 1 || o.errs[0].Field != tc.field || o.errs[0].Code != tc.code {
			t.Errorf("%+v: %+v", tc, o.errs)
		}
	}

	e := loadDemo(t)
	ps := e.Score(MustPeriod("2024-04"))
	code := unitByName(t, e, "Sở Công Thương")
	var body struct {
		Overrides []Override `json:"overrides"`
	}
	err := json.Unmarshal([]byte(`{"overrides":[{"metric":"ONLINE_SUBMISSION","numerator":185,"denominator":370},
		{"metric":"ON_TIME_PROCESSING","ratio":100},{"metric":"DOSSIER_SYNC","numerator":2.5}]}`), &body)
	if err != nil {
		t.Fatal(err)
	}
	_, err = WhatIfScore(ps, code, body.Overrides)
	var errs InputErrors
	if !errors.As(err, &errs) || len(errs) != 1 || errs[0].Metric != "DOSSIER_SYNC" || errs[0].Field != "numerator" {
		t.Fatalf("JSON with a fractional count: %v", err)
	}
	w, err := WhatIfScore(ps, code, body.Overrides[:2])
	if err != nil {
		t.Fatal(err)
	}
	if w.Score.Metric("ONLINE_SUBMISSION").Counts != C(185, 370) || w.Score.Metric("ON_TIME_PROCESSING").Points != 2000 {
		t.Errorf("JSON overrides not applied: %v", w.Changed)
	}
}
