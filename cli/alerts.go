package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"scorecard/alerts"
	"scorecard/config"
	"scorecard/i18n"
	"scorecard/present"
	"scorecard/scoring"
)

// alertsUsage is printed for a mistake in `scorecard alerts`.
const alertsUsage = `Dùng / use: scorecard alerts send [--db PATH] [--period PERIOD] [--dry-run]
  Gửi thư cảnh báo sớm qua SMTP; mỗi cảnh báo chỉ gửi một lần cho mỗi đơn vị, mỗi quy tắc, mỗi kỳ.
  E-mails the early warnings through SMTP, once per unit, rule and period.
  SMTP: SCORECARD_SMTP_HOST, SCORECARD_SMTP_PORT (mặc định 587), SCORECARD_SMTP_FROM,
        SCORECARD_SMTP_TO (nhiều địa chỉ cách nhau bằng dấu phẩy), SCORECARD_SMTP_USER, SCORECARD_SMTP_PASSWORD
  Ngưỡng / thresholds: SCORECARD_ALERT_GROUP_DROP (điểm, mặc định 5; 0 tắt quy tắc),
        SCORECARD_ALERT_ONTIME_BELOW (%, mặc định 90; 0 tắt quy tắc)`

// alertsCmd is `scorecard alerts send`: evaluate the early-warning rules
// for a period (the newest month with data by default) against the
// previous period, and e-mail each warning not sent before. The record of
// what was sent lives in the database (store.AlertsSent), so a run every
// hour, or after every import, sends each warning once. --dry-run lists
// the warnings and sends and records nothing.
func alertsCmd(ctx context.Context, cfg config.Config, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "send" {
		fmt.Fprintln(stderr, alertsUsage)
		return errUsage
	}
	fs := flags("alerts send", &cfg, stdout, stderr)
	periodFlag := fs.String("period", "", "period to check (default: the newest month with data)")
	dryRun := fs.Bool("dry-run", false, "list the warnings; send and record nothing")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "Tham số thừa / unexpected arguments: %v\n%s\n", fs.Args(), alertsUsage)
		return errUsage
	}
	var period scoring.Period
	if *periodFlag != "" {
		p, err := scoring.ParsePeriod(*periodFlag)
		if err != nil {
			fmt.Fprintf(stderr, "Kỳ không hợp lệ / invalid period %q: dùng YYYY-MM, YYYY-Qn, YYYY-Hn hoặc YYYY.\n", *periodFlag)
			return errUsage
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
			return fmt.Errorf("cli: SMTP settings: %w", err)
		}
	}

	st, schemes, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	ds, err := st.Dataset(ctx)
	if err != nil {
		return fmt.Errorf("cli: load data: %w", err)
	}
	eng := scoring.NewEngine(schemes, ds)
	has := map[scoring.Period]bool{}
	for _, p := range eng.Periods() {
		has[p] = true
		if period.IsZero() && p.Kind == scoring.Month {
			period = p // newest first
		}
	}
	if period.IsZero() || !has[period] {
		what := "chưa có kỳ nào có số liệu / no period has data"
		if !period.IsZero() {
			what = fmt.Sprintf("kỳ %s chưa có số liệu / period %s has no data", period, period)
		}
		fmt.Fprintf(stdout, "Không có cảnh báo: %s.\n", what)
		return nil
	}
	cur := eng.Score(period)
	var prev *scoring.PeriodScores
	if has[period.Prev()] {
		prev = eng.Score(period.Prev())
	}
	now := time.Now()
	ws := alerts.Evaluate(rules, cur, prev, now)
	fmt.Fprintf(stdout, "%s: %d cảnh báo / %d warnings\n", present.Period(i18n.VI, period), len(ws), len(ws))
	for _, w := range ws {
		fmt.Fprintf(stdout, "  [%s] %s (%s): %s\n", w.Rule, w.Unit.Name, w.Unit.Code, w.SubjectVI)
	}
	if *dryRun {
		fmt.Fprintln(stdout, "Chạy thử (--dry-run): không gửi, không ghi nhận / dry run: nothing sent or recorded.")
		return nil
	}
	n := &alerts.Notifier{Sender: sender, Sent: st.AlertsSent(), Now: func() time.Time { return now }}
	res, err := n.Notify(ctx, ws)
	fmt.Fprintf(stdout, "Đã gửi %d, bỏ qua %d (đã gửi trước đó), lỗi %d / sent %d, skipped %d (sent before), failed %d\n",
		res.Sent, res.Skipped, res.Failed, res.Sent, res.Skipped, res.Failed)
	if err != nil {
		return fmt.Errorf("cli: send alerts (failed ones are retried on the next run): %w", err)
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
			return fmt.Errorf("cli: %s=%q is not a number with at most two decimals (e.g. 5 or 92,5)", name, v)
		}
		*dst = c
		return nil
	}
	if err := errors.Join(read("SCORECARD_ALERT_GROUP_DROP", &r.GroupFall), read("SCORECARD_ALERT_ONTIME_BELOW", &r.OnTimeBelow)); err != nil {
		return r, err
	}
	if err := r.Validate(); err != nil {
		return r, fmt.Errorf("cli: alert thresholds: %w", err)
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
		errs = append(errs, errors.New("cli: SCORECARD_SMTP_HOST is not set (the mail server's name); use --dry-run to list the warnings without sending"))
	}
	if v := strings.TrimSpace(getenv("SCORECARD_SMTP_PORT")); v != "" {
		p, err := strconv.Atoi(v)
		if err != nil || p <= 0 || p > 65535 {
			errs = append(errs, fmt.Errorf("cli: SCORECARD_SMTP_PORT=%q is not a port number (1–65535)", v))
		}
		c.Port = p
	}
	if c.From == "" {
		errs = append(errs, errors.New("cli: SCORECARD_SMTP_FROM is not set (the sender's address)"))
	}
	for _, a := range strings.Split(getenv("SCORECARD_SMTP_TO"), ",") {
		if a = strings.TrimSpace(a); a != "" {
			c.To = append(c.To, a)
		}
	}
	if len(c.To) == 0 {
		// The configured list receives every warning: accounts have no
		// e-mail addresses of their own.
		errs = append(errs, errors.New("cli: SCORECARD_SMTP_TO is not set (recipients, separated by commas)"))
	}
	return c, errors.Join(errs...)
}
