package scorecache

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"sync"

	"scorecard/scoring"
)

// The kept form of a period's scores (store.SaveScores): what the engine
// resolved for every unit and metric (scoring.Resolution), not the points.
// Reading it back applies the scheme's arithmetic again (Engine.Restore),
// so the scores read equal the scores computed, and a form that does not
// fit the units or the scheme of the reader is refused, never misread.
//
//	"SC1" · scheme id · scheme fingerprint · metric count · metric codes (in
//	the scheme's order)
//	· unit count · per unit: code, then per metric: flags, [num, den],
//	[months, monthsOf]
//
// Strings are a uvarint length and bytes; numbers uvarints. The fingerprint
// is a hash of the whole scheme: a scheme file edited under the same id
// (another aggregation or level changes what a metric resolves to) makes
// the kept forms of the old one unreadable, so they are scored again.

const codecMagic = "SC1"

// The flags of one metric.
const (
	flagValid  = 1 << 0 // counts present (num, den follow)
	flagMonths = 1 << 1 // months, monthsOf follow
	// bits 2–3: the source; bits 4–5: the derivation.
	srcShift, howShift = 2, 4
)

var (
	sources     = []scoring.Source{scoring.SourceNone, scoring.SourceOwn, scoring.SourceDerived, scoring.SourceProvince}
	derivations = []scoring.Derivation{scoring.DerivedNone, scoring.DerivedDossier, scoring.DerivedMonths, scoring.DerivedPool}
)

func indexOf[T comparable](list []T, v T) int {
	for i, x := range list {
		if x == v {
			return i
		}
	}
	return -1
}

var errCodec = errors.New("scorecache: scores cannot be kept")

// encodeScores is ps's kept form; an error when a unit's scores do not
// follow the scheme (a source or derivation the form has no code for).
func encodeScores(e *scoring.Engine, ps *scoring.PeriodScores) ([]byte, error) {
	s := ps.Scheme
	if s == nil {
		return nil, errCodec
	}
	units := e.Units()
	b := make([]byte, 0, 64+len(units)*(16+len(s.Metrics)*6))
	b = append(b, codecMagic...)
	b = appendString(b, s.ID)
	b = appendString(b, fingerprint(s))
	codes := schemeOrder(s)
	b = binary.AppendUvarint(b, uint64(len(codes)))
	for _, c := range codes {
		b = appendString(b, c)
	}
	b = binary.AppendUvarint(b, uint64(len(units)))
	for _, u := range units {
		us := ps.Units[u.Code]
		if us == nil {
			return nil, errCodec
		}
		b = appendString(b, u.Code)
		n := 0
		for _, g := range us.Groups {
			for _, m := range g.Metrics {
				if n >= len(codes) || m.Metric.Code != codes[n] {
					return nil, errCodec
				}
				n++
				r := m.Resolution()
				src, how := indexOf(sources, r.Source), indexOf(derivations, r.Derived)
				if src < 0 || how < 0 || r.Counts.Num < 0 || r.Counts.Den < 0 || r.Months < 0 || r.MonthsOf < 0 {
					return nil, errCodec
				}
				flags := byte(src<<srcShift | how<<howShift)
				if r.Counts.Valid {
					flags |= flagValid
				}
				if r.Months != 0 || r.MonthsOf != 0 {
					flags |= flagMonths
				}
				b = append(b, flags)
				if r.Counts.Valid {
					b = binary.AppendUvarint(b, uint64(r.Counts.Num))
					b = binary.AppendUvarint(b, uint64(r.Counts.Den))
				}
				if flags&flagMonths != 0 {
					b = binary.AppendUvarint(b, uint64(r.Months))
					b = binary.AppendUvarint(b, uint64(r.MonthsOf))
				}
			}
		}
		if n != len(codes) {
			return nil, errCodec
		}
	}
	return b, nil
}

// decodeScores reads p's scores back over e's units; ok false when b is
// not a kept form of p's scheme over exactly these units.
func decodeScores(e *scoring.Engine, p scoring.Period, b []byte) (*scoring.PeriodScores, bool) {
	s := e.Schemes().For(p)
	r := reader{b: b}
	if string(r.bytes(len(codecMagic))) != codecMagic || r.str() != s.ID || r.str() != fingerprint(s) {
		return nil, false
	}
	codes := schemeOrder(s)
	if r.uint() != uint64(len(codes)) {
		return nil, false
	}
	for _, c := range codes {
		if r.str() != c {
			return nil, false
		}
	}
	units := e.Units()
	if r.uint() != uint64(len(units)) || r.bad {
		return nil, false
	}
	cur := ""
	ps, ok := e.Restore(p, func(u scoring.Unit, m *scoring.Metric) (scoring.Resolution, bool) {
		if u.Code != cur {
			if string(r.raw()) != u.Code { // compared without a copy
				return scoring.Resolution{}, false
			}
			cur = u.Code
		}
		flags := r.byte()
		src, how := int(flags>>srcShift&3), int(flags>>howShift&3)
		res := scoring.Resolution{Source: sources[src], Derived: derivations[how]}
		if flags&flagValid != 0 {
			res.Counts = scoring.Counts{Num: int64(r.uint()), Den: int64(r.uint()), Valid: true}
		}
		if flags&flagMonths != 0 {
			res.Months, res.MonthsOf = int(r.uint()), int(r.uint())
		}
		return res, !r.bad
	})
	if !ok || r.bad || len(r.b) != 0 {
		return nil, false
	}
	return ps, true
}

