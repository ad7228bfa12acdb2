package scoring

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"testing"

	"scorecard/data/demo"
)

// loadDemo reads the demo data set (data/demo) into a Dataset, as the
// importer would, and returns an engine over it with the default scheme.
func loadDemo(t testing.TB) *Engine {
	t.Helper()
	ds := &Dataset{Own: map[Key]Counts{}}
	files := demo.Files()
	read := func(f demo.File) [][]string {
		rows, err := csv.NewReader(bytes.NewReader(f.Data)).ReadAll()
		if err != nil || len(rows) < 2 {
			t.Fatalf("%s: %v (%d rows)", f.Name, err, len(rows))
		}
		return rows[1:]
	}
	for _, r := range read(files[0]) {
		ds.Units = append(ds.Units, Unit{Code: r[0], Name: r[1], Kind: UnitKind(r[2]), ParentCode: r[3]})
	}
	for _, r := range read(files[1]) {
		var c Counts
		if r[3] != "" || r[4] != "" {
			n, err1 := strconv.ParseInt(r[3], 10, 64)
			d, err2 := strconv.ParseInt(r[4], 10, 64)
			if err1 != nil || err2 != nil {
				t.Fatalf("counts row %v", r)
			}
			c = C(n, d)
		}
		ds.Own[Key{Period: r[0], Unit: r[1], Metric: r[2]}] = c
	}
	return NewEngine(loadDefault(t), ds)
}

// stakeFixture is an agency whose counts are full everywhere except the
// metrics the hand-worked cases are about.
func stakeFixture(t *testing.T) *UnitScore {
	t.Helper()
	s := loadDefault(t).Latest()
	in := map[string]Input{}
	for _, m := range s.Metrics {
		if m.Scored() && m.Code != "ELECTRONIC_CERTIFIED_COPY" {
			in[m.Code] = Input{Counts: C(10, 10)}
		}
	}
	// threshold 50 %, max 6: 6 × (148/370) ÷ 0,5 = 4,80; 185/370 reaches 50 %
	in["ONLINE_SUBMISSION"] = Input{Counts: C(148, 370)}
	// linear, max 20: 20 × 3990/4000 = 19,95; 3999/4000 already rounds to 20,00
	in["ON_TIME_PROCESSING"] = Input{Counts: C(3990, 4000)}
	// threshold 80 %, percent_first, max 2: 2 × 60 ÷ 80 = 1,50; 4/5 reaches 80 %
	in["PAYMENT_FORMALITY_USED"] = Input{Counts: C(3, 5)}
	// no counts, no-data rule zero
	delete(in, "DOSSIER_SYNC")
	// 0/0, no-data rule zero
	in["ONLINE_PAYMENT_DOSSIERS"] = Input{Counts: C(0, 0)}
	// 0/0, no-data rule full: nothing lost
	in["PETITION_PROCESSING_ON_TIME"] = Input{Counts: C(0, 0)}
	// inherited from the province: 6 × 2/3 = 4,00
	in["PUBLISH_ON_TIME"] = Input{Counts: C(2, 3), Source: SourceProvince}
	u := Unit{Code: "P.A", Name: "Sở A", Kind: KindAgency, ParentCode: "P"}
	us := ScoreInputs(s, u, MustPeriod("2024-04"), in)
	us.Province = "P"
	return us
}

