package demo_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"scorecard/data"
	"scorecard/data/demo"
	demodataset "scorecard/data/demo/dataset"
	"scorecard/data/demo/internal/demogen"
	"scorecard/scoring"
)

// The story of April 2024 (issue #2 §6). These are the only figures the test
// hard-codes; every score is computed by the real engine from the embedded
// files.
const (
	storyPeriod    = "2024-04"
	storyTotal     = scoring.Cents(7535)
	storyPublish   = scoring.Cents(6667) // PUBLISH_ON_TIME ratio, 66,67 %
	storyUpdate    = scoring.Cents(7468) // PUBLIC_UPDATE_ON_TIME ratio, 74,68 %
	storySatisf    = scoring.Cents(9345) // DOSSIER_RECEIVING_SATISFACTION, 93,45 %
	storyPetitions = scoring.Cents(10000)
	storyCeiling   = scoring.Cents(9699) // an agency's best total in April
	storyRank      = 17                  // "xếp thứ 17/63" among the provinces
	storyRankOf    = 63
)

var (
	storyOnTimeAll = []string{
		"Sở Giáo dục và Đào tạo", "Sở Văn hóa, Thể thao và Du lịch", "Sở Tài chính", "Sở Xây dựng",
		"Sở Khoa học và Công nghệ", "Sở Lao động - Thương binh và Xã hội", "Thanh tra tỉnh",
	}
	storyNoOnline   = []string{"Ban Quản lý các Khu công nghiệp", "Ban Dân tộc"}
	storyAgencyBand = map[string]int{"Xuất sắc": 12, "Tốt": 6}
	storyDistBand   = map[string]int{"Tốt": 7, "Trung bình": 1}
)

// dataset is the demo read back from its embedded CSV files.
type dataset struct {
	ds       *scoring.Dataset
	byCode   map[string]scoring.Unit
	months   []scoring.Period
	schemes  *scoring.Schemes
	rowsSeen map[[2]string]int // (period, unit) → rows
}

func readCSV(t *testing.T, f demo.File, header string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(f.Data)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", f.Name, err)
	}
	if len(rows) < 2 {
		t.Fatalf("%s: %d rows", f.Name, len(rows))
	}
	if got := strings.Join(rows[0], ","); got != header {
		t.Fatalf("%s: header %q, want %q (formats.md)", f.Name, got, header)
	}
	return rows[1:]
}

func load(t *testing.T) *dataset {
	t.Helper()
	files := demo.Files()
	if len(files) != 3 || files[0].Name != "units.csv" || files[1].Name != "counts.csv" || files[2].Name != "official.csv" {
		t.Fatalf("files %v, want units.csv, counts.csv, official.csv", files)
	}
	schemes, err := data.DefaultSchemes()
	if err != nil {
		t.Fatal(err)
	}
	d := &dataset{ds: &scoring.Dataset{Own: map[scoring.Key]scoring.Counts{}}, byCode: map[string]scoring.Unit{},
		schemes: schemes, rowsSeen: map[[2]string]int{}}
	for _, r := range readCSV(t, files[0], "code,name,kind,parent_code") {
		u := scoring.Unit{Code: r[0], Name: r[1], Kind: scoring.UnitKind(r[2]), ParentCode: r[3]}
		if _, dup := d.byCode[u.Code]; dup {
			t.Fatalf("unit %s twice", u.Code)
		}
		d.byCode[u.Code] = u
		d.ds.Units = append(d.ds.Units, u)
	}
	seenMonth := map[string]bool{}
	for i, r := range readCSV(t, files[1], "period,unit_code,metric,numerator,denominator") {
		p, err := scoring.ParsePeriod(r[0])
		if err != nil || p.Kind != scoring.Month {
			t.Fatalf("counts row %d: period %q is not a month", i+2, r[0])
		}
		if _, ok := d.byCode[r[1]]; !ok {
			t.Fatalf("counts row %d: unknown unit %q", i+2, r[1])
		}
		if !schemes.KnownMetric(r[2]) {
			t.Fatalf("counts row %d: unknown metric %q", i+2, r[2])
		}
		var c scoring.Counts
		if r[3] != "" || r[4] != "" {
			n, err1 := strconv.ParseInt(r[3], 10, 64)
			dd, err2 := strconv.ParseInt(r[4], 10, 64)
			if err1 != nil || err2 != nil || n < 0 || n > dd {
				t.Fatalf("counts row %d: %q/%q is not 0 ≤ numerator ≤ denominator", i+2, r[3], r[4])
			}
			c = scoring.C(n, dd)
		}
		k := scoring.Key{Period: r[0], Unit: r[1], Metric: r[2]}
		if _, dup := d.ds.Own[k]; dup {
			t.Fatalf("counts row %d: %v twice", i+2, k)
		}
		d.ds.Own[k] = c
		d.rowsSeen[[2]string{r[0], r[1]}]++
		if !seenMonth[r[0]] {
			seenMonth[r[0]] = true
			d.months = append(d.months, p)
		}
	}
	sort.Slice(d.months, func(i, j int) bool { return d.months[i].Start().Before(d.months[j].Start()) })
	return d
}

