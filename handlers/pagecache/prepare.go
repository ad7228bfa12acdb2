package pagecache

import (
	"context"
	"sort"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// watchEvery is how often Watch looks at the stamp. Stamp itself reads
// the database at most every store.StampMaxAge, and at once after a write
// through this process.
const watchEvery = 100 * time.Millisecond

// statsEvery is how often Watch logs the counters, when they moved.
const statsEvery = 15 * time.Minute

// Watch prepares the pages whenever the data changes, until ctx ends: it
// runs warm (the scores the pages need: loading the new data and scoring
// the latest months), then renders again the answers most asked for
// before the change (at the start, those given to Bind), the most asked for
// first, then forgets the answers of the older data. The first visitors
// after an import, or after a start, then find their pages ready. Run it
// in a goroutine of its own.
func (c *Cache) Watch(ctx context.Context, warm func(context.Context) error) {
	c.watching.Store(true)
	defer c.watching.Store(false)
	t := time.NewTicker(watchEvery)
	defer t.Stop()
	var last gen
	first := true
	var logged Stats
	lastLog := time.Now()
	for {
		if st, err := c.vs.Stamp(ctx); err == nil {
			if g := c.genOf(st); first || g != last {
				c.prepareGen(ctx, g, warm, first)
				last, first = g, false
			}
		} else if ctx.Err() == nil {
			c.log.Warn("page cache: could not read the data version", "err", err)
		}
		if time.Since(lastLog) >= statsEvery {
			if s := c.Stats(); s != logged {
				c.log.Info("page cache", "hits", s.Hits, "misses", s.Misses, "bypassed", s.Bypassed,
					"not_modified", s.NotModified, "stale", s.Stale, "evicted", s.Evicted, "entries", s.Entries, "bytes", s.Bytes)
				logged = s
			}
			lastLog = time.Now()
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// target is a request to make again.
type target struct{ uri, enc string }

// prepareGen prepares the pages of generation g.
func (c *Cache) prepareGen(ctx context.Context, g gen, warm func(context.Context) error, start bool) {
	began := time.Now()
	if warm != nil {
		if err := warm(ctx); err != nil {
			if ctx.Err() == nil {
				c.log.Warn("page cache: could not pre-compute the scores", "err", err)
			}
			return
		}
	}
	var todo []target
	if b := c.bound.Load(); start && b != nil {
		for _, u := range b.prepare {
			todo = append(todo, target{u, "br"})
		}
	} else if !start {
		todo = c.hot(g, prepareTop)
	}
	done := 0
	for _, t := range todo {
		if ctx.Err() != nil {
			return
		}
		if c.render(t) {
			done++
		}
	}
	c.forget(g)
	if !start || done > 0 {
		c.log.Info("pages prepared for the new data", "pages", done, "ms", time.Since(began).Milliseconds())
	}
}

// hot lists the answers of other generations than g, the most asked for
// first (those whose language came from a cookie cannot be asked for
// again from their URI alone).
func (c *Cache) hot(g gen, n int) []target {
	c.mu.RLock()
	var old []*entry
	for _, e := range c.entries {
		if e.gen != g && !e.cookieLang && e.hits.Load() > 0 {
			old = append(old, e)
		}
	}
	c.mu.RUnlock()
	sort.Slice(old, func(i, j int) bool { return old[i].hits.Load() > old[j].hits.Load() })
	if len(old) > n {
		old = old[:n]
	}
	out := make([]target, len(old))
	for i, e := range old {
		out[i] = target{e.uri, e.enc}
	}
	return out
}

// render asks the application for t as an anonymous visitor would, which
// keeps the answer; false when it could not (no application, an error).
func (c *Cache) render(t target) bool {
	b := c.bound.Load()
	if b == nil {
		return false
	}
	var req fasthttp.Request
	req.Header.SetMethod(fiber.MethodGet)
	req.SetRequestURI(t.uri)
	req.Header.SetHost("localhost")
	if t.enc != "" {
		req.Header.Set(fiber.HeaderAcceptEncoding, t.enc)
	}
	var rc fasthttp.RequestCtx
	rc.Init(&req, nil, nil)
	rc.SetUserValue(internalLocal{}, true)
	b.app(&rc)
	return rc.Response.StatusCode() == fiber.StatusOK
}

// forget drops the answers of generations older than g (those of a newer
// one, made while g's were prepared, stay), but those asked for that may
// still be sent while they are made again (staleMax): when the data moves
// several times in a few seconds (a correction publishes each period it
// changes again), their new form, begun for one generation, would
// otherwise be thrown away before it is made for the next, and their
// visitors left to wait.
func (c *Cache) forget(g gen) {
	now := c.now().UnixNano()
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.entries {
		if e.hits.Load() > 0 && now-e.current.Load() <= int64(staleMax) {
			continue
		}
		if e.gen != g && e.gen.data <= g.data && e.gen.pubs <= g.pubs && e.gen.day <= g.day {
			delete(c.entries, k)
			c.size -= e.size
		}
	}
}
