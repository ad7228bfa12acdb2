package handlers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/auth"
	"scorecard/models"
	"scorecard/scoring"
	"scorecard/store"
)

// The files the staff upload are kept between their preview and their
// confirmation in the database (store's staged uploads: the bytes in
// pieces, the job that checks or imports the file, its progress and what
// it found), each bound to the account that uploaded it and for a limited
// time. Every server process on the database shares them: the preview
// one process showed may be confirmed through another, behind a load
// balancer that sends each request anywhere, and any of them shows a
// job's progress and outcome. Only the job itself runs in one process,
// the one that received the request that started it; it reads a copy of
// the file in the local staging folder, deleted when it ends.

// uploads is this process's side of the staging: the local folder
// (request bodies as they arrive, the copies the jobs read) and the jobs
// this process runs.
type uploads struct {
	base string // where the folder goes ("" for the system's temporary folder)

	mu   sync.Mutex
	dir  string
	now  func() time.Time
	jobs map[string]*importJob // by upload id
}

// staged is one uploaded file, as its row said when read.
type staged struct {
	token string
	name  string // the file's name as sent (for the audit trail and messages)
	owner uint
	size  int64
	// portal is set for a capture of the national portal or a bare
	// answer of it (staff_portal.go); nil for a table.
	portal *portalUpload
	// path is the local copy of the file a job of this process reads
	// ("" otherwise).
	path string
	row  models.StagedUpload
}

// Bounds of the staging area.
const (
	// stagedFor is how long an upload waits for its confirmation (from
	// the upload, then from the end of each job).
	stagedFor = time.Hour
	// maxStaged is how many uploads the database keeps: the oldest whose
	// job is over go first.
	maxStaged = 50
	// staleAfter: a job whose process has not said it is alive for so
	// long has stopped with it (a restart, a crash); its upload is
	// forgotten. The process says so every few seconds (jobBeat), and
	// a SQLite database busy with a long import delays it: long.
	staleAfter = 10 * time.Minute
)

func newUploads(base string) *uploads {
	return &uploads{base: base, now: time.Now, jobs: map[string]*importJob{}}
}

// leftAfter is the age past which a file in the staging folder is taken
// for one an earlier run left behind (a crash leaves request bodies and
// the copies its jobs read): deleted at start. A day: another server
// process sharing the folder may be importing a file it copied an hour
// ago.
const leftAfter = 24 * time.Hour

// folder creates the staging folder on first use. It has a fixed name,
// so that files left by an earlier run are found (cleanLeft); several
// processes may share it, each file being named at random.
func (u *uploads) folder() (string, error) {
	if u.dir != "" {
		return u.dir, nil
	}
	base := u.base
	if base == "" {
		base = os.TempDir()
	}
	d := filepath.Join(base, "scorecard-uploads")
	if err := os.MkdirAll(d, 0o700); err != nil {
		return "", fmt.Errorf("handlers: staging folder: %w", err)
	}
	u.dir = d
	return d, nil
}

// spoolFolder is the staging folder, for a request's body (body.go).
func (u *uploads) spoolFolder() (string, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.folder()
}

// cleanLeft deletes what earlier runs left in the staging folder, once it
// is older than leftAfter; the server calls it at start. It returns how
// many entries it deleted.
func (u *uploads) cleanLeft() (int, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	d, err := u.folder()
	if err != nil {
		return 0, err
	}
	entries, err := os.ReadDir(d)
	if err != nil {
		return 0, fmt.Errorf("handlers: staging folder: %w", err)
	}
	n := 0
	for _, e := range entries {
		if info, err := e.Info(); err == nil && u.now().Sub(info.ModTime()) > leftAfter {
			if os.RemoveAll(filepath.Join(d, e.Name())) == nil {
				n++
			}
		}
	}
	return n, nil
}

// spool copies r, at most limit bytes (more is errTooLarge), into a new
// file of the staging folder and returns its path and size.
func (u *uploads) spool(r io.Reader, limit int64) (string, int64, error) {
	dir, err := u.spoolFolder()
	if err != nil {
		return "", 0, err
	}
	f, err := os.CreateTemp(dir, "upload-*")
	if err != nil {
		return "", 0, fmt.Errorf("handlers: stage upload: %w", err)
	}
	n, err := io.Copy(f, io.LimitReader(r, limit+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > limit {
		err = errTooLarge
	}
	if err != nil {
		_ = os.Remove(f.Name())
		if errors.Is(err, errTooLarge) {
			return "", 0, err
		}
		return "", 0, fmt.Errorf("handlers: stage upload: %w", err)
	}
	return f.Name(), n, nil
}

// errTooLarge: the file is over the upload limit.
var errTooLarge = errors.New("handlers: upload over the limit")

// local is the job this process runs for upload id, nil if none.
func (u *uploads) local(id string) *importJob {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.jobs[id]
}

func (u *uploads) track(id string, j *importJob) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.jobs[id] = j
}

func (u *uploads) untrack(id string, j *importJob) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.jobs[id] == j {
		delete(u.jobs, id)
	}
}

