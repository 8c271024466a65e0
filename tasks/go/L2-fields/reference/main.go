package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// maxField caps an open range (`N-`): no line has more fields than it has bytes.
const maxField = int(^uint(0) >> 1)

type span struct{ lo, hi int }

// run is the whole tool: it reads stdin, writes stdout and stderr, and returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fields", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // one line of our own on a usage error, never the flag package's usage text
	list := fs.String("f", "", "fields to print")
	delim := fs.String("d", "\t", "field delimiter")
	only := fs.Bool("s", false, "suppress lines without the delimiter")
	usage := func(msg string) int {
		fmt.Fprintf(stderr, "fields: %s\n", msg)
		return 2
	}
	if err := fs.Parse(args); err != nil {
		return usage(err.Error())
	}
	if fs.NArg() > 0 {
		return usage(fmt.Sprintf("unexpected operand %q (input is read from stdin)", fs.Arg(0)))
	}
	if utf8.RuneCountInString(*delim) != 1 {
		return usage(fmt.Sprintf("the delimiter must be a single character, got %q", *delim))
	}
	if *list == "" {
		return usage("missing -f LIST (the fields to print)")
	}
	spans, err := parseList(*list)
	if err != nil {
		return usage(err.Error())
	}

	in := bufio.NewReader(stdin)
	for {
		line, err := in.ReadString('\n')
		if line != "" {
			line = strings.TrimSuffix(line, "\n")
			if out, ok := selectFields(line, *delim, spans, *only); ok {
				if _, werr := io.WriteString(stdout, out+"\n"); werr != nil {
					fmt.Fprintf(stderr, "fields: write error: %v\n", werr)
					return 1
				}
			}
		}
		if errors.Is(err, io.EOF) {
			return 0
		}
		if err != nil {
			fmt.Fprintf(stderr, "fields: read error: %v\n", err)
			return 1
		}
	}
}

// parseList reads `1,3-5,7-,-2` into 1-based inclusive spans.
func parseList(list string) ([]span, error) {
	bad := func() ([]span, error) { return nil, fmt.Errorf("invalid field list %q", list) }
	if list == "" {
		return bad()
	}
	var spans []span
	for _, part := range strings.Split(list, ",") {
		loS, hiS, isRange := strings.Cut(part, "-")
		if !isRange {
			hiS = loS
		}
		lo, hi := 1, maxField
		var err error
		if loS != "" {
			if lo, err = strconv.Atoi(loS); err != nil {
				return bad()
			}
		}
		if hiS != "" {
			if hi, err = strconv.Atoi(hiS); err != nil {
				return bad()
			}
		}
		if (loS == "" && hiS == "") || lo < 1 || hi < lo {
			return bad()
		}
		spans = append(spans, span{lo, hi})
	}
	return spans, nil
}

// selectFields returns the selected fields of line in input order, each once; ok is false when the
// line is to be suppressed.
func selectFields(line, delim string, spans []span, onlyDelimited bool) (string, bool) {
	if !strings.Contains(line, delim) {
		return line, !onlyDelimited
	}
	var kept []string
	for i, field := range strings.Split(line, delim) {
		for _, s := range spans {
			if i+1 >= s.lo && i+1 <= s.hi {
				kept = append(kept, field)
				break
			}
		}
	}
	return strings.Join(kept, delim), true
}
