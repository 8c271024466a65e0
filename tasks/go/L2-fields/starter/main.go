package main

import (
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is the whole tool: it reads stdin, writes stdout and stderr, and returns the exit status.
// See the ticket.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return 2
}
