package alerts

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"strconv"
	"strings"
	"time"

	"scorecard/i18n"
	"scorecard/present"
)

// Message is one e-mail.
type Message struct {
	To      []string // empty: the sender's configured recipients
	Subject string
	Body    string // plain text, UTF-8
}

// Sender delivers messages.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// SMTPConfig is the mail server the warnings go through.
type SMTPConfig struct {
	Host string
	Port int
	From string   // "Cổng chỉ số <canhbao@example.gov.vn>" or a bare address
	To   []string // default recipients
	// Username and Password enable AUTH PLAIN. net/smtp sends them only over
	// TLS (STARTTLS, used whenever the server offers it) or to localhost.
	Username, Password string
	// HelloName is the name given in EHLO; "localhost" by default.
	HelloName string
	// Timeout bounds one delivery; 30 seconds by default.
	Timeout time.Duration
}

// Validate reports a configuration that cannot send.
func (c SMTPConfig) Validate() error {
	var errs []error
	if strings.TrimSpace(c.Host) == "" {
		errs = append(errs, errors.New("alerts: SMTP host is empty"))
	}
	if c.Port <= 0 || c.Port > 65535 {
		errs = append(errs, fmt.Errorf("alerts: SMTP port %d is not 1–65535", c.Port))
	}
	if _, err := mail.ParseAddress(c.From); err != nil {
		errs = append(errs, fmt.Errorf("alerts: SMTP from %q: %w", c.From, err))
	}
	for _, to := range c.To {
		if _, err := mail.ParseAddress(to); err != nil {
			errs = append(errs, fmt.Errorf("alerts: SMTP recipient %q: %w", to, err))
		}
	}
	if (c.Username == "") != (c.Password == "") {
		errs = append(errs, errors.New("alerts: SMTP username and password go together"))
	}
	return errors.Join(errs...)
}

// SMTPSender sends through one SMTP server with net/smtp.
type SMTPSender struct {
	cfg  SMTPConfig
	from *mail.Address
	now  func() time.Time
}

