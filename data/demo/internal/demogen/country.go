package demogen

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"

	"scorecard/scoring"
)

// The national data set: the 34 provinces and centrally-run cities of
// 01/07/2025, each with its agencies and its communes and wards, month by
// month. It is for trying the product at the scale of a national team
// (rankings of 34 provinces and about 3 900 units) and for its benchmarks;
// its figures are drawn with the demo's unit model, not taken from the
// portal. The units carry no dates: the set pretends the 34 provinces
// always existed, so any span of months is valid.

// CountryOptions sizes the national data set.
type CountryOptions struct {
	// Months is how many months of counts (default 24), ending with End.
	Months int
	// End is the last month (default the demo's last, 2026-11).
	End scoring.Period
	// Agencies and Communes are each province's (default 15 and 100).
	Agencies, Communes int
	// Seed varies the draws (the same options always give the same bytes).
	Seed uint64
}

// CountrySummary says what was written.
type CountrySummary struct {
	Provinces, Units, CountRows int
	First, Last                 scoring.Period
	// Files are the files written, in import order: the units file, then
	// one counts file a month (a counts file stays well under the
	// importer's size limit however large the country is made).
	Files []string
}

// provinces34 are the provinces and centrally-run cities from 01/07/2025,
// with the short codes the data set gives them.
var provinces34 = []struct{ code, name string }{
	{"HN", "Thành phố Hà Nội"}, {"HUE", "Thành phố Huế"}, {"LCH", "Tỉnh Lai Châu"}, {"DB", "Tỉnh Điện Biên"},
	{"SL", "Tỉnh Sơn La"}, {"LS", "Tỉnh Lạng Sơn"}, {"QNI", "Tỉnh Quảng Ninh"}, {"TH", "Tỉnh Thanh Hóa"},
	{"NA", "Tỉnh Nghệ An"}, {"HT", "Tỉnh Hà Tĩnh"}, {"CB", "Tỉnh Cao Bằng"}, {"TQ", "Tỉnh Tuyên Quang"},
	{"LCA", "Tỉnh Lào Cai"}, {"TNG", "Tỉnh Thái Nguyên"}, {"PT", "Tỉnh Phú Thọ"}, {"BN", "Tỉnh Bắc Ninh"},
	{"HY", "Tỉnh Hưng Yên"}, {"HP", "Thành phố Hải Phòng"}, {"NB", "Tỉnh Ninh Bình"}, {"QT", "Tỉnh Quảng Trị"},
	{"DNG", "Thành phố Đà Nẵng"}, {"QNG", "Tỉnh Quảng Ngãi"}, {"GL", "Tỉnh Gia Lai"}, {"KH", "Tỉnh Khánh Hòa"},
	{"LD", "Tỉnh Lâm Đồng"}, {"DLK", "Tỉnh Đắk Lắk"}, {"HCM", "Thành phố Hồ Chí Minh"}, {"DNI", "Tỉnh Đồng Nai"},
	{"TNI", "Tỉnh Tây Ninh"}, {"CT", "Thành phố Cần Thơ"}, {"VL", "Tỉnh Vĩnh Long"}, {"DT", "Tỉnh Đồng Tháp"},
	{"CM", "Tỉnh Cà Mau"}, {"AG", "Tỉnh An Giang"},
}

// countryAgencies are the agencies a province has, in order; a province
// with more than these gets numbered boards.
var countryAgencies = []struct {
	code, name  string
	procs, fees int
}{
	{"SNV", "Sở Nội vụ", 90, 10}, {"STP", "Sở Tư pháp", 140, 40}, {"STC", "Sở Tài chính", 120, 30},
	{"SCT", "Sở Công Thương", 150, 60}, {"SNNMT", "Sở Nông nghiệp và Môi trường", 260, 80},
	{"SXD", "Sở Xây dựng", 160, 50}, {"SKHCN", "Sở Khoa học và Công nghệ", 70, 15},
	{"SGDDT", "Sở Giáo dục và Đào tạo", 100, 12}, {"SYT", "Sở Y tế", 170, 70},
	{"SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", 130, 40}, {"SDTTG", "Sở Dân tộc và Tôn giáo", 40, 0},
	{"SNG", "Sở Ngoại vụ", 20, 0}, {"BQLKCN", "Ban Quản lý các khu công nghiệp", 80, 20},
	{"TTR", "Thanh tra tỉnh", 10, 0}, {"CA", "Công an tỉnh", 120, 50},
}

