package scoring

import "testing"

// One missing-data rule for every period: a metric whose row says "no
// counts" (empty numerator and denominator) takes the no-data rule and is
// not missing, in a month and in a quarter holding only that month alike;
// a metric with no row at all is missing in both.
func TestMissingIsTheSameInAMonthAndItsQuarter(t *testing.T) {
	schemes := loadDefault(t)
	own := map[Key]Counts{}
	s := schemes.For(MustPeriod("2024-04"))
	for _, m := range s.Metrics {
		if !m.Scored() || m.Code == "ONLINE_PAYMENT_DOSSIERS" {
			continue // the payment dossiers metric is left with no row
		}
		if m.Level == LevelProvince {
			own[Key{Period: "2024-04", Unit: "BK", Metric: m.Code}] = Counts{Num: 2, Den: 3, Valid: true}
			continue
		}
		c := Counts{Num: 9, Den: 10, Valid: true}
		if m.Code == "ELECTRONIC_CERTIFIED_COPY" {
			c = Counts{} // an agency makes no certified copies: "no counts"
		}
		own[Key{Period: "2024-04", Unit: "BK.SCT", Metric: m.Code}] = c
	}
	e := NewEngine(schemes, &Dataset{Units: []Unit{
		{Code: "BK", Name: "Tỉnh Bắc Kạn", Kind: KindProvince},
		{Code: "BK.SCT", Name: "Sở Công Thương", Kind: KindAgency, ParentCode: "BK"},
	}, Own: own})
	month := e.Score(MustPeriod("2024-04")).Unit("BK.SCT")
	quarter := e.Score(MustPeriod("2024-Q2")).Unit("BK.SCT")
	if month.Missing != 1 || quarter.Missing != month.Missing {
		t.Errorf("missing: month %d, quarter %d; want 1 in both (the payment dossiers)", month.Missing, quarter.Missing)
	}
	for _, us := range []*UnitScore{month, quarter} {
		cert := us.Metric("ELECTRONIC_CERTIFIED_COPY")
		if cert.Source == SourceNone || !cert.NoData || cert.Points != cert.Max {
			t.Errorf("%s: certified copies %+v, want the no-data rule (full points), not missing", us.Period, cert)
		}
		if pay := us.Metric("ONLINE_PAYMENT_DOSSIERS"); pay.Source != SourceNone {
			t.Errorf("%s: payment dossiers source %v, want none", us.Period, pay.Source)
		}
	}
	if month.Total != quarter.Total {
		t.Errorf("total: month %s, quarter holding only that month %s", month.Total, quarter.Total)
	}
}
