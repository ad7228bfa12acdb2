package demogen

import (
	"testing"
	"time"

	"scorecard/scoring"
)

// The generator searches with its own scorer; the demo's facts are checked
// with the engine. The two must agree on every unit in every month of both
// provinces, with the units' dates, or the search would aim at the wrong
// numbers and the published totals would not be the engine's.
func TestScorerAgreesWithEngine(t *testing.T) {
	b, err := buildAll()
	if err != nil {
		t.Fatal(err)
	}
	ds := &scoring.Dataset{Own: map[scoring.Key]scoring.Counts{}}
	day := func(s string) time.Time {
		if s == "" {
			return time.Time{}
		}
		d, err := time.ParseInLocation(time.DateOnly, s, scoring.Location)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	type at struct {
		g *generator
		i int
		p scoring.Period
	}
	var months []at
	for _, g := range []*generator{b.bk, b.tn} {
		for _, u := range g.units {
			ds.Units = append(ds.Units, scoring.Unit{Code: u.Code, Name: u.Name, Kind: u.Kind, ParentCode: u.Parent,
				ValidFrom: day(u.ValidFrom), ValidTo: day(u.ValidTo)})
		}
		p := g.first
		for i := range g.vals {
			months = append(months, at{g, i, p})
			for j, u := range g.units {
				for code, v := range g.vals[i][j] {
					k := scoring.Key{Period: p.String(), Unit: u.Code, Metric: code}
					if v.ok {
						ds.Own[k] = scoring.C(v.n, v.d)
					} else {
						ds.Own[k] = scoring.Counts{}
					}
				}
			}
			p = p.Next()
		}
	}
	if got, want := len(months), monthsBetween(FirstMonth, LastMonth); got != want {
		t.Fatalf("%d months, want %d", got, want)
	}
	schemes, err := scoring.NewSchemes(b.bk.scheme)
	if err != nil {
		t.Fatal(err)
	}
	e := scoring.NewEngine(schemes, ds)
	for _, m := range months {
		ps := e.Score(m.p)
		for j, u := range m.g.units {
			mine, _ := m.g.scoreUnit(m.i, j)
			us := ps.Unit(u.Code)
			if got := us.Total; int64(got) != mine {
				t.Errorf("%s %s: engine %s, generator %s", m.p, u.Code, got, scoring.Cents(mine))
			}
			if !us.Exists {
				t.Errorf("%s %s: the engine says the unit does not exist", m.p, u.Code)
			}
		}
	}
}

// The scorer reproduces the worked example of scoring.md §3 metric by
// metric, and the percent_first figure 6 × 87,25 % = 5,23.
func TestScorerWorkedExample(t *testing.T) {
	s, err := loadScheme()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		metric string
		v      counts
		want   int64
	}{
		{mOnTime, c(653, 654), 1997},
		{mPublish, c(1, 47), 13},
		{mUpdate, c(43, 47), 366},
		{mContent, c(47, 47), 200},
		{mSync, c(547, 547), 600},
		{mOriginal, c(610, 654), 560},
		{mDigitised, c(603, 654), 369},
		{mReused, c(636, 654), 200},
		{mPersonal, c(0, 654), 0},
		{mCitDossier, c(220, 654), 67},
		{mCitProc, c(16, 147), 22},
		{mCertCopy, counts{}, 200},
		{mSatisf, c(653, 654), 600},
		{mPetOnTime, c(0, 0), 600},
		{mPetSatisf, c(0, 0), 600},
		{mSync, c(145, 165), 527},
		{mPayDossiers, c(349, 400), 524},
		{mPayDossiers, c(295, 377), 470},
		{mPayUsed, c(3, 5), 150},
		{mOnTime, c(0, 0), 0},
	}
	for _, tc := range cases {
		if got, _ := points(s.Metric(tc.metric), tc.v); got != tc.want {
			t.Errorf("%s %+v: %d, want %d", tc.metric, tc.v, got, tc.want)
		}
	}
}
