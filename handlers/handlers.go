// Package handlers is the web layer: Fiber routes for the public dashboard
// and the read-only JSON API. Handlers parse the request, ask the scores
// service, build a typed view model and render it; scoring lives in
// scoring/, queries in store/, chart options in charts/.
package handlers

import (
	"log/slog"
	"strings"
	"sync"
	"text/template"
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/auth"
	"scorecard/handlers/api"
	"scorecard/handlers/pagecache"
	"scorecard/handlers/site"
	"scorecard/importer"
	"scorecard/portal"
	"scorecard/scorecache"
	"scorecard/store"
)

// Scores is what the handlers need from the scores service
// (*scorecache.Service).
type Scores = scorecache.Reader

// Options are the web layer's settings.
type Options struct {
	// AppName is shown in the header; OfficeName too when set.
	OfficeName string
	// The monthly report's document settings (config.Config.Report*).
	ReportSymbol, ReportSignerTitle, ReportSignerName string
	ReportRecipients                                  []string
	// EmbedAncestors are the sites allowed to show the /embed/ charts in an
	// iframe (CSP frame-ancestors source expressions such as
	// "https://backan.gov.vn" or "https://*.gov.vn"); nil allows every site
	// ("*"). Other pages may only be framed by the application itself.
	EmbedAncestors []string
	// UploadLimit is the largest file the staff may import through the
	// web, in bytes (default DefaultUploadLimit). Requests larger than it
	// are refused before they are read whole.
	UploadLimit int64
	// BasePath is the prefix the application is served under behind a
	// reverse proxy that keeps it ("/chiso"), "" at the root: the same as
	// the accounts' (auth.Options.BasePath).
	BasePath string
	// UploadDir is this process's working folder for uploads: request
	// bodies as they arrive and the copies an import job reads (default:
	// the system's temporary folder). Files waiting for their
	// confirmation are in the database, shared by every process.
	UploadDir string
	// PublicURL is the dashboard's public address, base path included
	// ("https://chiso.backan.gov.vn/chiso"), which downloads name as
	// their source; "" names them by path (sourceURL).
	PublicURL string
	// DrillDown shows, on a unit page, the list of its late and
	// unsatisfied dossiers with their codes (drilldown.go);
	// without it only the summary by procedure shows, no dossier code
	// (`scorecard serve --drilldown`).
	DrillDown bool
	// ImportWait is how long a web import request waits for the check or
	// the import of its file before answering with a page that shows its
	// progress (staff_jobs.go); 0 means DefaultImportWait, a negative
	// value not to wait.
	ImportWait time.Duration
}

// DefaultUploadLimit is the default UploadLimit: a province's monthly
// counts are a few hundred kilobytes, a month of dossier records tens of
// megabytes.
const DefaultUploadLimit = 64 << 20

// Deps are the handlers' dependencies.
type Deps struct {
	Scores  Scores
	Log     *slog.Logger
	Options Options

	// Accounts, drafts and the staff pages.
	//
	// Store, when set, turns the publishing workflow on: visitors see the
	// published periods only, unless their account may see drafts. Auth
	// adds the accounts (login, logout, the staff and admin pages, the
	// access rules of the routes, CSRF); it needs Store and
	// Importer. With neither, every period is public and no account
	// exists (tests of the pages, read-only tools).
	Store    Store
	Auth     *auth.Service
	Importer Importer
	// Snapshot freezes a period's scores when it is published; it must see
	// every unit (scorecache.SnapshotFunc over the scores service itself). By
	// default it is made from Scores when that is a *scorecache.Service.
	Snapshot store.SnapshotFunc

	// Progress, when set, observes every web import's progress, on the
	// import's goroutine, after the page's record of it is updated (a
	// supervisor; a test holds a job half-way through it).
	Progress func(importer.Progress)

	// Portal imports captures of the national portal on the staff's
	// import page; by default made from Store when that is a *store.Store.
	Portal PortalImporter

	// Dossiers, when set, gives the unit page its drill-down into the
	// dossiers that cost points (the *store.Store).
	Dossiers DossierDrillDowns

	// Boundaries, when set, gives the overview and the rankings a map of
	// the communes; by default the Store when it keeps boundaries.
	Boundaries BoundarySource

	// Pages keeps the answers of the open routes (package pagecache);
	// serve runs its Watch. By default one is made over Scores when it
	// can say its data version (a *scorecache.Service).
	Pages *pagecache.Cache
}

