//go:build unix

package cli

import (
	"fmt"
	"syscall"
)

// raiseFileLimit raises the soft limit of open files to the hard limit and
// returns it. Go does so itself at start on Linux and macOS since 1.19; it
// is asked again here because the connection cap is derived from the
// result, and a system where it did not happen still gets the most room.
func raiseFileLimit() (uint64, error) {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return 0, fmt.Errorf("cli: limit of open files: %w", err)
	}
	if l.Cur < l.Max {
		want := l
		want.Cur = l.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &want); err == nil {
			l = want
		}
	}
	return uint64(l.Cur), nil
}
