package cli

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fakeListener fails its first accepts with errs, then hands out pipes.
type fakeListener struct {
	errs   []error
	closed chan struct{}
}

func (f *fakeListener) Accept() (net.Conn, error) {
	if len(f.errs) > 0 {
		err := f.errs[0]
		f.errs = f.errs[1:]
		return nil, err
	}
	select {
	case <-f.closed:
		return nil, net.ErrClosed
	default:
	}
	a, _ := net.Pipe()
	return a, nil
}
func (f *fakeListener) Close() error   { close(f.closed); return nil }
func (f *fakeListener) Addr() net.Addr { return &net.TCPAddr{} }

func TestGuardedListenerSurvivesAcceptErrors(t *testing.T) {
	emfile := &net.OpError{Op: "accept", Net: "tcp", Err: os.NewSyscallError("accept4", syscall.EMFILE)}
	fl := &fakeListener{errs: []error{emfile, emfile, emfile}, closed: make(chan struct{})}
	var logs bytes.Buffer
	ln := newGuardedListener(fl, 2, slog.New(slog.NewTextHandler(&logs, nil)))
	var slept []time.Duration
	ln.sleep = func(d time.Duration) { slept = append(slept, d) }

	c1, err := ln.Accept()
	if err != nil {
		t.Fatalf("accept after three EMFILE: %v", err)
	}
	if fmt.Sprint(slept) != "[5ms 10ms 20ms]" {
		t.Errorf("back-off %v, want 5ms 10ms 20ms", slept)
	}
	if n := strings.Count(logs.String(), "could not accept"); n != 1 {
		t.Errorf("logged %d times, want once for the burst:\n%s", n, logs.String())
	}

	// The cap: a third connection waits until one of two closes.
	c2, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			t.Error(err)
		}
		got <- c
	}()
	select {
	case <-got:
		t.Fatal("a third connection was accepted over the cap of 2")
	case <-time.After(50 * time.Millisecond):
	}
	_ = c1.Close()
	_ = c1.Close() // a second close gives back nothing more
	select {
	case c3 := <-got:
		_ = c3.Close()
	case <-time.After(5 * time.Second):
		t.Fatal("closing a connection did not free its slot")
	}

	// Closing the listener releases an Accept waiting for a slot.
	c4, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	waiting := make(chan error, 1)
	go func() { _, err := ln.Accept(); waiting <- err }()
	time.Sleep(20 * time.Millisecond)
	_ = ln.Close()
	select {
	case err := <-waiting:
		if !errors.Is(err, net.ErrClosed) {
			t.Errorf("accept after close: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not release a waiting Accept")
	}
	_, _ = c2.Close(), c4.Close()

	// Any other error ends serving.
	other := errors.New("bad listener")
	ln = newGuardedListener(&fakeListener{errs: []error{other}, closed: make(chan struct{})}, 1, slog.New(slog.NewTextHandler(&logs, nil)))
	if _, err := ln.Accept(); !errors.Is(err, other) {
		t.Errorf("a permanent error: %v", err)
	}
	if _, err := ln.Accept(); err != nil { // its slot was given back
		t.Errorf("after a permanent error: %v", err)
	}
}

func TestConnCap(t *testing.T) {
	for _, c := range []struct {
		configured int
		files      uint64
		want       int
	}{
		{2048, 0, 2048},       // unknown limit
		{2048, 1 << 20, 2048}, // plenty
		{2048, 256, 192},      // a quarter kept for the database and files
		{2048, 100, 36},       // at least 64 kept
		{2048, 40, 16},        // a tiny limit still serves
		{100, 4096, 100},      // the setting is a ceiling
	} {
		if got := connCap(c.configured, c.files); got != c.want {
			t.Errorf("connCap(%d, %d) = %d, want %d", c.configured, c.files, got, c.want)
		}
	}
}
