"""A loopback HTTP server that serves a folder as a data mirror, with faults on demand.

``rl data download`` is tested against this server, never the network: the files of a
local data folder are laid out at the URL paths of their sources (:func:`lay_out_mirror`)
and served on ``127.0.0.1`` (:func:`serve`), and ``RL_DATA_MIRROR`` points at it. The
server honours ``Range: bytes=N-`` (so resumption can be tested) and can cut the first
response of each file short or flip a byte in every response. Unlike ``python -m
http.server`` it answers ranges, so it also serves a real mirror on a cluster.

Example:
    >>> import pathlib, tempfile, urllib.request
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (root / "f.txt").write_bytes(b"0123456789")
    >>> with serve(root) as server:
    ...     request = urllib.request.Request(server.url + "/f.txt", headers={"Range": "bytes=4-"})
    ...     with urllib.request.urlopen(request) as response:
    ...         print(response.status, response.read())
    206 b'456789'
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:
    from rl_shared.data.registry import Dataset

__all__ = ["Server", "lay_out_mirror", "serve"]


@dataclass
class Server:
    """A running loopback server.

    Args:
        url: its base URL (``http://127.0.0.1:PORT``).
        root: the folder it serves.
        cut_after: cut the first response for each path after this many bytes.
        flip_at: flip the byte at this file offset in every response that covers it.
        ranges: answer ``Range`` requests with 206 (``False``: ignore them, send it all).
        requests: ``(path, range header or "")`` of every GET, in order.

    Example:
        >>> import pathlib, tempfile
        >>> with serve(tempfile.mkdtemp()) as server:
        ...     server.url.startswith("http://127.0.0.1:"), server.requests
        (True, [])
    """

    url: str
    root: Path
    cut_after: int | None = None
    flip_at: int | None = None
    ranges: bool = True
    requests: list[tuple[str, str]] = field(default_factory=list)
    _cut: set[str] = field(default_factory=set)


def _handler(server: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep test output clean
            pass

        def do_GET(self) -> None:
            path = unquote(urlsplit(self.path).path)
            ranged = self.headers.get("Range", "")
            server.requests.append((path, ranged))
            file = (server.root / path.lstrip("/")).resolve()
            if server.root.resolve() not in file.parents or not file.is_file():
                self.send_error(404)
                return
            data = file.read_bytes()
            start = 0
            if server.ranges and ranged.startswith("bytes=") and ranged.endswith("-"):
                start = int(ranged[6:-1])
                if start >= len(data):
                    self.send_error(416)
                    return
            body = bytearray(data[start:])
            if server.flip_at is not None and start <= server.flip_at < len(data):
                body[server.flip_at - start] ^= 0xFF
            self.send_response(206 if start else 200)
            if start:
                self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Accept-Ranges", "bytes")
            self.end_headers()
            if server.cut_after is not None and path not in server._cut:
                server._cut.add(path)
                self.wfile.write(bytes(body[: server.cut_after]))
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(bytes(body))

    return Handler


@contextmanager
def serve(
    root: str | Path,
    *,
    cut_after: int | None = None,
    flip_at: int | None = None,
    ranges: bool = True,
) -> Iterator[Server]:
    """Serve ``root`` on a free loopback port for the duration of the ``with`` block.

    Args:
        root: the folder to serve (URL path ``/a/b`` is ``root/a/b``).
        cut_after: send only this many bytes of the first response for each path, then
            close the connection (the headers promise the whole file).
        flip_at: flip the byte at this file offset in every response.
        ranges: honour ``Range`` requests (``False``: a server that ignores them).

    Yields:
        The :class:`Server`, whose ``url`` is the mirror base URL.
    """
    state = Server("", Path(root), cut_after=cut_after, flip_at=flip_at, ranges=ranges)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def lay_out_mirror(datasets: Iterable[Dataset], data_root: str | Path, dest: str | Path) -> int:
    """Copy each dataset's files from ``data_root`` to ``dest`` at their source URL paths.

    Args:
        datasets: datasets whose sources list plain files (archives are skipped).
        data_root: a data folder laid out as ``RL_DATA_DIR`` (e.g. ``../shared/data``).
        dest: the folder to serve with :func:`serve`.

    Returns:
        The number of files copied.

    Example:
        >>> import pathlib, tempfile
        >>> from rl_shared.data import Dataset, RemoteFile, Source
        >>> data, dest = pathlib.Path(tempfile.mkdtemp()), pathlib.Path(tempfile.mkdtemp())
        >>> (data / "toy").mkdir(); _ = (data / "toy" / "a.csv").write_text("x")
        >>> toy = Dataset("toy", "toy", ("a.csv",), "", source=Source(
        ...     files=(RemoteFile("https://host/o/r/a.csv", "a.csv", None),)))
        >>> lay_out_mirror([toy], data, dest), (dest / "o/r/a.csv").read_text()
        (1, 'x')
    """
    count = 0
    for dataset in datasets:
        if dataset.source is None:
            continue
        for file in dataset.source.files:
            src = Path(data_root) / dataset.path / file.target
            out = Path(dest) / urlsplit(file.url).path.lstrip("/")
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, out)
            count += 1
    return count
