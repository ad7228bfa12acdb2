package handlers

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// A file wrong on every row is refused with the first problems listed and
// the rest counted by kind; a long cell of the file is never shown whole.
func TestWebRefusalCountsTheRest(t *testing.T) {
	f := newAccessFixture(t, fixtureOptions{})
	office := f.client()
	office.login("vanphong")
	office.get("/staff/import")

	var b strings.Builder
	b.WriteString("period,unit_code,metric,numerator,denominator\n")
	for i := 0; i < 250; i++ {
		fmt.Fprintf(&b, "2024-06,BK.KHONGCO%03d,ON_TIME_PROCESSING,1,2\n", i)
	}
	r := office.upload("/staff/import", "loi.csv", b.String())
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("bad file: %d %.500s", r.status, r.body)
	}
	for _, want := range []string{"<td>201</td>", "… và 50 lỗi khác cùng loại, từ dòng 202: Đơn vị", "BK.KHONGCO200"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("refusal lacks %q", want)
		}
	}
	if strings.Contains(r.body, "<td>202</td>") {
		t.Error("more problems listed than kept")
	}

	long := strings.Repeat("x", 500<<10)
	r = office.upload("/staff/import", "cot.csv", "period,unit_code,metric,numerator,denominator,"+long+"\n2024-06,BK.SGTVT,ON_TIME_PROCESSING,1,2,\n")
	if r.status != fiber.StatusUnprocessableEntity || !strings.Contains(r.body, "không thuộc tệp số liệu chỉ số") {
		t.Fatalf("long column: %d %s", r.status, r.body[strings.Index(r.body, "<main"):])
	}
	if len(r.body) > 64<<10 {
		t.Errorf("the refusal page is %d bytes: the long column is shown whole", len(r.body))
	}
}
