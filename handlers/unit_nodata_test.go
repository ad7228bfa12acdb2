package handlers

import (
	"strings"
	"testing"
)

// A unit without data in a period that has data shows no total: not on
// its card, nor under its groups, nor beside its peers' (the 14,00 the
// no-data rules give is no score of its own); its groups still show what
// the rules give, explained.
func TestUnitWithoutDataShowsNoTotal(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, memSource{ds: fixture()}, nil)
	r := doRequest(t, app, "GET", "/units/BK.SYT?period=2024-04")
	body := string(r.body)
	if r.status != 200 {
		t.Fatalf("status %d", r.status)
	}
	for _, id := range []string{`id="cap-groups"`, `id="cap-compare"`} {
		table := between(t, body, id, "</table>")
		if strings.Contains(table, "14,00") {
			t.Errorf("the table %s shows the no-data rules' 14,00 as the unit's total", id)
		}
	}
	// The unit with data keeps its total there.
	r = doRequest(t, app, "GET", "/units/BK.SGTVT?period=2024-04")
	if table := between(t, string(r.body), `id="cap-groups"`, "</table>"); !strings.Contains(table, "34,00") {
		t.Error("the unit with data lost its total under its groups")
	}
}

// The what-if page of a unit without data shows no total either (the API
// answers null): not as its current total nor as the tried one while the
// counts tried give it no data, no change against the rules' 14,00; its
// groups neither. Counts tried give it a total, still with nothing to
// compare with.
func TestWhatIfOfUnitWithoutDataShowsNoTotal(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, memSource{ds: fixture()}, nil)
	r := doRequest(t, app, "GET", "/units/BK.SYT/whatif?period=2024-04")
	if r.status != 200 {
		t.Fatalf("status %d", r.status)
	}
	body := string(r.body)
	summary := between(t, body, `<dl class="wi-summary">`, "</dl>")
	foot := between(t, body, "<tfoot>", "</tfoot>")
	for what, part := range map[string]string{"summary": summary, "total row": foot} {
		if strings.Contains(part, "14,00") || strings.Contains(part, "= 0,00") {
			t.Errorf("the %s shows the no-data rules' 14,00 as the unit's total: %s", what, part)
		}
	}
	if !strings.Contains(summary, "hiện tại chưa có số liệu") || !strings.Contains(summary, "chưa có số liệu để so sánh") {
		t.Errorf("the summary does not say the unit has no figures to compare with: %s", summary)
	}
	// The no-data rules give MDHL 12,00: no group score of the unit's.
	if g := between(t, body, `data-group="MDHL"`, "</tr>"); strings.Contains(g, "12,00") || !strings.Contains(g, `data-base-cents=""`) {
		t.Errorf("the group MDHL shows the no-data rules' 12,00 as the unit's: %s", g)
	}

	// Counts tried: a total of 32,00, and no change against no total.
	r = doRequest(t, app, "GET", "/units/BK.SYT/whatif?period=2024-04&n.ON_TIME_PROCESSING=9&d.ON_TIME_PROCESSING=10")
	body = string(r.body)
	summary = between(t, body, `<dl class="wi-summary">`, "</dl>")
	if !strings.Contains(summary, `data-wi="total">32,00<`) || strings.Contains(summary, "18,00") || !strings.Contains(summary, "chưa có số liệu để so sánh") {
		t.Errorf("counts tried for a unit without data: %s", summary)
	}

	// A unit with data keeps its totals and its change.
	r = doRequest(t, app, "GET", "/units/BK.SGTVT/whatif?period=2024-04")
	if s := between(t, string(r.body), `<dl class="wi-summary">`, "</dl>"); !strings.Contains(s, `data-wi="total">34,00<`) || !strings.Contains(s, "hiện tại 34,00") {
		t.Errorf("the unit with data lost its total: %s", s)
	}
}
