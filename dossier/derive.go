package dossier

import (
	"sort"

	"scorecard/scoring"
)

// The metrics derived from dossiers and from the procedure catalogue
// (docs/import-files.md, the derivation table).
const (
	MetricOnTime               = "ON_TIME_PROCESSING"
	MetricSatisfaction         = "DOSSIER_RECEIVING_SATISFACTION"
	MetricOnlineSubmission     = "ONLINE_SUBMISSION"
	MetricSync                 = "DOSSIER_SYNC"
	MetricOnlinePayment        = "ONLINE_PAYMENT_DOSSIERS"
	MetricOriginalResult       = "ORIGINAL_RESULT_AVAILABLE"
	MetricDigitized            = "SO_HOA_GIAY_TO_GIAI_QUYET"
	MetricReused               = "REUSED_DIGITIZED_DATA"
	MetricPersonalStore        = "SYNCED_WITH_DVCQG_PERSONAL_STORAGE"
	MetricCitizenData          = "CITIZEN_DATA_CONNECTED_DOSSIER"
	MetricServiceUsage         = "ONLINE_SERVICE_USAGE"
	MetricPaymentUsed          = "PAYMENT_FORMALITY_USED"
	MetricServiceProvision     = "ONLINE_SERVICE_PROVISION"
	MetricPaymentEnabled       = "PAYMENT_FORMALITY_ENABLED"
	MetricCitizenDataFormality = "CITIZEN_DATA_CONNECTED_FORMALITY"
)

// DossierMetrics are derived from dossier records alone; CatalogueMetrics
// need the procedure catalogue (and, for three of them, the dossiers).
var (
	DossierMetrics = []string{MetricOnTime, MetricSatisfaction, MetricOnlineSubmission, MetricSync, MetricOnlinePayment,
		MetricOriginalResult, MetricDigitized, MetricReused, MetricPersonalStore, MetricCitizenData}
	CatalogueMetrics = []string{MetricServiceUsage, MetricPaymentUsed, MetricServiceProvision, MetricPaymentEnabled,
		MetricCitizenDataFormality}
)

// Per (unit, month of receipt) counters. Everything counted over
// "received" dossiers is additive: a dossier is received in exactly one
// month, so a quarter's count is the sum of its months' counts.
const (
	rReceived  = iota
	rOnline    // channel = online
	rSynced    // synced
	rFee       // fee_required
	rFeePaid   // fee_required and paid_online
	rEGiven    // e_result given
	rEOne      // e_result = 1
	rDigitized // digitized and e_result ≠ 0
	rReused
	rPersonal
	rCitizen
	nRecv
)

// Per (unit, procedure, month of receipt): whether any dossier counts
// towards the catalogue usage metrics.
const (
	pOnline    = iota // an online dossier
	pPaid             // a dossier paid online
	pSyncedFee        // a synced dossier with fee_required
	nProc
)

// Handled counters, per period of each kind.
const (
	hHandled = iota
	hOnTime
	hSatisfied // on time and rating ≠ dissatisfied
	nHand
)

// kindLen is the length in months of scoring.PeriodKinds, in that order.
var kindLen = [4]int32{1, 3, 6, 12}

// series is a slice indexed by a month or period index that grows at
// either end as indexes arrive, so no date range need be known before the
// first record (a file is read once, in any order).
type series[T any] struct {
	base int32
	v    []T
}

// at returns the cell of index i, growing the series to hold it. The
// pointer is valid until the next call to at.
func (s *series[T]) at(i int32) *T {
	if j := int64(i) - int64(s.base); j >= 0 && j < int64(len(s.v)) {
		return &s.v[j]
	}
	s.grow(i)
	return &s.v[i-s.base]
}

// get returns the cell of index i, zero outside the series.
func (s *series[T]) get(i int32) T {
	if j := int64(i) - int64(s.base); j >= 0 && j < int64(len(s.v)) {
		return s.v[j]
	}
	var zero T
	return zero
}

func (s *series[T]) grow(i int32) {
	if len(s.v) == 0 {
		s.base, s.v = i-2, make([]T, 8)
		return
	}
	lo, hi := s.base, s.base+int32(len(s.v))
	n := int32(len(s.v)) // double, so growth is amortised
	newLo, newHi := lo, hi
	if i < lo {
		newLo = min(i, lo-n)
	} else {
		newHi = max(i+1, hi+n)
	}
	v := make([]T, newHi-newLo)
	copy(v[lo-newLo:], s.v)
	s.base, s.v = newLo, v
}

