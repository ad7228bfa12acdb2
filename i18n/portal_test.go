package i18n

import "testing"

func TestPortalMessagesDefinedOnce(t *testing.T) {
	if !Has(VI, "portal.problem.truncated") || !Has(EN, "portal.problem.truncated") {
		t.Error("portal messages not registered")
	}
}
