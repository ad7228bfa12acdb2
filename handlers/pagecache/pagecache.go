// Package pagecache keeps the bytes of the answers of the open routes (the
// public pages, the downloads, the JSON API) and serves them again without
// rendering, as a static file server would, until what they are made of
// changes.
//
// What an answer is made of, and therefore its key:
//
//   - the request: its URI (path and query, as sent), the page language
//     (site.Lang: ?lang=, else the cookie) and the compression the client
//     accepts (site.ContentCoding);
//   - the visitor: only anonymous visitors' answers are kept. A signed-in
//     page carries the account's name and CSRF token, and drafts the
//     account may see: it is never kept, so it can never be served to
//     anyone else. Anonymous visitors all see the same published data;
//   - the data: the store's stamp (the data version, moved by every import
//     and correction, and the publications version, moved by every
//     publish and correction), read cheaply per request (store.Stamp), so
//     that a change made by another process on the same database is seen
//     within a second;
//   - the day (Vietnam time): the report states today's date.
//
// A handler keeps the last word over its own answers: one that sets its own
// validators (ETag, Last-Modified: the static files, open data), says
// no-store, private or no-cache (downloads carry their export time), sets a
// cookie, or marks a draft, is passed through, never kept. Only 200 answers
// are kept.
//
// Kept answers carry an ETag (a hash of their bytes) and a Last-Modified
// (when the data last changed), are answered 304 on a match, and say
// SharedCacheControl, so that a reverse proxy in front may share them for a
// few seconds. Answers not kept get an ETag too (and 304), and, unless the
// handler said otherwise, PrivateCacheControl.
//
// When the data changes, the first visitor asking for a page waits for it
// to be made; those asking meanwhile get the page of the older data, for at
// most staleFor, rather than queue. While Watch runs (the server), nobody
// waits: a visitor asking for a page of older data gets it at once, and the
// page is made again in the background (stale-while-revalidate), as Watch
// does for the pages most asked for; once Watch has prepared the new data's
// pages, the older ones are forgotten. Reading the new data after an import
// takes seconds, which would otherwise be the wait of every visitor of
// every page at that moment.
//
// The kept bytes are bounded (Options.MaxBytes): the least recently used
// answers go first, and the answers of older data before any. Watch
// prepares the pages again as soon as the data changes, the most asked for
// first, so that the first visitors after an import find them ready.
package pagecache

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"mime"
	"net/http"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"scorecard/auth"
	"scorecard/handlers/site"
	"scorecard/i18n"
	"scorecard/scoring"
	"scorecard/store"
)

// Versions says what the pages are made of: the data and the publications
// (*store.Store, or *scorecache.Service over a source without a store).
type Versions interface {
	Stamp(ctx context.Context) (store.Stamp, error)
}

