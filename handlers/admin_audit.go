package handlers

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/handlers/site"
	"scorecard/i18n"
	"scorecard/models"
	"scorecard/present"
	"scorecard/scoring"
	"scorecard/store"
)

// The audit trail, for admins: every import, publication,
// correction, account change and login, newest first, filtered by who,
// what, about what and when. Read only: nothing in the application changes
// or deletes a row (the database refuses it too).

// auditPageSize is the number of rows per page.
const auditPageSize = 100

// auditActions are the actions offered in the filter, in the trail's own
// words (models.Action…); "login." selects every login event.
var auditActions = []string{
	"login.", models.ActionLoginSuccess, models.ActionLoginFailure, models.ActionLoginBlocked, models.ActionLogout,
	models.ActionImport, models.ActionImportRefused, models.ActionImportFailed, models.ActionPublish, models.ActionCorrection,
	"user.", models.ActionUserAdd, models.ActionUserPasswd, models.ActionUserDisable, models.ActionUserEnable,
	models.ActionDemoRemove,
}

// adminAuditPage is /admin/audit.
type adminAuditPage struct {
	site.Layout
	Actor   string
	Action  string
	Target  string
	From    string // yyyy-mm-dd, as <input type=date> sends it
	To      string
	Actions []site.Option
	Rows    []auditRow
	Total   string
	Shown   string // "1–100"
	Prev    string // URLs of the neighbouring pages, "" at the ends
	Next    string
	Error   string
	// Chain is whether the trail is intact (admin_audit_chain.go).
	Chain chainView
}

type auditRow struct {
	At          string
	Actor       string
	ActionLabel string
	Action      string
	Target      string
	Detail      string
	Addr        string
	Agent       string
	Failure     bool
}

// adminAudit is GET /admin/audit.
func (h *handler) adminAudit(c *fiber.Ctx) error {
	l := site.Lang(c)
	v := &adminAuditPage{Actor: strings.TrimSpace(c.Query("actor")), Action: c.Query("action"),
		Target: strings.TrimSpace(c.Query("target")), From: c.Query("from"), To: c.Query("to")}
	v.Layout = h.simpleLayout(c, l.T("admin.audit.title"), "staff")
	f := store.AuditFilter{Actor: v.Actor, Target: v.Target, Limit: auditPageSize}
	known := false
	for _, a := range auditActions {
		key := "admin.audit.action." + strings.TrimSuffix(a, ".")
		if strings.HasSuffix(a, ".") {
			key += ".all"
		}
		v.Actions = append(v.Actions, site.Option{Value: a, Label: l.T(key), Selected: a == v.Action})
		known = known || a == v.Action
	}
	if known {
		f.Action = v.Action
	} else {
		v.Action = ""
	}
	// Dates are days in Vietnam; "to" includes its day.
	day := func(s string) (time.Time, bool) {
		t, err := time.ParseInLocation("2006-01-02", s, scoring.Location)
		return t, err == nil
	}
	if v.From != "" {
		if t, ok := day(v.From); ok {
			f.From = t
		} else {
			v.Error, v.From = l.T("admin.audit.err.date"), ""
		}
	}
	if v.To != "" {
		if t, ok := day(v.To); ok {
			f.To = t.AddDate(0, 0, 1)
		} else {
			v.Error, v.To = l.T("admin.audit.err.date"), ""
		}
	}
	page, _ := strconv.Atoi(c.Query("page"))
	page = max(page, 1)
	f.Offset = (page - 1) * auditPageSize
	rows, total, err := h.st.AuditLog(c.UserContext(), f)
	if err != nil {
		return site.Internal(err)
	}
	for _, e := range rows {
		r := auditRow{At: e.At.In(scoring.Location).Format("02/01/2006 15:04:05"), Actor: e.Actor, Action: e.Action,
			ActionLabel: e.Action, Target: e.Target, Addr: e.RemoteAddr, Agent: e.UserAgent,
			Failure: e.Action == models.ActionLoginFailure || e.Action == models.ActionLoginBlocked ||
				e.Action == models.ActionImportRefused || e.Action == models.ActionImportFailed}
		if key := "admin.audit.action." + e.Action; i18n.Has(l, key) {
			r.ActionLabel = l.T(key)
		}
		if e.Detail != "{}" {
			r.Detail = e.Detail
		}
		v.Rows = append(v.Rows, r)
	}
	v.Total = present.Int(l, total)
	if len(rows) > 0 {
		v.Shown = present.Int(l, int64(f.Offset+1)) + "–" + present.Int(l, int64(f.Offset+len(rows)))
	}
	link := func(p int) string {
		q := url.Values{}
		for k, val := range map[string]string{"actor": v.Actor, "action": v.Action, "target": v.Target, "from": v.From, "to": v.To} {
			if val != "" {
				q.Set(k, val)
			}
		}
		q.Set("page", strconv.Itoa(p))
		return "/admin/audit?" + q.Encode()
	}
	if page > 1 {
		v.Prev = link(page - 1)
	}
	if int64(f.Offset+len(rows)) < total {
		v.Next = link(page + 1)
	}
	v.Chain = h.chainView(c.UserContext(), l)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return h.Render(c, fiber.StatusOK, "admin_audit", v)
}
