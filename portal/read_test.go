package portal_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"scorecard/data"
	"scorecard/i18n"
	"scorecard/portal"
	"scorecard/scoring"
)

const fixture = "testdata/h90-2026-08"

func reader(t testing.TB) *portal.Reader {
	t.Helper()
	s, err := data.DefaultSchemes()
	if err != nil {
		t.Fatal(err)
	}
	return portal.NewReader(s)
}

func TestReadCaptureFolder(t *testing.T) {
	c, err := reader(t).ReadCapture(fixture)
	if err != nil {
		var pe *portal.ProblemsError
		if errors.As(err, &pe) {
			for _, l := range pe.Lines(i18n.EN) {
				t.Log(l)
			}
		}
		t.Fatal(err)
	}
	if c.ProvinceCode != "H90" || c.Period != scoring.MustPeriod("2026-08") || !c.Complete() || c.Bare {
		t.Fatalf("capture %+v", c)
	}
	if want := time.Date(2026, 9, 25, 23, 0, 0, 0, time.UTC); !c.AsOf.Equal(want) {
		t.Errorf("as of %v, want %v", c.AsOf, want)
	}
	for _, e := range portal.Endpoints {
		if len(c.Pages[e]) != 1 || len(c.Pages[e][0].Units) != 6 {
			t.Errorf("%s: %d pages", e, len(c.Pages[e]))
		}
	}
}

func TestRunningPeriodsAreVietnamDates(t *testing.T) {
	for now, want := range map[string]string{
		"2026-09-26T03:00:00Z": "2026-08 2026-09 2026-Q3 2026",
		"2026-09-30T23:30:00Z": "2026-09 2026-10 2026-Q4 2026", // already 1 October in Vietnam
		"2026-12-31T17:00:00Z": "2026-12 2027-01 2027-Q1 2027",
	} {
		n, _ := time.Parse(time.RFC3339, now)
		var got []string
		for _, p := range portal.Running(n) {
			got = append(got, p.String())
		}
		if strings.Join(got, " ") != want {
			t.Errorf("Running(%s) = %v, want %s", now, got, want)
		}
	}
}

func TestRequestsAndPeriods(t *testing.T) {
	p := scoring.MustPeriod("2026-Q3")
	r := portal.NewRequest(portal.Satisfaction, p, "root", 2)
	if r.FromDate != "2026-07-01" || r.ToDate != "2026-09-30" || r.TimeType != "" || r.CurrentPage != 2 || r.PageSize != 200 {
		t.Errorf("satisfaction request %+v", r)
	}
	if got, err := r.Period(); err != nil || got != p {
		t.Errorf("period of %+v = %v, %v", r, got, err)
	}
	r = portal.NewRequest(portal.Progress, scoring.MustPeriod("2026-08"), "root", 1)
	if r.TimeType != "month" || r.Month != 8 || r.Year != 2026 || r.PageSize != 100 {
		t.Errorf("tree request %+v", r)
	}
	if _, err := portal.PeriodOfDates("2026-07-01", "2026-08-15"); err == nil {
		t.Error("half a quarter taken as a period")
	}
	if e, page, ok := portal.ParseFileName(portal.FileName(portal.Payment, 3)); !ok || e != portal.Payment || page != 3 {
		t.Errorf("file name round trip: %v %d %v", e, page, ok)
	}
}
