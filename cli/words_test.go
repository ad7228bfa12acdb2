package cli

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"scorecard/i18n"
	"scorecard/models"
)

// The command line's words live in the catalogue (i18n) only, in both
// languages; these tests fail on a sentence written into its Go code, on a
// key it uses that a language lacks, and check how the language is chosen
// and what a mistake on the command line prints.

// vietnameseLetter reports a letter only Vietnamese uses.
func vietnameseLetter(s string) bool {
	return strings.ContainsAny(strings.ToLower(s), "àáảãạăắằẳẵặâấầẩẫậèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵđ")
}

// englishWords matches three words of prose ("is not a").
var englishWords = regexp.MustCompile(`\b[A-Za-z][a-z]+ [a-z]+ [a-z]+\b`)

// quietCalls take strings for developers (wrapped errors, the server's
// structured log, the patterns of the flag package's messages), not for
// the person at the terminal.
var quietCalls = map[string]bool{"Errorf": true, "New": true, "Warn": true, "Info": true, "Error": true, "MustCompile": true}

// literals lists the string literals of the package's Go files (not tests)
// and the catalogue keys among them.
func literals(t *testing.T, dirs ...string) (prose, keys []string) {
	t.Helper()
	key := regexp.MustCompile(`^(cli|config|db|portal|error|auth)\.[a-z0-9.\-]*[a-z0-9]$`)
	fset := token.NewFileSet()
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			file, err := parser.ParseFile(fset, f, nil, parser.ParseComments)
			if err != nil {
				t.Fatal(err)
			}
			skip := map[*ast.BasicLit]bool{}
			ast.Inspect(file, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.ImportSpec:
					skip[n.Path] = true
				case *ast.CallExpr:
					if sel, ok := n.Fun.(*ast.SelectorExpr); ok && quietCalls[sel.Sel.Name] {
						ast.Inspect(n, func(m ast.Node) bool {
							if lit, ok := m.(*ast.BasicLit); ok {
								skip[lit] = true
							}
							return true
						})
					}
				case *ast.BasicLit:
					if n.Kind != token.STRING || skip[n] {
						return true
					}
					s, err := strconv.Unquote(n.Value)
					if err != nil {
						t.Fatalf("%s: %v", fset.Position(n.Pos()), err)
					}
					switch {
					case key.MatchString(s):
						keys = append(keys, s)
					case vietnameseLetter(s) || englishWords.MatchString(s):
						prose = append(prose, fset.Position(n.Pos()).String()+": "+s)
					}
				}
				return true
			})
		}
	}
	return prose, keys
}

func TestNoWordsOutsideTheCatalogue(t *testing.T) {
	prose, keys := literals(t, ".", "../config")
	for _, p := range prose {
		t.Errorf("a sentence outside the catalogue: %s", p)
	}
	// The keys built from parts, with every part they take.
	for _, k := range []string{models.ImportUnits, models.ImportUnitChanges, models.ImportCounts, models.ImportCatalogue,
		models.ImportDossiers, models.ImportOfficial, models.ImportPortal} {
		keys = append(keys, "cli.kind."+k)
	}
	for _, r := range []models.Role{models.RoleAdmin, models.RoleOffice, models.RoleUnit} {
		keys = append(keys, "auth.role."+string(r))
	}
	keys = append(keys, "cli.user.disabled", "cli.user.enabled")
	for _, c := range commands {
		keys = append(keys, "cli.usage."+c)
	}
	if len(keys) < 100 {
		t.Fatalf("only %d keys found: the scan is broken", len(keys))
	}
	for _, k := range keys {
		for _, l := range i18n.Langs {
			if !i18n.Has(l, k) {
				t.Errorf("%s: no message %q", l, k)
			}
		}
	}
}

// The language: Vietnamese unless asked; --lang wins over the environment,
// SCORECARD_LANG over the locale, the locale's first variable set over the
// others; C, POSIX and languages we do not speak keep Vietnamese.
func TestTerminalLanguage(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		args []string
		want i18n.Lang
		bad  string
	}{
		{nil, nil, i18n.VI, ""},
		{map[string]string{"LANG": "en_US.UTF-8"}, nil, i18n.EN, ""},
		{map[string]string{"LANG": "C.UTF-8"}, nil, i18n.VI, ""},
		{map[string]string{"LANG": "POSIX"}, nil, i18n.VI, ""},
		{map[string]string{"LANG": "fr_FR.UTF-8"}, nil, i18n.VI, ""},
		{map[string]string{"LANG": "en_US.UTF-8", "LC_ALL": "vi_VN.UTF-8"}, nil, i18n.VI, ""},
		{map[string]string{"LANG": "vi_VN", "LC_MESSAGES": "en_GB"}, nil, i18n.EN, ""},
		{map[string]string{"LANG": "en_US.UTF-8", "SCORECARD_LANG": "vi"}, nil, i18n.VI, ""},
		{map[string]string{"SCORECARD_LANG": "en"}, []string{"import", "--lang", "vi", "x.csv"}, i18n.VI, ""},
		{nil, []string{"publish", "--lang=en", "2024-04"}, i18n.EN, ""},
		{nil, []string{"publish", "-lang", "EN"}, i18n.EN, ""},
		{nil, []string{"publish", "--lang", "fr"}, i18n.VI, "fr"},
		{nil, []string{"publish", "--lang"}, i18n.VI, "?"},
		{nil, []string{"import", "--", "--lang", "en"}, i18n.VI, ""},
	} {
		l, bad := termLang(c.args, func(k string) string { return c.env[k] })
		if l != c.want || bad != c.bad {
			t.Errorf("%v %v: %s %q, want %s %q", c.env, c.args, l, bad, c.want, c.bad)
		}
	}
}