func (d *dataset) engine() *scoring.Engine { return scoring.NewEngine(d.schemes, d.ds) }

func namesOf(us []*scoring.UnitScore) []string {
	var out []string
	for _, u := range us {
		out = append(out, u.Unit.Name)
	}
	sort.Strings(out)
	return out
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

func TestFilesAreWhatTheGeneratorWrites(t *testing.T) {
	dir := t.TempDir()
	if err := demogen.WriteFiles(dir); err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, f := range demo.Files() {
		want, err := os.ReadFile(filepath.Join(dir, f.Name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(f.Data, want) {
			t.Errorf("%s differs from what the generator writes: run go run ./data/demo/gen", f.Name)
		}
		total += len(f.Data)
	}
	if total >= 1<<20 {
		t.Errorf("the demo files weigh %d bytes, want < 1 MiB", total)
	}
	// Files hands out copies: changing one does not change the next call's.
	a := demo.Files()
	a[0].Data[0] = 'X'
	if demo.Files()[0].Data[0] == 'X' {
		t.Error("Files shares its bytes between calls")
	}
}

func TestUnits(t *testing.T) {
	d := load(t)
	kinds := map[scoring.UnitKind]int{}
	code := regexp.MustCompile(`^[A-Z]+(\.[A-Z]+)*$`)
	for _, u := range d.ds.Units {
		kinds[u.Kind]++
		if !code.MatchString(u.Code) {
			t.Errorf("unit code %q is not ASCII upper-case dotted", u.Code)
		}
		if u.Kind == scoring.KindProvince {
			if u.ParentCode != "" || u.Code != "BK" || u.Name != "Tỉnh Bắc Kạn" {
				t.Errorf("province %+v", u)
			}
			continue
		}
		p, ok := d.byCode[u.ParentCode]
		want := scoring.KindProvince
		if u.Kind == scoring.KindCommune {
			want = scoring.KindDistrict
		}
		if !ok || p.Kind != want || !strings.HasPrefix(u.Code, p.Code+".") {
			t.Errorf("unit %s: parent %q is not its %s", u.Code, u.ParentCode, want)
		}
	}
	if kinds[scoring.KindProvince] != 1 || kinds[scoring.KindAgency] != 18 || kinds[scoring.KindDistrict] != 8 ||
		kinds[scoring.KindCommune] < 40 || kinds[scoring.KindCommune] > 50 {
		t.Errorf("units by kind %v, want 1 province, 18 agencies, 8 districts, 40–50 communes", kinds)
	}
}

// Every unit has counts for every scored metric in every month of 2023-05 …
// 2024-04, the province-level metrics only on the province's rows, and the
// engine sees data for every unit in every month.
func TestEveryUnitEveryMonth(t *testing.T) {
	d := load(t)
	var got []string
	for _, p := range d.months {
		got = append(got, p.String())
	}
	first := scoring.MustPeriod("2023-05")
	var want []string
	for p := first; len(want) < 12; p = p.Next() {
		want = append(want, p.String())
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("months %v, want %v", got, want)
	}
	e := d.engine()
	for _, p := range d.months {
		s := d.schemes.For(p)
		ps := e.Score(p)
		for _, u := range d.ds.Units {
			for _, m := range s.Metrics {
				if !m.Scored() {
					continue
				}
				_, has := d.ds.Own[scoring.Key{Period: p.String(), Unit: u.Code, Metric: m.Code}]
				atProvince := m.Level == scoring.LevelProvince
				if u.Kind == scoring.KindProvince && has != atProvince {
					t.Errorf("%s %s %s: row present %v; the province has rows for province-level metrics only", p, u.Code, m.Code, has)
				}
				if u.Kind != scoring.KindProvince && has == atProvince {
					t.Errorf("%s %s %s: row present %v; units have rows for per-unit metrics only", p, u.Code, m.Code, has)
				}
			}
			if us := ps.Unit(u.Code); us == nil || !us.HasData {
				t.Errorf("%s: %s has no data", p, u.Code)
			}
		}
	}
}

// The province's published results: "Bắc Kạn đạt 75,35/100 điểm, xếp thứ
// 17/63" in April 2024, a rank for every demo month, and a published total
// that is the engine's own recomputation from the counts (the demo's counts
// are the portal's).
func TestPublishedNationalRank(t *testing.T) {
	d := load(t)
	e := d.engine()
	rows := readCSV(t, demo.Files()[2], "period,unit_code,total,rank,rank_of")
	if len(rows) != len(d.months) {
		t.Fatalf("%d published results, want one for each of the %d months", len(rows), len(d.months))
	}
	for i, r := range rows {
		if r[0] != d.months[i].String() || r[1] != "BK" {
			t.Fatalf("row %d: %s %s, want %s BK", i+2, r[0], r[1], d.months[i])
		}
		rank, err1 := strconv.Atoi(r[3])
		of, err2 := strconv.Atoi(r[4])
		if err1 != nil || err2 != nil || of != storyRankOf || rank < 1 || rank > of {
			t.Fatalf("row %d: rank %s of %s", i+2, r[3], r[4])
		}
		if want := e.Score(d.months[i]).Unit("BK").Total.String(); r[2] != want {
			t.Errorf("%s: published total %s, the engine gives %s", r[0], r[2], want)
		}
		if r[0] == storyPeriod && (r[2] != storyTotal.String() || rank != storyRank) {
			t.Errorf("%s: %s, rank %d/%d; want %s, %d/%d", r[0], r[2], rank, of, storyTotal, storyRank, storyRankOf)
		}
	}
}

func TestStoryOfApril2024(t *testing.T) {
	d := load(t)
	ps := d.engine().Score(scoring.MustPeriod(storyPeriod))
	prov := ps.Unit("BK")
	if prov == nil {
		t.Fatal("no province BK")
	}
	if prov.Total != storyTotal || prov.MaxTotal != 10000 {
		t.Errorf("province total %s of %s, want %s of 100", prov.Total, prov.MaxTotal, storyTotal)
	}

	// Province-level metrics, inherited by every unit.
	ceiling := scoring.Cents(10000)
	for _, code := range []string{"PUBLISH_ON_TIME", "PUBLIC_UPDATE_ON_TIME", "PUBLIC_CONTENT_FULL"} {
		m := prov.Metric(code)
		if m.Source != scoring.SourceOwn {
			t.Errorf("province %s: source %s, want own", code, m.Source)
		}
		ceiling -= m.Lost()
		for _, u := range ps.Units {
			if u.Unit.Kind == scoring.KindProvince {
				continue
			}
			if um := u.Metric(code); um.Source != scoring.SourceProvince || um.Points != m.Points || um.Counts != m.Counts {
				t.Errorf("%s %s: %+v %s from %s, want the province's %s", u.Unit.Code, code, um.Counts, um.Points, um.Source, m.Points)
			}
		}
	}
	if m := prov.Metric("PUBLISH_ON_TIME"); !m.HasRatio || m.Ratio != storyPublish || m.Points != 400 {
		t.Errorf("PUBLISH_ON_TIME %s%% → %s, want %s%% → 4.00", m.Ratio, m.Points, storyPublish)
	}
	if m := prov.Metric("PUBLIC_UPDATE_ON_TIME"); !m.HasRatio || m.Ratio != storyUpdate || m.Points != 299 {
		t.Errorf("PUBLIC_UPDATE_ON_TIME %s%% → %s, want %s%% → 2.99", m.Ratio, m.Points, storyUpdate)
	}
	if ceiling != storyCeiling {
		t.Errorf("an agency's ceiling is %s, want %s", ceiling, storyCeiling)
	}

	var agencies, districts []*scoring.UnitScore
	for _, u := range d.ds.Units {
		switch u.Kind {
		case scoring.KindAgency:
			agencies = append(agencies, ps.Unit(u.Code))
		case scoring.KindDistrict:
			districts = append(districts, ps.Unit(u.Code))
		}
	}

	// Seven agencies with every dossier on time (n = d > 0).
	var onTimeAll []*scoring.UnitScore
	for _, a := range agencies {
		if c := a.Metric("ON_TIME_PROCESSING").Counts; c.Valid && c.Den > 0 && c.Num == c.Den {
			onTimeAll = append(onTimeAll, a)
		}
	}
	if got, want := namesOf(onTimeAll), sorted(storyOnTimeAll); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("agencies 100%% on time: %q, want %q", got, want)
	}

	// Two agencies with dossiers but none online; they top out below 87 and
	// stay "Tốt".
	var noOnline []*scoring.UnitScore
	for _, a := range agencies {
		if c := a.Metric("ONLINE_SUBMISSION").Counts; c.Valid && c.Den > 0 && c.Num == 0 {
			noOnline = append(noOnline, a)
		}
	}
	if got, want := namesOf(noOnline), sorted(storyNoOnline); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("agencies with no online dossier: %q, want %q", got, want)
	}
	for _, a := range noOnline {
		if a.Total >= 8700 || a.Band == nil || a.Band.NameVI != "Tốt" {
			t.Errorf("%s: %s (%v), want under 87 and Tốt", a.Unit.Name, a.Total, a.Band)
		}
	}

	// Satisfaction full at the province, every agency and every district.
	for _, u := range append(append([]*scoring.UnitScore{prov}, agencies...), districts...) {
		if g := u.Group("MDHL"); g.Score != 1800 || g.Max != 1800 {
			t.Errorf("%s: satisfaction %s of %s, want 18.00 of 18", u.Unit.Code, g.Score, g.Max)
		}
		if u.Total > storyCeiling {
			t.Errorf("%s: %s is above the ceiling %s", u.Unit.Code, u.Total, storyCeiling)
		}
	}
	if m := prov.Metric("PETITION_HANDLING_SATISFACTION"); !m.HasRatio || m.Ratio != storyPetitions {
		t.Errorf("province petition satisfaction %s%% (ratio %v), want 100%%", m.Ratio, m.HasRatio)
	}
	if m := prov.Metric("DOSSIER_RECEIVING_SATISFACTION"); !m.HasRatio || m.Ratio != storySatisf {
		t.Errorf("province dossier satisfaction %s%%, want %s%%", m.Ratio, storySatisf)
	}

	// Bands, through the rankings the pages use.
	bands := func(kind scoring.UnitKind, want int) map[string]int {
		out := map[string]int{}
		rk := ps.Ranking(kind, "BK", nil)
		if len(rk) != want {
			t.Errorf("%s ranking has %d rows, want %d", kind, len(rk), want)
		}
		for _, r := range rk {
			if r.Rank == 0 || r.Band == nil {
				t.Errorf("%s is not ranked", r.Unit.Code)
				continue
			}
			out[r.Band.NameVI]++
		}
		return out
	}
	if got := bands(scoring.KindAgency, 18); fmt.Sprint(got) != fmt.Sprint(storyAgencyBand) {
		t.Errorf("agency bands %v, want %v", got, storyAgencyBand)
	}
	if got := bands(scoring.KindDistrict, 8); fmt.Sprint(got) != fmt.Sprint(storyDistBand) {
		t.Errorf("district bands %v, want %v", got, storyDistBand)
	}
}

// The province has no rows of its own for per-unit metrics: the engine
// pools every unit's counts (agencies, districts and communes; a district's
// own counts, not its communes' again), as scoring.md §4 says.
func TestProvinceIsThePoolOfItsUnits(t *testing.T) {
	d := load(t)
	e := d.engine()
	for _, p := range []scoring.Period{d.months[0], d.months[len(d.months)-1]} {
		prov := e.Score(p).Unit("BK")
		for _, m := range d.schemes.For(p).Metrics {
			if m.Level == scoring.LevelProvince {
				continue
			}
			var want scoring.Counts
			for _, u := range d.ds.Units {
				if u.Kind == scoring.KindProvince {
					continue
				}
				if c := d.ds.Own[scoring.Key{Period: p.String(), Unit: u.Code, Metric: m.Code}]; c.Valid {
					want = scoring.C(want.Num+c.Num, want.Den+c.Den)
				}
			}
			got := prov.Metric(m.Code)
			if got.Counts != want {
				t.Errorf("%s province %s: %+v, want the pool %+v", p, m.Code, got.Counts, want)
			}
			if want.Valid && (got.Source != scoring.SourceDerived || got.Derived != scoring.DerivedPool) {
				t.Errorf("%s province %s: source %s/%s, want derived/pool", p, m.Code, got.Source, got.Derived)
			}
		}
	}
}

// dataset.Load, which other packages' tests use, reads exactly what this
// test's own independent reader reads.
func TestDatasetMatchesIndependentReader(t *testing.T) {
	want := load(t).ds
	got, err := demodataset.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Units) != len(want.Units) || len(got.Own) != len(want.Own) {
		t.Fatalf("%d units, %d counts; want %d, %d", len(got.Units), len(got.Own), len(want.Units), len(want.Own))
	}
	for i := range want.Units {
		if got.Units[i] != want.Units[i] {
			t.Fatalf("unit %d: %+v, want %+v", i, got.Units[i], want.Units[i])
		}
	}
	for k, c := range want.Own {
		if got.Own[k] != c {
			t.Fatalf("%+v: %+v, want %+v", k, got.Own[k], c)
		}
	}
}
