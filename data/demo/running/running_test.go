package running

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"testing"
	"time"

	"scorecard/data"
	"scorecard/data/demo"
	"scorecard/data/demo/dataset"
	"scorecard/importer"
	"scorecard/internal/storetest"
	"scorecard/models"
	"scorecard/scoring"
	"scorecard/store"
)

func schemes(t testing.TB) *scoring.Schemes {
	t.Helper()
	s, err := data.DefaultSchemes()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// digest is every capture's content, for comparing two runs.
func digest(caps []store.PortalCapture) string {
	h := sha256.New()
	for _, c := range caps {
		fmt.Fprintf(h, "%s %s %d %v\n", c.Fingerprint, c.Name, c.AsOf.Unix(), c.Groups)
		for _, f := range c.Figures {
			fmt.Fprintf(h, "%s %s %d %d\n", f.Unit, f.Group, *f.Score, *f.Max)
			for _, m := range f.Metrics {
				fmt.Fprintf(h, "%s %v %v %d %v\n", m.Code, ival(m.Num), ival(m.Den), *m.Score, val(m.Ratio))
			}
		}
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// The running year is one capture each evening, 22:00, from 1 September
// to 30 November 2026, of Thái Nguyên and its 53 units only; the same
// program makes the same captures; every count is one the importer
// accepts; the denominators only grow, and nothing moves on a Sunday.
func TestCaptures(t *testing.T) {
	s := schemes(t)
	caps, err := Captures(s.For(scoring.MustPeriod(Period)))
	if err != nil {
		t.Fatal(err)
	}
	again, err := Captures(s.For(scoring.MustPeriod(Period)))
	if err != nil {
		t.Fatal(err)
	}
	if digest(caps) != digest(again) {
		t.Error("two runs make different captures")
	}
	if len(caps) != 91 {
		t.Fatalf("%d captures, want 91", len(caps))
	}
	ds, err := dataset.Load()
	if err != nil {
		t.Fatal(err)
	}
	e := scoring.NewEngine(s, ds)
	type key struct{ unit, metric string }
	prev := map[key][2]int64{}
	prevFig := map[[2]string]string{}
	moved := 0
	for i, c := range caps {
		want := First.AddDate(0, 0, i).Add(22 * time.Hour)
		if !c.AsOf.Equal(want) || c.Period != Period || c.ProvinceCode != Province || !c.Complete || len(c.Groups) != 6 {
			t.Fatalf("capture %d: %s %s %s %v", i, c.AsOf, c.Period, c.ProvinceCode, c.Complete)
		}
		if len(c.Units) != 54 || len(c.Figures) != 54*6 {
			t.Fatalf("capture %d: %d units, %d figures", i, len(c.Units), len(c.Figures))
		}
		for _, u := range c.Units {
			if e.ProvinceOf(u.Code) != Province {
				t.Fatalf("%s, of another province, captured", u.Code)
			}
		}
		sunday := c.AsOf.In(scoring.Location).Weekday() == time.Sunday
		for _, f := range c.Figures {
			state := fmt.Sprint(*f.Score)
			for _, m := range f.Metrics {
				if (m.Num == nil) != (m.Den == nil) || (m.Num != nil && (*m.Num < 0 || *m.Num > *m.Den)) {
					t.Fatalf("%s %s %s: %v/%v", c.Name, f.Unit, m.Code, ival(m.Num), ival(m.Den))
				}
				if m.Num == nil {
					continue
				}
				state += fmt.Sprintf(" %d/%d", *m.Num, *m.Den)
				k := key{f.Unit, m.Code}
				if p, ok := prev[k]; ok && s.For(scoring.MustPeriod(Period)).Metric(m.Code).Aggregation == scoring.Flow && *m.Den < p[1] {
					t.Errorf("%s %s %s: denominator %d after %d", c.Name, f.Unit, m.Code, *m.Den, p[1])
				}
				prev[k] = [2]int64{*m.Num, *m.Den}
			}
			fk := [2]string{f.Unit, f.Group}
			if old, ok := prevFig[fk]; ok && old != state {
				if sunday && c.AsOf.Day() != 1 {
					t.Errorf("%s %s/%s moved on a Sunday", c.Name, f.Unit, f.Group)
				}
				moved++
			}
			prevFig[fk] = state
		}
	}
	// Believable: most groups move on a working day.
	if moved < 54*6*50 {
		t.Errorf("only %d moves of a unit's group over the days", moved)
	}
}

// The running year as of its last evening is the year the demo's months
// make: for every unit, the counts of each metric are January to November
// added up (a snapshot metric: November's), and the portal's published
// total is the engine's total of the year.
func TestLastDayIsTheMonths(t *testing.T) {
	s := schemes(t)
	p := scoring.MustPeriod(Period)
	caps, err := Captures(s.For(p))
	if err != nil {
		t.Fatal(err)
	}
	ds, err := dataset.Load()
	if err != nil {
		t.Fatal(err)
	}
	e := scoring.NewEngine(s, ds)
	ps := e.Score(p)
	last := caps[len(caps)-1]
	totals := map[string]scoring.Cents{}
	for _, f := range last.Figures {
		totals[f.Unit] += *f.Score
		for _, m := range f.Metrics {
			if m.Num == nil {
				continue
			}
			var num, den int64
			for mon := 1; mon <= 11; mon++ {
				mp := scoring.MustPeriod(fmt.Sprintf("%s-%02d", Period, mon))
				unit := f.Unit
				if s.For(p).Metric(m.Code).Level == scoring.LevelProvince {
					unit = Province
				}
				c, ok := ds.Own[scoring.Key{Period: mp.String(), Unit: unit, Metric: m.Code}]
				if !ok && unit == Province {
					// The province's pool of its units.
					for _, u := range last.Units[1:] {
						if uc := ds.Own[scoring.Key{Period: mp.String(), Unit: u.Code, Metric: m.Code}]; uc.Valid {
							c.Num, c.Den, c.Valid = c.Num+uc.Num, c.Den+uc.Den, true
						}
					}
				}
				if !c.Valid {
					continue
				}
				if s.For(p).Metric(m.Code).Aggregation == scoring.Snapshot {
					num, den = c.Num, c.Den
				} else {
					num, den = num+c.Num, den+c.Den
				}
			}
			if *m.Num != num || *m.Den != den {
				t.Errorf("%s %s on 30/11: %d/%d, the months make %d/%d", f.Unit, m.Code, *m.Num, *m.Den, num, den)
			}
		}
	}
	for code, total := range totals {
		us := ps.Units[code]
		if us == nil || us.Total != total {
			t.Errorf("%s: published %v on 30/11, the year's page %v", code, total, us)
		}
	}
}

// Loaded as the demo loads it, on both databases: the captures, their
// snapshots and the year's published scores are there; loading again
// changes nothing; removing the demo removes them all.
func TestLoadAndRemove(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db storetest.DB) {
		ctx := t.Context()
		st := db.Open(t)
		s := schemes(t)
		f, _ := demo.Lookup(unitsFile)
		if _, err := importer.New(st, s).Import(ctx, "demo/"+f.Name, bytes.NewReader(f.Data), models.SourceDemo, true); err != nil {
			t.Fatal(err)
		}
		res, err := Load(ctx, st, s)
		if err != nil {
			t.Fatal(err)
		}
		if res.Already || res.Snapshots < 54*6 || res.Figures != 54*6 {
			t.Fatalf("load: %+v", res)
		}
		caps, err := st.PortalCaptures(ctx, Province, Period)
		if err != nil || len(caps) != 91 {
			t.Fatalf("%d captures, %v", len(caps), err)
		}
		state, err := st.PortalStateAt(ctx, Period, time.Date(2026, 10, 11, 23, 0, 0, 0, scoring.Location))
		if err != nil || len(state) != 54*6 {
			t.Fatalf("state on 11/10: %d rows, %v", len(state), err)
		}
		official, err := st.OfficialScores(ctx, Period)
		if err != nil || len(official) == 0 {
			t.Fatalf("%d official scores, %v", len(official), err)
		}
		again, err := Load(ctx, st, s)
		if err != nil || !again.Already {
			t.Fatalf("load again: %+v %v", again, err)
		}
		if caps, _ := st.PortalCaptures(ctx, Province, Period); len(caps) != 91 {
			t.Errorf("%d captures after loading again", len(caps))
		}
		if _, err := st.RemoveDemo(ctx); err != nil {
			t.Fatal(err)
		}
		fp, err := st.PortalFootprint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if fp.Captures != 0 || fp.Snapshots != 0 {
			t.Errorf("after demo remove: %+v", fp)
		}
		if official, _ := st.OfficialScores(ctx, Period); len(official) != 0 {
			t.Errorf("%d official scores after demo remove", len(official))
		}
	})
}

func val(c *scoring.Cents) any {
	if c == nil {
		return "-"
	}
	return int64(*c)
}

func ival(v *int64) any {
	if v == nil {
		return "-"
	}
	return *v
}
