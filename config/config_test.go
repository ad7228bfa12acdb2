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
