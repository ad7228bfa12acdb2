package scoring

import (
	"strings"
	"testing"
	"time"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, Location) }

func TestUnitExistsIn(t *testing.T) {
	merger := day(2025, 7, 1)
	old := Unit{Code: "BK.X", Kind: KindCommune, ValidTo: merger}
	fresh := Unit{Code: "TN.Y", Kind: KindCommune, ValidFrom: merger}
	district := Unit{Code: "BK.D", Kind: KindDistrict}
	agency := Unit{Code: "BK.A", Kind: KindAgency}
	midMonth := Unit{Code: "TN.Z", Kind: KindCommune, ValidFrom: day(2025, 7, 15)}
	cases := []struct {
		u          Unit
		period     string
		exists, ov bool
	}{
		{old, "2025-06", true, true},
		{old, "2025-H1", true, true},
		{old, "2025-07", false, false},
		{old, "2025", false, true}, // the year of the merger is the successors'
		{fresh, "2025-06", false, false},
		{fresh, "2025-07", true, true},
		{fresh, "2025-Q3", true, true},
		{fresh, "2025", true, true},
		{fresh, "2025-H1", false, false},
		{district, "2024-04", true, true},
		{district, "2025-06", true, true},
		{district, "2025-07", false, false}, // no district exists from 01/07/2025
		{district, "2025", false, true},
		{agency, "2026-11", true, true},
		{midMonth, "2025-07", true, true},
		{midMonth, "2025-06", false, false},
	}
	for _, c := range cases {
		p := MustPeriod(c.period)
		if got := c.u.ExistsIn(p); got != c.exists {
			t.Errorf("%s ExistsIn(%s) = %v, want %v", c.u.Code, p, got, c.exists)
		}
		if got := c.u.Overlaps(p); got != c.ov {
			t.Errorf("%s Overlaps(%s) = %v, want %v", c.u.Code, p, got, c.ov)
		}
	}
	// A district's own earlier end stands.
	early := Unit{Kind: KindDistrict, ValidTo: day(2020, 1, 1)}
	if !early.Until().Equal(day(2020, 1, 1)) || !district.Until().Equal(DistrictsAbolished) {
		t.Errorf("Until: %v, %v", early.Until(), district.Until())
	}
}

// mergerDataset: province P with communes A and B until 01/07/2025, merged
// into commune C of province Q from that day; P itself merged into Q.
func mergerDataset() *Dataset {
	merger := day(2025, 7, 1)
	own := map[Key]Counts{}
	put := func(p, u string, n, d int64) { own[Key{p, u, "ON_TIME_PROCESSING"}] = C(n, d) }
	put("2025-05", "P.A", 9, 10)
	put("2025-06", "P.A", 8, 10)
	put("2025-06", "P.B", 5, 10)
	put("2025-06", "P.D", 1, 2)
	put("2025-07", "Q.C", 7, 10)
	put("2025-08", "Q.C", 10, 10)
	put("2025-07", "Q.E", 3, 10)
	return &Dataset{
		Units: []Unit{
			{Code: "P", Name: "Tỉnh P", Kind: KindProvince, ValidTo: merger},
			{Code: "P.A", Name: "Xã A", Kind: KindCommune, ParentCode: "P", ValidTo: merger},
			{Code: "P.B", Name: "Xã B", Kind: KindCommune, ParentCode: "P", ValidTo: merger},
			{Code: "P.D", Name: "Huyện D", Kind: KindDistrict, ParentCode: "P"},
			{Code: "Q", Name: "Tỉnh Q", Kind: KindProvince},
			{Code: "Q.C", Name: "Xã C", Kind: KindCommune, ParentCode: "Q", ValidFrom: merger},
			{Code: "Q.E", Name: "Xã Ê", Kind: KindCommune, ParentCode: "Q"},
		},
		Changes: []Change{
			{From: "P.B", To: "Q.C", Kind: ChangeMerged, Effective: merger},
			{From: "P.A", To: "Q.C", Kind: ChangeMerged, Effective: merger},
			{From: "P", To: "Q", Kind: ChangeMerged, Effective: merger},
		},
		Own: own,
	}
}

