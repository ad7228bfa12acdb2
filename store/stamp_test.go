package store

import (
	"context"
	"testing"
	"time"
)

func TestStampMovesWithDataAndPublications(t *testing.T) {
	both(t, testStampMovesWithDataAndPublications)
}

// Every change that alters a page moves the stamp, through the store that
// made it at once: an import the data version, a publish, a correction
// and the removal of publications the publications version.
func testStampMovesWithDataAndPublications(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	f := &fakeSnap{s: s}
	stamp := func() Stamp {
		t.Helper()
		st, err := s.Stamp(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	s0 := stamp()
	mustImportUnits(t, s, hierarchy, false)
	mustImportCounts(t, s, []CountRow{countRow("2024-04", 5)}, false)
	s1 := stamp()
	if s1.Data <= s0.Data || s1.Publications != s0.Publications || s1.Modified.IsZero() {
		t.Fatalf("after an import: %+v, before %+v", s1, s0)
	}
	if _, err := s.Publish(ctx, "2024-04", Actor{Name: "vanphong"}, f.snap); err != nil {
		t.Fatal(err)
	}
	s2 := stamp()
	if s2.Data != s1.Data || s2.Publications <= s1.Publications || s2.Modified.Before(s1.Modified) {
		t.Fatalf("after a publish: %+v, before %+v", s2, s1)
	}
	if _, err := s.Correct(ctx, "2024-04", Actor{Name: "vanphong"}, "Sửa lại số liệu sai của tháng", f.snap); err != nil {
		t.Fatal(err)
	}
	s3 := stamp()
	if s3.Data != s2.Data || s3.Publications <= s2.Publications {
		t.Fatalf("after a correction: %+v, before %+v", s3, s2)
	}
	if _, err := s.RemoveDemoPublications(ctx); err != nil {
		t.Fatal(err)
	}
	if s4 := stamp(); s4.Publications <= s3.Publications {
		t.Fatalf("after removing publications: %+v, before %+v", s4, s3)
	}
}

// The stamp tests mostly wait for the stamp to age, on databases of their
// own: alongside the others.
func TestStampSeenByAnotherStore(t *testing.T) {
	t.Parallel()
	both(t, testStampSeenByAnotherStore)
}

// Two stores on one database, as two server processes: a change through
// one is seen by the other within StampMaxAge, without the other writing.
func testStampSeenByAnotherStore(t *testing.T, open opener) {
	ctx := context.Background()
	a := open(t)
	b := reopen(t, a)
	before, err := b.Stamp(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mustImportUnits(t, a, hierarchy, false)
	want, err := a.Stamp(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want.Data == before.Data {
		t.Fatalf("the import did not move the stamp: %+v", want)
	}
	start := time.Now()
	for {
		got, err := b.Stamp(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got == want {
			break
		}
		if time.Since(start) > time.Second {
			t.Fatalf("the other store still sees %+v after %v, want %+v", got, time.Since(start), want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// While one caller reads the row again, the others are given the last read
// at once as long as it is under stampStaleMax old, and wait for the read
// past it.
func TestStampAgedIsNotWaitedFor(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openSQLite(t)
	first, err := s.Stamp(ctx)
	if err != nil {
		t.Fatal(err)
	}
	age := func(d time.Duration) {
		r := *s.stamp.Load()
		r.at = time.Now().Add(-d)
		s.stamp.Store(&r)
	}
	stamp := func() <-chan Stamp {
		c := make(chan Stamp, 1)
		go func() {
			st, err := s.Stamp(ctx)
			if err != nil {
				t.Error(err)
			}
			c <- st
		}()
		return c
	}
	s.stampMu.Lock() // a read under way
	age(StampMaxAge + 10*time.Millisecond)
	select {
	case got := <-stamp():
		if got != first {
			t.Fatalf("got %+v, want the last read %+v", got, first)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("an aged stamp waited for the read under way")
	}
	age(stampStaleMax)
	waited := stamp()
	select {
	case got := <-waited:
		t.Fatalf("a stamp over %v old was given (%+v) without waiting for the read", stampStaleMax, got)
	case <-time.After(100 * time.Millisecond):
	}
	s.stampMu.Unlock()
	select {
	case got := <-waited:
		if got != first {
			t.Fatalf("after the read: %+v, want %+v", got, first)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the read never ended")
	}
	// A write through this store is never answered with an older read.
	mustImportUnits(t, s, hierarchy, false)
	s.stampMu.Lock()
	age(0)
	after := stamp()
	select {
	case got := <-after:
		t.Fatalf("after a write, %+v was given without reading the row", got)
	case <-time.After(100 * time.Millisecond):
	}
	s.stampMu.Unlock()
	if got := <-after; got.Data <= first.Data {
		t.Fatalf("after a write: %+v, before %+v", got, first)
	}
}
