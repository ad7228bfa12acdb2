package handlers

import (
	"errors"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/text/collate"

	"scorecard/auth"
	"scorecard/handlers/site"
	"scorecard/i18n"
	"scorecard/models"
	"scorecard/present"
	"scorecard/store"
)

// Accounts, for admins: list, add, reset a password, disable and
// enable. Accounts are never deleted (the audit trail names them). Each
// change writes its audit row in the store, in the same transaction.

// adminUsersPage is /admin/users.
type adminUsersPage struct {
	site.Layout
	CSRFField string
	CSRFToken string
	Users     []adminUserRow
	Roles     []site.Option
	Units     []site.Option
	// Done is what was just done (an i18n key and its argument).
	Done    string
	DoneArg string
	// Error is a message for the visitor, in the page's language; Form
	// keeps what was typed in the add form (never a password).
	Error    string
	ErrorFor string // "add", or the id of the row whose form failed
	Form     adminUserForm
	MinLen   int
}

type adminUserRow struct {
	ID          uint
	Username    string
	RoleKey     string
	Unit        string
	Disabled    bool
	Self        bool
	Created     string
	PasswordSet string
	FormID      string
}

type adminUserForm struct {
	Username, Role, Unit string
}

// adminUsers is GET /admin/users.
func (h *handler) adminUsers(c *fiber.Ctx) error {
	v, err := h.usersPage(c)
	if err != nil {
		return err
	}
	if id := c.Query("done"); id != "" {
		switch c.Query("what") {
		case "add", "password", "disabled", "enabled":
			v.Done, v.DoneArg = "admin.users.done."+c.Query("what"), c.Query("done")
		}
	}
	return h.Render(c, fiber.StatusOK, "admin_users", v)
}

