package importer

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"

	"scorecard/internal/tabular"
	"scorecard/models"
	"scorecard/store"
)

// Boundaries files: a GeoJSON FeatureCollection whose features each carry
// a unit's code (properties.code) and its territory (a Polygon or
// MultiPolygon in longitude and latitude), for the map. Agencies have no
// territory. The file is checked whole before anything is written: every
// code known and territorial, once; every geometry valid; its size bounded.

const (
	// MaxBoundaryBytes bounds a boundaries file: the communes of a
	// province, simplified for a screen, take a few megabytes.
	MaxBoundaryBytes = 16 << 20
	// maxBoundaryFeatures and maxBoundaryPositions bound what the map
	// draws (a province has at most a few hundred communes).
	maxBoundaryFeatures  = 5000
	maxBoundaryPositions = 1_000_000
)

// IsBoundaries reports whether a file named name is a boundaries file (by
// its extension: a GeoJSON file is not a table).
func IsBoundaries(name string) bool {
	return strings.HasSuffix(strings.ToLower(name), ".geojson")
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

type geoFeature struct {
	Type       string          `json:"type"`
	Properties map[string]any  `json:"properties"`
	Geometry   json.RawMessage `json:"geometry"`
}

type geoGeometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
}

// importBoundaries checks and writes a boundaries file.
func (im *Importer) importBoundaries(ctx context.Context, name string, r io.Reader, source string, demo bool) (*Report, error) {
	ps := &tabular.Problems{Max: im.maxProblems()}
	refuse := func() (*Report, error) { return nil, ps.Err(name) }
	data, err := io.ReadAll(io.LimitReader(r, MaxBoundaryBytes+1))
	if err != nil {
		return nil, fmt.Errorf("importer: read %s: %w", name, err)
	}
	if len(data) > MaxBoundaryBytes {
		ps.AddIn("", "", "file.geo.too_big", tabular.Int(MaxBoundaryBytes>>20))
		return refuse()
	}
	var fc struct {
		Type     string       `json:"type"`
		Features []geoFeature `json:"features"`
	}
	if err := json.Unmarshal(data, &fc); err != nil || fc.Type != "FeatureCollection" {
		ps.AddIn("", "", "file.geo.not_collection")
		return refuse()
	}
	switch {
	case len(fc.Features) == 0:
		ps.AddIn("", "", "file.geo.empty")
		return refuse()
	case len(fc.Features) > maxBoundaryFeatures:
		ps.AddIn("", "", "file.geo.too_many", tabular.Int(maxBoundaryFeatures))
		return refuse()
	}
	units, err := im.st.UnitCodes(ctx)
	if err != nil {
		return nil, fmt.Errorf("importer: %w", err)
	}
	seen := map[string]int{}
	positions := 0
	var rows []store.BoundaryRow
	for i, f := range fc.Features {
		place := fmt.Sprintf("features[%d]", i)
		code, _ := f.Properties["code"].(string)
		code = strings.TrimSpace(code)
		u, known := units[code]
		switch {
		case f.Type != "Feature":
			ps.AddIn("", place, "file.geo.not_feature")
			continue
		case code == "":
			ps.AddIn("", place+".properties.code", "file.geo.code.empty")
			continue
		case !known:
			ps.AddIn("", place+".properties.code", "file.geo.code.unknown", tabular.Quote(code))
			continue
		case u.Kind == models.KindAgency:
			ps.AddIn("", place+".properties.code", "file.geo.code.agency", tabular.Quote(code))
			continue
		case seen[code] > 0:
			ps.AddIn("", place+".properties.code", "file.geo.code.twice", tabular.Quote(code), tabular.Int(seen[code]-1))
			continue
		}
		seen[code] = i + 1
		geom, n, key := checkGeometry(f.Geometry)
		positions += n
		if key != "" {
			ps.AddIn("", place+".geometry", key, tabular.Quote(code))
			continue
		}
		if positions > maxBoundaryPositions {
			ps.AddIn("", "", "file.geo.too_many_points", tabular.Int(maxBoundaryPositions))
			return refuse()
		}
		rows = append(rows, store.BoundaryRow{UnitCode: code, Geometry: geom})
	}
	if !ps.Empty() {
		return refuse()
	}
	imp := &models.Import{FileName: name, Source: source, Demo: demo, SHA256: sha256Hex(data)}
	res, err := im.st.ImportBoundaries(ctx, imp, rows)
	if err != nil {
		return im.storeFailed(name, err, ps)
	}
	return &Report{FileName: name, Kind: models.ImportBoundaries, Format: "geojson", SHA256: imp.SHA256,
		ImportID: res.ImportID, Rows: res.Rows, Inserted: res.Inserted, Updated: res.Updated, Unchanged: res.Unchanged}, nil
}

// checkGeometry validates a Polygon or MultiPolygon and returns it as
// compact JSON, with the number of its positions; key names the problem
// ("" when valid).
func checkGeometry(raw json.RawMessage) (string, int, string) {
	var g geoGeometry
	if len(raw) == 0 || string(raw) == "null" || json.Unmarshal(raw, &g) != nil {
		return "", 0, "file.geo.geometry.missing"
	}
	var polys [][][][]float64
	switch g.Type {
	case "Polygon":
		var p [][][]float64
		if json.Unmarshal(g.Coordinates, &p) != nil {
			return "", 0, "file.geo.geometry.bad"
		}
		polys = [][][][]float64{p}
	case "MultiPolygon":
		if json.Unmarshal(g.Coordinates, &polys) != nil {
			return "", 0, "file.geo.geometry.bad"
		}
	default:
		return "", 0, "file.geo.geometry.type"
	}
	n := 0
	if len(polys) == 0 {
		return "", 0, "file.geo.geometry.bad"
	}
	for _, p := range polys {
		if len(p) == 0 {
			return "", n, "file.geo.geometry.bad"
		}
		for _, ring := range p {
			n += len(ring)
			if len(ring) < 4 {
				return "", n, "file.geo.geometry.ring"
			}
			for _, pos := range ring {
				if len(pos) < 2 || math.IsNaN(pos[0]) || math.IsNaN(pos[1]) || math.Abs(pos[0]) > 180 || math.Abs(pos[1]) > 90 {
					return "", n, "file.geo.geometry.position"
				}
			}
			a, b := ring[0], ring[len(ring)-1]
			if a[0] != b[0] || a[1] != b[1] {
				return "", n, "file.geo.geometry.open"
			}
		}
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, mustJSON(map[string]any{"type": g.Type, "coordinates": g.Coordinates})); err != nil {
		return "", n, "file.geo.geometry.bad"
	}
	return buf.String(), n, ""
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v) // plain maps and raw JSON already parsed
	return b
}