type handler struct {
	*site.Site
	api  *api.API
	opts Options

	// The publishing workflow and the accounts (nil when off, see Deps).
	st      Store
	imp     Importer
	snap    store.SnapshotFunc
	uploads *uploads
	chain   *chainCheck // the audit trail's integrity, for its page

	dossiers DossierDrillDowns // nil when off
	// portal reads running periods day by day (portal_days.go); nil when
	// the scores service keeps no portal captures.
	portal portalReader
	// recon compares the portal's published scores with ours
	// (staff_reconcile.go); nil without portal captures.
	recon reconciler
	// portalImp imports captures of the national portal on the web
	// (staff_portal.go); nil without a store.
	portalImp PortalImporter
	progress  func(importer.Progress)
	pages     *pagecache.Cache // nil when off
	bounds    BoundarySource   // nil without boundaries
}

// New builds the application: the one constructor used by main and by tests.
func New(d Deps) (*fiber.App, error) {
	app, _, err := build(d)
	return app, err
}

// build is New, with the route table as registered (the authorization
// matrix test walks it).
func build(d Deps) (*fiber.App, []site.Route, error) {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	base := strings.TrimRight(d.Options.BasePath, "/")
	v, err := loadViews(base)
	if err != nil {
		return nil, nil, err
	}
	h := &handler{Site: &site.Site{Log: d.Log, Scores: d.Scores, Views: v, OfficeName: d.Options.OfficeName},
		opts: d.Options, dossiers: d.Dossiers, progress: d.Progress, pages: d.Pages}
	if pr, ok := d.Scores.(portalReader); ok {
		h.portal = pr
	}
	if vs, ok := d.Scores.(pagecache.Versions); ok && h.pages == nil {
		h.pages = pagecache.New(vs, pagecache.Options{Log: d.Log})
	}
	if rc, ok := d.Scores.(reconciler); ok {
		h.recon = rc
	}
	h.portalImp = d.Portal
	h.bounds = d.Boundaries
	if b, ok := d.Store.(BoundarySource); ok && h.bounds == nil {
		h.bounds = b
	}
	if st, ok := d.Store.(*store.Store); ok && h.portalImp == nil && d.Scores != nil {
		h.portalImp = portal.NewImporter(st, d.Scores.Schemes())
	}
	if err := h.setupAccess(d); err != nil {
		return nil, nil, err
	}
	h.api = api.New(h.Site)
	app := fiber.New(fiber.Config{
		AppName:               "scorecard",
		DisableStartupMessage: true,
		ErrorHandler:          h.ErrorHandler,
		// Bodies are read by the route, within its own limit (site's
		// body.go): the server only streams them. The limit here is the
		// largest of them, an upload's. Multipart forms are read by the
		// route too, not by the server for every request.
		StreamRequestBody:            true,
		DisablePreParseMultipartForm: true,
		BodyLimit:                    int(h.uploadLimit() + uploadOverhead),
	})
	r := h.routes(app)
	// A route registered around the route table would have no access
	// rule: the server does not start with one.
	if err := r.Check(app); err != nil {
		return nil, nil, err
	}
	if h.pages != nil {
		// What the first visitors ask for, prepared before they come.
		h.pages.Bind(app.Handler(), h.URL("/"), h.URL("/rankings"), h.URL("/api/v1/rankings"))
	}
	return app, r.Table(), nil
}

// parsedViews holds the views once per base path and process: they depend on
// nothing else (the embedded files and the base path) and are read-only once
// loaded, so every application built in one process (two servers on one
// database, or the tests' hundreds) shares one parse of the templates and one
// compression of the static files instead of repeating them.
var parsedViews = struct {
	sync.Mutex
	byBase map[string]*site.Views
}{byBase: map[string]*site.Views{}}

func loadViews(base string) (*site.Views, error) {
	parsedViews.Lock()
	defer parsedViews.Unlock()
	if v := parsedViews.byBase[base]; v != nil {
		return v, nil
	}
	// embedCode is the copy-paste <iframe> of an embeddable chart, its
	// path under the base path (the page's script completes it with the
	// site's address).
	embed := func(path, title string) string { return embedCode(base, path, title) }
	v, err := site.LoadViews(base, template.FuncMap{"embedCode": embed}, pageTemplates...)
	if err != nil {
		return nil, err
	}
	parsedViews.byBase[base] = v
	return v, nil
}

// pageTemplates are the pages the application cannot start without.
var pageTemplates = []string{"overview", "provinces", "rankings", "unit", "methodology", "report", "report_week", "opendata", "dictionary", "embed"}
