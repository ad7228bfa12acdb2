// Package dossiergen writes a realistic province's procedure catalogue and
// dossier records (the demo's Bắc Kạn by default), in the formats the
// importer reads, for tests, benchmarks and `scorecard gen-dossiers`: a
// mix of procedures with their traits, seasonality around Tết, late,
// unsatisfied and still-open dossiers. The same options always give the
// same bytes.
package dossiergen

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"scorecard/data/demo"
	"scorecard/dossier"
	"scorecard/scoring"
)

// Time arithmetic on Unix seconds in Vietnam time (UTC+7, no daylight
// saving), as the dossier package does it.
const (
	vnOffset  = 7 * 3600
	secPerDay = 86400
)

func append2(dst []byte, v int) []byte { return append(dst, byte('0'+v/10), byte('0'+v%10)) }

func append4(dst []byte, v int) []byte {
	return append(dst, byte('0'+v/1000%10), byte('0'+v/100%10), byte('0'+v/10%10), byte('0'+v%10))
}

// floorDiv divides rounding down.
func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// GenOptions configures Generate.
type GenOptions struct {
	// Rows is the number of dossiers (received in the months, all of
	// them).
	Rows int
	// Months is how many months the dossiers are received in (default
	// 12), ending with End.
	Months int
	// End is the last month (default 2024-04, the demo data's last).
	End scoring.Period
	// Seed makes the output reproducible: the same options give the same
	// bytes.
	Seed int64
	// Units receive the dossiers (agencies, districts and communes; a
	// province's counts are its units' pool, so it receives none). nil
	// means the demo province of Bắc Kạn.
	Units []scoring.Unit
}

// CataloguePath is where GenerateFile writes the catalogue that goes with
// the dossiers at path: OUT.csv → OUT.catalogue.csv.
func CataloguePath(path string) string {
	return strings.TrimSuffix(path, ".csv") + ".catalogue.csv"
}

// GenerateFile writes the dossiers to path and the matching catalogue to
// CataloguePath(path), which it returns.
func GenerateFile(path string, opts GenOptions) (string, error) {
	write := func(p string, gen func(io.Writer, GenOptions) error) (err error) {
		f, err := os.Create(p)
		if err != nil {
			return fmt.Errorf("dossiergen: generate: %w", err)
		}
		defer func() {
			if cerr := f.Close(); cerr != nil && err == nil {
				err = fmt.Errorf("dossiergen: generate: %w", cerr)
			}
		}()
		return gen(f, opts)
	}
	cat := CataloguePath(path)
	if err := write(path, Generate); err != nil {
		return "", err
	}
	return cat, write(cat, GenerateCatalogue)
}

// A realistic mix: the procedures an office handles, with the traits that
// drive the metrics. Codes follow the national database's pattern
// (1.00xxxx); the names are real procedure names, the codes are not.
type procTemplate struct {
	code, name string
	online     dossier.OnlineLevel
	fee, indiv bool
	citizen    bool // connected to the population database
	result     bool // issues a result document
	days       int  // statutory processing time, working days
	weight     float64
}

