package handlers

import (
	"strings"
	"testing"
)

// The commune level is named as the period's country named it: "xã, phường,
// thị trấn" in Bắc Kạn's 2024 (three tiers, districts ranked), "xã, phường,
// đặc khu" in Thái Nguyên's 2026 (two tiers from 01/07/2025), on the rankings
// page (heading and kind select), the period report (ranking title and
// recipients) and the export.
func TestCommuneLevelWordedByPeriod(t *testing.T) {
	t.Parallel()
	app, _ := newDemoApp(t, Options{})
	for _, c := range []struct {
		period     string
		word, gone string
	}{
		{"2024-04", "xã, phường, thị trấn", "đặc khu"},
		{"2026-10", "xã, phường, đặc khu", "thị trấn"},
	} {
		upper := "X" + strings.TrimPrefix(c.word, "x")
		st, _, body := get(t, app, "/rankings?kind=commune&period="+c.period)
		if st != 200 {
			t.Fatalf("/rankings %s: status %d", c.period, st)
		}
		for _, want := range []string{"Xếp hạng " + c.word, `<option value="commune" selected>` + upper + "</option>"} {
			if !strings.Contains(body, want) {
				t.Errorf("/rankings %s: no %q", c.period, want)
			}
		}
		if strings.Contains(body, c.gone) {
			t.Errorf("/rankings %s says %q", c.period, c.gone)
		}
		st, _, body = get(t, app, "/reports/"+c.period)
		if st != 200 {
			t.Fatalf("/reports/%s: status %d", c.period, st)
		}
		doc := textOf(between(t, body, `<article class="report-doc"`, "</article>"))
		for _, want := range []string{"Xếp hạng " + c.word + ",", "UBND các " + c.word + ";"} {
			if !strings.Contains(doc, want) {
				t.Errorf("/reports/%s: no %q", c.period, want)
			}
		}
		if strings.Contains(doc, c.gone) {
			t.Errorf("/reports/%s says %q", c.period, c.gone)
		}
	}
}

// A search spans every period: each unit's kind is worded as the country
// was in its last month, today's for a unit that still exists.
func TestSearchWordsKindByUnitsLastMonth(t *testing.T) {
	t.Parallel()
	app, _ := newDemoApp(t, Options{})
	_, _, body := get(t, app, "/search?q=cho+ra")
	for code, want := range map[string]string{"BK.BABE.CHORA": "Xã, phường, thị trấn", "TN.CHORA": "Xã, phường, đặc khu"} {
		i := strings.Index(body, `<th scope="row" class="sticky"><a href="/units/`+code+`">`)
		if i < 0 {
			t.Fatalf("cho ra: %s not found", code)
		}
		row := body[i:]
		row = row[:strings.Index(row, "</tr>")]
		if !strings.Contains(row, "<td>"+want+"</td>") {
			t.Errorf("cho ra: %s's row lacks %q: %.300q", code, want, row)
		}
	}
}
