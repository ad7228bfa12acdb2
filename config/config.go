// Package config reads the program's settings from the environment. Flags on
// the command line override them (see cli). No globals: Load returns a value.
package config

import (
	"errors"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"scorecard/i18n"
)

// Config is the typed, validated configuration.
type Config struct {
	// DBDriver is "sqlite" (default, embedded) or "postgres".
	DBDriver string
	// DBPath is the SQLite file, or the PostgreSQL connection string when
	// DBDriver is postgres.
	DBPath string
	// Addr is where the dashboard listens.
	Addr string
	// SchemesDir, when set, holds scheme files that override or add to the
	// embedded default (same id replaces it).
	SchemesDir string
	// OfficeName is shown in page headers, e.g. "Văn phòng UBND tỉnh Bắc Kạn".
	OfficeName string
	// The monthly report's document settings (Decree 30/2020/NĐ-CP): the
	// symbol after the blank number ("BC-VP" in "Số: ……/BC-VP"), the signer's
	// title and name, and the recipients ("Nơi nhận", one per entry); empty
	// takes the document's defaults (the name is then left blank to sign).
	ReportSymbol      string
	ReportSignerTitle string
	ReportSignerName  string
	ReportRecipients  []string
	// NoDemo stops the demo data set from loading into an empty database.
	NoDemo bool
	// DrillDown lists, on unit pages, the late and unsatisfied dossiers
	// with their codes (SCORECARD_DRILLDOWN, serve --drilldown).
	// Off, only the summary by procedure shows: dossier codes are not
	// public.
	DrillDown bool

	// Web settings of accounts and sessions (used by auth).

	// BasePath is the path prefix the application is served under behind a
	// reverse proxy that keeps it ("/chiso"); "" at the root. Cookies are
	// limited to it.
	BasePath string
	// TrustedProxies are the addresses (IPs or CIDRs) of reverse proxies
	// whose X-Forwarded-For and X-Forwarded-Proto are believed.
	TrustedProxies []string
	// SecureCookies marks cookies Secure even when the request does not look
	// like HTTPS (a TLS-terminating proxy that sends no X-Forwarded-Proto).
	SecureCookies bool
	// SessionIdle ends a session after this long without activity;
	// SessionMax after this long in any case.
	SessionIdle time.Duration
	SessionMax  time.Duration
	// EmbedAncestors are the sites allowed to frame /embed/* (CSP
	// frame-ancestors sources); nil allows every site.
	EmbedAncestors []string
	// UploadLimit is the largest file the staff may import through the
	// web, in bytes (SCORECARD_UPLOAD_LIMIT_MB, in megabytes).
	UploadLimit int64
	// UploadDir is the working folder for uploads as they arrive and are
	// imported (SCORECARD_UPLOAD_DIR; default the system's temporary
	// folder); files waiting for their confirmation are in the database.
	UploadDir string
	// PublicURL is the address the public reaches the dashboard at
	// ("https://chiso.backan.gov.vn", with the base path if any), written
	// into downloads that name their source (SCORECARD_PUBLIC_URL); empty,
	// they name it by its path alone. Never taken from the request: a
	// Host header is the client's to choose, and downloads are cached.
	PublicURL string

	// Limits of the web server on what a client may hold (cli/serve.go).

	// ReadTimeout bounds reading a request, headers and body (an upload
	// gets longer); WriteTimeout writing an answer; IdleTimeout how long
	// a kept-alive connection may wait for its next request
	// (SCORECARD_READ_TIMEOUT, SCORECARD_WRITE_TIMEOUT,
	// SCORECARD_IDLE_TIMEOUT).
	ReadTimeout  time.Duration
	WriteTimeout time.Duration
	IdleTimeout  time.Duration
	// MaxConns caps the connections served at once; more wait to be
	// accepted (SCORECARD_MAX_CONNS). It is lowered further to fit the
	// process's limit of open files.
	MaxConns int

	// Portal: fetching the national portal's index (config/portal.go).
	Portal Portal
}

