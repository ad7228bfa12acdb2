package i18n

import "testing"

func TestSafetyMessagesDefinedOnce(t *testing.T) {
	for k := range safetyVI {
		if _, ok := safetyEN[k]; !ok {
			t.Errorf("%s has no English message", k)
		}
	}
	for k := range safetyEN {
		if _, ok := safetyVI[k]; !ok {
			t.Errorf("%s has no Vietnamese message", k)
		}
	}
}