// A mistake on the command line is one line that says what is wrong and
// one that points to the command's help, in the run's language; exit
// status 2.
func TestMistakesAreOneLine(t *testing.T) {
	ctx := context.Background()
	env := map[string]string{"SCORECARD_DB": filepath.Join(t.TempDir(), "m.db")}
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"import", "--frob", "x.csv"}, []string{"scorecard import: không có tùy chọn --frob.", "Xem: scorecard import --help"}},
		{[]string{"import", "--lang", "en", "--frob", "x.csv"}, []string{"scorecard import: there is no option --frob.", "See: scorecard import --help"}},
		{[]string{"--nope"}, []string{"scorecard serve: không có tùy chọn --nope.", "Xem: scorecard serve --help"}},
		{[]string{"publish", "--db"}, []string{"scorecard publish: tùy chọn --db cần một giá trị.", "Xem: scorecard publish --help"}},
		{[]string{"serve", "--no-demo=perhaps"}, []string{`scorecard serve: giá trị "perhaps" của --no-demo không hợp lệ.`, "Xem: scorecard serve --help"}},
		{[]string{"fetch", "--province", "x", "--period", "2026-H1"}, []string{`scorecard fetch: giá trị "2026-H1" của --period không hợp lệ.`, "Xem: scorecard fetch --help"}},
		{[]string{"user", "add", "--unit", "X", "--colour", "red", "ab.cd"}, []string{"scorecard user add: không có tùy chọn --colour.", "Xem: scorecard user add --help"}},
		{[]string{"user", "list", "--role", "admin"}, []string{"scorecard user list: không có tùy chọn --role.", "Xem: scorecard user list --help"}},
		{[]string{"demo", "wipe"}, []string{`scorecard demo: không có lệnh "wipe" (có: remove, load).`, "Xem: scorecard demo --help"}},
		{[]string{"publish", "2024-13"}, []string{`Kỳ "2024-13" không hợp lệ: dùng YYYY-MM (tháng), YYYY-Qn (quý), YYYY-Hn (6 tháng) hoặc YYYY (năm).`, "Xem: scorecard publish --help"}},
		{[]string{"frobnicate"}, []string{`Không có lệnh "frobnicate".`, "Xem: scorecard --help"}},
		{[]string{"import", "--lang", "fr", "x.csv"}, []string{`--lang "fr": dùng vi hoặc en.`, "Xem: scorecard --help"}},
		{[]string{"healthcheck", "extra"}, []string{"Tham số thừa: extra.", "Xem: scorecard healthcheck --help"}},
	} {
		r := runCLI(t, ctx, env, c.args...)
		if got := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n"); r.code != 2 || strings.Join(got, "\n") != strings.Join(c.want, "\n") || r.stdout != "" {
			t.Errorf("%v: exit %d\n%s\nwant\n%s", c.args, r.code, r.stderr, strings.Join(c.want, "\n"))
		}
	}
}

// --help prints the command's own section in the run's language; the
// whole usage lists every command and every setting of the environment.
func TestHelp(t *testing.T) {
	ctx := context.Background()
	r := runCLI(t, ctx, nil, "import", "--help")
	if r.code != 0 || !strings.Contains(r.stdout, "scorecard import [--db PATH] [--publish]") || strings.Contains(r.stdout, "scorecard publish [") ||
		!strings.Contains(r.stdout, "Nhập tệp CSV hoặc XLSX") {
		t.Errorf("import --help: %+v", r)
	}
	r = runCLI(t, ctx, nil, "user", "add", "--help", "--lang", "en")
	if r.code != 0 || !strings.Contains(r.stdout, "scorecard user add [--db PATH] --role admin|office|unit") || !strings.Contains(r.stdout, "Manage accounts") {
		t.Errorf("user add --help: %+v", r)
	}
	r = runCLI(t, ctx, nil, "user", "-h")
	if r.code != 0 || !strings.Contains(r.stdout, "scorecard user list") {
		t.Errorf("user -h: %+v", r)
	}
	for _, args := range [][]string{{"--help"}, {"help"}, {"-h"}} {
		r := runCLI(t, ctx, nil, args...)
		for _, c := range commands {
			if !strings.Contains(r.stdout, "  scorecard "+c+" ") && !strings.Contains(r.stdout, "  scorecard ["+c+"] ") {
				t.Errorf("%v lacks %s:\n%s", args, c, r.stdout)
			}
		}
		if r.code != 0 || !strings.Contains(r.stdout, "SCORECARD_LANG") {
			t.Errorf("%v: %+v", args, r)
		}
	}
}
