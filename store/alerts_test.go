package store

import (
	"context"
	"sync"
	"testing"
	"time"

	"scorecard/alerts"
)

// The record of e-mailed warnings: a key is claimed once, across
// concurrent claimers and across reopening the database; a released key
// can be claimed again.
func TestAlertsSentClaimOnce(t *testing.T) { both(t, testAlertsSentClaimOnce) }

func testAlertsSentClaimOnce(t *testing.T, open opener) {
	s := open(t)
	ctx := context.Background()
	rec := s.AlertsSent()
	k := alerts.Key{Unit: "BK.STP", Rule: alerts.RuleBandDrop, Period: "2024-04"}
	at := time.Date(2024, 4, 20, 8, 0, 0, 0, time.UTC)

	var wg sync.WaitGroup
	wins := make(chan bool, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := rec.Claim(ctx, k, at)
			if err != nil {
				t.Errorf("claim: %v", err)
			}
			wins <- ok
		}()
	}
	wg.Wait()
	close(wins)
	n := 0
	for ok := range wins {
		if ok {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d of 8 concurrent claims won, want exactly 1", n)
	}
	// Another rule or period of the same unit is another warning.
	for _, other := range []alerts.Key{{Unit: "BK.STP", Rule: alerts.RuleGroupFall, Period: "2024-04"}, {Unit: "BK.STP", Rule: alerts.RuleBandDrop, Period: "2024-05"}} {
		if ok, err := rec.Claim(ctx, other, at); err != nil || !ok {
			t.Errorf("claim %v: %v %v, want a new record", other, ok, err)
		}
	}
	got, err := rec.Sent(ctx, "2024-04")
	if err != nil || len(got) != 2 || got[0].Key != k || !got[0].SentAt.Equal(at) {
		t.Fatalf("sent 2024-04: %+v %v", got, err)
	}

	// The record survives reopening the database.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	rec = reopen(t, s).AlertsSent()
	if ok, err := rec.Claim(ctx, k, at); err != nil || ok {
		t.Fatalf("claim after reopen: %v %v, want already sent", ok, err)
	}
	// Released (the send failed): the next run claims it again.
	if err := rec.Release(ctx, k); err != nil {
		t.Fatal(err)
	}
	if ok, err := rec.Claim(ctx, k, at); err != nil || !ok {
		t.Fatalf("claim after release: %v %v", ok, err)
	}
}