// NewSMTPSender checks the configuration.
func NewSMTPSender(cfg SMTPConfig) (*SMTPSender, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	from, _ := mail.ParseAddress(cfg.From) // checked by Validate
	if cfg.HelloName == "" {
		cfg.HelloName = "localhost"
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	return &SMTPSender{cfg: cfg, from: from, now: time.Now}, nil
}

// Send delivers one message to m.To, or to the configured recipients.
func (s *SMTPSender) Send(ctx context.Context, m Message) error {
	to := m.To
	if len(to) == 0 {
		to = s.cfg.To
	}
	var rcpts []*mail.Address
	for _, a := range to {
		addr, err := mail.ParseAddress(a)
		if err != nil {
			return fmt.Errorf("alerts: recipient %q: %w", a, err)
		}
		rcpts = append(rcpts, addr)
	}
	if len(rcpts) == 0 {
		return errors.New("alerts: no recipient")
	}
	data, err := s.compose(m.Subject, m.Body, rcpts)
	if err != nil {
		return err
	}

	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	addr := net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port))
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("alerts: connect to %s: %w", addr, err)
	}
	// net/smtp knows nothing of contexts: a deadline on the connection, and
	// an immediate one on cancellation, keep a stuck server from hanging
	// the caller.
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Now()) })
	defer stop()

	c, err := smtp.NewClient(conn, s.cfg.Host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("alerts: SMTP greeting from %s: %w", addr, err)
	}
	defer c.Close()
	if err := c.Hello(s.cfg.HelloName); err != nil {
		return fmt.Errorf("alerts: SMTP hello: %w", err)
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: s.cfg.Host, MinVersion: tls.VersionTLS12}); err != nil {
			return fmt.Errorf("alerts: SMTP STARTTLS: %w", err)
		}
	}
	if s.cfg.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", s.cfg.Username, s.cfg.Password, s.cfg.Host)); err != nil {
			return fmt.Errorf("alerts: SMTP auth: %w", err)
		}
	}
	if err := c.Mail(s.from.Address); err != nil {
		return fmt.Errorf("alerts: SMTP MAIL FROM: %w", err)
	}
	for _, r := range rcpts {
		if err := c.Rcpt(r.Address); err != nil {
			return fmt.Errorf("alerts: SMTP RCPT TO %s: %w", r.Address, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("alerts: SMTP DATA: %w", err)
	}
	if _, err := w.Write(data); err != nil {
		return fmt.Errorf("alerts: SMTP write: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("alerts: SMTP end of data: %w", err)
	}
	if err := c.Quit(); err != nil {
		return fmt.Errorf("alerts: SMTP quit: %w", err)
	}
	return nil
}

// compose writes the message: UTF-8 plain text, quoted-printable, with the
// subject as RFC 2047 encoded words so Vietnamese survives every relay.
func (s *SMTPSender) compose(subject, body string, to []*mail.Address) ([]byte, error) {
	id := make([]byte, 12)
	if _, err := rand.Read(id); err != nil {
		return nil, fmt.Errorf("alerts: message id: %w", err)
	}
	domain := "localhost"
	if i := strings.LastIndexByte(s.from.Address, '@'); i >= 0 {
		domain = s.from.Address[i+1:]
	}
	var tos []string
	for _, a := range to {
		tos = append(tos, a.String())
	}
	var b bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	header("From", s.from.String()) // mail.Address.String encodes a non-ASCII name
	header("To", strings.Join(tos, ", "))
	header("Subject", encodeSubject(subject))
	header("Date", s.now().Format(time.RFC1123Z))
	header("Message-ID", "<"+hex.EncodeToString(id)+"@"+domain+">")
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=UTF-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	// quoted-printable keeps line breaks as they are given: use CRLF.
	text := strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\n", "\r\n")
	if _, err := qp.Write([]byte(text)); err != nil {
		return nil, fmt.Errorf("alerts: encode body: %w", err)
	}
	if err := qp.Close(); err != nil {
		return nil, fmt.Errorf("alerts: encode body: %w", err)
	}
	return b.Bytes(), nil
}

// encodeSubject encodes a subject as Q encoded words, folded between words
// so no header line grows past the 78 characters RFC 5322 asks for. Line
// breaks in the subject are dropped: they would inject headers.
func encodeSubject(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	enc := mime.QEncoding.Encode("UTF-8", s)
	// Encode splits long text into words joined by single spaces; encoded
	// words contain no spaces, so each space is a fold point.
	return strings.ReplaceAll(enc, "?= =?", "?=\r\n =?")
}

// Notifier e-mails warnings, each once.
type Notifier struct {
	Sender Sender
	Sent   Sent
	// Recipients picks the addresses for a warning (the unit's users, say);
	// nil or an empty answer sends to the sender's configured list.
	Recipients func(Warning) []string
	// Now stamps the record; time.Now when nil.
	Now func() time.Time
}

// NotifyResult counts what a run did.
type NotifyResult struct {
	Sent    int // e-mailed now
	Skipped int // already sent in an earlier run (or twice in this one)
	Failed  int // sending failed; released, so the next run tries again
}

// Notify sends every warning not sent before. A failed send does not stop
// the others; the failures are returned joined.
func (n *Notifier) Notify(ctx context.Context, ws []Warning) (NotifyResult, error) {
	var res NotifyResult
	if n.Sender == nil || n.Sent == nil {
		return res, errors.New("alerts: notifier needs a sender and a sent record")
	}
	now := time.Now
	if n.Now != nil {
		now = n.Now
	}
	var errs []error
	for _, w := range ws {
		k := w.Key()
		ok, err := n.Sent.Claim(ctx, k, now())
		if err != nil {
			errs = append(errs, fmt.Errorf("alerts: record %v: %w", k, err))
			res.Failed++
			continue
		}
		if !ok {
			res.Skipped++
			continue
		}
		var to []string
		if n.Recipients != nil {
			to = n.Recipients(w)
		}
		if err := n.Sender.Send(ctx, MessageFor(w, to)); err != nil {
			res.Failed++
			errs = append(errs, fmt.Errorf("alerts: send %v: %w", k, err))
			if rerr := n.Sent.Release(ctx, k); rerr != nil {
				errs = append(errs, fmt.Errorf("alerts: release %v: %w", k, rerr))
			}
			continue
		}
		res.Sent++
	}
	return res, errors.Join(errs...)
}

// MessageFor writes the e-mail for a warning: Vietnamese first, then
// English.
func MessageFor(w Warning, to []string) Message {
	var b strings.Builder
	b.WriteString(w.MessageVI)
	b.WriteString("\n\n")
	b.WriteString(i18n.VI.T("alert.msg.mail.unit", w.Unit.Name, w.Unit.Code) + "\n")
	b.WriteString(i18n.VI.T("alert.msg.mail.period", present.Period(i18n.VI, w.Period)) + "\n")
	b.WriteString("\n" + i18n.VI.T("alert.msg.mail.footer") + "\n")
	b.WriteString("\n---\n")
	b.WriteString(w.MessageEN)
	b.WriteString("\n")
	return Message{To: to, Subject: w.SubjectVI, Body: b.String()}
}
