package site

import "testing"

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
