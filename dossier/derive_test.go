package dossier

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"scorecard/scoring"
)

// testDossier is a dossier as the reference sees it: codes and time.Time,
// nothing shared with the package's compact representation.
type testDossier struct {
	code, unit, proc        string
	received, due, finished time.Time
	open                    bool
	channel                 string
	fee, paid               bool
	eResult                 string // "", "0", "1"
	digitized, reused       bool
	personal, citizen, sync bool
	supplements             int
	rating                  string
}

type testState struct {
	unit  string
	month scoring.Period
	procs []Procedure
}

// randomTime picks an instant in [from, to), often exactly on a month
// boundary or one second off it: the edges where < and ≤ differ.
func randomTime(rng *rand.Rand, from, to time.Time) time.Time {
	switch rng.IntN(6) {
	case 0:
		m := from.AddDate(0, rng.IntN(monthsBetween(from, to)+1), 0)
		return time.Date(m.Year(), m.Month(), 1, 0, 0, 0, 0, scoring.Location)
	case 1:
		m := from.AddDate(0, rng.IntN(monthsBetween(from, to)+1), 0)
		return time.Date(m.Year(), m.Month(), 1, 0, 0, 0, 0, scoring.Location).Add(-time.Second)
	}
	span := to.Unix() - from.Unix()
	return time.Unix(from.Unix()+rng.Int64N(span), 0).In(scoring.Location)
}

func monthsBetween(a, b time.Time) int {
	return (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month())
}

func randomSet(rng *rand.Rand, n int) ([]testDossier, []testState) {
	units := []string{"BK.A", "BK.B", "BK.C"}
	procs := []string{"1.001", "1.002", "2.003", "2.004", "3.005"}
	from := time.Date(2023, 11, 1, 0, 0, 0, 0, scoring.Location)
	to := time.Date(2024, 8, 1, 0, 0, 0, 0, scoring.Location)
	pick := func(s []string) string { return s[rng.IntN(len(s))] }
	var ds []testDossier
	for i := 0; i < n; i++ {
		d := testDossier{code: fmt.Sprintf("D%05d", i), unit: pick(units), proc: pick(procs)}
		d.received = randomTime(rng, from, to)
		// Due: often on a boundary, sometimes equal to received.
		switch rng.IntN(4) {
		case 0:
			d.due = d.received
		default:
			d.due = randomTime(rng, d.received, d.received.AddDate(0, 2, 0))
			if d.due.Before(d.received) {
				d.due = d.received
			}
		}
		switch rng.IntN(5) {
		case 0:
			d.open = true
		case 1:
			d.finished = d.due // exactly on time
		case 2:
			d.finished = d.received
		default:
			d.finished = randomTime(rng, d.received, d.received.AddDate(0, 4, 0))
			if d.finished.Before(d.received) {
				d.finished = d.received
			}
		}
		d.channel = pick([]string{"online", "direct", "postal"})
		d.fee = rng.IntN(2) == 0
		d.paid = d.fee && rng.IntN(2) == 0
		d.eResult = pick([]string{"", "0", "1"})
		d.digitized, d.reused = rng.IntN(2) == 0, rng.IntN(2) == 0
		d.personal, d.citizen, d.sync = rng.IntN(2) == 0, rng.IntN(2) == 0, rng.IntN(2) == 0
		d.supplements = rng.IntN(4)
		d.rating = pick([]string{"", "satisfied", "dissatisfied"})
		ds = append(ds, d)
	}
	var states []testState
	for _, u := range units[:2] { // BK.C has dossiers but no catalogue
		for _, m := range []string{"2023-10", "2024-02", "2024-05"} {
			if rng.IntN(3) == 0 {
				continue
			}
			st := testState{unit: u, month: scoring.MustPeriod(m)}
			for _, p := range procs {
				if rng.IntN(4) == 0 {
					continue // withdrawn in this state
				}
				st.procs = append(st.procs, Procedure{Code: p, Name: "Thủ tục " + p,
					Online: OnlineLevel(rng.IntN(3)), HasFee: rng.IntN(2) == 0,
					IndividualApplicant: rng.IntN(2) == 0, CitizenDataConnected: rng.IntN(2) == 0})
			}
			states = append(states, st)
		}
	}
	return ds, states
}

