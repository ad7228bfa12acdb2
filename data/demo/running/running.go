// Package running makes the demo's running year as the national portal
// publishes it day by day: Thái Nguyên's year 2026 "as of" each evening,
// every unit's figures counted from 1 January to that day, with the
// portal's scores. A user of the demo sees the running year's pages work:
// the "as of" notice, the movers since the day before and the week
// before, a unit's day-by-day chart and the week reports.
//
// Nothing is embedded: the days are drawn from the demo's own monthly
// counts (counts-thai-nguyen-2025-2026.csv), so that they tell the same
// story. Each month's dossiers arrive over its working days (Saturdays
// lightly, none on Sundays and public holidays), each unit at its own
// pace, and a month's late or refused dossiers fall on days of their own;
// the last day of a month therefore holds exactly the months so far, and
// the running year as of 30/11/2026 is the sum of January to November
// that the year's page shows. The draw is a hash of the unit, metric and
// day: the same program makes the same days, byte for byte.
package running

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"sort"
	"strconv"
	"time"

	"scorecard/data/demo"
	"scorecard/models"
	"scorecard/scoring"
	"scorecard/store"
)

const (
	// Province is the demo's province in the running year.
	Province = "TN"
	// Period is the running year.
	Period = "2026"
	// unitsFile and countsFile are the demo files the days come from.
	unitsFile  = "units-thai-nguyen.csv"
	countsFile = "counts-thai-nguyen-2025-2026.csv"
	// captureHour is when the portal is captured each evening (Vietnam).
	captureHour = 22
	// provinceID stands for the portal's department id of the province:
	// the demo's units carry none (an office's real captures bring their
	// own), the captures' log needs one.
	provinceID = "minh-hoa-TN"
)

// First and Last are the first and last days captured: from the day the
// office (in the story) began following the portal every evening to the
// last day of the demo's last month.
var (
	First = time.Date(2026, 9, 1, 0, 0, 0, 0, scoring.Location)
	Last  = time.Date(2026, 11, 30, 0, 0, 0, 0, scoring.Location)
)

// holidays are the public holidays of 2026 between First and Last on which
// no dossier is received (Quốc khánh 2/9 and the day before it).
var holidays = map[string]bool{"2026-09-01": true, "2026-09-02": true}

// month is one month's counts of one unit's metric (both nil: no counts).
type month struct {
	num, den *int64
}

// unitData is a unit of the province in the running year and its months.
type unitData struct {
	code, name, kind, parent string
	// months maps a metric to its counts by month (1–12; absent: no row).
	months map[string]map[int]month
}

// Captures returns the running year's captures, oldest first: one each
// evening from First to Last, scored with scheme (the year's).
func Captures(scheme *scoring.Scheme) ([]store.PortalCapture, error) {
	units, err := readUnits()
	if err != nil {
		return nil, err
	}
	if err := readCounts(units); err != nil {
		return nil, err
	}
	g := &gen{scheme: scheme, units: units, p: scoring.MustPeriod(Period)}
	return g.captures()
}

// Name is the import log's name of the running year.
const Name = "demo/cong-dvcqg-" + Period

// Load stores the running year's captures as a demo import, in one
// transaction (store.ImportPortalSeries: one capture at a time would add
// seconds to the first start). Loading it again changes nothing.
func Load(ctx context.Context, st *store.Store, schemes *scoring.Schemes) (store.PortalResult, error) {
	caps, err := Captures(schemes.For(scoring.MustPeriod(Period)))
	if err != nil {
		return store.PortalResult{}, err
	}
	return Store(ctx, st, caps)
}

// Store stores captures made by Captures as Load does (a caller may make
// them while it loads the rest of the demo).
func Store(ctx context.Context, st *store.Store, caps []store.PortalCapture) (store.PortalResult, error) {
	if len(caps) == 0 {
		return store.PortalResult{}, fmt.Errorf("running: no capture")
	}
	last := caps[len(caps)-1]
	imp := &models.Import{FileName: Name, SHA256: last.Fingerprint, Source: models.SourceDemo, Demo: true}
	res, err := st.ImportPortalSeries(ctx, imp, caps)
	if err != nil {
		return store.PortalResult{}, fmt.Errorf("running: %w", err)
	}
	return res, nil
}

