package handlers

import (
	"strings"
	"testing"
)

// An agency merged into the new province's agency of the same name: the
// history across the merger names each column and line with its code, so
// neither the table's headings nor the chart's legend are two identical
// names told apart by colour only.
func TestLineageOfSameNamedUnits(t *testing.T) {
	t.Parallel()
	app, _ := newPageApp(t, pageSource{ds: demoDS(t), demo: true})
	_, _, body := get(t, app, "/units/TN.STP?period=2026-03")
	for _, want := range []string{
		`<a href="/units/BK.STP">Sở Tư pháp (BK.STP)</a></th>`,
		`<a href="/units/TN.STP">Sở Tư pháp (TN.STP)</a></th>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the lineage table lacks the heading %q", want)
		}
	}
	for _, id := range []string{"chart-lineage", "chart-lineage-rank"} {
		opt := chartOption(t, body, id)
		var names []string
		for _, s := range opt["series"].([]any) {
			names = append(names, s.(map[string]any)["name"].(string))
		}
		if strings.Join(names, "|") != "Sở Tư pháp (BK.STP)|Sở Tư pháp (TN.STP)" {
			t.Errorf("%s: series %q, want each named with its code", id, names)
		}
	}
	// Units of different names keep their plain names.
	_, _, body = get(t, app, "/units/TN.CHORA?period=2026-03")
	if !strings.Contains(body, `<a href="/units/BK.BABE.CHORA">Thị trấn Chợ Rã</a></th>`) {
		t.Errorf("a unit of its own name got its code added to its heading")
	}
}
