"""``rl data download``: fetch a dataset's pinned files, verify them, place them atomically.

For each dataset, every file of its :class:`~rl_shared.data.sources.Source` is streamed into a
staging folder beside the target (``.rl-partial/NAME/``), resuming an interrupted transfer
with an HTTP ``Range`` request (within one call and across calls), and checked against its
size and pinned digest (sha256, or the md5 that is all some publishers give, as BEIR does for
its zips). Only when every file of the dataset has been verified are they renamed into
place, each with :func:`os.replace`; a failed or corrupted transfer places nothing and says
so in one sentence (:class:`~rl_shared.errors.DownloadError`). Archives are verified whole,
then the listed members are streamed out of them to disk (a member may be larger than
memory: BEIR's FEVER corpus is gigabytes).

The target is the data directory when it is writable, else the cache directory (the data
directory may be read-only, as in CI); loaders look in both. ``$RL_DATA_MIRROR`` replaces
the scheme and host of every URL (:func:`~rl_shared.data.sources.mirrored`).

Example:
    >>> import hashlib, os, pathlib, tempfile
    >>> from rl_shared.data import Dataset
    >>> from rl_shared.data.loopback import serve
    >>> from rl_shared.data.sources import RemoteFile, Source
    >>> served = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (served / "a.csv").write_bytes(b"x,1\\n")
    >>> sha = hashlib.sha256(b"x,1\\n").hexdigest()
    >>> toy = Dataset("toy", "toy", ("a.csv",), "a toy set",
    ...               source=Source(files=(RemoteFile("https://example.org/a.csv", "a.csv", sha, 4),)))
    >>> os.environ["RL_DATA_DIR"] = tempfile.mkdtemp()
    >>> with serve(served) as server:
    ...     os.environ["RL_DATA_MIRROR"] = server.url
    ...     placed = download([toy], progress=False)
    >>> del os.environ["RL_DATA_MIRROR"]
    >>> placed[0].files, (placed[0].folder / "a.csv").read_bytes()
    (['a.csv'], b'x,1\\n')
"""

from __future__ import annotations

import hashlib
import http.client
import io
import os
import shutil
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

from rl_shared.data.sources import Archive, RemoteFile, mirrored
from rl_shared.errors import DownloadError

if TYPE_CHECKING:
    from rl_shared.data.registry import Dataset

__all__ = ["Placed", "download", "download_root", "fetch", "md5_of", "sha256_of"]

#: attempts per file within one call; each resumes where the last one stopped
ATTEMPTS = 3
CHUNK = 1 << 16
STAGING = ".rl-partial"


@dataclass
class Placed:
    """What :func:`download` did for one dataset.

    Args:
        name: the dataset.
        folder: where its files are now.
        files: targets placed by this call.
        present: targets that were there already, verified.

    Example:
        >>> import pathlib
        >>> Placed("toy", pathlib.Path("/data/toy"), files=["a.csv"]).files
        ['a.csv']
    """

    name: str
    folder: Path
    files: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)


def sha256_of(path: Path) -> str:
    """The hex sha256 of a file, read in chunks.

    Args:
        path: the file.

    Example:
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "f"
        >>> _ = path.write_bytes(b"abc")
        >>> sha256_of(path)[:16]
        'ba7816bf8f01cfea'
    """
    return _digests(path, ("sha256",))["sha256"]


def md5_of(path: Path) -> str:
    """The hex md5 of a file, read in chunks (for sources that publish only an md5).

    The digest is computed with ``usedforsecurity=False``: it checks integrity, and is
    allowed on FIPS-mode systems.

    Args:
        path: the file.

    Example:
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "f"
        >>> _ = path.write_bytes(b"abc")
        >>> md5_of(path)
        '900150983cd24fb0d6963f7d28e17f72'
    """
    return _digests(path, ("md5",))["md5"]


