package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"scorecard/auth"
	"scorecard/config"
	"scorecard/models"
	"scorecard/present"
	"scorecard/store"
)

// userCmd manages accounts. There is no default account and no default
// password: the first admin is made here.
func userCmd(ctx context.Context, t *console, cfg config.Config, args []string, stdin io.Reader) error {
	action, err := subcommand(t, "user", args, "add", "passwd", "disable", "enable", "list")
	if err != nil {
		return err
	}
	fs := flags(t, "user "+action, &cfg)
	var role, unit *string
	if action == "add" {
		role = fs.String("role", "", "")
		unit = fs.String("unit", "", "")
	}
	// Flags may come before or after the username.
	var names []string
	rest := args[1:]
	for {
		if err := parse(t, fs, rest); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		names = append(names, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	switch {
	case action == "list" && len(names) > 0:
		return t.extraArgs(names)
	case action != "list" && len(names) == 0:
		return t.usageErr("cli.user.name")
	case action != "list" && len(names) > 1:
		return t.extraArgs(names[1:])
	}
	st, _, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	switch action {
	case "list":
		return userList(ctx, t, st)
	case "add":
		return userAdd(ctx, t, st, names[0], models.Role(*role), *unit, stdin)
	}
	u, err := st.UserByUsername(ctx, names[0])
	if errors.Is(err, store.ErrNotFound) {
		return fail(nil, "cli.user.noaccount", store.NormalizeUsername(names[0]))
	}
	if err != nil {
		return fail(err, "cli.db.read")
	}
	switch action {
	case "passwd":
		pw, err := readPassword(t, stdin, u.Username)
		if err != nil {
			return err
		}
		hash, err := auth.HashPassword(u.Username, pw, 0)
		if err != nil {
			return passwordErr(t, err)
		}
		if err := st.SetPassword(ctx, u.ID, hash, cliActor); err != nil {
			return fail(err, "cli.db.write")
		}
		t.say("cli.user.passwd.done", u.Username)
	case "disable", "enable":
		if err := st.SetDisabled(ctx, u.ID, action == "disable", cliActor); err != nil {
			return fail(err, "cli.db.write")
		}
		t.say("cli.user."+action+"d", u.Username)
	}
	return nil
}

func userAdd(ctx context.Context, t *console, st *store.Store, name string, role models.Role, unit string, stdin io.Reader) error {
	name = store.NormalizeUsername(name)
	if err := store.CheckUsername(name); err != nil {
		return t.usageErr("cli.user.badname")
	}
	if !role.Valid() {
		return t.usageErr("cli.user.badrole", string(role))
	}
	if (role == models.RoleUnit) != (unit != "") {
		return t.usageErr("cli.user.unitrole")
	}
	u := &models.User{Username: name, Role: role}
	if unit != "" {
		if _, err := st.UnitByCode(ctx, unit); errors.Is(err, store.ErrNotFound) {
			return fail(nil, "cli.user.nounit", unit)
		} else if err != nil {
			return fail(err, "cli.db.read")
		}
		u.UnitCode = &unit
	}
	if _, err := st.UserByUsername(ctx, name); err == nil {
		return fail(nil, "cli.user.exists", name)
	} else if !errors.Is(err, store.ErrNotFound) {
		return fail(err, "cli.db.read")
	}
	pw, err := readPassword(t, stdin, name)
	if err != nil {
		return err
	}
	hash, err := auth.HashPassword(name, pw, 0)
	if err != nil {
		return passwordErr(t, err)
	}
	u.PasswordHash = hash
	if err := st.CreateUser(ctx, u, cliActor); err != nil {
		switch {
		case errors.Is(err, store.ErrConflict):
			return fail(nil, "cli.user.exists", name)
		case errors.Is(err, store.ErrUsername):
			return fail(nil, "cli.user.badname")
		}
		return fail(err, "cli.db.write")
	}
	t.say("cli.user.created", u.Username, t.T("auth.role."+string(role)))
	return nil
}

func userList(ctx context.Context, t *console, st *store.Store) error {
	users, err := st.Users(ctx)
	if err != nil {
		return fail(err, "cli.db.read")
	}
	if len(users) == 0 {
		t.say("cli.user.none")
		return nil
	}
	tw := tabwriter.NewWriter(t.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, t.T("cli.user.list.head"))
	for _, u := range users {
		status := t.T("cli.user.active")
		if u.Disabled {
			status = t.T("cli.user.inactive")
		}
		unit := u.Unit()
		if unit == "" {
			unit = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Username, u.Role, unit, status, present.Date(t.l, u.CreatedAt))
	}
	return tw.Flush()
}

// readPassword asks for the password twice on a terminal (not echoed), or
// reads the first line of stdin (scripts: printf '%s\n' "$PW" | scorecard
// user add …). Only the line ending is removed: spaces are part of it.
func readPassword(t *console, stdin io.Reader, username string) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(t.stderr, t.T("cli.user.pw.prompt", username, auth.MinPasswordLen))
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(t.stderr)
		if err != nil {
			return "", fail(err, "cli.user.pw.read")
		}
		fmt.Fprint(t.stderr, t.T("cli.user.pw.again"))
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(t.stderr)
		if err != nil {
			return "", fail(err, "cli.user.pw.read")
		}
		if string(a) != string(b) {
			return "", fail(nil, "cli.user.pw.differ")
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fail(err, "cli.user.pw.read")
	}
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if line == "" {
		return "", fail(nil, "cli.user.pw.none")
	}
	return line, nil
}

// passwordErr says why a password was refused, in the run's language.
func passwordErr(t *console, err error) error {
	var pe *auth.PasswordError
	if errors.As(err, &pe) {
		return fail(nil, pe.Key, pe.Args...)
	}
	return fail(err, "cli.db.write")
}
