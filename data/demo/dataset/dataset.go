// Package dataset reads the embedded demo files straight into the engine's
// input. It lives apart from package demo so that scoring's own tests can
// keep importing demo without an import cycle.
package dataset

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"time"

	"scorecard/data/demo"
	"scorecard/scoring"
)

// Load reads the embedded demo files straight into the engine's input
// (units with their dates, their changes, counts), for tests and
// benchmarks that need the demo without a database. The application itself
// loads the files through the importer. The published results are not
// part of the engine's input and are left out.
func Load() (*scoring.Dataset, error) {
	ds := &scoring.Dataset{Own: map[scoring.Key]scoring.Counts{}}
	for _, f := range demo.Files() {
		rows, err := csv.NewReader(bytes.NewReader(f.Data)).ReadAll()
		if err != nil {
			return nil, fmt.Errorf("demo: read %s: %w", f.Name, err)
		}
		if len(rows) < 2 {
			return nil, fmt.Errorf("demo: %s has no data rows", f.Name)
		}
		switch header := strings.Join(rows[0], ","); header {
		case "code,name,kind,parent_code,valid_from,valid_to":
			for i, r := range rows[1:] {
				u := scoring.Unit{Code: r[0], Name: r[1], Kind: scoring.UnitKind(r[2]), ParentCode: r[3]}
				if u.ValidFrom, err = day(r[4]); err == nil {
					u.ValidTo, err = day(r[5])
				}
				if err != nil {
					return nil, fmt.Errorf("demo: %s row %d: %w", f.Name, i+2, err)
				}
				ds.Units = append(ds.Units, u)
			}
		case "code,successor_code,change,effective_from":
			for i, r := range rows[1:] {
				d, err := day(r[3])
				if err != nil || d.IsZero() {
					return nil, fmt.Errorf("demo: %s row %d: effective date %q", f.Name, i+2, r[3])
				}
				ds.Changes = append(ds.Changes, scoring.Change{From: r[0], To: r[1], Kind: scoring.ChangeKind(r[2]), Effective: d})
			}
		case "period,unit_code,metric,numerator,denominator":
			for i, r := range rows[1:] {
				var c scoring.Counts
				if r[3] != "" || r[4] != "" {
					n, err1 := strconv.ParseInt(r[3], 10, 64)
					d, err2 := strconv.ParseInt(r[4], 10, 64)
					if err1 != nil || err2 != nil {
						return nil, fmt.Errorf("demo: %s row %d: %q/%q are not integers", f.Name, i+2, r[3], r[4])
					}
					c = scoring.C(n, d)
				}
				ds.Own[scoring.Key{Period: r[0], Unit: r[1], Metric: r[2]}] = c
			}
		case "period,unit_code,total,rank,rank_of":
		default:
			return nil, fmt.Errorf("demo: %s: unknown header %q", f.Name, header)
		}
	}
	return ds, nil
}

// day reads an ISO date of a units file as the start of that day in
// Vietnam; "" is an open side.
func day(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, s, scoring.Location)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q: %w", s, err)
	}
	return t, nil
}
