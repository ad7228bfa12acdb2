package pagecache

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/gofiber/fiber/v2"

	"scorecard/auth"
	"scorecard/handlers/site"
	"scorecard/store"
)

// versions is a stamp the test moves.
type versions struct{ data, pubs atomic.Int64 }

func (v *versions) Stamp(context.Context) (store.Stamp, error) {
	return store.Stamp{Data: v.data.Load(), Publications: v.pubs.Load(), Modified: time.Date(2024, 5, 2, 3, 4, 5, 0, time.UTC)}, nil
}

// testApp is an application of open routes whose handlers count their
// renderings and answer with the data version.
type testApp struct {
	app     *fiber.App
	cache   *Cache
	vs      *versions
	renders atomic.Int64
	through atomic.Int64 // requests that reached the middleware after Fast
	// slow holds the renderings until closed (nil: not held).
	slow chan struct{}
}

func newTestApp(t *testing.T, o Options) *testApp {
	t.Helper()
	a := &testApp{vs: &versions{}}
	a.cache = New(a.vs, o)
	a.app = fiber.New(fiber.Config{DisableStartupMessage: true})
	a.app.Use(a.cache.Fast)
	// The application's middleware: counts the requests Fast left to it.
	a.app.Use(func(c *fiber.Ctx) error { a.through.Add(1); return c.Next() })
	r := site.NewRouter(a.app, nil, nil)
	r.Cache(a.cache.Handler)
	open := r.Group("", "public", auth.Everyone)
	page := func(c *fiber.Ctx) string {
		a.renders.Add(1)
		if a.slow != nil {
			<-a.slow
		}
		return fmt.Sprintf("<p>%s %s data %d %s</p>", c.Path(), c.Query("q"), a.vs.data.Load(), strings.Repeat("x", 2000))
	}
	open.Get("/page", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
		return c.SendString(page(c))
	})
	open.Get("/json", func(c *fiber.Ctx) error { return c.JSON(map[string]string{"page": page(c)}) })
	open.Get("/nostore", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.SendString(page(c))
	})
	open.Get("/nocache", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderCacheControl, "no-cache")
		return c.SendString(page(c))
	})
	open.Get("/own-etag", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderETag, `"mine"`)
		return c.SendString(page(c))
	})
	open.Get("/cookie", func(c *fiber.Ctx) error {
		c.Cookie(&fiber.Cookie{Name: "x", Value: "y"})
		return c.SendString(page(c))
	})
	open.Get("/draft", func(c *fiber.Ctx) error {
		c.Set(site.DraftHeader, "draft")
		return c.SendString(page(c))
	})
	// gone is a page until the data moves, then not found.
	open.Get("/gone", func(c *fiber.Ctx) error {
		if a.vs.data.Load() > 0 {
			return c.Status(fiber.StatusNotFound).SendString("gone")
		}
		return c.SendString(page(c))
	})
	open.Get("/missing", func(c *fiber.Ctx) error {
		page(c)
		return c.Status(fiber.StatusNotFound).SendString("not here")
	})
	r.Group("", "staff", auth.Staff).Get("/staff", func(c *fiber.Ctx) error { return c.SendString(page(c)) })
	return a
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a *testApp) get(t *testing.T, target string, header ...string) answer {
	t.Helper()
	return a.do(t, http.MethodGet, target, header...)
}

func (a *testApp) do(t *testing.T, method, target string, header ...string) answer {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := a.app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{resp.StatusCode, resp.Header, b}
}

func TestKeptUntilTheStampMoves(t *testing.T) {
	a := newTestApp(t, Options{})
	first := a.get(t, "/page?q=1")
	again := a.get(t, "/page?q=1")
	if a.renders.Load() != 1 || !bytes.Equal(first.body, again.body) || first.status != 200 {
		t.Fatalf("rendered %d times for two requests", a.renders.Load())
	}
	if s := a.cache.Stats(); s.Hits != 1 || s.Misses != 1 || s.Entries != 1 || s.Bytes <= 2000 {
		t.Errorf("stats %+v", s)
	}
	// Another query, another answer.
	if r := a.get(t, "/page?q=2"); !bytes.Contains(r.body, []byte("/page 2 data 0")) || a.renders.Load() != 2 {
		t.Fatalf("another query: %s (%d renders)", r.body, a.renders.Load())
	}
	// An import moves the data version, a publish the publications one:
	// either makes the page again.
	a.vs.data.Add(1)
	if r := a.get(t, "/page?q=1"); !bytes.Contains(r.body, []byte("data 1")) || a.renders.Load() != 3 {
		t.Fatalf("after the data changed: %s (%d renders)", r.body, a.renders.Load())
	}
	a.vs.pubs.Add(1)
	a.get(t, "/page?q=1")
	if a.renders.Load() != 4 {
		t.Fatalf("after a publish: %d renders, want 4", a.renders.Load())
	}
}

