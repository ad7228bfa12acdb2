package site

import (
	"bytes"
	"io"
	"testing"

	"github.com/andybalholm/brotli"
)

// The coding picked for the Accept-Encoding headers browsers, proxies and
// tools send, weights and refusals included.
func TestAcceptsEncoding(t *testing.T) {
	cases := []struct {
		header string
		want   string // "br", "gzip" or "" (none)
	}{
		{"", ""},
		{"gzip, deflate, br", "br"},
		{"gzip, deflate, br, zstd", "br"},
		{"gzip, deflate", "gzip"},
		{"GZIP", "gzip"},
		{"Br", "br"},
		{"identity", ""},
		{"br;q=0, gzip", "gzip"},
		{"br; q=0 , gzip;q=0.5", "gzip"},
		{"br;q=0,gzip;q=0", ""},
		{"gzip;q=0.001", "gzip"},
		{"br;q=x, gzip", "gzip"}, // an unreadable weight refuses
		{"*", "br"},
		{"*;q=0", ""},
		{"br;q=0, *", "gzip"},
		{"gzip;q=0, *;q=0.1", "br"},
		{"deflate;level=1;q=1, gzip", "gzip"},
		{",,, ;", ""},
	}
	for _, c := range cases {
		got := ""
		switch {
		case acceptsEncoding(c.header, "br"):
			got = "br"
		case acceptsEncoding(c.header, "gzip"):
			got = "gzip"
		}
		if got != c.want {
			t.Errorf("Accept-Encoding %q: %q, want %q", c.header, got, c.want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { acceptsEncoding("gzip, deflate, br;q=0.9", "br") }); n != 0 {
		t.Errorf("%v allocations per call, want none", n)
	}
}

// Brotli's output is the body again once decoded, whatever its size
// (the window follows it, up to 4 MB), and no larger than what
// fasthttp's writer makes of it.
func TestBrotliRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, 1000, 70_000, 300_000, 5 << 20} {
		body := make([]byte, n)
		for i := range body {
			body[i] = "<td>75,35</td>\n"[i%15] + byte(i/4096%7)
		}
		for _, q := range []int{brotliLevel, 7} {
			enc := Brotli(body, q)
			dec, err := io.ReadAll(brotli.NewReader(bytes.NewReader(enc)))
			if err != nil || !bytes.Equal(dec, body) {
				t.Fatalf("%d bytes at quality %d: decoded %d bytes, %v", n, q, len(dec), err)
			}
			// The reference is a fresh writer with the 4 MB window fasthttp
			// uses (fasthttp's own pooled writers are not deterministic:
			// the same body came out 4 800 or 5 076 bytes between runs).
			var ref bytes.Buffer
			w := brotli.NewWriterOptions(&ref, brotli.WriterOptions{Quality: q, LGWin: 22})
			if _, err := w.Write(body); err != nil || w.Close() != nil {
				t.Fatal(err)
			}
			if len(enc) > ref.Len()+ref.Len()/100+16 {
				t.Errorf("%d bytes at quality %d: %d bytes, a 4 MB window %d", n, q, len(enc), ref.Len())
			}
		}
	}
}
