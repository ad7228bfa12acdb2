package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"scorecard/config"
	"scorecard/i18n"
)

// The command line speaks one language per run, with its words from the
// catalogue (i18n, area cli): Vietnamese unless English is asked for, by
// --lang en on any command, by SCORECARD_LANG, or by the locale (LC_ALL,
// LC_MESSAGES, LANG, the first one set, as POSIX reads them: en_US.UTF-8
// asks for English; C, POSIX and languages we do not speak keep
// Vietnamese).

// langEnv lists the variables that choose the language, strongest first.
var langEnv = []string{"SCORECARD_LANG", "LC_ALL", "LC_MESSAGES", "LANG"}

// termLang is the language of a run: --lang when given (ok false when its
// value is not vi or en), else the environment's.
func termLang(args []string, getenv func(string) string) (l i18n.Lang, bad string) {
	l = i18n.Default
	for _, name := range langEnv {
		v := strings.TrimSpace(getenv(name))
		if v == "" {
			continue
		}
		// en_GB.UTF-8, vi_VN@euro: the language is the first part.
		base := strings.FieldsFunc(v, func(r rune) bool { return r == '_' || r == '.' || r == '@' || r == '-' })
		if len(base) == 0 {
			break
		}
		if got, ok := i18n.Parse(base[0]); ok || name == "SCORECARD_LANG" {
			l = got // SCORECARD_LANG=xx falls back to the default, on purpose
		}
		break
	}
	for i, a := range args {
		if a == "--" {
			break
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "lang" {
			continue
		}
		if !hasVal {
			if i+1 >= len(args) {
				return l, "?"
			}
			val = args[i+1]
		}
		got, ok := i18n.Parse(val)
		if !ok {
			return l, val
		}
		l = got
	}
	return l, ""
}

// console is where a command writes, and in which language: every line it
// says is a message of the catalogue.
type console struct {
	l              i18n.Lang
	stdout, stderr io.Writer
	// cmd is the command being run ("import", "user add"), for the pointer
	// to its --help.
	cmd string
}

// T is the message key in the run's language.
func (t *console) T(key string, args ...any) string { return t.l.T(key, args...) }

// say writes a message on stdout.
func (t *console) say(key string, args ...any) { fmt.Fprintln(t.stdout, t.T(key, args...)) }

// sayN writes a message about n things on stdout (i18n.Lang.TN).
func (t *console) sayN(n int, key string, args ...any) {
	fmt.Fprintln(t.stdout, t.l.TN(n, key, args...))
}

// warnN writes a message about n things on stderr.
func (t *console) warnN(n int, key string, args ...any) {
	fmt.Fprintln(t.stderr, t.l.TN(n, key, args...))
}

// warn writes a message on stderr.
func (t *console) warn(key string, args ...any) { fmt.Fprintln(t.stderr, t.T(key, args...)) }

// usageErr says what is wrong with the command line, in one line, then
// where its help is, and returns errUsage (exit status 2).
func (t *console) usageErr(key string, args ...any) error {
	t.warn(key, args...)
	return errUsage
}

// seeHelp is the line after a mistake: the command's own --help.
func (t *console) seeHelp() string {
	if t.cmd == "" {
		return t.T("cli.help.see", "scorecard --help")
	}
	return t.T("cli.help.see", "scorecard "+t.cmd+" --help")
}

// errUsage marks a mistake in the command line (exit status 2), already
// said in one line.
var errUsage = errors.New("cli: usage")

// flags builds a command's flag set with the options every command that
// opens the database shares: --db and --lang. The flag package's own
// messages (in English, with every option's default) are not printed:
// parse says what is wrong in one line.
func flags(t *console, name string, cfg *config.Config) *flag.FlagSet {
	fs := plainFlags(t, name)
	fs.StringVar(&cfg.DBPath, "db", cfg.DBPath, "")
	return fs
}

// scoringFlags is flags with --schemes, for the commands that score.
func scoringFlags(t *console, name string, cfg *config.Config) *flag.FlagSet {
	fs := flags(t, name, cfg)
	fs.StringVar(&cfg.SchemesDir, "schemes", cfg.SchemesDir, "")
	return fs
}

// plainFlags is a flag set with --lang only, for the commands that open no
// database (healthcheck, gen-dossiers).
func plainFlags(t *console, name string) *flag.FlagSet {
	t.cmd = name
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.String("lang", "", "") // read before any command runs (termLang)
	return fs
}

// parse parses a command's arguments; -h and --help print the command's
// usage (flag.ErrHelp, exit status 0), a mistake says what it is in one
// line and where the help is (errUsage).
func parse(t *console, fs *flag.FlagSet, args []string) error {
	if flagSetHook != nil {
		flagSetHook(t.cmd, fs)
	}
	err := fs.Parse(args)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(t.stdout, commandUsage(t.l, t.cmd))
		return err
	}
	key, option, value := flagProblem(err.Error())
	return t.usageErr(key, "scorecard "+t.cmd, option, value)
}

// flagSetHook, when set (by tests), sees every command's flag set before it
// parses: the test that every option is documented reads them from it.
var flagSetHook func(cmd string, fs *flag.FlagSet)

// The flag package's refusals, in its own words (stable since Go 1): the
// pattern of each, with the option it names and the value when there is
// one, and the catalogue key that says it.
var flagProblems = []struct {
	re  *regexp.Regexp
	key string
}{
	{regexp.MustCompile(`^flag provided but not defined: -+(.*)$`), "cli.flag.unknown"},
	{regexp.MustCompile(`^flag needs an argument: -+(.*)$`), "cli.flag.noarg"},
	{regexp.MustCompile(`^invalid (?:boolean )?value ("(?:[^"\\]|\\.)*") for (?:flag )?-+([^:]*):`), "cli.flag.invalid"},
	{regexp.MustCompile(`^invalid boolean flag -*([^:]*):`), "cli.flag.invalid"},
	{regexp.MustCompile(`^bad flag syntax: (.*)$`), "cli.flag.syntax"},
}

// flagProblem reads a refusal of the flag package: the catalogue key, the
// option as typed with two dashes (or the argument it could not read) and
// the value it refused.
func flagProblem(msg string) (key, option, value string) {
	for _, p := range flagProblems {
		m := p.re.FindStringSubmatch(msg)
		switch {
		case m == nil:
			continue
		case len(m) == 3: // a value and an option
			v, err := strconv.Unquote(m[1])
			if err != nil {
				v = m[1]
			}
			return p.key, "--" + m[2], v
		case p.key == "cli.flag.syntax":
			return p.key, m[1], ""
		default:
			return p.key, "--" + m[1], ""
		}
	}
	return "cli.flag.syntax", msg, ""
}

// extraArgs refuses arguments a command does not take.
func (t *console) extraArgs(args []string) error {
	return t.usageErr("cli.args.extra", strings.Join(args, " "))
}

// settingsError is a configuration that cannot be used: each of its
// problems (config.Problem) is said in the catalogue's words.
type settingsError struct{ err error }

func (e *settingsError) Error() string { return e.err.Error() }
func (e *settingsError) Unwrap() error { return e.err }

func configError(err error) error { return &settingsError{err} }

// problems lists the config.Problems in err's tree, in order.
func problems(err error) []*config.Problem {
	var out []*config.Problem
	var walk func(error)
	walk = func(err error) {
		if p, ok := err.(*config.Problem); ok {
			out = append(out, p)
			return
		}
		switch u := err.(type) {
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				walk(e)
			}
		case interface{ Unwrap() error }:
			if e := u.Unwrap(); e != nil {
				walk(e)
			}
		}
	}
	walk(err)
	return out
}
