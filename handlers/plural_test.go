package handlers

import (
	"strings"
	"testing"
)

// A kind with one unit of data is counted in the singular in English ("1
// unit", "the only unit of its kind"), never "1 units"; two keep the
// plural.
func TestOneUnitInTheSingular(t *testing.T) {
	t.Parallel()
	f := newAccessFixture(t, fixtureOptions{})
	f.importString("district.csv", "period,unit_code,metric,numerator,denominator\n2024-07,BK.BABE,ON_TIME_PROCESSING,9,10\n2024-07,BK.SGTVT,ON_TIME_PROCESSING,9,10\n2024-07,BK.STC,ON_TIME_PROCESSING,8,10\n")
	office := f.client()
	office.login("vanphong")
	// (lang= on every address: the client keeps the language cookie.)
	for _, c := range []struct{ path, want, not string }{
		{"/rankings?kind=district&period=2024-07&lang=en", "1 unit with data", "1 units"},
		{"/units/BK.BABE?period=2024-07&lang=en", "the only unit of its kind with data", "1 units"},
		{"/units/BK.BABE?period=2024-07&lang=vi", "đơn vị duy nhất cùng loại có dữ liệu", "trong 1 đơn vị cùng loại"},
		{"/rankings?kind=agency&period=2024-07&lang=en", "2 units with data", "2 unit with"},
		{"/units/BK.SGTVT?period=2024-07&lang=en", "among 2 units of its kind with data", "the only unit"},
	} {
		r := office.get(c.path)
		if r.status != 200 || !strings.Contains(r.body, c.want) || strings.Contains(r.body, c.not) {
			t.Errorf("%s: %d, want %q and no %q", c.path, r.status, c.want, c.not)
		}
	}
}

// The English import preview counts one unit of the file in one period in
// the singular, and the one other unit whose total moves with it (the
// province).
func TestImportPreviewOneUnitInTheSingular(t *testing.T) {
	t.Parallel()
	f := newAccessFixture(t, fixtureOptions{})
	office := f.client()
	office.login("vanphong")
	r := office.upload("/staff/import?lang=en", "one.csv", "period,unit_code,metric,numerator,denominator\n2024-07,BK.SYT,ON_TIME_PROCESSING,40,41\n")
	text := textOf(r.body)
	for _, want := range []string{"The file changes the total of 1 unit in 1 period",
		"The total of 1 other unit, not in the file, changes with it"} {
		if !strings.Contains(text, want) {
			t.Errorf("the preview lacks %q: %.1500s", want, text)
		}
	}
}
