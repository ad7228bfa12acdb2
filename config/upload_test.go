package config

import "testing"

// The web upload limit: megabytes in the environment, bytes in
// the configuration, bounded.
func TestUploadLimit(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil || c.UploadLimit != DefaultUploadLimitMB<<20 || c.UploadDir != "" {
		t.Fatalf("default: %d %q %v", c.UploadLimit, c.UploadDir, err)
	}
	c, err = Load(env(map[string]string{"SCORECARD_UPLOAD_LIMIT_MB": "8", "SCORECARD_UPLOAD_DIR": "/var/tmp/scorecard"}))
	if err != nil || c.UploadLimit != 8<<20 || c.UploadDir != "/var/tmp/scorecard" {
		t.Fatalf("set: %d %q %v", c.UploadLimit, c.UploadDir, err)
	}
	for _, v := range []string{"0", "-1", "abc", "1.5", "4096"} {
		if _, err := Load(env(map[string]string{"SCORECARD_UPLOAD_LIMIT_MB": v})); err == nil {
			t.Errorf("SCORECARD_UPLOAD_LIMIT_MB=%s accepted", v)
		}
	}
}
