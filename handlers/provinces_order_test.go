package handlers

import (
	"regexp"
	"strings"
	"testing"

	"scorecard/present"
	"scorecard/scoring"
)

// Provinces to choose from are in the order a Vietnamese reader looks them
// up: by the proper name, whatever "Tỉnh", "Thành phố" or "UBND tỉnh"
// comes before it, with Vietnamese letters (ă, â after a; Đ after D; ư
// after u) and tones after the base letter.
func TestSortProvinces(t *testing.T) {
	want := []string{"Tỉnh An Giang", "Tỉnh Bắc Ninh", "Tỉnh Cà Mau", "Tỉnh Cao Bằng", "Thành phố Cần Thơ",
		"Tỉnh Dương Minh", "Thành phố Đà Nẵng", "Tỉnh Đắk Lắk", "Tỉnh Điện Biên", "Thành phố Hà Nội", "Tỉnh Hà Tĩnh",
		"Thành phố Huế", "Tỉnh Hưng Yên", "Tỉnh Lai Châu", "UBND tỉnh Lạng Sơn", "Tỉnh Lào Cai", "Tỉnh Lâm Đồng",
		"Tỉnh Quảng Ngãi", "THÀNH PHỐ Quảng Ninh", "Tỉnh Thái Nguyên", "Tỉnh Tuyên Quang", "Tỉnh Vĩnh Long"}
	// Reversed, then every other one moved to the end: any input order.
	var in []scoring.Unit
	for i := len(want) - 1; i >= 0; i -= 2 {
		in = append(in, scoring.Unit{Code: want[i], Name: want[i], Kind: scoring.KindProvince})
	}
	for i := len(want) - 2; i >= 0; i -= 2 {
		in = append(in, scoring.Unit{Code: want[i], Name: want[i], Kind: scoring.KindProvince})
	}
	var got []string
	for _, u := range sortProvinces(in) {
		got = append(got, u.Name)
	}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("order:\n got %s\nwant %s", strings.Join(got, "; "), strings.Join(want, "; "))
	}
	for name, proper := range map[string]string{"Tỉnh Thái Nguyên": "Thái Nguyên", "Thành phố Hà Nội": "Hà Nội",
		"UBND tỉnh An Giang": "An Giang", "TP. Hồ Chí Minh": "Hồ Chí Minh", "Tỉnh": "Tỉnh", "Tĩnh Gia": "Tĩnh Gia"} {
		if got := present.ProvinceProperName(name); got != proper {
			t.Errorf("ProvinceProperName(%q) = %q, want %q", name, got, proper)
		}
	}
}

var optionRE = regexp.MustCompile(`<option value="([A-Z]+)"`)

// The rankings' province select and the reports' choice of province list
// "Thành phố Cẩm Giang" after "Tỉnh An Phú" and "Tỉnh Bình Hòa".
func TestProvinceChoicesOrder(t *testing.T) {
	app, _ := newPageApp(t, pageSource{ds: countryFixture()})
	_, _, body := get(t, app, "/rankings?kind=commune&period=2026-10")
	var got []string
	for _, m := range optionRE.FindAllStringSubmatch(between(t, body, `id="f-province"`, "</select>"), -1) {
		got = append(got, m[1])
	}
	if strings.Join(got, ",") != "AA,BB,CC" {
		t.Errorf("rankings' province select: %v, want AA (An Phú), BB (Bình Hòa), CC (Cẩm Giang)", got)
	}
	_, _, body = get(t, app, "/reports/2026-10")
	a, b, c := strings.Index(body, "province=AA"), strings.Index(body, "province=BB"), strings.Index(body, "province=CC")
	if a < 0 || !(a < b && b < c) {
		t.Errorf("reports' choice of province out of order: %d %d %d", a, b, c)
	}
}
