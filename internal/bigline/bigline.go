// Package bigline makes the very long lines the readers' hostile-input
// tests feed them (a 50 MB cell, a line with no end), cheaply.
package bigline

// Of is prefix followed by n bytes of "x" and a line end, made in one
// buffer by doubling: built as strings and converted, 50 MB are copied
// three times, and a copy that large holds up the collector's stop of the
// goroutine, which spins meanwhile (most of a test's CPU).
func Of(prefix string, n int) []byte {
	b := make([]byte, len(prefix)+n+1)
	copy(b, prefix)
	if n > 0 {
		xs := b[len(prefix) : len(prefix)+n]
		xs[0] = 'x'
		for filled := 1; filled < n; filled *= 2 {
			copy(xs[filled:], xs[:filled])
		}
	}
	b[len(b)-1] = '\n'
	return b
}