var agencyProcs = []procTemplate{
	{"1.001001", "Cấp đổi giấy phép lái xe do ngành Giao thông vận tải cấp", dossier.OnlineFull, true, true, true, true, 5, 9},
	{"1.001002", "Đăng ký thành lập doanh nghiệp tư nhân", dossier.OnlineFull, true, true, true, true, 3, 6},
	{"1.001003", "Đăng ký thay đổi nội dung đăng ký doanh nghiệp", dossier.OnlineFull, true, false, false, true, 3, 8},
	{"1.001004", "Cấp phiếu lý lịch tư pháp cho công dân Việt Nam", dossier.OnlineFull, true, true, true, true, 10, 10},
	{"1.001005", "Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt, cấp I, cấp II", dossier.OnlinePartial, true, false, false, true, 20, 2},
	{"1.001006", "Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh", dossier.OnlinePartial, true, true, true, true, 30, 2},
	{"1.001007", "Cấp giấy chứng nhận đủ điều kiện an toàn thực phẩm", dossier.OnlinePartial, true, false, false, true, 15, 3},
	{"1.001008", "Công nhận văn bằng do cơ sở giáo dục nước ngoài cấp", dossier.OnlineFull, false, true, true, true, 20, 1},
	{"1.001009", "Cấp giấy phép khai thác nước dưới đất", dossier.OnlinePartial, true, false, false, true, 30, 1},
	{"1.001010", "Cấp giấy phép hoạt động karaoke, vũ trường", dossier.OnlinePartial, true, false, false, true, 5, 1},
	{"1.001011", "Cấp lại giấy phép kinh doanh vận tải bằng xe ô tô", dossier.OnlineFull, true, false, false, true, 5, 4},
	{"1.001012", "Cấp phù hiệu xe ô tô kinh doanh vận tải", dossier.OnlineFull, false, false, false, true, 2, 7},
	{"1.001013", "Giải quyết hưởng trợ cấp thất nghiệp", dossier.OnlinePartial, false, true, true, true, 20, 5},
	{"1.001014", "Cấp giấy phép lao động cho người lao động nước ngoài", dossier.OnlineFull, true, true, false, true, 5, 1},
	{"1.001015", "Thẩm định thiết kế cơ sở", dossier.OnlineNone, true, false, false, true, 30, 1},
	{"1.001016", "Cấp bản sao trích lục hộ tịch", dossier.OnlineFull, true, true, true, true, 1, 3},
	{"1.001017", "Cấp giấy chứng nhận quyền sử dụng đất lần đầu cho tổ chức", dossier.OnlinePartial, true, false, false, true, 30, 2},
	{"1.001018", "Tiếp nhận hồ sơ công bố sản phẩm", dossier.OnlineFull, false, false, false, false, 7, 3},
	{"1.001019", "Cấp giấy phép tổ chức biểu diễn nghệ thuật", dossier.OnlinePartial, false, false, false, true, 5, 1},
	{"1.001020", "Thẩm định, phê duyệt phương án phòng cháy", dossier.OnlineNone, false, false, false, false, 10, 1},
}

var districtProcs = []procTemplate{
	{"2.000101", "Đăng ký hộ kinh doanh", dossier.OnlineFull, true, true, true, true, 3, 9},
	{"2.000102", "Cấp giấy phép xây dựng nhà ở riêng lẻ", dossier.OnlinePartial, true, true, true, true, 15, 6},
	{"2.000103", "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền cấp", dossier.OnlineFull, true, true, true, true, 1, 12},
	{"2.000104", "Đăng ký kết hôn có yếu tố nước ngoài", dossier.OnlinePartial, true, true, true, true, 15, 1},
	{"2.000105", "Cấp giấy chứng nhận quyền sử dụng đất lần đầu cho hộ gia đình, cá nhân", dossier.OnlinePartial, true, true, true, true, 30, 5},
	{"2.000106", "Đăng ký biến động quyền sử dụng đất", dossier.OnlinePartial, true, true, true, true, 10, 7},
	{"2.000107", "Cấp giấy phép kinh doanh bán lẻ sản phẩm rượu", dossier.OnlineFull, true, false, false, true, 10, 1},
	{"2.000108", "Thủ tục trợ cấp xã hội hằng tháng", dossier.OnlineNone, false, true, true, true, 15, 2},
	{"2.000109", "Giải quyết khiếu nại lần đầu", dossier.OnlineNone, false, true, false, false, 30, 1},
}

var communeProcs = []procTemplate{
	{"3.000201", "Đăng ký khai sinh", dossier.OnlineFull, false, true, true, true, 1, 10},
	{"3.000202", "Đăng ký khai tử", dossier.OnlineFull, false, true, true, true, 1, 3},
	{"3.000203", "Đăng ký kết hôn", dossier.OnlinePartial, false, true, true, true, 1, 3},
	{"3.000204", "Chứng thực chữ ký trong giấy tờ, văn bản", dossier.OnlinePartial, true, true, true, true, 1, 9},
	{"3.000205", "Chứng thực hợp đồng, giao dịch liên quan đến tài sản", dossier.OnlineNone, true, true, true, true, 2, 4},
	{"3.000206", "Cấp bản sao trích lục hộ tịch", dossier.OnlineFull, true, true, true, true, 1, 5},
	{"3.000207", "Đăng ký thường trú", dossier.OnlineFull, false, true, true, false, 7, 6},
	{"3.000208", "Xác nhận tình trạng hôn nhân", dossier.OnlineFull, true, true, true, true, 3, 4},
	{"3.000209", "Đăng ký giám hộ", dossier.OnlineNone, false, true, true, true, 3, 1},
	{"3.000210", "Hỗ trợ chi phí mai táng", dossier.OnlineNone, false, true, false, true, 5, 1},
}

// genProc is one procedure of one unit's catalogue.
type genProc struct {
	procTemplate
	withdrawn int32 // month offset from which it is gone; -1 never
	upgraded  int32 // month offset from which its level is one higher; -1 never
}

