package handlers

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/crypto/bcrypt"

	"scorecard/auth"
	"scorecard/data"
	"scorecard/handlers/pagecache"
	"scorecard/handlers/site"
	"scorecard/importer"
	"scorecard/internal/sqlitetemplate"
	"scorecard/internal/storetest"
	"scorecard/models"
	"scorecard/scorecache"
	"scorecard/store"
)

// The fixture of the access tests: a real database (a SQLite file in a
// temporary folder, or a PostgreSQL schema: fixtureOptions.db), the real
// importer, scores service, accounts and application.
//
//   - Units: the province BK, three agencies (BK.SGTVT, BK.STC, BK.SYT) and
//     a district.
//   - 2024-03 and 2024-04 are published; 2024-05 is a draft whose counts are
//     odd numbers (6173/8888 for BK.SGTVT, 5431/7919 for BK.STC) that appear
//     nowhere else, so that a leak of the draft is visible as text.
//   - Accounts: quantri (admin), vanphong (office), sogtvt (unit BK.SGTVT),
//     all with the password accessPassword.

const accessPassword = "mật-khẩu-thử-2024"

const accessUnits = "code,name,kind,parent_code\n" +
	"BK,Tỉnh Bắc Kạn,province,\n" +
	"BK.SGTVT,Sở Giao thông vận tải,agency,BK\n" +
	"BK.STC,Sở Tài chính,agency,BK\n" +
	"BK.SYT,Sở Y tế,agency,BK\n" +
	"BK.BABE,Huyện Ba Bể,district,BK\n"

const accessCounts = "period,unit_code,metric,numerator,denominator\n" +
	"2024-03,BK.SGTVT,ON_TIME_PROCESSING,10,20\n" +
	"2024-03,BK.STC,ON_TIME_PROCESSING,20,20\n" +
	"2024-04,BK.SGTVT,ON_TIME_PROCESSING,20,20\n" +
	"2024-04,BK.STC,ON_TIME_PROCESSING,15,20\n" +
	"2024-05,BK.SGTVT,ON_TIME_PROCESSING,6173,8888\n" +
	"2024-05,BK.STC,ON_TIME_PROCESSING,5431,7919\n"

// draftMarkers are texts only the draft's figures produce: its counts, in
// every format a page, an API answer or a download writes them.
var draftMarkers = []string{"6173", "6.173", "6,173", "8888", "8.888", "8,888", "5431", "5.431", "5,431", "7919", "7.919", "7,919"}

type accessFixture struct {
	t    *testing.T
	st   *store.Store
	svc  *scorecache.Service
	auth *auth.Service
	imp  *importer.Importer
	app  *fiber.App
	// routes is the route table as the application registered it.
	routes []site.Route
	log    *bytes.Buffer
	ids    map[string]uint // account ids by username
	// pages is the application's page cache.
	pages *pagecache.Cache
	// uploadDir is Options.UploadDir; dbConfig the database's.
	uploadDir string
	dbConfig  store.Config
}

// fixtureOptions tune the fixture.
type fixtureOptions struct {
	db          storetest.DB // SQLite when empty
	basePath    string
	uploadLimit int64
	now         func() time.Time
	importWait  time.Duration // Options.ImportWait
	publicURL   string        // Options.PublicURL
	jobs        *jobHolder    // holds the web imports' jobs (Deps.Progress)
	drafts      bool          // publish nothing: every period a draft
}

