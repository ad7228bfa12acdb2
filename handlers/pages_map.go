package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"

	"github.com/gofiber/fiber/v2"

	"scorecard/charts"
	"scorecard/handlers/site"
	"scorecard/present"
	"scorecard/scoring"
)

// The map: where an office supplied its units' boundaries (a GeoJSON
// file, importer/boundaries.go), the overview and the communes' ranking
// show the communes of the province coloured by their band, with their
// scores as a table beside it (the keyboard and screen-reader way in).
// The boundaries travel as GeoJSON from /maps/{province}.

// BoundarySource gives the units' boundaries (the *store.Store).
type BoundarySource interface {
	Boundaries(ctx context.Context) (map[string]string, error)
}

// mapView is the map panel; nil without boundaries for the province's
// communes in the period.
type mapView struct {
	Chart charts.Chart
	Rows  []mapRow
	// Missing counts the communes of the period without a boundary.
	Missing int
	Demo    bool // the demo's boundaries are illustrative
}

type mapRow struct {
	Unit    unitRef
	HasData bool
	Total   scoring.Cents
	Band    bandView
}

// mapUnits are the units a map of the province shows in period p: its
// communes (agencies have no territory).
func mapUnits(e *env, province string, p scoring.Period) []scoring.Unit {
	var out []scoring.Unit
	for _, u := range e.eng.Units() {
		if u.Kind == scoring.KindCommune && u.ExistsIn(p) && e.eng.ProvinceOf(u.Code) == province {
			out = append(out, u)
		}
	}
	return out
}

// unitMap builds the map of the province's communes in the period's
// scores ps; nil when none of them has a boundary.
func (h *handler) unitMap(c *fiber.Ctx, e *env, province string, ps *scoring.PeriodScores) (*mapView, error) {
	if h.bounds == nil || ps == nil {
		return nil, nil
	}
	geo, err := h.bounds.Boundaries(c.UserContext())
	if err != nil {
		return nil, fmt.Errorf("handlers: boundaries: %w", err)
	}
	v := &mapView{Demo: e.demo}
	var items []charts.MapItem
	for _, u := range mapUnits(e, province, e.period) {
		if _, ok := geo[u.Code]; !ok {
			v.Missing++
			continue
		}
		row := mapRow{Unit: newUnitRef(u, e.period), Band: bandView{Name: "—", Class: "band-none"}}
		it := charts.MapItem{Code: u.Code, Name: u.Name}
		if us := ps.Unit(u.Code); us != nil && us.HasData {
			row.HasData, row.Total, row.Band = true, us.Total, newBandView(e.lang, us.Scheme, us.Band)
			it.Value = charts.Num(us.Total.Float())
		}
		v.Rows = append(v.Rows, row)
		items = append(items, it)
	}
	if len(items) == 0 {
		return nil, nil
	}
	var pieces []charts.MapPiece
	bands := append([]scoring.Band(nil), ps.Scheme.Bands...)
	sort.Slice(bands, func(i, j int) bool { return bands[i].Min < bands[j].Min })
	for i, b := range bands {
		p := charts.MapPiece{Name: present.Name(e.lang, b.NameVI, b.NameEN), Min: b.Min.Float()}
		if i+1 < len(bands) {
			p.Max = bands[i+1].Min.Float()
		}
		pieces = append(pieces, p)
	}
	q := url.Values{}
	q.Set("period", e.period.String())
	geoURL := h.URL("/maps/" + url.PathEscape(province) + "?" + q.Encode())
	v.Chart, err = charts.Choropleth("chart-map", e.lang.TN(len(items), "chart.map.desc", len(items), present.Lower(e.lang, present.Period(e.lang, e.period))),
		geoURL, "units-"+province, items, pieces)
	return v, err
}

// mapGeoJSON is GET /maps/{province}?period=: the boundaries of the
// province's communes existing in the period, as a FeatureCollection keyed
// by properties.code.
func (h *handler) mapGeoJSON(c *fiber.Ctx) error {
	e, err := h.loadEnv(c)
	if err != nil {
		return err
	}
	code := site.UnitCode(c)
	if _, err := e.province(code); err != nil {
		return err
	}
	if h.bounds == nil {
		return site.NotFound("err.map.none")
	}
	geo, err := h.bounds.Boundaries(c.UserContext())
	if err != nil {
		return fmt.Errorf("handlers: boundaries: %w", err)
	}
	type feature struct {
		Type       string            `json:"type"`
		Properties map[string]string `json:"properties"`
		Geometry   json.RawMessage   `json:"geometry"`
	}
	features := []feature{}
	for _, m := range mapUnits(e, code, e.period) {
		if g, ok := geo[m.Code]; ok {
			features = append(features, feature{Type: "Feature", Properties: map[string]string{"code": m.Code, "name": m.Name}, Geometry: json.RawMessage(g)})
		}
	}
	b, err := json.Marshal(map[string]any{"type": "FeatureCollection", "features": features})
	if err != nil {
		return fmt.Errorf("handlers: boundaries: %w", err)
	}
	c.Set(fiber.HeaderContentType, "application/geo+json")
	return c.Send(b)
}
