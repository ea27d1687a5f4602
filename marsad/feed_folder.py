"""`marsad feeds serve FOLDER`: a folder of feed files over HTTP, with ETags.

The compose stack's local feed source (docker-compose.yml, service `feeds`): the sample
articles reach the real connector over HTTP without internet access. Each file
``FOLDER/<name>`` is served at ``/<name>``; files are read on each request, so a file
edited or added while the server runs is served as it is now.
"""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path

import typer

from kernel.errors import ConfigError, MarsadError
from marsad.feed_http import EtagFeedServer

CONTENT_TYPES = {".xml": "application/xml", ".json": "application/feed+json", ".rss": "application/rss+xml"}
# Feeds are small; anything bigger in the folder is not a feed and is not served whole.
MAX_FILE_BYTES = 16 * 1024 * 1024


class FeedFolderServer(EtagFeedServer):
    """Serves the regular files directly in ``folder`` (no sub-folders, no dot files)."""

    def __init__(self, folder: Path, host: str = "127.0.0.1", port: int = 0) -> None:
        self.folder = folder.resolve()
        super().__init__(self.read, host, port, name="feed-folder")

    def names(self) -> list[str]:
        return sorted(p.name for p in self.folder.iterdir() if p.is_file() and not p.name.startswith("."))

    def read(self, url_path: str) -> tuple[bytes, str] | None:
        """The body and content type of ``/<name>``; None for anything that is not a file here."""
        name = url_path.removeprefix("/")
        if not name or "/" in name or name.startswith("."):
            return None
        path = self.folder / name
        try:
            if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
                return None
            return path.read_bytes(), CONTENT_TYPES.get(path.suffix, "application/octet-stream")
        except OSError:
            return None

    def start(self) -> FeedFolderServer:
        self.start_serving()
        return self


def feeds_serve(
    folder: Path = typer.Argument(..., help="Folder of feed files; FOLDER/<name> is served at /<name>."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (0.0.0.0 for every interface)."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
) -> None:
    """Serve a folder of feed files over HTTP (the compose stack's sample feeds) until stopped."""
    if not folder.is_dir():
        raise ConfigError("no such folder", path=str(folder))
    try:
        server = FeedFolderServer(folder, host, port).start()
    except OSError as exc:
        raise MarsadError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
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
