package config

import (
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.DBPath != "data/scorecard.db" || c.Addr != "127.0.0.1:8080" || c.DBDriver != "sqlite" || c.NoDemo {
		t.Fatalf("%+v", c)
	}
}

func TestEnvironment(t *testing.T) {
	c, err := Load(env(map[string]string{"SCORECARD_DB": "/tmp/x.db", "SCORECARD_ADDR": "0.0.0.0:9000", "SCORECARD_NO_DEMO": "true"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.DBPath != "/tmp/x.db" || c.Addr != "0.0.0.0:9000" || !c.NoDemo {
		t.Fatalf("%+v", c)
	}
}

func TestRejects(t *testing.T) {
	for k, v := range map[string]string{"SCORECARD_ADDR": "8080", "SCORECARD_DB_DRIVER": "mysql", "SCORECARD_NO_DEMO": "maybe"} {
		_, err := Load(env(map[string]string{k: v}))
		if err == nil || !strings.HasPrefix(err.Error(), "config: ") {
			t.Errorf("%s=%s: %v", k, v, err)
		}
	}
}

func TestServerLimitsAndPublicURL(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.ReadTimeout != DefaultReadTimeout || c.WriteTimeout != DefaultWriteTimeout || c.IdleTimeout != DefaultIdleTimeout ||
		c.MaxConns != DefaultMaxConns || c.PublicURL != "" {
		t.Errorf("defaults: %+v", c)
	}
	c, err = Load(env(map[string]string{"SCORECARD_READ_TIMEOUT": "5s", "SCORECARD_WRITE_TIMEOUT": "1m",
		"SCORECARD_IDLE_TIMEOUT": "30s", "SCORECARD_MAX_CONNS": "100", "SCORECARD_PUBLIC_URL": "https://chiso.backan.gov.vn/chiso/"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.ReadTimeout.String() != "5s" || c.WriteTimeout.String() != "1m0s" || c.IdleTimeout.String() != "30s" ||
		c.MaxConns != 100 || c.PublicURL != "https://chiso.backan.gov.vn/chiso" {
		t.Errorf("set: %+v", c)
	}
	for k, v := range map[string]string{"SCORECARD_READ_TIMEOUT": "0s", "SCORECARD_IDLE_TIMEOUT": "soon",
		"SCORECARD_MAX_CONNS": "-1", "SCORECARD_PUBLIC_URL": "chiso.backan.gov.vn"} {
		if _, err := Load(env(map[string]string{k: v})); err == nil || !strings.HasPrefix(err.Error(), "config: ") {
			t.Errorf("%s=%s: %v", k, v, err)
		}
	}
}

// The report's document settings: recipients are separated by ";" since
// one may hold commas; blank entries are dropped.
func TestReportSettings(t *testing.T) {
	c, err := Load(env(map[string]string{"SCORECARD_REPORT_SYMBOL": " BC-VPUBND ", "SCORECARD_REPORT_SIGNER_TITLE": "KT. Chánh Văn phòng",
		"SCORECARD_REPORT_SIGNER_NAME": "Nguyễn Văn An", "SCORECARD_REPORT_RECIPIENTS": "Chủ tịch, các Phó Chủ tịch UBND tỉnh; ;Lưu: VT, KSTT."}))
	if err != nil {
		t.Fatal(err)
	}
	if c.ReportSymbol != "BC-VPUBND" || c.ReportSignerTitle != "KT. Chánh Văn phòng" || c.ReportSignerName != "Nguyễn Văn An" ||
		len(c.ReportRecipients) != 2 || c.ReportRecipients[0] != "Chủ tịch, các Phó Chủ tịch UBND tỉnh" || c.ReportRecipients[1] != "Lưu: VT, KSTT." {
		t.Fatalf("%+v", c)
	}
}