// communeWords make the communes' names: two words, as most Vietnamese
// place names are.
var communeWords = []string{
	"An", "Bình", "Phú", "Tân", "Hòa", "Thạnh", "Long", "Phước", "Thuận", "Hưng", "Vĩnh", "Minh",
	"Quang", "Đông", "Tây", "Nam", "Bắc", "Trung", "Xuân", "Thịnh", "Hiệp", "Lộc", "Sơn", "Thủy",
}

// countrySpecs lists a province's units: the province, its agencies, its
// communes and wards.
func countrySpecs(code, name string, o CountryOptions, r *rand.Rand) []spec {
	out := []spec{{Code: code, Name: name, Kind: scoring.KindProvince}}
	for i := range o.Agencies {
		a := countryAgencies[i%len(countryAgencies)]
		s := spec{Code: code + "." + a.code, Name: a.name, Kind: scoring.KindAgency, Parent: code, Procs: a.procs, FeeProcs: a.fees}
		if i >= len(countryAgencies) {
			s.Code = fmt.Sprintf("%s.BAN%02d", code, i-len(countryAgencies)+1)
			s.Name = fmt.Sprintf("Ban quản lý số %d", i-len(countryAgencies)+1)
		}
		s.Size = math.Round(60 + 900*r.Float64()*float64(s.Procs)/260)
		s.Quality = math.Round(100*(0.35+0.6*r.Float64())) / 100
		out = append(out, s)
	}
	for i := range o.Communes {
		w1, w2 := communeWords[r.IntN(len(communeWords))], communeWords[r.IntN(len(communeWords))]
		prefix := "Xã"
		if i%5 == 0 {
			prefix = "Phường"
		}
		s := spec{
			Code: fmt.Sprintf("%s.X%03d", code, i+1), Name: fmt.Sprintf("%s %s %s %d", prefix, w1, w2, i+1),
			Kind: scoring.KindCommune, Parent: code, Procs: tnCommuneProcs, FeeProcs: tnCommuneFees,
			Size: math.Round(120 + 500*r.Float64()), Quality: math.Round(100*(0.25+0.65*r.Float64())) / 100,
		}
		out = append(out, s)
	}
	return out
}

