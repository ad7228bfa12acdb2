package portaltest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"scorecard/portal"
	"scorecard/scoring"
)

// Source answers a request with the body of the portal's answer; ok false
// answers 404.
type Source func(e portal.Endpoint, r portal.Request) (body []byte, ok bool)

// Fault replaces the answer to one request.
type Fault struct {
	Status   int           // answer this status with a short JSON error
	Delay    time.Duration // wait this long first (cut short if the client gives up)
	Truncate int           // send only this many bytes of the body, then close
	Body     []byte        // send these bytes instead of the answer
	Drop     bool          // close the connection without answering
}

// Recorded is one request the server received.
type Recorded struct {
	At          time.Time
	Endpoint    portal.Endpoint
	Request     portal.Request
	UserAgent   string
	ContentType string
}

// Server is a local stand-in for the portal's six endpoints.
type Server struct {
	*httptest.Server
	source Source

	mu       sync.Mutex
	requests []Recorded
	asked    map[string]int
	fault    func(e portal.Endpoint, r portal.Request, n int) *Fault
}

// NewServer starts a replay server answering from source; Close it.
func NewServer(source Source) *Server {
	s := &Server{source: source, asked: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// SetFault makes the server misbehave: fault is asked before each answer,
// with n the number of times the same request (endpoint and body) came
// before; nil answers normally.
func (s *Server) SetFault(fault func(e portal.Endpoint, r portal.Request, n int) *Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fault = fault
}

// Requests returns the requests received so far.
func (s *Server) Requests() []Recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Recorded(nil), s.requests...)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name, ok := strings.CutPrefix(r.URL.Path, "/api/v1/reporting/evaluation/")
	e := portal.Endpoint(name)
	if !ok || !e.Valid() {
		http.NotFound(w, r)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	if err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	var req portal.Request
	if err := json.Unmarshal(body, &req); err != nil {
		http.Error(w, `{"code":"BAD_REQUEST","message":"invalid body"}`, http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	key := name + " " + string(body)
	n := s.asked[key]
	s.asked[key] = n + 1
	s.requests = append(s.requests, Recorded{At: time.Now(), Endpoint: e, Request: req,
		UserAgent: r.Header.Get("User-Agent"), ContentType: r.Header.Get("Content-Type")})
	fault := s.fault
	s.mu.Unlock()

	answer, found := s.source(e, req)
	var f *Fault
	if fault != nil {
		f = fault(e, req, n)
	}
	if f != nil && f.Delay > 0 {
		select {
		case <-time.After(f.Delay):
		case <-r.Context().Done():
			return
		}
	}
	switch {
	case f != nil && f.Drop:
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
			}
		}
		return
	case f != nil && f.Status != 0:
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(f.Status)
		fmt.Fprintf(w, `{"code":"ERROR","message":"HTTP %d"}`, f.Status)
		return
	case f != nil && f.Body != nil:
		answer, found = f.Body, true
	case !found:
		http.Error(w, `{"code":"NOT_FOUND","message":"no such capture"}`, http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(answer)))
	w.WriteHeader(http.StatusCreated)
	if f != nil && f.Truncate > 0 && f.Truncate < len(answer) {
		_, _ = w.Write(answer[:f.Truncate])
		return // the connection closes short of Content-Length
	}
	_, _ = w.Write(answer)
}

// ProvinceSource answers for an invented province. day gives the day of
// the period the figures are as of; pageSize, when above 0, cuts the
// lists in pages of that size whatever the request asks (to test that
// every page is followed).
func ProvinceSource(pr *Province, day func(p scoring.Period) int, pageSize int) Source {
	return func(e portal.Endpoint, r portal.Request) ([]byte, bool) {
		if r.RootDepartmentID != pr.ID {
			return nil, false
		}
		p, err := r.Period()
		if err != nil {
			return nil, false
		}
		size := r.PageSize
		if pageSize > 0 {
			size = pageSize
		}
		return pr.Body(e, p, day(p), max(r.CurrentPage, 1), size), true
	}
}

// FolderSource answers from a capture folder (its manifest's files), for
// its province and period only.
func FolderSource(dir string) (Source, error) {
	m, err := portal.ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	type key struct {
		e    portal.Endpoint
		page int
	}
	files := map[key][]byte{}
	var period scoring.Period
	for _, r := range m.Responses {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(r.File)))
		if err != nil {
			return nil, err
		}
		files[key{r.Endpoint, max(r.Page, 1)}] = b
		if r.Request != nil && r.Request.TimeType != "" {
			if period, err = r.Request.Period(); err != nil {
				return nil, err
			}
		}
	}
	return func(e portal.Endpoint, r portal.Request) ([]byte, bool) {
		p, err := r.Period()
		if err != nil || p != period || r.RootDepartmentID != m.ProvinceID {
			return nil, false
		}
		b, ok := files[key{e, max(r.CurrentPage, 1)}]
		return b, ok
	}, nil
}
