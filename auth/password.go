package auth

import (
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
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

// PasswordError is a password refused by the rules, with a message for
// people in Vietnamese and English.
type PasswordError struct{ VI, EN string }

func (e *PasswordError) Error() string { return "auth: " + e.EN }

// normalizePassword puts the password in Unicode NFC: Vietnamese keyboards
// send "ệ" either as one code point or as "e" plus two combining marks, and
// the same password must work from both.
func normalizePassword(pw string) string { return norm.NFC.String(pw) }

// CheckPassword applies the rules to a new password for username.
func CheckPassword(username, pw string) error {
	pw = normalizePassword(pw)
	switch {
	case !utf8.ValidString(pw):
		return &PasswordError{"Mật khẩu chứa ký tự không hợp lệ.", "the password is not valid text"}
	case utf8.RuneCountInString(pw) < MinPasswordLen:
		return &PasswordError{fmt.Sprintf("Mật khẩu phải có ít nhất %d ký tự.", MinPasswordLen),
			fmt.Sprintf("the password must have at least %d characters", MinPasswordLen)}
	case len(pw) > MaxPasswordBytes:
		return &PasswordError{fmt.Sprintf("Mật khẩu quá dài (tối đa %d byte, khoảng %d ký tự có dấu).", MaxPasswordBytes, MaxPasswordBytes/3),
			fmt.Sprintf("the password is too long (at most %d bytes)", MaxPasswordBytes)}
	case strings.EqualFold(strings.TrimSpace(pw), strings.TrimSpace(username)):
		return &PasswordError{"Mật khẩu không được trùng tên đăng nhập.", "the password must not be the username"}
	case strings.Count(pw, string([]rune(pw)[:1])) == utf8.RuneCountInString(pw):
		return &PasswordError{"Mật khẩu không được chỉ lặp lại một ký tự.", "the password must not repeat a single character"}
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

// compares counts bcrypt comparisons. The test of "no user enumeration"
// asserts that every failed login costs exactly one comparison at the same
// cost, which is what makes the answers take as long; measuring the time
// itself would flake on a loaded machine.
var compares atomic.Int64

// passwordMatches compares in constant time (bcrypt's own comparison). A
// password over the limit never matches, but is still run through bcrypt so
// that the answer takes as long.
func passwordMatches(hash, pw string) bool {
	compares.Add(1)
	pw = normalizePassword(pw)
	err := bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw))
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
