package smtptest

import (
	"net"
	"net/smtp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// send delivers one message with the standard library's client, which the
// server must understand as any sender would.
func send(addr string, auth smtp.Auth, from string, to []string, body string) error {
	return smtp.SendMail(addr, auth, from, to, []byte(body))
}

func TestOpenServerKeepsEnvelopeAndData(t *testing.T) {
	s := Start(t, Options{})
	if s.Host() != "127.0.0.1" || s.Port() == 0 || s.Addr() != net.JoinHostPort(s.Host(), strconv.Itoa(s.Port())) {
		t.Fatalf("address %q host %q port %d", s.Addr(), s.Host(), s.Port())
	}
	if n := len(s.Messages()); n != 0 {
		t.Fatalf("a new server holds %d messages", n)
	}
	body := "Subject: một\r\n\r\nDòng 1\r\n.dấu chấm đầu dòng\r\n"
	if err := send(s.Addr(), nil, "a@b.vn", []string{"c@d.vn", "e@f.vn"}, body); err != nil {
		t.Fatal(err)
	}
	if err := send(s.Addr(), nil, "g@h.vn", []string{"i@j.vn"}, "Subject: hai\r\n\r\nx\r\n"); err != nil {
		t.Fatal(err)
	}
	got := s.Messages()
	if len(got) != 2 {
		t.Fatalf("%d messages", len(got))
	}
	m := got[0]
	if m.From != "a@b.vn" || strings.Join(m.To, ",") != "c@d.vn,e@f.vn" || m.User != "" {
		t.Errorf("first envelope %+v", m)
	}
	// Dot-stuffing is undone: the data is the message as the client meant it.
	if string(m.Data) != body {
		t.Errorf("data %q, want %q", m.Data, body)
	}
	// Each transaction has its own recipients.
	if got[1].From != "g@h.vn" || strings.Join(got[1].To, ",") != "i@j.vn" {
		t.Errorf("second envelope %+v", got[1])
	}

	// Messages is a copy: changing it leaves the server's record alone.
	got[0].To[0], got[0].Data[0] = "x@y.vn", 'X'
	if again := s.Messages(); again[0].To[0] != "c@d.vn" || again[0].Data[0] != 'S' {
		t.Errorf("Messages shares memory with the server: %+v", again[0])
	}

	// An open server does not offer AUTH, so a client with credentials
	// cannot use them (net/smtp fails when AUTH is not advertised).
	err := send(s.Addr(), smtp.PlainAuth("", "u", "p", s.Host()), "a@b.vn", []string{"c@d.vn"}, "x\r\n")
	if err == nil {
		t.Error("AUTH accepted by a server that needs none")
	}
	if len(s.Messages()) != 2 {
		t.Errorf("%d messages after the refused AUTH", len(s.Messages()))
	}
}

func TestCredentialsAreRequired(t *testing.T) {
	s := Start(t, Options{Username: "canhbao", Password: "mật-khẩu"})
	to := []string{"c@d.vn"}

	// No AUTH: MAIL FROM is refused.
	if err := send(s.Addr(), nil, "a@b.vn", to, "x\r\n"); err == nil {
		t.Error("sent without authenticating")
	}
	// Wrong password, or wrong user: AUTH fails.
	for _, c := range [][2]string{{"canhbao", "sai"}, {"khac", "mật-khẩu"}} {
		if err := send(s.Addr(), smtp.PlainAuth("", c[0], c[1], s.Host()), "a@b.vn", to, "x\r\n"); err == nil {
			t.Errorf("authenticated as %q with %q", c[0], c[1])
		}
	}
	if n := len(s.Messages()); n != 0 {
		t.Fatalf("%d messages got through", n)
	}

	if err := send(s.Addr(), smtp.PlainAuth("", "canhbao", "mật-khẩu", s.Host()), "a@b.vn", to, "y\r\n"); err != nil {
		t.Fatal(err)
	}
	got := s.Messages()
	if len(got) != 1 || got[0].User != "canhbao" || got[0].From != "a@b.vn" || string(got[0].Data) != "y\r\n" {
		t.Fatalf("messages %+v", got)
	}
}

// The server stops with the test that started it.
func TestStopsAtCleanup(t *testing.T) {
	var addr string
	t.Run("inner", func(t *testing.T) {
		addr = Start(t, Options{}).Addr()
		c, err := net.DialTimeout("tcp", addr, 2*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
	})
	if c, err := net.DialTimeout("tcp", addr, 2*time.Second); err == nil {
		c.Close()
		t.Errorf("%s still accepts connections after its test ended", addr)
	}
}
