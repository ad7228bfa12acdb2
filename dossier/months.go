package dossier

import "scorecard/scoring"

// Month indexes, for callers that keep dossiers elsewhere (the store): a
// month is a count of months since January 1970, January 1970 being 0, in
// Vietnam time. Quarter, half-year and year indexes are a month index
// divided (rounding down) by 3, 6 and 12.

// MonthOf is the month index of Unix time t.
func MonthOf(t int64) int32 { return monthOf(t) }

// MonthIndex is the month index of the first month of p.
func MonthIndex(p scoring.Period) int32 { return monthIndex(p.Months()[0]) }

// MonthPeriod is the month of index a.
func MonthPeriod(a int32) scoring.Period { return periodOfMonth(a) }

// MonthStart is the first instant (Unix seconds) of month index a.
func MonthStart(a int32) int64 { return monthStart(a) }

// PeriodsOf returns the month of index a and the quarter, half-year and
// year containing it: what a change to that month's counts touches.
func PeriodsOf(a int32) [4]scoring.Period {
	var out [4]scoring.Period
	for k := range kindLen {
		out[k] = periodOfIndex(k, divFloor(a, kindLen[k]))
	}
	return out
}

// The years a timestamp may have (MinYear to MaxYear): a typo such as 2204
// for 2024 is refused rather than stretching every series over two
// centuries.
const (
	MinYear = minYear
	MaxYear = maxYear
)
