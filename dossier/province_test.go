package dossier

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"scorecard/data"
	"scorecard/scoring"
)

// dossierMetrics are the metrics counted from dossiers and the catalogue.
var dossierMetrics = []string{
	MetricOnTime, MetricSatisfaction, MetricOnlineSubmission, MetricSync, MetricOnlinePayment,
	MetricOriginalResult, MetricDigitized, MetricReused, MetricPersonalStore, MetricCitizenData,
	MetricServiceUsage, MetricPaymentUsed, MetricServiceProvision, MetricPaymentEnabled,
	MetricCitizenDataFormality,
}

// TestProvincePoolsItsUnitsForEveryPeriod: for random dossier sets and every
// period kind, each dossier-derived metric of the province equals the sum of
// that metric over its units for the same period (scoring.md §4: a
// province's counts are the pool of its units'), and a period's on-time
// denominator never exceeds the number of distinct dossiers handled in it.
// Summing the province's months instead counts a dossier open across two
// months twice, and a unit's procedures once per month.
func TestProvincePoolsItsUnitsForEveryPeriod(t *testing.T) {
	schemes, err := data.DefaultSchemes()
	if err != nil {
		t.Fatal(err)
	}
	units := []scoring.Unit{
		{Code: "BK", Name: "Tỉnh", Kind: scoring.KindProvince},
		{Code: "BK.A", Name: "A", Kind: scoring.KindAgency, ParentCode: "BK"},
		{Code: "BK.B", Name: "B", Kind: scoring.KindAgency, ParentCode: "BK"},
		{Code: "BK.C", Name: "C", Kind: scoring.KindAgency, ParentCode: "BK"},
	}
	checked, longer := 0, 0
	for seed := uint64(1); seed <= 25; seed++ {
		rng := rand.New(rand.NewPCG(seed, 17))
		ds, states := randomSet(rng, 50+rng.IntN(250))
		d := NewDeriver()
		r := NewDossierReader("d.csv", bytes.NewReader(csvOf(ds)), d.ReadOptions())
		if _, err := d.AddAll(r); err != nil || r.ProblemCount() > 0 {
			t.Fatalf("seed %d: read: %v %v", seed, err, r.Problems())
		}
		derived := d.Counts(DeriveOptions{Catalogue: catalogueOf(states)})
		e := scoring.NewEngine(schemes, &scoring.Dataset{Units: units, Dossier: derived})

		for _, p := range e.Periods() {
			ps := e.Score(p)
			prov := ps.Unit("BK")
			for _, code := range dossierMetrics {
				var sum scoring.Counts
				for _, u := range units[1:] {
					if ms := ps.Unit(u.Code).Metric(code); ms.Counts.Valid {
						sum = scoring.Counts{Num: sum.Num + ms.Counts.Num, Den: sum.Den + ms.Counts.Den, Valid: true}
					}
				}
				got := prov.Metric(code).Counts
				if got != sum {
					t.Fatalf("seed %d, %s, %s: province %d/%d (valid %v), its units' sum %d/%d (valid %v)",
						seed, p, code, got.Num, got.Den, got.Valid, sum.Num, sum.Den, sum.Valid)
				}
				checked++
				if p.Kind != scoring.Month && sum.Valid {
					longer++
				}
			}
			handled := int64(0)
			for _, x := range ds {
				if h, _, _ := refJudge(x, p.Start(), p.End()); h {
					handled++
				}
			}
			if den := prov.Metric(MetricOnTime).Counts.Den; den > handled {
				t.Fatalf("seed %d, %s: province on-time denominator %d > %d distinct dossiers handled", seed, p, den, handled)
			}
		}
	}
	if longer == 0 {
		t.Fatal("no quarter, half-year or year with counts was checked: the test proves nothing")
	}
	t.Logf("%d province metrics checked, %d of them in longer periods", checked, longer)
}
