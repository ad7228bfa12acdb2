package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"scorecard/alerts"
	"scorecard/config"
	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scorecache"
	"scorecard/scoring"
)

// alertsCmd is `scorecard alerts send`: evaluate the early-warning rules
// for a period (the newest month with data by default) against the
// previous period, and e-mail each warning not sent before. The record of
// what was sent lives in the database (store.AlertsSent), so a run every
// hour, or after every import, sends each warning once. --dry-run lists
// the warnings and sends and records nothing.
func alertsCmd(ctx context.Context, t *console, cfg config.Config, args []string, getenv func(string) string) error {
	action, err := subcommand(t, "alerts", args, "send")
	if err != nil {
		return err
	}
	fs := scoringFlags(t, "alerts "+action, &cfg)
	periodFlag := fs.String("period", "", "")
	dryRun := fs.Bool("dry-run", false, "")
	if err := parse(t, fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return t.extraArgs(fs.Args())
	}
	var period scoring.Period
	if *periodFlag != "" {
		p, err := scoring.ParsePeriod(*periodFlag)
		if err != nil {
			return t.usageErr("cli.period.invalid", *periodFlag)
		}
		period = p
	}
	rules, err := alertRules(getenv)
	if err != nil {
		return err
	}
	// The mail settings are checked before anything is evaluated, so a
	// misconfigured cron job fails loudly on its first run.
	var sender *alerts.SMTPSender
	if !*dryRun {
		smtpCfg, err := smtpConfig(getenv)
		if err != nil {
			return err
		}
		if sender, err = alerts.NewSMTPSender(smtpCfg); err != nil {
			return fail(err, "cli.alerts.smtp")
		}
	}

	st, schemes, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	// The scores service reads the units and the periods with data, then
	// each period's own counts: not every count of every period.
	svc := scorecache.New(st, schemes)
	eng, err := svc.Engine(ctx)
	if err != nil {
		return fail(err, "cli.db.read")
	}
	has := map[scoring.Period]bool{}
	for _, p := range eng.Periods() {
		has[p] = true
		if period.IsZero() && p.Kind == scoring.Month {
			period = p // newest first
		}
	}
	switch {
	case period.IsZero():
		t.say("cli.alerts.nodata")
		return nil
	case !has[period]:
		t.say("cli.alerts.nodata.period", present.Period(t.l, period))
		return nil
	}
	// Our own scores, from the counts, as the rules have always been
	// evaluated (not the portal's published figures).
	cur, err := svc.Recomputed(ctx, period)
	if err != nil {
		return fail(err, "cli.db.read")
	}
	var prev *scoring.PeriodScores
	if has[period.Prev()] {
		if prev, err = svc.Recomputed(ctx, period.Prev()); err != nil {
			return fail(err, "cli.db.read")
		}
	}
	now := time.Now()
	ws := alerts.Evaluate(rules, cur, prev, now)
	t.sayN(len(ws), "cli.alerts.count", present.Period(t.l, period), present.Int(t.l, int64(len(ws))))
	for _, w := range ws {
		// The e-mails' own texts: the subject in Vietnamese, the
		// message's first line in English.
		what := w.SubjectVI
		if t.l == i18n.EN {
			what, _, _ = strings.Cut(w.MessageEN, "\n")
		}
		fmt.Fprintf(t.stdout, "  [%s] %s (%s): %s\n", w.Rule, w.Unit.Name, w.Unit.Code, what)
	}
	if *dryRun {
		t.say("cli.alerts.dryrun")
		return nil
	}
	n := &alerts.Notifier{Sender: sender, Sent: st.AlertsSent(), Now: func() time.Time { return now }}
	res, err := n.Notify(ctx, ws)
	t.say("cli.alerts.sent", res.Sent, res.Skipped, res.Failed)
	if err != nil {
		return fail(err, "cli.alerts.failed")
	}
	return nil
}

// alertRules are the default rules with the thresholds of the environment.
func alertRules(getenv func(string) string) (alerts.Rules, error) {
	r := alerts.DefaultRules()
	read := func(name string, dst *scoring.Cents) error {
		v := strings.TrimSpace(getenv(name))
		if v == "" {
			return nil
		}
		c, err := scoring.ParseCents(strings.Replace(strings.TrimSuffix(v, "%"), ",", ".", 1))
		if err != nil {
			return config.NewProblem("config.threshold", name, v)
		}
		*dst = c
		return nil
	}
	if err := errors.Join(read("SCORECARD_ALERT_GROUP_DROP", &r.GroupFall), read("SCORECARD_ALERT_ONTIME_BELOW", &r.OnTimeBelow)); err != nil {
		return r, configError(err)
	}
	if err := r.Validate(); err != nil {
		return r, fail(err, "cli.alerts.thresholds")
	}
	return r, nil
}

// smtpConfig reads the mail server from the environment.
func smtpConfig(getenv func(string) string) (alerts.SMTPConfig, error) {
	c := alerts.SMTPConfig{
		Host:     strings.TrimSpace(getenv("SCORECARD_SMTP_HOST")),
		Port:     587,
		From:     strings.TrimSpace(getenv("SCORECARD_SMTP_FROM")),
		Username: getenv("SCORECARD_SMTP_USER"),
		Password: getenv("SCORECARD_SMTP_PASSWORD"),
	}
	var errs []error
	if c.Host == "" {
		errs = append(errs, config.NewProblem("config.smtp.host"))
	}
	if v := strings.TrimSpace(getenv("SCORECARD_SMTP_PORT")); v != "" {
		p, err := strconv.Atoi(v)
		if err != nil || p <= 0 || p > 65535 {
			errs = append(errs, config.NewProblem("config.smtp.port", v))
		}
		c.Port = p
	}
	if c.From == "" {
		errs = append(errs, config.NewProblem("config.smtp.from"))
	}
	for _, a := range strings.Split(getenv("SCORECARD_SMTP_TO"), ",") {
		if a = strings.TrimSpace(a); a != "" {
			c.To = append(c.To, a)
		}
	}
	if len(c.To) == 0 {
		// Every warning goes to the configured list: accounts carry no
		// address to send a unit's own warnings to.
		errs = append(errs, config.NewProblem("config.smtp.to"))
	}
	if len(errs) > 0 {
		return c, configError(errors.Join(errs...))
	}
	return c, nil
}
