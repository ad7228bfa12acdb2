package portal_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"scorecard/data"
	"scorecard/models"
	"scorecard/portal"
	"scorecard/portal/portaltest"
	"scorecard/scoring"
)

func testClient(t testing.TB, url string) *portal.Client {
	t.Helper()
	cl := portal.NewClient(url, reader(t))
	cl.Pause, cl.Backoff, cl.Timeout, cl.Retries = 0, 0, 2*time.Second, 2
	return cl
}

func province(t testing.TB, agencies, communes int) *portaltest.Province {
	t.Helper()
	s, err := data.DefaultSchemes()
	if err != nil {
		t.Fatal(err)
	}
	return portaltest.NewProvince("H91", agencies, communes, s)
}

func TestFetchFollowsEveryPageAndImports(t *testing.T) {
	pr := province(t, 5, 23)
	srv := portaltest.NewServer(portaltest.ProvinceSource(pr, func(scoring.Period) int { return 9 }, 10))
	defer srv.Close()
	st := openStore(t)
	im := importer(t, st)
	cl := testClient(t, srv.URL)
	cl.Pause = 20 * time.Millisecond
	root := t.TempDir()
	p := scoring.MustPeriod("2026-Q3")
	res, err := im.Fetch(context.Background(), cl, root, pr.ID, p, models.SourceCLI)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 0 || res.Report == nil || res.Report.Units != 29 {
		t.Fatalf("result %+v", res)
	}
	reqs := srv.Requests()
	// 3 trees + 3 lists of 28 units in pages of 10.
	if len(reqs) != 3+3*3 {
		t.Errorf("%d requests, want 12", len(reqs))
	}
	for i, r := range reqs {
		if !strings.HasPrefix(r.UserAgent, "scorecard/") || r.ContentType != "application/json" {
			t.Errorf("request %d: UA %q, type %q", i, r.UserAgent, r.ContentType)
		}
		if i > 0 && r.At.Sub(reqs[i-1].At) < 20*time.Millisecond {
			t.Errorf("request %d came %v after the previous one: no pause", i, r.At.Sub(reqs[i-1].At))
		}
		if r.Endpoint == portal.Satisfaction {
			if r.Request.FromDate != "2026-07-01" || r.Request.ToDate != "2026-09-30" || r.Request.TimeType != "" {
				t.Errorf("satisfaction asked %+v", r.Request)
			}
		} else if r.Request.TimeType != "quarter" || r.Request.Quarter != 3 || r.Request.Year != 2026 {
			t.Errorf("%s asked %+v", r.Endpoint, r.Request)
		}
	}
	if filepath.Base(filepath.Dir(res.Dir)) != "2026-Q3" {
		t.Errorf("written to %s", res.Dir)
	}
	if _, err := os.Stat(filepath.Join(res.Dir, "transparency-p3.json")); err != nil {
		t.Error(err)
	}
}

func TestFetchRetriesThenGivesUp(t *testing.T) {
	pr := province(t, 2, 3)
	srv := portaltest.NewServer(portaltest.ProvinceSource(pr, func(scoring.Period) int { return 0 }, 0))
	defer srv.Close()
	var n atomic.Int32
	srv.SetFault(func(e portal.Endpoint, r portal.Request, seen int) *portaltest.Fault {
		n.Add(1)
		switch e {
		case portal.Progress:
			if seen < 2 {
				return &portaltest.Fault{Status: 503}
			}
		case portal.Online:
			if seen == 0 {
				return &portaltest.Fault{Delay: 2 * time.Second}
			}
		case portal.Payment:
			if seen == 0 {
				return &portaltest.Fault{Truncate: 100}
			}
		case portal.Digitized:
			if seen == 0 {
				return &portaltest.Fault{Drop: true}
			}
		case portal.Satisfaction:
			return &portaltest.Fault{Status: 502}
		}
		return nil
	})
	st := openStore(t)
	im := importer(t, st)
	root := t.TempDir()
	cl := testClient(t, srv.URL)
	cl.Timeout = 300 * time.Millisecond
	res, err := im.Fetch(context.Background(), cl, root, pr.ID, scoring.MustPeriod("2026-08"), models.SourceCLI)
	if err != nil {
		t.Fatal(err)
	}
	if res.Report != nil || len(res.Errors) != 1 || res.Errors[0].Endpoint != portal.Satisfaction || res.Errors[0].Attempts != 3 {
		t.Fatalf("result %+v", res)
	}
	if !strings.HasSuffix(res.Dir, ".incomplete") {
		t.Errorf("incomplete capture written to %s", res.Dir)
	}
	t.Logf("errors: %+v", res.Errors)
}

// The replay server serves the project's fixture capture; a fetch of its
// period writes the same bytes and imports the same figures.
func TestFetchReplaysTheFixture(t *testing.T) {
	src, err := portaltest.FolderSource(fixture)
	if err != nil {
		t.Fatal(err)
	}
	srv := portaltest.NewServer(src)
	defer srv.Close()
	m, err := portal.ReadManifest(fixture)
	if err != nil {
		t.Fatal(err)
	}
	// The first answer of each tree comes slowly, cut short, or fails once.
	srv.SetFault(func(e portal.Endpoint, _ portal.Request, n int) *portaltest.Fault {
		switch {
		case n > 0:
			return nil
		case e == portal.Progress:
			return &portaltest.Fault{Delay: time.Second}
		case e == portal.Online:
			return &portaltest.Fault{Truncate: 200}
		case e == portal.Payment:
			return &portaltest.Fault{Status: 504}
		}
		return nil
	})
	st := openStore(t)
	cl := testClient(t, srv.URL)
	cl.Timeout = 300 * time.Millisecond
	res, err := importer(t, st).Fetch(context.Background(), cl, t.TempDir(), m.ProvinceID, scoring.MustPeriod("2026-08"), models.SourceCLI)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 0 || res.Report == nil || res.Report.Units != 7 || res.Report.Figures != 42 {
		t.Fatalf("fetch of the fixture: %+v %+v", res, res.Report)
	}
	for _, r := range m.Responses {
		want, _ := os.ReadFile(filepath.Join(fixture, r.File))
		got, err := os.ReadFile(filepath.Join(res.Dir, portal.FileName(r.Endpoint, 1)))
		if err != nil || string(got) != string(want) {
			t.Errorf("%s: fetched bytes differ from the fixture (%v)", r.File, err)
		}
	}
	if n := len(srv.Requests()); n != 9 {
		t.Errorf("%d requests, want 6 and 3 retries", n)
	}
	// Another period of the same province is not in the fixture: 404,
	// not retried, the capture incomplete.
	srv.SetFault(nil)
	res, err = importer(t, st).Fetch(context.Background(), cl, t.TempDir(), m.ProvinceID, scoring.MustPeriod("2026-07"), models.SourceCLI)
	if err != nil || res.Report != nil || len(res.Errors) != 6 || res.Errors[0].Attempts != 1 || !strings.Contains(res.Errors[0].Error, "404") {
		t.Errorf("missing period: %+v, %v", res, err)
	}
}
