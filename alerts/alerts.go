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
	"unicode"
	"unicode/utf8"

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

// lowerFirst turns "Tháng 04/2024" into "tháng 04/2024" for mid-sentence use.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

func bandName(b *scoring.Band) (vi, en string) {
	if b == nil {
		return "chưa xếp loại", "unclassified"
	}
	return b.NameVI, b.NameEN
}

func bandDropText(w Warning, prev scoring.Period) (subject, vi, en string) {
	toVI, toEN := bandName(w.Band)
	fromVI, fromEN := bandName(w.PrevBand)
	per := lowerFirst(present.Period(i18n.VI, w.Period))
	prevVI := lowerFirst(present.Period(i18n.VI, prev))
	if w.Partial {
		subject = fmt.Sprintf("Cảnh báo: %s có thể tụt xuống loại %s (%s)", w.Unit.Name, toVI, per)
		vi = fmt.Sprintf("Nếu số liệu tạm tính của %s giữ nguyên, %s sẽ tụt từ loại %s xuống loại %s: %s điểm, so với %s điểm của %s.",
			per, w.Unit.Name, fromVI, toVI, present.Score(i18n.VI, w.Total), present.Score(i18n.VI, w.PrevTotal), prevVI)
		en = fmt.Sprintf("If the partial data for %s holds, %s will drop from %s to %s: %s points, against %s in %s.",
			present.Period(i18n.EN, w.Period), w.Unit.Name, fromEN, toEN, w.Total, w.PrevTotal, present.Period(i18n.EN, prev))
		return subject, vi, en
	}
	subject = fmt.Sprintf("Cảnh báo: %s tụt xuống loại %s (%s)", w.Unit.Name, toVI, per)
	vi = fmt.Sprintf("%s đã tụt từ loại %s xuống loại %s trong %s: %s điểm, so với %s điểm của %s.",
		w.Unit.Name, fromVI, toVI, per, present.Score(i18n.VI, w.Total), present.Score(i18n.VI, w.PrevTotal), prevVI)
	en = fmt.Sprintf("%s dropped from %s to %s in %s: %s points, against %s in %s.",
		w.Unit.Name, fromEN, toEN, present.Period(i18n.EN, w.Period), w.Total, w.PrevTotal, present.Period(i18n.EN, prev))
	return subject, vi, en
}

func groupFallText(w Warning, prev scoring.Period, limit scoring.Cents) (subject, vi, en string) {
	per := lowerFirst(present.Period(i18n.VI, w.Period))
	var partsVI, partsEN []string
	for _, g := range w.Groups {
		partsVI = append(partsVI, fmt.Sprintf("nhóm %s giảm %s điểm (từ %s xuống %s)",
			g.Group.NameVI, present.Score(i18n.VI, g.From-g.To), present.Score(i18n.VI, g.From), present.Score(i18n.VI, g.To)))
		partsEN = append(partsEN, fmt.Sprintf("%s fell by %s points (from %s to %s)",
			g.Group.NameEN, g.From-g.To, g.From, g.To))
	}
	subject = fmt.Sprintf("Cảnh báo: %s giảm điểm nhóm chỉ số (%s)", w.Unit.Name, per)
	vi = fmt.Sprintf("%s, %s so với %s: %s. Ngưỡng cảnh báo: giảm quá %s điểm.",
		w.Unit.Name, per, lowerFirst(present.Period(i18n.VI, prev)), strings.Join(partsVI, "; "), present.Score(i18n.VI, limit))
	en = fmt.Sprintf("%s, %s against %s: %s. Warning threshold: a fall of more than %s points.",
		w.Unit.Name, present.Period(i18n.EN, w.Period), present.Period(i18n.EN, prev), strings.Join(partsEN, "; "), limit)
	if w.Partial {
		vi += " Số liệu của kỳ là tạm tính."
		en += " The period's data is partial."
	}
	return subject, vi, en
}

func onTimeText(w Warning, m *scoring.Metric, floor scoring.Cents) (subject, vi, en string) {
	per := lowerFirst(present.Period(i18n.VI, w.Period))
	subject = fmt.Sprintf("Cảnh báo: %s có tỷ lệ hồ sơ đúng hạn dưới %s%% (%s)", w.Unit.Name, present.Score(i18n.VI, floor), per)
	vi = fmt.Sprintf("%s: %s %s là %s%% (%s/%s), dưới ngưỡng %s%%.",
		w.Unit.Name, lowerFirst(m.NameVI), per, present.Score(i18n.VI, w.Ratio),
		present.Int(i18n.VI, w.Counts.Num), present.Int(i18n.VI, w.Counts.Den), present.Score(i18n.VI, floor))
	en = fmt.Sprintf("%s: %s in %s is %s%% (%s/%s), below the %s%% floor.",
		w.Unit.Name, m.NameEN, present.Period(i18n.EN, w.Period), w.Ratio,
		present.Int(i18n.EN, w.Counts.Num), present.Int(i18n.EN, w.Counts.Den), floor)
	if w.Partial {
		vi += " Số liệu của kỳ là tạm tính."
		en += " The period's data is partial."
	}
	return subject, vi, en
}
