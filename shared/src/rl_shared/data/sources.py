"""Where a dataset's bytes come from: pinned files and archives with their digests.

A :class:`Source` lists what ``rl data download`` fetches for one dataset: plain files
(:class:`RemoteFile`) and archives (:class:`Archive`, from which some members are taken),
each with its URL, sha256 and size (an archive whose publisher gives only an md5, as BEIR
does, is pinned by that md5 instead), or it says why the data cannot be fetched without a
person (``manual=``: an account, a form) and which page to visit. :func:`github` builds the
common case, files of a public repository at a pinned commit, from a listing of
``size sha256 path`` lines. :func:`mirrored` applies ``$RL_DATA_MIRROR``, which replaces the
scheme and host of every source URL and keeps its path.

Example:
    >>> source = github("owner/repo", "0" * 40, '''
    ...     3 2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae data/a.csv
    ... ''', strip="data/")
    >>> file = source.files[0]
    >>> file.target, file.size, file.url.split("/")[-2:]
    ('a.csv', 3, ['data', 'a.csv'])
    >>> mirrored(file.url, "http://127.0.0.1:8000").startswith("http://127.0.0.1:8000/owner/repo/")
    True
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from rl_shared.errors import BadInput

__all__ = ["Archive", "RemoteFile", "Source", "github", "mirrored"]

_SHA256 = re.compile(r"[0-9a-f]{64}")
_MD5 = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class RemoteFile:
    """One file to fetch and place as ``target`` inside the dataset's folder.

    Args:
        url: where the canonical bytes are.
        target: path relative to the dataset's folder.
        sha256: the hex digest the bytes must have; ``None`` when no pinned copy exists
            (then ``rl data download`` fetches it only with ``--allow-unpinned``).
        size: the byte count, when known (for the progress bar and ``rl data list``).

    Example:
        >>> RemoteFile("https://host/a.csv", "a.csv", "0" * 64, 3).target
        'a.csv'
        >>> try:
        ...     RemoteFile("https://host/a.csv", "a.csv", "abc")
        ... except ValueError as err:
        ...     print(err)
        sha256 of https://host/a.csv must be 64 lower-case hex digits
    """

    url: str
    target: str
    sha256: str | None
    size: int | None = None

    def __post_init__(self) -> None:
        if self.sha256 is not None and not _SHA256.fullmatch(self.sha256):
            raise BadInput(f"sha256 of {self.url} must be 64 lower-case hex digits")


@dataclass(frozen=True)
class Archive:
    """An archive to fetch, verify, and take ``members`` from.

    At least one published digest pins it: ``sha256``, or ``md5`` where the publisher gives
    only that (BEIR's zips); when both are given both are checked. An md5-pinned archive
    counts as pinned (no ``--allow-unpinned`` is needed): md5 is no defence against a forger,
    but it does catch a transfer corrupted on the way or a source that changed.

    Args:
        url: where the archive is.
        sha256: its hex digest (it pins every member's bytes); ``None`` when ``md5`` is given.
        size: its byte count, when known.
        kind: ``"deb"`` (a Debian package: ``ar`` holding ``data.tar.*``), ``"zip"`` or ``"tar"``
            (any compression :mod:`tarfile` reads).
        members: ``(suffix, target)`` pairs: the archive member whose path ends in ``/suffix``
            (or equals it) is placed as ``target`` in the dataset's folder.
        md5: its published md5 hex digest, when that is what its publisher gives.

    Raises:
        BadInput: neither digest is given, a digest is not lower-case hex of its length
            (64 for sha256, 32 for md5), or ``kind`` is not one of the three.

    Example:
        >>> deb = Archive("https://deb.debian.org/w.deb", "0" * 64, None, "deb",
        ...               (("wordnet/data.noun", "data.noun"),))
        >>> deb.members[0][1], deb.digest
        ('data.noun', 'sha256')
        >>> Archive("https://host/x.zip", None, None, "zip", (), md5="0" * 32).digest
        'md5'
        >>> try:
        ...     Archive("https://host/x.zip", None, None, "zip", ())
        ... except ValueError as err:
        ...     print(err)
        archive https://host/x.zip needs a sha256 or md5; give the one its publisher states
    """

    url: str
    sha256: str | None
    size: int | None
    kind: str
    members: tuple[tuple[str, str], ...]
    md5: str | None = None

    def __post_init__(self) -> None:
        if self.sha256 is None and self.md5 is None:
            raise BadInput(
                f"archive {self.url} needs a sha256 or md5; give the one its publisher states"
            )
        if self.sha256 is not None and not _SHA256.fullmatch(self.sha256):
            raise BadInput(f"sha256 of {self.url} must be 64 lower-case hex digits")
        if self.md5 is not None and not _MD5.fullmatch(self.md5):
            raise BadInput(f"md5 of {self.url} must be 32 lower-case hex digits")
        if self.kind not in ("deb", "zip", "tar"):
            raise BadInput(f"archive kind must be deb, zip or tar, got {self.kind!r}")

    @property
    def digest(self) -> str:
        """Which digests pin it: ``"sha256"``, ``"md5"`` or ``"sha256+md5"``."""
        return "+".join(n for n, v in (("sha256", self.sha256), ("md5", self.md5)) if v)


@dataclass(frozen=True)
class Source:
    """What a dataset is fetched from, its licence and how to cite it.

    Args:
        files: plain files to fetch.
        archives: archives to fetch and take members from.
        page: the human-readable page of the source (a repository at its commit, a host).
        licence: the data licence, as its source states it (``"not stated"`` when none is).
        citation: the work to cite for the data.
        manual: when not empty, why the data cannot be fetched by a program (an account or
            a form); ``rl data download`` then prints this and ``page`` instead of fetching.

    Example:
        >>> source = Source(files=(RemoteFile("https://host/a", "a", "0" * 64, 5),
        ...                        RemoteFile("https://host/b", "b", "1" * 64, 7)))
        >>> source.size, source.pinned
        (12, True)
    """

    files: tuple[RemoteFile, ...] = ()
    archives: tuple[Archive, ...] = ()
    page: str = ""
    licence: str = "not stated"
    citation: str = ""
    manual: str = ""

    @property
    def size(self) -> int | None:
        """Bytes to fetch (``None`` when a file's size is unknown)."""
        sizes = [f.size for f in self.files] + [a.size for a in self.archives]
        return None if None in sizes else sum(s for s in sizes if s is not None)

    @property
    def pinned(self) -> bool:
        """Every byte fetched is checked against a digest (an archive is always pinned)."""
        return all(f.sha256 is not None for f in self.files)

    @property
    def digests(self) -> tuple[str, ...]:
        """The digest kinds that pin its bytes, sorted (``("md5",)`` for a BEIR zip).

        Example:
            >>> Source(archives=(Archive("https://h/x.zip", None, 1, "zip", (), md5="0" * 32),
            ...                  )).digests
            ('md5',)
        """
        kinds = {"sha256" for f in self.files if f.sha256 is not None}
        for archive in self.archives:
            kinds.update(archive.digest.split("+"))
        return tuple(sorted(kinds))


def github(
    repo: str,
    commit: str,
    listing: str,
    *,
    strip: str = "",
    licence: str = "not stated",
    citation: str = "",
) -> Source:
    """Files of a public GitHub repository at a pinned commit, as a :class:`Source`.

    Args:
        repo: ``owner/name``.
        commit: the 40-hex commit the bytes are taken from.
        listing: one file a line: ``size sha256 path`` (path in the repository), optionally
            followed by ``-> target`` (else the target is the path with ``strip`` removed);
            ``? ?`` for the size and sha256 of a file no pinned copy exists of.
            Blank lines and lines starting with ``#`` are ignored.
        strip: a prefix removed from repository paths to make targets.
        licence: the data licence.
        citation: the work to cite.

    Raises:
        BadInput: a listing line is not ``size sha256 path [-> target]``.
    """
    if not re.fullmatch(r"[0-9a-f]{40}", commit):
        raise BadInput(f"commit of {repo} must be 40 hex digits, got {commit!r}")
    files = []
    for line in listing.strip().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        spec, _, target = line.partition(" -> ")
        parts = spec.split(maxsplit=2)
        if len(parts) != 3 or not (parts[0].isdigit() or parts[:2] == ["?", "?"]):
            raise BadInput(f"listing line of {repo} is not 'size sha256 path': {line!r}")
        size = int(parts[0]) if parts[0].isdigit() else None
        sha, path = (None if parts[1] == "?" else parts[1]), parts[2]
        url = f"https://raw.githubusercontent.com/{repo}/{commit}/{path}"
        files.append(RemoteFile(url, target.strip() or path.removeprefix(strip), sha, size))
    return Source(
        files=tuple(files),
        page=f"https://github.com/{repo}/tree/{commit}",
        licence=licence,
        citation=citation,
    )


def mirrored(url: str, mirror: str | None = None) -> str:
    """``url`` with its scheme and host replaced by those of ``mirror`` (path kept).

    Args:
        url: a source URL.
        mirror: a base URL; defaults to ``$RL_DATA_MIRROR``; empty or unset leaves ``url``
            as it is. A path in the mirror is put before the URL's path.

    Raises:
        BadInput: the mirror is not an ``http://`` or ``https://`` URL.
    """
    mirror = os.environ.get("RL_DATA_MIRROR", "") if mirror is None else mirror
    if not mirror:
        return url
    base = urlsplit(mirror)
    if base.scheme not in ("http", "https") or not base.netloc:
        raise BadInput(f"RL_DATA_MIRROR must be an http(s):// base URL, got {mirror!r}")
    parts = urlsplit(url)
    path = base.path.rstrip("/") + parts.path
    return urlunsplit((base.scheme, base.netloc, path, parts.query, ""))
