package handlers

// The Chromium the browser tests drive: finding it, starting it against the
// application under test, and watching what its pages do. Every browser test
// starts its browser through startBrowser, so that all of them run the same
// quiet, isolated Chromium and differ only where browserOptions says.

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/gofiber/fiber/v2"
)

// browserOptions is what differs between the browser tests' Chromiums; the
// zero value is a 1366×900 window (a common office laptop) with no deadline.
type browserOptions struct {
	// width and height are the window's size; zero means 1366×900.
	width, height int
	// timeout bounds the returned context. Zero leaves it unbounded, for
	// tests that set a deadline per subtest instead.
	timeout time.Duration
	// reducedMotion turns chart animations off (charts.js honours
	// prefers-reduced-motion), so that screenshots and measurements see
	// the final charts, not a frame of an animation.
	reducedMotion bool
	// flags go after the shared ones and may override them (the suite
	// shows scrollbars again, which Headless hides, to see the real
	// layout width).
	flags []chromedp.ExecAllocatorOption
}

// startBrowser serves app on a local port and starts a headless Chromium
// (one tab) for it, skipped or failed under CI without one (see
// chromiumPath). It returns the tab's context, the server's base URL and the
// log of what the pages do wrong; everything stops when the test ends.
func startBrowser(t *testing.T, app *fiber.App, o browserOptions) (context.Context, string, *browserLog) {
	t.Helper()
	chrome := chromiumPath(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	go func() { _ = app.Listener(ln) }()
	// Registered first, run last: the browser is gone before the server.
	t.Cleanup(func() { _ = app.ShutdownWithTimeout(5 * time.Second) })
	blog := &browserLog{host: ln.Addr().String()}

	w, h := o.width, o.height
	if w == 0 || h == 0 {
		w, h = 1366, 900
	}
	// No DefaultExecAllocatorOptions: the flags are all here, so a
	// chromedp upgrade cannot change them behind the tests' back. The
	// disable-* flags keep Chromium from calling home (QUIC, updates,
	// sync, background fetches): nothing but the test server is reached.
	// The interface language is the offices' (pages choose English with
	// ?lang=en), and each browser gets a fresh profile.
	opts := append([]chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chrome),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "vi-VN"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(w, h),
	}, o.flags...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	bctx, cancel := chromedp.NewContext(actx, chromedp.WithListener(blog.listen))
	t.Cleanup(cancel)
	// The first run starts the browser, which then lives as long as that
	// run's context: it must not carry the timeout.
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	if o.reducedMotion {
		if _, err := chromedp.Call(bctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}},
		}); err != nil {
			t.Fatalf("emulate media: %v", err)
		}
	}
	ctx := bctx
	if o.timeout > 0 {
		var pcancel context.CancelFunc
		ctx, pcancel = context.WithTimeout(bctx, o.timeout)
		t.Cleanup(pcancel)
	}
	return ctx, "http://" + ln.Addr().String(), blog
}

// browserTest is the first line of every browser test: it skips under
// -short (or fails on CI without Chromium) before the test builds its
// fixture, which the fast loop would otherwise pay for nothing.
func browserTest(t *testing.T) {
	t.Helper()
	chromiumPath(t)
}

// chromiumPath finds Chromium, or skips the test loudly; on CI a missing
// browser fails the build instead, so the check cannot silently vanish.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		// The fast loop (go test -short) leaves the browser out; CI runs
		// the whole suite, browser included.
		t.Skip("!!! BROWSER TEST NOT RUN (-short): charts, JavaScript and layout are NOT checked; run without -short, as CI does. !!!")
	}
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "!!! BROWSER TEST NOT RUN: Chromium was not found (looked for /usr/bin/chromium and chromium on PATH). " +
		"Charts, JavaScript errors and external requests are NOT checked. Install chromium to run it. !!!"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// browserLog collects what must not happen on a page: JavaScript errors,
// exceptions, dialogs, and requests to anywhere but the test server.
type browserLog struct {
	host string
	mu   sync.Mutex
	bad  []string
	// allowed404 is the URL of a page expected to answer 404, whose own
	// "failed to load resource" console line is not an error.
	allowed404 string
}

func (b *browserLog) add(format string, a ...any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.bad = append(b.bad, fmt.Sprintf(format, a...))
}

func (b *browserLog) take() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := b.bad
	b.bad = nil
	return out
}

func (b *browserLog) expect404(u string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.allowed404 = u
}

// listen runs in the tab's event loop: it must return fast and run no
// command.
func (b *browserLog) listen(ev any) {
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var parts []string
			for _, a := range ev.Args {
				if a.Value != nil {
					parts = append(parts, string(a.Value))
				} else {
					parts = append(parts, a.Description)
				}
			}
			b.add("console.%s: %s", ev.Type, strings.Join(parts, " "))
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		desc := d.Text
		if d.Exception != nil {
			desc += " " + d.Exception.Description
		}
		b.add("exception at %s:%d: %s", d.URL, d.LineNumber, desc)
	case *cdplog.EventEntryAdded:
		if ev.Entry.Level == cdplog.EntryLevelError {
			b.mu.Lock()
			allowed := b.allowed404 != "" && ev.Entry.URL == b.allowed404
			b.mu.Unlock()
			if !allowed {
				b.add("log %s: %s (%s)", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
			}
		}
	case *page.EventJavascriptDialogOpening:
		b.add("dialog opened: %q", ev.Message)
	case *network.EventRequestWillBeSent:
		u, err := url.Parse(ev.Request.URL)
		if err != nil {
			b.add("unparsable request URL %q", ev.Request.URL)
			return
		}
		if u.Scheme == "data" || u.Scheme == "blob" || u.Scheme == "about" {
			return
		}
		if u.Host != b.host {
			b.add("request left the test server: %s", ev.Request.URL)
		}
	}
}
