// Package web embeds the dashboard's templates and static files so that the
// binary carries everything it serves: no template is read from disk at run
// time and no asset comes from a CDN.
package web

import "embed"

// Templates holds templates/{layouts,partials,pages}/*.html.
//
//go:embed templates
var Templates embed.FS

// Static holds static/{css,js,vendor}; it is served under /static/.
//
//go:embed static
var Static embed.FS
