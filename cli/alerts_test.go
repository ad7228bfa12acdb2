package cli

import (
	"bytes"
	"context"
	"mime"
	"net/mail"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"scorecard/alerts"
	"scorecard/internal/smtptest"
	"scorecard/scoring"
	"scorecard/store"
)

// subjectOf decodes a message's subject as a mail client would.
func subjectOf(t *testing.T, data []byte) string {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("read message: %v", err)
	}
	s, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("subject: %v", err)
	}
	return s
}

// expectedWarnings evaluates the rules on the database's data as the
// command should: period p against the month before.
func expectedWarnings(t *testing.T, dbPath string, rules alerts.Rules, p string) []alerts.Warning {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, store.Config{Driver: store.DriverSQLite, DSN: dbPath})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ds, err := st.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	schemes, err := loadSchemes("")
	if err != nil {
		t.Fatal(err)
	}
	eng := scoring.NewEngine(schemes, ds)
	cur := scoring.MustPeriod(p)
	return alerts.Evaluate(rules, eng.Score(cur), eng.Score(cur.Prev()), time.Now())
}

// `scorecard alerts send` against a local SMTP server, twice: the first
// run mails every warning once (one message per unit and rule), the second
// mails nothing; --dry-run sends and records nothing.
func TestAlertsSendOncePerUnitAndRule(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the whole demo and sends mail (slow)")
	}
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "alerts.db")
	mb := smtptest.Start(t, smtptest.Options{})
	env := map[string]string{
		"SCORECARD_DB":                 db,
		"SCORECARD_SMTP_HOST":          mb.Host(),
		"SCORECARD_SMTP_PORT":          strconv.Itoa(mb.Port()),
		"SCORECARD_SMTP_FROM":          "Cổng chỉ số <canhbao@bk.gov.vn>",
		"SCORECARD_SMTP_TO":            "giamdoc@bk.gov.vn, vanphong@bk.gov.vn",
		"SCORECARD_ALERT_ONTIME_BELOW": "99,5",
		"SCORECARD_ALERT_GROUP_DROP":   "2",
	}
	if r := runCLI(t, ctx, env, "demo", "load"); r.code != 0 {
		t.Fatalf("demo load: %+v", r)
	}
	rules := alerts.DefaultRules()
	rules.OnTimeBelow, rules.GroupFall = 9950, 200
	want := expectedWarnings(t, db, rules, "2024-04")
	if len(want) < 2 {
		t.Fatalf("the demo gives %d warnings in 04/2024 with these thresholds; the test needs several", len(want))
	}

	// A dry run lists them and sends nothing.
	r := runCLI(t, ctx, env, "alerts", "send", "--period", "2024-04", "--dry-run")
	if r.code != 0 || !strings.Contains(r.stdout, strconv.Itoa(len(want))+" cảnh báo") || len(mb.Messages()) != 0 {
		t.Fatalf("dry run: %+v, %d messages", r, len(mb.Messages()))
	}

	r = runCLI(t, ctx, env, "alerts", "send", "--period", "2024-04")
	if r.code != 0 {
		t.Fatalf("first run: %+v", r)
	}
	got := mb.Messages()
	if len(got) != len(want) {
		t.Fatalf("first run sent %d messages, want %d (one per unit and rule)\n%s", len(got), len(want), r.stdout)
	}
	subjects := map[string]int{}
	for _, m := range got {
		subjects[subjectOf(t, m.Data)]++
		if strings.Join(m.To, ",") != "giamdoc@bk.gov.vn,vanphong@bk.gov.vn" {
			t.Errorf("recipients %v", m.To)
		}
	}
	perUnitRule := map[alerts.Key]bool{}
	for _, w := range want {
		if subjects[w.SubjectVI] != 1 {
			t.Errorf("%s/%s: %d messages with subject %q, want 1", w.Unit.Code, w.Rule, subjects[w.SubjectVI], w.SubjectVI)
		}
		if perUnitRule[w.Key()] {
			t.Errorf("two warnings for %v", w.Key())
		}
		perUnitRule[w.Key()] = true
	}
	if !strings.Contains(r.stdout, "Đã gửi "+strconv.Itoa(len(want))+", bỏ qua 0") {
		t.Errorf("first run output:\n%s", r.stdout)
	}

	// The second run (cron, the next import…) sends nothing.
	r = runCLI(t, ctx, env, "alerts", "send", "--period", "2024-04")
	if r.code != 0 || len(mb.Messages()) != len(want) {
		t.Fatalf("second run: %+v; the server now has %d messages, want %d", r, len(mb.Messages()), len(want))
	}
	if !strings.Contains(r.stdout, "Đã gửi 0, bỏ qua "+strconv.Itoa(len(want))) {
		t.Errorf("second run output:\n%s", r.stdout)
	}
	// The record is in the database.
	st, err := store.Open(ctx, store.Config{Driver: store.DriverSQLite, DSN: db})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := st.AlertsSent().Sent(ctx, "2024-04")
	st.Close()
	if err != nil || len(rec) != len(want) {
		t.Fatalf("recorded %d warnings (%v), want %d", len(rec), err, len(want))
	}
}

func TestAlertsSendConfiguration(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	base := map[string]string{"SCORECARD_DB": filepath.Join(dir, "x.db")}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	smtpOK := []string{"SCORECARD_SMTP_HOST", "127.0.0.1", "SCORECARD_SMTP_FROM", "a@b.vn", "SCORECARD_SMTP_TO", "c@d.vn"}
	cases := []struct {
		name string
		env  map[string]string
		args []string
		code int
		want string
	}{
		{"no subcommand", base, []string{"alerts"}, 2, "scorecard alerts: cần một trong các lệnh send"},
		{"unknown subcommand", base, []string{"alerts", "list"}, 2, `không có lệnh "list" (có: send)`},
		{"bad period", base, []string{"alerts", "send", "--period", "2024-13"}, 2, "2024-13"},
		{"no SMTP host", base, []string{"alerts", "send"}, 1, "SCORECARD_SMTP_HOST"},
		{"no recipients", with("SCORECARD_SMTP_HOST", "h", "SCORECARD_SMTP_FROM", "a@b.vn"), []string{"alerts", "send"}, 1, "SCORECARD_SMTP_TO"},
		{"bad port", with(append(smtpOK, "SCORECARD_SMTP_PORT", "99999")...), []string{"alerts", "send"}, 1, "SCORECARD_SMTP_PORT"},
		{"bad threshold", with("SCORECARD_ALERT_ONTIME_BELOW", "chín mươi"), []string{"alerts", "send", "--dry-run"}, 1, "SCORECARD_ALERT_ONTIME_BELOW"},
		{"threshold out of range", with("SCORECARD_ALERT_GROUP_DROP", "150"), []string{"alerts", "send", "--dry-run"}, 1, "group fall"},
		{"empty database", base, []string{"alerts", "send", "--dry-run"}, 0, "chưa có kỳ nào có số liệu"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, ctx, c.env, c.args...)
			if r.code != c.code || !strings.Contains(r.stdout+r.stderr, c.want) {
				t.Fatalf("exit %d (want %d), output lacks %q:\n%s\n%s", r.code, c.code, c.want, r.stdout, r.stderr)
			}
		})
	}
}
