package dossier

import (
	"hash/maphash"
	"slices"
)

// codeSet finds the dossier codes given twice in one file.
//
// Measured on a million rows: a hash table probed per row costs a cache
// miss per row while the file streams through the cache (over a second,
// half the parse), and keeping the code bytes costs their memory (about
// 30 MB; on this kind of virtual machine first-touching memory alone costs
// about 4 ms per MB). So each code leaves only a 96-bit hash and its row
// (16 bytes) in an array written sequentially, and the duplicates are
// found once, at the end of the file, by sorting it in place. Two
// different codes share a 96-bit hash with probability about n²/2⁹⁷
// (10⁻¹⁷ for a million codes): far below any other cause of a wrong
// refusal, so equal hashes are taken as equal codes.
//
// Rows with a repeated code are therefore reported when the file ends, not
// when they are read; since a file with any problem is refused whole, that
// changes nothing for the caller.
type codeSet struct {
	seed1, seed2 maphash.Seed
	// parts splits the hashes by their top 8 bits as they arrive: 256
	// sequential write streams, and at the end 256 sorts of arrays small
	// enough for the cache (an in-place radix sort of the whole array
	// measured up to a second, its swaps missing the cache).
	parts [256][]codeHash
}

type codeHash struct {
	h   uint64
	h2  uint32
	row uint32
}

// newCodeSet reserves room for about expect codes (0: unknown).
func newCodeSet(expect int) *codeSet {
	s := &codeSet{seed1: maphash.MakeSeed(), seed2: maphash.MakeSeed()}
	per := max(expect/256*9/8, 16)
	for i := range s.parts {
		s.parts[i] = make([]codeHash, 0, per)
	}
	return s
}

// add records a code at row.
func (s *codeSet) add(code []byte, row int) {
	h := maphash.Bytes(s.seed1, code)
	p := &s.parts[h>>56]
	*p = append(*p, codeHash{h, uint32(maphash.Bytes(s.seed2, code)), uint32(row)})
}

func cmpCodeHash(a, b codeHash) int {
	switch {
	case a.h != b.h:
		if a.h < b.h {
			return -1
		}
		return 1
	case a.h2 != b.h2:
		if a.h2 < b.h2 {
			return -1
		}
		return 1
	}
	return int(a.row) - int(b.row)
}

// duplicates calls fn for every row whose code was given before, with the
// row of the first occurrence, in row order.
func (s *codeSet) duplicates(fn func(row, first int)) {
	type dup struct{ row, first int }
	var dups []dup
	for p, part := range s.parts {
		slices.SortFunc(part, cmpCodeHash)
		// Equal hashes are adjacent, by row: each repeats the first.
		for i := 0; i < len(part); {
			j := i + 1
			for j < len(part) && part[j].h == part[i].h && part[j].h2 == part[i].h2 {
				dups = append(dups, dup{int(part[j].row), int(part[i].row)})
				j++
			}
			i = j
		}
		s.parts[p] = nil
	}
	slices.SortFunc(dups, func(x, y dup) int { return x.row - y.row })
	for _, d := range dups {
		fn(d.row, d.first)
	}
}