func b01(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// csvOf writes the dossiers as a file, with times in assorted offsets.
func csvOf(ds []testDossier) []byte {
	var b bytes.Buffer
	b.WriteString(strings.Join(DossierColumns, ",") + "\n")
	zones := []*time.Location{scoring.Location, time.UTC, time.FixedZone("", -5*3600)}
	ts := func(t time.Time, i int) string {
		switch i % 3 {
		case 0:
			return t.In(scoring.Location).Format("2006-01-02T15:04:05") // no offset: Vietnam
		default:
			return t.In(zones[i%3]).Format(time.RFC3339)
		}
	}
	for i, d := range ds {
		fin := ""
		if !d.open {
			fin = ts(d.finished, i+1)
		}
		fmt.Fprintf(&b, "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%d,%s\n",
			d.code, d.unit, d.proc, ts(d.received, i), ts(d.due, i+2), fin, d.channel,
			b01(d.fee), b01(d.paid), d.eResult, b01(d.digitized), b01(d.reused), b01(d.personal),
			b01(d.citizen), b01(d.sync), d.supplements, d.rating)
	}
	return b.Bytes()
}

// reference computes the counts with the docs/import-files.md definitions, period
// by period, unit by unit, dossier by dossier.
func reference(ds []testDossier, states []testState) map[scoring.Key]scoring.Counts {
	out := map[scoring.Key]scoring.Counts{}
	monthOfT := func(t time.Time) scoring.Period {
		t = t.In(scoring.Location)
		return scoring.Period{Kind: scoring.Month, Year: t.Year(), N: int(t.Month())}
	}
	lo, hi := monthOfT(ds[0].received), monthOfT(ds[0].received)
	for _, d := range ds {
		for _, t := range []time.Time{d.received, d.finished} {
			if t.IsZero() {
				continue
			}
			m := monthOfT(t)
			if m.Start().Before(lo.Start()) {
				lo = m
			}
			if m.Start().After(hi.Start()) {
				hi = m
			}
		}
	}
	units := map[string]bool{}
	for _, d := range ds {
		units[d.unit] = true
	}
	for _, s := range states {
		units[s.unit] = true
	}
	for _, kind := range scoring.PeriodKinds {
		for p := scoring.Containing(lo, kind); !p.Start().After(hi.Start()); p = p.Next() {
			start, end := p.Start(), p.End()
			key := scoring.Key{Period: p.String()}
			for u := range units {
				key.Unit = u
				put := func(metric string, num, den int64) {
					key.Metric = metric
					out[key] = scoring.C(num, den)
				}
				var handled, onTime, satisfied, received, online, synced, fee, paid, eGiven, eOne, digit, reused, personal, citizen int64
				for _, d := range ds {
					if d.unit != u {
						continue
					}
					h, o, s := refJudge(d, start, end)
					handled += b2i(h)
					onTime += b2i(o)
					satisfied += b2i(s)
					if !d.received.Before(start) && d.received.Before(end) {
						received++
						if d.channel == "online" {
							online++
						}
						if d.sync {
							synced++
						}
						if d.fee {
							fee++
							if d.paid {
								paid++
							}
						}
						if d.eResult != "" {
							eGiven++
							if d.eResult == "1" {
								eOne++
							}
						}
						if d.digitized && d.eResult != "0" {
							digit++
						}
						if d.reused {
							reused++
						}
						if d.personal {
							personal++
						}
						if d.citizen {
							citizen++
						}
					}
				}
				if handled > 0 {
					put(MetricOnTime, onTime, handled)
					put(MetricSatisfaction, satisfied, handled)
					put(MetricOnlineSubmission, online, received)
					put(MetricSync, synced, received)
					put(MetricOnlinePayment, paid, fee)
					put(MetricOriginalResult, eOne, eGiven)
					put(MetricDigitized, digit, received)
					put(MetricReused, reused, received)
					put(MetricPersonalStore, personal, received)
					put(MetricCitizenData, citizen, received)
				}
				// The state in force at the period's end.
				var st *testState
				for i := range states {
					s := &states[i]
					if s.unit == u && s.month.Start().Before(end) && (st == nil || s.month.Start().After(st.month.Start())) {
						st = s
					}
				}
				if st == nil {
					continue
				}
				var total, onl, feeProcs, indiv, conn, used, paidProcs, enabled int64
				for _, pr := range st.procs {
					total++
					var anyOnline, anyPaid, anySyncedFee bool
					for _, d := range ds {
						if d.unit == u && d.proc == pr.Code && !d.received.Before(start) && d.received.Before(end) {
							anyOnline = anyOnline || d.channel == "online"
							anyPaid = anyPaid || d.paid
							anySyncedFee = anySyncedFee || (d.sync && d.fee)
						}
					}
					if pr.Online != OnlineNone {
						onl++
						if anyOnline {
							used++
						}
					}
					if pr.HasFee {
						feeProcs++
						if anyPaid {
							paidProcs++
						}
						if anySyncedFee {
							enabled++
						}
					}
					if pr.IndividualApplicant {
						indiv++
						if pr.CitizenDataConnected {
							conn++
						}
					}
				}
				put(MetricServiceProvision, onl, total)
				put(MetricServiceUsage, used, onl)
				put(MetricPaymentUsed, paidProcs, feeProcs)
				put(MetricPaymentEnabled, enabled, feeProcs)
				put(MetricCitizenDataFormality, conn, indiv)
			}
		}
	}
	return out
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// refJudge: handled = received_at < end and not finished before start;
// end-time = finished_at, or end if still open at the period's end;
// on time = end-time ≤ due_at and supplement_requests ≤ 1.
func refJudge(d testDossier, start, end time.Time) (handled, onTime, satisfied bool) {
	if !d.received.Before(end) || (!d.open && d.finished.Before(start)) {
		return false, false, false
	}
	endTime := end
	if !d.open && d.finished.Before(end) {
		endTime = d.finished
	}
	onTime = !endTime.After(d.due) && d.supplements <= 1
	return true, onTime, onTime && d.rating != "dissatisfied"
}

// TestJudge: the per-dossier rule the drill-down uses agrees with the
// reference for every dossier and period.
func TestJudge(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 3))
	ds, _ := randomSet(rng, 400)
	d := NewDeriver()
	r := NewDossierReader("d.csv", bytes.NewReader(csvOf(ds)), d.ReadOptions())
	var recs []Record
	for r.Next() {
		recs = append(recs, *r.Record())
	}
	if len(recs) != len(ds) {
		t.Fatalf("read %d of %d", len(recs), len(ds))
	}
	seen := [2]int{}
	for _, kind := range scoring.PeriodKinds {
		for p := scoring.Containing(scoring.MustPeriod("2023-10"), kind); p.Start().Year() < 2025; p = p.Next() {
			for i := range recs {
				h, o, s := Judge(&recs[i], p)
				wh, wo, ws := refJudge(ds[i], p.Start(), p.End())
				if h != wh || o != wo || s != ws {
					t.Fatalf("%s %s: Judge %v %v %v, want %v %v %v", ds[i].code, p, h, o, s, wh, wo, ws)
				}
				seen[b2i(o)]++
			}
		}
	}
	if seen[0] == 0 || seen[1] == 0 {
		t.Fatalf("on time / not on time: %v", seen)
	}
}

