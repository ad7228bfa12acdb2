package auth

import (
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// ClientIP is the address of the visitor. The connection's address is
// believed unless it is a trusted proxy; then X-Forwarded-For is read from
// the right, skipping trusted proxies, and the first address that is not
// one is the visitor's. (The leftmost entry is whatever the client sent and
// cannot be believed: a rate limit keyed on it could be dodged by sending a
// new one each time.)
func ClientIP(c *fiber.Ctx, trusted []netip.Prefix) string {
	remote, ok := netip.AddrFromSlice(c.Context().RemoteIP())
	if !ok {
		return c.Context().RemoteIP().String()
	}
	remote = remote.Unmap()
	if !isTrusted(remote, trusted) {
		return remote.String()
	}
	hops := strings.Split(string(c.Request().Header.Peek(fiber.HeaderXForwardedFor)), ",")
	last := remote
	for i := len(hops) - 1; i >= 0; i-- {
		h := strings.TrimSpace(hops[i])
		if h == "" {
			continue
		}
		a, err := netip.ParseAddr(h)
		if err != nil {
			// A malformed hop: the chain cannot be followed further
			// left; the last good address is as far as we trust.
			return last.String()
		}
		a = a.Unmap()
		if !isTrusted(a, trusted) {
			return a.String()
		}
		last = a
	}
	return last.String()
}

// IsHTTPS reports whether the visitor reached us over HTTPS: TLS on the
// connection, or a trusted proxy saying so in X-Forwarded-Proto.
func IsHTTPS(c *fiber.Ctx, trusted []netip.Prefix) bool {
	if c.Context().IsTLS() {
		return true
	}
	remote, ok := netip.AddrFromSlice(c.Context().RemoteIP())
	if !ok || !isTrusted(remote.Unmap(), trusted) {
		return false
	}
	proto, _, _ := strings.Cut(string(c.Request().Header.Peek(fiber.HeaderXForwardedProto)), ",")
	return strings.EqualFold(strings.TrimSpace(proto), "https")
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