def _digests(path: Path, names: Iterable[str]) -> dict[str, str]:
    """The hex digests ``names`` (``sha256``, ``md5``) of a file, in one pass over it."""
    hashes = {
        name: hashlib.md5(usedforsecurity=False) if name == "md5" else hashlib.sha256()
        for name in names
    }
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            for digest in hashes.values():
                digest.update(chunk)
    return {name: digest.hexdigest() for name, digest in hashes.items()}


def _writable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(dir=folder, prefix=".rl-probe-")
        os.close(handle)
        os.unlink(probe)
    except OSError:
        return False
    return True


def download_root() -> Path:
    """The folder downloads go to: the data directory if writable, else the cache directory.

    Raises:
        DownloadError: neither can be written.

    Example:
        >>> import os, tempfile
        >>> os.environ["RL_DATA_DIR"] = folder = tempfile.mkdtemp()
        >>> str(download_root()) == folder
        True
    """
    from rl_shared.data.registry import cache_root, data_dir

    for folder in (data_dir(), cache_root()):
        if _writable(folder):
            return folder
    raise DownloadError(
        f"cannot write to the data directory {data_dir()} nor to the cache directory "
        f"{cache_root()}; set RL_DATA_DIR or RL_CACHE_DIR to a writable folder"
    )


@contextmanager
def _bar(total: int | None, initial: int, label: str, show: bool) -> Iterator[Any]:
    from tqdm.auto import tqdm

    bar = tqdm(
        total=total,
        initial=initial,
        desc=label,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        file=sys.stderr,
        leave=False,
        disable=not show,
    )
    try:
        yield bar
    finally:
        bar.close()


def _request(url: str, offset: int) -> Any:
    headers = {"User-Agent": "rl-data"}
    if offset:
        headers["Range"] = f"bytes={offset}-"
    try:
        return urlopen(Request(url, headers=headers), timeout=60)
    except HTTPError as err:
        if err.code == 416 and offset:
            return None  # nothing after ``offset``: the part is as long as the file
        raise DownloadError(f"{url} answered HTTP {err.code} {err.reason}") from None
    except URLError as err:
        host = urlsplit(url).netloc
        reason = getattr(err.reason, "strerror", None) or err.reason
        raise DownloadError(
            f"cannot reach {host} ({reason}); check the network, or set RL_DATA_MIRROR "
            "to a mirror that serves the same paths"
        ) from None


