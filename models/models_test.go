package models

import (
	"reflect"
	"testing"
)

func TestPeriodsRoundTrip(t *testing.T) {
	for _, ps := range [][]string{nil, {"2024-04"}, {"2024-04", "2024-Q2", "2024"}} {
		imp := Import{Periods: JoinPeriods(ps)}
		if got := imp.PeriodList(); !reflect.DeepEqual(got, ps) {
			t.Errorf("PeriodList(JoinPeriods(%v)) = %v", ps, got)
		}
	}
}

func TestSmallMethods(t *testing.T) {
	p := "BK"
	if (Unit{}).Parent() != "" || (Unit{ParentCode: &p}).Parent() != "BK" {
		t.Error("Unit.Parent")
	}
	n, d := int64(1), int64(2)
	if (MetricCount{}).HasCounts() || !(MetricCount{Numerator: &n, Denominator: &d}).HasCounts() || (MetricCount{Numerator: &n}).HasCounts() {
		t.Error("MetricCount.HasCounts")
	}
}
