// Package demo embeds the demo data set: a province's story across the
// 2025 merger, with the results the national portal published for it.
//
//   - Bắc Kạn, 2023-05 to 2025-06: its 18 agencies, 8 districts and 44
//     communes, and its rank among the 63 provinces. April 2024 holds the
//     facts of the seed article (75,35 points, 17th of 63).
//   - Thái Nguyên, 2025-07 to 2026-11: on 01/07/2025 Bắc Kạn merged into
//     it, the districts were abolished and the communes merged into larger
//     ones (two tiers of local government); its 13 agencies, 40 communes
//     and wards (17 of them on Bắc Kạn's former territory, each with the
//     old communes it came from), and its rank among the 34 provinces.
//   - The running year 2026 of Thái Nguyên as the portal publishes it,
//     captured every evening from 01/09 to 30/11/2026: drawn from these
//     months when the demo loads (package running), not a file.
//
// A fresh installation loads it so that every page has something to show
// (docs/cli.md: --no-demo skips it).
//
// The files are written by the program in gen/ (go run ./data/demo/gen);
// demo_test.go fails if they differ from what it writes, and checks the
// story they tell through the real scoring engine.
//
// The provinces have rows only for their province-level metrics
// (PUBLISH_ON_TIME, PUBLIC_UPDATE_ON_TIME, PUBLIC_CONTENT_FULL): their
// other metrics are left out on purpose, so the engine pools them from all
// their units (scoring.md §4) and the pages show that derivation. Agencies
// have empty ELECTRONIC_CERTIFIED_COPY rows ("no counts": certified copies
// are made by districts and communes).
package demo

import _ "embed" // for go:embed

// The files, each embedded by name so that a missing one fails the build.
var (
	//go:embed units.csv
	unitsCSV string
	//go:embed counts.csv
	countsCSV string
	//go:embed official.csv
	officialCSV string
	//go:embed counts-bac-kan-2024-2025.csv
	bacKanCountsCSV string
	//go:embed official-bac-kan-2024-2025.csv
	bacKanOfficialCSV string
	//go:embed units-thai-nguyen.csv
	thaiNguyenUnitsCSV string
	//go:embed unit-changes-2025.csv
	changesCSV string
	//go:embed counts-thai-nguyen-2025-2026.csv
	thaiNguyenCountsCSV string
	//go:embed official-thai-nguyen.csv
	thaiNguyenOfficialCSV string
)

// files is the data set in import order: each file refers only to units
// that the files before it define. The story year's three files come first,
// as they always have: units.csv (Bắc Kạn's units), counts.csv (2023-05 to
// 2024-04) and official.csv (Bắc Kạn's published results of those months).
var files = []struct {
	name string
	data *string
}{
	{"units.csv", &unitsCSV},
	{"counts.csv", &countsCSV},
	{"official.csv", &officialCSV},
	{"counts-bac-kan-2024-2025.csv", &bacKanCountsCSV},
	{"official-bac-kan-2024-2025.csv", &bacKanOfficialCSV},
	{"units-thai-nguyen.csv", &thaiNguyenUnitsCSV},
	{"unit-changes-2025.csv", &changesCSV},
	{"counts-thai-nguyen-2025-2026.csv", &thaiNguyenCountsCSV},
	{"official-thai-nguyen.csv", &thaiNguyenOfficialCSV},
}

// File is one file of the data set, in a format the importer accepts.
type File struct {
	Name string
	Data []byte
}

// Files returns the data set in import order. Each call returns fresh
// copies, so a caller may modify them.
func Files() []File {
	out := make([]File, len(files))
	for i, f := range files {
		out[i] = File{Name: f.name, Data: []byte(*f.data)}
	}
	return out
}

// Lookup returns a fresh copy of the named file of the data set.
func Lookup(name string) (File, bool) {
	for _, f := range files {
		if f.name == name {
			return File{Name: name, Data: []byte(*f.data)}, true
		}
	}
	return File{}, false
}
