// Package sourcecheck has no code: its tests read the repository's own
// files as text (the Go code, the templates, the scripts and the styles)
// and fail on what must not be in any of them. They live in a package of
// their own, importing nothing of the application, so that running them
// builds no more than they need: in the main package their test binary
// was the whole application, SQLite and all.
package sourcecheck

// root is the repository, from this folder.
const root = "../.."
