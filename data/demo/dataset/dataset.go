// Package dataset reads the embedded demo files straight into the engine's
// input. It lives apart from package demo so that scoring's own tests can
// keep importing demo without an import cycle.
package dataset

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"

	"scorecard/data/demo"
	"scorecard/scoring"
)

// Load reads the embedded demo files straight into the engine's input, for
// tests and benchmarks that need the demo without a database. The
// application itself loads the files through the importer.
func Load() (*scoring.Dataset, error) {
	read := func(f demo.File) ([][]string, error) {
		rows, err := csv.NewReader(bytes.NewReader(f.Data)).ReadAll()
		if err != nil {
			return nil, fmt.Errorf("demo: read %s: %w", f.Name, err)
		}
		if len(rows) < 2 {
			return nil, fmt.Errorf("demo: %s has no data rows", f.Name)
		}
		return rows[1:], nil
	}
	files := demo.Files()
	units, err := read(files[0])
	if err != nil {
		return nil, err
	}
	counts, err := read(files[1])
	if err != nil {
		return nil, err
	}
	ds := &scoring.Dataset{Own: make(map[scoring.Key]scoring.Counts, len(counts))}
	for _, r := range units {
		ds.Units = append(ds.Units, scoring.Unit{Code: r[0], Name: r[1], Kind: scoring.UnitKind(r[2]), ParentCode: r[3]})
	}
	for i, r := range counts {
		var c scoring.Counts
		if r[3] != "" || r[4] != "" {
			n, err1 := strconv.ParseInt(r[3], 10, 64)
			d, err2 := strconv.ParseInt(r[4], 10, 64)
			if err1 != nil || err2 != nil {
				return nil, fmt.Errorf("demo: counts row %d: %q/%q are not integers", i+2, r[3], r[4])
			}
			c = scoring.C(n, d)
		}
		ds.Own[scoring.Key{Period: r[0], Unit: r[1], Metric: r[2]}] = c
	}
	return ds, nil
}