def fetch(
    url: str,
    part: Path,
    *,
    sha256: str | None,
    size: int | None,
    label: str = "",
    progress: bool = True,
    md5: str | None = None,
) -> Path:
    """Stream ``url`` into ``part`` (resuming what is there), then verify it.

    Args:
        url: the source URL (``$RL_DATA_MIRROR`` is applied here).
        part: the staging file; bytes already in it are kept and the rest is requested
            with ``Range: bytes=N-``.
        sha256: the digest the whole file must have (``None``: not checked).
        size: the byte count it must have (``None``: not checked).
        label: the progress bar's description.
        progress: draw a byte progress bar on stderr.
        md5: the md5 the whole file must have, for sources that publish only that
            (``None``: not checked); checked as well when ``sha256`` is also given.

    Returns:
        ``part``, complete and verified.

    Raises:
        DownloadError: the server refused, the host cannot be reached, the transfer kept
            breaking off, or the bytes do not match (then ``part`` is deleted).

    Example:
        >>> import hashlib, pathlib, tempfile
        >>> from rl_shared.data.loopback import serve
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (root / "f.bin").write_bytes(b"0123456789")
        >>> part = root / "staging" / "f.bin.part"
        >>> part.parent.mkdir(); _ = part.write_bytes(b"0123")  # left by an earlier run
        >>> with serve(root) as server:
        ...     _ = fetch(server.url + "/f.bin", part, progress=False, size=10,
        ...               sha256=hashlib.sha256(b"0123456789").hexdigest())
        >>> part.read_bytes(), server.requests
        (b'0123456789', [('/f.bin', 'bytes=4-')])

        An md5-pinned file (no size known) is checked the same way:

        >>> with serve(root) as server:
        ...     _ = fetch(server.url + "/f.bin", root / "g.part", sha256=None, size=None,
        ...               md5=hashlib.md5(b"0123456789").hexdigest(), progress=False)
        >>> (root / "g.part").read_bytes()
        b'0123456789'
    """
    url = mirrored(url)
    part.parent.mkdir(parents=True, exist_ok=True)
    problem = ""
    for _ in range(ATTEMPTS):
        have = part.stat().st_size if part.exists() else 0
        if size is not None and have > size:
            part.unlink()
            have = 0
        if size is not None and have == size:
            break
        response = _request(url, have)
        if response is None:
            break
        with response:
            if have and response.status != 206:
                have = 0  # the server ignored the range: start again
            length = response.headers.get("Content-Length")
            expected = int(length) if length is not None and length.isdigit() else None
            received = 0
            with _bar(size, have, label, progress) as bar, part.open("ab" if have else "wb") as out:
                try:
                    while chunk := response.read(CHUNK):
                        out.write(chunk)
                        received += len(chunk)
                        bar.update(len(chunk))
                except (http.client.IncompleteRead, ConnectionError, TimeoutError) as err:
                    problem = type(err).__name__
                    continue
        if expected is not None and received < expected:
            problem = f"cut after {have + received} bytes"
            continue
        break
    else:
        raise DownloadError(
            f"the transfer of {url} broke off {ATTEMPTS} times ({problem}); "
            "run the command again to resume it"
        )
    got_size = part.stat().st_size
    if size is not None and got_size != size:
        part.unlink()
        raise DownloadError(f"{url} gave {got_size} bytes, expected {size}; nothing was placed")
    pinned = {name: want for name, want in (("sha256", sha256), ("md5", md5)) if want}
    got = _digests(part, pinned) if pinned else {}
    for name, want in pinned.items():
        if got[name] != want:
            part.unlink()
            raise DownloadError(
                f"{url} has {name} {got[name][:16]}…, expected {want[:16]}… (corrupted in "
                "transit, or the source changed); nothing was placed"
            )
    return part


def _ar_member(path: Path, prefix: str) -> bytes:
    """The first member of a Unix ``ar`` archive (a ``.deb``) whose name starts with ``prefix``."""
    with path.open("rb") as handle:
        if handle.read(8) != b"!<arch>\n":
            raise DownloadError(f"{path.name} is not a Debian package (no ar header)")
        while header := handle.read(60):
            if len(header) < 60:
                break
            name = header[:16].decode("ascii", "replace").strip().rstrip("/")
            length = int(header[48:58].decode("ascii").strip())
            body = handle.read(length)
            if length % 2:
                handle.read(1)
            if name.startswith(prefix):
                return body
    raise DownloadError(f"{path.name} holds no {prefix}* member")


def _extract(archive: Archive, path: Path, staging: Path) -> dict[str, Path]:
    """Stream the wanted members of a verified archive into ``staging``: target -> file."""
    if archive.kind == "zip":
        with zipfile.ZipFile(path) as zipped:
            names = [info.filename for info in zipped.infolist() if not info.is_dir()]
            return _copy_members(archive, names, zipped.open, staging)
    if archive.kind == "deb":
        tar = tarfile.open(fileobj=io.BytesIO(_ar_member(path, "data.tar")), mode="r:*")
    else:
        tar = tarfile.open(path, mode="r:*")
    with tar:
        files = {m.name.removeprefix("./"): m for m in tar.getmembers() if m.isfile()}

        def opener(name: str) -> IO[bytes]:
            handle = tar.extractfile(files[name])
            assert handle is not None  # a regular file always has a body
            return handle

        return _copy_members(archive, list(files), opener, staging)


