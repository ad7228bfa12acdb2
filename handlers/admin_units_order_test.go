package handlers

import (
	"regexp"
	"strings"
	"testing"
)

// The admin's choice of a unit account's unit lists each kind's units in
// Vietnamese alphabetical order (Tài before Thông, Đ after D and before
// E, letters before tones: Giáo dục before Giao thông), not by the bytes
// of their names.
func TestAdminUnitChoiceVietnameseOrder(t *testing.T) {
	t.Parallel()
	f := newAccessFixture(t, fixtureOptions{})
	f.importString("more-units.csv", "code,name,kind,parent_code\n"+
		"BK.STTTT,Sở Thông tin và Truyền thông,agency,BK\n"+
		"BK.SDL,Sở Du lịch,agency,BK\n"+
		"BK.SDN,Sở Đối ngoại,agency,BK\n"+
		"BK.SGDDT,Sở Giáo dục và Đào tạo,agency,BK\n")
	admin := f.client()
	admin.login("quantri")
	r := admin.get("/admin/users")
	sel := regexp.MustCompile(`(?s)<select id="new-unit".*?</select>`).FindString(r.body)
	var got []string
	for _, m := range regexp.MustCompile(`<option value="BK\.S[^"]*">([^<(]*) \(`).FindAllStringSubmatch(sel, -1) {
		got = append(got, m[1])
	}
	want := []string{"Sở Du lịch", "Sở Đối ngoại", "Sở Giáo dục và Đào tạo", "Sở Giao thông vận tải", "Sở Tài chính", "Sở Thông tin và Truyền thông", "Sở Y tế"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("agencies in the unit choice:\n got %q\nwant %q", got, want)
	}
}
