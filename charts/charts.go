// Package charts builds ECharts options from view data with go-echarts. The
// builders are pure: numbers and labels in, an option as JSON out. Pages
// never carry inline scripts: the option travels in a data-option attribute
// and web/static/js/charts.js initialises every chart, applies vi-VN number
// formatting and escapes every name it puts into a tooltip.
package charts

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"scorecard/i18n"
)

// AssetsHost is where pages load ECharts from: the application's own static
// route (trailing slash required by go-echarts). Government intranets often
// have no internet, so nothing may come from a CDN.
const AssetsHost = "/static/vendor/echarts/"

// Palette is the charts' colour order: shades of the one accent colour and
// neutral greys. Colour never carries meaning alone: series also differ by
// decal pattern, symbol or line style, and every chart has a table.
var Palette = []string{"#1f4e8c", "#6b8fc2", "#2f7d6d", "#a3b8d6", "#5c6670", "#c9a227", "#9aa5b1"}

// Chart is one chart ready for a template.
type Chart struct {
	ID string
	// Label is a one-sentence Vietnamese description for screen readers
	// (aria-label); the numbers themselves are in the table beside it.
	Label string
	// Option is the ECharts option as JSON. encoding/json escapes <, > and &,
	// and the template escapes it again as an attribute value, so untrusted
	// unit names cannot break out of it.
	Option string
	// Script is the ECharts library URL go-echarts asks for (under AssetsHost).
	Script string
	// Tall reserves more height (charts with many categories).
	Tall bool
	// Zoomable charts offer a button that narrows the value axis to
	// ZoomMin–ZoomMax (the data and the band limits around it), where a
	// move from 68 to 75 no longer looks flat on a 0–100 axis.
	Zoomable         bool
	ZoomMin, ZoomMax float64
}

// Value is a number that may be missing (a month without data): missing
// values are gaps, not zeros.
type Value struct {
	V     float64
	Valid bool
}

// Num is a present value.
func Num(v float64) Value { return Value{V: v, Valid: true} }

// Missing is an absent value.
var Missing = Value{}

// data is the ECharts form: a number, or "-" which ECharts draws as a gap.
func (v Value) data() any {
	if !v.Valid {
		return "-"
	}
	return v.V
}

// Series is one named row of values, one per category.
type Series struct {
	Name   string
	Values []Value
}

// BandLine is a horizontal reference line at a band's lower limit.
type BandLine struct {
	Name string
	Min  float64
}

// ErrShape reports series that do not match their categories.
var ErrShape = errors.New("charts: series length does not match categories")

func checkShape(cats []string, series []Series) error {
	if len(series) == 0 {
		return fmt.Errorf("charts: no series: %w", ErrShape)
	}
	for _, s := range series {
		if len(s.Values) != len(cats) {
			return fmt.Errorf("charts: series %q has %d values for %d categories: %w", s.Name, len(s.Values), len(cats), ErrShape)
		}
	}
	return nil
}

// base holds what every chart shares.
func base(id string) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithInitializationOpts(opts.Initialization{ChartID: id, AssetsHost: AssetsHost}),
		charts.WithColorsOpts(opts.Colors(Palette)),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithGridOpts(opts.Grid{Left: "2%", Right: "4%", Top: "48", Bottom: "3%", ContainLabel: opts.Bool(true)}),
	}
}

// finish turns a validated go-echarts chart into our Chart, adding the
// options go-echarts has no field for (ARIA description, decals).
func finish(id, label string, obj map[string]any, assets []string, tall bool) (Chart, error) {
	aria := map[string]any{
		"enabled": true,
		"label":   map[string]any{"enabled": true, "description": label},
		// Patterns on bars and areas so series differ without colour
		// (on every chart; lines differ by style and symbol).
		"decal": map[string]any{"show": true},
	}
	obj["aria"] = aria
	// Empty components go-echarts always emits; dropping them keeps the
	// attribute small and the defaults of ECharts in force.
	for _, k := range []string{"title", "toolbox"} {
		if m, ok := obj[k]; ok {
			if b, err := json.Marshal(m); err == nil && string(b) == "{}" {
				delete(obj, k)
			}
		}
	}
	b, err := json.Marshal(obj)
	if err != nil {
		return Chart{}, fmt.Errorf("charts: encode %s: %w", id, err)
	}
	c := Chart{ID: id, Label: label, Option: string(b), Tall: tall}
	for _, a := range assets {
		if strings.HasSuffix(a, opts.EchartsJS) {
			c.Script = a
		}
	}
	return c, nil
}