// Defaults documented in docs/cli.md.
const (
	DefaultDB   = "data/scorecard.db"
	DefaultAddr = "127.0.0.1:8080"
	// A working day without activity; a week at most.
	DefaultSessionIdle = 8 * time.Hour
	DefaultSessionMax  = 7 * 24 * time.Hour
	// DefaultUploadLimitMB: a month of a province's dossier records is
	// tens of megabytes, its counts a few hundred kilobytes.
	DefaultUploadLimitMB = 64
	// maxUploadLimitMB bounds the setting: the file is held whole while it
	// is read.
	maxUploadLimitMB = 2048
	// A request's headers and a form arrive in well under a second; 20 s
	// leaves room for a slow mobile link and still frees a connection
	// that sends a header a minute. Writing a large workbook to a slow
	// client takes longer than reading any request but an upload.
	DefaultReadTimeout  = 20 * time.Second
	DefaultWriteTimeout = 2 * time.Minute
	DefaultIdleTimeout  = 60 * time.Second
	// DefaultMaxConns: a provincial office's dashboard serves tens of
	// people at once; thousands of connections are an attack or a fault.
	DefaultMaxConns = 2048
)

// Load reads SCORECARD_* variables through getenv (os.Getenv in main, a map
// in tests).
func Load(getenv func(string) string) (Config, error) {
	c := Config{
		DBDriver:   strings.ToLower(strings.TrimSpace(getenv("SCORECARD_DB_DRIVER"))),
		DBPath:     getenv("SCORECARD_DB"),
		Addr:       getenv("SCORECARD_ADDR"),
		SchemesDir: getenv("SCORECARD_SCHEMES_DIR"),
		OfficeName: getenv("SCORECARD_OFFICE_NAME"),

		ReportSymbol:      strings.TrimSpace(getenv("SCORECARD_REPORT_SYMBOL")),
		ReportSignerTitle: strings.TrimSpace(getenv("SCORECARD_REPORT_SIGNER_TITLE")),
		ReportSignerName:  strings.TrimSpace(getenv("SCORECARD_REPORT_SIGNER_NAME")),
	}
	// Recipients are separated by ";" (a recipient may contain commas:
	// "Chủ tịch, các Phó Chủ tịch UBND tỉnh").
	for _, r := range strings.Split(getenv("SCORECARD_REPORT_RECIPIENTS"), ";") {
		if r = strings.TrimSpace(r); r != "" {
			c.ReportRecipients = append(c.ReportRecipients, r)
		}
	}
	if c.DBDriver == "" {
		c.DBDriver = "sqlite"
	}
	if c.DBPath == "" {
		c.DBPath = DefaultDB
	}
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	switch v := strings.ToLower(strings.TrimSpace(getenv("SCORECARD_NO_DEMO"))); v {
	case "", "0", "false", "no":
	case "1", "true", "yes":
		c.NoDemo = true
	default:
		return Config{}, problem("config.bool", "SCORECARD_NO_DEMO", v)
	}
	switch v := strings.ToLower(strings.TrimSpace(getenv("SCORECARD_DRILLDOWN"))); v {
	case "", "0", "false", "no":
	case "1", "true", "yes":
		c.DrillDown = true
	default:
		return Config{}, problem("config.bool", "SCORECARD_DRILLDOWN", v)
	}
	if err := c.loadWeb(getenv); err != nil {
		return Config{}, err
	}
	if err := c.loadPortal(getenv); err != nil {
		return Config{}, err
	}
	return c, c.Validate()
}