type unitAcc struct {
	recv  series[[nRecv]int32]
	hand  [4]series[[nHand]int32] // difference arrays over period indexes
	procs map[int32]*series[[nProc]int32]
}

// Deriver accumulates dossiers into per-unit counters in one pass and
// derives every dossier- and catalogue-based metric of docs/import-files.md for any
// month, quarter, half-year and year, each over its whole date range.
//
// # The table, and how it is read
//
// Periods are half-open, [start, end), in Vietnam time (scoring.md §4);
// docs/import-files.md writes [start, end] with end the period's last instant, and
// "received_at ≤ end" there is received_at < end here. So, for a period:
//
//   - received: start ≤ received_at < end.
//   - handled: received_at < end, and finished_at empty or ≥ start (a
//     dossier finished exactly at start was not "finished before start").
//   - end-time: finished_at when finished_at < end; otherwise the dossier
//     was still open at the period's end and its end-time is end. Both are
//     min(finished_at, end), an open dossier's finished_at being +∞.
//   - on time: end-time ≤ due_at and supplement_requests ≤ 1. A dossier
//     open at the end of a month whose due time is later counts as on
//     time in that month and is judged again in the month it finishes.
//   - satisfied: on time and rating ≠ dissatisfied.
//   - ONLINE_PAYMENT_DOSSIERS: of the received dossiers with fee_required,
//     those paid online (readers refuse paid_online without fee_required,
//     so the numerator never leaves the denominator).
//   - ORIGINAL_RESULT_AVAILABLE: of the received dossiers whose e_result is
//     given (0 or 1), those with 1. SO_HOA_GIAY_TO_GIAI_QUYET: of all
//     received, those digitized with e_result 1 or empty.
//   - catalogue metrics use the unit's state in force at the period's end
//     (the latest state of a month ≤ the period's last month); the usage
//     ones count the procedures of that state with at least one qualifying
//     dossier of the same unit and procedure received in the period.
//
// A quarter, half-year or year is computed over its whole range, each
// dossier once, never by adding months: a dossier handled in three months
// is one handled dossier of the quarter, on time or not by the quarter's
// end-time.
//
// # How it is computed
//
// A dossier is handled in exactly the periods of a kind whose months meet
// [received month, finished month] (open: to infinity), and in the periods
// before the last of them it was open at the period's end, so it is on time
// there while the period ends no later than due_at: a prefix of them. Its
// contribution to each kind is therefore one or two index ranges, added in
// O(1) to a difference array per unit and kind; one prefix sum at the end
// gives every period. Received counts are kept per month and summed.
// Accumulating is linear, so Remove undoes Add (a re-imported dossier: the
// old version out, the new one in) and only the affected periods need
// deriving again.
//
// # What is emitted
//
// For a unit and a period: the ten dossier metrics when the unit handled at
// least one dossier in the period (denominators may then be 0, e.g. no
// dossier with a fee: "derived, 0 of 0", not "no data"); the five
// catalogue metrics when a catalogue state of the unit is in force at the
// period's end. Counts are the unit's own: a province's pool is the
// engine's business (scoring.md §4).
type Deriver struct {
	// Units and Procedures are the code tables record ids refer to.
	Units, Procedures *Codes

	units  []*unitAcc // by unit id
	lo, hi int32      // months seen (received, finished)
	seen   bool
	n      int64
}

// NewDeriver returns an empty deriver with fresh code tables.
func NewDeriver() *Deriver { return &Deriver{Units: NewCodes(), Procedures: NewCodes()} }

// ReadOptions returns options that intern into the deriver's tables.
func (d *Deriver) ReadOptions() ReadOptions {
	return ReadOptions{Units: d.Units, Procedures: d.Procedures}
}

// Len is the number of dossiers added less those removed.
func (d *Deriver) Len() int64 { return d.n }

// Add counts a dossier. The record is not kept.
func (d *Deriver) Add(r *Record) { d.add(r, 1) }

// Remove undoes Add of the same record.
func (d *Deriver) Remove(r *Record) { d.add(r, -1) }

