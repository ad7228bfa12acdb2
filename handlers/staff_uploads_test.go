package handlers

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

// Staged uploads belong to their uploader, expire, and are bounded.
func TestUploadsStaging(t *testing.T) {
	now := time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)
	u := newUploads(t.TempDir())
	u.now = func() time.Time { return now }
	s, err := u.put(7, "a.csv", strings.NewReader("abc"), 10)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := u.get(s.token, 8); ok {
		t.Error("another account gets the file")
	}
	if got, ok := u.get(s.token, 7); !ok || got.size != 3 {
		t.Fatalf("owner: %+v %v", got, ok)
	}
	if _, err := u.put(7, "big.csv", strings.NewReader(strings.Repeat("x", 11)), 10); !errors.Is(err, errTooLarge) {
		t.Errorf("over the limit: %v", err)
	}
	now = now.Add(stagedFor + time.Minute)
	if _, ok := u.get(s.token, 7); ok {
		t.Error("an expired file is still there")
	}
	if _, err := os.Stat(s.path); !os.IsNotExist(err) {
		t.Errorf("the expired file is still on disk: %v", err)
	}
	for i := 0; i < maxStaged+5; i++ {
		if _, err := u.put(1, "n.csv", strings.NewReader("x"), 10); err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Second)
	}
	if len(u.files) > maxStaged {
		t.Errorf("%d files staged, at most %d", len(u.files), maxStaged)
	}
	entries, err := os.ReadDir(u.dir)
	if err != nil || len(entries) != len(u.files) {
		t.Errorf("%d files on disk for %d staged (%v)", len(entries), len(u.files), err)
	}
}
