package site

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"scorecard/i18n"
	"scorecard/store"
)

// A full disk is told as such, with what to do, not as "something went
// wrong"; on a page and in the API alike (classify serves both).
func TestDiskFullAnswer(t *testing.T) {
	for _, err := range []error{Internal(fmt.Errorf("import: %w", store.ErrDiskFull)), fmt.Errorf("spool: %w", store.ErrDiskFull)} {
		status, key, args := classify(err)
		vi, en := message(i18n.VI, key, args), message(i18n.EN, key, args)
		if status != fiber.StatusInsufficientStorage || !strings.Contains(vi, "Ổ đĩa chứa cơ sở dữ liệu đã đầy") || !strings.Contains(en, "disk that holds the database is full") {
			t.Errorf("%v: %d %q %q", err, status, vi, en)
		}
	}
	if status, key, _ := classify(Internal(fmt.Errorf("other"))); status != fiber.StatusInternalServerError || key != KeyInternal {
		t.Errorf("another error: %d %q", status, key)
	}
}