// stage keeps the file at path (size bytes, spooled by uploads.spool) in
// the database for owner, its preview starting at once (the caller starts
// it): the row says a check is running, so that no confirmation can come
// before it.
func (h *handler) stage(ctx context.Context, owner uint, name, path string, size int64, pu *portalUpload) (*staged, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("handlers: upload token: %w", err)
	}
	now := h.uploads.now().UTC()
	row := models.StagedUpload{ID: hex.EncodeToString(b), OwnerID: owner, FileName: name, Size: size,
		CreatedAt: now, ExpiresAt: now.Add(stagedFor), Phase: models.StagedPreview, Running: true, StartedAt: now, HeartbeatAt: now}
	if pu != nil {
		row.Portal = models.StagedCapture
		if !pu.capture {
			row.Portal, row.PortalPeriod = models.StagedBare, pu.period.String()
			at := pu.asOf.UTC()
			row.PortalAsOf = &at
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("handlers: stage upload: %w", err)
	}
	defer func() { _ = f.Close() }()
	if err := h.st.StageUpload(ctx, &row, f, now, now.Add(-staleAfter), maxStaged); err != nil {
		return nil, fmt.Errorf("handlers: stage upload: %w", err)
	}
	s := stagedOf(row)
	s.path = path
	return s, nil
}

// stagedOf reads an upload's row.
func stagedOf(row models.StagedUpload) *staged {
	s := &staged{token: row.ID, name: row.FileName, owner: row.OwnerID, size: row.Size, row: row}
	switch row.Portal {
	case models.StagedCapture:
		s.portal = &portalUpload{capture: true}
	case models.StagedBare:
		s.portal = &portalUpload{}
		s.portal.period, _ = scoring.ParsePeriod(row.PortalPeriod)
		if row.PortalAsOf != nil {
			s.portal.asOf = *row.PortalAsOf
		}
	}
	return s
}

// validToken: an upload id is 32 hexadecimal digits; anything else (a
// link typed or tampered with) is no upload, without asking the database.
func validToken(t string) bool {
	if len(t) != 32 {
		return false
	}
	_, err := hex.DecodeString(t)
	return err == nil
}

// lookupStaged finds the upload of the request's {token} for its account:
// nil when there is none (unknown, another account's, expired).
func (h *handler) lookupStaged(c *fiber.Ctx) (*staged, error) {
	return h.reloadStaged(c, c.Params("token"))
}

// reloadStaged reads upload token again for the request's account.
func (h *handler) reloadStaged(c *fiber.Ctx, token string) (*staged, error) {
	if !validToken(token) {
		return nil, nil
	}
	row, err := h.st.StagedUpload(c.UserContext(), token, auth.UserFrom(c).ID, h.uploads.now())
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, nil
	case err != nil:
		return nil, err
	}
	return stagedOf(row), nil
}

// fetch copies the file from the database into the staging folder, for a
// job of this process to read.
func (h *handler) fetch(ctx context.Context, s *staged) error {
	dir, err := h.uploads.spoolFolder()
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "job-*")
	if err != nil {
		return fmt.Errorf("handlers: copy a staged file: %w", err)
	}
	n, err := h.st.StagedData(ctx, s.token, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n != s.size {
		err = fmt.Errorf("handlers: staged file %s has %d bytes, not %d", s.token, n, s.size)
	}
	if err != nil {
		_ = os.Remove(f.Name())
		return fmt.Errorf("handlers: copy a staged file: %w", err)
	}
	s.path = f.Name()
	return nil
}

// drop forgets an upload whose story is over (shown, cancelled); a
// failure is logged: the upload expires anyway.
func (h *handler) drop(ctx context.Context, token string) {
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := h.st.DeleteStaged(dctx, token); err != nil {
		h.Log.Error("delete a staged upload", "err", err)
	}
}
