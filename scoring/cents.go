package scoring

import (
	"fmt"
	"math/big"
	"strings"
)

// Cents is a fixed-point number with two decimals (75,35 is Cents(7535)).
// Points, totals, maxima and ratios are all held this way: the portal shows
// every figure with two decimals, and integer arithmetic on hundredths keeps
// sums exact (a group score is the exact sum of rounded metric points).
type Cents int64

// Float returns the value as a float64, for JSON and charts only; never use
// it for further arithmetic.
func (c Cents) Float() float64 { return float64(c) / 100 }

// String gives the machine form with a dot: "75.35", "-1.20" (JSON, CSV,
// logs). The forms a person reads are package present's.
func (c Cents) String() string {
	v := int64(c)
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

// Share is part/of of c, rounded half up to a cent (a procedure's share of
// the points a metric lost, in proportion to its late dossiers); 0 when of
// or c is not positive.
func Share(c Cents, part, of int64) Cents {
	if of <= 0 || c <= 0 {
		return 0
	}
	return Cents((2*int64(c)*part + of) / (2 * of))
}

// MarshalJSON writes a JSON number with exactly two decimals (79.27, 100.00).
func (c Cents) MarshalJSON() ([]byte, error) { return []byte(c.String()), nil }

// ParseCents reads a decimal such as "18", "6.5" or "0.13" exactly. More than
// two decimals is an error: a scheme maximum or band limit must be shown as is.
func ParseCents(s string) (Cents, error) {
	r, ok := new(big.Rat).SetString(strings.TrimSpace(s))
	if !ok {
		return 0, fmt.Errorf("scoring: %q is not a number", s)
	}
	r.Mul(r, big.NewRat(100, 1))
	if !r.IsInt() {
		return 0, fmt.Errorf("scoring: %q has more than two decimals", s)
	}
	if !r.Num().IsInt64() {
		return 0, fmt.Errorf("scoring: %q is out of range", s)
	}
	return Cents(r.Num().Int64()), nil
}

// roundHalfUp rounds a non-negative rational to hundredths, half up, exactly.
func roundHalfUp(r *big.Rat) Cents {
	x := new(big.Rat).Mul(r, big.NewRat(100, 1))
	neg := x.Sign() < 0
	if neg {
		x.Neg(x)
	}
	x.Add(x, big.NewRat(1, 2))
	q := new(big.Int).Quo(x.Num(), x.Denom()) // floor for non-negative
	v := Cents(q.Int64())
	if neg {
		return -v
	}
	return v
}

// Ratio returns n ÷ d × 100 rounded half-up to two decimals, exactly; ok is
// false when d is 0.
func Ratio(n, d int64) (Cents, bool) {
	if d <= 0 {
		return 0, false
	}
	if n >= 0 && n < smallCount && d < smallCount {
		// n·10000 fits in int64: ⌊(2·n·10000 + d) ÷ 2d⌋ is exact half-up.
		return Cents((2*n*10000 + d) / (2 * d)), true
	}
	return roundHalfUp(new(big.Rat).SetFrac(big.NewInt(n*100), big.NewInt(d))), true
}
