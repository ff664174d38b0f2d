//! Serving a router on a listener until a shutdown signal: the one place that
//! speaks HTTP connections (timeouts and connection limits belong here).

use std::future::Future;
use std::net::SocketAddr;
use tokio::net::TcpListener;

/// Serves `router` on `listener` until `shutdown` completes, then lets the
/// requests in progress finish.
pub async fn serve(
    listener: TcpListener,
    router: axum::Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