type genUnit struct {
	code    string
	kind    scoring.UnitKind
	prefix  string // dossier code prefix
	weight  float64
	late    float64 // share of late dossiers
	procs   []genProc
	cum     []float64 // cumulative procedure weights
	changed bool      // a second catalogue state at the change month
}

type genModel struct {
	first, months, change int32 // first month index, count, change offset
	units                 []genUnit
	unitCum               []float64
}

func demoUnits() ([]scoring.Unit, error) {
	for _, f := range demo.Files() {
		if f.Name != "units.csv" {
			continue
		}
		recs, err := csv.NewReader(bytes.NewReader(f.Data)).ReadAll()
		if err != nil {
			return nil, fmt.Errorf("dossiergen: demo units: %w", err)
		}
		var out []scoring.Unit
		for _, r := range recs[1:] {
			out = append(out, scoring.Unit{Code: r[0], Name: r[1], Kind: scoring.UnitKind(r[2]), ParentCode: r[3]})
		}
		return out, nil
	}
	return nil, errors.New("dossiergen: demo units: no units.csv in the demo data")
}

func newModel(opts GenOptions) (*genModel, *rand.Rand, error) {
	if opts.Rows < 0 {
		return nil, nil, errors.New("dossiergen: generate: rows must not be negative")
	}
	if opts.Months == 0 {
		opts.Months = 12
	}
	if opts.Months < 1 || opts.Months > 600 {
		return nil, nil, errors.New("dossiergen: generate: months must be 1–600")
	}
	if opts.End.IsZero() {
		opts.End = scoring.MustPeriod("2024-04")
	}
	if opts.End.Kind != scoring.Month {
		return nil, nil, errors.New("dossiergen: generate: the end period must be a month")
	}
	units := opts.Units
	if units == nil {
		var err error
		if units, err = demoUnits(); err != nil {
			return nil, nil, err
		}
	}
	rng := rand.New(rand.NewPCG(uint64(opts.Seed), 0x766))
	m := &genModel{months: int32(opts.Months)}
	m.first = dossier.MonthIndex(opts.End) - m.months + 1
	if y := dossier.MonthPeriod(m.first).Year; y < dossier.MinYear {
		return nil, nil, fmt.Errorf("dossiergen: generate: the months start in %d, before %d", y, dossier.MinYear)
	}
	m.change = m.months / 2
	for i, u := range units {
		var pool []procTemplate
		var weight, late float64
		switch u.Kind {
		case scoring.KindAgency:
			pool, weight, late = agencyProcs, 3, 0.02
		case scoring.KindDistrict:
			pool, weight, late = districtProcs, 2.5, 0.035
		case scoring.KindCommune:
			pool, weight, late = communeProcs, 1, 0.05
		default:
			continue // a province receives no dossiers of its own here
		}
		g := genUnit{code: u.Code, kind: u.Kind, weight: weight * (0.4 + 1.2*rng.Float64()),
			late:   late * (0.3 + 1.7*rng.Float64()),
			prefix: fmt.Sprintf("000.%02d.%02d.H05", i/100%100, i%100)}
		// Each office handles most procedures of its level.
		for _, p := range pool {
			if rng.Float64() < 0.25 {
				continue
			}
			gp := genProc{procTemplate: p, withdrawn: -1, upgraded: -1}
			gp.weight *= 0.5 + rng.Float64()
			g.procs = append(g.procs, gp)
		}
		if len(g.procs) == 0 {
			g.procs = append(g.procs, genProc{procTemplate: pool[0], withdrawn: -1, upgraded: -1})
		}
		// A fifth of the offices change their catalogue mid-way: one
		// procedure goes online (or further online), one is withdrawn.
		if m.months > 1 && len(g.procs) > 2 && rng.Float64() < 0.2 {
			g.changed = true
			for j := range g.procs {
				if g.procs[j].online != dossier.OnlineFull {
					g.procs[j].upgraded = m.change
					break
				}
			}
			g.procs[len(g.procs)-1].withdrawn = m.change
		}
		total := 0.0
		for _, p := range g.procs {
			total += p.weight
			g.cum = append(g.cum, total)
		}
		m.units = append(m.units, g)
	}
	if len(m.units) == 0 {
		return nil, nil, errors.New("dossiergen: generate: no agency, district or commune among the units")
	}
	total := 0.0
	for _, u := range m.units {
		total += u.weight
		m.unitCum = append(m.unitCum, total)
	}
	return m, rng, nil
}

