package handlers

import (
	"encoding/json"
	"html"
	"regexp"
	"strings"
	"testing"

	"scorecard/scoring"
)

// chartOption reads the ECharts option of the chart with id from a page.
func chartOption(t *testing.T, body, id string) map[string]any {
	t.Helper()
	m := regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `" data-option="([^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no chart %s in the page", id)
	}
	var opt map[string]any
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &opt); err != nil {
		t.Fatalf("chart %s: %v", id, err)
	}
	return opt
}

// A commune merged on 01/07/2025 opens on a month it exists in, says what
// it became (linked), and its history ends at the change.
func TestUnitPageOfMergedCommune(t *testing.T) {
	t.Parallel()
	ds := demoDS(t)
	app, _ := newPageApp(t, pageSource{ds: ds, demo: true})
	st, _, body := get(t, app, "/units/BK.BABE.CHORA")
	if st != 200 {
		t.Fatalf("status %d", st)
	}
	// The newest month it exists in is 06/2025, the last before the merger.
	if !strings.Contains(body, `<option value="2025-06" selected>`) {
		t.Errorf("the page does not open on 06/2025, the last month Chợ Rã existed")
	}
	for _, want := range []string{
		"Đơn vị này không còn tồn tại từ ngày 01/07/2025.",
		`<a href="/units/TN.CHORA">Xã Chợ Rã</a> <span class="muted">(sáp nhập, 01/07/2025)</span>`,
		"Lịch sử qua sáp nhập",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// A period chosen outside its days says so and ranks it nowhere.
	_, _, body = get(t, app, "/units/BK.BABE.CHORA?period=2026-03")
	outside := strings.Index(body, "Đơn vị không tồn tại trong kỳ Tháng 03/2026: đơn vị chỉ tồn tại đến hết ngày 30/06/2025.")
	if outside < 0 {
		t.Errorf("a period after the merger is not said to be outside the unit's days")
	}
	// That comes before the score cards, and the page gives no advice
	// for a period the unit did not live in: no "what to fix", no
	// "no figures of its own" notice, no what-if link.
	if cards := strings.Index(body, `id="h-summary"`); cards < 0 || outside > cards {
		t.Errorf("the notice that the unit did not exist in the period (at %d) is not above the score cards (at %d)", outside, cards)
	}
	for _, bad := range []string{`id="can-lam"`, "Việc cần làm trước", "Chưa có dữ liệu.", "/units/BK.BABE.CHORA/whatif"} {
		if strings.Contains(body, bad) {
			t.Errorf("a period outside the unit's days shows %q", bad)
		}
	}
	if n := strings.Count(body, `id="lich-su-don-vi"`); n != 1 {
		t.Errorf("the unit's lineage notice is on the page %d times, want once", n)
	}
}

// The successor lists its predecessors (linked) and draws one line per unit
// with the break marked "Sáp nhập 01/07/2025": no line crosses it.
func TestUnitPageOfSuccessorAcrossMerger(t *testing.T) {
	t.Parallel()
	ds := demoDS(t)
	app, _ := newPageApp(t, pageSource{ds: ds, demo: true})
	_, _, body := get(t, app, "/units/TN.CHORA?period=2026-03")
	for _, want := range []string{
		"Đơn vị này được thành lập từ ngày 01/07/2025.",
		`<a href="/units/BK.BABE.CHORA">Thị trấn Chợ Rã</a>`,
		`<a href="/units/BK.BABE.THUONGGIAO">`,
		`<a href="/units/BK.BABE.DIALINH">`,
		`class="row-break"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, id := range []string{"chart-lineage", "chart-lineage-rank"} {
		opt := chartOption(t, body, id)
		cats := opt["xAxis"].([]any)[0].(map[string]any)["data"].([]any)
		breakAt := -1
		for i, c := range cats {
			if c == "07/2025" {
				breakAt = i
			}
		}
		if breakAt <= 0 || cats[0] != "07/2024" || cats[len(cats)-1] != "03/2026" {
			t.Fatalf("%s: months %v, want 07/2024 … 03/2026 with 07/2025", id, cats)
		}
		series := opt["series"].([]any)
		if len(series) != 4 {
			t.Fatalf("%s: %d series, want the three former communes and the new one", id, len(series))
		}
		ml := series[0].(map[string]any)["markLine"].(map[string]any)["data"].([]any)
		mark := ml[len(ml)-1].(map[string]any)
		if mark["xAxis"] != "07/2025" || mark["name"] != "Sáp nhập 01/07/2025" {
			t.Errorf("%s: break %v", id, mark)
		}
		for si, s := range series {
			name := s.(map[string]any)["name"]
			data := s.(map[string]any)["data"].([]any)
			successor := si == len(series)-1
			for i, d := range data {
				v := d.(map[string]any)["value"]
				missing := v == "-"
				if successor && i < breakAt && !missing || !successor && i >= breakAt && !missing {
					t.Errorf("%s: %v has %v in %v, across the merger", id, name, v, cats[i])
				}
				if successor && i >= breakAt && missing || !successor && i < breakAt && missing {
					t.Errorf("%s: %v has no value in %v", id, name, cats[i])
				}
			}
		}
	}
	// Nothing is added up: the new commune's own score in 03/2026 is the
	// one in its column.
	_ = scoring.MustPeriod("2026-03")
}

// kindOptions lists the kinds the rankings' selector offers.
func kindOptions(body string) []string {
	i := strings.Index(body, `<select id="sel-kind"`)
	if i < 0 {
		return nil
	}
	j := strings.Index(body[i:], "</select>")
	var out []string
	for _, m := range regexp.MustCompile(`<option value="([a-z]+)"`).FindAllStringSubmatch(body[i:i+j], -1) {
		out = append(out, m[1])
	}
	return out
}

// The kind selector offers the kinds existing in the period: districts in
// 2024, none after the 2025 merger; a district ranking asked for after it
// says why and shows a kind of the period.
func TestRankingsKindsOfThePeriod(t *testing.T) {
	t.Parallel()
	app, _ := newPageApp(t, pageSource{ds: demoDS(t), demo: true})
	_, _, body := get(t, app, "/rankings?period=2024-04")
	if got := strings.Join(kindOptions(body), ","); got != "agency,district,commune" {
		t.Errorf("kinds of 04/2024: %s", got)
	}
	_, _, body = get(t, app, "/rankings?period=2026-10")
	if got := strings.Join(kindOptions(body), ","); got != "agency,commune" {
		t.Errorf("kinds of 10/2026: %s", got)
	}
	st, _, body := get(t, app, "/rankings?period=2026-10&kind=district")
	if st != 200 || !strings.Contains(body, "cấp huyện kết thúc từ ngày 01/07/2025") {
		t.Errorf("district ranking of 10/2026: status %d, no word why", st)
	}
	if !strings.Contains(body, `<option value="agency" selected>`) || strings.Contains(body, "/units/BK.") {
		t.Errorf("district ranking of 10/2026 does not show the agencies of Thái Nguyên")
	}
}
