package pgtest

import "testing"

// A setting goes where the driver reads it, in either form of connection
// string, and replaces one given before.
func TestWith(t *testing.T) {
	for _, c := range []struct{ dsn, key, value, want string }{
		{"postgres://u:p@127.0.0.1:5432/postgres", "search_path", "s1", "postgres://u:p@127.0.0.1:5432/postgres?search_path=s1"},
		{"postgres://u:p@h/postgres?sslmode=disable&search_path=old", "search_path", "s1", "postgres://u:p@h/postgres?search_path=s1&sslmode=disable"},
		{"postgresql://u@h:5433/postgres?sslmode=disable", "dbname", "d1", "postgresql://u@h:5433/d1?sslmode=disable"},
		{"host=/run/postgresql user=u", "dbname", "d1", "host=/run/postgresql user=u dbname=d1"},
		{"host=/run/postgresql user=u", "options", "-c a=b -c c=d", "host=/run/postgresql user=u options='-c a=b -c c=d'"},
		{"postgres://h/db", "options", "-c search_path=s", "postgres://h/db?options=-c%20search_path%3Ds"},
	} {
		if got := with(t, c.dsn, c.key, c.value); got != c.want {
			t.Errorf("with(%q, %s=%s) = %q, want %q", c.dsn, c.key, c.value, got, c.want)
		}
	}
}
