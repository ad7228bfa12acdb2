package bigline

import (
	"bytes"
	"testing"
)

func TestOf(t *testing.T) {
	for _, n := range []int{0, 1, 2, 3, 1000, 1 << 20} {
		want := append([]byte("a,"), bytes.Repeat([]byte("x"), n)...)
		want = append(want, '\n')
		if got := Of("a,", n); !bytes.Equal(got, want) {
			t.Errorf("Of(%q, %d): %d bytes, want %d", "a,", n, len(got), len(want))
		}
	}
}
