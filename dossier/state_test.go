package dossier

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"scorecard/scoring"
)

// TestEncodedStateAddsUp: a unit's counters, encoded and added to another
// deriver, derive the same counts; stored states plus a deriver of changes
// (old versions removed, new ones added) derive what the final set does;
// UnitMonths is the exact span of what is left.
func TestEncodedStateAddsUp(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		rng := rand.New(rand.NewPCG(seed, 3))
		ds, states := randomSet(rng, 50+rng.IntN(300))
		cat := catalogueOf(states)
		read := func(d *Deriver, list []testDossier) []Record {
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
		full := NewDeriver()
		for _, r := range read(full, ds) {
			full.Add(&r)
		}
		from, to, _ := full.Range(cat)
		opts := DeriveOptions{Catalogue: cat, From: from, To: to}
		want := full.Counts(opts)

		again := NewDeriver()
		for _, u := range full.Units.codes {
			if err := again.AddEncoded(u, full.EncodeUnit(u)); err != nil {
				t.Fatal(err)
			}
		}
		diffCounts(t, fmt.Sprintf("seed %d: decoded", seed), again.Counts(opts), want)

		// Stored: the first half. Changes: a third of it replaced by
		// other versions, and the second half added.
		half := len(ds) / 2
		stored := NewDeriver()
		for _, r := range read(stored, ds[:half]) {
			stored.Add(&r)
		}
		changed := append([]testDossier(nil), ds[:half/3]...)
		for i := range changed {
			other := ds[rng.IntN(len(ds))]
			other.code = changed[i].code
			changed[i] = other
		}
		final := append(append(append([]testDossier(nil), changed...), ds[half/3:half]...), ds[half:]...)
		delta := NewDeriver()
		for _, r := range read(delta, ds[:half/3]) {
			delta.Remove(&r)
		}
		for _, r := range read(delta, changed) {
			delta.Add(&r)
		}
		for _, r := range read(delta, ds[half:]) {
			delta.Add(&r)
		}
		for _, u := range stored.Units.codes {
			if err := delta.AddEncoded(u, stored.EncodeUnit(u)); err != nil {
				t.Fatal(err)
			}
		}
		ref := NewDeriver()
		for _, r := range read(ref, final) {
			ref.Add(&r)
		}
		from, to, _ = ref.Range(cat)
		opts = DeriveOptions{Catalogue: cat, From: from, To: to}
		diffCounts(t, fmt.Sprintf("seed %d: stored + changes", seed), delta.Counts(opts), ref.Counts(opts))

		// UnitMonths: the months of what is left, by the reference.
		for _, u := range ref.Units.codes {
			first, last, ok := delta.UnitMonths(u)
			var lo, hi int32
			seen := false
			for _, d := range final {
				if d.unit != u {
					continue
				}
				r := monthOf(d.received.Unix())
				e := r
				if !d.open {
					e = max(e, monthOf(d.finished.Unix()))
				}
				if !seen {
					lo, hi, seen = r, e, true
				}
				lo, hi = min(lo, r), max(hi, e)
			}
			if ok != seen || ok && (first != lo || last != hi) {
				t.Errorf("seed %d: %s months %s–%s (%v), want %s–%s (%v)", seed, u,
					periodOfMonth(first), periodOfMonth(last), ok, periodOfMonth(lo), periodOfMonth(hi), seen)
			}
		}
	}
}

// TestEncodedStateEmptyAndDamaged: a unit whose dossiers were all removed
// encodes to nothing; a damaged state is an error, never a panic.
func TestEncodedStateEmptyAndDamaged(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	ds, _ := randomSet(rng, 40)
	d := NewDeriver()
	r := NewDossierReader("d.csv", bytes.NewReader(csvOf(ds)), d.ReadOptions())
	var recs []Record
	for r.Next() {
		recs = append(recs, *r.Record())
	}
	for i := range recs {
		d.Add(&recs[i])
	}
	u := d.Units.Code(recs[0].Unit)
	b := d.EncodeUnit(u)
	if len(b) < 10 {
		t.Fatalf("state of %s: %d bytes", u, len(b))
	}
	for i := len(b) - 1; i >= 1; i-- {
		for _, cut := range [][]byte{b[:i], append(append([]byte(nil), b[:i]...), 0xFF, 0xFF, 0x01)} {
			err := NewDeriver().AddEncoded(u, cut)
			if err != nil && !errors.Is(err, errState) {
				t.Fatalf("cut at %d: %v", i, err)
			}
		}
	}
	if err := NewDeriver().AddEncoded(u, []byte{9}); !errors.Is(err, errState) {
		t.Errorf("unknown version: %v", err)
	}
	for i := range recs {
		d.Remove(&recs[i])
	}
	if b := d.EncodeUnit(u); b != nil {
		t.Errorf("state after removing everything: %d bytes", len(b))
	}
	if _, _, ok := d.UnitMonths(u); ok {
		t.Error("months of a unit without dossiers")
	}
	if d.EncodeUnit("nope") != nil {
		t.Error("state of an unknown unit")
	}
	_ = scoring.Month
}
