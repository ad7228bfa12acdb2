package portal

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"scorecard/scoring"
)

// DefaultBaseURL is the National Public Service Portal.
const DefaultBaseURL = "https://dichvucong.gov.vn"

// UserAgent names the product to the portal's operators.
const UserAgent = "scorecard/1 (Decision 766 service-index dashboard of a provincial office; one request at a time)"

// Client fetches captures from the portal with good manners (portal.md):
// one request at a time, a pause between requests, a timeout, retries with
// a growing wait on 5xx answers and network errors, a User-Agent naming
// the product, and every page.
type Client struct {
	// BaseURL is the portal (DefaultBaseURL); a test's replay server.
	BaseURL string
	// HTTP sends the requests; nil means a client with Timeout.
	HTTP *http.Client
	// Pause is the wait between two requests (NewClient: 1 s).
	Pause time.Duration
	// Timeout bounds one request, answer included (60 s).
	Timeout time.Duration
	// Retries is how many times a failed request is tried again
	// (NewClient: 4); the first wait is Backoff (2 s), doubled each time.
	Retries int
	Backoff time.Duration
	// MaxBody bounds one answer (DefaultLimits.MaxFileBytes).
	MaxBody int64
	// Now gives the time of the capture (time.Now).
	Now func() time.Time
	// Log, when set, is told of each request and retry.
	Log func(msg string)
	// Reader checks each answer; required.
	Reader *Reader
}

// NewClient returns a client of the portal at baseURL ("" for
// DefaultBaseURL) with the manners of portal.md.
func NewClient(baseURL string, rd *Reader) *Client {
	return &Client{BaseURL: baseURL, Pause: time.Second, Timeout: 60 * time.Second, Retries: 4, Backoff: 2 * time.Second, Reader: rd}
}

