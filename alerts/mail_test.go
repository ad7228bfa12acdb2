package alerts

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"testing"
	"time"

	"scorecard/internal/smtptest"
)

// parsed is a received message decoded as a mail client would.
type parsed struct {
	subject, body, contentType, from, to string
	rawSubject                           string
}

func parse(t *testing.T, data []byte) parsed {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("read message: %v\n%s", err, data)
	}
	dec := new(mime.WordDecoder)
	subj, err := dec.DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("subject: %v", err)
	}
	if m.Header.Get("Content-Transfer-Encoding") != "quoted-printable" {
		t.Fatalf("transfer encoding %q", m.Header.Get("Content-Transfer-Encoding"))
	}
	body, err := io.ReadAll(quotedprintable.NewReader(m.Body))
	if err != nil {
		t.Fatalf("body: %v", err)
	}
	from, err := dec.DecodeHeader(m.Header.Get("From"))
	if err != nil {
		t.Fatal(err)
	}
	return parsed{subject: subj, body: string(body), contentType: m.Header.Get("Content-Type"),
		from: from, to: m.Header.Get("To"), rawSubject: m.Header.Get("Subject")}
}

func senderFor(t *testing.T, ms *smtptest.Server, user, password string) *SMTPSender {
	t.Helper()
	s, err := NewSMTPSender(SMTPConfig{Host: ms.Host(), Port: ms.Port(), From: "Cổng chỉ số <canhbao@bk.gov.vn>",
		To: []string{"giamdoc@bk.gov.vn", "vanphong@bk.gov.vn"}, Username: user, Password: password, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Warnings go out through a real SMTP server, once: a second run sends
// nothing, and a failed send is retried on the next run.
func TestNotifyThroughSMTPOnce(t *testing.T) {
	mar, apr := fixture(t)
	ws := Evaluate(DefaultRules(), apr, mar, midApril)
	if len(ws) != 4 {
		t.Fatalf("fixture gives %d warnings", len(ws))
	}
	ms := smtptest.Start(t, smtptest.Options{})
	sent := NewMemorySent()
	n := &Notifier{Sender: senderFor(t, ms, "", ""), Sent: sent, Now: func() time.Time { return midApril }}
	ctx := context.Background()

	res, err := n.Notify(ctx, ws)
	if err != nil || res.Sent != 4 || res.Skipped != 0 || res.Failed != 0 {
		t.Fatalf("first run: %+v %v", res, err)
	}
	got := ms.Messages()
	if len(got) != 4 {
		t.Fatalf("server received %d messages", len(got))
	}
	bySubject := map[string]parsed{}
	for _, r := range got {
		if r.From != "canhbao@bk.gov.vn" || strings.Join(r.To, ",") != "giamdoc@bk.gov.vn,vanphong@bk.gov.vn" {
			t.Errorf("envelope %s → %v", r.From, r.To)
		}
		p := parse(t, r.Data)
		bySubject[p.subject] = p
		if !strings.Contains(strings.ToLower(p.contentType), "charset=utf-8") || p.from != "Cổng chỉ số <canhbao@bk.gov.vn>" {
			t.Errorf("headers: %q from %q", p.contentType, p.from)
		}
		// The subject travels as 7-bit encoded words.
		for _, b := range []byte(p.rawSubject) {
			if b >= 0x80 {
				t.Fatalf("raw subject is not ASCII: %q", p.rawSubject)
			}
		}
		if !strings.HasPrefix(p.rawSubject, "=?UTF-8?q?") {
			t.Errorf("raw subject %q", p.rawSubject)
		}
	}
	p, ok := bySubject["Cảnh báo: Sở Tư pháp có thể tụt xuống loại Tốt (tháng 04/2024)"]
	if !ok {
		t.Fatalf("no band-drop message among %v", keysOf(bySubject))
	}
	for _, want := range []string{
		"Nếu số liệu tạm tính của tháng 04/2024 giữ nguyên, Sở Tư pháp sẽ tụt từ loại Xuất sắc xuống loại Tốt: 89,47 điểm, so với 93,20 điểm của tháng 03/2024.",
		"Đơn vị: Sở Tư pháp (P.A)\r\nKỳ: Tháng 04/2024",
		"If the partial data for Apr 2024 holds, Sở Tư pháp will drop from Excellent to Good",
	} {
		if !strings.Contains(p.body, want) {
			t.Errorf("body lacks %q:\n%s", want, p.body)
		}
	}
	if _, ok := bySubject["Cảnh báo: Xã Đồng Phúc có tỷ lệ hồ sơ đúng hạn dưới 90,00% (tháng 04/2024)"]; !ok {
		t.Errorf("no on-time message among %v", keysOf(bySubject))
	}
	if at, ok := sent.SentAt(Key{"P.A", RuleBandDrop, "2024-04"}); !ok || !at.Equal(midApril) {
		t.Errorf("record %v %v", at, ok)
	}

	// The check runs again (every import, every hour): no alert storm.
	res, err = n.Notify(ctx, Evaluate(DefaultRules(), apr, mar, midApril))
	if err != nil || res.Sent != 0 || res.Skipped != 4 {
		t.Fatalf("second run: %+v %v", res, err)
	}
	if len(ms.Messages()) != 4 {
		t.Fatalf("second run reached the server: %d messages", len(ms.Messages()))
	}
	// A new rule holding for the same unit and period is a new message.
	extra := Evaluate(Rules{GroupFall: 1, Kinds: nil}, apr, mar, midApril)
	res, err = n.Notify(ctx, extra)
	if err != nil || res.Sent == 0 || res.Sent+res.Skipped != len(extra) {
		t.Fatalf("new rule: %+v %v", res, err)
	}
}

type failingSender struct{ calls int }

func (f *failingSender) Send(context.Context, Message) error {
	f.calls++
	return errors.New("relay refused")
}

func TestFailedSendIsRetried(t *testing.T) {
	mar, apr := fixture(t)
	ws := Evaluate(DefaultRules(), apr, mar, midApril)
	sent := NewMemorySent()
	f := &failingSender{}
	res, err := (&Notifier{Sender: f, Sent: sent}).Notify(context.Background(), ws)
	if err == nil || !strings.Contains(err.Error(), "relay refused") || res.Failed != len(ws) || sent.Len() != 0 {
		t.Fatalf("failing run: %+v %v, %d recorded", res, err, sent.Len())
	}
	// The next run, with a working server, sends them all.
	ms := smtptest.Start(t, smtptest.Options{})
	res, err = (&Notifier{Sender: senderFor(t, ms, "", ""), Sent: sent}).Notify(context.Background(), ws)
	if err != nil || res.Sent != len(ws) || len(ms.Messages()) != len(ws) {
		t.Fatalf("retry: %+v %v", res, err)
	}
	// The same warning twice in one batch goes out once.
	ms2 := smtptest.Start(t, smtptest.Options{})
	res, err = (&Notifier{Sender: senderFor(t, ms2, "", ""), Sent: NewMemorySent()}).Notify(context.Background(), []Warning{ws[0], ws[0]})
	if err != nil || res.Sent != 1 || res.Skipped != 1 || len(ms2.Messages()) != 1 {
		t.Fatalf("duplicate in batch: %+v %v", res, err)
	}
}

func TestSMTPAuthAndRecipients(t *testing.T) {
	mar, apr := fixture(t)
	ws := Evaluate(DefaultRules(), apr, mar, midApril)
	ms := smtptest.Start(t, smtptest.Options{Username: "canhbao", Password: "mật-khẩu"})
	n := &Notifier{Sender: senderFor(t, ms, "canhbao", "mật-khẩu"), Sent: NewMemorySent(),
		Recipients: func(w Warning) []string {
			if w.Unit.Code == "P.A" {
				return []string{"tuphap@bk.gov.vn"}
			}
			return nil
		}}
	res, err := n.Notify(context.Background(), ws)
	if err != nil || res.Sent != len(ws) {
		t.Fatalf("%+v %v", res, err)
	}
	for _, r := range ms.Messages() {
		if r.User != "canhbao" {
			t.Errorf("not authenticated: %q", r.User)
		}
		p := parse(t, r.Data)
		if strings.Contains(p.subject, "Sở Tư pháp") != (strings.Join(r.To, ",") == "tuphap@bk.gov.vn") {
			t.Errorf("%q went to %v", p.subject, r.To)
		}
	}
	// Wrong password: the send fails, nothing is recorded as sent.
	bad := &Notifier{Sender: senderFor(t, ms, "canhbao", "sai"), Sent: NewMemorySent()}
	if res, err := bad.Notify(context.Background(), ws[:1]); err == nil || res.Failed != 1 {
		t.Errorf("wrong password: %+v %v", res, err)
	}
}

func TestSMTPConfigValidate(t *testing.T) {
	good := SMTPConfig{Host: "mail.bk.gov.vn", Port: 587, From: "canhbao@bk.gov.vn", To: []string{"a@bk.gov.vn"}}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]SMTPConfig{
		"no host":         {Port: 25, From: "a@b.vn"},
		"bad port":        {Host: "h", Port: 0, From: "a@b.vn"},
		"bad from":        {Host: "h", Port: 25, From: "không phải địa chỉ"},
		"bad recipient":   {Host: "h", Port: 25, From: "a@b.vn", To: []string{"x"}},
		"user without pw": {Host: "h", Port: 25, From: "a@b.vn", Username: "u"},
	} {
		if _, err := NewSMTPSender(c); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// A server that is not there: an error, not a hang.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	s, err := NewSMTPSender(SMTPConfig{Host: "127.0.0.1", Port: port, From: "a@b.vn", To: []string{"c@d.vn"}, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), Message{Subject: "x", Body: "y"}); err == nil {
		t.Error("sending to a closed port succeeded")
	}
}

func TestEncodeSubjectFoldsAndStripsNewlines(t *testing.T) {
	long := strings.Repeat("Cảnh báo chỉ số phục vụ người dân, doanh nghiệp ", 4) + "\r\nBcc: x@y.vn"
	enc := encodeSubject(long)
	for _, line := range strings.Split(enc, "\r\n") {
		if len(line) > 78 {
			t.Errorf("line of %d characters: %q", len(line), line)
		}
	}
	got, err := new(mime.WordDecoder).DecodeHeader(strings.ReplaceAll(enc, "\r\n ", " "))
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Join(strings.Fields(long), " "); got != want {
		t.Errorf("round trip %q, want %q", got, want)
	}
}

func keysOf(m map[string]parsed) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
