package handlers

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// An upload is spooled into the staging folder up to the limit, no more;
// an upload id is 32 hexadecimal digits, anything else none.
func TestUploadsSpool(t *testing.T) {
	u := newUploads(t.TempDir())
	path, n, err := u.spool(strings.NewReader("abc"), 10)
	if err != nil || n != 3 {
		t.Fatalf("spool: %d %v", n, err)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "abc" {
		t.Errorf("spooled %q %v", b, err)
	}
	if _, _, err := u.spool(strings.NewReader(strings.Repeat("x", 11)), 10); !errors.Is(err, errTooLarge) {
		t.Errorf("over the limit: %v", err)
	}
	entries, err := os.ReadDir(u.dir)
	if err != nil || len(entries) != 1 {
		t.Errorf("%d files in the staging folder, want the one spooled (%v)", len(entries), err)
	}
	for tok, want := range map[string]bool{
		"0123456789abcdef0123456789abcdef": true,
		"0123456789abcdef0123456789abcde":  false,
		"0123456789abcdef0123456789abcdeg": false,
		"../../etc/passwd":                 false,
		"":                                 false,
	} {
		if validToken(tok) != want {
			t.Errorf("validToken(%q) = %v", tok, !want)
		}
	}
}
