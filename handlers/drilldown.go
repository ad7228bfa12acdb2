package handlers

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"scorecard/dossier"
	"scorecard/handlers/site"
	"scorecard/models"
	"scorecard/present"
	"scorecard/scoring"
	"scorecard/store"
)

// The unit page's drill-down: for ON_TIME_PROCESSING and
// DOSSIER_RECEIVING_SATISFACTION, which procedures had the dossiers that
// were late or not satisfied in the period and what they cost, and, when
// allowed, the dossiers themselves, a page at a time (?dlist=, ?dpage=).
//
// Who sees what: a dossier code identifies a citizen's or a business's
// application, so the list (with codes) shows only when the server runs
// with Options.DrillDown (`scorecard serve --drilldown`), an office's
// explicit choice for an intranet; everyone else sees the summary by
// procedure, which names procedures and counts, never a dossier.
// canListDossiers is the one place to change when accounts decide it.
//
// A province has no dossiers of its own (its counts are its units'
// pool): its page has no drill-down.

// DossierDrillDowns is what the drill-down needs from the store.
type DossierDrillDowns interface {
	DossierDrillDown(ctx context.Context, q store.DrillDownQuery) (models.DossierDrillDown, error)
}

// drillPageSize is the number of dossiers listed per page.
const drillPageSize = 20

// drillMetrics are the metrics drilled into, in page order, with the
// ?dlist= value that selects each one's list (and words, as
// "drill.issue."+list, how their dossiers are called).
var drillMetrics = []struct{ code, list string }{
	{dossier.MetricOnTime, "late"},
	{dossier.MetricSatisfaction, "unsatisfied"},
}

type drillDownView struct {
	ShowCodes bool
	Metrics   []drillMetric
	List      *drillList // the selected metric's page, when codes show
}

type drillMetric struct {
	Code, Name      string
	Issue           string
	Handled, Issues int64
	// Scored: the metric's score comes from these dossiers, so the points
	// it lost are shared out among the procedures (Lost, Procedures'
	// Points). Otherwise the unit's own counts were scored and the
	// dossiers are only for comparison.
	Scored     bool
	Lost       scoring.Cents
	Procedures []drillProcedure
	ListURL    string
	Selected   bool
}

type drillProcedure struct {
	Code, Name      string
	Handled, Issues int64
	Points          scoring.Cents
}

type drillList struct {
	Name             string
	Rows             []drillRow
	From, To, Total  int64
	Page, Pages      int
	PrevURL, NextURL string
}

type drillRow struct {
	Code, Procedure, ProcedureName string
	Received, Due, Finished        string
	Late, Dissatisfied             bool
	Supplements                    int
}

// canListDossiers says whether the visitor may see dossier codes.
func (h *handler) canListDossiers(*fiber.Ctx) bool { return h.opts.DrillDown }

// drillDown builds the drill-down of a unit's page; nil when there is
// nothing to show (no store, a province, no dossier in the period).
func (h *handler) drillDown(c *fiber.Ctx, e *env, us *scoring.UnitScore) (*drillDownView, error) {
	if h.dossiers == nil || us == nil || us.Unit.Kind == scoring.KindProvince || e.period.IsZero() {
		return nil, nil
	}
	list := c.Query("dlist", drillMetrics[0].list)
	page := 1
	if q := c.Query("dpage"); q != "" {
		n, err := strconv.Atoi(q)
		if err != nil || n < 1 {
			return nil, site.BadRequest("err.drill.page")
		}
		page = n
	}
	known := false
	for _, m := range drillMetrics {
		known = known || m.list == list
	}
	if !known {
		return nil, site.BadRequest("err.drill.list")
	}
	v := &drillDownView{ShowCodes: h.canListDossiers(c)}
	base := site.UnitURL(us.Unit.Code, e.period)
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	found := false
	for _, dm := range drillMetrics {
		ms := us.Metric(dm.code)
		if ms == nil {
			continue // not in this period's scheme
		}
		selected := dm.list == list
		q := store.DrillDownQuery{Unit: us.Unit.Code, Period: e.period, Metric: dm.code}
		if v.ShowCodes && selected {
			q.Offset, q.Limit = (page-1)*drillPageSize, drillPageSize
		}
		dd, err := h.dossiers.DossierDrillDown(c.UserContext(), q)
		if err != nil {
			return nil, fmt.Errorf("handlers: drill-down: %w", err)
		}
		if dd.Handled == 0 {
			continue
		}
		found = true
		m := drillMetric{Code: dm.code, Name: present.Name(e.lang, ms.Metric.NameVI, ms.Metric.NameEN), Issue: e.lang.T("drill.issue." + dm.list),
			Handled: dd.Handled, Issues: dd.Issues, Selected: selected,
			Scored:  ms.Source == scoring.SourceDerived && ms.Derived == scoring.DerivedDossier && ms.Scored,
			ListURL: base + sep + "dlist=" + dm.list + "#ho-so"}
		if m.Scored {
			m.Lost = ms.Lost()
		}
		for _, p := range dd.ByProcedure {
			dp := drillProcedure{Code: p.ProcedureCode, Name: p.ProcedureName, Handled: p.Handled, Issues: p.Issues}
			if m.Scored && dd.Issues > 0 {
				dp.Points = scoring.Share(m.Lost, p.Issues, dd.Issues)
			}
			m.Procedures = append(m.Procedures, dp)
		}
		v.Metrics = append(v.Metrics, m)
		if v.ShowCodes && selected && dd.Issues > 0 {
			pages := int((dd.Issues + drillPageSize - 1) / drillPageSize)
			l := &drillList{Name: m.Name, Total: dd.Issues, Page: page, Pages: pages,
				From: int64(dd.Offset) + 1, To: int64(dd.Offset + len(dd.List))}
			if page > pages {
				return nil, site.NotFound("err.drill.nopage")
			}
			link := func(n int) string {
				return base + sep + "dlist=" + dm.list + "&dpage=" + strconv.Itoa(n) + "#ho-so"
			}
			if page > 1 {
				l.PrevURL = link(page - 1)
			}
			if page < pages {
				l.NextURL = link(page + 1)
			}
			for _, it := range dd.List {
				r := drillRow{Code: it.Code, Procedure: it.ProcedureCode, ProcedureName: it.ProcedureName,
					Received: dateTimeL(e.lang, it.ReceivedAt), Due: dateTimeL(e.lang, it.DueAt),
					Late: it.Late, Dissatisfied: it.Dissatisfied, Supplements: it.Supplements}
				if it.FinishedAt != nil {
					r.Finished = dateTimeL(e.lang, *it.FinishedAt)
				}
				l.Rows = append(l.Rows, r)
			}
			v.List = l
		}
	}
	if !found {
		return nil, nil
	}
	return v, nil
}
