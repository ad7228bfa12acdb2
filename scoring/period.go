package scoring

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// PeriodKind is one of month, quarter, half, year (the API's names).
type PeriodKind string

// The period kinds, shortest first.
const (
	Month   PeriodKind = "month"
	Quarter PeriodKind = "quarter"
	Half    PeriodKind = "half"
	Year    PeriodKind = "year"
)

// PeriodKinds lists the kinds, shortest first.
var PeriodKinds = []PeriodKind{Month, Quarter, Half, Year}

// Valid reports whether k is a known period kind.
func (k PeriodKind) Valid() bool {
	switch k {
	case Month, Quarter, Half, Year:
		return true
	}
	return false
}

func (k PeriodKind) months() int {
	switch k {
	case Month:
		return 1
	case Quarter:
		return 3
	case Half:
		return 6
	}
	return 12
}

// Period is a month (N 1–12), quarter (N 1–4), half-year (N 1–2) or year
// (N 0). The zero Period is invalid.
type Period struct {
	Kind PeriodKind
	Year int
	N    int
}

// Location is Asia/Ho_Chi_Minh. Vietnam has had no daylight saving since
// 1975, so a fixed UTC+7 zone is exact for every period we score and does not
// depend on the host's tzdata (a distroless image may have none).
var Location = time.FixedZone("Asia/Ho_Chi_Minh", 7*60*60)

var periodRe = regexp.MustCompile(`^([0-9]{4})(?:-([0-9]{2})|-Q([1-4])|-H([12]))?$`)

// ParsePeriod reads "2024-04", "2024-Q2", "2024-H1" or "2024". It is strict
// and case-sensitive, as docs/import-files.md requires.
func ParsePeriod(s string) (Period, error) {
	m := periodRe.FindStringSubmatch(s)
	if m == nil {
		return Period{}, fmt.Errorf("scoring: period %q is not YYYY-MM, YYYY-Qn, YYYY-Hn or YYYY", s)
	}
	y, _ := strconv.Atoi(m[1])
	if y < 1900 || y > 2999 {
		return Period{}, fmt.Errorf("scoring: period %q: year out of range", s)
	}
	switch {
	case m[2] != "":
		n, _ := strconv.Atoi(m[2])
		if n < 1 || n > 12 {
			return Period{}, fmt.Errorf("scoring: period %q: month must be 01–12", s)
		}
		return Period{Month, y, n}, nil
	case m[3] != "":
		n, _ := strconv.Atoi(m[3])
		return Period{Quarter, y, n}, nil
	case m[4] != "":
		n, _ := strconv.Atoi(m[4])
		return Period{Half, y, n}, nil
	}
	return Period{Year, y, 0}, nil
}

// MustPeriod is ParsePeriod for literals in tests and demo code.
func MustPeriod(s string) Period {
	p, err := ParsePeriod(s)
	if err != nil {
		panic(err)
	}
	return p
}

// IsZero reports whether p is the zero value.
func (p Period) IsZero() bool { return p.Kind == "" }

// String gives the canonical form used in files, URLs and the API.
func (p Period) String() string {
	switch p.Kind {
	case Month:
		return fmt.Sprintf("%04d-%02d", p.Year, p.N)
	case Quarter:
		return fmt.Sprintf("%04d-Q%d", p.Year, p.N)
	case Half:
		return fmt.Sprintf("%04d-H%d", p.Year, p.N)
	case Year:
		return fmt.Sprintf("%04d", p.Year)
	}
	return ""
}

// firstMonth is the 1-based month the period starts in.
func (p Period) firstMonth() int {
	switch p.Kind {
	case Month:
		return p.N
	case Quarter:
		return (p.N-1)*3 + 1
	case Half:
		return (p.N-1)*6 + 1
	}
	return 1
}

// Start is the first instant of the period in Vietnam time.
func (p Period) Start() time.Time {
	return time.Date(p.Year, time.Month(p.firstMonth()), 1, 0, 0, 0, 0, Location)
}

// End is the first instant after the period (periods are half-open).
func (p Period) End() time.Time {
	return p.Start().AddDate(0, p.Kind.months(), 0)
}

// Months lists the months of the period in order.
func (p Period) Months() []Period {
	first := p.firstMonth()
	out := make([]Period, 0, p.Kind.months())
	for i := 0; i < p.Kind.months(); i++ {
		out = append(out, Period{Month, p.Year, first + i})
	}
	return out
}

// Prev is the previous period of the same kind.
func (p Period) Prev() Period { return p.shift(-1) }

// Next is the following period of the same kind.
func (p Period) Next() Period { return p.shift(1) }

func (p Period) shift(by int) Period {
	per := 12 / p.Kind.months()
	if p.Kind == Year {
		return Period{Year, p.Year + by, 0}
	}
	idx := p.Year*per + (p.N - 1) + by
	return Period{p.Kind, idx / per, idx%per + 1}
}

// Containing returns the period of kind k that contains month m.
func Containing(m Period, k PeriodKind) Period {
	month := m.firstMonth()
	switch k {
	case Month:
		return Period{Month, m.Year, month}
	case Quarter:
		return Period{Quarter, m.Year, (month-1)/3 + 1}
	case Half:
		return Period{Half, m.Year, (month-1)/6 + 1}
	}
	return Period{Year, m.Year, 0}
}

// Contains reports whether month m lies within p.
func (p Period) Contains(m Period) bool {
	return !m.Start().Before(p.Start()) && m.Start().Before(p.End())
}
