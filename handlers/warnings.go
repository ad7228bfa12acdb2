package handlers

import (
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/alerts"
	"scorecard/handlers/site"
	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scoring"
)

// Early warnings (alerts.Evaluate with the default rules) on the dashboard:
// /warnings lists every unit's warnings for a period and each unit page
// shows its own. The same warnings are e-mailed by `scorecard alerts send`.
//
// /warnings is for staff (the route table says so); a unit page shows its
// warnings to staff and to that unit's accounts (stake.go). Without
// accounts every page is open.

// warningRules are the rules the dashboard shows. The thresholds are the
// alerts package's defaults; the e-mail command reads its own from the
// environment (SCORECARD_ALERT_*), which the server does not take yet.
func warningRules() alerts.Rules { return alerts.DefaultRules() }

// warningRow is one warning.
type warningRow struct {
	Unit    unitRef
	Kind    string
	Rule    string // the rule's name
	RuleID  string
	Message string
	Partial bool
}

// warningUnit is a unit with its warnings.
type warningUnit struct {
	Unit  unitRef
	Kind  string
	Items []warningRow
}

// newWarningRow is a warning in language l (the alerts package words its
// messages in both languages, for its e-mails).
func newWarningRow(l i18n.Lang, w alerts.Warning) warningRow {
	return warningRow{Unit: newUnitRef(w.Unit, w.Period), Kind: present.KindOne(l, w.Unit.Kind, w.Period), Rule: alertRuleL(l, w.Rule),
		RuleID: string(w.Rule), Message: present.Name(l, w.MessageVI, w.MessageEN), Partial: w.Partial}
}

// alertRuleL names a warning rule in language l.
func alertRuleL(l i18n.Lang, id alerts.RuleID) string {
	switch id {
	case alerts.RuleBandDrop, alerts.RuleGroupFall, alerts.RuleOnTimeBelow:
		return l.T("alert." + string(id))
	}
	return string(id)
}

// unitWarnings are the warnings of one unit in ps's period.
func unitWarnings(l i18n.Lang, ps, prev *scoring.PeriodScores, code string) []warningRow {
	var out []warningRow
	for _, w := range alerts.EvaluateUnit(warningRules(), ps, prev, code, time.Now()) {
		out = append(out, newWarningRow(l, w))
	}
	return out
}

// warningsURL is the warnings page of a period.
func warningsURL(p scoring.Period) string {
	if p.IsZero() {
		return "/warnings"
	}
	return "/warnings?period=" + url.QueryEscape(p.String())
}

// warningsPage is GET /warnings?period=P.
type warningsPage struct {
	site.Layout
	Period periodView
	Prev   string // the previous period compared with ("" if none)
	Units  []warningUnit
	Count  int
	// ByRule counts the warnings of each rule, in rule order.
	ByRule []ruleCount
	Rules  []string // the rules in force, as sentences
}

type ruleCount struct {
	Rule  string
	Count int
}

func (h *handler) warnings(c *fiber.Ctx) error {
	e, err := h.loadEnv(c)
	if err != nil {
		return err
	}
	v := warningsPage{Layout: h.newLayout(e, e.lang.T("warnings.title"), "", "/warnings", nil)}
	v.Period = newPeriodView(e.period, e, nil)
	rules := warningRules()
	v.Rules = describeRulesL(e.lang, rules)
	if !v.Period.HasData {
		return h.Render(c, fiber.StatusOK, "warnings", &v)
	}
	ps, prev, err := h.pageScores(c, e, e.period)
	if err != nil {
		return err
	}
	if prev != nil {
		v.Prev = present.Period(e.lang, prev.Period)
	}
	counts := map[alerts.RuleID]int{}
	idx := map[string]int{}
	for _, w := range alerts.Evaluate(rules, ps, prev, time.Now()) {
		counts[w.Rule]++
		v.Count++
		i, ok := idx[w.Unit.Code]
		if !ok {
			i = len(v.Units)
			idx[w.Unit.Code] = i
			v.Units = append(v.Units, warningUnit{Unit: newUnitRef(w.Unit, e.period), Kind: present.KindOne(e.lang, w.Unit.Kind, e.period)})
		}
		v.Units[i].Items = append(v.Units[i].Items, newWarningRow(e.lang, w))
	}
	for _, id := range []alerts.RuleID{alerts.RuleBandDrop, alerts.RuleGroupFall, alerts.RuleOnTimeBelow} {
		v.ByRule = append(v.ByRule, ruleCount{Rule: alertRuleL(e.lang, id), Count: counts[id]})
	}
	return h.Render(c, fiber.StatusOK, "warnings", &v)
}

// describeRulesL says which rules are in force, with their thresholds, in
// language l.
func describeRulesL(l i18n.Lang, r alerts.Rules) []string {
	var out []string
	if r.BandDrop {
		out = append(out, l.T("alert.rule.band_drop"))
	}
	if r.GroupFall > 0 {
		out = append(out, l.T("alert.rule.group_fall", present.Score(l, r.GroupFall)))
	}
	if r.OnTimeBelow > 0 {
		out = append(out, l.T("alert.rule.on_time_below", present.Score(l, r.OnTimeBelow)))
	}
	return out
}
