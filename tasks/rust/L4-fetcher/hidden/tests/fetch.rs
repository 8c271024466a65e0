//! fetch_all against local loopback test servers (127.0.0.1, ephemeral ports). Every call runs on
//! a helper thread with a bounded wait, so a fetcher that hangs fails the test instead of the run.

use fetcher::{fetch_all, FetchError, FetchOptions, Response};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

type Outcome = Result<Response, FetchError>;

/// Upper bound for one fetch_all call in these tests (the slowest expected call takes < 1 s).
const LIMIT: Duration = Duration::from_secs(5);
const TIMEOUT: Duration = Duration::from_millis(300);

fn opts(concurrency: usize) -> FetchOptions {
    FetchOptions { concurrency, timeout: TIMEOUT }
}

/// Runs fetch_all on a helper thread and waits at most `LIMIT` for it.
fn fetch(urls: Vec<String>, opts: FetchOptions) -> Vec<Outcome> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(fetch_all(&urls, &opts));
    });
    match rx.recv_timeout(LIMIT) {
        Ok(results) => results,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "fetch_all did not return within {LIMIT:?} (timeout was {:?}): a stalled server must produce \
             Timeout, never a hang",
            TIMEOUT
        ),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            panic!("fetch_all panicked (see the output above); it must report errors per URL instead")
        }
    }
}

fn fetch_one(url: String) -> Outcome {
    let mut results = fetch(vec![url], opts(1));
    assert_eq!(results.len(), 1, "fetch_all returns one result per URL");
    results.remove(0)
}

fn ok(status: u16, body: &[u8]) -> Outcome {
    Ok(Response { status, body: body.to_vec() })
}

/// Sets the flag when dropped, so stalled handlers let go at the end of a test even if it fails.
struct Release(Arc<AtomicBool>);
impl Drop for Release {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

fn wait_for(flag: &AtomicBool, max: Duration) {
    let start = Instant::now();
    while !flag.load(Ordering::SeqCst) && start.elapsed() < max {
        thread::sleep(Duration::from_millis(10));
    }
}

struct Server {
    port: u16,
    /// Most connections open at the same time, as seen by the server.
    max_open: Arc<AtomicUsize>,
    /// Request heads received, in arrival order.
    requests: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{}", self.port, path)
    }
}

/// Reads the request head (up to the empty line), bounded in time and size.
fn read_head(stream: &mut TcpStream) -> String {
    stream.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 64 * 1024 {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    String::from_utf8_lossy(&head).into_owned()
}

fn path_of(head: &str) -> String {
    head.split_whitespace().nth(1).unwrap_or("").to_string()
}

/// Serves every connection on its own thread: counts it as open, reads the request head, then
/// `handler(stream, path)` writes (part of) a response. The count is decremented before the
/// connection is closed, and `hold` is spent inside the counted window before the handler runs.
fn serve<F>(hold: Duration, handler: F) -> Server
where
    F: Fn(&mut TcpStream, &str) + Send + Sync + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback test server");
    let port = listener.local_addr().unwrap().port();
    let open = Arc::new(AtomicUsize::new(0));
    let max_open = Arc::new(AtomicUsize::new(0));
    let requests = Arc::new(Mutex::new(Vec::new()));
    let handler = Arc::new(handler);
    let server = Server { port, max_open: Arc::clone(&max_open), requests: Arc::clone(&requests) };
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let (open, max_open, requests, handler) =
                (Arc::clone(&open), Arc::clone(&max_open), Arc::clone(&requests), Arc::clone(&handler));
            thread::spawn(move || {
                let now = open.fetch_add(1, Ordering::SeqCst) + 1;
                max_open.fetch_max(now, Ordering::SeqCst);
                let head = read_head(&mut stream);
                requests.lock().unwrap().push(head.clone());
                thread::sleep(hold);
                open.fetch_sub(1, Ordering::SeqCst);
                handler(&mut stream, &path_of(&head));
                let _ = stream.flush();
            });
        }
    });
    server
}

/// A server that answers every request with the same raw bytes.
fn serve_raw(response: &'static [u8]) -> Server {
    serve(Duration::ZERO, move |s, _| {
        let _ = s.write_all(response);
    })
}

/// A port with nothing listening on it.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

// ---------------------------------------------------------------------------------------------
// Request and response basics