func TestValidators(t *testing.T) {
	a := newTestApp(t, Options{})
	r := a.get(t, "/page")
	etag, mod := r.header.Get("ETag"), r.header.Get("Last-Modified")
	if etag == "" || mod == "" || r.header.Get("Cache-Control") != SharedCacheControl || r.header.Get("Vary") != "Accept-Encoding, Cookie" {
		t.Fatalf("headers %v", r.header)
	}
	if got := a.get(t, "/page", "If-None-Match", etag); got.status != 304 || len(got.body) != 0 || got.header.Get("ETag") != etag {
		t.Errorf("If-None-Match: %d %q %v", got.status, got.body, got.header)
	}
	if got := a.get(t, "/page", "If-None-Match", `"other", `+etag); got.status != 304 {
		t.Errorf("If-None-Match with a list: %d", got.status)
	}
	if got := a.get(t, "/page", "If-None-Match", `"other"`); got.status != 200 || len(got.body) == 0 {
		t.Errorf("another tag: %d", got.status)
	}
	if got := a.get(t, "/page", "If-Modified-Since", mod); got.status != 304 {
		t.Errorf("If-Modified-Since the same time: %d", got.status)
	}
	if got := a.get(t, "/page", "If-Modified-Since", "Mon, 01 Jan 2024 00:00:00 GMT"); got.status != 200 {
		t.Errorf("If-Modified-Since before: %d", got.status)
	}
	// The tag moves with the data.
	a.vs.data.Add(1)
	if got := a.get(t, "/page", "If-None-Match", etag); got.status != 200 || got.header.Get("ETag") == etag {
		t.Errorf("after a change: %d, tag %s", got.status, got.header.Get("ETag"))
	}
	if s := a.cache.Stats(); s.NotModified != 3 {
		t.Errorf("stats %+v, want 3 not modified", s)
	}
}

// Answers are kept per compression, and an answer the handler did not
// compress is compressed once for the clients that accept it.
func TestCompression(t *testing.T) {
	a := newTestApp(t, Options{})
	plain := a.get(t, "/json")
	br := a.get(t, "/json", "Accept-Encoding", "gzip, deflate, br")
	gz := a.get(t, "/json", "Accept-Encoding", "gzip")
	if plain.header.Get("Content-Encoding") != "" || br.header.Get("Content-Encoding") != "br" || gz.header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("encodings %q %q %q", plain.header.Get("Content-Encoding"), br.header.Get("Content-Encoding"), gz.header.Get("Content-Encoding"))
	}
	dec, err := io.ReadAll(brotli.NewReader(bytes.NewReader(br.body)))
	if err != nil || !bytes.Equal(dec, plain.body) || len(br.body) >= len(plain.body) {
		t.Fatalf("brotli body (%d bytes) decodes to %d bytes, want the %d of the plain one (%v)", len(br.body), len(dec), len(plain.body), err)
	}
	if plain.header.Get("ETag") == br.header.Get("ETag") || br.header.Get("ETag") == gz.header.Get("ETag") {
		t.Errorf("one tag for two encodings")
	}
	if ct := br.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	a.get(t, "/json", "Accept-Encoding", "br")
	if a.renders.Load() != 3 {
		t.Errorf("%d renders for three encodings", a.renders.Load())
	}
}

// A handler keeps the last word: answers it marks as its own, errors,
// cookies and drafts are passed through, never kept.
func TestNotKept(t *testing.T) {
	a := newTestApp(t, Options{})
	for _, target := range []string{"/nostore", "/nocache", "/own-etag", "/cookie", "/draft", "/missing", "/staff"} {
		before := a.renders.Load()
		first := a.get(t, target)
		a.get(t, target)
		if a.renders.Load() != before+2 {
			t.Errorf("%s was kept", target)
		}
		if first.status == 200 && first.header.Get("Cache-Control") == SharedCacheControl {
			t.Errorf("%s says it may be shared", target)
		}
		if first.status == 200 && first.header.Get("ETag") == "" {
			t.Errorf("%s has no ETag", target)
		}
	}
	// Validators on the answers not kept: a 304 when the bytes are the
	// same.
	r := a.get(t, "/staff")
	if r.header.Get("Cache-Control") != PrivateCacheControl {
		t.Errorf("staff page Cache-Control %q", r.header.Get("Cache-Control"))
	}
	if got := a.get(t, "/staff", "If-None-Match", r.header.Get("ETag")); got.status != 304 || len(got.body) != 0 {
		t.Errorf("staff page revalidated: %d", got.status)
	}
	if got := a.get(t, "/own-etag", "If-None-Match", `"mine"`); got.status != 200 || got.header.Get("ETag") != `"mine"` {
		t.Errorf("the handler's own validators were replaced: %d %s", got.status, got.header.Get("ETag"))
	}
	if s := a.cache.Stats(); s.Entries != 0 {
		t.Errorf("%d entries kept", s.Entries)
	}
}

