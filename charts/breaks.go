package charts

import (
	"encoding/json"
	"fmt"
)

// WithBreak marks a break in a chart's history at category at: a solid
// vertical line labelled with label (e.g. "Sáp nhập 01/07/2025"). The series
// on either side of a merger are different units, so nothing is drawn
// across the line: the break only says where one history ends and the next
// begins. The label is also in the chart's description and its table.
func WithBreak(ch Chart, at, label string) (Chart, error) {
	var opt map[string]any
	if err := json.Unmarshal([]byte(ch.Option), &opt); err != nil {
		return ch, fmt.Errorf("charts: break in %s: %w", ch.ID, err)
	}
	list, ok := opt["series"].([]any)
	if !ok || len(list) == 0 {
		return ch, fmt.Errorf("charts: break in %s: no series: %w", ch.ID, ErrShape)
	}
	s, ok := list[0].(map[string]any)
	if !ok {
		return ch, fmt.Errorf("charts: break in %s: series: %w", ch.ID, ErrShape)
	}
	// The item carries its own label: a series' markLine label is the band
	// lines' ("Tốt ≥ 80") and would word the break as a limit.
	item := map[string]any{
		"name":      label,
		"xAxis":     at,
		"lineStyle": map[string]any{"type": "solid", "color": "#5c6670", "width": 2},
		"label":     map[string]any{"show": true, "position": "insideEndTop", "formatter": "{b}"},
	}
	ml, _ := s["markLine"].(map[string]any)
	if ml == nil {
		ml = map[string]any{"symbol": []any{"none", "none"}, "silent": true}
		s["markLine"] = ml
	}
	data, _ := ml["data"].([]any)
	ml["data"] = append(data, item)
	b, err := json.Marshal(opt)
	if err != nil {
		return ch, fmt.Errorf("charts: break in %s: %w", ch.ID, err)
	}
	ch.Option = string(b)
	return ch, nil
}
