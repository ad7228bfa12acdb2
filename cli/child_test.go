package cli

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// childEnv marks the test binary started as a server by startChild: the
// real process, with its own limits and memory, that a test can attack
// and measure from outside.
const childEnv = "SCORECARD_TEST_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := Run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// child is a server process started by startChild.
type child struct {
	cmd    *exec.Cmd
	base   string // http://127.0.0.1:PORT
	exited chan struct{}
	err    error // the exit, once exited is closed
	logs   *syncBuffer
}

// alive reports whether the process has not ended.
func (c *child) alive() bool {
	select {
	case <-c.exited:
		return false
	default:
		return true
	}
}

// peakRSS is the process's peak resident memory so far, in bytes (Linux).
func (c *child) peakRSS(t *testing.T) int64 { return procStatus(t, c.cmd.Process.Pid, "VmHWM") }

func procStatus(t *testing.T, pid int, field string) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatalf("read the server's memory: %v", err)
	}
	m := regexp.MustCompile(`(?m)^` + field + `:\s+(\d+) kB`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("no %s in /proc/%d/status", field, pid)
	}
	n, _ := strconv.ParseInt(string(m[1]), 10, 64)
	return n << 10
}

// stop ends the server with SIGTERM and returns its exit error.
func (c *child) stop(t *testing.T) error {
	t.Helper()
	if !c.alive() {
		return c.err
	}
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.exited:
	case <-time.After(30 * time.Second):
		_ = c.cmd.Process.Kill()
		<-c.exited
		t.Errorf("the server did not stop within 30 s of SIGTERM")
	}
	return c.err
}

// startChild runs `scorecard serve` in a process of its own, with at most
// openFiles open files when > 0 (set by the shell's ulimit, as an
// administrator would), and waits until it answers.
func startChild(t *testing.T, env map[string]string, openFiles int, args ...string) *child {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("the server is measured through /proc: Linux only")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	argv := append([]string{exe, "serve", "--addr", "127.0.0.1:0"}, args...)
	var cmd *exec.Cmd
	if openFiles > 0 {
		cmd = exec.Command("/bin/sh", append([]string{"-c", `ulimit -n ` + strconv.Itoa(openFiles) + ` && exec "$@"`, "sh"}, argv...)...)
	} else {
		cmd = exec.Command(argv[0], argv[1:]...)
	}
	cmd.Env = append(os.Environ(), childEnv+"=1")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, exited: make(chan struct{}), logs: &syncBuffer{}}
	cmd.Stderr = c.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		re := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)`)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case addr <- m[1]:
				default:
				}
			}
		}
	}()
	go func() { c.err = cmd.Wait(); close(c.exited) }()
	t.Cleanup(func() {
		if c.alive() {
			_ = c.cmd.Process.Kill()
			<-c.exited
		}
	})
	select {
	case a := <-addr:
		c.base = "http://" + a
	case <-c.exited:
		t.Fatalf("the server ended before listening: %v\n%s", c.err, c.logs)
	case <-time.After(90 * time.Second):
		t.Fatalf("the server did not start within 90 s\n%s", c.logs)
	}
	return c
}

// syncBuffer collects a process's output while tests read it.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
