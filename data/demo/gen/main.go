// Command gen writes the demo data set, the CSV files of data/demo.
// Run it from the repository root:
//
//	go run ./data/demo/gen
//
// It is deterministic: the same program always writes the same bytes, and
// the demo package's test fails if the committed files differ from them.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"scorecard/data/demo/internal/demogen"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	out := fs.String("out", filepath.Join("data", "demo"), "folder to write the demo's CSV files into")
	verbose := fs.Bool("v", false, "print each month's province total and bands")
	if err := fs.Parse(args); err != nil {
		return err
	}
	// Refuse to scatter files when run from elsewhere than the repository
	// root: the default folder must already exist.
	if st, err := os.Stat(*out); err != nil || !st.IsDir() {
		return fmt.Errorf("folder %s not found: run from the repository root or pass -out", *out)
	}
	if err := demogen.WriteFiles(*out); err != nil {
		return err
	}
	for _, name := range demogen.FileNames {
		fmt.Println("wrote", filepath.Join(*out, name))
	}
	if *verbose {
		lines, err := demogen.Summary()
		if err != nil {
			return err
		}
		for _, l := range lines {
			fmt.Println(l)
		}
	}
	return nil
}