// defaults fills what was left empty; zero pauses, retries and waits
// stay zero (tests).
func (cl *Client) defaults() Client {
	c := *cl
	if c.BaseURL == "" {
		c.BaseURL = DefaultBaseURL
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.Timeout <= 0 {
		c.Timeout = 60 * time.Second
	}
	if c.MaxBody <= 0 {
		c.MaxBody = DefaultLimits.MaxFileBytes
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.HTTP == nil {
		c.HTTP = &http.Client{Timeout: c.Timeout}
	}
	return c
}

// Fetched is a capture as fetched: its manifest and files. Complete is
// false when a request failed for good; the capture is still written, for
// diagnosis, but never imported.
type Fetched struct {
	Manifest Manifest
	Files    []File
}

// Complete reports whether every request succeeded.
func (f *Fetched) Complete() bool { return f.Manifest.Complete != nil && *f.Manifest.Complete }

// permanent marks an answer not worth asking again (a 4xx).
type permanent struct{ error }

// Fetch performs the requests of one capture of the province whose
// department id is province: every endpoint, every page, in turn.
func (cl *Client) Fetch(ctx context.Context, province string, p scoring.Period) (*Fetched, error) {
	if !Supported(p) {
		return nil, fmt.Errorf("portal: the portal publishes months, quarters and years, not %s", p)
	}
	if strings.TrimSpace(province) == "" || idProblem(province) != "" {
		return nil, fmt.Errorf("portal: %q is not a department id", province)
	}
	c := cl.defaults()
	start := c.Now()
	f := &Fetched{Manifest: Manifest{Format: ManifestFormat, Version: 1, ProvinceID: province,
		CapturedAt: start.In(scoring.Location).Format(time.RFC3339), BaseURL: c.BaseURL, UserAgent: UserAgent}}
	f.Manifest.SetPeriod(p)
	first := true
	for _, e := range Endpoints {
		pages := 1
		for page := 1; page <= pages; page++ {
			if !first {
				if err := sleep(ctx, c.Pause); err != nil {
					return nil, err
				}
			}
			first = false
			req := NewRequest(e, p, province, page)
			body, status, attempts, r, err := c.request(ctx, e, req)
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if err != nil {
				f.Manifest.Errors = append(f.Manifest.Errors, ManifestError{Endpoint: e, Page: page, Attempts: attempts, Error: err.Error()})
				break // the next pages are unknown without this one
			}
			if r.Paged && page == 1 {
				pages = max(r.TotalPages, 1)
			}
			if f.Manifest.ProvinceCode == "" && r.Root.Code != "" {
				f.Manifest.ProvinceCode = r.Root.Code
			}
			if f.Manifest.ProvinceName == "" {
				f.Manifest.ProvinceName = r.Root.Name
			}
			name := FileName(e, page)
			sum := sha256.Sum256(body)
			f.Files = append(f.Files, File{Name: name, Data: body})
			f.Manifest.Responses = append(f.Manifest.Responses, ManifestResponse{File: name, Endpoint: e, Page: page, Request: &req,
				Status: status, Bytes: int64(len(body)), SHA256: hex.EncodeToString(sum[:]),
				ReceivedAt: c.Now().In(scoring.Location).Format(time.RFC3339)})
		}
	}
	complete := len(f.Manifest.Errors) == 0
	f.Manifest.Complete = &complete
	return f, nil
}

// request asks once, then again after a growing wait while the failure
// may pass (5xx, 429, network errors, timeouts, an answer cut short or
// not the portal's). It returns the body, the HTTP status, how many
// attempts were made and the checked answer.
func (c Client) request(ctx context.Context, e Endpoint, req Request) ([]byte, int, int, *Response, error) {
	wait := c.Backoff
	var last error
	for attempt := 1; ; attempt++ {
		body, status, r, err := c.once(ctx, e, req)
		if err == nil {
			return body, status, attempt, r, nil
		}
		last = err
		var perm permanent
		if errors.As(err, &perm) || attempt > c.Retries || ctx.Err() != nil {
			return nil, status, attempt, nil, last
		}
		if c.Log != nil {
			c.Log(fmt.Sprintf("%s %d: %v; retry in %s", e, req.CurrentPage, err, wait))
		}
		if err := sleep(ctx, wait); err != nil {
			return nil, status, attempt, nil, err
		}
		wait *= 2
	}
}

func (c Client) once(ctx context.Context, e Endpoint, req Request) ([]byte, int, *Response, error) {
	payload, err := json.Marshal(req)
	if err != nil {
		return nil, 0, nil, permanent{err}
	}
	ctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, c.BaseURL+e.Path(), bytes.NewReader(payload))
	if err != nil {
		return nil, 0, nil, permanent{err}
	}
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set("Accept", "application/json")
	hr.Header.Set("User-Agent", UserAgent)
	if c.Log != nil {
		c.Log(fmt.Sprintf("POST %s page %d", e.Path(), req.CurrentPage))
	}
	resp, err := c.HTTP.Do(hr)
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return nil, 0, nil, fmt.Errorf("no answer within %s", c.Timeout)
		}
		return nil, 0, nil, fmt.Errorf("network: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.MaxBody+1))
	switch {
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests:
		return nil, resp.StatusCode, nil, fmt.Errorf("HTTP %d", resp.StatusCode)
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return nil, resp.StatusCode, nil, permanent{fmt.Errorf("HTTP %d", resp.StatusCode)}
	case err != nil:
		return nil, resp.StatusCode, nil, fmt.Errorf("answer cut short after %d bytes: %w", len(body), err)
	case int64(len(body)) > c.MaxBody:
		return nil, resp.StatusCode, nil, permanent{fmt.Errorf("answer larger than %d bytes", c.MaxBody)}
	}
	var ps problems
	r := parser{schemes: c.Reader.Schemes}.parse(FileName(e, req.CurrentPage), body, &ps)
	if r == nil {
		return nil, resp.StatusCode, nil, errors.New(ps.err(FileName(e, req.CurrentPage)).Problems[0].String())
	}
	if r.Endpoint != e {
		return nil, resp.StatusCode, nil, permanent{fmt.Errorf("the answer is of %s, not %s", r.Endpoint, e)}
	}
	if r.Root.ID != req.RootDepartmentID {
		return nil, resp.StatusCode, nil, permanent{fmt.Errorf("the answer is of department %s, not %s", r.Root.ID, req.RootDepartmentID)}
	}
	if r.Paged && r.Page != req.CurrentPage {
		return nil, resp.StatusCode, nil, fmt.Errorf("asked for page %d, got page %d", req.CurrentPage, r.Page)
	}
	return body, resp.StatusCode, r, nil
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Write writes the capture into a new folder under root:
// root/<province code or id>/<period>/<Vietnam time of the capture>, with
// ".incomplete" at the end when a request failed. The files go into a
// temporary folder first, renamed when whole, so that a crash never leaves
// a half-written capture that looks complete; an existing folder is never
// replaced.
func (f *Fetched) Write(root string) (string, error) {
	m := f.Manifest
	who := m.ProvinceCode
	if who == "" {
		who = m.ProvinceID
	}
	p, err := m.period()
	if err != nil {
		return "", fmt.Errorf("portal: %w", err)
	}
	at := m.capturedAt().In(scoring.Location).Format("20060102T150405")
	name := at
	if !f.Complete() {
		name += ".incomplete"
	}
	parent := filepath.Join(root, who, p.String())
	if err := os.MkdirAll(parent, 0o750); err != nil {
		return "", fmt.Errorf("portal: %w", err)
	}
	final := filepath.Join(parent, name)
	for i := 2; ; i++ {
		if _, err := os.Stat(final); errors.Is(err, os.ErrNotExist) {
			break
		}
		final = filepath.Join(parent, name+"-"+strconv.Itoa(i))
	}
	tmp, err := os.MkdirTemp(parent, ".partial-")
	if err != nil {
		return "", fmt.Errorf("portal: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			_ = os.RemoveAll(tmp)
		}
	}()
	for _, file := range f.Files {
		if err := os.WriteFile(filepath.Join(tmp, file.Name), file.Data, 0o640); err != nil {
			return "", fmt.Errorf("portal: %w", err)
		}
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return "", fmt.Errorf("portal: %w", err)
	}
	if err := os.WriteFile(filepath.Join(tmp, ManifestName), append(b, '\n'), 0o640); err != nil {
		return "", fmt.Errorf("portal: %w", err)
	}
	if err := os.Rename(tmp, final); err != nil {
		return "", fmt.Errorf("portal: %w", err)
	}
	ok = true
	return final, nil
}