// legendOpts shows the legend when there is more than one series.
func legendOpts(n int) opts.Legend {
	return opts.Legend{Show: opts.Bool(n > 1), Top: "0", Left: "0", Type: "scroll"}
}

// ScoreBars is a horizontal bar chart of scores against their maxima: one
// bar per category, the maximum drawn as a pale track behind the score, the
// score printed at the bar's end. Used for the six groups and for ranking
// provinces. names are the two series' names in the page language (score,
// maximum); Vietnamese when omitted.
func ScoreBars(id, label string, cats []string, scores, maxima []float64, names ...string) (Chart, error) {
	scoreName, maxName := i18n.VI.T("chart.series.score"), i18n.VI.T("chart.series.max")
	if len(names) >= 2 {
		scoreName, maxName = names[0], names[1]
	}
	if len(scores) != len(cats) || (maxima != nil && len(maxima) != len(cats)) {
		return Chart{}, fmt.Errorf("charts: score bars %s: %w", id, ErrShape)
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(base(id)...)
	bar.SetGlobalOptions(
		charts.WithLegendOpts(legendOpts(2)),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Min: 0}),
		// Categories top to bottom in the order given.
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true),
			AxisLabel: &opts.AxisLabel{Width: 150, Overflow: "break"}}),
	)
	// Room right of the plot for the score written after a full bar
	// ("97,62" at 100): a share of a phone's width is too little.
	bar.GridList = []opts.Grid{{Left: "2%", Right: "48", Top: "48", Bottom: "3%", ContainLabel: opts.Bool(true)}}
	bar.SetXAxis(cats)
	bar.XYReversal()
	data := make([]opts.BarData, len(scores))
	for i, v := range scores {
		data[i] = opts.BarData{Value: v}
	}
	bar.AddSeries(scoreName, data,
		charts.WithBarChartOpts(opts.BarChart{BarWidth: "55%"}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right"}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: Palette[0]}))
	if maxima != nil {
		md := make([]opts.BarData, len(maxima))
		for i, v := range maxima {
			md[i] = opts.BarData{Value: v}
		}
		// Drawn behind the score (barGap -100%) as the "out of" track.
		bar.AddSeries(maxName, md,
			charts.WithBarChartOpts(opts.BarChart{BarWidth: "55%", BarGap: "-100%"}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: "#e3e9f2", BorderColor: "#a3b8d6", BorderWidth: 1}))
	}
	bar.Validate()
	obj := bar.JSON()
	if maxima != nil {
		// The track must sit under the score: ECharts draws later series on
		// top, so give the score the higher z.
		if s, ok := obj["series"].(charts.MultiSeries); ok && len(s) == 2 {
			obj["series"] = []any{withZ(s[0], 3), withZ(s[1], 1)}
		}
	}
	return finish(id, label, obj, bar.JSAssets.Values, len(cats) > 8)
}

// withZ adds a z level to a series (go-echarts has no field for it).
func withZ(s charts.SingleSeries, z int) map[string]any {
	b, _ := json.Marshal(s) // a SingleSeries of plain values always encodes
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	m["z"] = z
	return m
}

// lineStyles and symbols tell line series apart without colour.
var (
	lineStyles = []string{"solid", "dashed", "dotted"}
	symbols    = []string{"circle", "rect", "triangle", "diamond", "roundRect", "pin", "arrow"}
)

