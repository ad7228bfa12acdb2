package scoring

import (
	"fmt"
	"math/big"
	"strconv"
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

// String gives the machine form with a dot: "75.35", "-1.20".
func (c Cents) String() string { return c.format('.', "") }

// VI gives the vi-VN form: "75,35", "1.234,50".
func (c Cents) VI() string { return c.format(',', ".") }

func (c Cents) format(dec byte, thousands string) string {
	neg := c < 0
	v := int64(c)
	if neg {
		v = -v
	}
	whole := strconv.FormatInt(v/100, 10)
	if thousands != "" && len(whole) > 3 {
		var b strings.Builder
		pre := len(whole) % 3
		if pre > 0 {
			b.WriteString(whole[:pre])
		}
		for i := pre; i < len(whole); i += 3 {
			if b.Len() > 0 {
				b.WriteString(thousands)
			}
			b.WriteString(whole[i : i+3])
		}
		whole = b.String()
	}
	s := fmt.Sprintf("%s%c%02d", whole, dec, v%100)
	if neg {
		return "-" + s
	}
	return s
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
