//! A canned HTTP server: answers every request on one loopback port with one fixed body, and
//! keeps what each request was (method, target, headers, body) for the runner to compare.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A request the server received.
#[derive(Debug, Clone, Default)]
pub(crate) struct Received {
    /// `POST`, `GET`, …
    pub(crate) method: String,
    /// The `Content-Type` header.
    pub(crate) content_type: String,
    /// The body.
    pub(crate) body: Vec<u8>,
}

/// What a canned server answers to a request's body.
pub(crate) type Answerer = Arc<dyn Fn(&[u8]) -> String + Send + Sync>;

/// A running canned server.
pub(crate) struct Canned {
    /// `http://127.0.0.1:PORT`.
    pub(crate) base: String,
    received: Arc<Mutex<Vec<Received>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Canned {
    /// Starts a server answering `200` with `body` (as `text/xml`).
    pub(crate) async fn start(body: String) -> std::io::Result<Canned> {
        Self::start_with(Arc::new(move |_: &[u8]| body.clone())).await
    }

    /// Starts a server answering `200` with what `answer` makes of each request's body.
    pub(crate) async fn start_with(answer: Answerer) -> std::io::Result<Canned> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&received);
        let task = tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let answer = Arc::clone(&answer);
                let log = Arc::clone(&log);
                tokio::spawn(async move {
                    let body = match read_request(&mut socket).await {
                        Some(r) => {
                            let body = answer(&r.body);
                            log.lock().unwrap_or_else(|e| e.into_inner()).push(r);
                            body
                        }
                        None => String::new(),
                    };
                    let reply = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = socket.write_all(reply.as_bytes()).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        Ok(Canned {
            base,
            received,
            task,
        })
    }

    /// What it received so far.
    pub(crate) fn received(&self) -> Vec<Received> {
        self.received
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

impl Drop for Canned {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<Received> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if buf.len() > 1 << 20 {
            return None;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.lines();
    let mut first = lines.next()?.split_whitespace();
    let method = first.next()?.to_owned();
    let mut length = 0usize;
    let mut content_type = String::new();
    for line in lines {
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().ok()?;
            } else if k.eq_ignore_ascii_case("content-type") {
                content_type = v.trim().to_owned();
            }
        }
    }
    let mut body = buf[head_end..].to_vec();
    while body.len() < length {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Received {
        method,
        content_type,
        body,
    })
}

/// POSTs `body` (as `text/xml`) to `url` (`http://HOST:PORT/PATH`) and returns the response's
/// body, or why there is none. One request per connection; a chunked body is reassembled.
pub(crate) async fn post(url: &str, body: &str) -> Result<String, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("not an http URL: {url}"))?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let mut socket = tokio::net::TcpStream::connect(authority)
        .await
        .map_err(|e| format!("cannot connect to {url}: {e}"))?;
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {authority}\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    socket
        .write_all(request.as_bytes())
        .await
        .map_err(|e| format!("cannot send: {e}"))?;
    let mut raw = Vec::new();
    socket
        .read_to_end(&mut raw)
        .await
        .map_err(|e| format!("cannot read the answer: {e}"))?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, content) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| format!("not an HTTP answer: {text}"))?;
    let status = head.split_whitespace().nth(1).unwrap_or_default();
    if status != "200" {
        return Err(format!("answered HTTP {status}: {content}"));
    }
    let chunked = head.lines().any(|l| {
        l.split_once(':').is_some_and(|(k, v)| {
            k.trim().eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked")
        })
    });
    if !chunked {
        return Ok(content.to_owned());
    }
    let mut out = String::new();
    let mut rest = content;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let size = usize::from_str_radix(size.split(';').next().unwrap_or_default().trim(), 16)
            .map_err(|_| format!("a bad chunk size in {content}"))?;
        if size == 0 {
            break;
        }
        let chunk = after.get(..size).ok_or("a chunk cut short")?;
        out.push_str(chunk);
        rest = after
            .get(size..)
            .unwrap_or_default()
            .trim_start_matches("\r\n");
    }
    Ok(out)
}