func readCSV(name string) ([][]string, error) {
	f, ok := demo.Lookup(name)
	if !ok {
		return nil, fmt.Errorf("running: demo file %s missing", name)
	}
	rows, err := csv.NewReader(bytes.NewReader(f.Data)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("running: read %s: %w", name, err)
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("running: %s has no data rows", name)
	}
	return rows[1:], nil
}

// readUnits lists the province's units that exist in the running year,
// the province first.
func readUnits() ([]*unitData, error) {
	rows, err := readCSV(unitsFile)
	if err != nil {
		return nil, err
	}
	var out []*unitData
	for _, r := range rows {
		if len(r) < 6 {
			return nil, fmt.Errorf("running: %s: short row %q", unitsFile, r)
		}
		// Units file columns: code,name,kind,parent_code,valid_from,valid_to.
		if r[5] != "" && r[5] <= Period+"-12-31" {
			continue // ended before or during the year
		}
		if r[0] != Province && r[3] != Province {
			continue
		}
		u := &unitData{code: r[0], name: r[1], kind: r[2], parent: r[3], months: map[string]map[int]month{}}
		out = append(out, u)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].code == Province && out[j].code != Province })
	if len(out) == 0 || out[0].code != Province {
		return nil, fmt.Errorf("running: %s: province %s not found", unitsFile, Province)
	}
	return out, nil
}

func readCounts(units []*unitData) error {
	rows, err := readCSV(countsFile)
	if err != nil {
		return err
	}
	byCode := map[string]*unitData{}
	for _, u := range units {
		byCode[u.code] = u
	}
	prefix := Period + "-"
	for _, r := range rows {
		if len(r) < 5 || len(r[0]) != 7 || r[0][:5] != prefix {
			continue
		}
		u, ok := byCode[r[1]]
		if !ok {
			continue
		}
		m, err := strconv.Atoi(r[0][5:])
		if err != nil {
			return fmt.Errorf("running: %s: period %q", countsFile, r[0])
		}
		var c month
		if r[3] != "" || r[4] != "" {
			n, err1 := strconv.ParseInt(r[3], 10, 64)
			d, err2 := strconv.ParseInt(r[4], 10, 64)
			if err1 != nil || err2 != nil || n < 0 || n > d {
				return fmt.Errorf("running: %s: counts %q/%q", countsFile, r[3], r[4])
			}
			c = month{num: &n, den: &d}
		}
		if u.months[r[2]] == nil {
			u.months[r[2]] = map[int]month{}
		}
		u.months[r[2]][m] = c
	}
	return nil
}

type gen struct {
	scheme *scoring.Scheme
	units  []*unitData
	p      scoring.Period
}

// days lists the days captured.
func days() []time.Time {
	var out []time.Time
	for d := First; !d.After(Last); d = d.AddDate(0, 0, 1) {
		out = append(out, d)
	}
	return out
}

// hash is the draw for a unit's metric on a day: a number in [0, 1000).
func hash(parts ...string) int64 {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return int64(h.Sum64() % 1000)
}

// arrivals is the weight of a day in a unit's month: how many of the
// month's dossiers came in that day, relative to the others.
func arrivals(unit string, d time.Time) int64 {
	day := d.Format(time.DateOnly)
	if holidays[day] {
		return 0
	}
	switch d.Weekday() {
	case time.Sunday:
		return 0
	case time.Saturday:
		return 100 + hash(unit, day, "arrivals")/5
	}
	return 600 + hash(unit, day, "arrivals")*4/5
}

// spread is a month's counts as of each of its days (cumulative, the last
// day the month's): the denominator over the unit's arrivals, the
// dossiers that miss (denominator − numerator) on days of their own, never
// more in a day than came in, all of them by the month's end.
type spread struct {
	den, num []int64
}

