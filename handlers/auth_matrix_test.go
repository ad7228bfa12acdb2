package handlers

import (
	"context"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/crypto/bcrypt"

	"scorecard/auth"
	"scorecard/handlers/site"
	"scorecard/i18n"
	"scorecard/internal/storetest"
	"scorecard/models"
	"scorecard/store"
)

// routeAccess is who may use each route of the route table, written out by
// hand: the specification the route table's rules and the application's
// answers are both checked against. A route added to routes.go without a
// line here fails TestAuthorizationMatrix; so does a line here for a route
// that is gone.
var routeAccess = map[string]auth.Who{
	"GET /healthz":                      auth.Everyone,
	"GET /static/*":                     auth.Everyone,
	"GET /":                             auth.Everyone,
	"GET /provinces/:code":              auth.Everyone,
	"GET /rankings":                     auth.Everyone,
	"GET /units/:code":                  auth.Everyone,
	"GET /methodology":                  auth.Everyone,
	"GET /search":                       auth.Everyone,
	"GET /maps/:code":                   auth.Everyone,
	"GET /units/:code/whatif":           auth.Everyone,
	"GET /warnings":                     auth.Staff,
	"GET /staff/reconciliation":         auth.Staff,
	"GET /api/v1/reconciliation":        auth.Staff,
	"GET /reports":                      auth.Everyone,
	"GET /reports/:period":              auth.Everyone,
	"GET /reports/week/:week":           auth.Everyone,
	"GET /export/overview":              auth.Everyone,
	"GET /export/rankings":              auth.Everyone,
	"GET /export/units/:code":           auth.Everyone,
	"GET /open-data":                    auth.Everyone,
	"GET /open-data/dictionary":         auth.Everyone,
	"GET /open-data/scheme.json":        auth.Everyone,
	"GET /open-data/:period/:file":      auth.Everyone,
	"GET /embed/trend":                  auth.Everyone,
	"GET /embed/groups":                 auth.Everyone,
	"GET /embed/ranking":                auth.Everyone,
	"GET /revisions/:period":            auth.Everyone,
	"GET /revisions/:period/:rev":       auth.Everyone,
	"GET /api/v1/periods":               auth.Everyone,
	"GET /api/v1/rankings":              auth.Everyone,
	"GET /api/v1/units/:code":           auth.Everyone,
	"GET /api/v1/scheme":                auth.Everyone,
	"GET /api/v1/units/:code/whatif":    auth.Everyone,
	"POST /api/v1/units/:code/whatif":   auth.Everyone,
	"GET /login":                        auth.Everyone,
	"POST /login":                       auth.Everyone,
	"POST /logout":                      auth.SignedIn,
	"GET /staff":                        auth.Staff,
	"GET /staff/import":                 auth.Staff,
	"POST /staff/import":                auth.Staff,
	"POST /staff/import/:token":         auth.Staff,
	"GET /staff/import/:token":          auth.Staff,
	"GET /staff/import/:token/progress": auth.Staff,
	"GET /staff/templates/:kind":        auth.Staff,
	"GET /staff/publish":                auth.Staff,
	"POST /staff/publish":               auth.Staff,
	"GET /admin/users":                  auth.Admins,
	"POST /admin/users":                 auth.Admins,
	"POST /admin/users/:id/password":    auth.Admins,
	"POST /admin/users/:id/disabled":    auth.Admins,
	"GET /admin/audit":                  auth.Admins,
}

// matrixRole is one kind of visitor of the matrix.
type matrixRole struct {
	name     string
	username string // "" for anonymous
	who      auth.Who
	// code is the unit code put in :code routes: a unit account asks for
	// another unit than its own (B), everyone else for A.
	code string
}

var matrixRoles = []matrixRole{
	{"anonymous", "", auth.Anonymous, "BK.SGTVT"},
	{"unit A asking for B", "sogtvt", auth.UnitAccounts, "BK.STC"},
	{"unit A asking for A", "sogtvt", auth.UnitAccounts, "BK.SGTVT"},
	{"office", "vanphong", auth.OfficeAccounts, "BK.SGTVT"},
	{"admin", "quantri", auth.AdminAccounts, "BK.SGTVT"},
}

// samplePath fills a route pattern with real values.
func samplePath(pattern, code string, userID uint) string {
	segs := strings.Split(pattern, "/")
	for i, s := range segs {
		switch s {
		case ":code":
			segs[i] = url.PathEscape(code)
		case ":period":
			segs[i] = "2024-04"
		case ":file":
			segs[i] = "scores.csv"
		case ":rev":
			segs[i] = "1"
		case ":token":
			segs[i] = "00000000000000000000000000000000"
		case ":kind":
			segs[i] = "counts"
		case ":id":
			segs[i] = strconv.FormatUint(uint64(userID), 10)
		case "*":
			segs[i] = "css/app.css"
		default:
			if strings.HasPrefix(s, ":") {
				segs[i] = "x"
			}
		}
	}
	return strings.Join(segs, "/")
}

// TestAuthorizationMatrix walks every route of the route table with every
// kind of visitor and checks the answer against routeAccess: allowed
// routes reach their handler; an anonymous visitor asking for a page is
// sent to the login page (401 for the API and for forms); a signed-in
// account without the right gets 403.
func TestAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	storetest.Run(t, testAuthorizationMatrix)
}

