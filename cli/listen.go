package cli

import (
	"errors"
	"log/slog"
	"net"
	"sync"
	"syscall"
	"time"
)

// guardedListener is the server's listener with two guards a stranger
// cannot get past by opening connections:
//
//   - a cap on the connections served at once: the next one is accepted
//     only when one closes, and waits meanwhile in the kernel's queue, so
//     the process never spends the file descriptors the database and the
//     uploads need;
//   - an accept that fails for want of resources (too many open files,
//     out of buffers) is logged and tried again after a pause that grows
//     to a second, as net/http does: the server goes on serving instead of
//     ending (Fiber's server gives up at the first such error).
type guardedListener struct {
	net.Listener
	log   *slog.Logger
	slots chan struct{}
	done  chan struct{}
	once  sync.Once

	// Failed accepts are logged at most once per logEvery, with how many
	// there were: a flood must not fill the disk with the same line.
	mu       sync.Mutex
	lastLog  time.Time
	failures int

	sleep func(time.Duration) // time.Sleep; tests shorten it
}

const (
	acceptBackoffMin = 5 * time.Millisecond
	acceptBackoffMax = time.Second
	acceptLogEvery   = 10 * time.Second
)

func newGuardedListener(ln net.Listener, maxConns int, log *slog.Logger) *guardedListener {
	return &guardedListener{Listener: ln, log: log, slots: make(chan struct{}, max(maxConns, 1)),
		done: make(chan struct{}), sleep: time.Sleep}
}

// Accept waits for a free slot, then for a connection.
func (l *guardedListener) Accept() (net.Conn, error) {
	select {
	case l.slots <- struct{}{}:
	case <-l.done:
		return nil, net.ErrClosed
	}
	delay := time.Duration(0)
	for {
		c, err := l.Listener.Accept()
		if err == nil {
			return &slotConn{Conn: c, release: l.release}, nil
		}
		if !retryableAccept(err) {
			<-l.slots
			return nil, err
		}
		if delay == 0 {
			delay = acceptBackoffMin
		} else {
			delay = min(2*delay, acceptBackoffMax)
		}
		l.logFailure(err)
		select {
		case <-l.done:
			<-l.slots
			return nil, net.ErrClosed
		default:
		}
		l.sleep(delay)
	}
}

func (l *guardedListener) release() { <-l.slots }

// Close stops accepting; an Accept waiting for a slot returns at once.
func (l *guardedListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return l.Listener.Close()
}

func (l *guardedListener) logFailure(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.failures++
	if now := time.Now(); now.Sub(l.lastLog) >= acceptLogEvery {
		l.log.Warn("could not accept a connection; retrying", "err", err, "failures", l.failures)
		l.lastLog, l.failures = now, 0
	}
}

// retryableAccept: the error is the machine's or the process's momentary
// want (descriptors, memory, buffers), or a client that left before it
// was accepted; anything else (the listener closed) ends serving.
func retryableAccept(err error) bool {
	for _, e := range []syscall.Errno{syscall.EMFILE, syscall.ENFILE, syscall.ENOBUFS, syscall.ENOMEM,
		syscall.ECONNABORTED, syscall.ECONNRESET, syscall.EINTR, syscall.EAGAIN} {
		if errors.Is(err, e) {
			return true
		}
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// slotConn gives its slot back when closed, once.
type slotConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *slotConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

// connCap is how many connections may be open at once: the configured
// cap, lowered to leave room under the limit of open files for the
// database (a SQLite file, its WAL and index for each pooled connection),
// staged uploads, the log and the listener itself.
func connCap(configured int, fileLimit uint64) int {
	if fileLimit == 0 {
		return configured
	}
	reserve := max(fileLimit/4, 64)
	if fileLimit <= reserve+16 {
		return min(configured, 16)
	}
	return min(configured, int(min(fileLimit-reserve, 1<<30)))
}
