package demo

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
)

// BoundariesName is the name of the demo's boundaries file.
const BoundariesName = "boundaries-illustrative.geojson"

// Boundaries is the demo's boundaries file: synthetic, illustrative
// territories for the communes of Bắc Kạn (until 2025) and of Thái Nguyên
// (from 2025), never real ones. Each province's communes get cells of a
// grid, in name order, around a point near the province; a cell is a
// hexagon-like octagon so that the map reads as a map and not a table. The
// file says in its name and in each feature that it is illustrative.
func Boundaries() ([]byte, error) {
	type feature struct {
		Type       string         `json:"type"`
		Properties map[string]any `json:"properties"`
		Geometry   map[string]any `json:"geometry"`
	}
	var features []feature
	origins := map[string][2]float64{"BK": {105.55, 22.55}, "TN": {105.55, 22.55}}
	for _, name := range []string{"units.csv", "units-thai-nguyen.csv"} {
		f, ok := Lookup(name)
		if !ok {
			return nil, fmt.Errorf("demo: boundaries: %s missing", name)
		}
		rows, err := csv.NewReader(bytes.NewReader(f.Data)).ReadAll()
		if err != nil {
			return nil, fmt.Errorf("demo: boundaries: %s: %w", name, err)
		}
		var communes [][]string
		for _, r := range rows[1:] {
			if r[2] == "commune" {
				communes = append(communes, r)
			}
		}
		cols := int(math.Ceil(math.Sqrt(float64(len(communes)))))
		for i, r := range communes {
			prov := r[0][:2]
			o := origins[prov]
			const w, h = 0.09, 0.08
			x0 := o[0] + float64(i%cols)*w
			y0 := o[1] - float64(i/cols)*h
			// An octagon inset in its cell: neighbours touch along
			// the sides, not at the corners.
			cut := 0.25
			pts := [][]float64{
				{x0 + w*cut, y0}, {x0 + w*(1-cut), y0}, {x0 + w, y0 - h*cut}, {x0 + w, y0 - h*(1-cut)},
				{x0 + w*(1-cut), y0 - h}, {x0 + w*cut, y0 - h}, {x0, y0 - h*(1-cut)}, {x0, y0 - h*cut},
			}
			ring := make([][]float64, 0, len(pts)+1)
			for _, p := range pts {
				ring = append(ring, []float64{math.Round(p[0]*1e5) / 1e5, math.Round(p[1]*1e5) / 1e5})
			}
			ring = append(ring, ring[0])
			features = append(features, feature{Type: "Feature",
				Properties: map[string]any{"code": r[0], "name": r[1], "illustrative": true},
				Geometry:   map[string]any{"type": "Polygon", "coordinates": [][][]float64{ring}}})
		}
	}
	return json.Marshal(map[string]any{"type": "FeatureCollection", "features": features})
}
