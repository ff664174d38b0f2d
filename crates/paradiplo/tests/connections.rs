//! Connections are bounded: a client that sends nothing, or half a request
//! head, is disconnected after the header-read timeout; and no more than the
//! cap of connections are served at once.

use axum::Router;
use axum::routing::get;
use paradiplo::http_server::{ConnectionLimits, serve_with};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A server answering `/` with "ok" (and the client's address, which the
/// server loop passes on as axum's `ConnectInfo`).
async fn start(
    limits: ConnectionLimits,
) -> (std::net::SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let router =
        Router::new().route(
            "/",
            get(
                |axum::extract::ConnectInfo(peer): axum::extract::ConnectInfo<
                    std::net::SocketAddr,
                >| async move { format!("ok {}", peer.ip()) },
            ),
        );
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(serve_with(
        listener,
        router,
        async {
            let _ = stopped.await;
        },
        limits,
    ));
    (addr, stop)
}

fn limits(timeout: Duration, max_connections: usize) -> ConnectionLimits {
    ConnectionLimits {
        header_read_timeout: timeout,
        max_connections,
        shutdown_grace: Duration::from_secs(1),
    }
}

/// Reads until the server closes the connection; what it sent. The guard
/// only keeps a broken server from hanging the test run.
async fn read_until_closed(stream: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(60), stream.read_to_end(&mut out)).await;
    assert!(read.is_ok(), "the server never closed the connection");
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn an_idle_connection_is_closed() {
    let (addr, _stop) = start(limits(Duration::from_millis(300), 16)).await;
    let mut idle = TcpStream::connect(addr).await.unwrap();
    let said = read_until_closed(&mut idle).await;
    assert!(!said.contains("ok"), "{said}");
}

#[tokio::test]
async fn a_half_sent_head_is_cut_off() {
    let (addr, _stop) = start(limits(Duration::from_millis(300), 16)).await;
    let mut slow = TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .await
        .unwrap();
    let said = read_until_closed(&mut slow).await;
    assert!(!said.contains("ok"), "{said}");
}

#[tokio::test]
async fn a_complete_request_is_answered_with_the_client_address() {
    let (addr, _stop) = start(limits(Duration::from_secs(5), 16)).await;
    let mut client = TcpStream::connect(addr).await.unwrap();
    client
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let said = read_until_closed(&mut client).await;
    assert!(said.starts_with("HTTP/1.1 200"), "{said}");
    assert!(said.contains("ok 127.0.0.1"), "{said}");
}

#[tokio::test]
async fn connections_beyond_the_cap_wait_for_a_free_slot() {
    let (addr, _stop) = start(limits(Duration::from_secs(30), 1)).await;
    // The first client holds the only slot (kept alive after its request).
    let mut first = TcpStream::connect(addr).await.unwrap();
    first
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 256];
    let n = first.read(&mut buf).await.unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    let mut second = TcpStream::connect(addr).await.unwrap();
    second
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    // While the slot is taken the second client is not served. (Checked for a
    // moment: a slow machine can only make this pass, not fail.)
    let early = tokio::time::timeout(Duration::from_millis(300), second.read(&mut buf)).await;
    assert!(early.is_err(), "served beyond the cap of one connection");
    drop(first);
    let said = read_until_closed(&mut second).await;
    assert!(said.starts_with("HTTP/1.1 200"), "{said}");
}