// Options are the cache's settings.
type Options struct {
	// MaxBytes bounds the bytes kept; DefaultMaxBytes when 0.
	MaxBytes int64
	Log      *slog.Logger
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// DefaultMaxBytes is the default budget: a province's pages are 5 to 15 kB
// compressed, so some thousands of them.
const DefaultMaxBytes = 32 << 20

// Cache-Control of the answers. A kept answer is the same for every
// anonymous visitor: a reverse proxy may share it for ten seconds, which
// spares the server the peak of the morning the results come out, and a
// browser revalidates it on every view (a 304 when nothing changed). An
// answer not kept is the visitor's own.
const (
	SharedCacheControl  = "public, max-age=0, s-maxage=10"
	PrivateCacheControl = "private, no-cache"
)

// vary: the answers differ by compression and, through the language and
// session cookies, by visitor; a proxy must not give an anonymous page to a
// signed-in visitor.
const vary = "Accept-Encoding, Cookie"

// compressMin is the smallest body worth compressing (the headers would
// outweigh the gain below it).
const compressMin = 1024

// Compression levels of kept answers: compressed once per data change, so
// gzip at its best. Brotli stays at 5: 7 made a 90 kB page 5 % smaller but
// took 9,7 MB of buffers instead of 2,4 MB to do it, per answer compressed
// at the same time (the pages prepared after an import).
const (
	brotliLevel = 5
	gzipLevel   = 9
)

// prepareTop is how many of the most asked-for answers Watch prepares
// again after a change.
const prepareTop = 32

// gen is what an answer was made from: the stamp's counters and the day.
type gen struct {
	data, pubs int64
	day        int
}

// entry is one kept answer.
type entry struct {
	key string
	gen gen
	// uri and enc remake the request that made it (prepare).
	uri, enc string
	// header: the handler's headers, but those the cache sets, and the
	// cache's own (Content-Encoding, Vary, ETag, Last-Modified), their
	// names in canonical form: set as they are on every hit.
	header  [][2][]byte
	body    []byte // as sent: compressed when enc is set
	etag    string
	lastMod string
	size    int64
	used    atomic.Uint64 // the cache's clock at the last use
	hits    atomic.Uint64
	// current is when it was last known to be of the current data
	// (unix nanoseconds; updated at most every second): how long it has
	// been outdated, when it is (staleMax).
	current atomic.Int64
	// cookieLang: the language came from the cookie (such answers are
	// not prepared again: the request cannot be remade from the URI).
	cookieLang bool
}

// flight is one rendering of a missing answer that others wait for.
type flight struct {
	gen   gen
	done  chan struct{}
	began time.Time
}

// staleFor is how long after the data changed the answer of the older
// data may still be sent, to the visitors asking while the new one is
// being made: the first visitor after an import waits for the page (the
// new data loaded, the page rendered: seconds on a busy server), the many
// arriving meanwhile do not queue behind it. A reverse proxy in front may
// keep a page longer than that (SharedCacheControl).
const staleFor = time.Second

// Cache keeps answers. It is safe for concurrent use.
type Cache struct {
	vs      Versions
	max     int64
	log     *slog.Logger
	now     func() time.Time
	started time.Time
	// bound is the application and the pages to prepare at the start
	// (Bind).
	bound atomic.Pointer[binding]

	mu      sync.RWMutex
	entries map[string]*entry
	size    int64

	fmu     sync.Mutex
	flights map[string]*flight

	clock   atomic.Uint64
	lastGen atomic.Pointer[gen]
	keys    sync.Pool

	// watching: Watch runs, and answers of older data are sent while
	// they are made again (refresh); refreshing holds the keys being
	// made again (under fmu), refreshSlots bounds how many at once.
	watching     atomic.Bool
	refreshing   map[string]bool
	refreshSlots chan struct{}
	// renderSlots bounds the answers being made at once (renderMax).
	renderSlots chan struct{}

	hits, misses, bypassed, notModified, evicted, stale atomic.Uint64
}

// New returns a cache over vs.
func New(vs Versions, o Options) *Cache {
	c := &Cache{vs: vs, max: o.MaxBytes, log: o.Log, now: o.Now,
		entries: map[string]*entry{}, flights: map[string]*flight{},
		refreshing: map[string]bool{}, refreshSlots: make(chan struct{}, refreshMax),
		renderSlots: make(chan struct{}, renderMax())}
	if c.max <= 0 {
		c.max = DefaultMaxBytes
	}
	if c.log == nil {
		c.log = slog.Default()
	}
	if c.now == nil {
		c.now = time.Now
	}
	c.started = c.now()
	c.keys.New = func() any { b := make([]byte, 0, 256); return &b }
	return c
}

// binding is what Bind was given.
type binding struct {
	app     fasthttp.RequestHandler
	prepare []string
}

// Bind gives the cache the application it prepares pages through (Watch),
// and the request URIs to prepare at the start, before anyone asks: the
// application calls it once it is built.
func (c *Cache) Bind(app fasthttp.RequestHandler, prepare ...string) {
	c.bound.Store(&binding{app: app, prepare: prepare})
}

// Handler is the handler of a GET route (site.Router.Cache): the routes
// open to everyone have their answers kept; the others get validators.
func (c *Cache) Handler(rt site.Route) fiber.Handler {
	if rt.Rule.Who == auth.Everyone && rt.Rule.OwnUnit == "" {
		return c.serve
	}
	return c.validate
}

// Fast serves a kept answer before the application's middleware and
// route matching, when the request can only be an anonymous visitor's (no
// session cookie, no body, not choosing a language): the kept answer is
// the one serve would send, headers and all, since only anonymous
// visitors' answers of open routes are kept, under the same key. Any
// other request, and a miss, goes on to the application. The application
// registers it first.
func (c *Cache) Fast(fc *fiber.Ctx) error {
	rh := &fc.Request().Header
	// ContentLength: -1 is a chunked body, -2 none said (no body).
	if cl := rh.ContentLength(); !(rh.IsGet() || rh.IsHead()) || cl > 0 || cl == -1 || len(rh.Cookie(auth.SessionCookie)) > 0 ||
		site.LangCookiePending(fc) {
		return fc.Next()
	}
	st, err := c.vs.Stamp(fc.UserContext())
	if err != nil {
		return fc.Next()
	}
	g := c.genOf(st)
	kp := c.keys.Get().(*[]byte)
	k := c.keyOf((*kp)[:0], fc)
	c.mu.RLock()
	e := c.entries[string(k)]
	c.mu.RUnlock()
	older := e != nil && e.gen != g && c.older(fc, string(k), e, g)
	*kp = k
	c.keys.Put(kp)
	switch {
	case e == nil:
		return fc.Next()
	case older:
		c.stale.Add(1)
	case e.gen != g:
		return fc.Next()
	}
	return c.hit(fc, e, g)
}

// refreshMax is how many answers are made again in the background at once
// (the others are sent as they are meanwhile, and made again when next
// asked for, or forgotten once Watch has prepared the new data).
const refreshMax = 2

// renderMax is how many answers to keep are made at once: enough to keep
// every processor busy while one waits for the database; a crawler asking
// for hundreds of different pages at once makes them a few at a time
// instead of all together, each holding its data and buffers (the memory
// stays bounded; the pages come no later, the processors being busy).
func renderMax() int { return 2 * runtime.GOMAXPROCS(0) }

// staleMax is how long after it was last of the current data an answer
// may still be sent while its new form is made (Watch): past it, the
// visitor waits for the new one. A page read yesterday is not sent again
// to this morning's first visitor.
const staleMax = 30 * time.Second

// internalLocal marks the requests the cache makes itself (render): they
// wait for the answer of the current data, never get an older one.
type internalLocal struct{}

// older reports whether e, an answer of older data than g, is sent while
// the answer of g is made in the background (while Watch runs), and starts
// that making.
func (c *Cache) older(fc *fiber.Ctx, key string, e *entry, g gen) bool {
	if !c.watching.Load() || e.cookieLang || fc.Locals(internalLocal{}) != nil ||
		e.gen.data > g.data || e.gen.pubs > g.pubs || e.gen.day > g.day ||
		c.now().UnixNano()-e.current.Load() > int64(staleMax) {
		return false
	}
	c.refresh(key, e, g)
	return true
}

// refresh makes key's answer again in the background, unless it is being
// made or refreshMax others are. An answer that is not kept for g (an
// error, or no longer one to keep) takes the older one with it: the next
// visitors are answered by the application.
func (c *Cache) refresh(key string, e *entry, g gen) {
	c.fmu.Lock()
	if c.refreshing[key] {
		c.fmu.Unlock()
		return
	}
	select {
	case c.refreshSlots <- struct{}{}:
	default:
		c.fmu.Unlock()
		return
	}
	c.refreshing[key] = true
	c.fmu.Unlock()
	go func() {
		defer func() {
			c.fmu.Lock()
			delete(c.refreshing, key)
			c.fmu.Unlock()
			<-c.refreshSlots
		}()
		c.render(target{e.uri, e.enc})
		if c.lookup(key, g) != nil {
			return
		}
		c.mu.Lock()
		if c.entries[key] == e {
			delete(c.entries, key)
			c.size -= e.size
		}
		c.mu.Unlock()
	}()
}

// keyOf appends the request's key to b: the content coding, the language
// and the URI as sent.
func (c *Cache) keyOf(b []byte, fc *fiber.Ctx) []byte {
	b = append(append(b, site.ContentCoding(fc)...), 0)
	b = append(append(b, site.Lang(fc)...), 0)
	return append(b, fc.Request().Header.RequestURI()...)
}

// Stats are the cache's counters since the start.
type Stats struct {
	// Hits were answered from the cache (NotModified of them with a 304);
	// Misses rendered an answer to keep; Bypassed were not the cache's
	// (a signed-in visitor, a language being chosen); Evicted answers
	// went for want of room; Stale of the hits were answers of the older
	// data sent while the new one was being made (staleFor, Watch).
	Hits, Misses, Bypassed, NotModified, Evicted, Stale uint64
	Entries                                             int
	Bytes                                               int64
}

// Stats returns the counters.
func (c *Cache) Stats() Stats {
	c.mu.RLock()
	n, size := len(c.entries), c.size
	c.mu.RUnlock()
	return Stats{Hits: c.hits.Load(), Misses: c.misses.Load(), Bypassed: c.bypassed.Load(),
		NotModified: c.notModified.Load(), Evicted: c.evicted.Load(), Stale: c.stale.Load(), Entries: n, Bytes: size}
}

// genOf is the generation of the stamp today.
func (c *Cache) genOf(st store.Stamp) gen {
	y, m, d := c.now().In(scoring.Location).Date()
	return gen{data: st.Data, pubs: st.Publications, day: y*10000 + int(m)*100 + d}
}

// serve answers a request of an open route: from the cache when it can,
// else by rendering, once however many ask at the same time.
func (c *Cache) serve(fc *fiber.Ctx) error {
	if auth.UserFrom(fc) != nil || site.LangCookiePending(fc) {
		c.bypassed.Add(1)
		return c.pass(fc, true)
	}
	st, err := c.vs.Stamp(fc.UserContext())
	if err != nil {
		// The page will say what failed; the cache has nothing to add.
		c.bypassed.Add(1)
		return fc.Next()
	}
	g := c.genOf(st)
	c.lastGen.Store(&g)
	enc, lang := site.ContentCoding(fc), string(site.Lang(fc))
	uri := fc.Request().Header.RequestURI()

	kp := c.keys.Get().(*[]byte)
	k := c.keyOf((*kp)[:0], fc)
	c.mu.RLock()
	e := c.entries[string(k)]
	c.mu.RUnlock()
	key := ""
	if e == nil || e.gen != g {
		key = string(k)
	}
	*kp = k
	c.keys.Put(kp)
	if key == "" {
		return c.hit(fc, e, g)
	}
	if e != nil && c.older(fc, key, e, g) {
		c.stale.Add(1)
		return c.hit(fc, e, g)
	}

	f, leader := c.join(key, g)
	if !leader {
		if e != nil && e.gen != g && c.now().Sub(f.began) < staleFor {
			c.stale.Add(1)
			return c.hit(fc, e, g)
		}
		<-f.done
		if e := c.lookup(key, g); e != nil {
			return c.hit(fc, e, g)
		}
		// The answer was not one to keep: this request makes its own.
		c.bypassed.Add(1)
		return c.pass(fc, true)
	}
	defer c.leave(key, f)
	c.misses.Add(1)
	if err := c.make(fc); err != nil {
		return err
	}
	if fc.Method() != fiber.MethodGet {
		c.finish(fc, true)
		return nil
	}
	e = c.keep(fc, key, g, st, enc, string(uri), fc.Query("lang") == "" && lang != string(i18n.Default))
	if e == nil {
		c.finish(fc, true)
		return nil
	}
	c.put(e)
	return c.send(fc, e)
}

// make runs the handler in one of the render slots (renderMax).
func (c *Cache) make(fc *fiber.Ctx) error {
	c.renderSlots <- struct{}{}
	defer func() { <-c.renderSlots }()
	return fc.Next()
}

// lookup returns the answer kept under key for g.
func (c *Cache) lookup(key string, g gen) *entry {
	c.mu.RLock()
	e := c.entries[key]
	c.mu.RUnlock()
	if e == nil || e.gen != g {
		return nil
	}
	return e
}

// hit serves a kept answer to a request of generation g.
func (c *Cache) hit(fc *fiber.Ctx, e *entry, g gen) error {
	c.hits.Add(1)
	e.hits.Add(1)
	e.used.Store(c.clock.Add(1))
	if e.gen == g {
		if now := c.now().UnixNano(); now-e.current.Load() > int64(time.Second) {
			e.current.Store(now)
		}
	}
	return c.send(fc, e)
}

// join makes the caller the one who renders key for g, or gives it the
// rendering under way to wait for.
func (c *Cache) join(key string, g gen) (*flight, bool) {
	c.fmu.Lock()
	defer c.fmu.Unlock()
	if f, ok := c.flights[key]; ok && f.gen == g {
		return f, false
	}
	f := &flight{gen: g, done: make(chan struct{}), began: c.now()}
	c.flights[key] = f
	return f, true
}

// leave ends a rendering: those waiting look again.
func (c *Cache) leave(key string, f *flight) {
	c.fmu.Lock()
	if c.flights[key] == f {
		delete(c.flights, key)
	}
	c.fmu.Unlock()
	close(f.done)
}

// keep makes an entry of the handler's answer, nil when it is not one to
// keep (see the package's comment).
func (c *Cache) keep(fc *fiber.Ctx, key string, g gen, st store.Stamp, enc, uri string, cookieLang bool) *entry {
	resp := fc.Response()
	h := &resp.Header
	if resp.StatusCode() != fiber.StatusOK || resp.IsBodyStream() ||
		len(h.Peek(fiber.HeaderETag)) > 0 || len(h.Peek(fiber.HeaderLastModified)) > 0 ||
		string(h.Peek(site.DraftHeader)) == site.Draft || !shareable(h.Peek(fiber.HeaderCacheControl)) {
		return nil
	}
	cookies := false
	h.VisitAllCookie(func(_, _ []byte) { cookies = true })
	if cookies {
		return nil
	}
	body := resp.Body()
	if int64(len(body)) > c.max/8 {
		return nil
	}
	sent := string(h.Peek(fiber.HeaderContentEncoding))
	switch {
	case sent == enc:
		body = bytes.Clone(body)
	case sent == "" && len(body) >= compressMin && compressible(string(h.ContentType())):
		body = compress(enc, body)
	case sent == "":
		enc = ""
		body = bytes.Clone(body)
	default:
		return nil // an encoding the client did not ask for
	}
	e := &entry{key: key, gen: g, uri: uri, enc: enc, body: body, etag: etagOf(body),
		lastMod: c.lastModified(st).Format(http.TimeFormat), cookieLang: cookieLang}
	h.VisitAll(func(k, v []byte) {
		switch http.CanonicalHeaderKey(string(k)) {
		case fiber.HeaderContentLength, fiber.HeaderContentEncoding, fiber.HeaderDate, fiber.HeaderServer,
			fiber.HeaderSetCookie, fiber.HeaderConnection, fiber.HeaderTransferEncoding, fiber.HeaderVary:
			return
		}
		e.header = append(e.header, [2][]byte{[]byte(http.CanonicalHeaderKey(string(k))), bytes.Clone(v)})
	})
	add := func(k, v string) { e.header = append(e.header, [2][]byte{[]byte(k), []byte(v)}) }
	if len(h.Peek(fiber.HeaderCacheControl)) == 0 {
		add(fiber.HeaderCacheControl, SharedCacheControl)
	}
	if enc != "" {
		add(fiber.HeaderContentEncoding, enc)
	}
	add(fiber.HeaderVary, vary)
	add(fiber.HeaderETag, e.etag)
	add(fiber.HeaderLastModified, e.lastMod)
	e.size = int64(len(body) + 2*len(key) + 256)
	for _, kv := range e.header {
		e.size += int64(len(kv[0]) + len(kv[1]))
	}
	e.used.Store(c.clock.Add(1))
	e.current.Store(c.now().UnixNano())
	return e
}

// shareable: the handler's Cache-Control lets the answer be kept.
func shareable(cc []byte) bool {
	s := strings.ToLower(string(cc))
	return !strings.Contains(s, "no-store") && !strings.Contains(s, "private") && !strings.Contains(s, "no-cache")
}

// compressible: text, JSON, SVG, CSV; not images or workbooks (already
// compressed).
func compressible(ctype string) bool {
	mt, _, err := mime.ParseMediaType(ctype)
	if err != nil {
		return false
	}
	return strings.HasPrefix(mt, "text/") || mt == fiber.MIMEApplicationJSON ||
		mt == "application/javascript" || mt == "image/svg+xml"
}

// compress encodes body for the client; enc "" leaves it as it is.
func compress(enc string, body []byte) []byte {
	switch enc {
	case "br":
		return site.Brotli(body, brotliLevel)
	case "gzip":
		return fasthttp.AppendGzipBytesLevel(nil, body, gzipLevel)
	}
	return bytes.Clone(body)
}

// etagOf is a strong ETag of the bytes sent: the same answer has the same
// tag from every server process.
func etagOf(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}

// lastModified is when the data last changed, or when this process started
// or the day began if later (what the pages show may change with the
// program and the date).
func (c *Cache) lastModified(st store.Stamp) time.Time {
	t := st.Modified
	if c.started.After(t) {
		t = c.started
	}
	now := c.now().In(scoring.Location)
	if day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, scoring.Location); day.After(t) {
		t = day
	}
	return t.UTC().Truncate(time.Second)
}