// seasonal is the relative volume of a calendar month: offices slow down
// around Tết (late January to mid February), rush before it and before
// the year's end.
var seasonal = [13]float64{0, 1.05, 0.62, 1.08, 1.0, 0.98, 0.95, 0.92, 0.96, 1.0, 1.03, 1.08, 1.15}

func pickCum(cum []float64, x float64) int {
	i := sort.SearchFloat64s(cum, x*cum[len(cum)-1])
	if i >= len(cum) {
		i = len(cum) - 1
	}
	return i
}

// GenerateCatalogue writes the catalogue matching Generate with the same
// options: every unit's state as of the first month, and for the units
// whose catalogue changes, a second state at the middle month.
func GenerateCatalogue(w io.Writer, opts GenOptions) error {
	m, _, err := newModel(opts)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	cw := csv.NewWriter(bw)
	_ = cw.Write(dossier.CatalogueColumns)
	state := func(u *genUnit, off int32) {
		month := dossier.MonthPeriod(m.first + off).String()
		for _, p := range u.procs {
			if p.withdrawn >= 0 && off >= p.withdrawn {
				continue
			}
			lvl := p.online
			if p.upgraded >= 0 && off >= p.upgraded {
				lvl++
			}
			_ = cw.Write([]string{month, p.code, p.name, u.code, lvl.String(), b2s(p.fee), b2s(p.indiv), b2s(p.citizen)})
		}
	}
	for i := range m.units {
		state(&m.units[i], 0)
	}
	for i := range m.units {
		if m.units[i].changed {
			state(&m.units[i], m.change)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("dossiergen: generate catalogue: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("dossiergen: generate catalogue: %w", err)
	}
	return nil
}

func b2s(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// Generate writes opts.Rows dossiers of the demo province (or opts.Units)
// received over opts.Months months: seasonal volumes (fewer around Tết), a
// procedure mix per office, online channels where procedures allow them,
// a few late dossiers (more at communes), some with two or more
// supplement requests, ratings mostly empty and a few dissatisfied (more
// when late), and dossiers still open at the end where their processing
// runs past the last month. Output is deterministic for a seed.
func Generate(w io.Writer, opts GenOptions) error {
	m, rng, err := newModel(opts)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	_, _ = bw.WriteString(strings.Join(dossier.DossierColumns, ",") + "\n")

	// Rows per month: seasonal weight with a slow growth, shared out by
	// largest remainder so the total is exact.
	weights := make([]float64, m.months)
	total := 0.0
	for i := range weights {
		p := dossier.MonthPeriod(m.first + int32(i))
		weights[i] = seasonal[p.N] * (1 + 0.01*float64(i))
		total += weights[i]
	}
	perMonth := make([]int, m.months)
	type rem struct {
		i int
		r float64
	}
	var rems []rem
	given := 0
	for i, wt := range weights {
		x := float64(opts.Rows) * wt / total
		perMonth[i] = int(x)
		given += perMonth[i]
		rems = append(rems, rem{i, x - math.Floor(x)})
	}
	sort.SliceStable(rems, func(a, b int) bool { return rems[a].r > rems[b].r })
	for j := 0; given < opts.Rows; j++ {
		perMonth[rems[j%len(rems)].i]++
		given++
	}

	end := dossier.MonthStart(m.first + m.months) // data taken at the end of the last month
	seq := make([]uint32, len(m.units)*int(m.months)*31)
	var buf []byte
	for off := int32(0); off < m.months; off++ {
		start := dossier.MonthStart(m.first + off)
		days := int((dossier.MonthStart(m.first+off+1) - start) / secPerDay)
		for n := 0; n < perMonth[off]; n++ {
			ui := pickCum(m.unitCum, rng.Float64())
			u := &m.units[ui]
			p := &u.procs[pickCum(u.cum, rng.Float64())]
			if p.withdrawn >= 0 && off >= p.withdrawn {
				p = &u.procs[0] // withdrawn: its dossiers went to another
			}
			day := rng.IntN(days)
			// Offices work Monday to Friday (1970-01-01 was a Thursday);
			// a few dossiers arrive at the weekend anyway.
			if wd := (floorDiv(start+vnOffset, secPerDay) + int64(day) + 4) % 7; (wd == 0 || wd == 6) && rng.Float64() < 0.9 {
				if day >= 2 {
					day -= 2
				} else {
					day += 2
				}
			}
			// start is local midnight: received 07:30–16:30 Vietnam time.
			recv := start + int64(day)*secPerDay + 7*3600 + 30*60 + int64(rng.IntN(9*3600))
			// Statutory time in working days ≈ 7/5 calendar days, due at 17:00.
			dueDay := floorDiv(recv+vnOffset, secPerDay) + int64(math.Ceil(float64(p.days)*1.4))
			due := dueDay*secPerDay - vnOffset + 17*3600
			supp := 0
			switch x := rng.Float64(); {
			case x < 0.015:
				supp = 2 + rng.IntN(2)
			case x < 0.09:
				supp = 1
			}
			late := rng.Float64() < u.late || (supp >= 2 && rng.Float64() < 0.5)
			var fin int64
			if late {
				fin = due + int64(1+rng.IntN(10))*secPerDay
			} else {
				fin = recv + int64((0.15+0.83*rng.Float64())*float64(due-recv))
			}
			// Work is done in office hours: fold the time of day into
			// 07:30–17:00, never before the dossier arrived.
			fday := floorDiv(fin+vnOffset, secPerDay)
			tod := fin + vnOffset - fday*secPerDay
			fin = fday*secPerDay - vnOffset + 7*3600 + 30*60 + tod*19/48
			fin = max(fin, recv+10*60)
			if rng.Float64() < 0.002 {
				fin = dossier.Open // stalled: waiting on another office
			}
			if fin >= end {
				fin = dossier.Open // still being processed when the data was taken
			}
			lvl := p.online
			if p.upgraded >= 0 && off >= p.upgraded {
				lvl++
			}
			ch := dossier.ChannelDirect
			switch x := rng.Float64(); {
			case lvl == dossier.OnlineFull && x < 0.65, lvl == dossier.OnlinePartial && x < 0.35:
				ch = dossier.ChannelOnline
			case x > 0.97:
				ch = dossier.ChannelPostal
			}
			paid := false
			if p.fee {
				paid = ch == dossier.ChannelOnline && rng.Float64() < 0.7 || ch != dossier.ChannelOnline && rng.Float64() < 0.08
			}
			eres := ""
			if p.result {
				eres = "0"
				if rng.Float64() < 0.85 {
					eres = "1"
				}
			}
			citizen := rng.Float64() < 0.05
			if p.indiv && p.citizen {
				citizen = rng.Float64() < 0.75
			}
			rating := ""
			switch x := rng.Float64(); {
			case late && x < 0.35, !late && x < 0.01:
				rating = "dissatisfied"
			case late && x < 0.5, !late && x < 0.31:
				rating = "satisfied"
			}

			localDay := floorDiv(recv+vnOffset, secPerDay)
			y, month, d := time.Unix(localDay*secPerDay, 0).UTC().Date()
			mo := int(month)
			si := (ui*int(m.months)+int(off))*31 + d - 1
			seq[si]++
			buf = buf[:0]
			buf = append(buf, u.prefix...)
			buf = append(buf, '-')
			buf = append2(buf, y%100)
			buf = append2(buf, mo)
			buf = append2(buf, d)
			buf = append(buf, '-')
			if s := seq[si]; s < 10000 {
				buf = append4(buf, int(s))
			} else {
				buf = strconv.AppendUint(buf, uint64(s), 10)
			}
			buf = append(buf, ',')
			buf = append(buf, u.code...)
			buf = append(buf, ',')
			buf = append(buf, p.code...)
			buf = append(buf, ',')
			buf = dossier.AppendTime(buf, recv)
			buf = append(buf, ',')
			buf = dossier.AppendTime(buf, due)
			buf = append(buf, ',')
			if fin != dossier.Open {
				buf = dossier.AppendTime(buf, fin)
			}
			buf = append(buf, ',')
			buf = append(buf, ch.String()...)
			buf = append(buf, ',', b01c(p.fee), ',', b01c(paid), ',')
			buf = append(buf, eres...)
			buf = append(buf, ',', b01c(rng.Float64() < 0.82), ',', b01c(rng.Float64() < 0.55), ',',
				b01c(rng.Float64() < 0.25), ',', b01c(citizen), ',', b01c(rng.Float64() < 0.95), ',')
			buf = strconv.AppendInt(buf, int64(supp), 10)
			buf = append(buf, ',')
			buf = append(buf, rating...)
			buf = append(buf, '\n')
			if _, err := bw.Write(buf); err != nil {
				return fmt.Errorf("dossiergen: generate: %w", err)
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("dossiergen: generate: %w", err)
	}
	return nil
}

func b01c(b bool) byte {
	if b {
		return '1'
	}
	return '0'
}