func catalogueOf(states []testState) *Catalogue {
	cat := NewCatalogue()
	for _, s := range states {
		cat.Set(State{Unit: s.unit, Month: s.month, Procedures: s.procs})
	}
	return cat
}

func diffCounts(t *testing.T, label string, got, want map[scoring.Key]scoring.Counts) {
	t.Helper()
	bad := 0
	for k, w := range want {
		if g, ok := got[k]; !ok || g != w {
			if bad < 10 {
				t.Errorf("%s: %v = %+v (present %v), want %+v", label, k, g, ok, w)
			}
			bad++
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			if bad < 10 {
				t.Errorf("%s: %v = %+v, want no counts", label, k, g)
			}
			bad++
		}
	}
	if bad > 0 {
		t.Fatalf("%s: %d differences (of %d reference counts)", label, bad, len(want))
	}
}

// TestDeriveMatchesReference: for random dossier sets (times crowded on
// month boundaries), the derived counts of every unit, metric and period
// equal the reference computation; the dossiers go through the CSV reader
// (times with and without offsets), so the pipe is tested whole.
func TestDeriveMatchesReference(t *testing.T) {
	for seed := uint64(1); seed <= 40; seed++ {
		rng := rand.New(rand.NewPCG(seed, 7))
		ds, states := randomSet(rng, 1+rng.IntN(300))
		want := reference(ds, states)

		d := NewDeriver()
		r := NewDossierReader("d.csv", bytes.NewReader(csvOf(ds)), d.ReadOptions())
		n, err := d.AddAll(r)
		if err != nil || r.ProblemCount() > 0 {
			t.Fatalf("seed %d: read: %v %v", seed, err, r.Problems())
		}
		if n != len(ds) {
			t.Fatalf("seed %d: read %d rows, want %d", seed, n, len(ds))
		}
		got := d.Counts(DeriveOptions{Catalogue: catalogueOf(states)})
		diffCounts(t, fmt.Sprintf("seed %d", seed), got, want)
	}
}

