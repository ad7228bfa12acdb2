// Package country writes the national data set: the 34 provinces and
// centrally-run cities of 01/07/2025, each with its agencies and communes,
// month by month, in the import formats (units.csv, then counts-YYYY-MM.csv
// a month), for trying the product at the scale of a national team and for
// its benchmarks. The figures are drawn with the demo's unit model; the
// same options always give the same bytes.
package country

import (
	"fmt"

	"scorecard/data/demo/internal/demogen"
)

// Options sizes the data set (zero values take the defaults: 24 months to
// 2026-11, 15 agencies and 100 communes a province).
type Options = demogen.CountryOptions

// Summary says what was written, with its files in import order.
type Summary = demogen.CountrySummary

// Write writes the data set's files into dir (which must exist).
func Write(dir string, o Options) (Summary, error) {
	sum, err := demogen.WriteCountry(dir, o)
	if err != nil {
		return sum, fmt.Errorf("country: %w", err)
	}
	return sum, nil
}
