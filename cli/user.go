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
	"scorecard/i18n"
	"scorecard/models"
	"scorecard/store"
)

const userUsage = `Dùng / use:
  scorecard user add --role admin|office|unit [--unit CODE] USERNAME
  scorecard user passwd USERNAME
  scorecard user disable USERNAME | scorecard user enable USERNAME
  scorecard user list
The password is asked on the terminal, or read from the first line of stdin.`

// userCmd manages accounts. There is no default account and no
// default password: the first admin is made here.
func userCmd(ctx context.Context, cfg config.Config, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, userUsage)
		return errUsage
	}
	action := args[0]
	fs := flags("user "+action, &cfg, stdout, stderr)
	role := fs.String("role", "", "admin, office or unit")
	unit := fs.String("unit", "", "the unit code of a unit account")
	// Flags may come before or after the username.
	var names []string
	rest := args[1:]
	for {
		if err := parse(fs, rest); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		names = append(names, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	want := 1
	switch action {
	case "list":
		want = 0
	case "add", "passwd", "disable", "enable":
	default:
		fmt.Fprintf(stderr, "Lệnh không rõ / unknown command \"user %s\"\n%s\n", action, userUsage)
		return errUsage
	}
	if len(names) != want {
		fmt.Fprintln(stderr, userUsage)
		return errUsage
	}
	if action != "add" && (*role != "" || *unit != "") {
		fmt.Fprintln(stderr, "--role và --unit chỉ dùng với / only go with \"user add\"")
		return errUsage
	}
	st, _, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	switch action {
	case "list":
		return userList(ctx, st, stdout)
	case "add":
		return userAdd(ctx, st, names[0], models.Role(*role), *unit, stdin, stdout, stderr)
	}
	u, err := st.UserByUsername(ctx, names[0])
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("cli: không có tài khoản / no account %q", store.NormalizeUsername(names[0]))
	}
	if err != nil {
		return fmt.Errorf("cli: %w", err)
	}
	switch action {
	case "passwd":
		pw, err := readPassword(stdin, stderr, u.Username)
		if err != nil {
			return err
		}
		hash, err := auth.HashPassword(u.Username, pw, 0)
		if err != nil {
			return passwordErr(err)
		}
		if err := st.SetPassword(ctx, u.ID, hash, cliActor); err != nil {
			return fmt.Errorf("cli: %w", err)
		}
		fmt.Fprintf(stdout, "Đã đặt mật khẩu mới cho %s; mọi phiên đăng nhập của tài khoản đã kết thúc / new password set for %s; its sessions were ended.\n", u.Username, u.Username)
	case "disable", "enable":
		if err := st.SetDisabled(ctx, u.ID, action == "disable", cliActor); err != nil {
			return fmt.Errorf("cli: %w", err)
		}
		if action == "disable" {
			fmt.Fprintf(stdout, "Đã khóa tài khoản %s / account %s disabled.\n", u.Username, u.Username)
		} else {
			fmt.Fprintf(stdout, "Đã mở khóa tài khoản %s / account %s enabled.\n", u.Username, u.Username)
		}
	}
	return nil
}

func userAdd(ctx context.Context, st *store.Store, name string, role models.Role, unit string, stdin io.Reader, stdout, stderr io.Writer) error {
	name = store.NormalizeUsername(name)
	if err := store.CheckUsername(name); err != nil {
		fmt.Fprintln(stderr, "Tên đăng nhập gồm 3–64 ký tự a–z, 0–9, dấu chấm, gạch dưới, @ hoặc gạch ngang / a username is 3–64 of a–z, 0–9, '.', '_', '@', '-'")
		return errUsage
	}
	if !role.Valid() {
		fmt.Fprintln(stderr, "--role phải là / must be admin, office hoặc / or unit")
		return errUsage
	}
	if (role == models.RoleUnit) != (unit != "") {
		fmt.Fprintln(stderr, "Tài khoản đơn vị cần --unit MÃ, các vai trò khác thì không / a unit account needs --unit CODE, other roles take none")
		return errUsage
	}
	u := &models.User{Username: name, Role: role}
	if unit != "" {
		if _, err := st.UnitByCode(ctx, unit); errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("cli: không có đơn vị / no unit %q", unit)
		} else if err != nil {
			return fmt.Errorf("cli: %w", err)
		}
		u.UnitCode = &unit
	}
	if _, err := st.UserByUsername(ctx, name); err == nil {
		return fmt.Errorf("cli: tài khoản đã có / account %q exists (đổi mật khẩu / change its password: scorecard user passwd %s)", name, name)
	} else if !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("cli: %w", err)
	}
	pw, err := readPassword(stdin, stderr, name)
	if err != nil {
		return err
	}
	hash, err := auth.HashPassword(name, pw, 0)
	if err != nil {
		return passwordErr(err)
	}
	u.PasswordHash = hash
	if err := st.CreateUser(ctx, u, cliActor); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return fmt.Errorf("cli: tài khoản đã có / account %q exists", name)
		}
		return fmt.Errorf("cli: %w", err)
	}
	fmt.Fprintf(stdout, "Đã tạo tài khoản %s (%s) / account %s created (%s).\n", u.Username, role.Label(), u.Username, role)
	return nil
}

func userList(ctx context.Context, st *store.Store, stdout io.Writer) error {
	users, err := st.Users(ctx)
	if err != nil {
		return fmt.Errorf("cli: %w", err)
	}
	if len(users) == 0 {
		fmt.Fprintln(stdout, "Chưa có tài khoản nào / no accounts yet: scorecard user add --role admin USERNAME")
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "USERNAME\tROLE\tUNIT\tSTATUS\tCREATED")
	for _, u := range users {
		status := "active"
		if u.Disabled {
			status = "disabled"
		}
		unit := u.Unit()
		if unit == "" {
			unit = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Username, u.Role, unit, status, u.CreatedAt.Format("2006-01-02"))
	}
	return tw.Flush()
}

// readPassword asks for the password twice on a terminal (not echoed), or
// reads the first line of stdin (scripts: printf '%s\n' "$PW" | scorecard
// user add …). Only the line ending is removed: spaces are part of it.
func readPassword(stdin io.Reader, stderr io.Writer, username string) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprintf(stderr, "Mật khẩu cho / password for %s (ít nhất / at least %d ký tự / characters): ", username, auth.MinPasswordLen)
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", fmt.Errorf("cli: read password: %w", err)
		}
		fmt.Fprint(stderr, "Nhập lại / again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", fmt.Errorf("cli: read password: %w", err)
		}
		if string(a) != string(b) {
			return "", errors.New("cli: hai lần nhập mật khẩu khác nhau / the two passwords differ")
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("cli: read password: %w", err)
	}
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if line == "" {
		return "", errors.New("cli: không có mật khẩu trên stdin / no password on stdin (there is no default password)")
	}
	return line, nil
}

func passwordErr(err error) error {
	var pe *auth.PasswordError
	if errors.As(err, &pe) {
		return fmt.Errorf("cli: %s / %s", i18n.VI.T(pe.Key, pe.Args...), i18n.EN.T(pe.Key, pe.Args...))
	}
	return fmt.Errorf("cli: %w", err)
}
