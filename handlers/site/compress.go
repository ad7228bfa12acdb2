package site

import (
	"bytes"
	"math/bits"
	"strconv"
	"strings"

	"github.com/andybalholm/brotli"
	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// Compressed pages (speed): a page's HTML is mostly repeated
// markup (table rows, chart options) and shrinks five to ten times. The
// route table has no compression middleware, so render compresses its own
// output: brotli when the browser takes it, else gzip. Small bodies go as
// they are (the headers would outweigh the gain).

// compressMin is the smallest body worth compressing.
const compressMin = 1024

// Compression levels: fast enough to run on every request (a page is
// rendered per request; the static files are compressed once, at boot).
const (
	brotliLevel = 5
	gzipLevel   = 6
)

// sendCompressed sends an HTML body, compressed when the client accepts it.
func sendCompressed(c *fiber.Ctx, body []byte) error {
	c.Vary(fiber.HeaderAcceptEncoding)
	if len(body) < compressMin {
		return c.Send(body)
	}
	switch ContentCoding(c) {
	case "br":
		c.Set(fiber.HeaderContentEncoding, "br")
		return c.Send(Brotli(body, brotliLevel))
	case "gzip":
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(fasthttp.AppendGzipBytesLevel(nil, body, gzipLevel))
	}
	return c.Send(body)
}

// Brotli compresses body at quality q with a window just large enough
// for it (64 kB to 4 MB). fasthttp's brotli writers take the default 4 MB
// window whatever the size: some 10 MB of buffers for a 90 kB page, and as
// many again for each page compressed at the same time (the pages prepared
// after an import), for the same bytes out.
func Brotli(body []byte, q int) []byte {
	lg := min(max(bits.Len(uint(len(body))), 16), 22)
	var buf bytes.Buffer
	buf.Grow(len(body)/4 + 64)
	w := brotli.NewWriterOptions(&buf, brotli.WriterOptions{Quality: q, LGWin: lg})
	// Writing to a bytes.Buffer does not fail.
	_, _ = w.Write(body)
	_ = w.Close()
	return buf.Bytes()
}

// ContentCoding is the compression the request's Accept-Encoding picks:
// "br" when accepted, else "gzip" when accepted, else "" (none).
func ContentCoding(c *fiber.Ctx) string {
	ae := c.Get(fiber.HeaderAcceptEncoding)
	switch {
	case ae == "":
		return ""
	case acceptsEncoding(ae, "br"):
		return "br"
	case acceptsEncoding(ae, "gzip"):
		return "gzip"
	}
	return ""
}

// acceptsEncoding reads Accept-Encoding: "br;q=0" refuses brotli, "*"
// accepts anything not listed. It runs on every request (the page cache's
// key): it walks the header without allocating.
func acceptsEncoding(header, name string) bool {
	star := false
	for rest := header; rest != ""; {
		var part string
		part, rest, _ = strings.Cut(rest, ",")
		coding, params, _ := strings.Cut(part, ";")
		coding = strings.TrimSpace(coding)
		q := 1.0
		for params != "" {
			var p string
			p, params, _ = strings.Cut(params, ";")
			k, val, _ := strings.Cut(p, "=")
			if strings.TrimSpace(k) == "q" {
				f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
				if err != nil {
					f = 0
				}
				q = f
			}
		}
		if strings.EqualFold(coding, name) {
			return q > 0
		}
		if coding == "*" {
			star = q > 0
		}
	}
	return star
}
