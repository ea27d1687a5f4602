"""`marsad feeds serve FOLDER`: a folder of feed files over HTTP, with ETags.

The compose stack's local feed source (docker-compose.yml, service `feeds`): the sample
articles reach the real connector over HTTP without internet access. Each file
``FOLDER/<name>`` is served at ``/<name>``; files are read on each request, so a file
edited or added while the server runs is served as it is now.
"""

from __future__ import annotations

import hashlib
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import typer

from kernel.errors import ConfigError

CONTENT_TYPES = {".xml": "application/xml", ".json": "application/feed+json", ".rss": "application/rss+xml"}
# Feeds are small; anything bigger in the folder is not a feed and is not served whole.
MAX_FILE_BYTES = 16 * 1024 * 1024


class FeedFolderServer:
    """Serves the regular files directly in ``folder`` (no sub-folders, no dot files)."""

    def __init__(self, folder: Path, host: str = "127.0.0.1", port: int = 0) -> None:
        self.folder = folder.resolve()
        self.requests = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server API)
                server.requests += 1
                body, content_type = server.read(self.path)
                if body is None:
                    self.send_error(404)
                    return
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
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="feed-folder", daemon=True)

    def names(self) -> list[str]:
        return sorted(p.name for p in self.folder.iterdir() if p.is_file() and not p.name.startswith("."))

    def read(self, url_path: str) -> tuple[bytes | None, str]:
        """The body and content type of ``/<name>``; None for anything that is not a file here."""
        name = url_path.split("?", 1)[0].removeprefix("/")
        if not name or "/" in name or name.startswith("."):
            return None, ""
        path = self.folder / name
        try:
            if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
                return None, ""
            return path.read_bytes(), CONTENT_TYPES.get(path.suffix, "application/octet-stream")
        except OSError:
            return None, ""

    def start(self) -> FeedFolderServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def feeds_serve(
    folder: Path = typer.Argument(..., help="Folder of feed files; FOLDER/<name> is served at /<name>."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (0.0.0.0 for every interface)."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
) -> None:
    """Serve a folder of feed files over HTTP (the compose stack's sample feeds) until stopped."""
    if not folder.is_dir():
        raise ConfigError("no such folder", path=str(folder))
    server = FeedFolderServer(folder, host, port).start()
    names = server.names()
    print(f"serving {len(names)} feed files of {server.folder} on http://{host}:{server.port}/", file=sys.stderr)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    try:
        while not stopped.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
