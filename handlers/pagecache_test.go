package handlers

import (
	"context"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/crypto/bcrypt"

	"scorecard/auth"
	"scorecard/handlers/pagecache"
	"scorecard/importer"
	"scorecard/internal/storetest"
	"scorecard/models"
	"scorecard/scorecache"
	"scorecard/store"
)

// The page cache inside the application, on a real database: what the
// public is served from it follows every import, publish and correction,
// never carries a draft or a signed-in visitor's page, and follows a change
// made by another server process on the same database.

// cachedTargets are open answers showing BK.STC's figures of the draft
// 2024-05 to those who may see them (5431/7919 in the fixture), with the
// texts those figures take in each.
var cachedTargets = []struct{ url, shows, corrected string }{
	{"/api/v1/units/BK.STC?period=2024-05", `"numerator":5431`, `"numerator":5437`},
	{"/units/BK.STC?period=2024-05", "5.431", "5.437"},
	{"/rankings?period=2024-05&kind=agency", "Sở Tài chính", "Sở Tài chính"},
}

// noDraftIn fails when an answer shows the draft.
func noDraftIn(t *testing.T, who string, r reply) {
	t.Helper()
	text := bodyText(t, r)
	for _, m := range draftMarkers {
		if strings.Contains(text, m) {
			t.Errorf("%s shows the draft's %q", who, m)
		}
	}
}

// personal: a Cache-Control that no shared cache may keep.
func personal(cc string) bool {
	return (strings.Contains(cc, "private") || strings.Contains(cc, "no-store")) && !strings.Contains(cc, "public")
}

func TestPageCacheFollowsTheData(t *testing.T) { storetest.Run(t, testPageCacheFollowsTheData) }

func testPageCacheFollowsTheData(t *testing.T, db storetest.DB) {
	f := newAccessFixture(t, fixtureOptions{db: db})
	ctx := context.Background()
	anon := f.client()
	tags := map[string]string{}
	for _, c := range cachedTargets {
		anon.get(c.url)
	}
	before := f.pages.Stats()
	for _, c := range cachedTargets {
		r := anon.get(c.url)
		noDraftIn(t, "anonymous "+c.url, r)
		if r.status != fiber.StatusOK || r.header.Get("Cache-Control") != pagecache.SharedCacheControl || r.header.Get("ETag") == "" {
			t.Errorf("anonymous %s: %d, Cache-Control %q, ETag %q", c.url, r.status, r.header.Get("Cache-Control"), r.header.Get("ETag"))
		}
		tags[c.url] = r.header.Get("ETag")
	}
	if s := f.pages.Stats(); s.Hits < before.Hits+uint64(len(cachedTargets)) {
		t.Fatalf("the second requests were not served from the cache: %+v, before %+v", s, before)
	}

	// Staff see the draft; the public, asking after them, still does not.
	office := f.client()
	office.login("vanphong")
	for _, c := range cachedTargets {
		r := office.get(c.url)
		if !strings.Contains(r.body, c.shows) {
			t.Errorf("office %s does not show the draft (%q)", c.url, c.shows)
		}
		if cc := r.header.Get("Cache-Control"); !personal(cc) {
			t.Errorf("office %s: Cache-Control %q lets a proxy share it", c.url, cc)
		}
		noDraftIn(t, "anonymous after the office "+c.url, anon.get(c.url))
	}

	// Publishing shows the figures to the public at once.
	if _, err := f.st.Publish(ctx, "2024-05", store.Actor{Name: "vanphong"}, scorecache.SnapshotFunc(f.svc)); err != nil {
		t.Fatal(err)
	}
	for _, c := range cachedTargets {
		r := anon.get(c.url)
		if !strings.Contains(r.body, c.shows) || r.header.Get("ETag") == tags[c.url] {
			t.Errorf("anonymous %s after the publish: ETag %s (before %s), shows %q: %v", c.url,
				r.header.Get("ETag"), tags[c.url], c.shows, strings.Contains(r.body, c.shows))
		}
		tags[c.url] = r.header.Get("ETag")
	}

	// A correction of the published month, imported: the public sees the
	// corrected figures at once.
	cctx := store.WithCorrection(ctx, store.Correction{Reason: "Sở Tài chính gửi lại số liệu tháng 5 theo công văn số 15/STC."})
	if _, err := f.imp.Import(cctx, "sua.csv", strings.NewReader("period,unit_code,metric,numerator,denominator\n2024-05,BK.STC,ON_TIME_PROCESSING,5437,7919\n"),
		models.SourceCLI, false); err != nil {
		t.Fatal(err)
	}
	for _, c := range cachedTargets {
		r := anon.get(c.url)
		if !strings.Contains(r.body, c.corrected) || strings.Contains(r.body, "5431") || strings.Contains(r.body, "5.431") ||
			r.header.Get("ETag") == tags[c.url] {
			t.Errorf("anonymous %s after the correction: ETag %s (before %s), shows the corrected %q: %v", c.url,
				r.header.Get("ETag"), tags[c.url], c.corrected, strings.Contains(r.body, c.corrected))
		}
	}
}

