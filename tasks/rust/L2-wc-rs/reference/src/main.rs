//! wc-rs: count lines, words, characters and bytes (a small `wc` clone).

use std::env;
use std::ffi::OsString;
use std::fs;
use std::io::{self, BufWriter, ErrorKind, Read, Write};
use std::process::ExitCode;

#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    lines: u64,
    words: u64,
    chars: u64,
    bytes: u64,
}

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.lines += other.lines;
        self.words += other.words;
        self.chars += other.chars;
        self.bytes += other.bytes;
    }
}

/// Which columns to print. Printed always in the order lines, words, chars, bytes.
#[derive(Debug, Default, Clone, Copy)]
struct Select {
    lines: bool,
    words: bool,
    chars: bool,
    bytes: bool,
}

impl Select {
    fn values(&self, c: &Counts) -> Vec<u64> {
        let mut v = Vec::with_capacity(4);
        if self.lines {
            v.push(c.lines);
        }
        if self.words {
            v.push(c.words);
        }
        if self.chars {
            v.push(c.chars);
        }
        if self.bytes {
            v.push(c.bytes);
        }
        v
    }
}

fn count(data: &[u8]) -> Counts {
    let mut c = Counts {
        lines: data.iter().filter(|&&b| b == b'\n').count() as u64,
        bytes: data.len() as u64,
        ..Counts::default()
    };
    let mut in_word = false;
    let mut rest = data;
    loop {
        // Split `rest` into a valid UTF-8 prefix and the invalid bytes that follow it.
        let (valid, invalid_len) = match std::str::from_utf8(rest) {
            Ok(s) => (s, 0),
            Err(e) => {
                let n = e.valid_up_to();
                let valid = std::str::from_utf8(&rest[..n]).expect("prefix is valid UTF-8");
                (valid, e.error_len().unwrap_or(rest.len() - n))
            }
        };
        for ch in valid.chars() {
            c.chars += 1;
            if ch.is_whitespace() {
                in_word = false;
            } else if !in_word {
                in_word = true;
                c.words += 1;
            }
        }
        if invalid_len == 0 {
            break;
        }
        // Every invalid byte is one character, and not whitespace.
        c.chars += invalid_len as u64;
        if !in_word {
            in_word = true;
            c.words += 1;
        }
        rest = &rest[valid.len() + invalid_len..];
    }
    c
}

fn read_stdin() -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    io::stdin().lock().read_to_end(&mut buf)?;
    Ok(buf)
}

fn error_text(e: &io::Error) -> String {
    if e.kind() == ErrorKind::NotFound {
        return "No such file or directory".to_string();
    }
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

fn main() -> ExitCode {
    let mut select = Select::default();
    let mut operands: Vec<OsString> = Vec::new();
    for arg in env::args_os().skip(1) {
        let text = arg.to_string_lossy().into_owned();
        if text.len() > 1 && text.starts_with('-') {
            for ch in text.chars().skip(1) {
                match ch {
                    'l' => select.lines = true,
                    'w' => select.words = true,
                    'm' => select.chars = true,
                    'c' => select.bytes = true,
                    other => {
                        eprintln!("wc-rs: invalid option -- '{other}'");
                        return ExitCode::from(2);
                    }
                }
            }
        } else {
            operands.push(arg);
        }
    }
    if !(select.lines || select.words || select.chars || select.bytes) {
        select = Select { lines: true, words: true, chars: false, bytes: true };
    }

    let mut failed = false;
    let mut rows: Vec<(Counts, Option<String>)> = Vec::new();
    if operands.is_empty() {
        match read_stdin() {
            Ok(data) => rows.push((count(&data), None)),
            Err(e) => {
                eprintln!("wc-rs: -: {}", error_text(&e));
                failed = true;
            }
        }
    }
    let mut total = Counts::default();
    for op in &operands {
        let name = op.to_string_lossy().into_owned();
        let data = if name == "-" { read_stdin() } else { fs::read(op) };
        match data {
            Ok(data) => {
                let c = count(&data);
                total.add(&c);
                rows.push((c, Some(name)));
            }
            Err(e) => {
                eprintln!("wc-rs: {}: {}", name, error_text(&e));
                failed = true;
            }
        }
    }
    if operands.len() > 1 {
        rows.push((total, Some("total".to_string())));
    }

    let width = rows
        .iter()
        .flat_map(|(c, _)| select.values(c))
        .map(|v| v.to_string().len())
        .max()
        .unwrap_or(1);
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for (c, name) in &rows {
        let cols: Vec<String> = select.values(c).iter().map(|v| format!("{v:>width$}")).collect();
        let mut line = cols.join(" ");
        if let Some(name) = name {
            line.push(' ');
            line.push_str(name);
        }
        let _ = writeln!(out, "{line}");
    }
    let _ = out.flush();
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
