// Package data embeds the files the binary needs at run time: the scheme
// definitions that ship as the default index. A configured folder of scheme
// files can override them (see config and scoring.LoadSchemes).
package data

import (
	"embed"
	"fmt"

	"scorecard/scoring"
)

// Schemes holds data/schemes/*.json, the default scoring schemes.
//
//go:embed schemes/*.json
var Schemes embed.FS

// SchemeList reads the embedded schemes, for a caller that adds its own
// before building the set (the command line's --schemes folder).
func SchemeList() ([]*scoring.Scheme, error) {
	list, err := scoring.LoadSchemes(Schemes, "schemes", "embedded:")
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	return list, nil
}

// DefaultSchemes is the set of embedded schemes: the index as shipped.
func DefaultSchemes() (*scoring.Schemes, error) {
	list, err := SchemeList()
	if err != nil {
		return nil, err
	}
	s, err := scoring.NewSchemes(list...)
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	return s, nil
}