// TestDeriveRemove: adding extra dossiers and removing them again leaves
// exactly the counts of the original set (re-import support).
func TestDeriveRemove(t *testing.T) {
	rng := rand.New(rand.NewPCG(99, 1))
	ds, states := randomSet(rng, 400)
	keep, extra := ds[:250], ds[250:]
	cat := catalogueOf(states)

	recs := func(d *Deriver, list []testDossier) []Record {
		r := NewDossierReader("d.csv", bytes.NewReader(csvOf(list)), d.ReadOptions())
		var out []Record
		for r.Next() {
			out = append(out, *r.Record())
		}
		if r.ProblemCount() > 0 {
			t.Fatal(r.Problems())
		}
		return out
	}
	d := NewDeriver()
	for _, r := range recs(d, keep) {
		d.Add(&r)
	}
	// The range of the full set, so both derivations cover the same
	// periods: removing dossiers does not shrink a deriver's range.
	full := NewDeriver()
	for _, r := range recs(full, ds) {
		full.Add(&r)
	}
	from, to, _ := full.Range(nil)
	opts := DeriveOptions{Catalogue: cat, From: from, To: to}
	want := d.Counts(opts)

	ex := recs(d, extra)
	for i := range ex {
		d.Add(&ex[i])
	}
	if got := d.Counts(opts); len(got) == len(want) && fmt.Sprint(got) == fmt.Sprint(want) {
		t.Fatal("adding dossiers changed nothing: the test proves nothing")
	}
	for i := range ex {
		d.Remove(&ex[i])
	}
	diffCounts(t, "after remove", d.Counts(opts), want)
	if d.Len() != int64(len(keep)) {
		t.Fatalf("Len = %d, want %d", d.Len(), len(keep))
	}
}

// TestDerivePeriods: deriving chosen periods gives exactly those periods'
// counts of a full derivation.
func TestDerivePeriods(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	ds, states := randomSet(rng, 300)
	d := NewDeriver()
	r := NewDossierReader("d.csv", bytes.NewReader(csvOf(ds)), d.ReadOptions())
	if _, err := d.AddAll(r); err != nil {
		t.Fatal(err)
	}
	cat := catalogueOf(states)
	all := d.Counts(DeriveOptions{Catalogue: cat})
	chosen := []scoring.Period{scoring.MustPeriod("2024-02"), scoring.MustPeriod("2024-Q1"),
		scoring.MustPeriod("2024-H1"), scoring.MustPeriod("2024"), scoring.MustPeriod("2024-02")}
	got := d.Counts(DeriveOptions{Catalogue: cat, Periods: chosen})
	want := map[scoring.Key]scoring.Counts{}
	for k, c := range all {
		switch k.Period {
		case "2024-02", "2024-Q1", "2024-H1", "2024":
			want[k] = c
		}
	}
	if len(want) == 0 {
		t.Fatal("no counts in the chosen periods")
	}
	diffCounts(t, "periods", got, want)
}

// TestDeriveWorkedExample pins the boundary rules on hand-made dossiers.
func TestDeriveWorkedExample(t *testing.T) {
	csv := strings.Join(DossierColumns, ",") + "\n" +
		// Received 30 April, due 2 May, finished 3 May: handled in April
		// (open at April's end, due later: on time) and May (late).
		"A,U,P,2024-04-30T10:00:00+07:00,2024-05-02T17:00:00+07:00,2024-05-03T08:00:00+07:00,online,0,0,,1,0,0,0,1,0,dissatisfied\n" +
		// Finished exactly at 1 May 00:00 Vietnam time: handled in April
		// and in May (not finished before May's start), on time in both.
		"B,U,P,2024-04-10T10:00:00+07:00,2024-05-01T00:00:00+07:00,2024-04-30T17:00:00Z,direct,1,1,1,1,0,0,0,1,1,satisfied\n" +
		// Two supplement requests: never on time.
		"C,U,P,2024-04-11T10:00:00,2024-04-20T17:00:00,2024-04-12T10:00:00,postal,1,0,0,0,1,1,1,0,2,\n"
	d := NewDeriver()
	r := NewDossierReader("d.csv", strings.NewReader(csv), d.ReadOptions())
	if _, err := d.AddAll(r); err != nil || r.ProblemCount() > 0 {
		t.Fatal(err, r.Problems())
	}
	got := d.Counts(DeriveOptions{})
	check := func(period, metric string, num, den int64) {
		t.Helper()
		k := scoring.Key{Period: period, Unit: "U", Metric: metric}
		if c := got[k]; c != scoring.C(num, den) {
			t.Errorf("%s %s = %d/%d (valid %v), want %d/%d", period, metric, c.Num, c.Den, c.Valid, num, den)
		}
	}
	check("2024-04", MetricOnTime, 2, 3)       // A (open, due later), B
	check("2024-04", MetricSatisfaction, 1, 3) // A is dissatisfied
	check("2024-05", MetricOnTime, 1, 2)       // B finished at May's start; A late
	check("2024-Q2", MetricOnTime, 1, 3)       // each once: A late at its finish
	check("2024-04", MetricOnlineSubmission, 1, 3)
	check("2024-05", MetricOnlineSubmission, 0, 0) // handled but none received
	check("2024-04", MetricOnlinePayment, 1, 2)
	check("2024-04", MetricOriginalResult, 1, 2) // A gave no e_result
	check("2024-04", MetricDigitized, 2, 3)      // C not digitized
	check("2024-04", MetricSync, 2, 3)
	if _, ok := got[scoring.Key{Period: "2024-06", Unit: "U", Metric: MetricOnTime}]; ok {
		t.Error("June derived although the data ends in May")
	}
}
