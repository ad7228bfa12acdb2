package charts

import (
	"encoding/json"
	"fmt"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// BandPalette colours a ranking's bars by band, strongest for the highest
// band (the shades of the pages' band badges). Colour is never alone: each
// bar's label names its band and the table beside the chart says it too.
var BandPalette = []string{"#173b6b", "#1f4e8c", "#6b8fc2", "#a3b8d6", "#c9d4e3", "#e3e9f2", "#eef1f5"}

// RankBar is one unit of a ranking chart.
type RankBar struct {
	Name  string
	Total float64
	// Band is the band's name, written after the total; BandIndex its
	// place in the scheme (0 the highest), which picks the colour; -1 for
	// none.
	Band      string
	BandIndex int
}

// RankBars is a horizontal bar chart of units' totals in the order given
// (a ranking, highest first), each bar coloured by its band and labelled
// with its total and band name, with a vertical line at avg named avgName.
// A long ranking gets the height it needs: every name is drawn.
func RankBars(id, label, seriesName string, bars []RankBar, avg float64, avgName string) (Chart, error) {
	if len(bars) == 0 {
		return Chart{}, fmt.Errorf("charts: rank bars %s: no bars: %w", id, ErrShape)
	}
	cats := make([]string, len(bars))
	for i, b := range bars {
		cats[i] = b.Name
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(base(id)...)
	bar.SetGlobalOptions(
		charts.WithLegendOpts(legendOpts(1)),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Min: 0}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true),
			AxisLabel: &opts.AxisLabel{Width: 150, Overflow: "truncate"}}),
	)
	// Room right of the longest bar for "95,95 · Xuất sắc".
	bar.GridList = []opts.Grid{{Left: "2%", Right: "120", Top: "24", Bottom: "3%", ContainLabel: opts.Bool(true)}}
	bar.SetXAxis(cats)
	bar.XYReversal()
	data := make([]opts.BarData, len(bars))
	for i, b := range bars {
		data[i] = opts.BarData{Value: b.Total}
	}
	bar.AddSeries(seriesName, data,
		charts.WithBarChartOpts(opts.BarChart{BarWidth: "60%"}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right"}))
	bar.Validate()
	raw, err := json.Marshal(bar.JSON())
	if err != nil {
		return Chart{}, fmt.Errorf("charts: encode %s: %w", id, err)
	}
	var obj map[string]any
	if err := json.Unmarshal(raw, &obj); err != nil {
		return Chart{}, fmt.Errorf("charts: decode %s: %w", id, err)
	}
	series, ok := obj["series"].([]any)
	if !ok || len(series) != 1 {
		return Chart{}, fmt.Errorf("charts: rank bars %s: unexpected series: %w", id, ErrShape)
	}
	// Every name drawn (ECharts skips some when they crowd): interval 0,
	// a number (go-echarts only writes it as a string).
	if ys, ok := obj["yAxis"].([]any); ok && len(ys) == 1 {
		if y, ok := ys[0].(map[string]any); ok {
			if al, ok := y["axisLabel"].(map[string]any); ok {
				al["interval"] = 0
			}
		}
	}
	// On a phone the bars are short and the axis' numbers would run into
	// each other: those that do are left out.
	if xs, ok := obj["xAxis"].([]any); ok && len(xs) == 1 {
		if x, ok := xs[0].(map[string]any); ok {
			al, _ := x["axisLabel"].(map[string]any)
			if al == nil {
				al = map[string]any{}
				x["axisLabel"] = al
			}
			al["hideOverlap"] = true
		}
	}
	s := series[0].(map[string]any)
	items := make([]any, len(bars))
	for i, b := range bars {
		colour := "#ffffff"
		if b.BandIndex >= 0 {
			colour = BandPalette[min(b.BandIndex, len(BandPalette)-1)]
		}
		// "band" is ours: charts.js writes it after the total.
		items[i] = map[string]any{"value": b.Total, "band": b.Band,
			"itemStyle": map[string]any{"color": colour, "borderColor": "#1f4e8c", "borderWidth": 1}}
	}
	s["data"] = items
	s["markLine"] = map[string]any{
		"symbol": []string{"none", "none"},
		"data":   []any{map[string]any{"name": avgName, "xAxis": avg}},
		// Above the bars (the line's start: the axis is inverted), not at
		// the bottom where it ran over the axis' numbers.
		"label": map[string]any{"show": true, "position": "start"},
		// "average" tells charts.js to write "name: value", not a band's "≥".
		"average":   true,
		"lineStyle": map[string]any{"type": "dashed", "color": "#5c6670", "width": 1.5},
	}
	// About 26 px a bar: every name has its line, none skipped.
	return finish(id, label, obj, bar.JSAssets.Values, len(bars) > 10)
}
