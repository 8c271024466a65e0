//! Runs the built `wc-rs` binary on files in a fresh temporary directory.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A unique temporary directory, removed when dropped.
struct Dir(PathBuf);

impl Dir {
    fn new() -> Dir {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let path = std::env::temp_dir().join(format!("wc-rs-hidden-{}-{}", std::process::id(), n));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create temp dir");
        Dir(path)
    }
    fn file(&self, name: &str, content: &[u8]) -> &Dir {
        std::fs::write(self.0.join(name), content).expect("write test file");
        self
    }
    fn subdir(&self, name: &str) -> &Dir {
        std::fs::create_dir_all(self.0.join(name)).expect("create subdir");
        self
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `wc-rs args…` inside `dir`; `stdin` is piped in when given, otherwise stdin is empty.
fn run(dir: &Dir, args: &[&str], stdin: Option<&[u8]>) -> Out {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wc-rs"))
        .args(args)
        .current_dir(&dir.0)
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("failed to start wc-rs");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin pipe");
        let _ = pipe.write_all(input); // the program may legitimately not read it
    }
    let output = child.wait_with_output().expect("wait for wc-rs");
    let code = output.status.code().unwrap_or_else(|| {
        panic!(
            "`wc-rs {}` was killed by a signal; stderr: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    Out {
        code,
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs and expects success (exit 0, nothing on stderr); returns stdout.
fn ok(dir: &Dir, args: &[&str], stdin: Option<&[u8]>) -> String {
    let out = run(dir, args, stdin);
    assert_eq!(
        out.code,
        0,
        "`wc-rs {}` should exit with 0 when every input is read; stderr was: {:?}",
        args.join(" "),
        out.stderr
    );
    assert_eq!(out.stderr, "", "`wc-rs {}` should print nothing to stderr on success", args.join(" "));
    out.stdout
}

const TWO_LINES: &[u8] = b"hello world\nfoo bar baz\n"; // 2 lines, 5 words, 24 bytes

#[test]
fn default_prints_lines_words_bytes() {
    let d = Dir::new();
    d.file("a.txt", TWO_LINES);
    assert_eq!(
        ok(&d, &["a.txt"], None),
        " 2  5 24 a.txt\n",
        "no option: lines, words, bytes, each right-aligned to the width of the largest count, then the name"
    );
}

#[test]
fn each_single_option() {
    let d = Dir::new();
    d.file("a.txt", TWO_LINES);
    assert_eq!(ok(&d, &["-l", "a.txt"], None), "2 a.txt\n", "-l prints only the line count");
    assert_eq!(ok(&d, &["-w", "a.txt"], None), "5 a.txt\n", "-w prints only the word count");
    assert_eq!(ok(&d, &["-c", "a.txt"], None), "24 a.txt\n", "-c prints only the byte count");
    assert_eq!(ok(&d, &["-m", "a.txt"], None), "24 a.txt\n", "-m prints only the character count");
}

#[test]
fn combined_options_keep_fixed_column_order() {
    let d = Dir::new();
    d.file("u.txt", "héllo wörld\n".as_bytes()); // 1 line, 2 words, 12 chars, 14 bytes
    assert_eq!(ok(&d, &["-lw", "u.txt"], None), "1 2 u.txt\n", "-lw: lines then words");
    assert_eq!(ok(&d, &["-wl", "u.txt"], None), "1 2 u.txt\n", "-wl: still lines then words");
    assert_eq!(ok(&d, &["-cl", "u.txt"], None), " 1 14 u.txt\n", "-cl: lines then bytes");
    assert_eq!(ok(&d, &["-c", "-m", "u.txt"], None), "12 14 u.txt\n", "-c -m: characters then bytes");
    assert_eq!(
        ok(&d, &["-cmwl", "u.txt"], None),
        " 1  2 12 14 u.txt\n",
        "-cmwl: lines, words, characters, bytes"
    );
    assert_eq!(ok(&d, &["-ll", "-l", "u.txt"], None), "1 u.txt\n", "repeated options print the column once");
}

#[test]
fn options_may_follow_operands() {
    let d = Dir::new();
    d.file("a.txt", TWO_LINES).file("b.txt", b"x\n");
    assert_eq!(ok(&d, &["a.txt", "-l"], None), "2 a.txt\n", "an option after the operand applies");
    assert_eq!(
        ok(&d, &["a.txt", "-w", "b.txt"], None),
        "5 a.txt\n1 b.txt\n6 total\n",
        "an option between operands applies to all of them"
    );
}

#[test]
fn lines_are_newline_bytes() {
    let d = Dir::new();
    d.file("no-nl.txt", b"one\ntwo")
        .file("words.txt", b"no newline here")
        .file("empty.txt", b"")
        .file("blank.txt", b"\n\n\n");
    assert_eq!(
        ok(&d, &["-l", "no-nl.txt"], None),
        "1 no-nl.txt\n",
        "lines = number of \\n bytes; a last line without \\n is not counted"
    );
    assert_eq!(ok(&d, &["words.txt"], None), " 0  3 15 words.txt\n", "no newline at all means 0 lines");
    assert_eq!(ok(&d, &["empty.txt"], None), "0 0 0 empty.txt\n", "an empty file is 0 0 0");
    assert_eq!(ok(&d, &["blank.txt"], None), "3 0 3 blank.txt\n", "three empty lines: 3 lines, 0 words");
}

#[test]
fn words_are_separated_by_any_ascii_whitespace() {
    let d = Dir::new();
    d.file("ws.txt", b"  a\tb\nc  d\r\ne\x0Bf\x0Cg  \n\n\t h  ");
    assert_eq!(
        ok(&d, &["-w", "ws.txt"], None),
        "8 ws.txt\n",
        "space, \\t, \\n, \\r, \\x0B and \\x0C all separate words; runs of whitespace and leading/trailing whitespace add no words"
    );
}

#[test]
fn unicode_whitespace_separates_words() {
    let d = Dir::new();
    d.file("u.txt", "α\u{00A0}β\u{2003}γ\u{3000}δ ε\u{0085}ζ\n".as_bytes());
    assert_eq!(
        ok(&d, &["-w", "u.txt"], None),
        "6 u.txt\n",
        "U+00A0, U+2003, U+3000 and U+0085 are whitespace (char::is_whitespace), so they separate words"
    );
}

#[test]
fn characters_are_utf8_characters_not_bytes() {
    let d = Dir::new();
    d.file("u.txt", "naïve café — 日本語 🎉\n".as_bytes());
    assert_eq!(
        ok(&d, &["-m", "u.txt"], None),
        "19 u.txt\n",
        "-m counts UTF-8 characters (ï, é, —, 日, 🎉 count 1 each)"
    );
    assert_eq!(ok(&d, &["-c", "u.txt"], None), "32 u.txt\n", "-c counts bytes");
    assert_eq!(
        ok(&d, &["-lwmc", "u.txt"], None),
        " 1  5 19 32 u.txt\n",
        "-lwmc on UTF-8 text"
    );
}

#[test]
fn invalid_utf8_bytes_count_one_character_each() {
    let d = Dir::new();
    // é, a, E2 82 (truncated sequence), b, FF, \n
    d.file("bad.bin", &[0xC3, 0xA9, 0x61, 0xE2, 0x82, 0x62, 0xFF, 0x0A]);
    assert_eq!(
        ok(&d, &["-m", "bad.bin"], None),
        "7 bad.bin\n",
        "é is 1 character; each byte of the truncated sequence E2 82 and the byte FF count 1 character each"
    );
    assert_eq!(ok(&d, &["-c", "bad.bin"], None), "8 bad.bin\n", "-c counts bytes even when UTF-8 is invalid");
    // surrogate encoding (3 bytes), overlong encoding (2 bytes), lone continuation byte (1 byte)
    d.file("bad2.bin", &[0xED, 0xA0, 0x80, 0x20, 0xC0, 0xAF, 0x20, 0x80]);
    assert_eq!(
        ok(&d, &["-wm", "bad2.bin"], None),
        "3 8 bad2.bin\n",
        "invalid bytes count one character each and are not whitespace (they form words)"
    );
}

#[test]
fn several_files_print_a_total_line() {
    let d = Dir::new();
    d.file("a.txt", TWO_LINES).file("b.txt", b"x y z\n").file("c.txt", b"");
    assert_eq!(
        ok(&d, &["a.txt", "b.txt", "c.txt"], None),
        " 2  5 24 a.txt\n 1  3  6 b.txt\n 0  0  0 c.txt\n 3  8 30 total\n",
        "one line per file in operand order, then the sums named total, all aligned to one width"
    );
    assert_eq!(
        ok(&d, &["-l", "b.txt", "b.txt"], None),
        "1 b.txt\n1 b.txt\n2 total\n",
        "the same file given twice is counted twice"
    );
}

#[test]
fn width_is_set_by_the_largest_count_including_total() {
    let d = Dir::new();
    d.file("big.txt", &[b'x'; 12345]).file("s.txt", b"a\n");
    assert_eq!(
        ok(&d, &["big.txt"], None),
        "    0     1 12345 big.txt\n",
        "every column is as wide as the largest count in the whole output"
    );
    d.file("p.txt", &[b'y'; 600]).file("q.txt", &[b'z'; 500]);
    assert_eq!(
        ok(&d, &["-c", "p.txt", "q.txt"], None),
        " 600 p.txt\n 500 q.txt\n1100 total\n",
        "the total line counts when choosing the width"
    );
    assert_eq!(
        ok(&d, &["-lw", "s.txt", "s.txt"], None),
        "1 1 s.txt\n1 1 s.txt\n2 2 total\n",
        "small counts use width 1, no fixed minimum width"
    );
}

#[test]
fn stdin_is_read_without_operands() {
    let d = Dir::new();
    assert_eq!(
        ok(&d, &[], Some(b"a b\nc\n")),
        "2 3 6\n",
        "with no FILE operand stdin is counted and the line has no name and no trailing space"
    );
    assert_eq!(
        ok(&d, &["-m"], Some("añb\n".as_bytes())),
        "4\n",
        "options without operands still read stdin"
    );
}

#[test]
fn dash_operand_reads_stdin() {
    let d = Dir::new();
    d.file("a.txt", TWO_LINES);
    assert_eq!(ok(&d, &["-"], Some(b"one two\n")), "1 2 8 -\n", "the operand - reads stdin and is named -");
    assert_eq!(
        ok(&d, &["a.txt", "-"], Some(b"one two\n")),
        " 2  5 24 a.txt\n 1  2  8 -\n 3  7 32 total\n",
        "- mixed with files, with a total line"
    );
}

#[test]
fn missing_file_is_reported_and_the_rest_counted() {
    let d = Dir::new();
    d.file("a.txt", TWO_LINES).file("b.txt", b"x y z\n");
    let out = run(&d, &["a.txt", "nope.txt", "b.txt"], None);
    assert_eq!(
        out.stdout,
        " 2  5 24 a.txt\n 1  3  6 b.txt\n 3  8 30 total\n",
        "the other files are still counted and the total is printed; the missing file gets no line"
    );
    assert_eq!(out.stderr, "wc-rs: nope.txt: No such file or directory\n", "error message on stderr");
    assert_eq!(out.code, 1, "exit status 1 when an operand could not be read");
}

#[test]
fn total_is_printed_for_two_operands_even_if_one_is_missing() {
    let d = Dir::new();
    d.file("b.txt", b"x y z\n");
    let out = run(&d, &["-l", "gone", "b.txt"], None);
    assert_eq!(out.stdout, "1 b.txt\n1 total\n", "two FILE operands always give a total line");
    assert_eq!(out.stderr, "wc-rs: gone: No such file or directory\n", "error message on stderr");
    assert_eq!(out.code, 1, "exit status 1 when an operand could not be read");
    let out = run(&d, &["gone"], None);
    assert_eq!(out.stdout, "", "a single missing file prints nothing on stdout");
    assert_eq!(out.stderr, "wc-rs: gone: No such file or directory\n", "error message on stderr");
    assert_eq!(out.code, 1, "exit status 1 when the only operand is missing");
}

#[test]
fn unreadable_operand_is_reported_and_the_rest_counted() {
    let d = Dir::new();
    d.file("a.txt", TWO_LINES).subdir("sub");
    let out = run(&d, &["sub", "a.txt"], None);
    assert_eq!(out.stdout, " 2  5 24 a.txt\n 2  5 24 total\n", "a directory gets no line; the rest is counted");
    assert!(
        out.stderr.starts_with("wc-rs: sub: ") && out.stderr.ends_with('\n') && out.stderr.lines().count() == 1,
        "a directory operand is reported as `wc-rs: sub: <reason>` on one stderr line, got {:?}",
        out.stderr
    );
    assert!(!out.stderr.contains("os error"), "the error description has no ` (os error N)` suffix, got {:?}", out.stderr);
    assert_eq!(out.code, 1, "exit status 1 when an operand could not be read");
}

#[test]
fn invalid_option_is_a_usage_error() {
    let d = Dir::new();
    d.file("a.txt", TWO_LINES);
    let out = run(&d, &["-lx", "a.txt"], None);
    assert_eq!(out.stderr, "wc-rs: invalid option -- 'x'\n", "usage error message for -lx");
    assert_eq!(out.stdout, "", "nothing on stdout for a usage error");
    assert_eq!(out.code, 2, "exit status 2 for a usage error");
    let out = run(&d, &["a.txt", "--lines"], None);
    assert_eq!(out.stderr, "wc-rs: invalid option -- '-'\n", "long options are invalid; --lines reports '-'");
    assert_eq!(out.stdout, "", "nothing on stdout for a usage error, even when it comes after an operand");
    assert_eq!(out.code, 2, "exit status 2 for a usage error");
}
