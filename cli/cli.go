// Package cli is the command line: serve (the default), import, fetch,
// publish, user, demo, audit, backup, restore, migrate-db, healthcheck,
// alerts, gen-dossiers (docs/cli.md). Run is main's whole body, so every
// command is testable with its own arguments, environment and output
// streams.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"scorecard/config"
	"scorecard/data"
	"scorecard/i18n"
	"scorecard/importer"
	"scorecard/present"
	"scorecard/scoring"
	"scorecard/store"
)

// commands lists the commands in the order --help shows them; each has
// its section of the usage in the catalogue (cli.usage.<name>).
var commands = []string{"serve", "import", "fetch", "publish", "user", "demo", "audit", "backup", "restore",
	"migrate-db", "healthcheck", "alerts", "gen-dossiers", "gen-country"}

// commandUsage is the help of one command (its first word: "user add" is
// "user"), or of every command and the environment when cmd is "".
func commandUsage(l i18n.Lang, cmd string) string {
	cmd, _, _ = strings.Cut(cmd, " ")
	var b strings.Builder
	b.WriteString(l.T("cli.usage.head"))
	for _, c := range commands {
		if cmd == "" || cmd == c {
			b.WriteString(l.T("cli.usage." + c))
		}
	}
	if cmd == "" {
		b.WriteString(l.T("cli.usage.env"))
	} else {
		b.WriteString(l.T("cli.usage.more"))
	}
	return b.String()
}

// Run executes one command and returns the process exit status: 0 success,
// 1 failure, 2 a mistake in the command line.
func Run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	l, bad := termLang(args, getenv)
	t := &console{l: l, stdout: stdout, stderr: stderr}
	var err error
	if bad != "" {
		err = t.usageErr("cli.lang.invalid", bad)
	} else {
		err = run(ctx, t, args, getenv, stdin)
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintln(stderr, t.seeHelp())
		return 2
	default:
		printError(t, err)
		return 1
	}
}

// printError says what went wrong on the terminal: the catalogue's words
// for what the user can act on, the technical cause after them.
func printError(t *console, err error) {
	var pe *importer.ProblemsError
	var me *msgError
	switch {
	case errors.As(err, &pe), errors.Is(err, errPrinted): // import problems were printed already
	case errors.Is(err, errAuditBroken): // where it breaks was printed already
	case errors.Is(err, store.ErrDiskFull):
		t.warn("cli.error", t.T("error.diskfull"))
		t.warn("cli.error.detail", err)
	case errors.As(err, new(*settingsError)):
		ps := problems(err)
		for _, p := range ps {
			t.warn("cli.error", t.T(p.Key, p.Args...))
		}
		if len(ps) == 0 {
			t.warn("cli.error", err)
		}
	case errors.As(err, &me):
		t.warn("cli.error", t.l.TN(me.n, me.key, me.args...))
		var ps scoring.SchemeProblems
		switch {
		case errors.As(me.err, &ps):
			schemeProblems(t, ps)
		case me.err != nil:
			t.warn("cli.error.detail", me.err)
		}
	default:
		t.warn("cli.error", err)
	}
}

// schemeProblems lists what is wrong in the scheme files, one line each,
// naming the file and the place in it; the decoder's or the file system's
// own words follow the problems that have them (where JSON breaks, why a
// file cannot be read).
func schemeProblems(t *console, ps scoring.SchemeProblems) {
	for _, p := range ps {
		fmt.Fprintln(t.stderr, "  "+present.SchemeProblem(t.l, p))
		if p.Err != nil && (p.Code == scoring.SchemeSyntax || p.Code == scoring.SchemeUnreadable) {
			fmt.Fprintln(t.stderr, "    "+t.T("cli.error.detail", p.Err))
		}
	}
}

// msgError is a failure worded by the catalogue (key and arguments), with
// its technical cause when there is one.
type msgError struct {
	key  string
	args []any
	err  error
	n    int // what the message counts, for its singular (failN); -1 for nothing
}

func (e *msgError) Error() string {
	msg := "cli: " + i18n.EN.TN(e.n, e.key, e.args...)
	if e.err != nil {
		msg += ": " + e.err.Error()
	}
	return msg
}

func (e *msgError) Unwrap() error { return e.err }

