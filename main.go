// Command scorecard serves the service-index dashboard and its JSON API, and
// imports, publishes and manages the data behind it. See README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"scorecard/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