func monthSpread(unit, metric string, year, mon int, c month) spread {
	first := time.Date(year, time.Month(mon), 1, 0, 0, 0, 0, scoring.Location)
	n := first.AddDate(0, 1, -1).Day()
	w := make([]int64, n)
	v := make([]int64, n)
	var W, V int64
	for i := range n {
		d := first.AddDate(0, 0, i)
		w[i] = arrivals(unit, d)
		v[i] = w[i] * (200 + hash(unit, metric, d.Format(time.DateOnly), "misses")*3) / 1000
		W += w[i]
		V += v[i]
	}
	s := spread{den: make([]int64, n), num: make([]int64, n)}
	den, miss := *c.den, *c.den-*c.num
	var cw, cv, missed, prevDen int64
	for i := range n {
		cw += w[i]
		cv += v[i]
		dk := den
		if W > 0 {
			dk = den * cw / W
		}
		target := miss
		if V > 0 {
			target = miss * cv / V
		}
		// Today's misses: toward the target, within today's arrivals,
		// and enough that the days left can take the rest.
		inc := target - missed
		lo := max(0, (miss-missed)-(den-dk))
		hi := min(dk-prevDen, miss-missed)
		inc = min(max(inc, lo), hi)
		missed += inc
		s.den[i], s.num[i] = dk, dk-missed
		prevDen = dk
	}
	return s
}

// cell is one metric's counts of a unit as of a day: present when the
// unit has the metric, valid when it has counts ("no counts" otherwise).
type cell struct {
	present, valid bool
	num, den       int64
}

// unitCounts writes into out a unit's counts of each metric (by the
// scheme's index) as of the end of day d: the full months before d's, and
// d's month so far; a snapshot metric has its month's value.
func (g *gen) unitCounts(u *unitData, d time.Time, spreads map[[2]int]spread, out []cell) {
	mon := int(d.Month())
	for i := range out {
		out[i] = cell{}
	}
	for i := range g.scheme.Metrics {
		m := &g.scheme.Metrics[i]
		byMonth, ok := u.months[m.Code]
		if !ok {
			continue
		}
		c := &out[i]
		if m.Aggregation == scoring.Snapshot {
			for k := mon; k >= 1; k-- {
				if v, ok := byMonth[k]; ok {
					c.present = true
					if v.num != nil {
						c.valid, c.num, c.den = true, *v.num, *v.den
					}
					break
				}
			}
			continue
		}
		for k := 1; k <= mon; k++ {
			v, ok := byMonth[k]
			if !ok {
				continue
			}
			c.present = true
			if v.num == nil {
				continue
			}
			c.valid = true
			if k < mon {
				c.num += *v.num
				c.den += *v.den
				continue
			}
			sk := [2]int{i, k}
			sp, ok := spreads[sk]
			if !ok {
				sp = monthSpread(u.code, m.Code, d.Year(), k, v)
				spreads[sk] = sp
			}
			c.num += sp.num[d.Day()-1]
			c.den += sp.den[d.Day()-1]
		}
	}
}

