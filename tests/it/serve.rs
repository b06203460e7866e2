//! Issue #17: `mou serve` on 127.0.0.1 only: the index, each agreement's preview with
//! its diagnostics, server-sent events after each rebuild, a taken port refused, a
//! broken profile shown with its error and last good text, hostile values escaped.
//! The client is a plain TcpStream: what a browser sends, nothing more.

use crate::common;
use crate::incremental::project;
use crate::watch::Running;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::Duration;

/// Starts `mou serve --port 0 -f md` in `root`; returns it with its port, once the
/// first build is done.
pub(crate) fn serve(root: &Path) -> (Running, u16) {
    let mut s = Running::start(root, &["serve", "--port", "0", "-f", "md"]);
    let line = s.wait_for("serving on ");
    let port = line
        .trim_start_matches("serving on http://127.0.0.1:")
        .trim_end_matches('/')
        .parse()
        .unwrap_or_else(|_| panic!("{line}"));
    s.wait_for("watching");
    (s, port)
}

/// `GET path` with `host`: status code and body.
fn get_as(port: u16, path: &str, host: &str) -> (u16, String) {
    let mut c = TcpStream::connect(("127.0.0.1", port)).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    write!(
        c,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut text = String::new();
    c.read_to_string(&mut text).unwrap();
    let code = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("{text}"));
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    (code, body.to_string())
}

pub(crate) fn get(port: u16, path: &str) -> (u16, String) {
    get_as(port, path, &format!("127.0.0.1:{port}"))
}

/// An open `/events` stream.
struct Events(BufReader<TcpStream>);

impl Events {
    fn open(port: u16) -> Events {
        let mut c = TcpStream::connect(("127.0.0.1", port)).unwrap();
        c.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
        write!(
            c,
            "GET /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut r = BufReader::new(c);
        let mut status = String::new();
        r.read_line(&mut status).unwrap();
        assert!(status.starts_with("HTTP/1.1 200"), "{status}");
        let mut kind = false;
        loop {
            let mut line = String::new();
            r.read_line(&mut line).unwrap();
            kind |= line.eq_ignore_ascii_case("content-type: text/event-stream\r\n");
            if line == "\r\n" {
                break;
            }
        }
        assert!(kind);
        Events(r)
    }

    /// The next event's data (comments and `retry:` skipped).
    fn next(&mut self) -> u64 {
        loop {
            let mut line = String::new();
            assert!(self.0.read_line(&mut line).unwrap() > 0, "stream closed");
            if let Some(data) = line.strip_prefix("data: ") {
                return data.trim().parse().unwrap();
            }
        }
    }
}

#[test]
fn the_index_the_preview_and_a_reload_after_each_rebuild() {
    let tmp = project();
    let root = tmp.path();
    let (mut s, port) = serve(root);
    let (code, index) = get(port, "/");
    assert_eq!(code, 200);
    for id in ["tacoma-2021", "tehachapi-2017", "west-hartford-2022"] {
        assert!(
            index.contains(&format!("<a href=\"/a/{id}\">{id}</a>")),
            "{index}"
        );
    }
    assert!(index.contains("<th scope=\"col\">Status</th>"), "{index}");
    assert!(index.contains("new EventSource(\"/events\")"));

    let (code, page) = get(port, "/a/tacoma-2021");
    assert_eq!(code, 200);
    assert!(page.contains("Tacoma Public Schools"), "{page}");
    assert!(page.contains("All agreements"));
    let (code, _) = get(port, "/a/no-such-agreement");
    assert_eq!(code, 404);

    let mut events = Events::open(port);
    let first = events.next();
    let profile = root.join("profiles/tacoma-2021.toml");
    let text = std::fs::read_to_string(&profile).unwrap();
    std::fs::write(
        &profile,
        text.replace("Tacoma Public Schools", "Tacoma Unified Schools"),
    )
    .unwrap();
    assert_eq!(s.next_build(), "built 1, failed 0, up to date 0");
    let second = events.next();
    assert!(second > first, "{first} {second}");
    let (_, page) = get(port, "/a/tacoma-2021");
    assert!(page.contains("Tacoma Unified Schools"), "{page}");
    assert!(page.contains(&format!("var seen=\"{second}\"")), "{page}");
}

#[test]
fn a_broken_profile_shows_its_error_over_the_last_good_text() {
    let tmp = project();
    let root = tmp.path();
    let (mut s, port) = serve(root);
    let profile = root.join("profiles/tacoma-2021.toml");
    let text = std::fs::read_to_string(&profile).unwrap();
    std::fs::write(&profile, format!("{text}\nbroken = = 1\n")).unwrap();
    assert_eq!(s.next_build(), "built 0, failed 1, up to date 0");
    let (code, page) = get(port, "/a/tacoma-2021");
    assert_eq!(code, 200);
    assert!(page.contains("error[E0101]"), "{page}");
    assert!(page.contains("profiles/tacoma-2021.toml:"), "{page}");
    assert!(
        page.contains("failed: the last good version is shown"),
        "{page}"
    );
    assert!(page.contains("Tacoma Public Schools"), "{page}");
    let (_, index) = get(port, "/");
    assert!(index.contains("class=\"failed\""), "{index}");
}

#[test]
fn profile_values_and_messages_are_escaped() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    common::copy_dir(&common::repo().join("clauses"), &root.join("clauses"));
    std::fs::create_dir_all(root.join("profiles")).unwrap();
    let hostile = "West <script>alert(1)</script> & \\\"Hartford\\\" <img src=x onerror=alert(2)>";
    let text = common::valid().replace("West Hartford Public Schools", hostile);
    std::fs::write(root.join("profiles/agreement.toml"), text).unwrap();
    let (mut s, port) = serve(root);
    let (_, index) = get(port, "/");
    let id = index
        .split("<a href=\"/a/")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_else(|| panic!("{index}"))
        .to_string();
    let (code, page) = get(port, &format!("/a/{id}"));
    assert_eq!(code, 200);
    assert!(page.contains("&lt;script&gt;alert(1)"), "{page}");
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(!page.contains("<img"), "{page}");