// A language being chosen (?lang= without the cookie) sets the cookie:
// that answer is the visitor's own.
func TestLanguageChoiceNotShared(t *testing.T) {
	a := newTestApp(t, Options{})
	a.get(t, "/page?lang=en", "Cookie", "lang=en")
	a.get(t, "/page?lang=en", "Cookie", "lang=en")
	if a.renders.Load() != 1 {
		t.Fatalf("%d renders with the cookie set", a.renders.Load())
	}
	if r := a.get(t, "/page?lang=en"); a.renders.Load() != 2 || r.header.Get("Cache-Control") == SharedCacheControl {
		t.Fatalf("the choice of a language was served from the cache (%d renders, %s)", a.renders.Load(), r.header.Get("Cache-Control"))
	}
	// The cookie alone is part of the key.
	a.get(t, "/page")
	a.get(t, "/page", "Cookie", "lang=en")
	if a.renders.Load() != 4 {
		t.Fatalf("the language of the cookie is not in the key (%d renders)", a.renders.Load())
	}
}

// HEAD is answered from the GET's entry.
func TestHead(t *testing.T) {
	a := newTestApp(t, Options{})
	get := a.get(t, "/page")
	head := a.do(t, http.MethodHead, "/page")
	if a.renders.Load() != 1 || head.status != 200 || len(head.body) != 0 || head.header.Get("ETag") != get.header.Get("ETag") {
		t.Fatalf("HEAD: %d renders, %d, %q", a.renders.Load(), head.status, head.header.Get("ETag"))
	}
}

// Many visitors asking for the same missing page at once make it once.
func TestOneRenderingForConcurrentMisses(t *testing.T) {
	a := newTestApp(t, Options{})
	a.slow = make(chan struct{})
	var wg sync.WaitGroup
	bodies := make([][]byte, 16)
	for i := range bodies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			bodies[i] = a.get(t, "/page").body
		}()
	}
	// Let them all arrive and wait on the first one's rendering.
	deadline := time.Now().Add(5 * time.Second)
	for a.renders.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	close(a.slow)
	wg.Wait()
	if a.renders.Load() != 1 {
		t.Fatalf("%d renders for 16 concurrent requests", a.renders.Load())
	}
	for _, b := range bodies {
		if !bytes.Equal(b, bodies[0]) || len(b) == 0 {
			t.Fatal("the waiting requests got another answer")
		}
	}
}

// The kept bytes stay within the budget, the least recently used going
// first.
func TestBounded(t *testing.T) {
	const max = 64 << 10
	a := newTestApp(t, Options{MaxBytes: max})
	for i := 0; i < 100; i++ {
		a.get(t, fmt.Sprintf("/page?q=%d", i))
		a.get(t, "/page?q=hot") // used all along
	}
	s := a.cache.Stats()
	if s.Bytes > max || s.Evicted == 0 || s.Entries >= 100 {
		t.Fatalf("stats %+v with a budget of %d", s, max)
	}
	before := a.renders.Load()
	a.get(t, "/page?q=hot")
	if a.renders.Load() != before {
		t.Error("the page used all along was evicted")
	}
	a.get(t, "/page?q=0")
	if a.renders.Load() != before+1 {
		t.Error("the least recently used page is still there")
	}
}

