package demogen

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scoring"
)

// The files of the data set, in import order: each refers only to units
// that the files before it define. The story year keeps the three files it
// always had (its counts and results byte for byte; its units with their
// days); the rest of the story has its own.
const (
	// UnitsFile holds Bắc Kạn's units, which all end on 01/07/2025.
	UnitsFile = "units.csv"
	// CountsFile holds Bắc Kạn's story year, 2023-05 to 2024-04.
	CountsFile = "counts.csv"
	// OfficialFile holds Bắc Kạn's published results of the story year,
	// of 63 provinces.
	OfficialFile = "official.csv"
	// BacKanCountsFile holds Bắc Kạn's months from 2024-05 to 2025-06.
	BacKanCountsFile = "counts-bac-kan-2024-2025.csv"
	// BacKanOfficialFile holds Bắc Kạn's published results of those
	// months, still of 63.
	BacKanOfficialFile = "official-bac-kan-2024-2025.csv"
	// ThaiNguyenUnitsFile holds the new Thái Nguyên's units, from
	// 01/07/2025.
	ThaiNguyenUnitsFile = "units-thai-nguyen.csv"
	// ChangesFile says how Bắc Kạn's units became Thái Nguyên's.
	ChangesFile = "unit-changes-2025.csv"
	// ThaiNguyenCountsFile holds Thái Nguyên's months, 2025-07 to the last.
	ThaiNguyenCountsFile = "counts-thai-nguyen-2025-2026.csv"
	// ThaiNguyenOfficialFile holds Thái Nguyên's published results, of 34.
	ThaiNguyenOfficialFile = "official-thai-nguyen.csv"
)

// FileNames lists the data set's files in import order.
var FileNames = []string{UnitsFile, CountsFile, OfficialFile, BacKanCountsFile, BacKanOfficialFile,
	ThaiNguyenUnitsFile, ChangesFile, ThaiNguyenCountsFile, ThaiNguyenOfficialFile}

// built is the whole data set: Bắc Kạn from 2023-05 to 2025-06, Thái
// Nguyên from 2025-07 to LastMonth.
type built struct{ bk, tn *generator }

func buildAll() (*built, error) {
	s, err := loadScheme()
	if err != nil {
		return nil, err
	}
	bk, err := buildStory(s)
	if err != nil {
		return nil, err
	}
	tn, err := buildLater(s, bk)
	if err != nil {
		return nil, err
	}
	return &built{bk: bk, tn: tn}, nil
}

// Generate draws the whole data set and returns its CSV files by name.
func Generate() (map[string][]byte, error) {
	b, err := buildAll()
	if err != nil {
		return nil, err
	}
	bkCounts := monthsBetween(FirstMonth, BacKanLast)
	return map[string][]byte{
		UnitsFile:              b.bk.unitsCSV(),
		CountsFile:             b.bk.countsCSV(0, Months),
		OfficialFile:           b.bk.officialCSV(0, Months),
		BacKanCountsFile:       b.bk.countsCSV(Months, bkCounts),
		BacKanOfficialFile:     b.bk.officialCSV(Months, bkCounts),
		ThaiNguyenUnitsFile:    b.tn.unitsCSV(),
		ChangesFile:            changesCSV(),
		ThaiNguyenCountsFile:   b.tn.countsCSV(0, len(b.tn.vals)),
		ThaiNguyenOfficialFile: b.tn.officialCSV(0, len(b.tn.vals)),
	}, nil
}

// unitsCSV writes the units file (docs/import-files.md) with the days each
// unit exists.
func (g *generator) unitsCSV() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"code", "name", "kind", "parent_code", "valid_from", "valid_to"})
	for _, u := range g.units {
		_ = w.Write([]string{u.Code, u.Name, string(u.Kind), u.Parent, u.ValidFrom, u.ValidTo})
	}
	w.Flush()
	return b.Bytes()
}