// AddAll adds every record of src.
func (d *Deriver) AddAll(src Source) (int, error) {
	n := 0
	for src.Next() {
		d.add(src.Record(), 1)
		n++
	}
	return n, src.Err()
}

func (d *Deriver) unit(id int32) *unitAcc {
	if int(id) >= len(d.units) {
		d.units = append(d.units, make([]*unitAcc, int(id)+1-len(d.units))...)
	}
	u := d.units[id]
	if u == nil {
		u = &unitAcc{procs: map[int32]*series[[nProc]int32]{}}
		d.units[id] = u
	}
	return u
}

func divFloor(a, b int32) int32 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func (d *Deriver) add(r *Record, w int32) {
	if r.Unit < 0 || r.Procedure < 0 {
		return // an id the reader refused; never from a valid row
	}
	d.n += int64(w)
	u := d.unit(r.Unit)
	mr := monthOf(r.Received)
	f := r.Flags
	c := u.recv.at(mr)
	c[rReceived] += w
	if r.Channel == ChannelOnline {
		c[rOnline] += w
	}
	if f&Synced != 0 {
		c[rSynced] += w
	}
	if f&FeeRequired != 0 {
		c[rFee] += w
		if f&PaidOnline != 0 {
			c[rFeePaid] += w
		}
	}
	if f&EResultGiven != 0 {
		c[rEGiven] += w
		if f&EResult != 0 {
			c[rEOne] += w
		}
	}
	if f&Digitized != 0 && f&(EResultGiven|EResult) != EResultGiven {
		c[rDigitized] += w
	}
	if f&ReusedData != 0 {
		c[rReused] += w
	}
	if f&PersonalStore != 0 {
		c[rPersonal] += w
	}
	if f&CitizenData != 0 {
		c[rCitizen] += w
	}

	online := r.Channel == ChannelOnline
	paid := f&(FeeRequired|PaidOnline) == FeeRequired|PaidOnline
	syncedFee := f&(Synced|FeeRequired) == Synced|FeeRequired
	if online || paid || syncedFee {
		ps := u.procs[r.Procedure]
		if ps == nil {
			ps = &series[[nProc]int32]{}
			u.procs[r.Procedure] = ps
		}
		pc := ps.at(mr)
		if online {
			pc[pOnline] += w
		}
		if paid {
			pc[pPaid] += w
		}
		if syncedFee {
			pc[pSyncedFee] += w
		}
	}

	open := r.Finished == Open
	var mf int32
	if !open {
		mf = monthOf(r.Finished)
	}
	md := monthOf(r.Due)
	supOK := r.Supplements <= 1
	finalOnTime := supOK && !open && r.Finished <= r.Due
	sat := r.Rating != RatingDissatisfied
	for k, L := range kindLen {
		s := &u.hand[k]
		pr := divFloor(mr, L)
		pf := int32(0)
		s.at(pr)[hHandled] += w
		if !open {
			pf = divFloor(mf, L)
			s.at(pf + 1)[hHandled] -= w
		}
		if !supOK {
			continue
		}
		// Open at the end of period p (p < pf) and on time there iff
		// p's end ≤ due_at, i.e. p's last month < due's month, i.e.
		// p < due's period index: the range [pr, e].
		e := divFloor(md, L) - 1
		if !open && pf-1 < e {
			e = pf - 1
		}
		if e >= pr {
			x := s.at(pr)
			x[hOnTime] += w
			if sat {
				x[hSatisfied] += w
			}
			y := s.at(e + 1)
			y[hOnTime] -= w
			if sat {
				y[hSatisfied] -= w
			}
		}
		if finalOnTime {
			x := s.at(pf)
			x[hOnTime] += w
			if sat {
				x[hSatisfied] += w
			}
			y := s.at(pf + 1)
			y[hOnTime] -= w
			if sat {
				y[hSatisfied] -= w
			}
		}
	}

	if !d.seen {
		d.lo, d.hi, d.seen = mr, mr, true
	}
	d.lo = min(d.lo, mr)
	d.hi = max(d.hi, mr)
	if !open {
		d.hi = max(d.hi, mf)
	}
}