// send writes a kept answer, or 304 when the client has it.
func (c *Cache) send(fc *fiber.Ctx, e *entry) error {
	h := &fc.Response().Header
	if e.enc == "" {
		h.Del(fiber.HeaderContentEncoding)
	}
	for _, kv := range e.header {
		h.SetCanonical(kv[0], kv[1])
	}
	if notModified(fc, e.etag, e.lastMod) {
		c.notModified.Add(1)
		fc.Response().ResetBody()
		fc.Status(fiber.StatusNotModified)
		return nil
	}
	fc.Status(fiber.StatusOK)
	// The kept bytes are never changed: sent without a copy.
	fc.Response().SetBodyRaw(e.body)
	return nil
}

// notModified applies If-None-Match, else If-Modified-Since (RFC 9110
// §13.2.2). lastMod "" ignores If-Modified-Since.
func notModified(fc *fiber.Ctx, etag, lastMod string) bool {
	if inm := fc.Get(fiber.HeaderIfNoneMatch); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
			if t == "*" || t == etag {
				return true
			}
		}
		return false
	}
	ims := fc.Get(fiber.HeaderIfModifiedSince)
	if ims == "" || lastMod == "" {
		return false
	}
	since, err1 := http.ParseTime(ims)
	mod, err2 := http.ParseTime(lastMod)
	return err1 == nil && err2 == nil && !mod.After(since)
}

