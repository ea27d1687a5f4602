"""A small HTTP server for feed bodies with ETags (conditional GET), as real feed hosts
answer: the demo's generated feeds and `marsad feeds serve FOLDER` both use it."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# (body, content type) of a request path, or None for a 404
Lookup = Callable[[str], tuple[bytes, str] | None]


class EtagFeedServer:
    """Serves what ``lookup`` finds for each GET path (query string removed); answers 304
    when the client's If-None-Match is the body's ETag. ``requests`` counts GETs."""

    def __init__(self, lookup: Lookup, host: str = "127.0.0.1", port: int = 0, name: str = "feed-server") -> None:
        self.requests = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server API)
                server.requests += 1
                found = lookup(self.path.split("?", 1)[0])
                if found is None:
                    self.send_error(404)
                    return
                body, content_type = found
                etag = '"' + hashlib.sha1(body).hexdigest() + '"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", f"{content_type}; charset=utf-8")
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (http.server API)
                return

        self._httpd = ThreadingHTTPServer((host, port), Handler)
        self._httpd.daemon_threads = True
        self.host = host
        self.port: int = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, name=name, daemon=True)

    def start_serving(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