// WriteCountry writes the national data set into dir (which must exist):
// units.csv and counts-YYYY-MM.csv, one a month (the formats of
// docs/import-files.md), drawing one province at a time so memory stays
// that of one province.
func WriteCountry(dir string, o CountryOptions) (sum CountrySummary, err error) {
	if o.Months == 0 {
		o.Months = 24
	}
	if o.End == (scoring.Period{}) {
		o.End = LastMonth
	}
	if o.Agencies == 0 {
		o.Agencies = 15
	}
	if o.Communes == 0 {
		o.Communes = 100
	}
	if o.Months < 1 || o.Months > 120 || o.Agencies < 0 || o.Agencies > 200 || o.Communes < 0 || o.Communes > 2000 || o.End.Kind != scoring.Month {
		return CountrySummary{}, fmt.Errorf("demogen: country options out of range: %+v", o)
	}
	s, err := loadScheme()
	if err != nil {
		return CountrySummary{}, err
	}
	first := o.End
	for range o.Months - 1 {
		first = first.Prev()
	}
	sum = CountrySummary{Provinces: len(provinces34), First: first, Last: o.End}

	var files []*os.File
	defer func() {
		for _, f := range files {
			if cerr := f.Close(); cerr != nil && err == nil && !errors.Is(cerr, os.ErrClosed) {
				err = fmt.Errorf("demogen: %w", cerr)
			}
		}
	}()
	create := func(name string) (*bufio.Writer, *csv.Writer, error) {
		path := filepath.Join(dir, name)
		f, err := os.Create(path)
		if err != nil {
			return nil, nil, fmt.Errorf("demogen: %w", err)
		}
		files = append(files, f)
		sum.Files = append(sum.Files, path)
		b := bufio.NewWriterSize(f, 1<<16)
		return b, csv.NewWriter(b), nil
	}
	ub, uw, err := create("units.csv")
	if err != nil {
		return sum, err
	}
	if err := uw.Write([]string{"code", "name", "kind", "parent_code"}); err != nil {
		return sum, fmt.Errorf("demogen: %w", err)
	}
	cbs, cws := make([]*bufio.Writer, o.Months), make([]*csv.Writer, o.Months)
	for i, pm := 0, first; i < o.Months; i, pm = i+1, pm.Next() {
		if cbs[i], cws[i], err = create("counts-" + pm.String() + ".csv"); err != nil {
			return sum, err
		}
		if err := cws[i].Write([]string{"period", "unit_code", "metric", "numerator", "denominator"}); err != nil {
			return sum, fmt.Errorf("demogen: %w", err)
		}
	}
	row := make([]string, 5)
	for _, p := range provinces34 {
		h := fnv.New64a()
		h.Write([]byte(p.code))
		r := rand.New(rand.NewPCG(o.Seed, h.Sum64()))
		specs := countrySpecs(p.code, p.name, o, r)
		for _, u := range specs {
			if err := uw.Write([]string{u.Code, u.Name, string(u.Kind), u.Parent}); err != nil {
				return sum, fmt.Errorf("demogen: %w", err)
			}
		}
		sum.Units += len(specs)
		g := newGenerator(s, first, specs)
		for _, u := range g.units {
			u.rng = rand.New(rand.NewPCG(o.Seed^0x9e3779b97f4a7c15, fnvOf(u.Code)))
		}
		// Provinces differ in pace: some start lower and catch up.
		pace := 0.3 + 0.7*r.Float64()
		g.extend(o.Months, func(pm scoring.Period, k int) month {
			return month{t: 0.6 + pace*float64(k)/float64(max(o.Months-1, 1)), season: season[pm.N]}
		}, bacKanLevel(rand.New(rand.NewPCG(o.Seed, fnvOf(p.code+"/level")))))
		pm := first
		for i := range g.vals {
			cw := cws[i]
			row[0] = pm.String()
			for j, u := range g.units {
				row[1] = u.Code
				for _, m := range s.Metrics {
					v, ok := g.vals[i][j][m.Code]
					if !ok {
						continue
					}
					row[2], row[3], row[4] = m.Code, "", ""
					if v.ok {
						row[3], row[4] = strconv.FormatInt(v.n, 10), strconv.FormatInt(v.d, 10)
					}
					if err := cw.Write(row); err != nil {
						return sum, fmt.Errorf("demogen: %w", err)
					}
					sum.CountRows++
				}
			}
			pm = pm.Next()
		}
	}
	for i, w := range append([]*csv.Writer{uw}, cws...) {
		w.Flush()
		if err := w.Error(); err != nil {
			return sum, fmt.Errorf("demogen: %w", err)
		}
		if err := append([]*bufio.Writer{ub}, cbs...)[i].Flush(); err != nil {
			return sum, fmt.Errorf("demogen: %w", err)
		}
	}
	for _, f := range files {
		if err := f.Close(); err != nil {
			return sum, fmt.Errorf("demogen: %w", err)
		}
	}
	return sum, nil
}

func fnvOf(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}