// decodeUnits reads the scores of the units with the codes back from p's
// kept form b (Engine.RestoreOne each), stepping over the other units'
// without scoring them: p's scores holding those units only. ok false as
// decodeScores, or when a code is not among the units.
func decodeUnits(e *scoring.Engine, p scoring.Period, b []byte, codes []string) (*scoring.PeriodScores, bool) {
	s := e.Schemes().For(p)
	r := reader{b: b}
	if len(codes) == 0 || string(r.bytes(len(codecMagic))) != codecMagic || r.str() != s.ID || r.str() != fingerprint(s) {
		return nil, false
	}
	metrics := schemeOrder(s)
	if r.uint() != uint64(len(metrics)) {
		return nil, false
	}
	for _, c := range metrics {
		if r.str() != c {
			return nil, false
		}
	}
	units := e.Units()
	if r.uint() != uint64(len(units)) || r.bad {
		return nil, false
	}
	found := make(map[string][]scoring.Resolution, len(codes))
	for _, c := range codes {
		found[c] = nil
	}
	for _, u := range units {
		if string(r.raw()) != u.Code {
			return nil, false
		}
		_, mine := found[u.Code]
		var list []scoring.Resolution
		for range metrics {
			flags := r.byte()
			res := scoring.Resolution{Source: sources[flags>>srcShift&3], Derived: derivations[flags>>howShift&3]}
			if flags&flagValid != 0 {
				res.Counts = scoring.Counts{Num: int64(r.uint()), Den: int64(r.uint()), Valid: true}
			}
			if flags&flagMonths != 0 {
				res.Months, res.MonthsOf = int(r.uint()), int(r.uint())
			}
			if mine {
				list = append(list, res)
			}
		}
		if r.bad {
			return nil, false
		}
		if mine {
			found[u.Code] = list
		}
	}
	if len(r.b) != 0 {
		return nil, false
	}
	var out *scoring.PeriodScores
	for _, code := range codes {
		list := found[code]
		if len(list) != len(metrics) {
			return nil, false
		}
		i := 0
		one, ok := e.RestoreOne(p, code, func(*scoring.Metric) (scoring.Resolution, bool) {
			if i >= len(list) {
				return scoring.Resolution{}, false
			}
			i++
			return list[i-1], true
		})
		if !ok {
			return nil, false
		}
		if out == nil {
			out = one
		} else {
			out.Units[code] = one.Units[code]
		}
	}
	return out, true
}

// fingerprints caches fingerprint per scheme (schemes are loaded once and
// never change).
var fingerprints sync.Map

// fingerprint is a hash of everything the scheme says (its JSON form).
func fingerprint(s *scoring.Scheme) string {
	if v, ok := fingerprints.Load(s); ok {
		return v.(string)
	}
	b, err := json.Marshal(s)
	if err != nil {
		b = []byte(s.ID) // cannot happen: a scheme is plain data
	}
	sum := sha256.Sum256(b)
	v := hex.EncodeToString(sum[:12])
	fingerprints.Store(s, v)
	return v
}

// schemeOrder is the scheme's metric codes in the order a unit's scores
// list them (group by group).
func schemeOrder(s *scoring.Scheme) []string {
	var out []string
	for _, g := range s.Groups {
		for _, m := range s.GroupMetrics(g.Code) {
			out = append(out, m.Code)
		}
	}
	return out
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// reader reads a kept form; bad says it ran short or held a number out of
// range, and every later read gives zero values.
type reader struct {
	b   []byte
	bad bool
}

func (r *reader) uint() uint64 {
	if r.bad {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 || v > 1<<62 {
		r.bad = true
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) bytes(n int) []byte {
	if r.bad || n < 0 || n > len(r.b) {
		r.bad = true
		return nil
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out
}

func (r *reader) byte() byte {
	b := r.bytes(1)
	if b == nil {
		return 0
	}
	return b[0]
}

func (r *reader) str() string { return string(r.raw()) }

// raw is a string's bytes, in b.
func (r *reader) raw() []byte {
	n := r.uint()
	if n > uint64(len(r.b)) {
		r.bad = true
		return nil
	}
	return r.bytes(int(n))
}
