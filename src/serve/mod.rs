//! `mou serve`'s HTTP side: the agreements as the last rebuild left them, on 127.0.0.1
//! only (a preview of draft agreements is nobody else's business).
//!
//! tiny_http (synchronous, no async runtime, four small dependencies) serves three
//! things: `/` the index, `/a/<id>` one agreement's preview with its diagnostics, and
//! `/events` a server-sent event stream that sends the rebuild count after each
//! rebuild, so an open page reloads itself. The watch loop writes the [`Site`]; the
//! server only reads it. Requests whose `Host` is not this address are refused, so a
//! web page cannot read the previews through a name it points at 127.0.0.1 (DNS
//! rebinding).

mod page;

use crate::diag::Diagnostic;
use crate::document::Document;
use std::collections::BTreeMap;
use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// How long an event stream stays silent before a comment line checks that the
/// reader is still there.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// What the pages show, written by the watch loop after each rebuild.
#[derive(Default)]
pub struct Site {
    state: Mutex<SiteState>,
    changed: Condvar,
}

#[derive(Default)]
pub struct SiteState {
    /// Rebuilds so far; the pages carry it and reload when the stream sends another.
    pub generation: u64,
    /// The library's errors, while it has any (nothing is built then).
    pub library: Vec<Diagnostic>,
    /// Each profile, by its path.
    pub pages: BTreeMap<PathBuf, Page>,
    /// The output folder (a failed agreement's last good Markdown is read there).
    pub out: PathBuf,
}

/// One agreement as the last rebuild left it.
#[derive(Default, Clone)]
pub struct Page {
    pub id: Option<String>,
    /// The profile's path, as printed.
    pub shown: String,
    pub status: PageStatus,
    /// Its errors (when it failed) and warnings.
    pub diagnostics: Vec<Diagnostic>,
    /// The last good Document: kept when a later rebuild fails.
    pub document: Option<Arc<Document>>,
}

#[derive(Default, Clone, Copy, PartialEq, Eq, Debug)]
pub enum PageStatus {
    #[default]
    Pending,
    Built,
    UpToDate,
    Failed,
}

impl Site {
    /// Changes the state and tells every open page.
    pub fn update(&self, change: impl FnOnce(&mut SiteState)) {
        let mut st = self.lock();
        change(&mut st);
        st.generation += 1;
        drop(st);
        self.changed.notify_all();
    }

    /// Reads the state.
    pub fn with<T>(&self, read: impl FnOnce(&SiteState) -> T) -> T {
        read(&self.lock())
    }

    fn lock(&self) -> MutexGuard<'_, SiteState> {
        // A panic while holding the lock cannot leave the state half-changed in a way
        // that matters to a preview; go on with it.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The generation once it differs from `seen`, or `None` after `wait` without one.
    fn next_generation(&self, seen: Option<u64>, wait: Duration) -> Option<u64> {
        let st = self.lock();
        let (st, _) = self
            .changed
            .wait_timeout_while(st, wait, |st| Some(st.generation) == seen)
            .unwrap_or_else(|e| e.into_inner());
        (Some(st.generation) != seen).then_some(st.generation)
    }
}

/// Listens on 127.0.0.1:`port` (0: a free port) and serves `site` from a thread of its
/// own. Returns the address, or why it cannot listen (the port is taken).
pub fn start(port: u16, site: Arc<Site>) -> Result<SocketAddr, String> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            format!(
                "cannot listen on 127.0.0.1:{port}: the port is in use (another `mou serve`?); choose another with --port, or --port 0 for any free one"
            )
        } else {
            format!("cannot listen on 127.0.0.1:{port}: {e}")
        }
    })?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    let server = tiny_http::Server::from_listener(listener, None)
        .map_err(|e| format!("cannot serve on {addr}: {e}"))?;
    std::thread::Builder::new()
        .name("mou-serve".into())
        .spawn(move || {
            for request in server.incoming_requests() {
                handle(request, &site, addr);
            }
        })
        .map_err(|e| format!("cannot start the server thread: {e}"))?;
    Ok(addr)
}

fn handle(request: tiny_http::Request, site: &Arc<Site>, addr: SocketAddr) {
    let host_ok = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .is_some_and(|h| {
            let host = h.value.as_str();
            host == addr.to_string() || host == format!("localhost:{}", addr.port())
        });
    if !host_ok {
        respond(
            request,
            403,
            "text/plain",
            "not this server's name\n".into(),
        );
        return;
    }
    if *request.method() != tiny_http::Method::Get && *request.method() != tiny_http::Method::Head {
        respond(request, 405, "text/plain", "only GET\n".into());
        return;
    }
    let path = request.url().split('?').next().unwrap_or("").to_string();
    match path.as_str() {
        "/" => {
            let body = site.with(page::index);
            respond(request, 200, "text/html; charset=utf-8", body);
        }
        "/events" => {
            let site = Arc::clone(site);
            // One thread per open page: it waits for rebuilds.
            let _ = std::thread::Builder::new()
                .name("mou-events".into())
                .spawn(move || events(request, &site));
        }
        _ => match path.strip_prefix("/a/") {
            Some(id) => {
                let found = site.with(|st| page::agreement(st, id));
                match found {
                    Some(body) => respond(request, 200, "text/html; charset=utf-8", body),
                    None => respond(
                        request,
                        404,
                        "text/html; charset=utf-8",
                        site.with(|st| page::not_found(st, id)),
                    ),
                }
            }
            None => respond(
                request,
                404,
                "text/html; charset=utf-8",
                site.with(|st| page::not_found(st, &path)),
            ),
        },
    }
}

/// The headers every page carries: nothing cached, nothing loaded from elsewhere, and
/// no script but the page's own reloader.
fn respond(request: tiny_http::Request, code: u16, kind: &str, body: String) {
    let mut response = tiny_http::Response::from_string(body).with_status_code(code);
    for (k, v) in [
        ("Content-Type", kind),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
        (
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:",
        ),
    ] {
        if let Ok(h) = tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()) {
            response.add_header(h);
        }
    }
    // A reader that went away is not our problem.
    let _ = request.respond(response);
}

/// `/events`: the generation now, then each new one, until the reader goes.
fn events(request: tiny_http::Request, site: &Site) {
    let mut w = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 1000\n\n";
    if w.write_all(head.as_bytes())
        .and_then(|()| w.flush())
        .is_err()
    {
        return;
    }
    let mut seen = None;
    loop {
        let line = match site.next_generation(seen, KEEP_ALIVE) {
            Some(g) => {
                seen = Some(g);
                format!("data: {g}\n\n")
            }
            None => ": still here\n\n".to_string(),
        };
        if w.write_all(line.as_bytes())
            .and_then(|()| w.flush())
            .is_err()
        {
            return;
        }
    }
}