func TestPointsAtStakeHandWorked(t *testing.T) {
	us := stakeFixture(t)
	r := PointsAtStake(us)

	// 1,20 + 0,05 + 0,50 + 6,00 + 6,00 + 2,00 lost in all.
	if r.Lost != 1575 || us.Total != 10000-1575 {
		t.Errorf("lost %s (total %s), want 15.75 (84.25)", r.Lost, us.Total)
	}
	var order []string
	for _, s := range r.Actionable {
		order = append(order, s.Metric.Code)
	}
	// 0,50 for 1 count, then 1,20 for 37, then 0,05 for 9.
	if got := strings.Join(order, " "); got != "PAYMENT_FORMALITY_USED ONLINE_SUBMISSION ON_TIME_PROCESSING" {
		t.Fatalf("actionable order %s", got)
	}

	pay, sub, ot := r.Actionable[0], r.Actionable[1], r.Actionable[2]
	check := func(s Stake, points, lost, target Cents, need int64, newRatio Cents, steps string) {
		t.Helper()
		if s.Kind != StakeCounts || s.Inherited || s.Points != points || s.Lost != lost || s.Target != target ||
			s.Need != need || s.NewRatio != newRatio {
			t.Errorf("%s: %s kind %s points %s lost %s target %s need %d → %s%%", s.Metric.Code, s.Group.Code,
				s.Kind, s.Points, s.Lost, s.Target, s.Need, s.NewRatio)
		}
		if got := fmt.Sprint(s.Steps); got != steps {
			t.Errorf("%s steps %s, want %s", s.Metric.Code, got, steps)
		}
	}
	check(sub, 480, 120, 5000, 37, 5000, "[{10 5.12 0.32} {19 5.42 0.62} {28 5.71 0.91} {37 6.00 1.20}]")
	check(ot, 1995, 5, 10000, 9, 9998, "[{3 19.97 0.02} {5 19.98 0.03} {7 19.99 0.04} {9 20.00 0.05}]")
	check(pay, 150, 50, 8000, 1, 8000, "[{1 2.00 0.50}]")
	// The words of these figures: present's TestStakeMessage.
	if sub.Counts.Den != 370 || sub.Ratio != 4000 || sub.NewRatio != 5000 || sub.Lost != 120 || sub.Need != 37 {
		t.Errorf("online submission %+v", sub)
	}

	// No counts and 0/0 under a zero rule: explained, not counted as effort.
	if len(r.NoData) != 2 {
		t.Fatalf("no-data stakes %d, want 2", len(r.NoData))
	}
	kinds := map[string]StakeKind{}
	for _, s := range r.NoData {
		kinds[s.Metric.Code] = s.Kind
		if s.Lost != 600 || s.Need != 0 {
			t.Errorf("%s lost %s need %d", s.Metric.Code, s.Lost, s.Need)
		}
	}
	if kinds["DOSSIER_SYNC"] != StakeNoCounts || kinds["ONLINE_PAYMENT_DOSSIERS"] != StakeZeroDen {
		t.Errorf("no-data kinds %v", kinds)
	}

	// The province's metric: flagged, with the province's counts.
	if len(r.Province) != 1 {
		t.Fatalf("province stakes %d", len(r.Province))
	}
	p := r.Province[0]
	if p.Metric.Code != "PUBLISH_ON_TIME" || !p.Inherited || p.Lost != 200 || p.Need != 1 {
		t.Errorf("province stake %+v", p)
	}
	for _, s := range append(append([]Stake(nil), r.Actionable...), r.NoData...) {
		if s.Metric.Code == "PETITION_PROCESSING_ON_TIME" {
			t.Error("a metric at full points (0/0, rule full) is not at stake")
		}
	}
}

// Recovering stakes adds exactly their points (a total is the sum of rounded
// metric points) and the ranking follows.
func TestRecoverHandWorked(t *testing.T) {
	us := stakeFixture(t)
	r := PointsAtStake(us)
	rec := Recover(nil, us, r.Actionable[:2])
	if rec.Gain != 170 || rec.Score.Total != us.Total+170 || len(rec.Applied) != 2 {
		t.Errorf("recover two: gain %s total %s", rec.Gain, rec.Score.Total)
	}
	if m := rec.Score.Metric("ONLINE_SUBMISSION"); m.Counts != C(185, 370) || m.Points != 600 {
		t.Errorf("recovered metric %+v", m)
	}
	if m := rec.Score.Metric("PUBLISH_ON_TIME"); m.Source != SourceProvince || m.Points != 400 {
		t.Errorf("an inherited metric keeps its source and points: %+v", m)
	}
	// Stakes that counts cannot recover are skipped.
	if rec := Recover(nil, us, r.NoData); rec.Gain != 0 || len(rec.Applied) != 0 {
		t.Errorf("no-data stakes recovered %s", rec.Gain)
	}
}