def _copy_members(
    archive: Archive, names: list[str], opener: Callable[[str], IO[bytes]], staging: Path
) -> dict[str, Path]:
    """Match every ``(suffix, target)`` first (so a missing one copies nothing), then copy."""
    chosen = {}
    for suffix, target in archive.members:
        hits = [n for n in names if n == suffix or n.endswith("/" + suffix)]
        if len(hits) != 1:
            raise DownloadError(
                f"{archive.url} holds {len(hits)} members ending in '{suffix}', expected one"
            )
        chosen[target] = hits[0]
    out = {}
    for target, name in chosen.items():
        dest = staging / target
        dest.parent.mkdir(parents=True, exist_ok=True)
        with opener(name) as source, dest.open("wb") as sink:
            shutil.copyfileobj(source, sink, 1 << 20)
        out[target] = dest
    return out


def _present(folder: Path | None, file: RemoteFile) -> bool:
    if folder is None or not (folder / file.target).is_file():
        return False
    path = folder / file.target
    if file.size is not None and path.stat().st_size != file.size:
        return False
    return file.sha256 is None or sha256_of(path) == file.sha256


def _targets(dataset: Dataset) -> list[str]:
    source = dataset.source
    assert source is not None
    return [f.target for f in source.files] + [t for a in source.archives for _, t in a.members]


def download(
    datasets: Iterable[Dataset], *, allow_unpinned: bool = False, progress: bool = True
) -> list[Placed]:
    """Fetch, verify and place every file of each dataset that is not already there.

    Args:
        datasets: registered datasets (see :func:`~rl_shared.data.list_datasets`).
        allow_unpinned: also fetch files that have no pinned sha256 (their bytes cannot be
            checked); without it such a dataset is refused. Archives are always pinned, by
            a sha256 or by the md5 their publisher states.
        progress: draw byte progress bars on stderr.

    Returns:
        One :class:`Placed` per dataset, in order.

    Raises:
        DownloadError: a dataset has no source, needs a person to fetch it (the message names
            the page), has unpinned files without ``allow_unpinned``, or a transfer failed;
            nothing of that dataset is placed.
    """
    done = []
    for dataset in datasets:
        source = dataset.source
        if source is None:
            raise DownloadError(
                f"dataset '{dataset.name}' names no source to download from; {dataset.hint}"
            )
        if source.manual:
            raise DownloadError(
                f"dataset '{dataset.name}' cannot be downloaded by a program ({source.manual}); "
                f"get it from {source.page} and put it in {dataset.candidates()[-1]}"
            )
        if not source.pinned and not allow_unpinned:
            unpinned = ", ".join(f.target for f in source.files if f.sha256 is None)
            raise DownloadError(
                f"dataset '{dataset.name}' has files with no pinned sha256 ({unpinned}); pass "
                "--allow-unpinned to fetch them unverified"
            )
        found = dataset.find()
        if (
            found is not None
            and all(_present(found, f) for f in source.files)
            and all((found / t).is_file() for a in source.archives for _, t in a.members)
        ):
            done.append(Placed(dataset.name, found, present=_targets(dataset)))
            continue
        root = download_root()
        folder = root / dataset.path
        staging = root / STAGING / dataset.name
        placed = Placed(dataset.name, folder)
        staged: dict[str, Path] = {}
        for file in source.files:
            if _present(folder, file):
                placed.present.append(file.target)
                continue
            part = staging / "files" / (file.target + ".part")
            staged[file.target] = fetch(
                file.url,
                part,
                sha256=file.sha256,
                size=file.size,
                label=f"{dataset.name}: {file.target}",
                progress=progress,
            )
        for archive in source.archives:
            part = staging / "archives" / (Path(urlsplit(archive.url).path).name + ".part")
            fetch(
                archive.url,
                part,
                sha256=archive.sha256,
                md5=archive.md5,
                size=archive.size,
                label=f"{dataset.name}: {part.stem}",
                progress=progress,
            )
            staged.update(_extract(archive, part, staging / "members"))
        try:
            for target, path in staged.items():
                (folder / target).parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, folder / target)
                placed.files.append(target)
        except OSError as err:
            raise DownloadError(
                f"cannot place {dataset.name} in {folder} ({err.strerror or err}); "
                f"its verified files stay in {staging}"
            ) from None
        shutil.rmtree(staging, ignore_errors=True)
        done.append(placed)
    return done
