package i18n

import "testing"

func TestPortalMessagesDefinedOnce(t *testing.T) {
	if len(portalDuplicates) > 0 {
		t.Errorf("portal.go redefines keys of another file: %v", portalDuplicates)
	}
	if !Has(VI, "portal.problem.truncated") || !Has(EN, "portal.problem.truncated") {
		t.Error("portal messages not registered")
	}
}
