// Package alerts finds early warnings in scores (a unit about to drop a
// band, a group that fell, an on-time rate below a floor) and e-mails them
// once: one message per unit, per rule, per period, however often the
// check runs. It reads scoring results only; the store keeps the record of
// what was sent (the Sent interface) and the config package fills Rules and
// SMTPConfig.
package alerts

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scoring"
)

// RuleID names a rule; it is part of the dedupe key, so it must not change
// once warnings have been recorded.
type RuleID string

// The rules.
const (
	RuleBandDrop    RuleID = "band_drop"
	RuleGroupFall   RuleID = "group_fall"
	RuleOnTimeBelow RuleID = "on_time_below"
)

// Rules are the configurable thresholds. The zero value checks nothing;
// start from DefaultRules.
type Rules struct {
	// BandDrop warns when a unit's band in the current period is below its
	// band in the previous one ("would drop a band if this month's partial
	// data holds" while the period is in progress).
	BandDrop bool
	// GroupFall warns when a group's score fell by more than this many
	// points against the previous period; 0 turns the rule off.
	GroupFall scoring.Cents
	// OnTimeBelow warns when OnTimeMetric's ratio is below this percentage
	// (90,00 % is 9000); 0 turns the rule off.
	OnTimeBelow  scoring.Cents
	OnTimeMetric string
	// Kinds limits the units checked; empty checks every kind.
	Kinds []scoring.UnitKind
}

// DefaultRules: any band drop, a group falling by more than 5 points, fewer
// than 90 % of dossiers on time. These are starting points, not official
// cut-offs: an office sets its own in the configuration.
func DefaultRules() Rules {
	return Rules{BandDrop: true, GroupFall: 500, OnTimeBelow: 9000, OnTimeMetric: "ON_TIME_PROCESSING"}
}

// Validate reports impossible thresholds.
func (r Rules) Validate() error {
	var errs []error
	if r.GroupFall < 0 || r.GroupFall > 10000 {
		errs = append(errs, fmt.Errorf("alerts: group fall %s must be between 0 and 100 points", r.GroupFall))
	}
	if r.OnTimeBelow < 0 || r.OnTimeBelow > 10000 {
		errs = append(errs, fmt.Errorf("alerts: on-time floor %s%% must be between 0 and 100", r.OnTimeBelow))
	}
	if r.OnTimeBelow > 0 && strings.TrimSpace(r.OnTimeMetric) == "" {
		errs = append(errs, errors.New("alerts: an on-time floor needs the metric code it applies to"))
	}
	for _, k := range r.Kinds {
		if !k.Valid() {
			errs = append(errs, fmt.Errorf("alerts: unknown unit kind %q", k))
		}
	}
	return errors.Join(errs...)
}