// A signed-in page is the account's own: never kept, never served to
// another account or to the public, whatever the order of the visits; the
// public's kept page is never served to an account.
func TestPageCacheKeepsViewersApart(t *testing.T) {
	f := newAccessFixture(t, fixtureOptions{})
	anon := f.client()
	office := f.client()
	office.login("vanphong")
	unit := f.client()
	unit.login("sogtvt")
	const own = "/units/BK.SGTVT?period=2024-05"
	for round := 0; round < 2; round++ {
		for _, u := range []string{own, "/", "/rankings?period=2024-05", "/methodology"} {
			ra := anon.get(u)
			ro := office.get(u)
			ru := unit.get(u)
			ra2 := anon.get(u)
			for _, r := range []reply{ra, ra2} {
				if strings.Contains(r.body, "vanphong") || strings.Contains(r.body, "sogtvt") ||
					strings.Contains(r.body, office.token) || strings.Contains(r.body, unit.token) {
					t.Errorf("anonymous %s shows a signed-in visitor's page", u)
				}
				noDraftIn(t, "anonymous "+u, r)
			}
			if !strings.Contains(ro.body, "vanphong") || strings.Contains(ro.body, "sogtvt") || strings.Contains(ro.body, unit.token) {
				t.Errorf("office %s is not its own page", u)
			}
			if !strings.Contains(ru.body, "sogtvt") || strings.Contains(ru.body, "vanphong") || strings.Contains(ru.body, office.token) {
				t.Errorf("unit account %s is not its own page", u)
			}
			for _, r := range []reply{ro, ru} {
				if cc := r.header.Get("Cache-Control"); !personal(cc) {
					t.Errorf("signed-in %s: Cache-Control %q lets a proxy share it", u, cc)
				}
			}
		}
		// The drafts each account may see.
		if r := unit.get(own); !strings.Contains(r.body, "6.173") {
			t.Error("the unit account does not see its own draft")
		}
		if r := office.get("/"); !strings.Contains(r.body, `value="2024-05"`) {
			t.Error("the office's period selector lacks the draft")
		}
	}
	// The language is part of the key: the English page is not the
	// Vietnamese one kept before it.
	en := f.client()
	en.cookies["lang"] = "en"
	vi := anon.get("/methodology")
	if r := en.get("/methodology"); !strings.Contains(r.body, `<html lang="en"`) || r.header.Get("ETag") == vi.header.Get("ETag") {
		t.Errorf("English visitor served another page (ETag %s, Vietnamese %s)", r.header.Get("ETag"), vi.header.Get("ETag"))
	}
	if !strings.Contains(vi.body, `<html lang="vi"`) {
		t.Error("the Vietnamese page is not Vietnamese")
	}
}

