package site

import (
	"net/url"

	"scorecard/scoring"
)

// The site paths of the pages other pages and the frame link to.

// UnitURL is a unit's page, in period p (zero: the default period).
func UnitURL(code string, p scoring.Period) string {
	s := "/units/" + url.PathEscape(code)
	if !p.IsZero() {
		s += "?period=" + url.QueryEscape(p.String())
	}
	return s
}

// ProvinceURL is a province's overview, in period p (zero: the default).
func ProvinceURL(code string, p scoring.Period) string {
	s := "/provinces/" + url.PathEscape(code)
	if !p.IsZero() {
		s += "?period=" + url.QueryEscape(p.String())
	}
	return s
}

// RevisionsURL lists the revisions of a published period.
func RevisionsURL(p scoring.Period) string { return "/revisions/" + url.PathEscape(p.String()) }
