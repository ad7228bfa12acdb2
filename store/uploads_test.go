package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"scorecard/models"
)

func stagedRow(id string, owner uint, size int64, now time.Time) *models.StagedUpload {
	return &models.StagedUpload{ID: id, OwnerID: owner, FileName: id + ".csv", Size: size, CreatedAt: now,
		ExpiresAt: now.Add(time.Hour), Phase: models.StagedPreview, Running: true, StartedAt: now, HeartbeatAt: now}
}

// Staged uploads keep their bytes (in pieces), belong to their uploader,
// expire, stay bounded, and are claimed for import once.
func TestStagedUploads(t *testing.T) { both(t, testStagedUploads) }

func testStagedUploads(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	now := time.Now().UTC().Truncate(time.Second)
	// Three pieces and a bit, bytes of every value.
	data := make([]byte, 3*stagedPartSize+17)
	for i := range data {
		data[i] = byte(i * 7)
	}
	a := stagedRow("a", 7, int64(len(data)), now)
	if err := s.StageUpload(ctx, a, bytes.NewReader(data), now, now.Add(-time.Hour), 50); err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if n, err := s.StagedData(ctx, "a", &got); err != nil || n != int64(len(data)) || !bytes.Equal(got.Bytes(), data) {
		t.Fatalf("data: %d bytes, equal %v, %v", n, bytes.Equal(got.Bytes(), data), err)
	}
	if _, parts, err := s.StagedCounts(ctx); err != nil || parts != 4 {
		t.Errorf("pieces: %d %v", parts, err)
	}
	// A size that does not match the bytes stores nothing.
	if err := s.StageUpload(ctx, stagedRow("short", 7, 10, now), strings.NewReader("abc"), now, now, 50); !errors.Is(err, ErrInvalid) {
		t.Errorf("short file: %v", err)
	}
	if err := s.StageUpload(ctx, stagedRow("long", 7, 2, now), strings.NewReader("abc"), now, now, 50); !errors.Is(err, ErrInvalid) {
		t.Errorf("long file: %v", err)
	}
	if n, _, err := s.StagedCounts(ctx); err != nil || n != 1 {
		t.Errorf("uploads after two refused: %d %v", n, err)
	}

	if _, err := s.StagedUpload(ctx, "a", 8, now); !errors.Is(err, ErrNotFound) {
		t.Errorf("another account's upload: %v", err)
	}
	if _, err := s.StagedUpload(ctx, "nope", 7, now); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown upload: %v", err)
	}
	// Being checked: no confirmation yet.
	if ok, err := s.ClaimStagedImport(ctx, "a", 7, now, now.Add(time.Hour)); ok || err != nil {
		t.Errorf("claimed while checked: %v %v", ok, err)
	}
	p := StagedProgress{Rows: 16384, Bytes: 1000, Size: int64(len(data)), Seen: true, At: now.Add(time.Second)}
	if err := s.SetStagedProgress(ctx, "a", p); err != nil {
		t.Fatal(err)
	}
	u, err := s.StagedUpload(ctx, "a", 7, now)
	if err != nil || u.RowsRead != 16384 || u.BytesRead != 1000 || u.TotalBytes != int64(len(data)) || !u.Seen || u.ReadDone || !u.HeartbeatAt.Equal(now.Add(time.Second)) {
		t.Fatalf("progress: %+v %v", u, err)
	}
	if err := s.FinishStaged(ctx, "a", models.StagedReady, `{"x":1}`, now, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	// Another account cannot confirm it.
	if ok, err := s.ClaimStagedImport(ctx, "a", 8, now, now.Add(time.Hour)); ok || err != nil {
		t.Errorf("claimed by another account: %v %v", ok, err)
	}
	// Two confirmations at the same moment: one import.
	var wg sync.WaitGroup
	var mu sync.Mutex
	claims := 0
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := s.ClaimStagedImport(ctx, "a", 7, now, now.Add(2*time.Hour))
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				claims++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if claims != 1 {
		t.Fatalf("%d claims of one upload", claims)
	}
	u, err = s.StagedUpload(ctx, "a", 7, now)
	if err != nil || !u.Running || u.Phase != models.StagedImport || u.OutcomeKind != "" || u.Seen || u.Outcome != `{"x":1}` {
		t.Fatalf("claimed: %+v %v", u, err)
	}
	if err := s.FinishStaged(ctx, "a", models.StagedDone, `{}`, now, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	// Imported: the outcome stays, the bytes go.
	if u, err := s.StagedUpload(ctx, "a", 7, now); err != nil || u.OutcomeKind != models.StagedDone || u.Running {
		t.Errorf("imported: %+v %v", u, err)
	}
	if _, parts, err := s.StagedCounts(ctx); err != nil || parts != 0 {
		t.Errorf("pieces of an imported file: %d %v", parts, err)
	}
	if ok, err := s.ClaimStagedImport(ctx, "a", 7, now, now.Add(time.Hour)); ok || err != nil {
		t.Errorf("claimed once imported: %v %v", ok, err)
	}
	// Expired.
	if _, err := s.StagedUpload(ctx, "a", 7, now.Add(time.Hour+time.Second)); !errors.Is(err, ErrNotFound) {
		t.Errorf("expired upload: %v", err)
	}

	// The sweep: expired ones go (with their pieces), a running one only
	// once it gave no sign of life; the oldest beyond the bound go.
	later := now.Add(3 * time.Hour)
	run := stagedRow("running", 7, 1, now)
	if err := s.StageUpload(ctx, run, strings.NewReader("x"), now, now.Add(-time.Hour), 50); err != nil {
		t.Fatal(err)
	}
	if err := s.StageUpload(ctx, stagedRow("b", 7, 1, later), strings.NewReader("x"), later, now.Add(-time.Minute), 50); err != nil {
		t.Fatal(err)
	}
	if _, err := s.StagedUpload(ctx, "running", 7, later); err != nil {
		t.Errorf("a running job's upload was swept: %v", err)
	}
	if n, parts, err := s.StagedCounts(ctx); err != nil || n != 2 || parts != 2 {
		t.Errorf("after the sweep: %d uploads, %d pieces, %v", n, parts, err)
	}
	if err := s.StageUpload(ctx, stagedRow("c", 7, 1, later), strings.NewReader("x"), later, now.Add(time.Minute), 50); err != nil {
		t.Fatal(err)
	}
	if _, err := s.StagedUpload(ctx, "running", 7, later); !errors.Is(err, ErrNotFound) {
		t.Errorf("a stopped job's upload was kept: %v", err)
	}
	for i := 0; i < 6; i++ {
		at := later.Add(time.Duration(i) * time.Second)
		row := stagedRow(fmt.Sprintf("n%d", i), 7, 1, at)
		if err := s.StageUpload(ctx, row, strings.NewReader("x"), at, at, 4); err != nil {
			t.Fatal(err)
		}
		if err := s.FinishStaged(ctx, row.ID, models.StagedReady, "{}", at, at.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if n, parts, err := s.StagedCounts(ctx); err != nil || n != 4 || parts != 4 {
		t.Errorf("bounded at 4: %d uploads, %d pieces, %v", n, parts, err)
	}
	if _, err := s.StagedUpload(ctx, "n5", 7, later); err != nil {
		t.Errorf("the newest upload went: %v", err)
	}
	if err := s.DeleteStaged(ctx, "n5"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.StagedUpload(ctx, "n5", 7, later); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleted upload: %v", err)
	}
}