// Need is the smallest addition that recovers the points, for every rule
// and rounding, on random counts: one fewer falls short. Points never fall
// as the numerator grows (minAdd's binary search relies on it).
func TestStakeNeedIsMinimal(t *testing.T) {
	s := loadDefault(t).Latest()
	rng := rand.New(rand.NewPCG(7, 11))
	for i := 0; i < 3000; i++ {
		m := &s.Metrics[rng.IntN(len(s.Metrics))]
		if !m.Scored() {
			continue
		}
		d := 1 + rng.Int64N(5000)
		if i%3 == 0 {
			d = 1 + rng.Int64N(40)
		}
		n := rng.Int64N(d + 1)
		p, max, _, _ := metricPoints(m, C(n, d))
		k := minAdd(m, n, d, max)
		if got, _, _, _ := metricPoints(m, C(n+k, d)); got != max {
			t.Fatalf("%s %d/%d + %d: %s, want %s", m.Code, n, d, k, got, max)
		}
		if k > 0 {
			if got, _, _, _ := metricPoints(m, C(n+k-1, d)); got >= max {
				t.Fatalf("%s %d/%d: %d is not minimal", m.Code, n, d, k)
			}
		}
		if d <= 40 {
			prev := p
			for x := n + 1; x <= d; x++ {
				got, _, _, _ := metricPoints(m, C(x, d))
				if got < prev {
					t.Fatalf("%s: %d/%d earns %s, less than %d/%d", m.Code, x, d, got, x-1, d)
				}
				prev = got
			}
		}
	}
}