// After a change, Watch makes again the pages asked for before it, the
// most asked for first, and forgets the older ones.
func TestWatchPreparesTheHotPages(t *testing.T) {
	a := newTestApp(t, Options{})
	a.cache.Bind(a.app.Handler(), "/page?q=start")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	warmed := make(chan struct{}, 10)
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.cache.Watch(ctx, func(context.Context) error { warmed <- struct{}{}; return nil })
	}()
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("no %s after 5 s", what)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	<-warmed
	waitFor("page prepared at the start", func() bool { return a.renders.Load() == 1 })
	if a.get(t, "/page?q=start", "Accept-Encoding", "br"); a.renders.Load() != 1 {
		t.Fatal("the page prepared at the start was made again")
	}
	for i := 0; i < 3; i++ {
		a.get(t, "/page?q=hot", "Accept-Encoding", "br")
	}
	a.get(t, "/page?q=once", "Accept-Encoding", "br") // asked once, no hit: not prepared
	rendered := a.renders.Load()
	a.vs.data.Add(1)
	<-warmed
	waitFor("hot pages prepared after the change", func() bool { return a.renders.Load() == rendered+2 })
	time.Sleep(50 * time.Millisecond)
	if got := a.get(t, "/page?q=hot", "Accept-Encoding", "br"); !bytes.Contains(decode(t, got.body), []byte("data 1")) || a.renders.Load() != rendered+2 {
		t.Fatalf("the hot page was not ready: %d renders, want %d", a.renders.Load(), rendered+2)
	}
	if s := a.cache.Stats(); s.Entries != 2 {
		t.Errorf("%d entries after the change, want the two prepared", s.Entries)
	}
	cancel()
	<-done
}