// changesCSV writes the unit changes file (code,successor_code,change,
// effective_from).
func changesCSV() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"code", "successor_code", "change", "effective_from"})
	for _, c := range tnChanges() {
		_ = w.Write([]string{c.code, c.successor, c.kind, mergerDay})
	}
	w.Flush()
	return b.Bytes()
}

// countsCSV writes the counts file (docs/import-files.md) of months
// [from, to): month by month, unit by unit in file order, metrics in scheme
// order. The province has rows for its province-level metrics only: its
// other metrics are left to the engine, which pools them from every unit of
// the province.
func (g *generator) countsCSV(from, to int) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"period", "unit_code", "metric", "numerator", "denominator"})
	p := g.first
	for range from {
		p = p.Next()
	}
	for i := from; i < to; i++ {
		for j, u := range g.units {
			for _, m := range g.scheme.Metrics {
				v, ok := g.vals[i][j][m.Code]
				if !ok {
					continue
				}
				num, den := "", ""
				if v.ok {
					num, den = strconv.FormatInt(v.n, 10), strconv.FormatInt(v.d, 10)
				}
				_ = w.Write([]string{p.String(), u.Code, m.Code, num, den})
			}
		}
		p = p.Next()
	}
	w.Flush()
	return b.Bytes()
}

// officialCSV writes the results the portal published for the province
// (docs/import-files.md, official results: period,unit_code,total,rank,rank_of) in
// months [from, to), one row a month. The demo's counts are the portal's,
// so its published total is the engine's; the rank places the province in
// the national field (see rank).
func (g *generator) officialCSV(from, to int) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"period", "unit_code", "total", "rank", "rank_of"})
	p := g.first
	for range from {
		p = p.Next()
	}
	for i := from; i < to; i++ {
		tot, _ := g.scoreUnit(i, 0)
		rank, of := g.rank(i, tot)
		_ = w.Write([]string{p.String(), g.units[0].Code, scoring.Cents(tot).String(), strconv.Itoa(rank), strconv.Itoa(of)})
		p = p.Next()
	}
	w.Flush()
	return b.Bytes()
}

// WriteFiles generates the data set into dir.
func WriteFiles(dir string) error {
	files, err := Generate()
	if err != nil {
		return err
	}
	for _, name := range FileNames {
		if err := os.WriteFile(filepath.Join(dir, name), files[name], 0o644); err != nil {
			return fmt.Errorf("demogen: %w", err)
		}
	}
	return nil
}

// Summary describes the generated months with the generator's own scorer:
// one line per month with the province's total, rank and the bands of its
// units, then April 2024's and the last month's units, for a person
// checking the story.
func Summary() ([]string, error) {
	b, err := buildAll()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, g := range []*generator{b.bk, b.tn} {
		p := g.first
		for i := range g.vals {
			tot, _ := g.scoreUnit(i, 0)
			rank, of := g.rank(i, tot)
			bands := map[scoring.UnitKind]map[string]int{}
			for j := 1; j < len(g.units); j++ {
				k := g.units[j].Kind
				if bands[k] == nil {
					bands[k] = map[string]int{}
				}
				t, _ := g.scoreUnit(i, j)
				bands[k][band(g.scheme, t)]++
			}
			out = append(out, fmt.Sprintf("%s %s %s %d/%d agencies %v districts %v communes %v", p, g.units[0].Code,
				present.Score(i18n.VI, scoring.Cents(tot)), rank, of, bands[scoring.KindAgency], bands[scoring.KindDistrict], bands[scoring.KindCommune]))
			p = p.Next()
		}
	}
	for _, at := range []struct {
		g *generator
		i int
	}{{b.bk, Months - 1}, {b.tn, len(b.tn.vals) - 1}} {
		p := at.g.first
		for range at.i {
			p = p.Next()
		}
		for j, u := range at.g.units {
			t, _ := at.g.scoreUnit(at.i, j)
			out = append(out, fmt.Sprintf("%s %-28s %-9s %6s %s", p, u.Code, u.Kind, present.Score(i18n.VI, scoring.Cents(t)), u.Name))
		}
	}
	return out, nil
}
