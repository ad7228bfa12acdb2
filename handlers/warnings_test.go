package handlers

import (
	"fmt"
	"html"
	"strings"
	"testing"
	"time"

	"scorecard/alerts"
	"scorecard/i18n"
)

// /warnings lists the warnings of alerts.Evaluate (default rules) per
// unit with links; a unit page shows its own warnings and no other's.
func TestWarningsPage(t *testing.T) {
	t.Parallel()
	app, svc := newPageApp(t, pageSource{ds: demoDS(t), demo: true})
	cur, prev := mustScores(t, svc, "2024-04"), mustScores(t, svc, "2024-03")
	ws := alerts.Evaluate(alerts.DefaultRules(), cur, prev, time.Now())
	rules := map[alerts.RuleID]int{}
	for _, w := range ws {
		rules[w.Rule]++
	}
	if len(rules) < 2 {
		t.Fatalf("demo: warnings of %d rules in 04/2024, the test needs two kinds", len(rules))
	}

	path := "/warnings?period=2024-04"
	status, hdr, body := get(t, app, path)
	if status != 200 {
		t.Fatalf("GET %s = %d", path, status)
	}
	checkHTMLPage(t, path, hdr, body, true)
	text := html.UnescapeString(body)
	if !strings.Contains(text, fmt.Sprintf(`<p class="card-value">%d</p>`, len(ws))) {
		t.Errorf("count %d not shown", len(ws))
	}
	for id, n := range rules {
		if !strings.Contains(text, fmt.Sprintf(`<p class="card-label">%s</p>
    <p class="card-value">%d</p>`, alertRuleL(i18n.VI, id), n)) {
			t.Errorf("rule %s: count %d not shown", id, n)
		}
	}
	last := -1
	for _, w := range ws {
		link := fmt.Sprintf(`<a href="/units/%s?period=2024-04">%s</a>`, w.Unit.Code, w.Unit.Name)
		i := strings.Index(text, link)
		if i < 0 {
			t.Errorf("%s: no link", w.Unit.Code)
			continue
		}
		if i < last {
			t.Errorf("%s: out of the evaluation's order", w.Unit.Code)
		}
		last = i
		if !strings.Contains(text[i:], alertRuleL(i18n.VI, w.Rule)) || !strings.Contains(text, w.MessageVI) {
			t.Errorf("%s: warning %s not shown: %s", w.Unit.Code, w.Rule, w.MessageVI)
		}
	}
	for _, want := range []string{"Tụt loại: xếp loại của kỳ thấp hơn kỳ trước", "giảm quá 5,00 điểm", "dưới 90,00%"} {
		if !strings.Contains(text, want) {
			t.Errorf("rules: missing %q", want)
		}
	}

	// The unit page shows the unit's own warnings only.
	w := ws[0]
	_, _, unit := get(t, app, "/units/"+w.Unit.Code+"?period=2024-04")
	sec := html.UnescapeString(section(unit, "h-unit-warn", "</section>"))
	if !strings.Contains(sec, w.MessageVI) || !strings.Contains(sec, `href="/warnings?period=2024-04"`) {
		t.Errorf("unit page of %s lacks its warning:\n%s", w.Unit.Code, sec)
	}
	for _, other := range ws[1:] {
		if other.Unit.Code != w.Unit.Code && strings.Contains(sec, other.MessageVI) {
			t.Errorf("unit page of %s shows %s's warning", w.Unit.Code, other.Unit.Code)
		}
	}
	warned := map[string]bool{}
	for _, x := range ws {
		warned[x.Unit.Code] = true
	}
	for _, r := range cur.Ranking("agency", "BK", nil) {
		if !warned[r.Unit.Code] {
			_, _, b := get(t, app, "/units/"+r.Unit.Code+"?period=2024-04")
			if strings.Contains(b, `id="h-unit-warn"`) {
				t.Errorf("%s has no warning but its page shows a warnings panel", r.Unit.Code)
			}
			break
		}
	}

	for _, c := range []struct {
		path   string
		status int
		want   string
	}{
		{"/warnings?period=2023-05", 200, "Chưa có kỳ trước có dữ liệu để so sánh"},
		{"/warnings?period=2030-01", 200, "Hệ thống chưa có số liệu cho kỳ này"},
		{"/warnings?period=2024-13", 400, "Kỳ báo cáo không hợp lệ"},
		{"/warnings", 200, "Tháng 04/2024"},
	} {
		status, hdr, body := get(t, app, c.path)
		if status != c.status || !strings.Contains(body, c.want) {
			t.Errorf("GET %s = %d, want %d with %q", c.path, status, c.status, c.want)
		}
		checkHTMLPage(t, c.path, hdr, body, true)
	}
}
