package dossier

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
)

// A unit's counters can be kept between runs: the store keeps each unit's
// EncodeUnit and, on the next import, adds it back (AddEncoded) to a
// Deriver holding only the changes (the new versions of the changed
// dossiers added, their old versions removed). Accumulating is linear, so
// the sum is exactly the Deriver of every dossier, and the periods the
// import touches are derived without reading a single stored dossier.

// stateVersion is the first byte of an encoded state.
const stateVersion = 1

// EncodeUnit returns the counters of the unit, compactly (varints, zero
// months trimmed at both ends): a few kilobytes for a year of a busy
// office. It returns nil when the unit has no counters or only zeros (its
// dossiers were all removed).
func (d *Deriver) EncodeUnit(code string) []byte {
	id, ok := d.Units.Lookup(code)
	if !ok || int(id) >= len(d.units) || d.units[id] == nil {
		return nil
	}
	u := d.units[id]
	b := []byte{stateVersion}
	empty := true
	b, empty = appendSeries(b, &u.recv, empty)
	for k := range u.hand {
		b, empty = appendSeries(b, &u.hand[k], empty)
	}
	type proc struct {
		code string
		s    *series[[nProc]int32]
	}
	var procs []proc
	for pid, s := range u.procs {
		if _, lo, _ := trimmed(s); lo >= 0 {
			procs = append(procs, proc{d.Procedures.Code(pid), s})
		}
	}
	sort.Slice(procs, func(i, j int) bool { return procs[i].code < procs[j].code })
	b = binary.AppendUvarint(b, uint64(len(procs)))
	for _, p := range procs {
		b = binary.AppendUvarint(b, uint64(len(p.code)))
		b = append(b, p.code...)
		b, _ = appendSeries(b, p.s, true)
		empty = false
	}
	if empty {
		return nil
	}
	return b
}

// trimmed returns the values of s without the zero entries at either end:
// the series' values, and the first and last kept positions (lo < 0 when
// every entry is zero).
func trimmed[T counters](s *series[T]) ([]T, int, int) {
	var zero T
	lo, hi := -1, -1
	for i, v := range s.v {
		if v != zero {
			if lo < 0 {
				lo = i
			}
			hi = i
		}
	}
	return s.v, lo, hi
}

// counters are the entry types of the series: arrays of int32.
type counters interface {
	comparable
	~[nRecv]int32 | ~[nHand]int32
}

func appendSeries[T counters](b []byte, s *series[T], empty bool) ([]byte, bool) {
	v, lo, hi := trimmed(s)
	if lo < 0 {
		b = binary.AppendVarint(b, 0)
		return binary.AppendUvarint(b, 0), empty
	}
	b = binary.AppendVarint(b, int64(s.base)+int64(lo))
	b = binary.AppendUvarint(b, uint64(hi-lo+1))
	for i := lo; i <= hi; i++ {
		for _, x := range vals(&v[i]) {
			b = binary.AppendVarint(b, int64(x))
		}
	}
	return b, false
}

// vals is an entry's counters as a slice (Go cannot range over a type
// parameter whose arrays differ in length).
func vals[T counters](e *T) []int32 {
	switch p := any(e).(type) {
	case *[nRecv]int32:
		return p[:]
	case *[nHand]int32:
		return p[:]
	}
	return nil
}

// errState is a state that does not decode.
var errState = errors.New("dossier: damaged unit state")

// stateReader decodes an encoded state.
type stateReader struct {
	b   []byte
	err error
}

func (r *stateReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errState
		r.b = nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *stateReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errState
		r.b = nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

// readSeries adds an encoded series into s. Counts fit in int32 (a unit
// receives fewer than two billion dossiers a month); a month index fits
// in int32 by far.
func readSeries[T counters](r *stateReader, s *series[T]) {
	base := r.varint()
	n := r.uvarint()
	if r.err != nil {
		return
	}
	var zero T
	width := len(vals(&zero))
	if width == 0 {
		r.err = errState
		return
	}
	// Each entry takes at least one byte per value: a length beyond what
	// is left is damage, not a reason to allocate.
	if n > uint64(len(r.b)/width) || base < -1<<30 || base > 1<<30 {
		r.err = errState
		return
	}
	var e T
	ev := vals(&e)
	for i := int64(0); i < int64(n); i++ {
		for k := range ev {
			ev[k] = int32(r.varint())
		}
		if r.err != nil {
			return
		}
		c := vals(s.at(int32(base + i)))
		for k := range c {
			c[k] += ev[k]
		}
	}
}

// AddEncoded adds a state from EncodeUnit to the unit's counters: as if
// every dossier it came from were added again. A nil or empty state adds
// nothing.
func (d *Deriver) AddEncoded(code string, b []byte) error {
	if len(b) == 0 {
		return nil
	}
	if b[0] != stateVersion {
		return fmt.Errorf("%w: version %d", errState, b[0])
	}
	r := &stateReader{b: b[1:]}
	u := d.unit(d.Units.ID(code))
	readSeries(r, &u.recv)
	for k := range u.hand {
		readSeries(r, &u.hand[k])
	}
	n := r.uvarint()
	if r.err == nil && n > uint64(len(r.b)) {
		r.err = errState
	}
	for i := uint64(0); i < n && r.err == nil; i++ {
		l := r.uvarint()
		if r.err != nil || l > uint64(len(r.b)) {
			r.err = errState
			break
		}
		pid := d.Procedures.ID(string(r.b[:l]))
		r.b = r.b[l:]
		ps := u.procs[pid]
		if ps == nil {
			ps = &series[[nProc]int32]{}
			u.procs[pid] = ps
		}
		readSeries(r, ps)
	}
	if r.err == nil && len(r.b) != 0 {
		r.err = errState
	}
	if r.err != nil {
		return fmt.Errorf("%w of unit %s", r.err, code)
	}
	if lo, hi, ok := d.UnitMonths(code); ok {
		if !d.seen {
			d.lo, d.hi, d.seen = lo, hi, true
		}
		d.lo, d.hi = min(d.lo, lo), max(d.hi, hi)
		for _, v := range u.recv.v {
			d.n += int64(v[rReceived])
		}
	}
	return nil
}

// UnitMonths returns the months of the unit's dossiers, from its counters:
// the first month one was received in, and the last month one was
// received or finished in (month indexes, see MonthOf). It is exact after
// removals, unlike Range, which only widens.
func (d *Deriver) UnitMonths(code string) (first, last int32, ok bool) {
	id, known := d.Units.Lookup(code)
	if !known || int(id) >= len(d.units) || d.units[id] == nil {
		return 0, 0, false
	}
	u := d.units[id]
	for i, v := range u.recv.v {
		if v[rReceived] == 0 {
			continue
		}
		m := u.recv.base + int32(i)
		if !ok {
			first, last, ok = m, m, true
		}
		first, last = min(first, m), max(last, m)
	}
	if !ok {
		return 0, 0, false
	}
	// In the monthly difference array a dossier adds at its received
	// month and takes away the month after it finished. The last
	// non-zero entry is the month after the last one finished, unless a
	// later month received some, which is counted above.
	h := &u.hand[0]
	for i := len(h.v) - 1; i >= 0; i-- {
		if h.v[i][hHandled] != 0 {
			last = max(last, h.base+int32(i)-1)
			break
		}
	}
	return first, last, true
}