// Judge applies the rules of the handled dossiers to one dossier and one
// period (see Deriver): whether it was handled in the period, on time,
// and on time and not rated dissatisfied. The drill-down lists of late
// and unsatisfied dossiers use it, so they cannot disagree with the
// counts.
func Judge(r *Record, p scoring.Period) (handled, onTime, satisfied bool) {
	start, end := p.Start().Unix(), p.End().Unix()
	if r.Received >= end || r.Finished < start {
		return false, false, false
	}
	endTime := min(r.Finished, end)
	onTime = endTime <= r.Due && r.Supplements <= 1
	return true, onTime, onTime && r.Rating != RatingDissatisfied
}

// DeriveOptions chooses what Derive emits.
type DeriveOptions struct {
	// Catalogue gives the catalogue metrics; nil derives the dossier
	// metrics only.
	Catalogue *Catalogue
	// From and To (months) bound the periods derived: every month,
	// quarter, half-year and year that meets [From, To]. Zero values take
	// the data's range: from the first month a dossier was received to
	// the last month one was received or finished, or the catalogue's
	// months when there are no dossiers. An open dossier is handled up to
	// To.
	From, To scoring.Period
	// Periods, when not nil, are the only periods derived (any kinds),
	// e.g. a re-imported month and the quarter, half-year and year
	// containing it. From and To are then ignored.
	Periods []scoring.Period
}

// Range returns the months of the data: see DeriveOptions.From.
func (d *Deriver) Range(cat *Catalogue) (from, to scoring.Period, ok bool) {
	if d.seen {
		return periodOfMonth(d.lo), periodOfMonth(d.hi), true
	}
	if cat != nil {
		if lo, hi, ok := cat.months(); ok {
			return periodOfMonth(lo), periodOfMonth(hi), true
		}
	}
	return scoring.Period{}, scoring.Period{}, false
}

// Counts derives into a map, the engine's Dataset.Dossier.
func (d *Deriver) Counts(opts DeriveOptions) map[scoring.Key]scoring.Counts {
	out := map[scoring.Key]scoring.Counts{}
	d.Derive(opts, func(k scoring.Key, c scoring.Counts) { out[k] = c })
	return out
}

// Derive calls emit for every derived count, in order of period kind,
// period and unit code.
func (d *Deriver) Derive(opts DeriveOptions, emit func(scoring.Key, scoring.Counts)) {
	var periods [4][]int32 // period indexes per kind
	if opts.Periods != nil {
		for _, p := range opts.Periods {
			k := kindIndex(p.Kind)
			if k < 0 {
				continue
			}
			periods[k] = append(periods[k], divFloor(monthIndex(p.Months()[0]), kindLen[k]))
		}
		for k := range periods {
			sort.Slice(periods[k], func(i, j int) bool { return periods[k][i] < periods[k][j] })
			periods[k] = dedup(periods[k])
		}
	} else {
		from, to := opts.From, opts.To
		if from.IsZero() || to.IsZero() {
			f, t, ok := d.Range(opts.Catalogue)
			if !ok {
				return
			}
			if from.IsZero() {
				from = f
			}
			if to.IsZero() {
				to = t
			}
		}
		lo, hi := monthIndex(from.Months()[0]), monthIndex(to.Months()[len(to.Months())-1])
		for k, L := range kindLen {
			for p := divFloor(lo, L); p <= divFloor(hi, L); p++ {
				periods[k] = append(periods[k], p)
			}
		}
	}

	// Units in code order: those with dossiers and those with a catalogue.
	type unitRef struct {
		code string
		acc  *unitAcc
	}
	byCode := map[string]*unitAcc{}
	for id, u := range d.units {
		if u != nil {
			byCode[d.Units.Code(int32(id))] = u
		}
	}
	if opts.Catalogue != nil {
		for code := range opts.Catalogue.units {
			if _, ok := byCode[code]; !ok {
				byCode[code] = nil
			}
		}
	}
	units := make([]unitRef, 0, len(byCode))
	for code, acc := range byCode {
		units = append(units, unitRef{code, acc})
	}
	sort.Slice(units, func(i, j int) bool { return units[i].code < units[j].code })

	cums := make([][][nHand]int64, len(units))
	for k, L := range kindLen {
		if len(periods[k]) == 0 {
			continue
		}
		for i, u := range units {
			if u.acc != nil {
				cums[i] = handledPrefix(&u.acc.hand[k], cums[i])
			}
		}
		for _, p := range periods[k] {
			per := periodOfIndex(k, p)
			key := scoring.Key{Period: per.String()}
			first, last := p*L, p*L+L-1
			for i, u := range units {
				key.Unit = u.code
				if u.acc != nil {
					h := handledAt(&u.acc.hand[k], cums[i], p)
					if h[hHandled] > 0 {
						var rc [nRecv]int64
						for m := first; m <= last; m++ {
							v := u.acc.recv.get(m)
							for i := range rc {
								rc[i] += int64(v[i])
							}
						}
						emitDossier(emit, key, h, rc)
					}
				}
				if opts.Catalogue != nil {
					if st := opts.Catalogue.stateAt(u.code, last); st != nil {
						d.emitCatalogue(emit, key, st, u.acc, first, last)
					}
				}
			}
		}
	}
}