// fail is a failure with the catalogue's words and its cause (nil if none).
func fail(err error, key string, args ...any) error {
	return &msgError{key: key, args: args, err: err, n: -1}
}

// failN is fail for a message about n things ("1 capture", not "1 captures").
func failN(n int, err error, key string, args ...any) error {
	return &msgError{key: key, args: args, err: err, n: n}
}

func run(ctx context.Context, t *console, args []string, getenv func(string) string, stdin io.Reader) error {
	cfg, err := config.Load(getenv)
	if err != nil {
		return configError(err)
	}
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	} else if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		fmt.Fprint(t.stdout, commandUsage(t.l, ""))
		return nil
	}
	switch cmd {
	case "serve":
		return serve(ctx, t, cfg, args)
	case "import":
		return importCmd(ctx, t, cfg, args)
	case "fetch":
		return fetchCmd(ctx, t, cfg, args)
	case "publish":
		return publishCmd(ctx, t, cfg, args)
	case "demo":
		return demoCmd(ctx, t, cfg, args)
	case "alerts":
		return alertsCmd(ctx, t, cfg, args, getenv)
	case "user":
		return userCmd(ctx, t, cfg, args, stdin)
	case "healthcheck":
		return healthcheck(ctx, t, cfg, args)
	case "audit":
		return auditCmd(ctx, t, cfg, args)
	case "backup":
		return backupCmd(ctx, t, cfg, args)
	case "restore":
		return restoreCmd(ctx, t, cfg, args)
	case "migrate-db":
		return migrateDBCmd(ctx, t, cfg, args)
	case "gen-dossiers":
		return genDossiersCmd(ctx, t, cfg, args)
	case "gen-country":
		return genCountryCmd(ctx, t, cfg, args)
	case "help":
		fmt.Fprint(t.stdout, commandUsage(t.l, ""))
		return nil
	}
	return t.usageErr("cli.command.unknown", cmd)
}

// subcommand reads the action word of a command with several (user add,
// demo remove…): a missing or unknown one is a mistake, -h or --help
// prints the command's help.
func subcommand(t *console, cmd string, args []string, actions ...string) (string, error) {
	t.cmd = cmd
	if len(args) == 0 {
		return "", t.usageErr("cli.action.missing", "scorecard "+cmd, strings.Join(actions, ", "))
	}
	switch args[0] {
	case "-h", "-help", "--help":
		fmt.Fprint(t.stdout, commandUsage(t.l, cmd))
		return "", flag.ErrHelp
	}
	for _, a := range actions {
		if args[0] == a {
			t.cmd = cmd + " " + a
			return a, nil
		}
	}
	return "", t.usageErr("cli.action.unknown", "scorecard "+cmd, args[0], strings.Join(actions, ", "))
}

// loadSchemes reads the embedded default and, when configured, a folder of
// scheme files that override it by id or add new versions.
func loadSchemes(dir string) (*scoring.Schemes, error) {
	list, err := data.SchemeList()
	if err != nil {
		return nil, fmt.Errorf("cli: %w", err)
	}
	if dir != "" {
		st, err := os.Stat(dir)
		if err != nil || !st.IsDir() {
			return nil, fail(err, "cli.schemes.folder", dir)
		}
		more, err := scoring.LoadSchemes(os.DirFS(dir), ".", dir+string(os.PathSeparator))
		if err != nil {
			return nil, fail(err, "cli.schemes.bad", dir)
		}
		list = append(list, more...)
	}
	s, err := scoring.NewSchemes(list...)
	if err != nil {
		return nil, fail(err, "cli.schemes.bad", dir)
	}
	return s, nil
}

// open validates the configuration, loads the schemes and opens the store.
func open(ctx context.Context, cfg config.Config) (*store.Store, *scoring.Schemes, error) {
	if err := cfg.Validate(); err != nil {
		return nil, nil, configError(err)
	}
	schemes, err := loadSchemes(cfg.SchemesDir)
	if err != nil {
		return nil, nil, err
	}
	st, err := store.Open(ctx, store.Config{Driver: cfg.DBDriver, DSN: cfg.DBPath})
	if err != nil {
		return nil, nil, fail(err, "cli.db.open", cfg.DBPath)
	}
	return st, schemes, nil
}

func logger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}
