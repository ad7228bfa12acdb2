package charts

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

const hostile = `<img src=x onerror=alert(1)> & "Sở"`

// option decodes a chart's JSON into a generic map.
func option(t *testing.T, c Chart) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(c.Option), &m); err != nil {
		t.Fatalf("option is not JSON: %v\n%s", err, c.Option)
	}
	return m
}

func series(t *testing.T, m map[string]any) []map[string]any {
	t.Helper()
	raw, ok := m["series"].([]any)
	if !ok {
		t.Fatalf("no series in %v", m)
	}
	out := make([]map[string]any, len(raw))
	for i, s := range raw {
		out[i] = s.(map[string]any)
	}
	return out
}

func values(s map[string]any) []any {
	var out []any
	for _, d := range s["data"].([]any) {
		out = append(out, d.(map[string]any)["value"])
	}
	return out
}

func TestScoreBars(t *testing.T) {
	c, err := ScoreBars("g", "Nhãn", []string{"A", hostile}, []float64{11.79, 0}, []float64{18, 20})
	if err != nil {
		t.Fatal(err)
	}
	if c.ID != "g" || c.Label != "Nhãn" || c.Script != AssetsHost+"echarts.min.js" {
		t.Errorf("chart = %+v", c)
	}
	if strings.ContainsAny(c.Option, "<>") {
		t.Errorf("option carries raw < or >: %s", c.Option)
	}
	m := option(t, c)
	s := series(t, m)
	if len(s) != 2 || s[0]["name"] != "Điểm đạt" || s[1]["name"] != "Điểm tối đa" {
		t.Fatalf("series = %v", s)
	}
	// Zero is a value, not a gap; the score is drawn over its track.
	if v := values(s[0]); len(v) != 2 || v[0] != 11.79 || v[1] != 0.0 {
		t.Errorf("scores = %v", v)
	}
	if v := values(s[1]); v[0] != 18.0 || v[1] != 20.0 {
		t.Errorf("maxima = %v", v)
	}
	if s[0]["z"].(float64) <= s[1]["z"].(float64) || s[1]["barGap"] != "-100%" {
		t.Errorf("score bar not over the track: %v / %v", s[0], s[1])
	}
	y := m["yAxis"].([]any)[0].(map[string]any)
	if cats := y["data"].([]any); cats[1] != hostile || y["type"] != "category" {
		t.Errorf("categories = %v", y)
	}
	aria := m["aria"].(map[string]any)
	if aria["enabled"] != true || aria["label"].(map[string]any)["description"] != "Nhãn" {
		t.Errorf("aria = %v", aria)
	}
	if _, ok := m["toolbox"]; ok {
		t.Errorf("empty toolbox kept")
	}
	if _, err := ScoreBars("g", "", []string{"A"}, []float64{1, 2}, nil); !errors.Is(err, ErrShape) {
		t.Errorf("mismatched lengths: err = %v", err)
	}
}

func TestTrendBandsAndGaps(t *testing.T) {
	bands := []BandLine{{"Xuất sắc", 90}, {"Tốt", 80}, {"Yếu", 0}}
	c, err := Trend("t", "x", []string{"03/2024", "04/2024"}, []Series{{Name: "Tổng điểm", Values: []Value{Missing, Num(79.27)}}}, bands, 100)
	if err != nil {
		t.Fatal(err)
	}
	m := option(t, c)
	s := series(t, m)[0]
	if v := values(s); v[0] != "-" || v[1] != 79.27 {
		t.Errorf("values = %v, want a gap then 79.27", v)
	}
	ml := s["markLine"].(map[string]any)
	data := ml["data"].([]any)
	if len(data) != 2 {
		t.Fatalf("mark lines = %v, want the two bands above 0", data)
	}
	first := data[0].(map[string]any)
	if first["name"] != "Xuất sắc" || first["yAxis"] != 90.0 {
		t.Errorf("first mark line = %v", first)
	}
	y := m["yAxis"].([]any)[0].(map[string]any)
	if y["max"] != 100.0 || y["min"] != 0.0 {
		t.Errorf("y axis = %v", y)
	}
	if _, err := Trend("t", "", []string{"a"}, nil, nil, 100); !errors.Is(err, ErrShape) {
		t.Errorf("no series: err = %v", err)
	}
}

func TestStackedAndGroupedUseDecals(t *testing.T) {
	ser := []Series{{Name: "A", Values: []Value{Num(1), Num(2)}}, {Name: hostile, Values: []Value{Num(3), Missing}}}
	st, err := Stacked("s", "x", []string{"01/2024", "02/2024"}, ser)
	if err != nil {
		t.Fatal(err)
	}
	m := option(t, st)
	for _, s := range series(t, m) {
		if s["stack"] != "total" {
			t.Errorf("series %v not stacked", s["name"])
		}
	}
	if m["aria"].(map[string]any)["decal"].(map[string]any)["show"] != true {
		t.Errorf("stacked bars without decals")
	}
	gr, err := Grouped("c", "x", []string{"01/2024", "02/2024"}, ser)
	if err != nil {
		t.Fatal(err)
	}
	m = option(t, gr)
	s := series(t, m)
	if _, stacked := s[0]["stack"]; stacked || s[1]["name"] != hostile {
		t.Errorf("grouped series = %v", s)
	}
	if m["yAxis"].([]any)[0].(map[string]any)["type"] != "category" {
		t.Errorf("grouped bars are not horizontal")
	}
	if strings.ContainsAny(gr.Option, "<>") {
		t.Errorf("option carries raw < or >")
	}
	if _, err := Grouped("c", "x", []string{"a"}, ser); !errors.Is(err, ErrShape) {
		t.Errorf("short series: err = %v", err)
	}
}

