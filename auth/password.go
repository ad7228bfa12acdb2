package auth

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
	"golang.org/x/text/unicode/norm"
)

// Password rules. bcrypt reads at most 72 bytes; rather than cut a longer
// password silently (two passwords sharing their first 72 bytes would be
// the same), it is refused. 72 bytes are 24 to 72 Vietnamese characters.
const (
	MinPasswordLen   = 10
	MaxPasswordBytes = 72
)

// PasswordError is a password refused by the rules: Key is its message in
// the catalogue (i18n), Args its arguments.
type PasswordError struct {
	Key  string
	Args []any
}

func (e *PasswordError) Error() string {
	return fmt.Sprintf("auth: password refused (%s %v)", e.Key, e.Args)
}

// normalizePassword puts the password in Unicode NFC: Vietnamese keyboards
// send "ệ" either as one code point or as "e" plus two combining marks, and
// the same password must work from both.
func normalizePassword(pw string) string { return norm.NFC.String(pw) }

// CheckPassword applies the rules to a new password for username.
func CheckPassword(username, pw string) error {
	pw = normalizePassword(pw)
	switch {
	case !utf8.ValidString(pw):
		return &PasswordError{Key: "auth.password.text"}
	case utf8.RuneCountInString(pw) < MinPasswordLen:
		return &PasswordError{Key: "auth.password.short", Args: []any{MinPasswordLen}}
	case len(pw) > MaxPasswordBytes:
		return &PasswordError{Key: "auth.password.long", Args: []any{MaxPasswordBytes, MaxPasswordBytes / 3}}
	case strings.EqualFold(strings.TrimSpace(pw), strings.TrimSpace(username)):
		return &PasswordError{Key: "auth.password.username"}
	case strings.Count(pw, string([]rune(pw)[:1])) == utf8.RuneCountInString(pw):
		return &PasswordError{Key: "auth.password.repeat"}
	}
	return nil
}

// HashPassword checks the password against the rules and hashes it with
// bcrypt at cost (bcrypt.DefaultCost when 0).
func HashPassword(username, pw string, cost int) (string, error) {
	if err := CheckPassword(username, pw); err != nil {
		return "", err
	}
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	h, err := bcrypt.GenerateFromPassword([]byte(normalizePassword(pw)), cost)
	if err != nil {
		return "", fmt.Errorf("auth: hash password: %w", err)
	}
	return string(h), nil
}

// passwordMatches compares in constant time (Options.Compare, bcrypt's own
// comparison). A password over the limit never matches, but is still run
// through bcrypt so that the answer takes as long.
func (s *Service) passwordMatches(hash, pw string) bool {
	pw = normalizePassword(pw)
	err := s.opts.Compare([]byte(hash), []byte(pw))
	return err == nil && len(pw) <= MaxPasswordBytes
}

// errHashCost guards against a dummy hash that could not be made.
var errHashCost = errors.New("auth: cannot make the dummy password hash")

// dummyHash is compared against when the username does not exist, so that
// a wrong name costs the same bcrypt time as a wrong password.
func dummyHash(cost int) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte("không-phải-mật-khẩu-của-ai"), cost)
	if err != nil {
		return "", fmt.Errorf("%w: %w", errHashCost, err)
	}
	return string(h), nil
}