#[test]
fn fetches_a_content_length_body() {
    // Lower-case header name, padded value, and bytes after the body that are not part of it.
    let server =
        serve_raw(b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length:  11 \r\n\r\nhello world, not body");
    assert_eq!(
        fetch_one(server.url("/hello")),
        ok(200, b"hello world"),
        "Content-Length (header names are case-insensitive, values trimmed) frames the body: exactly 11 bytes"
    );
}

#[test]
fn sends_get_request_line_and_host_header() {
    let server = serve_raw(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    assert_eq!(fetch_one(server.url("/a/b?x=1&y=two")), ok(200, b"ok"));
    let head = server.requests.lock().unwrap()[0].clone();
    let mut lines = head.split("\r\n");
    assert_eq!(
        lines.next(),
        Some("GET /a/b?x=1&y=two HTTP/1.1"),
        "the request line is `GET PATH HTTP/1.1` with the path and query sent as-is (lines end in CRLF)"
    );
    let host = lines
        .take_while(|l| !l.is_empty())
        .find_map(|l| l.split_once(':').filter(|(n, _)| n.trim().eq_ignore_ascii_case("host")))
        .map(|(_, v)| v.trim().to_string());
    assert_eq!(host, Some(format!("127.0.0.1:{}", server.port)), "the request has a `Host: HOST:PORT` header");
    assert!(head.ends_with("\r\n\r\n"), "the request head ends with an empty line (CRLF CRLF)");
}

#[test]
fn path_defaults_to_slash() {
    let server = serve_raw(b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nroot");
    assert_eq!(fetch_one(format!("http://127.0.0.1:{}", server.port)), ok(200, b"root"));
    let head = server.requests.lock().unwrap()[0].clone();
    assert!(head.starts_with("GET / HTTP/1.1\r\n"), "a URL without a path requests `/`");
}

#[test]
fn reads_body_arriving_in_pieces_with_pauses() {
    let server = serve(Duration::ZERO, |s, _| {
        for piece in [&b"HTTP/1.1 200 OK\r\nConte"[..], b"nt-Length: 12\r\n", b"\r\nhello", b" ", b"world!"] {
            let _ = s.write_all(piece);
            let _ = s.flush();
            thread::sleep(Duration::from_millis(40));
        }
    });
    assert_eq!(
        fetch_one(server.url("/")),
        ok(200, b"hello world!"),
        "keep reading until the whole response has arrived, even when it comes in pieces"
    );
}

#[test]
fn decodes_chunked_body() {
    let server = serve(Duration::ZERO, |s, _| {
        let pieces: [&[u8]; 5] = [
            b"HTTP/1.1 200 OK\r\nTRANSFER-ENCODING: Chunked\r\n\r\n",
            b"4\r\nWiki\r\n",
            b"5\r\npedia\r\n",
            b"E\r\n in\r\n\r\nchunks.\r\n",
            b"0\r\n\r\n",
        ];
        for piece in pieces {
            let _ = s.write_all(piece);
            let _ = s.flush();
            thread::sleep(Duration::from_millis(20));
        }
        // Keep the connection open a little: the end of the body is the zero chunk, not the close.
        thread::sleep(Duration::from_millis(100));
    });
    assert_eq!(fetch_one(server.url("/wiki")), ok(200, b"Wikipedia in\r\n\r\nchunks."), "chunked body decoded");
}

#[test]
fn decodes_chunked_body_with_extensions_and_trailers() {
    let mut big = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1a;name=value\r\n".to_vec();
    big.extend_from_slice(b"abcdefghijklmnopqrstuvwxyz\r\n3\r\n123\r\n0\r\nX-Checksum: 42\r\n\r\n");
    let big: &'static [u8] = Box::leak(big.into_boxed_slice());
    let server = serve_raw(big);
    assert_eq!(
        fetch_one(server.url("/")),
        ok(200, b"abcdefghijklmnopqrstuvwxyz123"),
        "chunk sizes are hex, extensions after `;` are ignored, trailers after the last chunk are skipped"
    );
}

#[test]
fn reads_until_close_without_length_or_chunking() {
    let server = serve(Duration::ZERO, |s, _| {
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nfirst part, ");
        let _ = s.flush();
        thread::sleep(Duration::from_millis(50));
        let _ = s.write_all(b"second part");
    });
    assert_eq!(
        fetch_one(server.url("/")),
        ok(200, b"first part, second part"),
        "without Content-Length or chunking the body is everything until the server closes"
    );
}

#[test]
fn binary_body_is_preserved() {
    let mut raw = b"HTTP/1.1 200 OK\r\nContent-Length: 256\r\n\r\n".to_vec();
    raw.extend((0..=255u8).collect::<Vec<u8>>());
    let raw: &'static [u8] = Box::leak(raw.into_boxed_slice());
    let server = serve_raw(raw);
    let expected: Vec<u8> = (0..=255u8).collect();
    assert_eq!(fetch_one(server.url("/bin")), ok(200, &expected), "the body is returned byte for byte");
}

#[test]
fn any_2xx_status_is_success() {
    let server = serve(Duration::ZERO, |s, path| {
        let response: &[u8] = match path {
            "/created" => b"HTTP/1.1 201 Created\r\nContent-Length: 7\r\n\r\ncreated",
            "/empty" => b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n",
            _ => b"HTTP/1.0 200 \r\nContent-Length: 3\r\n\r\nold",
        };
        let _ = s.write_all(response);
    });
    let results = fetch(vec![server.url("/created"), server.url("/empty"), server.url("/old")], opts(2));
    assert_eq!(
        results,
        vec![ok(201, b"created"), ok(204, b""), ok(200, b"old")],
        "2xx statuses are successes (HTTP/1.0 status lines and empty reason phrases included)"
    );
}

#[test]
fn non_2xx_status_is_bad_status() {
    let server = serve(Duration::ZERO, |s, path| {
        let response: &[u8] = match path {
            "/missing" => b"HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found",
            "/moved" => b"HTTP/1.1 301 Moved Permanently\r\nLocation: /elsewhere\r\nContent-Length: 0\r\n\r\n",
            _ => b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\noops",
        };
        let _ = s.write_all(response);
    });
    let results = fetch(vec![server.url("/missing"), server.url("/moved"), server.url("/error")], opts(3));
    assert_eq!(
        results,
        vec![Err(FetchError::BadStatus(404)), Err(FetchError::BadStatus(301)), Err(FetchError::BadStatus(500))],
        "a status outside 200..=299 is BadStatus(code); redirects are not followed"
    );
}

// ---------------------------------------------------------------------------------------------
// Errors

#[test]
fn invalid_urls_are_rejected() {
    let port = closed_port();
    let urls: Vec<String> = vec![
        format!("https://127.0.0.1:{port}/"),
        format!("ftp://127.0.0.1:{port}/"),
        format!("127.0.0.1:{port}/no-scheme"),
        "http://".to_string(),
        "http:///path-without-host".to_string(),
        "http://127.0.0.1:abc/".to_string(),
        "http://127.0.0.1:70000/".to_string(),
        String::new(),
    ];
    let results = fetch(urls.clone(), opts(4));
    assert_eq!(results.len(), urls.len(), "fetch_all returns one result per URL");
    for (url, result) in urls.iter().zip(&results) {
        assert_eq!(result, &Err(FetchError::InvalidUrl), "{url:?} must be rejected as InvalidUrl");
    }
}

#[test]
fn refused_connection_is_reported() {
    let port = closed_port();
    assert_eq!(
        fetch_one(format!("http://127.0.0.1:{port}/")),
        Err(FetchError::ConnectionRefused),
        "nothing listening on the port gives ConnectionRefused"
    );
}

#[test]
fn malformed_responses_are_reported() {
    let server = serve(Duration::ZERO, |s, path| {
        let response: &[u8] = match path {
            "/garbage" => b"HELLO THERE\r\n\r\n",
            "/bad-code" => b"HTTP/1.1 abc OK\r\nContent-Length: 0\r\n\r\n",
            "/bad-length" => b"HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n0123456789",
            "/bad-chunk" => b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
            _ => b"",
        };
        let _ = s.write_all(response);
    });
    let paths = ["/garbage", "/bad-code", "/bad-length", "/bad-chunk"];
    let results = fetch(paths.iter().map(|p| server.url(p)).collect(), opts(4));
    for (path, result) in paths.iter().zip(&results) {
        let what = match *path {
            "/garbage" => "a status line that is not HTTP",
            "/bad-code" => "a non-numeric status code",
            "/bad-length" => "a non-numeric Content-Length",
            _ => "a chunk size that is not hex",
        };
        assert_eq!(result, &Err(FetchError::Malformed), "{what} must give Malformed");
    }
}

#[test]
fn connection_closed_early_is_malformed() {
    let server = serve(Duration::ZERO, |s, path| {
        let response: &[u8] = match path {
            "/nothing" => b"",
            "/headers" => b"HTTP/1.1 200 OK\r\nContent-Le",
            "/short-body" => b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b",
            _ => b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n5\r\nwo",
        };
        let _ = s.write_all(response);
        // returning closes the connection
    });
    let paths = ["/nothing", "/headers", "/short-body", "/short-chunks"];
    let results = fetch(paths.iter().map(|p| server.url(p)).collect(), opts(4));
    for (path, result) in paths.iter().zip(&results) {
        let what = match *path {
            "/nothing" => "a connection closed before any response",
            "/headers" => "a connection closed in the middle of the headers",
            "/short-body" => "a connection closed before Content-Length bytes arrived",
            _ => "a connection closed in the middle of a chunked body",
        };
        assert_eq!(result, &Err(FetchError::Malformed), "{what} must give Malformed");
    }
}

#[test]
fn stalled_server_times_out() {
    let release = Release(Arc::new(AtomicBool::new(false)));
    let flag = Arc::clone(&release.0);
    let server = serve(Duration::ZERO, move |s, path| {
        if path == "/mid-body" {
            let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nsome of the body");
        }
        // then send nothing more until the test is over
        wait_for(&flag, Duration::from_secs(20));
    });
    let start = Instant::now();
    let results = fetch(vec![server.url("/silent"), server.url("/mid-body")], opts(2));
    let elapsed = start.elapsed();
    assert_eq!(
        results,
        vec![Err(FetchError::Timeout), Err(FetchError::Timeout)],
        "a server that sends nothing for longer than the timeout (before the status line, or in the \
         middle of the body) gives Timeout"
    );
    assert!(elapsed < Duration::from_secs(3), "the timeout was 300 ms but fetch_all took {elapsed:?}");
    drop(release);
}

// ---------------------------------------------------------------------------------------------
// Batches: order, isolation, concurrency

#[test]
fn empty_url_list_gives_empty_result() {
    assert_eq!(fetch(Vec::new(), opts(4)), Vec::<Outcome>::new());
}

#[test]
fn results_are_in_input_order() {
    let server = serve(Duration::ZERO, |s, path| {
        let ms: u64 = path.trim_start_matches('/').parse().unwrap_or(0);
        thread::sleep(Duration::from_millis(ms));
        let body = path.as_bytes();
        let _ = write!(s, "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", body.len());
        let _ = s.write_all(body);
    });
    let paths = ["/400", "/300", "/200", "/100", "/0"];
    let slow_ok = FetchOptions { concurrency: 5, timeout: Duration::from_secs(2) };
    let results = fetch(paths.iter().map(|p| server.url(p)).collect(), slow_ok);
    let expected: Vec<Outcome> = paths.iter().map(|p| ok(200, p.as_bytes())).collect();
    assert_eq!(results, expected, "result[i] is the outcome for urls[i], whatever order requests finish in");
}

#[test]
fn errors_are_reported_per_url() {
    let server = serve(Duration::ZERO, |s, path| {
        let response: &[u8] = match path {
            "/missing" => b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n",
            _ => b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfine!",
        };
        let _ = s.write_all(response);
    });
    let refused = closed_port();
    let urls = vec![
        server.url("/a"),
        "http://127.0.0.1:notaport/".to_string(),
        server.url("/b"),
        format!("http://127.0.0.1:{refused}/"),
        server.url("/missing"),
        "https://127.0.0.1/".to_string(),
        server.url("/c"),
    ];
    let results = fetch(urls, opts(2));
    assert_eq!(
        results,
        vec![
            ok(200, b"fine!"),
            Err(FetchError::InvalidUrl),
            ok(200, b"fine!"),
            Err(FetchError::ConnectionRefused),
            Err(FetchError::BadStatus(404)),
            Err(FetchError::InvalidUrl),
            ok(200, b"fine!"),
        ],
        "each URL gets its own outcome; failures do not affect the other URLs"
    );
}

#[test]
fn a_stalled_server_does_not_block_other_urls() {
    let release = Release(Arc::new(AtomicBool::new(false)));
    let flag = Arc::clone(&release.0);
    let stalled = serve(Duration::ZERO, move |_, _| wait_for(&flag, Duration::from_secs(20)));
    let good = serve(Duration::ZERO, |s, _| {
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    });
    let urls = vec![stalled.url("/"), good.url("/1"), good.url("/2"), stalled.url("/"), good.url("/3")];
    let results = fetch(urls, opts(2));
    assert_eq!(
        results,
        vec![Err(FetchError::Timeout), ok(200, b"ok"), ok(200, b"ok"), Err(FetchError::Timeout), ok(200, b"ok")],
        "stalled requests time out on their own; the other URLs succeed"
    );
    drop(release);
}

fn ok_after_hold(s: &mut TcpStream, _path: &str) {
    let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone");
}

#[test]
fn concurrency_limit_is_never_exceeded_and_is_used() {
    let server = serve(Duration::from_millis(200), ok_after_hold);
    let urls: Vec<String> = (0..9).map(|i| server.url(&format!("/{i}"))).collect();
    let results = fetch(urls, opts(3));
    assert!(results.iter().all(|r| r == &ok(200, b"done")), "every URL succeeds: {results:?}");
    let max = server.max_open.load(Ordering::SeqCst);
    assert!(max <= 3, "concurrency 3, but the server saw {max} connections open at once");
    assert_eq!(max, 3, "concurrency 3 with 9 slow URLs: 3 requests must run at the same time (saw at most {max})");
}

#[test]
fn concurrency_zero_or_one_fetches_one_at_a_time() {
    for concurrency in [0, 1] {
        let server = serve(Duration::from_millis(60), ok_after_hold);
        let urls: Vec<String> = (0..4).map(|i| server.url(&format!("/{i}"))).collect();
        let results = fetch(urls, opts(concurrency));
        assert_eq!(results, vec![ok(200, b"done"); 4], "every URL succeeds with concurrency {concurrency}");
        let max = server.max_open.load(Ordering::SeqCst);
        assert_eq!(max, 1, "concurrency {concurrency} allows one connection at a time, the server saw {max}");
    }
}

#[test]
fn concurrency_above_url_count_fetches_all_at_once() {
    let server = serve(Duration::from_millis(200), ok_after_hold);
    let urls: Vec<String> = (0..4).map(|i| server.url(&format!("/{i}"))).collect();
    let results = fetch(urls, opts(16));
    assert_eq!(results, vec![ok(200, b"done"); 4]);
    let max = server.max_open.load(Ordering::SeqCst);
    assert_eq!(max, 4, "concurrency 16 with 4 slow URLs: all 4 must run at the same time (saw at most {max})");
}

#[test]
fn a_free_slot_is_reused_while_a_slow_request_runs() {
    // One slow URL and four fast ones, concurrency 2. The slow response is only sent once the server
    // has seen all four fast requests (or after a grace period): with the limit *used*, the second
    // slot fetches the fast URLs one after another while the slow one is in flight. Fetching in
    // batches ("start 2, wait for both, start 2 more") or pre-assigning URLs to workers leaves fast
    // URLs waiting behind the slow one although a slot is free.
    let fast_seen = Arc::new(AtomicUsize::new(0));
    let saw_all_fast = Arc::new(AtomicBool::new(false));
    let (seen, all) = (Arc::clone(&fast_seen), Arc::clone(&saw_all_fast));
    let server = serve(Duration::ZERO, move |s, path| {
        if path == "/slow" {
            let start = Instant::now();
            while seen.load(Ordering::SeqCst) < 4 && start.elapsed() < Duration::from_millis(2500) {
                thread::sleep(Duration::from_millis(5));
            }
            all.store(seen.load(Ordering::SeqCst) >= 4, Ordering::SeqCst);
            let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nslow");
        } else {
            let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nfast");
            seen.fetch_add(1, Ordering::SeqCst);
        }
    });
    let mut urls = vec![server.url("/slow")];
    urls.extend((1..=4).map(|i| server.url(&format!("/fast{i}"))));
    let results = fetch(urls, FetchOptions { concurrency: 2, timeout: Duration::from_secs(4) });
    assert_eq!(results[0], ok(200, b"slow"), "the slow URL succeeds");
    assert!(results[1..].iter().all(|r| r == &ok(200, b"fast")), "every fast URL succeeds: {results:?}");
    assert!(
        saw_all_fast.load(Ordering::SeqCst),
        "concurrency 2 with one slow URL: the 4 fast URLs must be fetched on the free slot while the slow \
         one is still in flight (a URL never waits while fewer than `concurrency` requests are in flight); \
         only {} of them arrived before the slow response",
        fast_seen.load(Ordering::SeqCst)
    );
    let max = server.max_open.load(Ordering::SeqCst);
    assert!(max <= 2, "concurrency 2, but the server saw {max} connections open at once");
}
