package demo_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"scorecard/data"
	"scorecard/data/demo"
	demodataset "scorecard/data/demo/dataset"
	"scorecard/data/demo/internal/demogen"
	"scorecard/scoring"
)

// The story of April 2024 (the seed article). These are the only figures the test
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
		t.Fatalf("%s: header %q, want %q (docs/import-files.md)", f.Name, got, header)
	}
	return rows[1:]
}

// The files of the data set, in import order (demo.Files).
var fileNames = []string{"units.csv", "counts.csv", "official.csv", "counts-bac-kan-2024-2025.csv", "official-bac-kan-2024-2025.csv",
	"units-thai-nguyen.csv", "unit-changes-2025.csv", "counts-thai-nguyen-2025-2026.csv", "official-thai-nguyen.csv"}

const (
	unitsHeader    = "code,name,kind,parent_code,valid_from,valid_to"
	changesHeader  = "code,successor_code,change,effective_from"
	countsHeader   = "period,unit_code,metric,numerator,denominator"
	officialHeader = "period,unit_code,total,rank,rank_of"
)

func file(t *testing.T, name string) demo.File {
	t.Helper()
	f, ok := demo.Lookup(name)
	if !ok {
		t.Fatalf("no demo file %s", name)
	}
	return f
}

func day(t *testing.T, s string) time.Time {
	t.Helper()
	if s == "" {
		return time.Time{}
	}
	d, err := time.ParseInLocation(time.DateOnly, s, scoring.Location)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func load(t *testing.T) *dataset {
	t.Helper()
	var names []string
	for _, f := range demo.Files() {
		names = append(names, f.Name)
	}
	if strings.Join(names, " ") != strings.Join(fileNames, " ") {
		t.Fatalf("files %v, want %v", names, fileNames)
	}
	schemes, err := data.DefaultSchemes()
	if err != nil {
		t.Fatal(err)
	}
	d := &dataset{ds: &scoring.Dataset{Own: map[scoring.Key]scoring.Counts{}}, byCode: map[string]scoring.Unit{},
		schemes: schemes, rowsSeen: map[[2]string]int{}}
	for _, name := range []string{"units.csv", "units-thai-nguyen.csv"} {
		for i, r := range readCSV(t, file(t, name), unitsHeader) {
			u := scoring.Unit{Code: r[0], Name: r[1], Kind: scoring.UnitKind(r[2]), ParentCode: r[3],
				ValidFrom: day(t, r[4]), ValidTo: day(t, r[5])}
			if _, dup := d.byCode[u.Code]; dup {
				t.Fatalf("%s row %d: unit %s twice", name, i+2, u.Code)
			}
			d.byCode[u.Code] = u
			d.ds.Units = append(d.ds.Units, u)
		}
	}
	for i, r := range readCSV(t, file(t, "unit-changes-2025.csv"), changesHeader) {
		c := scoring.Change{From: r[0], To: r[1], Kind: scoring.ChangeKind(r[2]), Effective: day(t, r[3])}
		if _, ok := d.byCode[c.From]; !ok {
			t.Fatalf("changes row %d: unknown unit %q", i+2, c.From)
		}
		if _, ok := d.byCode[c.To]; !ok {
			t.Fatalf("changes row %d: unknown successor %q", i+2, c.To)
		}
		if !c.Kind.Valid() || c.Effective.IsZero() {
			t.Fatalf("changes row %d: %v", i+2, r)
		}
		d.ds.Changes = append(d.ds.Changes, c)
	}
	seenMonth := map[string]bool{}
	for _, name := range []string{"counts.csv", "counts-bac-kan-2024-2025.csv", "counts-thai-nguyen-2025-2026.csv"} {
		for i, r := range readCSV(t, file(t, name), countsHeader) {
			p, err := scoring.ParsePeriod(r[0])
			if err != nil || p.Kind != scoring.Month {
				t.Fatalf("%s row %d: period %q is not a month", name, i+2, r[0])
			}
			if _, ok := d.byCode[r[1]]; !ok {
				t.Fatalf("%s row %d: unknown unit %q", name, i+2, r[1])
			}
			if !schemes.KnownMetric(r[2]) {
				t.Fatalf("%s row %d: unknown metric %q", name, i+2, r[2])
			}
			var c scoring.Counts
			if r[3] != "" || r[4] != "" {
				n, err1 := strconv.ParseInt(r[3], 10, 64)
				dd, err2 := strconv.ParseInt(r[4], 10, 64)
				if err1 != nil || err2 != nil || n < 0 || n > dd {
					t.Fatalf("%s row %d: %q/%q is not 0 ≤ numerator ≤ denominator", name, i+2, r[3], r[4])
				}
				c = scoring.C(n, dd)
			}
			k := scoring.Key{Period: r[0], Unit: r[1], Metric: r[2]}
			if _, dup := d.ds.Own[k]; dup {
				t.Fatalf("%s row %d: %v twice", name, i+2, k)
			}
			d.ds.Own[k] = c
			d.rowsSeen[[2]string{r[0], r[1]}]++
			if !seenMonth[r[0]] {
				seenMonth[r[0]] = true
				d.months = append(d.months, p)
			}
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
	if strings.Join(demogen.FileNames, " ") != strings.Join(fileNames, " ") {
		t.Fatalf("the generator writes %v, the package embeds %v", demogen.FileNames, fileNames)
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
	// 43 months of two provinces: a new installation imports them at
	// first start and many tests load them, so they stay small (about
	// 2,6 MB; the story year alone was 0,8).
	if total >= 4<<20 {
		t.Errorf("the demo files weigh %d bytes, want < 4 MiB", total)
	}
	// Files hands out copies: changing one does not change the next call's.
	a := demo.Files()
	a[0].Data[0] = 'X'
	if demo.Files()[0].Data[0] == 'X' {
		t.Error("Files shares its bytes between calls")
	}
	if f, ok := demo.Lookup("counts.csv"); !ok || !bytes.Equal(f.Data, demo.Files()[1].Data) {
		t.Error("Lookup does not find counts.csv")
	}
	if _, ok := demo.Lookup("nope.csv"); ok {
		t.Error("Lookup finds a file that is not in the data set")
	}
}

// The story year (2023-05 to 2024-04) is the seed's, byte for byte: its
// counts and Bắc Kạn's published results.
func TestStoryYearUnchanged(t *testing.T) {
	for name, want := range map[string]string{
		"counts.csv":   "72776e0ceb8582d8deba5d0c37fe974d8028efa96ed4ee3433a8d6f2055b33f3",
		"official.csv": "dbe19d36006518ee69ed0d1ab40ebe9add4a96cf7f175be5cdf289b995ac1db8",
	} {
		sum := sha256.Sum256(file(t, name).Data)
		if got := hex.EncodeToString(sum[:]); got != want {
			t.Errorf("%s changed (sha256 %s): the story year's files must stay as they are", name, got)
		}
	}
}

func TestUnits(t *testing.T) {
	d := load(t)
	code := regexp.MustCompile(`^[A-Z]+(\.[A-Z]+)*$`)
	merger := day(t, "2025-07-01")
	kinds := map[string]map[scoring.UnitKind]int{"BK": {}, "TN": {}}
	for _, u := range d.ds.Units {
		if !code.MatchString(u.Code) {
			t.Errorf("unit code %q is not ASCII upper-case dotted", u.Code)
		}
		prov := strings.SplitN(u.Code, ".", 2)[0]
		if kinds[prov] == nil {
			t.Fatalf("unit %s is in neither BK nor TN", u.Code)
		}
		kinds[prov][u.Kind]++
		// Bắc Kạn's units all end with the merger; Thái Nguyên's begin with it.
		if prov == "BK" && (!u.ValidFrom.IsZero() || !u.ValidTo.Equal(merger)) {
			t.Errorf("%s: valid %v – %v, want until 2025-07-01", u.Code, u.ValidFrom, u.ValidTo)
		}
		if prov == "TN" && (!u.ValidFrom.Equal(merger) || !u.ValidTo.IsZero()) {
			t.Errorf("%s: valid %v – %v, want from 2025-07-01 on", u.Code, u.ValidFrom, u.ValidTo)
		}
		if u.Kind == scoring.KindProvince {
			want := map[string]string{"BK": "Tỉnh Bắc Kạn", "TN": "Tỉnh Thái Nguyên"}[prov]
			if u.ParentCode != "" || u.Code != prov || u.Name != want {
				t.Errorf("province %+v", u)
			}
			continue
		}
		p, ok := d.byCode[u.ParentCode]
		want := scoring.KindProvince
		if u.Kind == scoring.KindCommune && prov == "BK" {
			want = scoring.KindDistrict
		}
		if !ok || p.Kind != want || !strings.HasPrefix(u.Code, p.Code+".") {
			t.Errorf("unit %s: parent %q is not its %s", u.Code, u.ParentCode, want)
		}
	}
	bk, tn := kinds["BK"], kinds["TN"]
	if bk[scoring.KindProvince] != 1 || bk[scoring.KindAgency] != 18 || bk[scoring.KindDistrict] != 8 ||
		bk[scoring.KindCommune] < 40 || bk[scoring.KindCommune] > 50 {
		t.Errorf("Bắc Kạn's units by kind %v, want 1 province, 18 agencies, 8 districts, 40–50 communes", bk)
	}
	// Two tiers: the province, and its agencies and communes.
	if tn[scoring.KindProvince] != 1 || tn[scoring.KindAgency] != 13 || tn[scoring.KindDistrict] != 0 ||
		tn[scoring.KindCommune] < 30 || tn[scoring.KindCommune] > 50 {
		t.Errorf("Thái Nguyên's units by kind %v, want 1 province, 13 agencies, no district, 30–50 communes", tn)
	}
}

// Every unit has counts for every scored metric in every month it exists
// (2023-05 … 2025-06 for Bắc Kạn's, 2025-07 … 2026-11 for Thái Nguyên's) and
// none in the others; the province-level metrics only on the provinces'
// rows; and the engine sees data for every unit that exists.
func TestEveryUnitEveryMonth(t *testing.T) {
	d := load(t)
	var got []string
	for _, p := range d.months {
		got = append(got, p.String())
	}
	var want []string
	for p := scoring.MustPeriod("2023-05"); len(want) < 43; p = p.Next() {
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
			if !u.ExistsIn(p) {
				if n := d.rowsSeen[[2]string{p.String(), u.Code}]; n > 0 {
					t.Errorf("%s: %s does not exist, yet has %d rows", p, u.Code, n)
				}
				continue
			}
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
			if us := ps.Unit(u.Code); us == nil || !us.HasData || !us.Exists {
				t.Errorf("%s: %s has no data", p, u.Code)
			}
		}
	}
}

// The provinces' published results: "Bắc Kạn đạt 75,35/100 điểm, xếp thứ
// 17/63" in April 2024 and a rank of 63 every month until 06/2025; Thái
// Nguyên's of 34 every month from 07/2025; every published total the
// engine's own recomputation from the counts (the demo's counts are the
// portal's).
func TestPublishedNationalRank(t *testing.T) {
	d := load(t)
	e := d.engine()
	var months []scoring.Period
	for _, f := range []struct {
		name, unit string
		of         int
	}{{"official.csv", "BK", storyRankOf}, {"official-bac-kan-2024-2025.csv", "BK", storyRankOf}, {"official-thai-nguyen.csv", "TN", 34}} {
		for i, r := range readCSV(t, file(t, f.name), officialHeader) {
			p, err := scoring.ParsePeriod(r[0])
			if err != nil || r[1] != f.unit {
				t.Fatalf("%s row %d: %s %s, want a month of %s", f.name, i+2, r[0], r[1], f.unit)
			}
			months = append(months, p)
			rank, err1 := strconv.Atoi(r[3])
			of, err2 := strconv.Atoi(r[4])
			if err1 != nil || err2 != nil || of != f.of || rank < 1 || rank > of {
				t.Fatalf("%s row %d: rank %s of %s, want of %d", f.name, i+2, r[3], r[4], f.of)
			}
			// The field the rank is of: the provinces of that period.
			if u := d.byCode[f.unit]; !u.ExistsIn(p) {
				t.Errorf("%s: %s published, but it does not exist then", p, f.unit)
			}
			if want := e.Score(p).Unit(f.unit).Total.String(); r[2] != want {
				t.Errorf("%s %s: published total %s, the engine gives %s", p, f.unit, r[2], want)
			}
			if r[0] == storyPeriod && (r[2] != storyTotal.String() || rank != storyRank) {
				t.Errorf("%s: %s, rank %d/%d; want %s, %d/%d", r[0], r[2], rank, of, storyTotal, storyRank, storyRankOf)
			}
		}
	}
	if len(months) != len(d.months) {
		t.Fatalf("%d published results, want one for each of the %d months", len(months), len(d.months))
	}
	for i, p := range months {
		if p != d.months[i] {
			t.Fatalf("published result %d is for %s, want %s", i, p, d.months[i])
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
			if u.Unit.Kind == scoring.KindProvince || !u.Exists {
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
		if !u.ExistsIn(ps.Period) {
			continue // Thái Nguyên's, from 2025
		}
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
	for _, c := range []struct{ period, prov string }{
		{"2023-05", "BK"}, {"2024-04", "BK"}, {"2025-06", "BK"}, {"2025-07", "TN"}, {"2026-11", "TN"},
	} {
		p := scoring.MustPeriod(c.period)
		prov := e.Score(p).Unit(c.prov)
		for _, m := range d.schemes.For(p).Metrics {
			if m.Level == scoring.LevelProvince {
				continue
			}
			var want scoring.Counts
			for _, u := range d.ds.Units {
				if u.Kind == scoring.KindProvince || !strings.HasPrefix(u.Code, c.prov+".") || !u.ExistsIn(p) {
					continue
				}
				if c := d.ds.Own[scoring.Key{Period: p.String(), Unit: u.Code, Metric: m.Code}]; c.Valid {
					want = scoring.C(want.Num+c.Num, want.Den+c.Den)
				}
			}
			got := prov.Metric(m.Code)
			if got.Counts != want {
				t.Errorf("%s %s %s: %+v, want the pool %+v", p, c.prov, m.Code, got.Counts, want)
			}
			if want.Valid && (got.Source != scoring.SourceDerived || got.Derived != scoring.DerivedPool) {
				t.Errorf("%s %s %s: source %s/%s, want derived/pool", p, c.prov, m.Code, got.Source, got.Derived)
			}
		}
	}
}

// Thái Nguyên in 2026: the only province of its periods, ranked "…/34",
// in two tiers (agencies and communes ranked, no district), its 40
// communes and wards each directly under the province.
func TestThaiNguyenIn2026(t *testing.T) {
	d := load(t)
	e := d.engine()
	p := scoring.MustPeriod("2026-10")
	provs := e.ProvincesIn(p)
	if len(provs) != 1 || provs[0].Code != "TN" {
		t.Fatalf("provinces of %s: %v, want Thái Nguyên alone", p, provs)
	}
	if old := e.ProvincesIn(scoring.MustPeriod(storyPeriod)); len(old) != 1 || old[0].Code != "BK" {
		t.Fatalf("provinces of %s: %v, want Bắc Kạn alone", storyPeriod, old)
	}
	var rank []string
	for _, r := range readCSV(t, file(t, "official-thai-nguyen.csv"), officialHeader) {
		if r[0] == p.String() {
			rank = r
		}
	}
	if rank == nil || rank[4] != "34" {
		t.Fatalf("Thái Nguyên's published rank in %s: %v, want one of 34", p, rank)
	}
	ps := e.Score(p)
	tn := ps.Unit("TN")
	if !tn.Exists || !tn.HasData || tn.Total.String() != rank[2] {
		t.Errorf("TN in %s: %s (exists %v), published %s", p, tn.Total, tn.Exists, rank[2])
	}
	if rk := ps.Ranking(scoring.KindDistrict, "TN", nil); len(rk) != 0 {
		t.Errorf("%d districts ranked in %s; there are none since 01/07/2025", len(rk), p)
	}
	if rk := ps.Ranking(scoring.KindAgency, "TN", nil); len(rk) != 13 {
		t.Errorf("%d agencies ranked in %s, want 13", len(rk), p)
	}
	communes := ps.Ranking(scoring.KindCommune, "TN", nil)
	if len(communes) != 40 {
		t.Errorf("%d communes ranked in %s, want 40", len(communes), p)
	}
	for _, r := range communes {
		if r.Rank == 0 || r.Unit.ParentCode != "TN" {
			t.Errorf("commune %s: rank %d, parent %s", r.Unit.Code, r.Rank, r.Unit.ParentCode)
		}
	}
	// Nothing of Bắc Kạn is ranked or pooled any more.
	for _, u := range d.ds.Units {
		if strings.HasPrefix(u.Code, "BK") && (u.ExistsIn(p) || ps.Unit(u.Code).Exists) {
			t.Errorf("%s still exists in %s", u.Code, p)
		}
	}
}

// April 2024 ranks Bắc Kạn's eight districts; from July 2025 no district
// exists, and in 2026 none is ranked.
func TestDistrictsEndWithTheMerger(t *testing.T) {
	d := load(t)
	e := d.engine()
	if rk := e.Score(scoring.MustPeriod(storyPeriod)).Ranking(scoring.KindDistrict, "BK", nil); len(rk) != 8 {
		t.Errorf("%d districts ranked in %s, want 8", len(rk), storyPeriod)
	}
	if rk := e.Score(scoring.MustPeriod("2025-06")).Ranking(scoring.KindDistrict, "BK", nil); len(rk) != 8 {
		t.Errorf("%d districts ranked in 2025-06, their last month, want 8", len(rk))
	}
	for _, period := range []string{"2025-07", "2026-01", "2026-11"} {
		ps := e.Score(scoring.MustPeriod(period))
		for _, prov := range []string{"BK", "TN"} {
			if rk := ps.Ranking(scoring.KindDistrict, prov, nil); len(rk) != 0 {
				t.Errorf("%s: %d districts of %s ranked", period, len(rk), prov)
			}
		}
		for _, u := range d.ds.Units {
			if u.Kind == scoring.KindDistrict && u.ExistsIn(ps.Period) {
				t.Errorf("district %s exists in %s", u.Code, period)
			}
		}
	}
}

// The histories across the merger: Bắc Kạn merged into Thái Nguyên; a
// commune of July 2025 lists the old communes it came from, and each of
// them lists it as its successor; a divided commune and agency have two
// successors; every Bắc Kạn unit but the abolished districts has one; the
// former Thái Nguyên's communes have no predecessor in the demo.
func TestMergerHistories(t *testing.T) {
	d := load(t)
	e := d.engine()
	merger := day(t, "2025-07-01")
	codes := func(cs []scoring.Change, to bool) string {
		var out []string
		for _, c := range cs {
			if !c.Effective.Equal(merger) {
				t.Errorf("%s → %s on %v, want 01/07/2025", c.From, c.To, c.Effective)
			}
			if to {
				out = append(out, c.To+"/"+string(c.Kind))
			} else {
				out = append(out, c.From+"/"+string(c.Kind))
			}
		}
		sort.Strings(out)
		return strings.Join(out, " ")
	}
	if got := codes(e.Successors("BK"), true); got != "TN/merged" {
		t.Errorf("BK became %q, want TN/merged", got)
	}
	if got, want := codes(e.Predecessors("TN.CHODON"), false), "BK.CHODON.BANGLUNG/merged BK.CHODON.NGOCPHAI/merged"; got != want {
		t.Errorf("Xã Chợ Đồn came from %q, want %q", got, want)
	}
	for _, old := range []string{"BK.CHODON.BANGLUNG", "BK.CHODON.NGOCPHAI"} {
		if got := codes(e.Successors(old), true); got != "TN.CHODON/merged" {
			t.Errorf("%s became %q, want TN.CHODON/merged", old, got)
		}
	}
	if got := codes(e.Successors("BK.TPBACKAN.HUYENTUNG"), true); got != "TN.BACKAN/split TN.DUCXUAN/split" {
		t.Errorf("Phường Huyền Tụng became %q, want divided between Bắc Kạn and Đức Xuân", got)
	}
	if got := codes(e.Successors("BK.SLDTBXH"), true); got != "TN.SNV/split TN.SYT/split" {
		t.Errorf("Sở Lao động - Thương binh và Xã hội became %q", got)
	}
	if got := codes(e.Predecessors("TN.SXD"), false); got != "BK.SGTVT/merged BK.SXD/merged" {
		t.Errorf("Sở Xây dựng came from %q, want Bắc Kạn's Sở Xây dựng and Sở Giao thông vận tải", got)
	}
	fromBK := 0
	for _, u := range d.ds.Units {
		succ, pred := e.Successors(u.Code), e.Predecessors(u.Code)
		switch {
		case u.Kind == scoring.KindDistrict:
			if len(succ) != 0 {
				t.Errorf("district %s has successors %v: districts were abolished", u.Code, succ)
			}
		case strings.HasPrefix(u.Code, "BK"):
			if len(succ) == 0 {
				t.Errorf("%s has no successor", u.Code)
			}
		case len(pred) > 0:
			fromBK++
		}
		for _, c := range append(succ, pred...) {
			if d.byCode[c.From].Kind != d.byCode[c.To].Kind {
				t.Errorf("%s (%s) → %s (%s): a change keeps the kind", c.From, d.byCode[c.From].Kind, c.To, d.byCode[c.To].Kind)
			}
			// The predecessor exists the day before, the successor on the day.
			if !d.byCode[c.From].ValidTo.Equal(c.Effective) || !d.byCode[c.To].ValidFrom.Equal(c.Effective) {
				t.Errorf("%s → %s: dates do not meet at %v", c.From, c.To, c.Effective)
			}
		}
	}
	// The province, its 13 agencies and the 17 communes on Bắc Kạn's former territory.
	if fromBK != 1+13+17 {
		t.Errorf("%d Thái Nguyên units have Bắc Kạn predecessors, want 31", fromBK)
	}
	if p := e.Predecessors("TN.PHANDINHPHUNG"); len(p) != 0 {
		t.Errorf("Phường Phan Đình Phùng has predecessors %v in the demo", p)
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
	if len(got.Changes) != len(want.Changes) {
		t.Fatalf("%d changes, want %d", len(got.Changes), len(want.Changes))
	}
	for i := range want.Changes {
		if got.Changes[i] != want.Changes[i] {
			t.Fatalf("change %d: %+v, want %+v", i, got.Changes[i], want.Changes[i])
		}
	}
}
