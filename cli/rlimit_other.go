//go:build !unix

package cli

// raiseFileLimit: systems without setrlimit have no such limit to raise;
// 0 means "unknown", and the configured connection cap stands.
func raiseFileLimit() (uint64, error) { return 0, nil }