// handledPrefix computes the running sums of a kind's difference array
// into buf (reused across calls).
func handledPrefix(s *series[[nHand]int32], buf [][nHand]int64) [][nHand]int64 {
	buf = buf[:0]
	var run [nHand]int64
	for _, v := range s.v {
		for i := range run {
			run[i] += int64(v[i])
		}
		buf = append(buf, run)
	}
	return buf
}

// handledAt reads the running sums at period index p: zero before the
// series, the last sum after it (open dossiers stay handled).
func handledAt(s *series[[nHand]int32], cum [][nHand]int64, p int32) [nHand]int64 {
	j := int64(p) - int64(s.base)
	switch {
	case len(cum) == 0 || j < 0:
		return [nHand]int64{}
	case j >= int64(len(cum)):
		return cum[len(cum)-1]
	}
	return cum[j]
}

func emitDossier(emit func(scoring.Key, scoring.Counts), key scoring.Key, h [nHand]int64, rc [nRecv]int64) {
	put := func(metric string, num, den int64) {
		key.Metric = metric
		emit(key, scoring.C(num, den))
	}
	put(MetricCitizenData, rc[rCitizen], rc[rReceived])
	put(MetricSync, rc[rSynced], rc[rReceived])
	put(MetricSatisfaction, h[hSatisfied], h[hHandled])
	put(MetricOnTime, h[hOnTime], h[hHandled])
	put(MetricOnlinePayment, rc[rFeePaid], rc[rFee])
	put(MetricOnlineSubmission, rc[rOnline], rc[rReceived])
	put(MetricOriginalResult, rc[rEOne], rc[rEGiven])
	put(MetricReused, rc[rReused], rc[rReceived])
	put(MetricDigitized, rc[rDigitized], rc[rReceived])
	put(MetricPersonalStore, rc[rPersonal], rc[rReceived])
}

func (d *Deriver) emitCatalogue(emit func(scoring.Key, scoring.Counts), key scoring.Key, st *State, acc *unitAcc, first, last int32) {
	var total, online, fee, individual, connected, used, paid, enabled int64
	for i := range st.Procedures {
		p := &st.Procedures[i]
		total++
		if p.IndividualApplicant {
			individual++
			if p.CitizenDataConnected {
				connected++
			}
		}
		var any [nProc]bool
		if acc != nil {
			if id, ok := d.Procedures.Lookup(p.Code); ok {
				if s := acc.procs[id]; s != nil {
					for m := first; m <= last; m++ {
						v := s.get(m)
						for j := range any {
							any[j] = any[j] || v[j] > 0
						}
					}
				}
			}
		}
		if p.Online != OnlineNone {
			online++
			if any[pOnline] {
				used++
			}
		}
		if p.HasFee {
			fee++
			if any[pPaid] {
				paid++
			}
			if any[pSyncedFee] {
				enabled++
			}
		}
	}
	put := func(metric string, num, den int64) {
		key.Metric = metric
		emit(key, scoring.C(num, den))
	}
	put(MetricCitizenDataFormality, connected, individual)
	put(MetricServiceProvision, online, total)
	put(MetricServiceUsage, used, online)
	put(MetricPaymentEnabled, enabled, fee)
	put(MetricPaymentUsed, paid, fee)
}

func kindIndex(k scoring.PeriodKind) int {
	for i, pk := range scoring.PeriodKinds {
		if pk == k {
			return i
		}
	}
	return -1
}

// periodOfIndex is the period of kind index k with period index p.
func periodOfIndex(k int, p int32) scoring.Period {
	first := periodOfMonth(p * kindLen[k])
	return scoring.Containing(first, scoring.PeriodKinds[k])
}

func dedup(s []int32) []int32 {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}