func (r Rules) checks(k scoring.UnitKind) bool {
	if len(r.Kinds) == 0 {
		return true
	}
	for _, x := range r.Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// GroupChange is one group's fall, for the group_fall rule.
type GroupChange struct {
	Group    *scoring.Group
	From, To scoring.Cents
}

// Warning is one rule holding for one unit in one period.
type Warning struct {
	Unit     scoring.Unit
	Province string
	Rule     RuleID
	Period   scoring.Period
	// Partial is true while the period is still in progress (or derived
	// from fewer months than it has): the figures may still change.
	Partial bool

	Total, PrevTotal scoring.Cents
	Band, PrevBand   *scoring.Band
	Groups           []GroupChange // group_fall: every group that fell too far
	Ratio            scoring.Cents // on_time_below: the ratio found
	Counts           scoring.Counts

	SubjectVI string
	MessageVI string
	MessageEN string
}

// Key is what makes a warning unique: one per unit, rule and period.
type Key struct {
	Unit   string
	Rule   RuleID
	Period string
}

// Key returns the warning's dedupe key.
func (w Warning) Key() Key { return Key{Unit: w.Unit.Code, Rule: w.Rule, Period: w.Period.String()} }

// Evaluate applies the rules to cur, comparing with prev (the previous
// period of the same kind; nil skips the comparing rules). now decides
// whether cur is still in progress. Units without data in cur are never
// warned about. Warnings come kind by kind, in ranking order, at most one
// per unit, rule and period.
func Evaluate(rules Rules, cur, prev *scoring.PeriodScores, now time.Time) []Warning {
	if cur == nil {
		return nil
	}
	var out []Warning
	seen := map[Key]bool{}
	add := func(w Warning) {
		if !seen[w.Key()] {
			seen[w.Key()] = true
			out = append(out, w)
		}
	}
	inProgress := now.Before(cur.Period.End())
	for _, kind := range scoring.UnitKinds {
		if !rules.checks(kind) {
			continue
		}
		for _, r := range cur.Ranking(kind, "", nil) {
			evaluate(rules, r.UnitScore, prev, inProgress, add)
		}
	}
	return out
}

// EvaluateUnit is Evaluate's warnings about one unit (the unit page's):
// the same rules, without ranking the whole country's units to find it.
func EvaluateUnit(rules Rules, cur, prev *scoring.PeriodScores, code string, now time.Time) []Warning {
	if cur == nil {
		return nil
	}
	us := cur.Unit(code)
	// Evaluate goes through the rankings, which list the units that exist
	// in the period.
	if us == nil || !us.Exists || !rules.checks(us.Unit.Kind) {
		return nil
	}
	var out []Warning
	seen := map[Key]bool{}
	evaluate(rules, us, prev, now.Before(cur.Period.End()), func(w Warning) {
		if !seen[w.Key()] {
			seen[w.Key()] = true
			out = append(out, w)
		}
	})
	return out
}

// evaluate applies the rules to one unit's scores us.
func evaluate(rules Rules, us *scoring.UnitScore, prev *scoring.PeriodScores, inProgress bool, add func(Warning)) {
	if !us.HasData {
		return
	}
	base := Warning{Unit: us.Unit, Province: us.Province, Period: us.Period,
		Partial: inProgress || us.Provisional, Total: us.Total, Band: us.Band}
	var before *scoring.UnitScore
	if prev != nil {
		if b := prev.Unit(us.Unit.Code); b != nil && b.HasData {
			before = b
			base.PrevTotal, base.PrevBand = b.Total, b.Band
		}
	}
	if rules.BandDrop && before != nil && us.Band != nil && before.Band != nil && us.Band.Min < before.Band.Min {
		w := base
		w.Rule = RuleBandDrop
		w.SubjectVI, w.MessageVI, w.MessageEN = bandDropText(w, prev.Period)
		add(w)
	}
	if rules.GroupFall > 0 && before != nil {
		w := base
		w.Rule = RuleGroupFall
		for _, g := range us.Groups {
			pg := before.Group(g.Group.Code)
			if pg != nil && pg.Score-g.Score > rules.GroupFall {
				w.Groups = append(w.Groups, GroupChange{Group: g.Group, From: pg.Score, To: g.Score})
			}
		}
		if len(w.Groups) > 0 {
			w.SubjectVI, w.MessageVI, w.MessageEN = groupFallText(w, prev.Period, rules.GroupFall)
			add(w)
		}
	}
	if rules.OnTimeBelow > 0 {
		m := us.Metric(rules.OnTimeMetric)
		// An inherited value is the province's doing, not the unit's.
		if m != nil && m.HasRatio && m.Source != scoring.SourceProvince && m.Ratio < rules.OnTimeBelow {
			w := base
			w.Rule = RuleOnTimeBelow
			w.Ratio, w.Counts = m.Ratio, m.Counts
			w.SubjectVI, w.MessageVI, w.MessageEN = onTimeText(w, m.Metric, rules.OnTimeBelow)
			add(w)
		}
	}
}

// The warning's words come from the catalogue, once per language: the
// e-mail and the staff pages give Vietnamese first, then English.

func bandName(l i18n.Lang, b *scoring.Band) string {
	if b == nil {
		return l.T("alert.msg.unrated")
	}
	return present.Name(l, b.NameVI, b.NameEN)
}

// periodName is a period mid-sentence: "tháng 04/2024", "April 2024".
func periodName(l i18n.Lang, p scoring.Period) string {
	return present.Lower(l, present.Period(l, p))
}

// partial ends a message about a period whose data is not complete.
func partial(l i18n.Lang, w Warning, msg string) string {
	if w.Partial {
		return msg + " " + l.T("alert.msg.partial")
	}
	return msg
}

func bandDropText(w Warning, prev scoring.Period) (subject, vi, en string) {
	subjectKey, key := "alert.msg.band_drop.subject", "alert.msg.band_drop"
	if w.Partial {
		subjectKey, key = "alert.msg.band_drop.subject_risk", "alert.msg.band_drop.partial"
	}
	text := func(l i18n.Lang) string {
		return l.T(key, w.Unit.Name, bandName(l, w.PrevBand), bandName(l, w.Band), periodName(l, w.Period),
			present.Score(l, w.Total), present.Score(l, w.PrevTotal), periodName(l, prev))
	}
	subject = i18n.VI.T(subjectKey, w.Unit.Name, bandName(i18n.VI, w.Band), periodName(i18n.VI, w.Period))
	return subject, text(i18n.VI), text(i18n.EN)
}

func groupFallText(w Warning, prev scoring.Period, limit scoring.Cents) (subject, vi, en string) {
	text := func(l i18n.Lang) string {
		parts := make([]string, 0, len(w.Groups))
		for _, g := range w.Groups {
			parts = append(parts, l.T("alert.msg.group_fall.part", present.Name(l, g.Group.NameVI, g.Group.NameEN),
				present.Score(l, g.From-g.To), present.Score(l, g.From), present.Score(l, g.To)))
		}
		return partial(l, w, l.T("alert.msg.group_fall", w.Unit.Name, periodName(l, w.Period), periodName(l, prev),
			strings.Join(parts, "; "), present.Score(l, limit)))
	}
	subject = i18n.VI.T("alert.msg.group_fall.subject", w.Unit.Name, periodName(i18n.VI, w.Period))
	return subject, text(i18n.VI), text(i18n.EN)
}

func onTimeText(w Warning, m *scoring.Metric, floor scoring.Cents) (subject, vi, en string) {
	text := func(l i18n.Lang) string {
		name := present.Lower(l, present.Name(l, m.NameVI, m.NameEN))
		return partial(l, w, l.T("alert.msg.on_time", w.Unit.Name, name, periodName(l, w.Period), present.Score(l, w.Ratio),
			present.Int(l, w.Counts.Num), present.Int(l, w.Counts.Den), present.Score(l, floor)))
	}
	subject = i18n.VI.T("alert.msg.on_time.subject", w.Unit.Name, present.Score(i18n.VI, floor), periodName(i18n.VI, w.Period))
	return subject, text(i18n.VI), text(i18n.EN)
}
