// Package config reads the program's settings from the environment. Flags on
// the command line override them (see cli). No globals: Load returns a value.
package config

import (
	"errors"
	"fmt"
	"net"
	"strings"
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
	// NoDemo stops the demo data set from loading into an empty database.
	NoDemo bool
}

// Defaults of formats.md "Command line".
const (
	DefaultDB   = "data/scorecard.db"
	DefaultAddr = "127.0.0.1:8080"
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
		return Config{}, fmt.Errorf("config: SCORECARD_NO_DEMO=%q: use true or false", v)
	}
	return c, c.Validate()
}

// Validate checks the settings after flags have been applied.
func (c Config) Validate() error {
	var errs []error
	switch c.DBDriver {
	case "sqlite", "postgres":
	default:
		errs = append(errs, fmt.Errorf("config: database driver %q: use sqlite or postgres", c.DBDriver))
	}
	if strings.TrimSpace(c.DBPath) == "" {
		errs = append(errs, errors.New("config: the database path is empty"))
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("config: address %q is not HOST:PORT: %w", c.Addr, err))
	}
	return errors.Join(errs...)
}