func testAuthorizationMatrix(t *testing.T, db storetest.DB) {
	f := newAccessFixture(t, fixtureOptions{db: db})
	// An account the admin's forms act on in the matrix (never one the
	// matrix signs in with).
	hash, err := auth.HashPassword("tamthoi", accessPassword, bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	spare := &models.User{Username: "tamthoi", PasswordHash: hash, Role: models.RoleOffice}
	if err := f.st.CreateUser(context.Background(), spare, store.Actor{Name: models.ActorCLI}); err != nil {
		t.Fatal(err)
	}

	routes := f.app.GetRoutes(true)
	seen := map[string]bool{}
	var keys []string
	for _, r := range routes {
		if r.Method == fiber.MethodHead || r.Method == "USE" {
			continue
		}
		k := r.Method + " " + r.Path
		if seen[k] {
			continue
		}
		seen[k] = true
		keys = append(keys, k)
		if _, ok := routeAccess[k]; !ok {
			t.Errorf("route %s is not in routeAccess: say who may use it", k)
		}
	}
	for k := range routeAccess {
		if !seen[k] {
			t.Errorf("routeAccess lists %s, which the route table does not have", k)
		}
	}
	for _, r := range f.routes {
		if want, ok := routeAccess[r.Method+" "+r.Path]; ok && want != r.Rule.Who {
			t.Errorf("route %s %s (%s) allows %b, routeAccess says %b", r.Method, r.Path, r.Audience, r.Rule.Who, want)
		}
	}
	sort.Strings(keys)

	clients := map[string]*client{}
	for _, role := range matrixRoles {
		cl := f.client()
		if role.username != "" {
			cl.login(role.username)
		} else {
			cl.get("/login") // the anonymous visitor's CSRF token, for its forms
		}
		clients[role.name] = cl
	}
	for _, k := range keys {
		method, pattern, _ := strings.Cut(k, " ")
		want := routeAccess[k]
		for _, role := range matrixRoles {
			cl := clients[role.name]
			target := samplePath(pattern, role.code, spare.ID)
			var r reply
			if method == fiber.MethodGet {
				r = cl.get(target)
			} else {
				r = cl.post(target, nil)
			}
			allowed := want&role.who != 0
			where := k + " as " + role.name + " (" + target + ")"
			switch {
			case allowed:
				if r.status == fiber.StatusUnauthorized && strings.Contains(r.body, i18n.VI.T(auth.KeyUnauthenticated)) ||
					r.status == fiber.StatusForbidden || r.status >= 500 ||
					strings.HasPrefix(r.header.Get("Location"), "/login") {
					t.Errorf("%s: allowed, got %d %s %.200s", where, r.status, r.header.Get("Location"), r.body)
				}
			case role.username == "" && method == fiber.MethodGet && !strings.HasPrefix(pattern, "/api/"):
				if r.status != fiber.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/login?next=") {
					t.Errorf("%s: want a redirect to the login page, got %d %q", where, r.status, r.header.Get("Location"))
				}
			case role.username == "":
				// A form posted anonymously meets the CSRF check first
				// (no session, no token of one): refused either way.
				if r.status != fiber.StatusUnauthorized && r.status != fiber.StatusForbidden {
					t.Errorf("%s: want 401 or 403, got %d", where, r.status)
				}
			default:
				if r.status != fiber.StatusForbidden || !strings.Contains(r.body, i18n.VI.T(auth.KeyForbidden)) {
					t.Errorf("%s: want 403 with the message, got %d %.200s", where, r.status, r.body)
				}
			}
			if k == "POST /logout" && role.username != "" {
				cl.login(role.username) // signed out by the route: sign in again
			}
		}
	}

	// The anonymous visitor's redirect comes back to the page asked for.
	r := f.client().get("/staff?x=1")
	if loc := r.header.Get("Location"); loc != "/login?next="+url.QueryEscape("/staff?x=1") {
		t.Errorf("redirect to %q", loc)
	}
	// Unknown paths are 404, for everyone, before any handler.
	if r := clients["admin"].get("/admin/nothing"); r.status != fiber.StatusNotFound {
		t.Errorf("unknown admin path: %d", r.status)
	}
	// A form to the read-only API: 405 as without accounts (no route has
	// it).
	if r := clients["admin"].post("/api/v1/periods", nil); r.status != fiber.StatusMethodNotAllowed || r.header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST to a read-only API resource: %d %s", r.status, r.body)
	}
}

// A route registered around the route table, without a rule, stops the
// application from starting.
func TestRouteWithoutRuleRefused(t *testing.T) {
	app := fiber.New()
	r := site.NewRouter(app, nil, nil)
	r.Group("", "staff", auth.Staff).Get("/staff", func(*fiber.Ctx) error { return nil })
	if err := r.Check(app); err != nil {
		t.Fatalf("check of a table-only app: %v", err)
	}
	app.Get("/staff/secret", func(*fiber.Ctx) error { return nil })
	err := r.Check(app)
	if err == nil || !strings.Contains(err.Error(), "/staff/secret") || strings.Contains(err.Error(), "GET /staff ") {
		t.Fatalf("check = %v", err)
	}
}
