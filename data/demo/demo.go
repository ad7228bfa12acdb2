// Package demo embeds the demo data set: the province of Bắc Kạn, its 18
// agencies, 8 districts and 44 communes, with twelve months of counts
// (2023-05 to 2024-04) and the province's results as the national portal
// published them (its total and its rank among the 63 provinces). A fresh installation loads it so that every page
// has something to show (formats.md "Command line": --no-demo skips it).
//
// The files are written by the program in gen/ (go run ./data/demo/gen);
// demo_test.go fails if they differ from what it writes, and checks the
// story they tell in April 2024 through the real scoring engine.
//
// The province has rows only for its province-level metrics
// (PUBLISH_ON_TIME, PUBLIC_UPDATE_ON_TIME, PUBLIC_CONTENT_FULL): its other
// metrics are left out on purpose, so the engine pools them from all its
// agencies, districts and communes (scoring.md §4) and the pages show that
// derivation. Agencies have empty ELECTRONIC_CERTIFIED_COPY rows ("no
// counts": certified copies are made by districts and communes).
package demo

import _ "embed" // for go:embed

//go:embed units.csv
var unitsCSV string

//go:embed counts.csv
var countsCSV string

//go:embed official.csv
var officialCSV string

// File is one file of the data set, in a format the importer accepts.
type File struct {
	Name string
	Data []byte
}

// Files returns the data set in import order: the units first, since the
// counts and the published results refer to them. Each call returns fresh copies, so a caller may
// modify them.
func Files() []File {
	return []File{
		{Name: "units.csv", Data: []byte(unitsCSV)},
		{Name: "counts.csv", Data: []byte(countsCSV)},
		{Name: "official.csv", Data: []byte(officialCSV)},
	}
}