// A period is scored and ranked with the units that exist in it: the
// merged communes rank until June 2025, their successor from July; the
// year 2025 is the successor's alone, never a sum across the merger.
func TestRankingAndPoolsFollowUnitDates(t *testing.T) {
	e := NewEngine(loadDefault(t), mergerDataset())

	jun := e.Score(MustPeriod("2025-06"))
	if got := codes(jun.Ranking(KindCommune, "", nil)); got != "P.A P.B" {
		t.Errorf("June communes %q, want P.A P.B (Q.E has no data, C does not exist yet)", got)
	}
	if got := codes(jun.Ranking(KindDistrict, "", nil)); got != "P.D" {
		t.Errorf("June districts %q", got)
	}
	if got := jun.Unit("P").Metric("ON_TIME_PROCESSING").Counts; got != C(14, 22) {
		t.Errorf("June province pool %+v, want 14/22", got)
	}

	jul := e.Score(MustPeriod("2025-07"))
	if got := codes(jul.Ranking(KindCommune, "", nil)); got != "Q.C Q.E" {
		t.Errorf("July communes %q, want Q.C Q.E", got)
	}
	if r := jul.Ranking(KindDistrict, "", nil); len(r) != 0 {
		t.Errorf("July has %d districts, want none", len(r))
	}
	if us := jul.Unit("P.A"); us == nil || us.Exists {
		t.Errorf("a merged commune after the merger: %+v, want scored, not existing", us)
	}
	if got := codes(jul.Ranking(KindProvince, "", nil)); got != "Q" {
		t.Errorf("July provinces %q, want Q only", got)
	}

	year := e.Score(MustPeriod("2025"))
	if got := year.Unit("Q").Metric("ON_TIME_PROCESSING").Counts; got != C(20, 30) {
		t.Errorf("2025 province Q pool %+v, want 20/30 (its own units of 2025, nothing of P)", got)
	}
	if got := codes(year.Ranking(KindCommune, "", nil)); got != "Q.C Q.E" {
		t.Errorf("2025 communes %q", got)
	}
	if n := len(e.ProvincesIn(MustPeriod("2025-06"))); n != 2 {
		t.Errorf("provinces in June 2025: %d, want 2 (Q existed too)", n)
	}
	if got := e.ProvincesIn(MustPeriod("2026")); len(got) != 1 || got[0].Code != "Q" {
		t.Errorf("provinces in 2026: %v", got)
	}

	// Histories: C came from A and B (by name), which ended in C.
	pre := e.Predecessors("Q.C")
	if len(pre) != 2 || pre[0].From != "P.A" || pre[1].From != "P.B" || pre[0].Kind != ChangeMerged {
		t.Errorf("predecessors of C: %+v", pre)
	}
	if nx := e.Successors("P.B"); len(nx) != 1 || nx[0].To != "Q.C" || !nx[0].Effective.Equal(day(2025, 7, 1)) {
		t.Errorf("successors of B: %+v", nx)
	}
	if len(e.Successors("Q.E")) != 0 {
		t.Error("a unit that still exists has a successor")
	}
}

func codes(r []Ranked) string {
	var out []string
	for _, x := range r {
		if x.Rank > 0 {
			out = append(out, x.Unit.Code)
		}
	}
	return strings.Join(out, " ")
}

func TestFoldAndSearch(t *testing.T) {
	for in, want := range map[string]string{
		"Thái Nguyên":          "thai nguyen",
		"  Xã  Đồng   Tâm ":    "xa dong tam",
		"ỦY BAN NHÂN DÂN":      "uy ban nhan dan",
		"Sở Văn hóa, Thể thao": "so van hoa, the thao",
		"Thị trấn Chợ Rã":      "thi tran cho ra",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
	ds := mergerDataset()
	ds.Units = append(ds.Units, Unit{Code: "TN", Name: "Tỉnh Thái Nguyên", Kind: KindProvince},
		Unit{Code: "TN.SXD", Name: "Sở Xây dựng", Kind: KindAgency, ParentCode: "TN"})
	e := NewEngine(loadDefault(t), ds)
	names := func(us []Unit) string {
		var out []string
		for _, u := range us {
			out = append(out, u.Code)
		}
		return strings.Join(out, " ")
	}
	if got := names(e.Search("thai nguyen", 0)); got != "TN" {
		t.Errorf("search thai nguyen: %q", got)
	}
	// Words match from their start, so "xa" finds every Xã and Xây
	// dựng, but "xa c" only Xã C (not "Xã A" of province "P").
	if got := names(e.Search("XÃ", 0)); got != "TN.SXD P.A P.B Q.C Q.E" {
		t.Errorf("search XÃ: %q", got)
	}
	if got := names(e.Search("xa c", 0)); got != "Q.C" {
		t.Errorf("search xa c: %q", got)
	}
	if got := names(e.Search("ung", 0)); got != "" {
		t.Errorf("search ung (inside a word): %q", got)
	}
	if got := names(e.Search("tn.sxd", 0)); got != "TN.SXD" {
		t.Errorf("search by code: %q", got)
	}
	if got := names(e.Search("xa e", 0)); got != "Q.E" {
		t.Errorf("search xa e: %q", got)
	}
	if got := e.Search("   ", 0); got != nil {
		t.Errorf("empty search: %v", got)
	}
	if got := e.Search("xa", 2); len(got) != 2 {
		t.Errorf("limit: %d", len(got))
	}
}
