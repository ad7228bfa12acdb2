package handlers

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/data/demo"
	"scorecard/importer"
	"scorecard/internal/storetest"
	"scorecard/models"
	"scorecard/scorecache"
	"scorecard/store"
)

// newStoreApp is the application over a real store on db holding the demo
// data set, imported and published the way `scorecard demo` does, and wired
// the way `serve` wires it: with the store, so that every visitor's scores
// go through the draft filter.
func newStoreApp(t *testing.T, db storetest.DB) (*fiber.App, *store.Store, *importer.Importer) {
	t.Helper()
	ctx := t.Context()
	st := db.Open(t)
	schemes := pageSchemes(t)
	im := importer.New(st, schemes)
	var periods []string
	for _, f := range demo.Files() {
		rep, err := im.Import(ctx, f.Name, bytes.NewReader(f.Data), models.SourceDemo, true)
		if err != nil {
			t.Fatalf("import %s: %v", f.Name, err)
		}
		periods = append(periods, rep.Periods...)
	}
	svc := scorecache.New(st, schemes)
	for _, p := range store.TouchedPeriods(periods) {
		if _, err := st.PublishDemo(ctx, p, scorecache.SnapshotFunc(svc)); err != nil && !errors.Is(err, store.ErrAlreadyPublished) {
			t.Fatalf("publish %s: %v", p, err)
		}
	}
	app, err := New(Deps{Scores: svc, Store: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return app, st, im
}

// The demo ships the province's published results: the report's first
// paragraph and the overview's headline state "xếp thứ 17/63" for April
// 2024 and how the rank moved. A later import of the portal's results
// replaces them; a month without a published result states none.
func TestReportStatesImportedNationalRank(t *testing.T) {
	if testing.Short() {
		t.Skip("imports the whole demo on both databases (slow)")
	}
	storetest.Run(t, testReportStatesImportedNationalRank)
}

func testReportStatesImportedNationalRank(t *testing.T, db storetest.DB) {
	app, _, im := newStoreApp(t, db)
	const path = "/reports/2024-04"
	status, _, body := get(t, app, path)
	if status != 200 {
		t.Fatalf("%s: %d", path, status)
	}
	paras := paragraphsOf(body)
	first := paragraphWith(t, paras, "Tháng 04/2024, tỉnh Bắc Kạn đạt 75,35/100 điểm")
	if !strings.Contains(first, "Theo kết quả công bố trên Cổng Dịch vụ công quốc gia, tỉnh Bắc Kạn xếp thứ 17/63 tỉnh, thành phố, tăng 3 bậc so với tháng 03/2024.") {
		t.Errorf("the first paragraph does not state the national rank: %q", first)
	}
	status, _, body = get(t, app, "/?period=2024-04")
	if status != 200 {
		t.Fatalf("overview: %d", status)
	}
	card := between(t, body, `<div class="card card-national">`, "</div>")
	for _, want := range []string{"Xếp hạng toàn quốc", "17<span class=\"card-unit\">/63</span>", "tăng 3 bậc so với kỳ trước"} {
		if !strings.Contains(card, want) {
			t.Errorf("overview card lacks %q: %s", want, card)
		}
	}
	if _, _, b := get(t, app, "/?period=2024-04&lang=en"); !strings.Contains(b, "National rank") {
		t.Error("the English overview has no national rank card")
	}
	// The rankings API and open data say the same 17/63, beside the rank
	// among the provinces the database holds (1/1; the rankings page has
	// no province ranking for one province).
	checkOfficialRankEverywhere(t, app, "2024-04", "BK", "17", "63", false)
	// The first demo month has no previous rank to compare with.
	if _, _, b := get(t, app, "/reports/2023-05"); !strings.Contains(b, "xếp thứ 32/63 tỉnh, thành phố.") {
		t.Error("the first month's report does not state its rank alone")
	}

	// The demo's periods are published: new published results come in as
	// a correction, with its reason.
	file := "period,unit_code,total,rank,rank_of\n2024-03,BK,70.10,20,63\n2024-04,BK,75.35,12,63\n"
	ctx := store.WithCorrection(t.Context(), store.Correction{Reason: "Cổng công bố lại kết quả", By: store.Actor{Name: "test"}})
	if _, err := im.Import(ctx, "ket-qua-quoc-gia.csv", strings.NewReader(file), models.SourceCLI, false); err != nil {
		t.Fatalf("import official results: %v", err)
	}
	status, _, body = get(t, app, path)
	if status != 200 {
		t.Fatalf("%s after import: %d", path, status)
	}
	p := paragraphWith(t, paragraphsOf(body), "Cổng Dịch vụ công quốc gia", "xếp thứ 12/63 tỉnh, thành phố")
	if !strings.Contains(p, "tăng 8 bậc so với") {
		t.Errorf("the rank's change is not stated: %q", p)
	}
	checkOfficialRankEverywhere(t, app, "2024-04", "BK", "12", "63", false)
	// March's report states March's rank only.
	if _, _, b := get(t, app, "/reports/2024-03"); !strings.Contains(b, "xếp thứ 20/63") || strings.Contains(b, "12/63") {
		t.Error("the March report does not state March's rank alone")
	}
}

// Over the real store, open data carries Last-Modified (the time of the
// latest import) and answers If-Modified-Since.
func TestOpenDataLastModifiedFromStore(t *testing.T) {
	if testing.Short() {
		t.Skip("imports the whole demo on both databases (slow)")
	}
	storetest.Run(t, testOpenDataLastModifiedFromStore)
}

func testOpenDataLastModifiedFromStore(t *testing.T, db storetest.DB) {
	app, st, _ := newStoreApp(t, db)
	mod, err := st.DataModified(t.Context())
	if err != nil || mod.IsZero() {
		t.Fatalf("data modified: %v, %v", mod, err)
	}
	const path = "/open-data/2024-04/scores.csv"
	status, hdr, body := get(t, app, path)
	if status != 200 || body == "" {
		t.Fatalf("%s: %d", path, status)
	}
	lm := hdr("Last-Modified")
	if lm != mod.UTC().Format(http.TimeFormat) {
		t.Fatalf("Last-Modified %q, want %q", lm, mod.UTC().Format(http.TimeFormat))
	}
	if status, _, b := get(t, app, path, "If-Modified-Since", lm); status != 304 || b != "" {
		t.Errorf("If-Modified-Since the same time: %d (%d bytes), want 304", status, len(b))
	}
	earlier := mod.Add(-time.Hour).UTC().Format(http.TimeFormat)
	if status, _, _ := get(t, app, path, "If-Modified-Since", earlier); status != 200 {
		t.Errorf("If-Modified-Since an hour before the import: %d, want 200", status)
	}
}

// between is the text of body from start up to the first end after it.
func between(t *testing.T, body, start, end string) string {
	t.Helper()
	i := strings.Index(body, start)
	if i < 0 {
		t.Fatalf("no %q in the page", start)
	}
	j := strings.Index(body[i:], end)
	if j < 0 {
		t.Fatalf("no %q after %q", end, start)
	}
	return body[i : i+j]
}
