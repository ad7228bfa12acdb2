package config

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"
)

// Portal is how the program fetches the national portal's index
// (scorecard fetch, and serve's daily fetch).
type Portal struct {
	// URL is the portal (SCORECARD_PORTAL_URL; default
	// https://dichvucong.gov.vn).
	URL string
	// Province is the department id whose figures serve fetches every day
	// (SCORECARD_FETCH_PROVINCE); "" fetches nothing.
	Province string
	// At is the time of day of that fetch in Vietnam, as hours and
	// minutes since midnight (SCORECARD_FETCH_AT, HH:MM; default 06:00).
	At time.Duration
	// CapturesDir keeps every capture fetched, complete or not
	// (SCORECARD_CAPTURES_DIR; default: "captures" beside the SQLite
	// file, or data/captures).
	CapturesDir string
}

// Defaults of the portal settings.
const (
	DefaultPortalURL = "https://dichvucong.gov.vn"
	DefaultFetchAt   = 6 * time.Hour
)

// loadPortal reads SCORECARD_PORTAL_URL, SCORECARD_FETCH_PROVINCE,
// SCORECARD_FETCH_AT and SCORECARD_CAPTURES_DIR.
func (c *Config) loadPortal(getenv func(string) string) error {
	p := Portal{URL: strings.TrimSpace(getenv("SCORECARD_PORTAL_URL")), Province: strings.TrimSpace(getenv("SCORECARD_FETCH_PROVINCE")),
		At: DefaultFetchAt, CapturesDir: strings.TrimSpace(getenv("SCORECARD_CAPTURES_DIR"))}
	if p.URL == "" {
		p.URL = DefaultPortalURL
	}
	if v := strings.TrimSpace(getenv("SCORECARD_FETCH_AT")); v != "" {
		at, err := ParseClock(v)
		if err != nil {
			return problem("config.fetchat", "SCORECARD_FETCH_AT", v)
		}
		p.At = at
	}
	c.Portal = p
	return nil
}

// ParseClock reads a time of day, HH:MM (24 hours).
func ParseClock(s string) (time.Duration, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("use a time of day such as 06:00")
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

// CapturesDir is where captures are written: the setting, else a
// "captures" folder beside the SQLite file, else data/captures.
func (c Config) CapturesDir() string {
	if c.Portal.CapturesDir != "" {
		return c.Portal.CapturesDir
	}
	if c.DBDriver == "sqlite" && c.DBPath != ":memory:" && c.DBPath != "" {
		return filepath.Join(filepath.Dir(c.DBPath), "captures")
	}
	return filepath.Join("data", "captures")
}

// validatePortal checks the portal's address: an http(s) URL.
func (c Config) validatePortal() error {
	if c.Portal.URL == "" {
		return nil
	}
	u, err := url.Parse(c.Portal.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return problem("config.portalurl", c.Portal.URL, DefaultPortalURL)
	}
	return nil
}