// anotherServer is a second application on the fixture's database, with a
// store, scores, accounts and page cache of its own: a second server
// process.
func (f *accessFixture) anotherServer() *fiber.App {
	f.t.Helper()
	ctx := context.Background()
	st := storetest.OpenConfig(f.t, f.dbConfig)
	schemes := pageSchemes(f.t)
	svc := scorecache.New(st, schemes)
	log := slog.New(slog.NewTextHandler(f.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	accounts, err := auth.New(ctx, st, auth.Options{BcryptCost: bcrypt.MinCost, Log: log})
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(accounts.Wait)
	app, _, err := build(Deps{Scores: svc, Log: log, Store: st, Auth: accounts, Importer: importer.New(st, schemes),
		Snapshot: scorecache.SnapshotFunc(svc), Pages: pagecache.New(svc, pagecache.Options{Log: log}),
		Options: Options{OfficeName: "Văn phòng UBND tỉnh Bắc Kạn", UploadDir: f.uploadDir}})
	if err != nil {
		f.t.Fatal(err)
	}
	return app
}

func TestPageCacheSeesAnotherProcess(t *testing.T) { storetest.Run(t, testPageCacheSeesAnotherProcess) }

// Two servers on one database: what one changes, the other's public
// answers, kept before the change, show within a second.
func testPageCacheSeesAnotherProcess(t *testing.T, db storetest.DB) {
	f := newAccessFixture(t, fixtureOptions{db: db})
	b := &client{t: t, app: f.anotherServer(), cookies: map[string]string{}}
	const u = "/api/v1/units/BK.STC?period=2024-04"
	for i := 0; i < 2; i++ {
		if r := b.get(u); !strings.Contains(r.body, `"numerator":15`) {
			t.Fatalf("server B before: %.300s", r.body)
		}
	}
	// seen waits until server B's answer to target holds want; a request
	// started within a second of the change must see it.
	seen := func(what, target, want string) {
		t.Helper()
		changed := time.Now()
		for {
			started := time.Now()
			r := b.get(target)
			if strings.Contains(r.body, want) {
				return
			}
			if started.Sub(changed) > time.Second {
				t.Fatalf("server B still answers %s %.300s a second after %s", target, r.body, what)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	// An import through server A (a correction of the published April).
	cctx := store.WithCorrection(context.Background(), store.Correction{Reason: "Sở Tài chính gửi lại số liệu tháng 4 theo công văn số 12/STC."})
	if _, err := f.imp.Import(cctx, "sua.csv", strings.NewReader("period,unit_code,metric,numerator,denominator\n2024-04,BK.STC,ON_TIME_PROCESSING,17,20\n"),
		models.SourceCLI, false); err != nil {
		t.Fatal(err)
	}
	seen("an import through server A", u, `"numerator":17`)

	// A publish through server A: the draft, kept as nothing by B for the
	// public, appears there.
	const draft = "/api/v1/units/BK.STC?period=2024-05"
	noDraftIn(t, "server B before the publish", b.get(draft))
	noDraftIn(t, "server B before the publish", b.get(draft))
	if _, err := f.st.Publish(context.Background(), "2024-05", store.Actor{Name: "vanphong"}, scorecache.SnapshotFunc(f.svc)); err != nil {
		t.Fatal(err)
	}
	seen("a publish through server A", draft, `"numerator":5431`)
}

func TestTwoServersOneDatabase(t *testing.T) { storetest.Run(t, testTwoServersOneDatabase) }

// Two servers behind one address share what a visitor carries from one to
// the other: a session opened on A works on B, with its CSRF token; a
// period published through B is shown to the public by A within a second.
func testTwoServersOneDatabase(t *testing.T, db storetest.DB) {
	f := newAccessFixture(t, fixtureOptions{db: db})
	a := f.client()
	a.login("vanphong")
	b := &client{t: t, app: f.anotherServer(), cookies: a.cookies, token: a.token}
	if r := b.get("/staff"); r.status != fiber.StatusOK || !strings.Contains(r.body, "vanphong") {
		t.Fatalf("the session opened on A, on B: %d %.300s", r.status, r.body)
	}
	anonA := f.client()
	const draft = "/api/v1/units/BK.STC?period=2024-05"
	noDraftIn(t, "server A before the publish", anonA.get(draft))
	noDraftIn(t, "server A before the publish", anonA.get(draft))
	if r := b.post("/staff/publish", url.Values{"period": {"2024-05"}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("publish on B: %d %.300s", r.status, r.body)
	}
	published := time.Now()
	for {
		started := time.Now()
		r := anonA.get(draft)
		if strings.Contains(r.body, `"numerator":5431`) {
			break
		}
		if started.Sub(published) > time.Second {
			t.Fatalf("server A still answers %s a second after the publish on B: %.300s", draft, r.body)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
