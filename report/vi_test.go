package report_test

import (
	"testing"
	"time"

	"scorecard/report"
	"scorecard/scoring"
)

// Decree 30/2020/NĐ-CP, Appendix I: days below 10 and months 1 and 2 take a
// leading zero; other months do not.
func TestAdminDate(t *testing.T) {
	vn := scoring.Location
	cases := []struct {
		t    time.Time
		want string
	}{
		{time.Date(2024, 5, 5, 9, 0, 0, 0, vn), "Bắc Kạn, ngày 05 tháng 5 năm 2024"},
		{time.Date(2024, 2, 1, 9, 0, 0, 0, vn), "Bắc Kạn, ngày 01 tháng 02 năm 2024"},
		{time.Date(2024, 1, 15, 9, 0, 0, 0, vn), "Bắc Kạn, ngày 15 tháng 01 năm 2024"},
		{time.Date(2024, 3, 10, 9, 0, 0, 0, vn), "Bắc Kạn, ngày 10 tháng 3 năm 2024"},
		{time.Date(2024, 10, 9, 9, 0, 0, 0, vn), "Bắc Kạn, ngày 09 tháng 10 năm 2024"},
		{time.Date(2024, 12, 31, 9, 0, 0, 0, vn), "Bắc Kạn, ngày 31 tháng 12 năm 2024"},
		{time.Date(2024, 11, 20, 9, 0, 0, 0, vn), "Bắc Kạn, ngày 20 tháng 11 năm 2024"},
		// 20:00 UTC on 4 May is already 5 May in Vietnam.
		{time.Date(2024, 5, 4, 20, 0, 0, 0, time.UTC), "Bắc Kạn, ngày 05 tháng 5 năm 2024"},
	}
	for _, c := range cases {
		if got := report.AdminDate("Bắc Kạn", c.t); got != c.want {
			t.Errorf("%v: %q, want %q", c.t, got, c.want)
		}
	}
}

func TestPlaceName(t *testing.T) {
	for in, want := range map[string]string{
		"Tỉnh Bắc Kạn": "Bắc Kạn", "Thành phố Hà Nội": "Hà Nội", " Tỉnh Gia Lai ": "Gia Lai", "Bộ Tài chính": "Bộ Tài chính",
	} {
		if got := report.PlaceName(in); got != want {
			t.Errorf("PlaceName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestJoinAndNumbers(t *testing.T) {
	join := []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"A"}, "A"},
		{[]string{"A", "B"}, "A và B"},
		{[]string{"A", "B", "C"}, "A, B và C"},
		{[]string{"Sở Tài chính", "Sở Văn hóa, Thể thao và Du lịch", "Sở Xây dựng"}, "Sở Tài chính; Sở Văn hóa, Thể thao và Du lịch và Sở Xây dựng"},
		{[]string{"A (82,28 điểm)", "B (81 điểm)", "C"}, "A (82,28 điểm), B (81 điểm) và C"},
	}
	for _, c := range join {
		if got := report.JoinVI(c.in); got != c.want {
			t.Errorf("JoinVI(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
