package charts

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// DayByDay is a unit's running period day by day: its total (left axis,
// 0 to max, solid line with circles) and its rank among rankOf units
// (right axis, 1 at the top, dashed line with squares), so that the two
// lines differ without colour. Missing values are gaps.
func DayByDay(id, label string, days []string, total, rank Series, max float64, rankOf int) (Chart, error) {
	if err := checkShape(days, []Series{total, rank}); err != nil {
		return Chart{}, err
	}
	line := charts.NewLine()
	line.SetGlobalOptions(base(id)...)
	line.SetGlobalOptions(
		charts.WithLegendOpts(legendOpts(2)),
		charts.WithXAxisOpts(opts.XAxis{Type: "category"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: total.Name, Min: 0, Max: max}),
	)
	line.ExtendYAxis(opts.YAxis{Type: "value", Name: rank.Name, Min: 1, Max: max1(rankOf), Inverse: opts.Bool(true),
		MinInterval: 1, SplitLine: &opts.SplitLine{Show: opts.Bool(false)}})
	line.SetXAxis(days)
	for i, s := range []Series{total, rank} {
		data := make([]opts.LineData, len(s.Values))
		for j, v := range s.Values {
			data[j] = opts.LineData{Value: v.data()}
		}
		line.AddSeries(s.Name, data,
			charts.WithLineChartOpts(opts.LineChart{Symbol: symbols[i], SymbolSize: 6, ShowSymbol: opts.Bool(len(days) <= 60),
				YAxisIndex: i, ConnectNulls: opts.Bool(false)}),
			charts.WithLineStyleOpts(opts.LineStyle{Width: 2, Type: lineStyles[i]}))
	}
	line.Validate()
	obj := line.JSON()
	// The rank is a whole number in the tooltip (charts.js reads this key
	// and removes it).
	obj["integerSeries"] = []int{1}
	return finish(id, label, obj, line.JSAssets.Values, false)
}

func max1(n int) int {
	if n < 1 {
		return 1
	}
	return n
}
