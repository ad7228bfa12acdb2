package charts

import "github.com/go-echarts/go-echarts/v2/opts"

// MapItem is one unit on a map: its code (the feature's properties.code),
// its name for the tooltip, and its value (missing: drawn without fill).
type MapItem struct {
	Code, Name string
	Value      Value
}

// MapPiece is one class of the map's legend: the values from Min to below
// Max (Max 0: no upper limit) and its name, e.g. a band ("Tốt ≥ 80").
type MapPiece struct {
	Name     string
	Min, Max float64
}

// mapColours are the classes' fills, lightest (lowest) first: one hue, so
// that the legend reads as an order; the names are in the legend and the
// figures in the table beside the map.
var mapColours = []string{"#dce6f1", "#a3b8d6", "#6b8fc2", "#1f4e8c", "#163a69"}

// Choropleth is a map of units coloured by value: the boundaries are
// fetched by the page from geoURL (GeoJSON keyed by properties.code) and
// registered as mapName. ECharts' map series, self-hosted like every
// chart; the table beside it is the keyboard and screen-reader way in.
func Choropleth(id, label, geoURL, mapName string, items []MapItem, pieces []MapPiece) (Chart, error) {
	data := make([]map[string]any, len(items))
	for i, it := range items {
		data[i] = map[string]any{"name": it.Code, "unit": it.Name, "value": it.Value.data()}
	}
	ps := make([]map[string]any, len(pieces))
	for i, p := range pieces {
		m := map[string]any{"min": p.Min, "label": p.Name, "color": mapColours[min(i, len(mapColours)-1)]}
		if p.Max > 0 {
			m["lt"] = p.Max
		}
		ps[i] = m
	}
	obj := map[string]any{
		"geoURL":  geoURL,
		"tooltip": map[string]any{"show": true, "trigger": "item"},
		"visualMap": map[string]any{"type": "piecewise", "pieces": ps, "left": 0, "bottom": 0,
			"outOfRange": map[string]any{"color": "#f4f6f9"}},
		"series": []any{map[string]any{
			"type": "map", "map": mapName, "nameProperty": "code", "roam": false,
			"data": data, "label": map[string]any{"show": false},
			"itemStyle":    map[string]any{"borderColor": "#ffffff", "borderWidth": 1, "areaColor": "#f4f6f9"},
			"emphasis":     map[string]any{"label": map[string]any{"show": false}, "itemStyle": map[string]any{"areaColor": "#c9a227"}},
			"selectedMode": false,
		}},
	}
	c, err := finish(id, label, obj, nil, true)
	c.Script = AssetsHost + opts.EchartsJS
	return c, err
}
