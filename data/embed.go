// Package data embeds the files the binary needs at run time: the scheme
// definitions that ship as the default index. A configured folder of scheme
// files can override them (see config and scoring.LoadSchemes).
package data

import "embed"

// Schemes holds data/schemes/*.json, the default scoring schemes.
//
//go:embed schemes/*.json
var Schemes embed.FS
