//! A concurrent HTTP/1.1 GET fetcher on `std::net`.
//!
//! `fetch_all` runs `min(concurrency, urls.len())` scoped worker threads that take URL indices
//! from a shared counter, so at most `concurrency` connections are open at once, and stores each
//! outcome in its own slot, so results come back in input order whatever the completion order.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread;
use std::time::Duration;

/// How `fetch_all` runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchOptions {
    /// The maximum number of requests in flight at the same time (`0` is treated as `1`).
    pub concurrency: usize,
    /// Limit for connecting and for each read or write on the socket.
    pub timeout: Duration,
}

/// A successful (2xx) response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub body: Vec<u8>,
}

/// Why fetching one URL failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// The URL is not of the supported form `http://HOST[:PORT][/PATH]`.
    InvalidUrl,
    /// The server refused the connection.
    ConnectionRefused,
    /// Connecting, or a read or write, took longer than `FetchOptions::timeout`.
    Timeout,
    /// The server answered with a status outside 200..=299.
    BadStatus(u16),
    /// The response is not valid HTTP/1.1, or the connection closed before it was complete.
    Malformed,
    /// Any other I/O error, by kind.
    Io(io::ErrorKind),
}

/// Fetches every URL with an HTTP/1.1 GET; `result[i]` is the outcome for `urls[i]`.
pub fn fetch_all(urls: &[String], opts: &FetchOptions) -> Vec<Result<Response, FetchError>> {
    let n = urls.len();
    let workers = opts.concurrency.max(1).min(n);
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<Result<Response, FetchError>>>> =
        (0..n).map(|_| Mutex::new(None)).collect();
    thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                let outcome = fetch_one(&urls[i], opts.timeout);
                *slots[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(outcome);
            });
        }
    });
    slots
        .into_iter()
        .map(|m| {
            m.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .expect("every index is fetched by some worker")
        })
        .collect()
}

struct Url {
    host: String,
    port: u16,
    explicit_port: bool,
    path: String,
}

fn parse_url(url: &str) -> Result<Url, FetchError> {
    let rest = url.strip_prefix("http://").ok_or(FetchError::InvalidUrl)?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let (host, port, explicit_port) = match authority.rsplit_once(':') {
        Some((h, p)) => {
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(FetchError::InvalidUrl);
            }
            let port: u16 = p.parse().map_err(|_| FetchError::InvalidUrl)?;
            if port == 0 {
                return Err(FetchError::InvalidUrl);
            }
            (h, port, true)
        }
        None => (authority, 80, false),
    };
    let bad_host = |c: char| c.is_whitespace() || c.is_control() || "@[]/?#:".contains(c);
    if host.is_empty() || host.chars().any(bad_host) || path.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(FetchError::InvalidUrl);
    }
    Ok(Url { host: host.to_string(), port, explicit_port, path: path.to_string() })
}

fn io_error(e: io::Error) -> FetchError {
    match e.kind() {
        // A read/write timeout surfaces as WouldBlock on Unix and TimedOut on Windows.
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => FetchError::Timeout,
        io::ErrorKind::ConnectionRefused => FetchError::ConnectionRefused,
        io::ErrorKind::UnexpectedEof => FetchError::Malformed,
        kind => FetchError::Io(kind),
    }
}

fn connect(url: &Url, timeout: Duration) -> Result<TcpStream, FetchError> {
    let addrs: Vec<SocketAddr> =
        (url.host.as_str(), url.port).to_socket_addrs().map_err(io_error)?.collect();
    let mut last = io::Error::new(io::ErrorKind::NotFound, "host resolved to no address");
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(stream) => return Ok(stream),
            Err(e) => last = e,
        }
    }
    Err(io_error(last))
}

fn fetch_one(url: &str, timeout: Duration) -> Result<Response, FetchError> {
    let url = parse_url(url)?;
    let mut stream = connect(&url, timeout)?;
    stream.set_read_timeout(Some(timeout)).map_err(io_error)?;
    stream.set_write_timeout(Some(timeout)).map_err(io_error)?;
    let host = if url.explicit_port { format!("{}:{}", url.host, url.port) } else { url.host.clone() };
    let request = format!(
        "GET {} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nAccept: */*\r\n\r\n",
        url.path, host
    );
    stream.write_all(request.as_bytes()).map_err(io_error)?;
    stream.flush().map_err(io_error)?;
    read_response(&mut BufReader::new(stream))
}

