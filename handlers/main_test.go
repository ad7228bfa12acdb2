package handlers

import (
	"os"
	"sync"
	"testing"
)

// cleanups are what the package's shared fixtures (built once, outside any
// one test) leave behind: run after the last test.
var cleanups struct {
	sync.Mutex
	fns []func()
}

// afterTests registers f to run once every test has ended, last registered
// first (a store closes before its folder is removed).
func afterTests(f func()) {
	cleanups.Lock()
	defer cleanups.Unlock()
	cleanups.fns = append(cleanups.fns, f)
}

func TestMain(m *testing.M) {
	code := m.Run()
	cleanups.Lock()
	for i := len(cleanups.fns) - 1; i >= 0; i-- {
		cleanups.fns[i]()
	}
	cleanups.Unlock()
	os.Exit(code)
}