// April 2024 in the demo: what the top three changes and the fewest changes
// to the next band do for the "Tốt" agencies. The names and totals below
// are read off the demo data (see data/demo); everything else is checked
// as a property.
func TestDemoAprilRecoveries(t *testing.T) {
	e := loadDemo(t)
	ps := e.Score(MustPeriod("2024-04"))
	liftedByTop3 := map[string]bool{}
	reachable := map[string]bool{}
	good := 0
	for _, r := range ps.Ranking(KindAgency, "BK", nil) {
		if r.Band == nil || r.Band.NameVI != "Tốt" {
			continue
		}
		good++
		rep := PointsAtStake(r.UnitScore)
		// every lost point is in exactly one list
		var sum Cents
		for _, l := range [][]Stake{rep.Actionable, rep.NoData, rep.Province} {
			for _, s := range l {
				sum += s.Lost
			}
		}
		if sum != rep.Lost || rep.Lost != r.MaxTotal-r.Total {
			t.Errorf("%s: stakes add to %s, lost %s, max − total %s", r.Unit.Name, sum, rep.Lost, r.MaxTotal-r.Total)
		}
		for _, s := range rep.Province {
			if s.Metric.Level != LevelProvince {
				t.Errorf("%s: %s is not province-level", r.Unit.Name, s.Metric.Code)
			}
		}
		top := rep.RecoverTop(ps, 3)
		var gain Cents
		for _, s := range top.Applied {
			gain += s.Lost
		}
		if len(top.Applied) != 3 || top.Gain != gain || top.Score.Band != ps.Scheme.Band(top.Score.Total, top.Score.MaxTotal) {
			t.Errorf("%s: top three gain %s, want %s", r.Unit.Name, top.Gain, gain)
		}
		if rank, _ := RankAmong(ps, top.Score); rank != top.Rank || top.Rank > r.Rank || top.BaseRank != r.Rank {
			t.Errorf("%s: rank %d → %d", r.Unit.Name, r.Rank, top.Rank)
		}
		if top.BandUp() {
			liftedByTop3[r.Unit.Name] = true
		}

		next := rep.ToNextBand(ps)
		var all Cents
		for _, s := range rep.Actionable {
			all += s.Lost
		}
		canReach := r.Total+all >= 9000
		if next.BandUp() != canReach {
			t.Errorf("%s: reaches Xuất sắc %v, but %s + %s", r.Unit.Name, next.BandUp(), r.Total, all)
		}
		if canReach {
			reachable[r.Unit.Name] = true
			if next.Band.NameVI != "Xuất sắc" {
				t.Errorf("%s: next band %s", r.Unit.Name, next.Band.NameVI)
			}
			// fewest: the largest k−1 recoveries fall short
			k := len(next.Applied)
			if k > 1 {
				var short Cents
				for _, s := range next.Applied[:k-1] {
					short += s.Lost
				}
				if r.Total+short >= 9000 {
					t.Errorf("%s: %d changes where %d suffice", r.Unit.Name, k, k-1)
				}
			}
			if k > 3 {
				t.Logf("%s needs %d changes", r.Unit.Name, k)
			}
		}
	}
	if good != 6 {
		t.Fatalf("%d Tốt agencies, want 6", good)
	}
	// What the data says: the three most efficient changes lift three of
	// the six; the three largest lift every one that can get there, and
	// Thanh tra tỉnh, with no payment dossiers at all (0/0), cannot.
	if got := keys(liftedByTop3); got != "Ban Dân tộc|Ban Quản lý các Khu công nghiệp|Sở Công Thương" {
		t.Errorf("lifted by the top three: %s", got)
	}
	if got := keys(reachable); got != "Ban Dân tộc|Ban Quản lý các Khu công nghiệp|Sở Công Thương|Sở Nông nghiệp và Phát triển nông thôn|Sở Tài nguyên và Môi trường" {
		t.Errorf("can reach Xuất sắc: %s", got)
	}
	if first := ps.Ranking(KindAgency, "BK", nil)[0]; first.Band.Code != ps.Scheme.Bands[0].Code ||
		PointsAtStake(first.UnitScore).ToNextBand(ps) != nil {
		t.Errorf("%s is in the top band: there is no next band", first.Unit.Name)
	}
	tt := PointsAtStake(ps.Unit(unitByName(t, e, "Thanh tra tỉnh")))
	if len(tt.NoData) == 0 || tt.NoData[0].Kind != StakeZeroDen {
		t.Errorf("Thanh tra tỉnh: no-data stakes %v", tt.NoData)
	}
}

func keys(m map[string]bool) string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, "|")
}

func unitByName(t *testing.T, e *Engine, name string) string {
	t.Helper()
	for _, u := range e.Units() {
		if u.Name == name {
			return u.Code
		}
	}
	t.Fatalf("no unit %q", name)
	return ""
}

func TestRecoverWithoutPeers(t *testing.T) {
	us := stakeFixture(t)
	rec := PointsAtStake(us).RecoverTop(nil, 3)
	// 84,25 (Tốt) + 0,50 + 1,20 + 0,05 = 86,00: still Tốt; no peers, no rank.
	if rec.Score.Total != 8600 || rec.Gain != 175 || rec.BandUp() || rec.Rank != 0 || rec.RankOf != 0 {
		t.Errorf("recover without peers: total %s band up %v rank %d", rec.Score.Total, rec.BandUp(), rec.Rank)
	}
	// The fewest changes to Xuất sắc: counts alone cannot get there (86,00
	// at best), so every actionable stake is applied and the band stays.
	next := PointsAtStake(us).ToNextBand(nil)
	if next == nil || next.BandUp() || len(next.Applied) != 3 || next.Score.Total != 8600 {
		t.Errorf("to next band: %+v", next)
	}
}
