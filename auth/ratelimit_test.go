package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"scorecard/models"
)

func (e *env) attempt(user, pw, addr string) error {
	e.t.Helper()
	_, err := e.svc.Authenticate(context.Background(), Attempt{Username: user, Password: pw, RemoteAddr: addr, UserAgent: "test"})
	if err != nil && !errors.Is(err, ErrBadCredentials) && !isRateLimit(err) {
		e.t.Fatal(err)
	}
	return err
}

func isRateLimit(err error) bool {
	var rl *RateLimitError
	return errors.As(err, &rl)
}

// Wrong passwords from many addresses (each under its own limit) slow the
// account down without locking its owner out: past the ceiling, an address
// that has failed for the account is refused, one that has not still gets
// its try, and the owner signs in from it.
func TestAccountCeilingSlowsWithoutLockingOut(t *testing.T) {
	e := newEnv(t, Options{})
	const perAddr = 2
	addrs := DefaultMaxFailuresPerAccount / perAddr
	for i := range addrs {
		for range perAddr {
			if err := e.attempt("vanphong", "đoán bừa một mật khẩu", fmt.Sprintf("198.51.100.%d", i+1)); !errors.Is(err, ErrBadCredentials) {
				t.Fatalf("address %d under its limits: %v", i+1, err)
			}
			e.clock.add(time.Second)
		}
	}
	// Each of those addresses is under its own limit, but has failed for
	// an account past its ceiling: refused.
	if err := e.attempt("vanphong", goodPassword, "198.51.100.1"); !isRateLimit(err) {
		t.Errorf("an address that failed, past the ceiling: %v", err)
	}
	// A new address gets one try…
	if err := e.attempt("vanphong", "đoán thêm lần nữa", "203.0.113.77"); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("a new address's first try: %v", err)
	}
	// …then is refused for this account only.
	if err := e.attempt("vanphong", "đoán thêm lần nữa", "203.0.113.77"); !isRateLimit(err) {
		t.Errorf("a new address's second try: %v", err)
	}
	if err := e.attempt("quantri", goodPassword, "203.0.113.77"); err != nil {
		t.Errorf("another account from that address: %v", err)
	}
	// The owner, from an address that has not failed, signs in.
	if err := e.attempt("vanphong", goodPassword, "192.0.2.10"); err != nil {
		t.Errorf("the owner from a clean address: %v", err)
	}
}

// A client that keeps trying while refused writes a row when the block
// begins and one with the count of the rest, not a row per attempt.
func TestRefusedLoginsAreCountedNotWrittenEach(t *testing.T) {
	e := newEnv(t, Options{})
	const addr = "192.0.2.50"
	for range DefaultMaxFailuresPerAccountAddress {
		e.attempt("vanphong", "sai mật khẩu", addr)
	}
	for i := range 300 {
		if err := e.attempt("vanphong", "sai mật khẩu", addr); !isRateLimit(err) {
			t.Fatalf("attempt %d: %v", i, err)
		}
		e.clock.add(10 * time.Millisecond) // 300 in 3 s
	}
	rows := e.audit(models.ActionLoginBlocked) // flushes the counts
	if len(rows) != 2 {
		t.Fatalf("%d login.blocked rows for 300 refused attempts, want 2", len(rows))
	}
	total := 0
	for _, r := range rows {
		var d struct {
			Count int `json:"count"`
		}
		if err := json.Unmarshal([]byte(r.Detail), &d); err != nil || r.Target != "vanphong" || r.RemoteAddr != addr {
			t.Errorf("row %+v: %v", r, err)
		}
		total += d.Count
	}
	if total != 300 {
		t.Errorf("the rows count %d refusals, want 300", total)
	}

	// Past a minute, the next refusal writes the count so far.
	e.attempt("vanphong", "sai", addr)
	e.clock.add(2 * time.Minute)
	e.attempt("vanphong", "sai", addr)
	e.svc.bg.Wait()
	if rows := e.audit(models.ActionLoginBlocked); len(rows) != 4 {
		t.Errorf("after two more refusals two minutes apart: %d rows, want 4", len(rows))
	}
}

// A password typed into the name box by mistake is never stored: a name
// that is no account is kept as "unknown" and a short keyed hash, which
// still counts that name's failures (so it is limited, and answers, like
// an account).
func TestUnknownNamesAreNotStored(t *testing.T) {
	e := newEnv(t, Options{})
	const typed = "Mật-khẩu-thật-của-tôi-2024"
	for range DefaultMaxFailuresPerAccountAddress {
		if err := e.attempt(typed, goodPassword, "192.0.2.7"); !errors.Is(err, ErrBadCredentials) {
			t.Fatal(err)
		}
	}
	if err := e.attempt(typed, goodPassword, "192.0.2.7"); !isRateLimit(err) {
		t.Errorf("an unknown name is not limited like an account: %v", err)
	}
	e.attempt("vanphong", "sai mật khẩu", "192.0.2.7")
	rows := append(e.audit(models.ActionLoginFailure), e.audit(models.ActionLoginBlocked)...)
	targets := map[string]bool{}
	for _, r := range rows {
		all := strings.ToLower(r.Actor + r.Target + r.Detail)
		if strings.Contains(all, strings.ToLower(typed)) || strings.Contains(all, "mật-khẩu") {
			t.Errorf("what was typed is in the trail: %+v", r)
		}
		if r.Target == "vanphong" {
			if r.Actor != "vanphong" || r.ActorID == nil {
				t.Errorf("a known account's failure: %+v", r)
			}
			continue
		}
		if r.Actor != models.ActorUnknown || !strings.HasPrefix(r.Target, "unknown:") || len(r.Target) != len("unknown:")+8 || r.ActorID != nil {
			t.Errorf("an unknown name's row: %+v", r)
		}
		targets[r.Target] = true
	}
	if len(targets) != 1 {
		t.Errorf("one name gave %d targets", len(targets))
	}
	if e.svc.auditName("khác") == e.svc.auditName(strings.ToLower(typed)) {
		t.Error("two names gave the same target")
	}
}