// Band names sit right of the plot, past the lines' ends (not on the
// latest point), and the zoomed axis keeps the band reached and the band
// aimed at in view: 68 → 75 between Trung bình ≥ 50… and Tốt ≥ 80.
func TestTrendBandLabelsAndZoom(t *testing.T) {
	bands := []BandLine{{"Xuất sắc", 90}, {"Tốt", 80}, {"Khá", 70}, {"Trung bình", 50}, {"Yếu", 0}}
	c, err := Trend("t", "x", []string{"03", "04", "05"}, []Series{{Name: "Tổng điểm", Values: []Value{Num(68), Missing, Num(75)}}}, bands, 100)
	if err != nil {
		t.Fatal(err)
	}
	m := option(t, c)
	label := series(t, m)[0]["markLine"].(map[string]any)["label"].(map[string]any)
	if label["position"] != "end" {
		t.Errorf("band labels at %v, want past the lines' end", label["position"])
	}
	// Two lines (name, then "≥ 80") need their own line height: ECharts
	// otherwise takes the width of a CJK glyph for it, a few pixels on a
	// computer without CJK fonts, and draws the two lines over each other.
	if lh, _ := label["lineHeight"].(float64); lh < 12 {
		t.Errorf("band labels' lineHeight = %v, want one set for two readable lines", label["lineHeight"])
	}
	grid := m["grid"].([]any)
	if len(grid) != 1 || grid[0].(map[string]any)["right"] != "84" {
		t.Errorf("grid = %v, want one grid with room for the band names on the right", grid)
	}
	if !c.Zoomable || c.ZoomMin != 45 || c.ZoomMax != 85 {
		t.Errorf("zoom = %v %g–%g, want 45–85 (Trung bình ≥ 50 to Tốt ≥ 80 in view)", c.Zoomable, c.ZoomMin, c.ZoomMax)
	}
	// Data spread over most of the scale: nothing to zoom.
	c, err = Trend("t", "x", []string{"03", "04"}, []Series{{Name: "T", Values: []Value{Num(20), Num(95)}}}, bands, 100)
	if err != nil {
		t.Fatal(err)
	}
	if c.Zoomable {
		t.Errorf("zoomable %g–%g for data from 20 to 95", c.ZoomMin, c.ZoomMax)
	}
	// Without bands (a rank history) the grid is the shared one.
	c, err = Trend("r", "x", []string{"03"}, []Series{{Name: "T", Values: []Value{Num(3)}}}, nil, 18)
	if err != nil {
		t.Fatal(err)
	}
	if c.Zoomable || option(t, c)["grid"].([]any)[0].(map[string]any)["right"] != "4%" {
		t.Errorf("rank chart: zoomable %v, grid %v", c.Zoomable, option(t, c)["grid"])
	}
}

// A ranking's bars: in the order given, coloured by band, each carrying its
// band's name for the label, every name drawn, the average as a line.
func TestRankBars(t *testing.T) {
	bars := []RankBar{{"A", 95.5, "Xuất sắc", 0}, {"B", 82, "Tốt", 1}, {hostile, 40, "—", -1}}
	c, err := RankBars("r", "x", "Tổng điểm", bars, 72.5, "Trung bình")
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(c.Option, "<>") {
		t.Errorf("option carries raw < or >")
	}
	m := option(t, c)
	s := series(t, m)
	if len(s) != 1 {
		t.Fatalf("series = %v", s)
	}
	data := s[0]["data"].([]any)
	want := []struct {
		v      float64
		band   string
		colour string
	}{{95.5, "Xuất sắc", BandPalette[0]}, {82, "Tốt", BandPalette[1]}, {40, "—", "#ffffff"}}
	for i, w := range want {
		d := data[i].(map[string]any)
		if d["value"] != w.v || d["band"] != w.band || d["itemStyle"].(map[string]any)["color"] != w.colour {
			t.Errorf("bar %d = %v, want %v", i, d, w)
		}
	}
	ml := s[0]["markLine"].(map[string]any)
	line := ml["data"].([]any)[0].(map[string]any)
	if line["name"] != "Trung bình" || line["xAxis"] != 72.5 || ml["average"] != true {
		t.Errorf("average line = %v", ml)
	}
	y := m["yAxis"].([]any)[0].(map[string]any)
	if y["type"] != "category" || y["inverse"] != true || y["axisLabel"].(map[string]any)["interval"] != 0.0 {
		t.Errorf("y axis = %v, want every name, first at the top", y)
	}
	if _, err := RankBars("r", "x", "T", nil, 0, ""); !errors.Is(err, ErrShape) {
		t.Errorf("no bars: %v", err)
	}
}
