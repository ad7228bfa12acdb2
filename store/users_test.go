package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"scorecard/models"
)

var cli = Actor{Name: models.ActorCLI}

func mustUser(t testing.TB, s *Store, name string, role models.Role, unit string) models.User {
	t.Helper()
	u := &models.User{Username: name, Role: role, PasswordHash: "$2a$04$fakefakefakefakefakefakefakefakefakefakefakefakefakefa"}
	if unit != "" {
		u.UnitCode = &unit
	}
	if err := s.CreateUser(context.Background(), u, cli); err != nil {
		t.Fatalf("create user %s: %v", name, err)
	}
	return *u
}

func auditActions(t testing.TB, s *Store, target string) []string {
	t.Helper()
	rows, _, err := s.AuditLog(context.Background(), AuditFilter{Target: target, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(rows) - 1; i >= 0; i-- { // oldest first
		out = append(out, rows[i].Action)
	}
	return out
}

func testUsers(t *testing.T, open opener) {
	ctx := context.Background()
	s := open(t)
	mustImportUnits(t, s, hierarchy, false)

	admin := mustUser(t, s, "  Admin.Tinh ", models.RoleAdmin, "")
	if admin.Username != "admin.tinh" || admin.ID == 0 {
		t.Fatalf("stored as %q id %d", admin.Username, admin.ID)
	}
	// Names differing only in case are the same account.
	dup := &models.User{Username: "ADMIN.TINH", Role: models.RoleOffice, PasswordHash: "x"}
	if err := s.CreateUser(ctx, dup, cli); !errors.Is(err, ErrConflict) {
		t.Errorf("duplicate name: %v", err)
	}
	for name, u := range map[string]*models.User{
		"unit without code": {Username: "donvi", Role: models.RoleUnit, PasswordHash: "x"},
		"office with unit":  {Username: "vanphong", Role: models.RoleOffice, UnitCode: ptr("BK"), PasswordHash: "x"},
		"unknown role":      {Username: "khach", Role: "guest", PasswordHash: "x"},
		"bad username":      {Username: "a b", Role: models.RoleOffice, PasswordHash: "x"},
		"no hash":           {Username: "nohash", Role: models.RoleOffice},
	} {
		if err := s.CreateUser(ctx, u, cli); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := s.CreateUser(ctx, &models.User{Username: "a b", Role: models.RoleOffice, PasswordHash: "x"}, cli); !errors.Is(err, ErrUsername) {
		t.Errorf("bad username: %v, want ErrUsername", err)
	}
	if err := CheckUsername("ab"); err != ErrUsername {
		t.Errorf("two letters: %v", err)
	}
	if err := s.CreateUser(ctx, &models.User{Username: "so.khac", Role: models.RoleUnit, UnitCode: ptr("BK.NOPE"), PasswordHash: "x"}, cli); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown unit: %v", err)
	}
	unit := mustUser(t, s, "so.gtvt", models.RoleUnit, "BK.SGTVT")

	got, err := s.UserByUsername(ctx, "SO.GTVT")
	if err != nil || got.ID != unit.ID || got.Unit() != "BK.SGTVT" || got.Role != models.RoleUnit {
		t.Fatalf("by name: %+v %v", got, err)
	}
	if _, err := s.UserByUsername(ctx, "nobody"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown: %v", err)
	}
	if n, err := s.CountUsers(ctx, models.RoleAdmin); err != nil || n != 1 {
		t.Errorf("admins: %d %v", n, err)
	}

	// A new password and disabling both sign the account out everywhere.
	sess := newSession(unit.ID, "h1", time.Now())
	if err := s.CreateSession(ctx, sess, "", nil); err != nil {
		t.Fatal(err)
	}
	before := got.PasswordChangedAt
	if err := s.SetPassword(ctx, unit.ID, "$2a$04$another", cli); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionByHash(ctx, "h1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("session kept after a password change: %v", err)
	}
	got, _ = s.UserByID(ctx, unit.ID)
	if got.PasswordHash != "$2a$04$another" || !got.PasswordChangedAt.After(before) {
		t.Errorf("password not changed: %+v", got)
	}
	if err := s.CreateSession(ctx, newSession(unit.ID, "h2", time.Now()), "", nil); err != nil {
		t.Fatal(err)
	}
	if err := s.SetDisabled(ctx, unit.ID, true, cli); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionByHash(ctx, "h2"); !errors.Is(err, ErrNotFound) {
		t.Errorf("session kept after disabling: %v", err)
	}
	if n, _ := s.CountUsers(ctx, ""); n != 1 {
		t.Errorf("enabled accounts: %d", n)
	}
	if err := s.SetDisabled(ctx, unit.ID, false, cli); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPassword(ctx, 9999, "x", cli); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown id: %v", err)
	}
	want := []string{models.ActionUserAdd, models.ActionUserPasswd, models.ActionUserDisable, models.ActionUserEnable}
	if got := auditActions(t, s, "so.gtvt"); !equalStrings(got, want) {
		t.Errorf("audit of so.gtvt: %v, want %v", got, want)
	}
	list, err := s.Users(ctx)
	if err != nil || len(list) != 2 || list[0].Username != "admin.tinh" {
		t.Errorf("users: %+v %v", list, err)
	}
}

func TestUsers(t *testing.T) { both(t, testUsers) }

func ptr(s string) *string { return &s }

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
