package handlers

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"scorecard/internal/storetest"
	"scorecard/models"
	"scorecard/store"
)

// An admin adds accounts, resets a password and disables an account; each
// change is in the audit trail, and the account's sessions end with it.
func TestAdminUsers(t *testing.T) {
	t.Parallel()
	storetest.Run(t, testAdminUsers)
}

func testAdminUsers(t *testing.T, db storetest.DB) {
	f := newAccessFixture(t, fixtureOptions{db: db})
	ctx := context.Background()
	admin := f.client()
	admin.login("quantri")
	r := admin.get("/admin/users")
	for _, want := range []string{"vanphong", "sogtvt", "BK.SGTVT", "Quản trị hệ thống"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("users page lacks %q", want)
		}
	}
	add := func(form url.Values) reply {
		form.Set("password2", form.Get("password"))
		return admin.post("/admin/users", form)
	}
	// Refusals keep what was typed (not the password) and say why.
	cases := []struct {
		form url.Values
		want string
	}{
		{url.Values{"username": {"X"}, "role": {"office"}, "password": {accessPassword}}, "Tên đăng nhập chỉ gồm"},
		{url.Values{"username": {"so.yte"}, "role": {"unit"}, "password": {accessPassword}}, "phải gắn với một đơn vị"},
		{url.Values{"username": {"so.yte"}, "role": {"unit"}, "unit": {"BK.KHONGCO"}, "password": {accessPassword}}, "phải gắn với một đơn vị"},
		{url.Values{"username": {"so.yte"}, "role": {"unit"}, "unit": {"BK.SYT"}, "password": {"ngan"}}, "ít nhất 10 ký tự"},
		{url.Values{"username": {"vanphong"}, "role": {"office"}, "password": {accessPassword}}, "đã có người dùng"},
		{url.Values{"username": {"so.yte"}, "role": {"chief"}, "password": {accessPassword}}, "Hãy chọn vai trò"},
	}
	for _, c := range cases {
		r := add(c.form)
		if r.status < 400 || !strings.Contains(r.body, c.want) {
			t.Errorf("%v: %d, want %q", c.form, r.status, c.want)
		}
		if pw := c.form.Get("password"); strings.Contains(r.body, `value="`+pw+`"`) {
			t.Errorf("%v: the password is written back into the page", c.form)
		}
	}
	r = admin.post("/admin/users", url.Values{"username": {"so.yte"}, "role": {"unit"}, "unit": {"BK.SYT"}, "password": {accessPassword}, "password2": {accessPassword + "x"}})
	if !strings.Contains(r.body, "không giống nhau") {
		t.Errorf("password mismatch: %d", r.status)
	}
	r = add(url.Values{"username": {"So.YTe"}, "role": {"unit"}, "unit": {"BK.SYT"}, "password": {accessPassword}})
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("add: %d %.500s", r.status, r.body)
	}
	if r := admin.get(r.header.Get("Location")); !strings.Contains(r.body, "Đã thêm tài khoản so.yte") {
		t.Error("no confirmation of the new account")
	}
	u, err := f.st.UserByUsername(ctx, "so.yte")
	if err != nil || u.Role != models.RoleUnit || u.Unit() != "BK.SYT" {
		t.Fatalf("new account: %+v %v", u, err)
	}
	yte := f.client()
	yte.login("so.yte")

	// Reset the password: the account is signed out everywhere.
	id := strconv.FormatUint(uint64(u.ID), 10)
	newPw := "mật-khẩu-mới-2025"
	if r := admin.post("/admin/users/"+id+"/password", url.Values{"password": {"ngan"}, "password2": {"ngan"}}); r.status != fiber.StatusUnprocessableEntity {
		t.Errorf("short password: %d", r.status)
	}
	if r := admin.post("/admin/users/"+id+"/password", url.Values{"password": {newPw}, "password2": {newPw}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("reset: %d", r.status)
	}
	if r := yte.get("/"); strings.Contains(r.body, "so.yte") {
		t.Error("the account is still signed in after a password reset")
	}
	cl := f.client()
	cl.get("/login")
	if r := cl.post("/login", url.Values{"username": {"so.yte"}, "password": {newPw}}); r.status != fiber.StatusSeeOther {
		t.Errorf("login with the new password: %d", r.status)
	}

	// Disable: signed out, cannot sign in; enable again.
	if r := admin.post("/admin/users/"+id+"/disabled", url.Values{"disabled": {"1"}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("disable: %d", r.status)
	}
	if r := cl.get("/"); strings.Contains(r.body, "so.yte") {
		t.Error("a disabled account is still signed in")
	}
	cl = f.client()
	cl.get("/login")
	if r := cl.post("/login", url.Values{"username": {"so.yte"}, "password": {newPw}}); r.status != fiber.StatusUnauthorized {
		t.Errorf("login of a disabled account: %d", r.status)
	}
	if r := admin.post("/admin/users/"+id+"/disabled", url.Values{"disabled": {"0"}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("enable: %d", r.status)
	}
	// An admin cannot disable themselves, nor the last admin.
	self := strconv.FormatUint(uint64(f.ids["quantri"]), 10)
	if r := admin.post("/admin/users/"+self+"/disabled", url.Values{"disabled": {"1"}}); r.status != fiber.StatusConflict {
		t.Errorf("disable oneself: %d", r.status)
	}
	if r := admin.post("/admin/users/999999/password", url.Values{"password": {newPw}, "password2": {newPw}}); r.status != fiber.StatusNotFound {
		t.Errorf("unknown account: %d", r.status)
	}

	rows, _, err := f.st.AuditLog(ctx, store.AuditFilter{Actor: "quantri", Action: "user."})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, e := range rows {
		if e.Target == "so.yte" {
			got[e.Action]++
		}
	}
	if got[models.ActionUserAdd] != 1 || got[models.ActionUserPasswd] != 1 || got[models.ActionUserDisable] != 1 || got[models.ActionUserEnable] != 1 {
		t.Errorf("audit of the account changes: %v", got)
	}
}

// The audit trail page lists and filters the rows, newest first.
func TestAdminAudit(t *testing.T) { storetest.Run(t, testAdminAudit) }

func testAdminAudit(t *testing.T, db storetest.DB) {
	f := newAccessFixture(t, fixtureOptions{db: db})
	admin := f.client()
	admin.login("quantri")
	bad := f.client()
	bad.get("/login")
	bad.post("/login", url.Values{"username": {"vanphong"}, "password": {"không-đúng-đâu"}})

	r := admin.get("/admin/audit")
	for _, want := range []string{"Đăng nhập sai", "Công bố", "2024-04", "quantri", "vanphong"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("audit page lacks %q", want)
		}
	}
	r = admin.get("/admin/audit?action=login.failure")
	if strings.Count(r.body, "<tr class=\"audit-failure\">") != 1 || strings.Contains(r.body, "<code class=\"small nowrap\">publish</code>") {
		t.Errorf("filter by action: %.3000s", r.body)
	}
	r = admin.get("/admin/audit?action=login.&actor=quantri")
	if !strings.Contains(r.body, `<code class="small nowrap">login.success</code>`) || strings.Contains(r.body, `<code class="small nowrap">login.failure</code>`) {
		t.Error("filter by prefix and actor")
	}
	r = admin.get("/admin/audit?target=2024-03")
	if n := len(regexp.MustCompile(`<td>2024-03</td>`).FindAllString(r.body, -1)); n != 1 {
		t.Errorf("filter by target: %d rows", n)
	}
	if r := admin.get("/admin/audit?from=2000-01-01&to=2000-01-02"); !strings.Contains(r.body, "Không có dòng nào khớp") {
		t.Error("filter by dates")
	}
	if r := admin.get("/admin/audit?from=hôm-qua"); !strings.Contains(r.body, "Ngày không hợp lệ") {
		t.Error("a bad date is not reported")
	}
	// Nothing on the page changes a row: no form posts anywhere.
	if strings.Contains(r.body, `method="post" action="/admin/audit`) {
		t.Error("the audit page has a form that writes")
	}
}