func newAccessFixture(t *testing.T, o fixtureOptions) *accessFixture {
	t.Helper()
	ctx := context.Background()
	if o.db == "" {
		o.db = storetest.SQLite
	}
	schemes := pageSchemes(t)
	var cfg store.Config
	var st *store.Store
	if o.db == storetest.SQLite {
		cfg = store.Config{Driver: store.DriverSQLite, DSN: filepath.Join(t.TempDir(), "scorecard.db")}
		accessSeeds[o.drafts].CopyTo(t, cfg.DSN)
		st = storetest.OpenConfig(t, cfg)
	} else {
		cfg = o.db.Config(t)
		st = storetest.OpenConfig(t, cfg)
		if err := seedAccess(ctx, st, o.drafts); err != nil {
			t.Fatal(err)
		}
	}
	f := &accessFixture{t: t, st: st, dbConfig: cfg, svc: scorecache.New(st, schemes), imp: importer.New(st, schemes), log: &bytes.Buffer{}, ids: map[string]uint{}}
	log := slog.New(slog.NewTextHandler(f.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var err error
	f.auth, err = auth.New(ctx, st, auth.Options{BasePath: o.basePath, BcryptCost: bcrypt.MinCost, Log: log, Now: o.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.auth.Wait)
	for _, name := range accessAccounts {
		u, err := st.UserByUsername(ctx, name)
		if err != nil {
			t.Fatalf("account %s: %v", name, err)
		}
		f.ids[name] = u.ID
	}
	f.uploadDir = t.TempDir()
	var progress func(importer.Progress)
	if o.jobs != nil {
		progress = o.jobs.observe
	}
	f.pages = pagecache.New(f.svc, pagecache.Options{Log: log})
	f.app, f.routes, err = build(Deps{Scores: f.svc, Log: log, Store: st, Auth: f.auth, Importer: f.imp, Snapshot: scorecache.SnapshotFunc(f.svc), Progress: progress, Pages: f.pages,
		Options: Options{OfficeName: "Văn phòng UBND tỉnh Bắc Kạn", BasePath: o.basePath, UploadLimit: o.uploadLimit, UploadDir: f.uploadDir,
			ImportWait: o.importWait, PublicURL: o.publicURL}})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// accessAccounts are the fixture's accounts, by username.
var accessAccounts = []string{"quantri", "vanphong", "sogtvt"}

// seedAccess writes the fixture's data into st: the units and counts,
// 2024-03 and 2024-04 published (unless drafts) and the accounts.
func seedAccess(ctx context.Context, st *store.Store, drafts bool) error {
	schemes, err := data.DefaultSchemes()
	if err != nil {
		return err
	}
	svc := scorecache.New(st, schemes)
	defer svc.Wait()
	imp := importer.New(st, schemes)
	for _, file := range [][2]string{{"units.csv", accessUnits}, {"counts.csv", accessCounts}} {
		if _, err := imp.Import(ctx, file[0], strings.NewReader(file[1]), models.SourceCLI, false); err != nil {
			return fmt.Errorf("import %s: %w", file[0], err)
		}
	}
	for _, p := range []string{"2024-03", "2024-04"} {
		if drafts {
			break
		}
		if _, err := st.Publish(ctx, p, store.Actor{Name: models.ActorCLI}, scorecache.SnapshotFunc(svc)); err != nil {
			return fmt.Errorf("publish %s: %w", p, err)
		}
	}
	unit := "BK.SGTVT"
	for _, u := range []models.User{
		{Username: accessAccounts[0], Role: models.RoleAdmin},
		{Username: accessAccounts[1], Role: models.RoleOffice},
		{Username: accessAccounts[2], Role: models.RoleUnit, UnitCode: &unit},
	} {
		if u.PasswordHash, err = auth.HashPassword(u.Username, accessPassword, bcrypt.MinCost); err != nil {
			return err
		}
		if err := st.CreateUser(ctx, &u, store.Actor{Name: models.ActorCLI}); err != nil {
			return err
		}
	}
	return nil
}

// accessSeeds are the fixture's SQLite database once seeded (seedAccess),
// without and with drafts only, each made once per test process and
// copied for each fixture: some fifty fixtures would otherwise import,
// score, publish and hash passwords the same way each time.
var accessSeeds = map[bool]*sqlitetemplate.Template{false: accessSeed(false), true: accessSeed(true)}

func accessSeed(drafts bool) *sqlitetemplate.Template {
	return sqlitetemplate.New(func(path string) error {
		ctx := context.Background()
		st, err := store.Open(ctx, store.Config{Driver: store.DriverSQLite, DSN: path})
		if err != nil {
			return err
		}
		if err := seedAccess(ctx, st, drafts); err != nil {
			_ = st.Close()
			return err
		}
		return st.Close()
	})
}

func (f *accessFixture) importString(name, content string) *importer.Report {
	f.t.Helper()
	rep, err := f.imp.Import(context.Background(), name, strings.NewReader(content), models.SourceCLI, false)
	if err != nil {
		f.t.Fatalf("import %s: %v", name, err)
	}
	return rep
}

// client is a browser without JavaScript: it keeps cookies and reads the
// CSRF token of the last page.
type client struct {
	t       *testing.T
	app     *fiber.App
	cookies map[string]string
	token   string
	base    string
}

func (f *accessFixture) client() *client {
	return &client{t: f.t, app: f.app, cookies: map[string]string{}}
}

type reply struct {
	status int
	header http.Header
	body   string
}

var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// do sends a request with the client's cookies and keeps the cookies and
// the CSRF token of the answer.
func (cl *client) do(method, target string, body io.Reader, contentType string) reply {
	cl.t.Helper()
	req := httptest.NewRequest(method, cl.base+target, body)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	var parts []string
	for k, v := range cl.cookies {
		parts = append(parts, k+"="+v)
	}
	if len(parts) > 0 {
		req.Header.Set("Cookie", strings.Join(parts, "; "))
	}
	resp, err := cl.app.Test(req, 60_000)
	if err != nil {
		cl.t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		cl.t.Fatal(err)
	}
	for _, ck := range resp.Cookies() {
		if ck.Value == "" || (!ck.Expires.IsZero() && ck.Expires.Before(time.Now())) {
			delete(cl.cookies, ck.Name)
		} else {
			cl.cookies[ck.Name] = ck.Value
		}
	}
	if m := csrfInput.FindStringSubmatch(string(b)); m != nil {
		cl.token = m[1]
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

func (cl *client) get(target string) reply { return cl.do(fiber.MethodGet, target, nil, "") }

// post sends a form with the client's CSRF token (unless the form has one).
func (cl *client) post(target string, form url.Values) reply {
	cl.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form[auth.CSRFField]; !ok && cl.token != "" {
		form.Set(auth.CSRFField, cl.token)
	}
	return cl.do(fiber.MethodPost, target, strings.NewReader(form.Encode()), fiber.MIMEApplicationForm)
}

// upload posts a file in a multipart form.
func (cl *client) upload(target, name, content string) reply {
	cl.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if err := w.WriteField(auth.CSRFField, cl.token); err != nil {
		cl.t.Fatal(err)
	}
	fw, err := w.CreateFormFile("file", name)
	if err != nil {
		cl.t.Fatal(err)
	}
	if _, err := io.WriteString(fw, content); err != nil {
		cl.t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		cl.t.Fatal(err)
	}
	return cl.do(fiber.MethodPost, target, &buf, w.FormDataContentType())
}

// login signs in through the form and fails the test unless it works.
func (cl *client) login(username string) {
	cl.t.Helper()
	cl.get("/login")
	r := cl.post("/login", url.Values{"username": {username}, "password": {accessPassword}})
	if r.status != fiber.StatusSeeOther || cl.cookies[auth.SessionCookie] == "" {
		cl.t.Fatalf("login %s: %d %s", username, r.status, r.body)
	}
	// A page with a form, for the session's CSRF token.
	cl.get("/methodology")
}
