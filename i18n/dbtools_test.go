package i18n

import "testing"

func TestDBToolsMessagesDefinedOnce(t *testing.T) {
	for k := range dbtoolsVI {
		if _, ok := dbtoolsEN[k]; !ok {
			t.Errorf("%s has no English message", k)
		}
	}
	for k := range dbtoolsEN {
		if _, ok := dbtoolsVI[k]; !ok {
			t.Errorf("%s has no Vietnamese message", k)
		}
	}
}
