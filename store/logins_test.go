package store

import (
	"context"
	"testing"
	"time"

	"scorecard/models"
)

// The failures of one account from one address, since that address's last
// success: the rate limit per account and address.
func TestFailedLoginsFor(t *testing.T) {
	ctx := context.Background()
	s := openSQLite(t)
	now := time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC)
	at := func(min int) time.Time { return now.Add(time.Duration(min) * time.Minute) }
	appendAt(t, s, at(-30), "lan", models.ActionLoginFailure, "lan", "192.0.2.9") // outside the window
	appendAt(t, s, at(-10), "lan", models.ActionLoginFailure, "lan", "192.0.2.9")
	appendAt(t, s, at(-9), "lan", models.ActionLoginFailure, "lan", "192.0.2.8") // another address
	appendAt(t, s, at(-8), "hoa", models.ActionLoginFailure, "hoa", "192.0.2.9") // another account
	appendAt(t, s, at(-6), "lan", models.ActionLoginBlocked, "lan", "192.0.2.9") // not a failure
	appendAt(t, s, at(-5), "lan", models.ActionLoginFailure, "lan", "192.0.2.9")
	since := at(-15)
	got, err := s.FailedLoginsFor(ctx, "lan", "192.0.2.9", since, 10)
	if err != nil || len(got) != 2 || !got[0].Equal(at(-5)) || !got[1].Equal(at(-10)) {
		t.Errorf("lan from 192.0.2.9: %v %v", got, err)
	}
	// A success from another address does not clear this address's count;
	// one from it does.
	appendAt(t, s, at(-4), "lan", models.ActionLoginSuccess, "lan", "192.0.2.8")
	if got, _ := s.FailedLoginsFor(ctx, "lan", "192.0.2.9", since, 10); len(got) != 2 {
		t.Errorf("after a success elsewhere: %v", got)
	}
	appendAt(t, s, at(-3), "lan", models.ActionLoginSuccess, "lan", "192.0.2.9")
	if got, _ := s.FailedLoginsFor(ctx, "lan", "192.0.2.9", since, 10); len(got) != 0 {
		t.Errorf("after a success from the address: %v", got)
	}
}