/// Reads one line terminated by LF (CRLF or bare LF), without the terminator.
/// EOF before the terminator is a truncated response.
fn read_line<R: BufRead>(r: &mut R) -> Result<Vec<u8>, FetchError> {
    let mut line = Vec::new();
    r.read_until(b'\n', &mut line).map_err(io_error)?;
    if line.last() != Some(&b'\n') {
        return Err(FetchError::Malformed);
    }
    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(line)
}

fn parse_status_line(line: &[u8]) -> Result<u16, FetchError> {
    let line = std::str::from_utf8(line).map_err(|_| FetchError::Malformed)?;
    let mut parts = line.splitn(3, ' ');
    let version = parts.next().unwrap_or("");
    let code = parts.next().unwrap_or("");
    if !(version == "HTTP/1.1" || version == "HTTP/1.0") {
        return Err(FetchError::Malformed);
    }
    if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(FetchError::Malformed);
    }
    let status: u16 = code.parse().map_err(|_| FetchError::Malformed)?;
    if !(100..=999).contains(&status) {
        return Err(FetchError::Malformed);
    }
    Ok(status)
}

fn read_response<R: BufRead>(r: &mut R) -> Result<Response, FetchError> {
    let status = parse_status_line(&read_line(r)?)?;
    if !(200..=299).contains(&status) {
        return Err(FetchError::BadStatus(status));
    }
    let mut content_length: Option<usize> = None;
    let mut chunked = false;
    loop {
        let line = read_line(r)?;
        if line.is_empty() {
            break;
        }
        let line = std::str::from_utf8(&line).map_err(|_| FetchError::Malformed)?;
        let (name, value) = line.split_once(':').ok_or(FetchError::Malformed)?;
        let (name, value) = (name.trim(), value.trim());
        if name.eq_ignore_ascii_case("content-length") {
            if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
                return Err(FetchError::Malformed);
            }
            content_length = Some(value.parse().map_err(|_| FetchError::Malformed)?);
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = value
                .rsplit(',')
                .next()
                .is_some_and(|last| last.trim().eq_ignore_ascii_case("chunked"));
        }
    }
    let body = if chunked {
        read_chunked(r)?
    } else if let Some(len) = content_length {
        let mut body = Vec::with_capacity(len.min(1 << 20));
        r.take(len as u64).read_to_end(&mut body).map_err(io_error)?;
        body
    } else {
        let mut body = Vec::new();
        r.read_to_end(&mut body).map_err(io_error)?;
        body
    };
    Ok(Response { status, body })
}

fn read_chunked<R: BufRead>(r: &mut R) -> Result<Vec<u8>, FetchError> {
    let mut body = Vec::new();
    loop {
        let line = read_line(r)?;
        let line = std::str::from_utf8(&line).map_err(|_| FetchError::Malformed)?;
        let size = line.split(';').next().unwrap_or("").trim();
        if size.is_empty() || !size.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(FetchError::Malformed);
        }
        let size = usize::from_str_radix(size, 16).map_err(|_| FetchError::Malformed)?;
        if size == 0 {
            // Trailer fields up to the empty line; a close right after the last chunk is accepted.
            loop {
                let mut line = Vec::new();
                let n = r.read_until(b'\n', &mut line).map_err(io_error)?;
                if n == 0 || line == b"\r\n" || line == b"\n" {
                    return Ok(body);
                }
                if line.last() != Some(&b'\n') {
                    return Err(FetchError::Malformed);
                }
            }
        }
        let start = body.len();
        r.take(size as u64).read_to_end(&mut body).map_err(io_error)?;
        if body.len() - start != size {
            return Err(FetchError::Malformed);
        }
        if !read_line(r)?.is_empty() {
            return Err(FetchError::Malformed);
        }
    }
}
