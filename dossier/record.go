package dossier

import "math"

// Open is the Finished time of a dossier that is still open. It is the
// largest instant, so "end-time = min(finished_at, period end)" needs no
// special case for open dossiers.
const Open int64 = math.MaxInt64

// Flags holds a dossier's 0/1 columns as a bitset.
type Flags uint16

// The flag bits. EResultGiven says the e_result cell was not empty; EResult
// is its value when given.
const (
	FeeRequired Flags = 1 << iota
	PaidOnline
	EResultGiven
	EResult
	Digitized
	ReusedData
	PersonalStore
	CitizenData
	Synced
)

// Has reports whether every bit of f2 is set in f.
func (f Flags) Has(f2 Flags) bool { return f&f2 == f2 }

// Channel is how a dossier was submitted.
type Channel uint8

// The channels of docs/import-files.md.
const (
	ChannelDirect Channel = iota
	ChannelOnline
	ChannelPostal
)

var channelNames = [...]string{"direct", "online", "postal"}

func (c Channel) String() string {
	if int(c) < len(channelNames) {
		return channelNames[c]
	}
	return "?"
}

// Rating is the applicant's rating of the dossier, if any.
type Rating uint8

// The ratings of docs/import-files.md; RatingNone is an empty cell.
const (
	RatingNone Rating = iota
	RatingSatisfied
	RatingDissatisfied
)

var ratingNames = [...]string{"", "satisfied", "dissatisfied"}

func (r Rating) String() string {
	if int(r) < len(ratingNames) {
		return ratingNames[r]
	}
	return "?"
}

// Record is one dossier, compact (40 bytes): codes are interned ids (see
// Codes), times are Unix seconds, the 0/1 columns a bitset. The dossier
// code is not part of it: derivation does not need it, and readers hand it
// out beside the record for whoever stores it.
type Record struct {
	Received, Due int64
	Finished      int64 // Open while the dossier is open
	Unit          int32 // id in the unit Codes
	Procedure     int32 // id in the procedure Codes
	Supplements   int32 // supplement_requests
	Flags         Flags
	Channel       Channel
	Rating        Rating
}

// Source is a stream of records: a file reader, or rows read back from a
// database. Record's result is valid until the next call to Next.
type Source interface {
	Next() bool
	Record() *Record
	Err() error
}

// Records is a Source over records in memory.
func Records(recs []Record) Source { return &sliceSource{recs: recs, i: -1} }

type sliceSource struct {
	recs []Record
	i    int
}

func (s *sliceSource) Next() bool {
	if s.i+1 >= len(s.recs) {
		return false
	}
	s.i++
	return true
}

func (s *sliceSource) Record() *Record { return &s.recs[s.i] }

func (s *sliceSource) Err() error { return nil }

// Codes interns codes as dense int32 ids, so records carry 4-byte ids and
// accumulators index slices instead of hashing strings. Ids start at 0 and
// never change. Not safe for concurrent use.
type Codes struct {
	ids   map[string]int32
	codes []string
}

// NewCodes returns an empty table.
func NewCodes() *Codes { return &Codes{ids: map[string]int32{}} }

// ID interns code and returns its id.
func (c *Codes) ID(code string) int32 {
	if id, ok := c.ids[code]; ok {
		return id
	}
	id := int32(len(c.codes))
	c.ids[code] = id
	c.codes = append(c.codes, code)
	return id
}

// idOf is ID for a byte slice; the map lookup with string(b) does not
// allocate, so a known code costs no garbage.
func (c *Codes) idOf(b []byte) int32 {
	if id, ok := c.ids[string(b)]; ok {
		return id
	}
	return c.ID(string(b))
}

// Lookup returns the id of code, if interned.
func (c *Codes) Lookup(code string) (int32, bool) {
	id, ok := c.ids[code]
	return id, ok
}

// Code returns the code of id ("" for an unknown id).
func (c *Codes) Code(id int32) string {
	if id < 0 || int(id) >= len(c.codes) {
		return ""
	}
	return c.codes[id]
}

// Len is the number of interned codes.
func (c *Codes) Len() int { return len(c.codes) }
