package store

import (
	"context"
	"fmt"
	"time"

	"scorecard/alerts"
)

// AlertsSent is the record of e-mailed early warnings (table alerts_sent,
// one row per unit, rule and period): it implements alerts.Sent, so that
// `scorecard alerts send` mails each warning once however often it runs,
// and however many processes run it at the same time.
type AlertsSent struct{ s *Store }

// AlertsSent returns the record of e-mailed warnings.
func (s *Store) AlertsSent() *AlertsSent { return &AlertsSent{s: s} }

var _ alerts.Sent = (*AlertsSent)(nil)

// Claim records k and reports whether this call recorded it. The insert
// is atomic under the unique key: of two runs claiming the same warning,
// exactly one gets true and sends it.
func (a *AlertsSent) Claim(ctx context.Context, k alerts.Key, at time.Time) (bool, error) {
	res := a.s.w.WithContext(ctx).Exec(
		`INSERT INTO alerts_sent (unit_code, rule_id, period, sent_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (unit_code, rule_id, period) DO NOTHING`,
		k.Unit, string(k.Rule), k.Period, at.UTC())
	if res.Error != nil {
		return false, fmt.Errorf("store: claim alert %s/%s/%s: %w", k.Unit, k.Rule, k.Period, dbErr(res.Error))
	}
	return res.RowsAffected == 1, nil
}

// Release forgets k, so that a warning whose e-mail failed is sent on the
// next run.
func (a *AlertsSent) Release(ctx context.Context, k alerts.Key) error {
	err := a.s.w.WithContext(ctx).Exec(`DELETE FROM alerts_sent WHERE unit_code = ? AND rule_id = ? AND period = ?`,
		k.Unit, string(k.Rule), k.Period).Error
	if err != nil {
		return fmt.Errorf("store: release alert %s/%s/%s: %w", k.Unit, k.Rule, k.Period, dbErr(err))
	}
	return nil
}

// SentAlert is one recorded warning.
type SentAlert struct {
	Key    alerts.Key
	SentAt time.Time
}

// Sent lists the warnings recorded for a period, by unit then rule.
func (a *AlertsSent) Sent(ctx context.Context, period string) ([]SentAlert, error) {
	var rows []struct {
		UnitCode string
		RuleID   string
		Period   string
		SentAt   time.Time
	}
	err := a.s.r.WithContext(ctx).Raw(`SELECT unit_code, rule_id, period, sent_at FROM alerts_sent
		WHERE period = ? ORDER BY unit_code, rule_id`, period).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: sent alerts of %s: %w", period, dbErr(err))
	}
	out := make([]SentAlert, 0, len(rows))
	for _, r := range rows {
		out = append(out, SentAlert{Key: alerts.Key{Unit: r.UnitCode, Rule: alerts.RuleID(r.RuleID), Period: r.Period}, SentAt: r.SentAt})
	}
	return out, nil
}
