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
