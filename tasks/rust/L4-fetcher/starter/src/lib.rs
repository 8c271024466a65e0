//! A concurrent HTTP/1.1 GET fetcher on `std::net`. See the ticket for the full contract.

use std::io;
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
    let _ = (urls, opts);
    todo!()
}
