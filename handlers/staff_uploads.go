package handlers

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// uploads keeps the files the staff uploaded between their preview and
// their confirmation, on disk (a dossier file can be tens of megabytes),
// each bound to the account that uploaded it and for a limited time. A
// server restart forgets them: the office uploads again.
//
// With several server processes behind one address, the confirmation must
// reach the process that showed the preview (sticky sessions); otherwise
// the office is asked to upload again, nothing worse.
type uploads struct {
	base string // where the folder goes ("" for the system's temporary folder)

	mu    sync.Mutex
	dir   string
	files map[string]*staged
	now   func() time.Time
}

// staged is one uploaded file waiting for confirmation.
type staged struct {
	token string
	path  string
	name  string // the file's name as sent (for the audit trail and messages)
	// portal is set for a capture of the national portal or a bare
	// answer of it (staff_portal.go); nil for a table.
	portal *portalUpload
	owner  uint
	size   int64
	at     time.Time
	mu     sync.Mutex // guards preview and job: requests and jobs share them
	// preview is what the preview found, shown again when the
	// confirmation needs another try (a reason too short).
	preview *importPreview
	job     *importJob // the check or import running or just over; nil between them
}

// claim makes j the file's job unless one is set already: of two clicks
// on the confirmation, only the first imports.
func (s *staged) claim(j *importJob) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.job != nil {
		return false
	}
	s.job = j
	return true
}

// clearIf forgets j once its outcome is taken, unless another job has
// taken its place meanwhile (a late request must not hide an import that
// is running).
func (s *staged) clearIf(j *importJob) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.job == j {
		s.job = nil
	}
}

func (s *staged) currentJob() *importJob {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.job
}

func (s *staged) previewOf() *importPreview {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.preview
}

// setPreview replaces the preview (never changed in place: a request may
// be rendering the old one).
func (s *staged) setPreview(pv *importPreview) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.preview = pv
}

// running reports whether the file's job is not over.
func (s *staged) running() bool {
	j := s.currentJob()
	return j != nil && !j.finished()
}

// Bounds of the staging area.
const (
	stagedFor = time.Hour
	maxStaged = 50
)

func newUploads(base string) *uploads {
	return &uploads{base: base, files: map[string]*staged{}, now: time.Now}
}

// leftAfter is the age past which a file in the staging folder is taken
// for one an earlier run left behind (a restart forgets its staged files,
// a crash leaves them and its bodies and previews): deleted at start. A
// day, not stagedFor: another server process sharing the folder may be
// importing a file it staged an hour ago.
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

// put stores r (at most limit bytes; more is an error) for owner and
// returns its token.
func (u *uploads) put(owner uint, name string, r io.Reader, limit int64) (*staged, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.sweepLocked()
	dir, err := u.folder()
	if err != nil {
		return nil, err
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("handlers: upload token: %w", err)
	}
	f, err := os.CreateTemp(dir, "upload-*")
	if err != nil {
		return nil, fmt.Errorf("handlers: stage upload: %w", err)
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
		if err == errTooLarge {
			return nil, err
		}
		return nil, fmt.Errorf("handlers: stage upload: %w", err)
	}
	s := &staged{token: hex.EncodeToString(b), path: f.Name(), name: name, owner: owner, size: n, at: u.now()}
	u.files[s.token] = s
	return s, nil
}

// errTooLarge: the file is over the upload limit.
var errTooLarge = fmt.Errorf("handlers: upload over the limit")

// get returns the staged file of token if owner uploaded it and it has
// not expired.
func (u *uploads) get(token string, owner uint) (*staged, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.sweepLocked()
	s, ok := u.files[token]
	if !ok || s.owner != owner {
		return nil, false
	}
	return s, true
}

// remove deletes a staged file.
func (u *uploads) remove(token string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if s, ok := u.files[token]; ok {
		_ = os.Remove(s.path)
		delete(u.files, token)
	}
}

// sweepLocked drops expired files, and the oldest beyond maxStaged; never
// one whose check or import is running (its outcome is yet to be shown).
func (u *uploads) sweepLocked() {
	now := u.now()
	var oldest *staged
	for k, s := range u.files {
		if s.running() {
			continue
		}
		if now.Sub(s.at) > stagedFor {
			_ = os.Remove(s.path)
			delete(u.files, k)
			continue
		}
		if oldest == nil || s.at.Before(oldest.at) {
			oldest = s
		}
	}
	if len(u.files) >= maxStaged && oldest != nil {
		_ = os.Remove(oldest.path)
		delete(u.files, oldest.token)
	}
}