// loadWeb reads SCORECARD_BASE_PATH, SCORECARD_TRUSTED_PROXIES (comma
// separated), SCORECARD_SECURE_COOKIES, SCORECARD_SESSION_IDLE and
// SCORECARD_SESSION_MAX (Go durations: 8h, 30m),
// SCORECARD_EMBED_ANCESTORS (space or comma separated),
// SCORECARD_UPLOAD_LIMIT_MB, SCORECARD_UPLOAD_DIR, SCORECARD_PUBLIC_URL, and
// the server's limits SCORECARD_MAX_CONNS and SCORECARD_READ_TIMEOUT,
// SCORECARD_WRITE_TIMEOUT, SCORECARD_IDLE_TIMEOUT.
func (c *Config) loadWeb(getenv func(string) string) error {
	c.BasePath = strings.TrimRight(strings.TrimSpace(getenv("SCORECARD_BASE_PATH")), "/")
	list := func(v string) []string {
		var out []string
		for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
			out = append(out, strings.TrimSpace(f))
		}
		return out
	}
	c.TrustedProxies = list(getenv("SCORECARD_TRUSTED_PROXIES"))
	if v := strings.TrimSpace(getenv("SCORECARD_EMBED_ANCESTORS")); v != "" {
		c.EmbedAncestors = list(v)
	}
	switch v := strings.ToLower(strings.TrimSpace(getenv("SCORECARD_SECURE_COOKIES"))); v {
	case "", "0", "false", "no":
	case "1", "true", "yes":
		c.SecureCookies = true
	default:
		return problem("config.bool", "SCORECARD_SECURE_COOKIES", v)
	}
	c.UploadLimit = DefaultUploadLimitMB << 20
	if v := strings.TrimSpace(getenv("SCORECARD_UPLOAD_LIMIT_MB")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxUploadLimitMB {
			return problem("config.uploadlimit", "SCORECARD_UPLOAD_LIMIT_MB", v, maxUploadLimitMB)
		}
		c.UploadLimit = int64(n) << 20
	}
	c.UploadDir = strings.TrimSpace(getenv("SCORECARD_UPLOAD_DIR"))
	c.PublicURL = strings.TrimRight(strings.TrimSpace(getenv("SCORECARD_PUBLIC_URL")), "/")
	c.MaxConns = DefaultMaxConns
	if v := strings.TrimSpace(getenv("SCORECARD_MAX_CONNS")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return problem("config.maxconns", "SCORECARD_MAX_CONNS", v)
		}
		c.MaxConns = n
	}
	c.ReadTimeout, c.WriteTimeout, c.IdleTimeout = DefaultReadTimeout, DefaultWriteTimeout, DefaultIdleTimeout
	for name, d := range map[string]*time.Duration{"SCORECARD_READ_TIMEOUT": &c.ReadTimeout,
		"SCORECARD_WRITE_TIMEOUT": &c.WriteTimeout, "SCORECARD_IDLE_TIMEOUT": &c.IdleTimeout} {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			x, err := time.ParseDuration(v)
			if err != nil || x <= 0 {
				return problem("config.timeout", name, v)
			}
			*d = x
		}
	}
	c.SessionIdle, c.SessionMax = DefaultSessionIdle, DefaultSessionMax
	for name, d := range map[string]*time.Duration{"SCORECARD_SESSION_IDLE": &c.SessionIdle, "SCORECARD_SESSION_MAX": &c.SessionMax} {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			x, err := time.ParseDuration(v)
			if err != nil {
				return problem("config.session", name, v)
			}
			*d = x
		}
	}
	return nil
}

// Validate checks the settings after flags have been applied.
func (c Config) Validate() error {
	var errs []error
	switch c.DBDriver {
	case "sqlite", "postgres":
	default:
		errs = append(errs, problem("config.driver", c.DBDriver))
	}
	if strings.TrimSpace(c.DBPath) == "" {
		errs = append(errs, problem("config.dbpath"))
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, problem("config.addr", c.Addr))
	}
	if c.BasePath != "" && (!strings.HasPrefix(c.BasePath, "/") || strings.ContainsAny(c.BasePath, "?#%\\ ") || strings.Contains(c.BasePath, "//")) {
		errs = append(errs, problem("config.basepath", c.BasePath))
	}
	for _, p := range c.TrustedProxies {
		if _, err := netip.ParsePrefix(p); err != nil {
			if _, err := netip.ParseAddr(p); err != nil {
				errs = append(errs, problem("config.proxy", p))
			}
		}
	}
	if c.PublicURL != "" {
		u, err := url.Parse(c.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
			errs = append(errs, problem("config.publicurl", c.PublicURL))
		}
	}
	// Zero is "not set" (a Config built in code): auth uses the defaults.
	if c.SessionIdle < 0 || c.SessionMax < 0 || (c.SessionIdle > 0 && c.SessionMax > 0 && c.SessionIdle > c.SessionMax) {
		errs = append(errs, problem("config.sessions", c.SessionIdle.String(), c.SessionMax.String()))
	}
	if err := c.validatePortal(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Problem is a setting that cannot be used. Key names its message in the
// catalogue (i18n), Args the message's arguments, so that the command line
// says it in its own language; Error is the English text.
type Problem struct {
	Key  string
	Args []any
}

func problem(key string, args ...any) *Problem { return &Problem{Key: key, Args: args} }

// NewProblem is a setting read outside this package (the alerts' mail
// server and thresholds) that cannot be used.
func NewProblem(key string, args ...any) *Problem { return problem(key, args...) }

func (p *Problem) Error() string { return "config: " + i18n.EN.T(p.Key, p.Args...) }
