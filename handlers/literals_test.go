package handlers

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"scorecard/web"
)

// Words live in the message catalogue (i18n) only. These tests fail on a
// sentence a person would read written into the Go code of the web layer,
// the downloads (export), the early warnings (alerts), the charts, the
// importer, the scoring engine, the models or the command line, or into
// the templates, instead of being looked up by key. Left out: store (its
// SQL and the append-only triggers' messages) and portal (the User-Agent
// it sends the national portal), whose English is not for our users.

// vietnameseLetter matches a letter only Vietnamese uses.
func vietnameseLetter(s string) bool {
	for _, r := range strings.ToLower(s) {
		if strings.ContainsRune("àáảãạăắằẳẵặâấầẩẫậèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵđ", r) {
			return true
		}
	}
	return false
}

// englishWords matches a run of three words of prose ("Unknown unit
// code"): letters only, the later ones in lower case.
var englishWords = regexp.MustCompile(`\b[A-Za-z][a-z]+ [a-z]+ [a-z]+\b`)

// prose reports whether a literal reads as words for a person.
func prose(s string) bool {
	return vietnameseLetter(s) || englishWords.MatchString(s)
}

// quiet are calls whose string arguments are for developers (logs, wrapped
// errors) or for the program itself (MustCompile: the command line's
// patterns that read the flag package's English refusals), not for
// visitors.
var quiet = map[string]bool{"Errorf": true, "New": true, "Error": true, "Warn": true, "Info": true, "Debug": true, "MustCompile": true}

// goLiterals lists the prose literals of the Go files (not tests) under dir.
func goLiterals(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		skip := map[*ast.BasicLit]bool{}
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ImportSpec:
				skip[n.Path] = true
			case *ast.Field:
				if n.Tag != nil {
					skip[n.Tag] = true
				}
			case *ast.CallExpr:
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && quiet[sel.Sel.Name] {
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
				if err == nil && prose(s) {
					out = append(out, fset.Position(n.Pos()).String()+": "+s)
				}
			}
			return true
		})
	}
	return out
}

func TestNoWordsInGo(t *testing.T) {
	for _, dir := range []string{".", "site", "api", "../export", "../alerts", "../charts", "../importer", "../report", "../scoring", "../models", "../cli"} {
		for _, l := range goLiterals(t, dir) {
			t.Errorf("words outside the catalogue: %s", l)
		}
	}
}

var _ = unicode.IsLetter

// templateAction is a template action; templateText the text between tags
// once actions are taken out; codeElement the technical text a page quotes
// (commands, file names, headers), which is not translated.
var (
	templateComment = regexp.MustCompile(`(?s)\{\{-?\s*/\*.*?\*/\s*-?\}\}`)
	templateAction  = regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	actionString    = regexp.MustCompile(`"((?:[^"\\]|\\.)*)"`)
	codeElement     = regexp.MustCompile(`(?s)<(code|kbd|samp|script|style)\b.*?</(code|kbd|samp|script|style)>`)
	tagText         = regexp.MustCompile(`>([^<]*)<`)
	userAttr        = regexp.MustCompile(`\s(title|aria-label|alt|placeholder)="([^"]*)"`)
	letters         = regexp.MustCompile(`\pL{2,}`)
)

// templateWords lists the words written into a template instead of being
// looked up by key: text between tags, text of attributes a person reads,
// and strings inside actions ({{pick "…" "…"}}).
func templateWords(name, src string) []string {
	var out []string
	src = templateComment.ReplaceAllString(src, "")
	for _, a := range templateAction.FindAllString(src, -1) {
		if strings.HasPrefix(strings.TrimLeft(a, "{- "), "template ") || strings.HasPrefix(strings.TrimLeft(a, "{- "), "define ") ||
			strings.HasPrefix(strings.TrimLeft(a, "{- "), "block ") {
			continue
		}
		for _, m := range actionString.FindAllStringSubmatch(a, -1) {
			if s := m[1]; prose(s) || (strings.Contains(s, " ") && letters.MatchString(s)) {
				out = append(out, name+": string in an action: "+s)
			}
		}
	}
	text := templateAction.ReplaceAllString(src, " ")
	text = codeElement.ReplaceAllString(text, " ")
	for _, m := range tagText.FindAllStringSubmatch(text, -1) {
		if t := strings.TrimSpace(m[1]); letters.MatchString(t) {
			out = append(out, name+": text: "+t)
		}
	}
	for _, m := range userAttr.FindAllStringSubmatch(text, -1) {
		if letters.MatchString(m[2]) {
			out = append(out, name+": "+m[1]+": "+m[2])
		}
	}
	return out
}

func TestNoWordsInTemplates(t *testing.T) {
	files, err := fs.Glob(web.Templates, "templates/*/*.html")
	if err != nil || len(files) < 20 {
		t.Fatalf("templates: %v (%d)", err, len(files))
	}
	for _, f := range files {
		b, err := fs.ReadFile(web.Templates, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range templateWords(f, string(b)) {
			t.Errorf("words outside the catalogue: %s", w)
		}
	}
}
