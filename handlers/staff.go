package handlers

import (
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/auth"
	"scorecard/handlers/site"
	"scorecard/i18n"
	"scorecard/models"
	"scorecard/present"
	"scorecard/scoring"
	"scorecard/store"
)

// The staff's area, "Quản trị": office and admin accounts see
// every period with its status, publish drafts, import files and download
// the import templates. Admins also reach the accounts and the audit
// trail from here.

// staffPage is /staff.
type staffPage struct {
	site.Layout
	Admin   bool
	Done    string // i18n key of what was just done ("" for nothing)
	DoneArg string
	Periods []staffPeriodRow
	Imports []staffImportRow
}

type staffPeriodRow struct {
	Code, Label string
	KindKey     string
	Draft       bool
	PublishedOn string
	CorrectedOn string
	Revision    int
	Demo        bool
	ViewURL     string
	PublishURL  string
	RevisionURL string
}

type staffImportRow struct {
	On      string
	File    string
	KindKey string
	Rows    string
	Periods string
	Source  string
}

// staffRecentImports is how many imports the staff page lists.
const staffRecentImports = 15

// staffHome is GET /staff.
func (h *handler) staffHome(c *fiber.Ctx) error {
	ctx := c.UserContext()
	l := site.Lang(c)
	eng, err := h.Scores.Engine(ctx)
	if err != nil {
		return site.Internal(err)
	}
	pubs, err := h.st.PublishedPeriods(ctx)
	if err != nil {
		return site.Internal(err)
	}
	v := &staffPage{Admin: auth.UserFrom(c).IsAdmin()}
	v.Layout = h.simpleLayout(c, l.T("staff.title"), "staff")
	// What was just done, said again only when it is so (a hand-made
	// link cannot make the page claim a publication that did not happen).
	if p, err := scoring.ParsePeriod(c.Query("published")); err == nil {
		if _, ok := pubs[p.String()]; ok {
			v.Done, v.DoneArg = "staff.done.published", present.Period(l, p)
		}
	}
	for _, p := range eng.Periods() { // staff see every period
		row := staffPeriodRow{Code: p.String(), Label: present.Period(l, p), KindKey: "staff.periodkind." + string(p.Kind),
			ViewURL: "/rankings?period=" + url.QueryEscape(p.String())}
		if pub, ok := pubs[p.String()]; ok {
			row.PublishedOn, row.Revision, row.Demo = present.Date(l, pub.PublishedAt), pub.Revision, pub.Demo
			if pub.CorrectedAt != nil {
				row.CorrectedOn = present.Date(l, *pub.CorrectedAt)
			}
			row.RevisionURL = site.RevisionsURL(p)
		} else {
			row.Draft = true
			row.PublishURL = "/staff/publish?period=" + url.QueryEscape(p.String())
		}
		v.Periods = append(v.Periods, row)
	}
	imps, err := h.st.Imports(ctx, staffRecentImports)
	if err != nil {
		return site.Internal(err)
	}
	for _, im := range imps {
		v.Imports = append(v.Imports, staffImportRow{On: dateTimeL(l, im.CreatedAt), File: im.FileName,
			KindKey: "staff.kind." + im.Kind, Rows: present.Int(l, int64(im.Rows)), Periods: strings.Join(im.PeriodList(), ", "), Source: im.Source})
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return h.Render(c, fiber.StatusOK, "staff_home", v)
}

// dateTimeL is a moment in Vietnam time: 27/04/2024 14:05 or 27 Apr 2024
// 14:05.
func dateTimeL(l i18n.Lang, t time.Time) string {
	t = t.In(scoring.Location)
	if l == i18n.EN {
		return t.Format("2 Jan 2006 15:04")
	}
	return t.Format("02/01/2006 15:04")
}

// staffPublishPage is the confirmation before publishing a period.
type staffPublishPage struct {
	site.Layout
	Code      string
	Label     string
	CSRFField string
	CSRFToken string
	// Units is how many units (not provinces) have data in the period,
	// Missing how many of the Existing ones have none: published, they
	// show no data and go unranked, which the office should know first.
	Units, Missing, Existing int
	// Problem is an i18n key when the period cannot be published.
	Problem    string
	ProblemArg string
	ViewURL    string
	// Closes names the longer periods publishing this month publishes
	// too (the quarter, half-year, year it ends), empty when none.
	Closes string
}

// staffPublishForm is GET /staff/publish?period=P: what publishing means,
// and the button.
func (h *handler) staffPublishForm(c *fiber.Ctx) error {
	ctx := c.UserContext()
	l := site.Lang(c)
	p, err := scoring.ParsePeriod(c.Query("period"))
	if err != nil {
		return site.BadRequest("err.period.invalid")
	}
	v := &staffPublishPage{Code: p.String(), Label: present.Period(l, p), CSRFField: auth.CSRFField,
		ViewURL: "/rankings?period=" + url.QueryEscape(p.String())}
	v.Layout = h.simpleLayout(c, l.T("staff.publish.title", v.Label), "staff")
	if v.CSRFToken, err = h.Auth.CSRFToken(c); err != nil {
		return err
	}
	status := fiber.StatusOK
	if pub, err := h.st.Publication(ctx, p.String()); err == nil {
		v.Problem, v.ProblemArg = "staff.publish.already", present.Date(l, pub.PublishedAt)
		status = fiber.StatusConflict
	} else if !errors.Is(err, store.ErrNotFound) {
		return site.Internal(err)
	} else {
		ps, err := h.Scores.Period(ctx, p)
		if err != nil {
			return site.Internal(err)
		}
		// Units with figures of their own (a province's are pooled
		// from them).
		for _, us := range ps.Units {
			if us.Unit.Kind == scoring.KindProvince {
				continue
			}
			switch {
			case us.HasData:
				v.Units++
			case us.Exists:
				v.Missing++
			}
		}
		v.Existing = v.Units + v.Missing
		if v.Units == 0 {
			v.Problem, status = "staff.publish.nodata", fiber.StatusNotFound
		}
		closes, err := h.st.Closes(ctx, p.String())
		if err != nil {
			return site.Internal(err)
		}
		v.Closes = periodList(l, closes)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return h.Render(c, status, "staff_publish", v)
}

// staffPublish is POST /staff/publish: the period becomes official; its
// scores are frozen as revision 1, with an audit row.
func (h *handler) staffPublish(c *fiber.Ctx) error {
	p, err := scoring.ParsePeriod(c.FormValue("period"))
	if err != nil {
		return site.BadRequest("err.period.invalid")
	}
	_, err = h.st.Publish(c.UserContext(), p.String(), h.Auth.Actor(c), h.snap)
	switch {
	case err == nil, errors.Is(err, store.ErrAlreadyPublished):
		// Published now or by someone a moment ago: either way it is.
		return c.Redirect(h.URL("/staff?published="+url.QueryEscape(p.String())+"#ky"), fiber.StatusSeeOther)
	case errors.Is(err, store.ErrNoData):
		return &site.Error{Status: fiber.StatusUnprocessableEntity, Key: "err.publish.nodata", Args: []any{periodWords(p)}}
	}
	return site.Internal(err)
}

// staffImportKinds are the kinds of file the import page offers templates
// for, in the order shown.
var staffImportKinds = []string{models.ImportUnits, models.ImportUnitChanges, models.ImportCounts, models.ImportCatalogue, models.ImportDossiers}

// periodList names periods in a sentence: "Quý IV/2026, 6 tháng cuối năm
// 2026 và Năm 2026".
func periodList(l i18n.Lang, ps []scoring.Period) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = present.Period(l, p)
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " " + l.T("common.and") + " " + names[len(names)-1]
}