// validate runs the handler of a route whose answers are not kept and
// gives its answer validators.
func (c *Cache) validate(fc *fiber.Ctx) error { return c.pass(fc, false) }

// pass runs the handler and finishes its answer without keeping it.
func (c *Cache) pass(fc *fiber.Ctx, open bool) error {
	if err := fc.Next(); err != nil {
		return err
	}
	c.finish(fc, open)
	return nil
}

// finish gives an answer not kept an ETag (of the bytes sent) and a 304 on
// a match, unless the handler set its own; and, unless the handler said
// otherwise, PrivateCacheControl. An open route's answer also gets the
// data's Last-Modified (informative: If-Modified-Since is not applied to
// an answer that may depend on more than the data).
func (c *Cache) finish(fc *fiber.Ctx, open bool) {
	resp := fc.Response()
	if resp.StatusCode() != fiber.StatusOK || resp.IsBodyStream() {
		return
	}
	h := &resp.Header
	if len(h.Peek(fiber.HeaderCacheControl)) == 0 {
		h.Set(fiber.HeaderCacheControl, PrivateCacheControl)
	}
	if len(h.Peek(fiber.HeaderETag)) > 0 {
		return
	}
	etag := etagOf(resp.Body())
	h.Set(fiber.HeaderETag, etag)
	if open && len(h.Peek(fiber.HeaderLastModified)) == 0 {
		if st, err := c.vs.Stamp(fc.UserContext()); err == nil {
			h.Set(fiber.HeaderLastModified, c.lastModified(st).Format(http.TimeFormat))
		}
	}
	if notModified(fc, etag, "") {
		c.notModified.Add(1)
		resp.ResetBody()
		fc.Status(fiber.StatusNotModified)
	}
}

// put adds an entry, making room if needed.
func (c *Cache) put(e *entry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.entries[e.key]; old != nil {
		c.size -= old.size
	}
	c.entries[e.key] = e
	c.size += e.size
	if c.size > c.max {
		c.evictLocked()
	}
}

// evictLocked drops the answers of older data, then the least recently
// used, down to nine tenths of the budget (so that the next additions do
// not each pay for a sort).
func (c *Cache) evictLocked() {
	cur := c.lastGen.Load()
	all := make([]*entry, 0, len(c.entries))
	for _, e := range c.entries {
		all = append(all, e)
	}
	sort.Slice(all, func(i, j int) bool {
		oi, oj := cur != nil && all[i].gen != *cur, cur != nil && all[j].gen != *cur
		if oi != oj {
			return oi
		}
		return all[i].used.Load() < all[j].used.Load()
	})
	for _, e := range all {
		if c.size <= c.max/10*9 {
			break
		}
		delete(c.entries, e.key)
		c.size -= e.size
		c.evicted.Add(1)
	}
}
