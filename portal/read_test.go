package portal_test

import (
	"errors"
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
