package handlers

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// Before publishing a month, the office is told which longer periods it
// publishes too: June ends the second quarter and the first half-year
// once May is published; May ends nothing. What the page announced is
// what publishing did.
func TestWebPublishSaysWhatItCloses(t *testing.T) {
	t.Parallel()
	f := newAccessFixture(t, fixtureOptions{})
	ctx := context.Background()
	f.importString("june.csv", "period,unit_code,metric,numerator,denominator\n2024-06,BK.SGTVT,ON_TIME_PROCESSING,18,20\n")
	office := f.client()
	office.login("vanphong")
	const notice = "Công bố tháng này cũng công bố luôn"
	if r := office.get("/staff/publish?period=2024-05"); r.status != fiber.StatusOK || strings.Contains(r.body, notice) {
		t.Errorf("May (ends no quarter): %d, notice shown %v", r.status, strings.Contains(r.body, notice))
	}
	if r := office.get("/staff/publish?period=2024-06"); strings.Contains(r.body, notice) {
		t.Errorf("June, May a draft: the page says June closes a period")
	}
	// June has the figures of one agency, May of two, of the fixture's
	// four units: before publishing, the office is told how many have
	// none and will show no data.
	if r := office.get("/staff/publish?period=2024-06"); !strings.Contains(r.body, "3 trong 4 đơn vị chưa có số liệu của kỳ này") {
		t.Errorf("June, figures of one unit in four: the page does not say that three have none")
	}
	if r := office.get("/staff/publish?period=2024-05"); !strings.Contains(r.body, "2 trong 4 đơn vị chưa có số liệu của kỳ này") {
		t.Errorf("May, figures of two units in four: the page does not say that two have none")
	}
	if r := office.post("/staff/publish", url.Values{"period": {"2024-05"}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("publish May: %d", r.status)
	}
	r := office.get("/staff/publish?period=2024-06")
	if want := notice + " Quý II/2024 và 6 tháng đầu năm 2024:"; r.status != fiber.StatusOK || !strings.Contains(r.body, want) {
		t.Errorf("June, May published: %d, want %q in the page", r.status, want)
	}
	if r := office.get("/staff/publish?period=2024-06&lang=en"); !strings.Contains(r.body, "Publishing this month also publishes Q2 2024 and H1 2024:") {
		t.Errorf("June in English: the notice is missing or worded otherwise")
	} else if !strings.Contains(r.body, "This period has figures for 1 unit.") {
		t.Errorf("June in English: one unit with figures is not counted in the singular")
	} else if !strings.Contains(r.body, "3 of 4 units have no figures for this period") {
		t.Errorf("June in English: the units without figures are not counted")
	}
	office.get("/staff?lang=vi") // back to Vietnamese (the client keeps the cookie)
	if r := office.post("/staff/publish", url.Values{"period": {"2024-06"}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("publish June: %d", r.status)
	}
	for _, p := range []string{"2024-Q2", "2024-H1"} {
		if _, err := f.st.Publication(ctx, p); err != nil {
			t.Errorf("%s announced but not published: %v", p, err)
		}
	}
	if _, err := f.st.Publication(ctx, "2024"); err == nil {
		t.Error("the year was published, and the page did not say so")
	}
}
