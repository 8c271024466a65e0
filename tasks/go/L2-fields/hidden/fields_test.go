package main

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

type result struct {
	code           int
	stdout, stderr string
}

func runWith(args []string, input string) result {
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(input), &out, &errOut)
	return result{code, out.String(), errOut.String()}
}

func expectOutput(t *testing.T, args []string, input, want string) {
	t.Helper()
	r := runWith(args, input)
	if r.code != 0 || r.stdout != want || r.stderr != "" {
		t.Fatalf("fields %q on %q: exit %d, stdout %q, stderr %q; want exit 0, stdout %q, no stderr",
			args, input, r.code, r.stdout, r.stderr, want)
	}
}

func TestSelectsFieldsInInputOrder(t *testing.T) {
	expectOutput(t, []string{"-f", "2"}, "a\tb\tc\n", "b\n")
	expectOutput(t, []string{"-f", "3,1"}, "a\tb\tc\nd\te\tf\n", "a\tc\nd\tf\n")
}

func TestRanges(t *testing.T) {
	in := "1\t2\t3\t4\t5\t6\n"
	expectOutput(t, []string{"-f", "2-3,5-"}, in, "2\t3\t5\t6\n")
	expectOutput(t, []string{"-f", "-2"}, in, "1\t2\n")
	expectOutput(t, []string{"-f", "6-"}, in, "6\n")
	expectOutput(t, []string{"-f", "4-4"}, in, "4\n")
}

func TestEachFieldPrintedOnce(t *testing.T) {
	expectOutput(t, []string{"-f", "1,1-2,2"}, "a\tb\tc\n", "a\tb\n")
	expectOutput(t, []string{"-f", "2-,1-3"}, "a\tb\tc\td\n", "a\tb\tc\td\n")
}

func TestCustomDelimiter(t *testing.T) {
	expectOutput(t, []string{"-d", ",", "-f", "2,3"}, "x,y,z\n", "y,z\n")
	expectOutput(t, []string{"-f", "2", "-d", ":"}, "root:x:0\n", "x\n")
	// A delimiter is one character, not one byte: § is two bytes in UTF-8.
	expectOutput(t, []string{"-d", "§", "-f", "2"}, "a§bé§c\n", "bé\n")
}

func TestLinesWithoutDelimiter(t *testing.T) {
	expectOutput(t, []string{"-f", "2"}, "header line\na\tb\n", "header line\nb\n")
	expectOutput(t, []string{"-s", "-f", "2"}, "header line\na\tb\n\n", "b\n")
}

func TestMissingAndEmptyFields(t *testing.T) {
	expectOutput(t, []string{"-f", "4-"}, "a\tb\n", "\n")
	expectOutput(t, []string{"-f", "2"}, "a\t\tc\n", "\n")
	expectOutput(t, []string{"-d", ",", "-f", "1,3"}, ",x,\n", ",\n")
}

func TestLastLineWithoutNewline(t *testing.T) {
	expectOutput(t, []string{"-f", "1"}, "a\tb\nc\td", "a\nc\n")
}

func TestEmptyInput(t *testing.T) {
	expectOutput(t, []string{"-f", "1"}, "", "")
}

func TestVeryLongLines(t *testing.T) {
	long := strings.Repeat("x", 1<<20)
	expectOutput(t, []string{"-f", "2"}, "a\t"+long+"\tb\nc\td\n", long+"\nd\n")
}

// lineFeeder hands out one line per Read and checks, before each further line, that the output of
// the previous lines was already written: the tool sits behind `tail -f`, whose input never ends.
type lineFeeder struct {
	t     *testing.T
	lines []string
	out   *bytes.Buffer
	want  []string
	n     int
}

func (f *lineFeeder) Read(p []byte) (int, error) {
	if f.n > 0 && !strings.HasSuffix(f.out.String(), strings.Join(f.want[:f.n], "")) {
		f.t.Errorf("line %d was read before the output of line %d was written (stdout so far %q)", f.n+1, f.n, f.out.String())
	}
	if f.n == len(f.lines) {
		return 0, errorsEOF
	}
	n := copy(p, f.lines[f.n])
	f.n++
	return n, nil
}

var errorsEOF = io.EOF

func TestStreamsLineByLine(t *testing.T) {
	var out, errOut bytes.Buffer
	feeder := &lineFeeder{t: t, lines: []string{"a\t1\n", "b\t2\n", "c\t3\n"}, out: &out, want: []string{"1\n", "2\n", "3\n"}}
	if code := run([]string{"-f", "2"}, feeder, &out, &errOut); code != 0 || out.String() != "1\n2\n3\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q; want exit 0, stdout %q", code, out.String(), errOut.String(), "1\n2\n3\n")
	}
}

// untouchable fails the test if a usage error still reads the input.
type untouchable struct{ t *testing.T }

func (u untouchable) Read([]byte) (int, error) {
	u.t.Errorf("stdin was read despite a usage error")
	return 0, errorsEOF
}

func TestUsageErrors(t *testing.T) {
	cases := [][]string{
		{},
		{"-d", ","},
		{"-f", ""},
		{"-f", "0"},
		{"-f", "3-2"},
		{"-f", "a"},
		{"-f", "1,,2"},
		{"-f", "-"},
		{"-f", "1", "-d", ""},
		{"-f", "1", "-d", "ab"},
		{"-f", "1", "data.tsv"},
		{"-x", "-f", "1"},
		{"-f"},
	}
	for _, args := range cases {
		var out, errOut bytes.Buffer
		code := run(args, untouchable{t}, &out, &errOut)
		lines := strings.Split(strings.TrimSuffix(errOut.String(), "\n"), "\n")
		if code != 2 || out.Len() != 0 || len(lines) != 1 || !strings.HasPrefix(lines[0], "fields: ") || !strings.HasSuffix(errOut.String(), "\n") {
			t.Errorf("fields %q: exit %d, stdout %q, stderr %q; want exit 2, no stdout, one stderr line starting \"fields: \"",
				args, code, out.String(), errOut.String())
		}
	}
}

// failingReader yields its data, then a read error.
type failingReader struct {
	data string
	done bool
}

func (f *failingReader) Read(p []byte) (int, error) {
	if !f.done {
		f.done = true
		return copy(p, f.data), nil
	}
	return 0, errors.New("input/output error")
}

func TestReadErrorExitsOne(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run([]string{"-f", "2"}, &failingReader{data: "a\tb\nc\td\n"}, &out, &errOut)
	lines := strings.Split(strings.TrimSuffix(errOut.String(), "\n"), "\n")
	if code != 1 || out.String() != "b\nd\n" || len(lines) != 1 || !strings.HasPrefix(lines[0], "fields: ") || !strings.Contains(lines[0], "input/output error") {
		t.Fatalf("read error after two lines: exit %d, stdout %q, stderr %q; want exit 1, stdout %q, one stderr line \"fields: …input/output error\"",
			code, out.String(), errOut.String(), "b\nd\n")
	}
}