// usersPage builds the page's view.
func (h *handler) usersPage(c *fiber.Ctx) (*adminUsersPage, error) {
	ctx := c.UserContext()
	l := site.Lang(c)
	v := &adminUsersPage{CSRFField: auth.CSRFField, MinLen: auth.MinPasswordLen}
	v.Layout = h.simpleLayout(c, l.T("admin.users.title"), "staff")
	tok, err := h.Auth.CSRFToken(c)
	if err != nil {
		return nil, err
	}
	v.CSRFToken = tok
	users, err := h.st.Users(ctx)
	if err != nil {
		return nil, site.Internal(err)
	}
	me := auth.UserFrom(c)
	for _, u := range users {
		v.Users = append(v.Users, adminUserRow{ID: u.ID, Username: u.Username, RoleKey: "auth.role." + string(u.Role),
			Unit: u.Unit(), Disabled: u.Disabled, Self: me != nil && me.ID == u.ID,
			Created: present.Date(l, u.CreatedAt), PasswordSet: dateTimeL(l, u.PasswordChangedAt), FormID: strconv.FormatUint(uint64(u.ID), 10)})
	}
	// The least powerful role that can be meant first: an admin account is
	// never made by leaving the default.
	for _, r := range []models.Role{models.RoleOffice, models.RoleUnit, models.RoleAdmin} {
		v.Roles = append(v.Roles, site.Option{Value: string(r), Label: l.T("auth.role." + string(r)), Selected: r == models.RoleOffice})
	}
	units, err := h.st.Units(ctx)
	if err != nil {
		return nil, site.Internal(err)
	}
	col := collate.New(vietnamese)
	sort.SliceStable(units, func(i, j int) bool {
		if a, b := unitKindOrder(units[i].Kind), unitKindOrder(units[j].Kind); a != b {
			return a < b
		}
		if c := col.CompareString(units[i].Name, units[j].Name); c != 0 {
			return c < 0
		}
		return units[i].Code < units[j].Code
	})
	for _, u := range units {
		v.Units = append(v.Units, site.Option{Value: u.Code, Label: u.Name + " (" + u.Code + ")"})
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return v, nil
}

// usersError shows the page again with a message next to the form that
// failed.
func (h *handler) usersError(c *fiber.Ctx, status int, formFor, msg string, form adminUserForm) error {
	v, err := h.usersPage(c)
	if err != nil {
		return err
	}
	v.Error, v.ErrorFor, v.Form = msg, formFor, form
	for i := range v.Roles {
		v.Roles[i].Selected = v.Roles[i].Value == form.Role || form.Role == "" && v.Roles[i].Value == string(models.RoleOffice)
	}
	for i := range v.Units {
		v.Units[i].Selected = v.Units[i].Value == form.Unit
	}
	return h.Render(c, status, "admin_users", v)
}

// usersDone goes back to the list, saying what was done.
func (h *handler) usersDone(c *fiber.Ctx, what, username string) error {
	return c.Redirect(h.URL("/admin/users?what="+what+"&done="+url.QueryEscape(username)), fiber.StatusSeeOther)
}

// passwordMessage is the rules' refusal of a password in the page's
// language.
func passwordMessage(l i18n.Lang, err error) (string, bool) {
	var pe *auth.PasswordError
	if !errors.As(err, &pe) {
		return "", false
	}
	return l.T(pe.Key, pe.Args...), true
}

// adminUserAdd is POST /admin/users.
func (h *handler) adminUserAdd(c *fiber.Ctx) error {
	l := site.Lang(c)
	form := adminUserForm{Username: strings.TrimSpace(c.FormValue("username")), Role: c.FormValue("role"), Unit: c.FormValue("unit")}
	role := models.Role(form.Role)
	fail := func(status int, key string, args ...any) error {
		return h.usersError(c, status, "add", l.T(key, args...), form)
	}
	name := store.NormalizeUsername(form.Username)
	if err := store.CheckUsername(name); err != nil {
		return fail(fiber.StatusUnprocessableEntity, "admin.users.err.username")
	}
	if !role.Valid() {
		return fail(fiber.StatusUnprocessableEntity, "admin.users.err.role")
	}
	var unit *string
	if role == models.RoleUnit {
		if form.Unit == "" {
			return fail(fiber.StatusUnprocessableEntity, "admin.users.err.unit")
		}
		u := form.Unit
		unit = &u
	}
	pw, pw2 := c.FormValue("password"), c.FormValue("password2")
	if pw != pw2 {
		return fail(fiber.StatusUnprocessableEntity, "admin.users.err.mismatch")
	}
	hash, err := auth.HashPassword(name, pw, h.AuthOpts.BcryptCost)
	if msg, ok := passwordMessage(l, err); ok {
		return h.usersError(c, fiber.StatusUnprocessableEntity, "add", msg, form)
	}
	if err != nil {
		return site.Internal(err)
	}
	u := &models.User{Username: name, PasswordHash: hash, Role: role, UnitCode: unit}
	err = h.st.CreateUser(c.UserContext(), u, h.Auth.Actor(c))
	switch {
	case errors.Is(err, store.ErrConflict):
		return fail(fiber.StatusConflict, "admin.users.err.taken", name)
	case errors.Is(err, store.ErrNotFound):
		return fail(fiber.StatusUnprocessableEntity, "admin.users.err.unit")
	case errors.Is(err, store.ErrUsername):
		return fail(fiber.StatusUnprocessableEntity, "admin.users.err.username")
	case errors.Is(err, store.ErrInvalid):
		return fail(fiber.StatusUnprocessableEntity, "admin.users.err.invalid")
	case err != nil:
		return site.Internal(err)
	}
	return h.usersDone(c, "add", name)
}

// userParam reads :id and loads the account.
func (h *handler) userParam(c *fiber.Ctx) (models.User, error) {
	id, err := strconv.ParseUint(c.Params("id"), 10, 32)
	if err != nil {
		return models.User{}, site.NotFound("err.account.notfound")
	}
	u, err := h.st.UserByID(c.UserContext(), uint(id))
	if errors.Is(err, store.ErrNotFound) {
		return models.User{}, site.NotFound("err.account.notfound")
	}
	if err != nil {
		return models.User{}, site.Internal(err)
	}
	return u, nil
}

// adminUserPassword is POST /admin/users/{id}/password: an admin sets a
// new password (the person is told it another way); the account is signed
// out everywhere.
func (h *handler) adminUserPassword(c *fiber.Ctx) error {
	l := site.Lang(c)
	u, err := h.userParam(c)
	if err != nil {
		return err
	}
	formFor := strconv.FormatUint(uint64(u.ID), 10)
	pw, pw2 := c.FormValue("password"), c.FormValue("password2")
	if pw != pw2 {
		return h.usersError(c, fiber.StatusUnprocessableEntity, formFor, l.T("admin.users.err.mismatch"), adminUserForm{})
	}
	hash, err := auth.HashPassword(u.Username, pw, h.AuthOpts.BcryptCost)
	if msg, ok := passwordMessage(l, err); ok {
		return h.usersError(c, fiber.StatusUnprocessableEntity, formFor, msg, adminUserForm{})
	}
	if err != nil {
		return site.Internal(err)
	}
	if err := h.st.SetPassword(c.UserContext(), u.ID, hash, h.Auth.Actor(c)); err != nil {
		return site.Internal(err)
	}
	return h.usersDone(c, "password", u.Username)
}

// adminUserDisabled is POST /admin/users/{id}/disabled (disabled=1 or 0).
// An admin cannot disable their own account, nor the last enabled admin:
// nobody could manage the accounts any more.
func (h *handler) adminUserDisabled(c *fiber.Ctx) error {
	l := site.Lang(c)
	u, err := h.userParam(c)
	if err != nil {
		return err
	}
	formFor := strconv.FormatUint(uint64(u.ID), 10)
	disable := c.FormValue("disabled") == "1"
	if disable {
		if me := auth.UserFrom(c); me != nil && me.ID == u.ID {
			return h.usersError(c, fiber.StatusConflict, formFor, l.T("admin.users.err.self"), adminUserForm{})
		}
		if u.Role == models.RoleAdmin && !u.Disabled {
			n, err := h.st.CountUsers(c.UserContext(), models.RoleAdmin)
			if err != nil {
				return site.Internal(err)
			}
			if n <= 1 {
				return h.usersError(c, fiber.StatusConflict, formFor, l.T("admin.users.err.lastadmin"), adminUserForm{})
			}
		}
	}
	if err := h.st.SetDisabled(c.UserContext(), u.ID, disable, h.Auth.Actor(c)); err != nil {
		return site.Internal(err)
	}
	what := "enabled"
	if disable {
		what = "disabled"
	}
	return h.usersDone(c, what, u.Username)
}
