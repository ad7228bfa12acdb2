package scoring

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// halfUpFloat rounds every double as big.Rat does: random scores, exact
// halves of a hundredth, random bit patterns (subnormals, huge values,
// negatives), and the values that are not numbers.
func TestHalfUpFloatIsExact(t *testing.T) {
	ref := func(x float64) Cents {
		r := new(big.Rat)
		if r.SetFloat64(x) == nil {
			return 0
		}
		return roundHalfUp(r)
	}
	check := func(x float64) {
		t.Helper()
		if got, want := halfUpFloat(x), ref(x); got != want {
			t.Fatalf("halfUpFloat(%v = %b) = %d, want %d", x, math.Float64bits(x), got, want)
		}
	}
	for _, x := range []float64{0, math.Copysign(0, -1), 4.695000000000000284, 0.005, 0.015, 0.125, 1.005, 99.995, 100,
		math.SmallestNonzeroFloat64, math.MaxFloat64, 1 << 52, 1<<53 + 2, -0.005, -2.675,
		math.NaN(), math.Inf(1), math.Inf(-1)} {
		check(x)
	}
	// 50 000 draws of each kind and every ratio below 200 dossiers; the
	// fast loop (-short) takes 5 000 draws and the ratios below 50, a
	// tenth of the big.Rat reference's CPU.
	draws, dossiers := 50_000, int64(200)
	if testing.Short() {
		draws, dossiers = 5_000, 50
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range draws {
		check(r.Float64() * 100)
		check(float64(r.IntN(100_000)) / 800) // halves of a hundredth and their neighbours
		check(math.Float64frombits(r.Uint64()))
	}
	// What the portal's payment metrics compute, for small counts.
	for d := int64(1); d < dossiers; d++ {
		for n := int64(0); n <= d; n++ {
			pct := math.Floor(float64(n)/float64(d)*10000+0.5) / 100
			for _, mx := range []float64{1, 1.5, 2, 3, 4, 6, 8} {
				check(mx * pct / 100)
				check(mx * math.Min(1, pct/80))
			}
		}
	}
}