func decode(t *testing.T, b []byte) []byte {
	t.Helper()
	d, err := io.ReadAll(brotli.NewReader(bytes.NewReader(b)))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// A kept answer is sent before the application's middleware when the
// visitor can only be anonymous; a session cookie or a language being
// chosen take the whole way.
func TestFastPath(t *testing.T) {
	a := newTestApp(t, Options{})
	first := a.get(t, "/page", "Accept-Encoding", "br")
	if a.through.Load() != 1 {
		t.Fatalf("%d requests through the application for a miss", a.through.Load())
	}
	again := a.get(t, "/page", "Accept-Encoding", "br")
	if a.through.Load() != 1 || !bytes.Equal(first.body, again.body) || again.header.Get("ETag") != first.header.Get("ETag") ||
		again.header.Get("Content-Encoding") != "br" {
		t.Fatalf("a kept answer went through the application (%d) or differs", a.through.Load())
	}
	if r := a.get(t, "/page", "Accept-Encoding", "br", "If-None-Match", first.header.Get("ETag")); r.status != 304 || a.through.Load() != 1 {
		t.Errorf("revalidation: %d, %d through", r.status, a.through.Load())
	}
	before := a.through.Load()
	a.get(t, "/page", "Accept-Encoding", "br", "Cookie", auth.SessionCookie+"=abc")
	if a.through.Load() != before+1 {
		t.Error("a request with a session cookie was served before the application")
	}
	before = a.through.Load()
	a.get(t, "/page?lang=en")
	a.get(t, "/page?lang=en")
	if a.through.Load() != before+2 {
		t.Error("a language being chosen was served before the application")
	}
	// The data moved: the application makes the page again.
	a.vs.data.Add(1)
	before = a.through.Load()
	if r := a.get(t, "/page", "Accept-Encoding", "br"); a.through.Load() != before+1 || r.header.Get("ETag") == first.header.Get("ETag") {
		t.Error("an answer of older data was served")
	}
}

// When the data changes, the visitors asking while the first one waits for
// the new page get the older one at once; the first gets the new one.
func TestOlderPageWhileTheNewIsMade(t *testing.T) {
	a := newTestApp(t, Options{})
	old := a.get(t, "/page")
	a.vs.data.Add(1)
	a.slow = make(chan struct{})
	first := make(chan answer)
	go func() { first <- a.get(t, "/page") }()
	deadline := time.Now().Add(5 * time.Second)
	for a.renders.Load() != 2 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	meanwhile := a.get(t, "/page")
	close(a.slow)
	fresh := <-first
	if !bytes.Equal(meanwhile.body, old.body) || meanwhile.status != 200 {
		t.Errorf("meanwhile: %d %.60s, want the older page", meanwhile.status, meanwhile.body)
	}
	if !bytes.Contains(fresh.body, []byte("data 1")) {
		t.Errorf("the first visitor after the change got %.60s", fresh.body)
	}
	if s := a.cache.Stats(); s.Stale != 1 || a.renders.Load() != 2 {
		t.Errorf("stats %+v, %d renders", s, a.renders.Load())
	}
	if r := a.get(t, "/page"); !bytes.Equal(r.body, fresh.body) {
		t.Error("the new page is not kept")
	}
}

// While Watch runs (the server), a visitor asking for a page of older data
// gets it at once while it is made again in the background, instead of
// waiting for the new data to be read: then the new one. A page that is no
// longer one to keep is not sent from the older data any more.
func TestOlderPageWhileWatching(t *testing.T) {
	a := newTestApp(t, Options{})
	a.cache.Bind(a.app.Handler())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	warmed := make(chan struct{})
	hold := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		first := true
		a.cache.Watch(ctx, func(context.Context) error {
			warmed <- struct{}{}
			if !first {
				<-hold // reading the new data: seconds after an import
			}
			first = false
			return nil
		})
	}()
	<-warmed
	old := a.get(t, "/page", "Accept-Encoding", "br")
	oldGone := a.get(t, "/gone", "Accept-Encoding", "br")
	a.slow = make(chan struct{})
	a.vs.data.Add(1)
	<-warmed
	got := make(chan answer, 1)
	go func() { got <- a.get(t, "/page", "Accept-Encoding", "br") }()
	select {
	case r := <-got:
		if r.status != 200 || !bytes.Equal(r.body, old.body) {
			t.Fatalf("during the change: %d, want the older page", r.status)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a visitor waited for the page of the new data")
	}
	if r := a.get(t, "/gone", "Accept-Encoding", "br"); r.status != 200 || !bytes.Equal(r.body, oldGone.body) {
		t.Fatalf("/gone during the change: %d, want the older page", r.status)
	}
	close(a.slow)
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("%s: not after 5 s", what)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	waitFor("the new page", func() bool {
		return bytes.Contains(decode(t, a.get(t, "/page", "Accept-Encoding", "br").body), []byte("data 1"))
	})
	waitFor("/gone not found", func() bool { return a.get(t, "/gone", "Accept-Encoding", "br").status == 404 })
	if s := a.cache.Stats(); s.Stale < 2 {
		t.Errorf("stats %+v: want the older pages counted stale", s)
	}
	close(hold)
	cancel()
	<-done
}

// Different pages asked for at once are made renderMax at a time; all are
// answered.
func TestRendersBounded(t *testing.T) {
	a := newTestApp(t, Options{})
	a.slow = make(chan struct{})
	n := renderMax() + 3
	got := make(chan answer, n)
	for i := 0; i < n; i++ {
		go func() { got <- a.get(t, fmt.Sprintf("/page?q=%d", i)) }()
	}
	deadline := time.Now().Add(5 * time.Second)
	for a.renders.Load() < int64(renderMax()) && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	if r := a.renders.Load(); r != int64(renderMax()) {
		t.Fatalf("%d pages being made at once, want %d", r, renderMax())
	}
	close(a.slow)
	for i := 0; i < n; i++ {
		if r := <-got; r.status != 200 {
			t.Errorf("answer %d: %d", i, r.status)
		}
	}
	if r := a.renders.Load(); r != int64(n) {
		t.Errorf("%d pages made, want %d", r, n)
	}
}

// A page that has not been of the current data for staleMax is not sent
// while its new form is made: its visitor waits for the new one.
func TestOlderPageNotSentPastStaleMax(t *testing.T) {
	var clock atomic.Int64
	clock.Store(time.Date(2024, 5, 2, 12, 0, 0, 0, time.UTC).UnixNano())
	a := newTestApp(t, Options{Now: func() time.Time { return time.Unix(0, clock.Load()) }})
	a.cache.Bind(a.app.Handler())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	warmed := make(chan struct{})
	hold := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		first := true
		a.cache.Watch(ctx, func(context.Context) error {
			warmed <- struct{}{}
			if !first {
				<-hold
			}
			first = false
			return nil
		})
	}()
	<-warmed
	a.get(t, "/page", "Accept-Encoding", "br")
	a.get(t, "/page", "Accept-Encoding", "br")
	clock.Add(int64(staleMax + time.Second))
	a.slow = make(chan struct{})
	a.vs.data.Add(1)
	<-warmed
	got := make(chan answer, 1)
	go func() { got <- a.get(t, "/page", "Accept-Encoding", "br") }()
	select {
	case r := <-got:
		t.Fatalf("a page outdated for over %v was sent (%d)", staleMax, r.status)
	case <-time.After(200 * time.Millisecond):
	}
	close(a.slow)
	if r := <-got; !bytes.Contains(decode(t, r.body), []byte("data 1")) {
		t.Errorf("after the wait: %.60s", decode(t, r.body))
	}
	close(hold)
	cancel()
	<-done
}
