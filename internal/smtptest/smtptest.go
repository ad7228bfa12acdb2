// Package smtptest runs a real SMTP server on the loopback interface for
// tests, and keeps every message it accepts so that a test can check what a
// sender really put on the wire (envelope, headers, body, the user it
// authenticated as). It is for tests only: it accepts any sender and any
// recipient, speaks plain TCP and keeps everything in memory.
//
// It exists so that the packages that send mail (alerts) and the commands
// that drive them (cli) test against one server rather than each keeping a
// copy of the same go-smtp backend.
package smtptest

import (
	"errors"
	"io"
	"log"
	"net"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Options set up a Server. The zero value is an open relay that needs no
// authentication.
type Options struct {
	// Username, when set, makes the server offer AUTH PLAIN and refuse
	// MAIL FROM until a client has authenticated with Username and
	// Password, as a submission server does; a wrong password fails the
	// AUTH command.
	Username string
	Password string
}

// Message is one message as the server received it.
type Message struct {
	// From is the envelope sender (MAIL FROM), To the envelope recipients
	// (RCPT TO) in the order they were given: these can differ from the
	// From and To headers, which are in Data.
	From string
	To   []string
	// Data is the message as sent after DATA (headers and body, CRLF line
	// ends, dot-stuffing removed).
	Data []byte
	// User is the name the session authenticated as; "" when it did not.
	User string
}

// Server is a running test SMTP server. Its methods are safe to call while
// clients are talking to it.
type Server struct {
	addr *net.TCPAddr
	opts Options

	mu   sync.Mutex
	msgs []Message
}

// Start listens on 127.0.0.1 on a free port, serves SMTP there until the
// test ends (t.Cleanup closes the server and waits for it), and returns the
// server. It fails the test if it cannot listen.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	srv := &Server{opts: opts}
	s := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &session{srv: srv}, nil
	}))
	s.Domain = "localhost"
	// AUTH over plain TCP: the server only listens on loopback and is a
	// test server; without this go-smtp would demand TLS first.
	s.AllowInsecureAuth = true
	// A client under test that hangs must not hang the test binary.
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	// Clients that drop the connection on purpose (failure tests) would
	// otherwise fill the test output with the server's complaints.
	s.ErrorLog = log.New(io.Discard, "", 0)

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtptest: listen: %v", err)
	}
	srv.addr = l.Addr().(*net.TCPAddr)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = s.Serve(l) // returns smtp.ErrServerClosed once Close runs
	}()
	t.Cleanup(func() {
		_ = s.Close()
		// Wait for Serve to return so that no goroutine outlives the test.
		<-done
	})
	return srv
}

// Addr is the server's address, "127.0.0.1:port".
func (s *Server) Addr() string { return s.addr.String() }

// Host is the address the server listens on, "127.0.0.1".
func (s *Server) Host() string { return s.addr.IP.String() }

// Port is the port the server listens on.
func (s *Server) Port() int { return s.addr.Port }

// Messages returns the messages received so far, oldest first. The result
// is a copy: later messages do not change it, and changing it does not
// change what the server holds.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Message, len(s.msgs))
	for i, m := range s.msgs {
		m.To = slices.Clone(m.To)
		m.Data = slices.Clone(m.Data)
		out[i] = m
	}
	return out
}

// session is one SMTP connection. go-smtp calls its methods from the
// connection's goroutine only, so its own fields need no lock; the server's
// message list does.
type session struct {
	srv  *Server
	user string // set by a successful AUTH
	cur  Message
}

// AuthMechanisms offers AUTH only when the server requires it, so that a
// client configured without credentials sees a server that does not ask
// for them.
func (s *session) AuthMechanisms() []string {
	if s.srv.opts.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

// Auth checks PLAIN credentials against Options. go-smtp passes on any
// mechanism the client names, advertised or not, so the others are refused
// here.
func (s *session) Auth(mech string) (sasl.Server, error) {
	if s.srv.opts.Username == "" || mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != s.srv.opts.Username || pass != s.srv.opts.Password {
			return errors.New("smtptest: invalid credentials")
		}
		s.user = user
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.srv.opts.Username != "" && s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.cur = Message{From: from, User: s.user}
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.cur.To = append(s.cur.To, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := s.cur
	m.To = slices.Clone(m.To) // the session's next transaction must not share it
	m.Data = b
	s.srv.mu.Lock()
	s.srv.msgs = append(s.srv.msgs, m)
	s.srv.mu.Unlock()
	return nil
}

// Reset drops a transaction that did not reach DATA (RSET, or go-smtp after
// each message); the authenticated user stays, as in SMTP.
func (s *session) Reset() { s.cur = Message{} }

func (s *session) Logout() error { return nil }
