package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/auth"
	"scorecard/handlers/site"
	"scorecard/i18n"
	"scorecard/importer"
	"scorecard/models"
	"scorecard/portal"
	"scorecard/present"
	"scorecard/scoring"
	"scorecard/store"
)

// Web import for the staff: upload a CSV or XLSX file, see a
// preview (every problem by row and column, or what the file would change),
// confirm. A file that changes published periods is a correction: the
// confirmation then asks for a written reason, and each corrected period
// gets a new revision, its old figures staying viewable.

// staffImportPage is the import page in its three states: the form
// (Stage "form"), the preview of a staged file ("preview") and the outcome
// ("refused" or "done").
type staffImportPage struct {
	site.Layout
	Stage     string
	CSRFField string
	CSRFToken string
	LimitMB   int64
	Templates []templateLink
	// Error is a message for the visitor, in the page's language.
	Error string

	File     string
	KindKey  string
	Rows     string
	Periods  []periodLink
	Problems []problemRow
	// More counts the problems not listed.
	Total string

	// The units whose total the file changes (a counts file), the
	// largest changes first; Changes is nil for other kinds of file.
	Changes      []changeRow
	CountsFile   bool
	ChangedUnits string
	ChangedIn    string
	// ChangedOthers counts the units not in the file whose total moves
	// with it ("" for none).
	ChangedOthers string
	// ChangedPooled names the longer periods computed from the file's
	// months, which may change too although they are not scored ("" for
	// none).
	ChangedPooled string
	ChangedMore   string

	// Preview of a file that changes published periods.
	Published  []publishedRow
	NeedReason bool
	Reason     string
	ReasonMin  int
	ReasonMax  int
	ConfirmURL string

	// Working: a job in progress (staff_jobs.go).
	Phase     string
	StatusURL string
	Progress  jobProgress

	// PortalLine says what a capture of the national portal holds;
	// ReconURL, once imported, is its reconciliation with ours.
	PortalLine string
	ReconURL   string

	// Done.
	Summary   string
	Corrected int
	Drafts    []periodLink // touched drafts, to publish
}

type templateLink struct {
	KindKey string
	URL     string
	Columns string
}

type periodLink struct {
	Label string
	Code  string
	URL   string
}

// changeRow is one unit's total in one period, now and after the file.
type changeRow struct {
	Period   string
	Unit     string
	URL      string
	Old, New string // "" without data
	Change   present.Change
	// Note replaces the change when the unit gains or loses its data
	// ("mới có số liệu"): there is no total now, or after, to compare.
	Note string
}

type problemRow struct {
	Row     string
	Column  string
	Message string
}

type publishedRow struct {
	Label string
	On    string
	Demo  bool
}

