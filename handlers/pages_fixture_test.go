package handlers

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/gofiber/fiber/v2"

	"scorecard/data"
	"scorecard/scorecache"
	"scorecard/scoring"
)

// pageXSS is a unit name that must show as text on every page and chart.
const pageXSS = `<script>alert(1)</script>`

// pageSource is an in-memory scorecache.Source for the page tests.
type pageSource struct {
	ds   *scoring.Dataset
	demo bool
	err  error
}

func (s pageSource) DataVersion(context.Context) (int64, error) { return 7, s.err }
func (s pageSource) Dataset(context.Context) (*scoring.Dataset, error) {
	if s.err != nil {
		return nil, s.err
	}
	return s.ds, nil
}
func (s pageSource) HasDemo(context.Context) (bool, error) { return s.demo, s.err }

// pageSchemes loads the embedded scheme as main does.
func pageSchemes(t testing.TB) *scoring.Schemes {
	t.Helper()
	s, err := data.DefaultSchemes()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// pageFixture is one province (Bắc Kạn) with four agencies, two districts
// and two communes, monthly counts from 2023-11 to 2024-04:
//
//   - every agency but Sở Y tế (BK.SYT) has counts for six per-unit metrics;
//     Sở Y tế has none at all ("chưa có dữ liệu");
//   - the agency named pageXSS has counts too, so it is ranked and charted;
//   - province-level metrics (PUBLISH_ON_TIME …) only on the province row,
//     so agencies inherit them ("kế thừa từ tỉnh");
//   - BK.SGTVT has a numerator above a thousand (vi-VN "12.345").
//
// The counts vary by unit and month so that ranks change between months.
func pageFixture() *scoring.Dataset {
	ds := &scoring.Dataset{
		Units: []scoring.Unit{
			{Code: "BK", Name: "Tỉnh Bắc Kạn", Kind: scoring.KindProvince},
			{Code: "BK.SGTVT", Name: "Sở Giao thông vận tải", Kind: scoring.KindAgency, ParentCode: "BK"},
			{Code: "BK.STC", Name: "Sở Tài chính", Kind: scoring.KindAgency, ParentCode: "BK"},
			{Code: "BK.STP", Name: "Sở Tư pháp", Kind: scoring.KindAgency, ParentCode: "BK"},
			{Code: "BK.SYT", Name: "Sở Y tế", Kind: scoring.KindAgency, ParentCode: "BK"},
			{Code: "BK.XSS", Name: pageXSS, Kind: scoring.KindAgency, ParentCode: "BK"},
			{Code: "BK.BABE", Name: "Huyện Ba Bể", Kind: scoring.KindDistrict, ParentCode: "BK"},
			{Code: "BK.CHODON", Name: "Huyện Chợ Đồn", Kind: scoring.KindDistrict, ParentCode: "BK"},
			{Code: "BK.BABE.CHORA", Name: "Xã Chợ Rã", Kind: scoring.KindCommune, ParentCode: "BK.BABE"},
			{Code: "BK.CHODON.BANGLUNG", Name: "Thị trấn Bằng Lũng", Kind: scoring.KindCommune, ParentCode: "BK.CHODON"},
		},
		Own: map[scoring.Key]scoring.Counts{},
	}
	own := func(period, unit, metric string, n, d int64) {
		ds.Own[scoring.Key{Period: period, Unit: unit, Metric: metric}] = scoring.C(n, d)
	}
	months := []string{"2023-11", "2023-12", "2024-01", "2024-02", "2024-03", "2024-04"}
	perUnit := []string{"ON_TIME_PROCESSING", "DOSSIER_SYNC", "ONLINE_SUBMISSION", "ONLINE_PAYMENT_DOSSIERS",
		"ORIGINAL_RESULT_AVAILABLE", "DOSSIER_RECEIVING_SATISFACTION"}
	scored := []string{"BK.SGTVT", "BK.STC", "BK.STP", "BK.XSS", "BK.BABE", "BK.CHODON", "BK.BABE.CHORA", "BK.CHODON.BANGLUNG"}
	for mi, m := range months {
		own(m, "BK", "PUBLISH_ON_TIME", int64(40+mi), 50)
		own(m, "BK", "PUBLIC_UPDATE_ON_TIME", int64(30+2*mi), 50)
		own(m, "BK", "PUBLIC_CONTENT_FULL", 47, 50)
		for ui, u := range scored {
			for ki, metric := range perUnit {
				d := int64(100 + 10*ui + ki)
				// A unit- and month-dependent share, always 0 ≤ n ≤ d.
				n := d * int64(50+((ui*7+mi*(ui+3)+ki*11)%50)) / 100
				own(m, u, metric, n, d)
			}
		}
	}
	own("2024-04", "BK.SGTVT", "ON_TIME_PROCESSING", 12345, 12400)
	return ds
}

// twoProvinces adds a second province with one agency, for the provinces
// ranking of "/".
func twoProvinces() *scoring.Dataset {
	ds := pageFixture()
	ds.Units = append(ds.Units,
		scoring.Unit{Code: "H21", Name: "Tỉnh Gia Lai", Kind: scoring.KindProvince},
		scoring.Unit{Code: "H21.05", Name: "Sở Nội vụ", Kind: scoring.KindAgency, ParentCode: "H21"},
	)
	ds.Own[scoring.Key{Period: "2024-04", Unit: "H21.05", Metric: "ON_TIME_PROCESSING"}] = scoring.C(3, 4)
	return ds
}

// demoScores are the scores services over the demo data set, one per
// source (with or without the demo flag), shared by every test of the
// package: the data never changes, so the periods one test scored serve
// the next instead of being scored again. Tests that build their own data
// set get a service of their own.
var demoScores = struct {
	sync.Mutex
	bySource map[pageSource]*scorecache.Service
}{bySource: map[pageSource]*scorecache.Service{}}

// scoresOver is the scores service of a page source: the shared one over
// the demo data, a new one otherwise.
func scoresOver(t testing.TB, src pageSource) *scorecache.Service {
	t.Helper()
	if src.err != nil || src.ds != demoDS(t) {
		return scorecache.New(src, pageSchemes(t))
	}
	demoScores.Lock()
	defer demoScores.Unlock()
	svc := demoScores.bySource[src]
	if svc == nil {
		svc = scorecache.New(src, pageSchemes(t))
		demoScores.bySource[src] = svc
	}
	return svc
}

// newPageApp builds the real application over ds (logs discarded).
func newPageApp(t testing.TB, src pageSource) (*fiber.App, *scorecache.Service) {
	t.Helper()
	svc := scoresOver(t, src)
	app, err := New(Deps{Scores: svc, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatalf("new app: %v", err)
	}
	return app, svc
}

// get fetches a path and returns status, headers and body.
func get(t testing.TB, app *fiber.App, path string, hdr ...string) (int, func(string) string, string) {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := app.Test(req, 20000)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: read: %v", path, err)
	}
	return resp.StatusCode, resp.Header.Get, string(b)
}

// mustScores is the engine's own result for a period, to compare pages with.
func mustScores(t testing.TB, svc *scorecache.Service, period string) *scoring.PeriodScores {
	t.Helper()
	ps, err := svc.Period(context.Background(), scoring.MustPeriod(period))
	if err != nil {
		t.Fatalf("scores %s: %v", period, err)
	}
	return ps
}

// rankOf finds a unit in a ranking.
func rankOf(t testing.TB, list []scoring.Ranked, code string) scoring.Ranked {
	t.Helper()
	for _, r := range list {
		if r.Unit.Code == code {
			return r
		}
	}
	t.Fatalf("unit %s not in ranking", code)
	return scoring.Ranked{}
}