    // A diagnostic quoting a hostile key.
    let text = std::fs::read_to_string(root.join("profiles/agreement.toml")).unwrap();
    std::fs::write(
        root.join("profiles/agreement.toml"),
        format!("\"<b>bold</b>\" = 1\n{text}"),
    )
    .unwrap();
    assert!(s.next_build().contains("failed 1"));
    let (_, page) = get(port, &format!("/a/{id}"));
    assert!(page.contains("&lt;b&gt;bold&lt;/b&gt;"), "{page}");
    assert!(!page.contains("<b>bold"), "{page}");
}

#[test]
fn only_127_0_0_1_and_its_own_name() {
    let tmp = project();
    let (_s, port) = serve(tmp.path());
    // Another name for the address (DNS rebinding) is refused.
    let (code, _) = get_as(port, "/", &format!("evil.example:{port}"));
    assert_eq!(code, 403);
    let (code, _) = get_as(port, "/", &format!("localhost:{port}"));
    assert_eq!(code, 200);
    // The kernel's table of listening sockets: 127.0.0.1 (0100007F) and no other.
    let tcp = std::fs::read_to_string("/proc/net/tcp").unwrap();
    let listening: Vec<&str> = tcp
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f.get(3) == Some(&"0A") && f[1].ends_with(&format!(":{port:04X}"))).then(|| f[1])
        })
        .collect();
    assert_eq!(listening, [format!("0100007F:{port:04X}")]);
    let tcp6 = std::fs::read_to_string("/proc/net/tcp6").unwrap_or_default();
    assert!(!tcp6.contains(&format!(
        ":{port:04X} 00000000000000000000000000000000:0000 0A"
    )));
}

#[test]
fn a_port_in_use_is_a_clear_error_and_nothing_is_built() {
    let tmp = project();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let o = common::mou()
        .current_dir(tmp.path())
        .args(["serve", "--port", &port])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(&format!(
            "cannot listen on 127.0.0.1:{port}: the port is in use"
        )),
        "{err}"
    );
    assert!(!tmp.path().join("out").exists());
}