// Trend is a line chart over periods with the band limits as labelled
// horizontal lines (markLines), from 0 to max.
func Trend(id, label string, cats []string, series []Series, bands []BandLine, max float64) (Chart, error) {
	if err := checkShape(cats, series); err != nil {
		return Chart{}, err
	}
	line := charts.NewLine()
	line.SetGlobalOptions(base(id)...)
	line.SetGlobalOptions(
		charts.WithLegendOpts(legendOpts(len(series))),
		charts.WithXAxisOpts(opts.XAxis{Type: "category"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Min: 0, Max: max}),
	)
	if len(bands) > 0 {
		// Band names are written right of the plot, past the lines'
		// ends, where no point of the data sits.
		line.GridList = []opts.Grid{{Left: "2%", Right: "84", Top: "48", Bottom: "3%", ContainLabel: opts.Bool(true)}}
	}
	line.SetXAxis(cats)
	for i, s := range series {
		data := make([]opts.LineData, len(s.Values))
		for j, v := range s.Values {
			data[j] = opts.LineData{Value: v.data()}
		}
		so := []charts.SeriesOpts{
			charts.WithLineChartOpts(opts.LineChart{Symbol: symbols[i%len(symbols)], SymbolSize: 8, ShowSymbol: opts.Bool(true)}),
			charts.WithLineStyleOpts(opts.LineStyle{Width: 2.5, Type: lineStyles[i%len(lineStyles)]}),
		}
		if i == 0 && len(bands) > 0 {
			marks := make([]opts.MarkLineNameYAxisItem, 0, len(bands))
			for _, b := range bands {
				if b.Min <= 0 {
					continue // the lowest band starts at the axis itself
				}
				marks = append(marks, opts.MarkLineNameYAxisItem{Name: b.Name, YAxis: b.Min})
			}
			so = append(so,
				charts.WithMarkLineNameYAxisItemOpts(marks...),
				charts.WithMarkLineStyleOpts(opts.MarkLineStyle{
					Symbol: []string{"none", "none"},
					// An explicit line height: ECharts measures a line of text by
					// the width of a CJK glyph, a few pixels where no CJK font is
					// installed, and the name and "≥ 80" would be drawn over each other.
					Label:     &opts.Label{Show: opts.Bool(true), Position: "end", Formatter: "{b}\n≥ {c}", LineHeight: 13},
					LineStyle: &opts.LineStyle{Type: "dashed", Color: "#8a94a0", Width: 1},
				}))
		}
		line.AddSeries(s.Name, data, so...)
	}
	line.Validate()
	ch, err := finish(id, label, line.JSON(), line.JSAssets.Values, false)
	if err != nil {
		return ch, err
	}
	ch.ZoomMin, ch.ZoomMax, ch.Zoomable = zoomRange(series, bands, max)
	return ch, nil
}

// zoomRange is the value axis narrowed to the data, widened to the band
// limit at or below the lowest value and the one above the highest (the
// band reached and the band aimed at stay drawn and labelled), in steps
// of 5 within 0–max. ok is false without bands or data, or when the
// narrowed axis would not be narrower by much.
func zoomRange(series []Series, bands []BandLine, max float64) (lo, hi float64, ok bool) {
	if len(bands) == 0 || max <= 0 {
		return 0, 0, false
	}
	first := true
	for _, s := range series {
		for _, v := range s.Values {
			if !v.Valid {
				continue
			}
			if first || v.V < lo {
				lo = v.V
			}
			if first || v.V > hi {
				hi = v.V
			}
			first = false
		}
	}
	if first {
		return 0, 0, false
	}
	below, above := 0.0, max
	for _, b := range bands {
		if b.Min <= lo && b.Min > below {
			below = b.Min
		}
		if b.Min > hi && b.Min < above {
			above = b.Min
		}
	}
	lo = math.Max(0, math.Floor((below-2)/5)*5)
	hi = math.Min(max, math.Ceil((above+2)/5)*5)
	return lo, hi, hi-lo <= 0.6*max
}

// Stacked is a stacked bar chart (one stack per category): the unit's
// groups over time, whose stack height is the total.
func Stacked(id, label string, cats []string, series []Series) (Chart, error) {
	if err := checkShape(cats, series); err != nil {
		return Chart{}, err
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(base(id)...)
	bar.SetGlobalOptions(
		charts.WithLegendOpts(legendOpts(len(series))),
		charts.WithXAxisOpts(opts.XAxis{Type: "category"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Min: 0}),
	)
	bar.SetXAxis(cats)
	addBars(bar, series, "total")
	bar.Validate()
	return finish(id, label, bar.JSON(), bar.JSAssets.Values, false)
}

// Grouped is a horizontal grouped bar chart: several series side by side
// per category (the unit, the average of its kind, the best unit).
// Horizontal, because category names are long Vietnamese phrases that
// would collide under vertical bars on a phone.
func Grouped(id, label string, cats []string, series []Series) (Chart, error) {
	if err := checkShape(cats, series); err != nil {
		return Chart{}, err
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(base(id)...)
	bar.SetGlobalOptions(
		charts.WithLegendOpts(legendOpts(len(series))),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Min: 0}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true),
			AxisLabel: &opts.AxisLabel{Width: 150, Overflow: "break"}}),
	)
	bar.SetXAxis(cats)
	bar.XYReversal()
	addBars(bar, series, "")
	bar.Validate()
	return finish(id, label, bar.JSON(), bar.JSAssets.Values, len(cats)*len(series) > 8)
}

func addBars(bar *charts.Bar, series []Series, stack string) {
	for _, s := range series {
		data := make([]opts.BarData, len(s.Values))
		for j, v := range s.Values {
			data[j] = opts.BarData{Value: v.data()}
		}
		bar.AddSeries(s.Name, data, charts.WithBarChartOpts(opts.BarChart{Stack: stack}),
			charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.BarMaxWidth = "36" }))
	}
}