func (g *gen) captures() ([]store.PortalCapture, error) {
	n, nm := len(g.units), len(g.scheme.Metrics)
	spreads := make([]map[[2]int]spread, n)
	cur, prev := make([][]cell, n), make([][]cell, n)
	figs := make([][]store.PortalFigures, n)
	for i := range n {
		spreads[i] = map[[2]int]spread{}
		cur[i], prev[i] = make([]cell, nm), make([]cell, nm)
	}
	portalUnits := make([]store.PortalUnit, n)
	for i, u := range g.units {
		portalUnits[i] = store.PortalUnit{Code: u.code, Name: u.name, Kind: u.kind, ParentCode: u.parent}
	}
	groups := make([]string, len(g.scheme.Groups))
	for i, gr := range g.scheme.Groups {
		groups[i] = gr.Code
	}
	var out []store.PortalCapture
	for day, d := range days() {
		c := store.PortalCapture{
			Name: "demo/cong-dvcqg-" + d.Format(time.DateOnly), ProvinceID: provinceID, ProvinceCode: Province,
			Period: Period, AsOf: d.Add(captureHour * time.Hour), Complete: true, Groups: groups, Units: portalUnits,
			Figures: make([]store.PortalFigures, 0, n*len(groups)),
		}
		for i, u := range g.units {
			cur[i], prev[i] = prev[i], cur[i]
			g.unitCounts(u, d, spreads[i], cur[i])
		}
		// The province's own metrics (publicity, once per province) are
		// every unit's; its other metrics are the pool of its units.
		for m := range g.scheme.Metrics {
			if g.scheme.Metrics[m].Level == scoring.LevelProvince {
				for i := 1; i < n; i++ {
					cur[i][m] = cur[0][m]
				}
				continue
			}
			if cur[0][m].present {
				continue
			}
			var pool cell
			for i := 1; i < n; i++ {
				x := cur[i][m]
				pool.present = pool.present || x.present
				if x.valid {
					pool.valid = true
					pool.num += x.num
					pool.den += x.den
				}
			}
			cur[0][m] = pool
		}
		for i, u := range g.units {
			// A unit whose counts did not move (a Sunday) publishes the
			// same figures.
			if day == 0 || !equal(cur[i], prev[i]) {
				figs[i] = g.figures(u, cur[i])
			}
			c.Figures = append(c.Figures, figs[i]...)
		}
		c.Fingerprint = fingerprint(&c)
		out = append(out, c)
	}
	return out, nil
}

func equal(a, b []cell) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// figures scores a unit's counts as the portal publishes them: each
// group's score and each metric's counts, score and ratio.
func (g *gen) figures(u *unitData, cs []cell) []store.PortalFigures {
	in := make(map[string]scoring.Input, len(cs))
	vals := make([]int64, 0, 2*len(cs))
	for i, c := range cs {
		if !c.present {
			continue
		}
		counts := scoring.Counts{}
		if c.valid {
			counts = scoring.C(c.num, c.den)
		}
		in[g.scheme.Metrics[i].Code] = scoring.Input{Counts: counts}
	}
	su := scoring.Unit{Code: u.code, Name: u.name, Kind: scoring.UnitKind(u.kind), ParentCode: u.parent}
	us := scoring.ScoreInputs(g.scheme, su, g.p, in)
	out := make([]store.PortalFigures, 0, len(us.Groups))
	// One array for the published numbers, instead of one allocation each.
	pts := make([]scoring.Cents, 0, 2*len(us.Groups)+3*len(in))
	cents := func(c scoring.Cents) *scoring.Cents {
		pts = append(pts, c)
		return &pts[len(pts)-1]
	}
	for _, gs := range us.Groups {
		f := store.PortalFigures{Unit: u.code, Group: gs.Group.Code, Score: cents(gs.Score), Max: cents(gs.Max),
			Metrics: make([]store.PortalMetric, 0, len(gs.Metrics))}
		for _, ms := range gs.Metrics {
			in, ok := in[ms.Metric.Code]
			if !ok {
				continue
			}
			pm := store.PortalMetric{Code: ms.Metric.Code, Score: cents(ms.Points), Max: cents(ms.Max)}
			if in.Counts.Valid {
				vals = append(vals, in.Counts.Num, in.Counts.Den)
				pm.Num, pm.Den = &vals[len(vals)-2], &vals[len(vals)-1]
			}
			if ms.HasRatio {
				pm.Ratio = cents(ms.Ratio)
			}
			f.Metrics = append(f.Metrics, pm)
		}
		out = append(out, f)
	}
	return out
}

// fingerprint names a capture: the province, period and moment (the
// demo's figures of a moment are always the same).
func fingerprint(c *store.PortalCapture) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "scorecard demo|%s|%s|%d", c.ProvinceCode, c.Period, c.AsOf.Unix()))
	return hex.EncodeToString(sum[:])
}
