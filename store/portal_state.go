package store

import (
	"encoding/binary"
	"errors"
	"fmt"

	"scorecard/scoring"
)

// A snapshot's state is one group of one unit as the portal published it
// at one moment (PortalFigures without unit and group), encoded compactly:
// a year of daily captures of a province is about 330 000 of them, and
// JSON would take five times the room. Every string (metric codes,
// figure names, data-quality flags and their messages) is a number from
// the portal_words table, so a state is a few dozen bytes of varints:
//
//	version (1)
//	presence bits (score, max, ratio), then those values (varint)
//	number of metrics, then each metric:
//	  code word, presence bits (num, den, score, max, ratio, quality,
//	  message), then those values
//	number of extras, then each: name word, value
//
// The format is versioned and only grows: snapshots are never rewritten.
const stateVersion = 1

const (
	bitScore = 1 << iota
	bitMax
	bitRatio
	bitNum
	bitDen
	bitQuality
	bitMessage
)

// words maps strings to their ids in portal_words and back.
type words struct {
	ids   map[string]int64
	text  map[int64]string
	fresh []string // new strings, to be inserted with the ids given
	next  int64
}

func newWords() *words { return &words{ids: map[string]int64{}, text: map[int64]string{}, next: 1} }

func (w *words) add(id int64, s string) {
	w.ids[s], w.text[id] = id, s
	if id >= w.next {
		w.next = id + 1
	}
}

// id is the id of s, a new one (to be stored) if s was never seen.
func (w *words) id(s string) int64 {
	if id, ok := w.ids[s]; ok {
		return id
	}
	id := w.next
	w.add(id, s)
	w.fresh = append(w.fresh, s)
	return id
}

type stateWriter struct{ b []byte }

func (w *stateWriter) uvarint(v uint64) { w.b = binary.AppendUvarint(w.b, v) }
func (w *stateWriter) varint(v int64)   { w.b = binary.AppendVarint(w.b, v) }

func presence(vals ...bool) byte {
	var b byte
	for i, v := range vals {
		if v {
			b |= 1 << i
		}
	}
	return b
}

// encodeState encodes a unit's group figures with the word ids of ws.
func encodeState(f *PortalFigures, ws *words) []byte {
	w := stateWriter{b: make([]byte, 0, 16+24*len(f.Metrics))}
	w.b = append(w.b, stateVersion)
	w.b = append(w.b, presence(f.Score != nil, f.Max != nil, f.Ratio != nil))
	for _, v := range []*scoring.Cents{f.Score, f.Max, f.Ratio} {
		if v != nil {
			w.varint(int64(*v))
		}
	}
	w.uvarint(uint64(len(f.Metrics)))
	for _, m := range f.Metrics {
		w.uvarint(uint64(ws.id(m.Code)))
		w.b = append(w.b, presence(m.Score != nil, m.Max != nil, m.Ratio != nil, m.Num != nil, m.Den != nil, m.Quality != "", m.QualityMessage != ""))
		for _, v := range []*scoring.Cents{m.Score, m.Max, m.Ratio} {
			if v != nil {
				w.varint(int64(*v))
			}
		}
		for _, v := range []*int64{m.Num, m.Den} {
			if v != nil {
				w.varint(*v)
			}
		}
		if m.Quality != "" {
			w.uvarint(uint64(ws.id(m.Quality)))
		}
		if m.QualityMessage != "" {
			w.uvarint(uint64(ws.id(m.QualityMessage)))
		}
	}
	w.uvarint(uint64(len(f.Extras)))
	for _, e := range f.Extras {
		w.uvarint(uint64(ws.id(e.Name)))
		w.varint(int64(e.Value))
	}
	return w.b
}

var errState = errors.New("store: corrupt portal snapshot state")

type stateReader struct {
	b   []byte
	err error
}

func (r *stateReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errState
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *stateReader) varint() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errState
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *stateReader) byte() byte {
	if r.err != nil || len(r.b) == 0 {
		r.err = errState
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *stateReader) cents(bits byte, bit byte) *scoring.Cents {
	if bits&bit == 0 {
		return nil
	}
	c := scoring.Cents(r.varint())
	return &c
}

func (r *stateReader) word(ws *words) string {
	id := int64(r.uvarint())
	s, ok := ws.text[id]
	if !ok && r.err == nil {
		r.err = fmt.Errorf("%w: unknown word %d", errState, id)
	}
	return s
}

// decodeState is the inverse of encodeState.
func decodeState(b []byte, ws *words) (PortalFigures, error) {
	r := stateReader{b: b}
	var f PortalFigures
	if v := r.byte(); r.err == nil && v != stateVersion {
		return f, fmt.Errorf("%w: version %d", errState, v)
	}
	bits := r.byte()
	f.Score, f.Max, f.Ratio = r.cents(bits, bitScore), r.cents(bits, bitMax), r.cents(bits, bitRatio)
	n := r.uvarint()
	if n > 1000 {
		return f, errState
	}
	f.Metrics = make([]PortalMetric, 0, n)
	for i := uint64(0); i < n && r.err == nil; i++ {
		var m PortalMetric
		m.Code = r.word(ws)
		mb := r.byte()
		m.Score, m.Max, m.Ratio = r.cents(mb, bitScore), r.cents(mb, bitMax), r.cents(mb, bitRatio)
		for _, p := range []struct {
			bit byte
			dst **int64
		}{{bitNum, &m.Num}, {bitDen, &m.Den}} {
			if mb&p.bit != 0 {
				v := r.varint()
				*p.dst = &v
			}
		}
		if mb&bitQuality != 0 {
			m.Quality = r.word(ws)
		}
		if mb&bitMessage != 0 {
			m.QualityMessage = r.word(ws)
		}
		f.Metrics = append(f.Metrics, m)
	}
	n = r.uvarint()
	if n > 1000 {
		return f, errState
	}
	for i := uint64(0); i < n && r.err == nil; i++ {
		name := r.word(ws)
		f.Extras = append(f.Extras, PortalExtra{Name: name, Value: scoring.Cents(r.varint())})
	}
	if r.err == nil && len(r.b) != 0 {
		r.err = errState
	}
	return f, r.err
}