// importPage starts the import page's view.
func (h *handler) importPage(c *fiber.Ctx, stage string) (*staffImportPage, error) {
	l := site.Lang(c)
	v := &staffImportPage{Stage: stage, CSRFField: auth.CSRFField, LimitMB: h.uploadLimit() >> 20,
		ReasonMin: store.MinReasonLen, ReasonMax: store.MaxReasonLen}
	v.Layout = h.simpleLayout(c, l.T("staff.import.title"), "staff")
	tok, err := h.Auth.CSRFToken(c)
	if err != nil {
		return nil, err
	}
	v.CSRFToken = tok
	for _, k := range staffImportKinds {
		v.Templates = append(v.Templates, templateLink{KindKey: "staff.kind." + k, URL: "/staff/templates/" + k,
			Columns: strings.Join(templateColumns[k], ",")})
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return v, nil
}

// staffImportForm is GET /staff/import.
func (h *handler) staffImportForm(c *fiber.Ctx) error {
	v, err := h.importPage(c, "form")
	if err != nil {
		return err
	}
	return h.Render(c, fiber.StatusOK, "staff_import", v)
}

// formError shows the form again with a message.
func (h *handler) formError(c *fiber.Ctx, status int, msg string) error {
	v, err := h.importPage(c, "form")
	if err != nil {
		return err
	}
	v.Error = msg
	return h.Render(c, status, "staff_import", v)
}

// staffImportPreview is POST /staff/import: the file is kept aside and
// checked; nothing is written yet.
func (h *handler) staffImportPreview(c *fiber.Ctx) error {
	l := site.Lang(c)
	u := auth.UserFrom(c)
	fh, err := c.FormFile("file")
	if err != nil || fh.Filename == "" {
		h.auditUploadRefused(c, "", "no_file")
		return h.formError(c, fiber.StatusBadRequest, l.T("staff.import.err.nofile"))
	}
	// A browser on Windows may send "C:\…\file.csv": the name only.
	name := path.Base(strings.ReplaceAll(fh.Filename, `\`, "/"))
	if fh.Size > h.uploadLimit() {
		h.auditUploadRefused(c, name, "too_large")
		return h.formError(c, fiber.StatusRequestEntityTooLarge, l.T("staff.import.err.toolarge", h.uploadLimit()>>20))
	}
	f, err := fh.Open()
	if err != nil {
		return site.Internal(err)
	}
	defer func() { _ = f.Close() }()
	path, size, err := h.uploads.spool(f, h.uploadLimit())
	if errors.Is(err, errTooLarge) {
		h.auditUploadRefused(c, name, "too_large")
		return h.formError(c, fiber.StatusRequestEntityTooLarge, l.T("staff.import.err.toolarge", h.uploadLimit()>>20))
	}
	if err != nil {
		h.auditUploadRefused(c, name, "error")
		return site.Internal(err)
	}
	// A capture of the national portal, or a bare answer of it with the
	// period and moment typed into the form (staff_portal.go).
	// A boundaries file (.geojson) is JSON too, but never the portal's.
	var portalUp *portalUpload
	if pu, ok := sniffPortal(path); ok && h.portalImp != nil && !importer.IsBoundaries(name) {
		if !pu.capture {
			period, asOf := c.FormValue("period"), c.FormValue("as_of")
			if pe := bareRefusal(name, period, asOf); pe != nil {
				_ = os.Remove(path)
				h.auditRefused(c.UserContext(), h.Auth.Actor(c), name, pe, pe, "preview")
				return h.renderRefused(c, name, refusalOf(pe))
			}
			pu.period, _ = parseBarePeriod(period)
			pu.asOf, _ = parseAsOfField(asOf)
		}
		portalUp = pu
	}
	s, err := h.stage(c.UserContext(), u.ID, name, path, size, portalUp)
	if err != nil {
		_ = os.Remove(path)
		h.auditUploadRefused(c, name, "error")
		return site.Internal(err)
	}
	return h.respondJob(c, s, h.startPreview(c.UserContext(), s, h.Auth.Actor(c)))
}

// renderPreview shows a staged file's preview and the confirmation form.
func (h *handler) renderPreview(c *fiber.Ctx, s *staged, pv *importPreview, msg, reason string, status int) error {
	l := site.Lang(c)
	v, err := h.importPage(c, "preview")
	if err != nil {
		return err
	}
	v.File, v.Error, v.Reason = s.name, msg, reason
	v.ConfirmURL = "/staff/import/" + url.PathEscape(s.token)
	if pv.Report != nil {
		v.KindKey = "staff.kind." + pv.Report.Kind
		v.Rows = present.Int(l, int64(pv.Report.Rows))
		v.Periods = periodLinks(l, pv.Report.Periods)
	}
	if pv.Portal != nil {
		v.KindKey = "staff.kind." + models.ImportPortal
		v.PortalLine = portalLine(l, pv.Portal)
		v.Periods = periodLinks(l, []string{pv.Portal.Period.String()})
	}
	for _, p := range pv.Published {
		v.Published = append(v.Published, publishedRow{Label: periodCodeLabel(l, p.Period), On: present.Date(l, p.PublishedAt), Demo: p.Demo})
	}
	v.NeedReason = len(v.Published) > 0
	if pv.Report != nil && pv.Report.Kind == models.ImportCounts {
		v.CountsFile = true
		for _, ch := range pv.Changes {
			row := changeRow{Period: present.Period(l, ch.Period), Unit: ch.Unit.Name, URL: site.UnitURL(ch.Unit.Code, ch.Period)}
			if ch.OldData {
				row.Old = present.Score(l, ch.Old)
			}
			if ch.NewData {
				row.New = present.Score(l, ch.New)
			}
			switch {
			case ch.OldData && ch.NewData:
				row.Change = previewChange(l, ch.New-ch.Old)
			case ch.NewData:
				row.Note = l.T("staff.import.change.new")
			default:
				row.Note = l.T("staff.import.change.gone")
			}
			v.Changes = append(v.Changes, row)
		}
		v.ChangedUnits = l.Count(pv.ChangedUnits, "units", present.Int(l, int64(pv.ChangedUnits)))
		v.ChangedIn = l.Count(pv.ChangedPeriods, "periods", present.Int(l, int64(pv.ChangedPeriods)))
		if pv.ChangedOthers > 0 {
			v.ChangedOthers = present.Int(l, int64(pv.ChangedOthers))
		}
		if len(pv.Pooled) > 0 {
			ps := make([]scoring.Period, 0, len(pv.Pooled))
			for _, code := range pv.Pooled {
				if p, err := scoring.ParsePeriod(code); err == nil {
					ps = append(ps, p)
				}
			}
			v.ChangedPooled = l.TN(len(ps), "staff.import.changes.pooled", periodList(l, ps))
		}
		if more := pv.Changed - len(pv.Changes); more > 0 {
			v.ChangedMore = present.Int(l, int64(more))
		}
	}
	return h.Render(c, status, "staff_import", v)
}

// renderRefused lists every problem of a refused file.
func (h *handler) renderRefused(c *fiber.Ctx, name string, r *refusal) error {
	l := site.Lang(c)
	v, err := h.importPage(c, "refused")
	if err != nil {
		return err
	}
	v.File, v.Total = name, present.Int(l, int64(r.Total))
	v.Problems = r.Problems[l]
	return h.Render(c, fiber.StatusUnprocessableEntity, "staff_import", v)
}

// staffImportConfirm is POST /staff/import/{token}: the staged file is
// imported for real, as a correction when a reason is given. Through any
// server process: the upload and its preview are in the database.
func (h *handler) staffImportConfirm(c *fiber.Ctx) error {
	l := site.Lang(c)
	u := auth.UserFrom(c)
	s, err := h.lookupStaged(c)
	if err != nil {
		return site.Internal(err)
	}
	if s == nil {
		return h.formError(c, fiber.StatusGone, l.T("staff.import.err.expired"))
	}
	if s.row.Running || s.row.OutcomeKind != models.StagedReady {
		// Still being checked, or already confirmed (a second click, the
		// back button, another tab): the page of what is going on, never
		// a second import.
		return h.respondJob(c, s, h.uploads.local(s.token))
	}
	var out jobOutcome
	if err := json.Unmarshal([]byte(s.row.Outcome), &out); err != nil || out.Preview == nil {
		h.drop(c.UserContext(), s.token)
		return site.Internal(fmt.Errorf("handlers: the preview of staged upload %s: %w", s.token, err))
	}
	pv := out.Preview
	if c.FormValue("cancel") != "" {
		h.drop(c.UserContext(), s.token)
		return c.Redirect(h.URL("/staff/import"), fiber.StatusSeeOther)
	}
	actor := h.Auth.Actor(c)
	ctx := store.WithActor(c.UserContext(), actor)
	// A copy: Fiber's form values live in its request buffer, reused
	// once the handler returns, and the import may outlive it.
	reason := strings.Clone(strings.TrimSpace(c.FormValue("reason")))
	if reason != "" || len(pv.Published) > 0 {
		if _, err := store.CheckReason(reason); err != nil {
			return h.renderPreview(c, s, pv, l.T("staff.import.err.reason", store.MinReasonLen, store.MaxReasonLen), reason, fiber.StatusUnprocessableEntity)
		}
		ctx = store.WithCorrection(ctx, store.Correction{Reason: reason, By: actor})
	}
	now := h.uploads.now()
	ok, err := h.st.ClaimStagedImport(c.UserContext(), s.token, u.ID, now, now.Add(stagedFor))
	if err != nil {
		return site.Internal(err)
	}
	if !ok {
		// Another request confirmed it a moment ago, through this
		// process or another.
		return h.respondJob(c, s, h.uploads.local(s.token))
	}
	return h.respondJob(c, s, h.startImport(ctx, s, actor, pv))
}

// runImport imports the staged file; a refusal is recorded in the audit
// trail (the import's transaction was rolled back with its own row).
func (h *handler) runImport(ctx context.Context, s *staged, actor store.Actor) (*importer.Report, *portal.Report, error) {
	var rep *importer.Report
	var prep *portal.Report
	var err error
	if s.portal != nil {
		rep, prep, err = h.runPortalImport(ctx, s)
	} else {
		f, ferr := os.Open(s.path)
		if ferr != nil {
			return nil, nil, fmt.Errorf("handlers: open staged file: %w", ferr)
		}
		rep, err = h.imp.Import(ctx, s.name, f, models.SourceWeb, false)
		_ = f.Close()
	}
	var pe *importer.ProblemsError
	switch {
	case errors.As(err, &pe):
		h.auditRefused(ctx, actor, s.name, pe, err, "import")
	case err != nil && ctx.Err() == nil:
		h.auditFailed(ctx, actor, s.name, err)
	}
	return rep, prep, err
}

// renderDone shows what a confirmed import did.
func (h *handler) renderDone(c *fiber.Ctx, rep *importer.Report, prep *portal.Report, corrected int) error {
	l := site.Lang(c)
	v, err := h.importPage(c, "done")
	if err != nil {
		return err
	}
	v.File, v.KindKey, v.Rows = rep.FileName, "staff.kind."+rep.Kind, present.Int(l, int64(rep.Rows))
	v.Summary = l.T("staff.import.done.summary", present.Int(l, int64(rep.Inserted)), present.Int(l, int64(rep.Updated)), present.Int(l, int64(rep.Unchanged)))
	if prep != nil {
		// The portal's own account of the import, as the command line
		// prints it (units, figures, a capture imported before).
		v.Summary, v.Rows = prep.Text(l), ""
		v.ReconURL = reconURL(prep.Period, prep.ProvinceCode)
	}
	v.Periods = periodLinks(l, rep.Periods)
	v.Corrected = corrected
	pubs, err := h.st.PublishedPeriods(c.UserContext())
	if err != nil {
		return site.Internal(err)
	}
	for _, p := range v.Periods {
		if _, ok := pubs[p.Code]; !ok {
			v.Drafts = append(v.Drafts, periodLink{Label: p.Label, Code: p.Code, URL: "/staff/publish?period=" + url.QueryEscape(p.Code)})
		}
	}
	return h.Render(c, fiber.StatusOK, "staff_import", v)
}

// auditRefused records a file refused for its content, by its preview or
// its confirmation (stage); the import's transaction was rolled back with
// its own audit row.
func (h *handler) auditRefused(ctx context.Context, actor store.Actor, name string, pe *importer.ProblemsError, err error, stage string) {
	detail := importer.AuditDetail(pe, err, models.SourceWeb)
	detail["stage"] = stage
	h.audit(ctx, actor.Entry(models.ActionImportRefused, name, detail))
}

// auditUploadRefused records an upload refused before its content was
// read: too large, no file, not stored.
func (h *handler) auditUploadRefused(c *fiber.Ctx, name, reason string) {
	h.audit(c.UserContext(), h.Auth.Actor(c).Entry(models.ActionImportRefused, name,
		map[string]string{"source": models.SourceWeb, "stage": "upload", "reason": reason}))
}

// auditFailed records an import that failed for a reason other than its
// content (a full disk, the database).
func (h *handler) auditFailed(ctx context.Context, actor store.Actor, name string, err error) {
	reason := "error"
	if site.DiskFull(err) {
		reason = "disk_full"
	}
	h.audit(ctx, actor.Entry(models.ActionImportFailed, name, map[string]string{"source": models.SourceWeb, "reason": reason}))
}

// audit appends a row, with a deadline of its own: the request or job
// that asks may be ending. A failure is logged; the answer is unchanged.
func (h *handler) audit(ctx context.Context, e models.AuditEntry) {
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := h.st.AppendAudit(actx, &e); err != nil {
		h.Log.Error("write the audit trail", "action", e.Action, "target", e.Target, "err", err)
	}
}

// periodLinks names periods (canonical codes) with a link to their
// ranking, in the order of the calendar: by the day they end, and of those
// ending together the shortest first (May, June, the second quarter, the
// first half-year), as an office reads them.
func periodLinks(l i18n.Lang, codes []string) []periodLink {
	codes = slices.Clone(codes)
	slices.SortStableFunc(codes, func(a, b string) int {
		pa, errA := scoring.ParsePeriod(a)
		pb, errB := scoring.ParsePeriod(b)
		if errA != nil || errB != nil {
			return 0 // unknown codes keep their place
		}
		if c := pa.End().Compare(pb.End()); c != 0 {
			return c
		}
		return pb.Start().Compare(pa.Start())
	})
	var out []periodLink
	for _, code := range codes {
		out = append(out, periodLink{Label: periodCodeLabel(l, code), Code: code, URL: "/rankings?period=" + url.QueryEscape(code)})
	}
	return out
}

// periodCodeLabel names a period given by its code ("2024-05").
func periodCodeLabel(l i18n.Lang, code string) string {
	p, err := scoring.ParsePeriod(code)
	if err != nil {
		return code
	}
	return present.Period(l, p)
}

// previewChange is a change of total the import would make, worded
// against the total now (a score change elsewhere is worded against the
// previous period).
func previewChange(l i18n.Lang, d scoring.Cents) present.Change {
	return wordedChange(l, d, "staff.import.change")
}
