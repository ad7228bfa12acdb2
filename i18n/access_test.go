package i18n

import "testing"

// The messages of the accounts and the staff's work exist in both languages, once.
func TestAccessMessages(t *testing.T) {
	for k := range accessVI {
		if _, ok := accessEN[k]; !ok {
			t.Errorf("%s has no English message", k)
		}
	}
	for k := range accessEN {
		if _, ok := accessVI[k]; !ok {
			t.Errorf("%s has no Vietnamese message", k)
		}
	}
	if got := VI.T("staff.publish.title", "Tháng 05/2024"); got != "Công bố số liệu Tháng 05/2024" {
		t.Errorf("T = %q", got)
	}
}
