"""The dataset registry: where datasets are looked for and where the project writes.

* :func:`data_dir` is ``$RL_DATA_DIR``, else ``~/.cache/rl/data``. It is read-only for
  the project (CI mounts it without write bits).
* :func:`cache_dir` is ``$RL_CACHE_DIR``, else ``~/.cache/rl/cache``. Everything the
  project writes (embedding caches, generated corpora, computed references) goes here.

Members declare the datasets they use as :class:`Dataset` objects registered under the
entry-point group ``rl.datasets``; ``rl data list`` shows them all and
:meth:`Dataset.locate` finds one, looking in the cache directory first, then the data
directory, and raising :class:`~rl_shared.errors.DatasetNotFound` otherwise.

Example:
    >>> import os, tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> (root / "toy").mkdir(); _ = (root / "toy" / "a.csv").write_text("x")
    >>> os.environ["RL_DATA_DIR"] = str(root)
    >>> Dataset("toy", "toy", ("a.csv",), "a toy set").locate() == root / "toy"
    True
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from rl_shared.data.sources import Source
from rl_shared.errors import DatasetNotFound, UnknownName
from rl_shared.plugins import load_entry_points

__all__ = ["Dataset", "cache_dir", "cache_root", "data_dir", "get_dataset", "list_datasets"]


def data_dir() -> Path:
    """The read-only folder datasets are read from (``$RL_DATA_DIR`` or ``~/.cache/rl/data``).

    Example:
        >>> import os
        >>> old = os.environ.get("RL_DATA_DIR")
        >>> os.environ["RL_DATA_DIR"] = "/mnt/datasets"
        >>> data_dir().as_posix()
        '/mnt/datasets'
        >>> if old is None:
        ...     del os.environ["RL_DATA_DIR"]
        ... else:
        ...     os.environ["RL_DATA_DIR"] = old
    """
    env = os.environ.get("RL_DATA_DIR")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "rl" / "data"


def cache_root() -> Path:
    """The cache directory (``$RL_CACHE_DIR`` or ``~/.cache/rl/cache``), not created.

    Example:
        >>> import os
        >>> os.environ["RL_CACHE_DIR"] = "/tmp/rl-cache"
        >>> cache_root().as_posix()
        '/tmp/rl-cache'
    """
    env = os.environ.get("RL_CACHE_DIR")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "rl" / "cache"


def cache_dir(*parts: str) -> Path:
    """The writable folder for caches and generated data, created on demand.

    Args:
        *parts: optional sub-folder names appended to the cache root.

    Example:
        >>> import os, tempfile
        >>> os.environ["RL_CACHE_DIR"] = root = tempfile.mkdtemp()
        >>> folder = cache_dir("embeddings", "v1")
        >>> folder.is_dir(), folder.relative_to(root).as_posix()
        (True, 'embeddings/v1')
    """
    path = cache_root().joinpath(*parts)
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass(frozen=True)
class Dataset:
    """A dataset a member knows how to read.

    Args:
        name: short name used on the command line (``"stsb"``).
        path: folder relative to the data directory (``"sts/stsb"``).
        files: files (relative to ``path``) that must all exist; glob patterns allowed.
        description: one line of what it is.
        hint: what a user should do when it is missing.
        generated: ``True`` when the project makes it itself (then it lives in the cache).
        on_demand: fetched only when named (``rl data download NAME``), never by ``--all``:
            large benchmark collections (the BEIR sets, tens of GB together).
        used_by: the reproductions that read it.
        source: where ``rl data download`` fetches it from, with checksums, licence and
            citation (``None`` for data the project generates).
    """

    name: str
    path: str
    files: tuple[str, ...]
    description: str
    hint: str = ""
    generated: bool = False
    used_by: tuple[str, ...] = field(default=())
    source: Source | None = None
    on_demand: bool = False

    def candidates(self) -> list[Path]:
        """Folders searched, in order: the cache directory, then the data directory."""
        return [cache_root() / self.path, data_dir() / self.path]

    def _complete(self, folder: Path) -> bool:
        return folder.is_dir() and all(any(folder.glob(pattern)) for pattern in self.files)

    def find(self) -> Path | None:
        """The first complete folder, or ``None``."""
        return next((folder for folder in self.candidates() if self._complete(folder)), None)

    def is_present(self) -> bool:
        return self.find() is not None

    def locate(self) -> Path:
        """The dataset's folder; raises :class:`DatasetNotFound` naming where it looked."""
        folder = self.find()
        if folder is None:
            wanted = ", ".join(self.files)
            hint = (
                self.hint
                or f"put {wanted} there or set RL_DATA_DIR to a folder holding {self.path}/"
            )
            if self.source is not None and not self.source.manual:
                hint = f"run `rl data download {self.name}`, or {hint}"
            elif self.source is not None:
                hint = f"{hint} (get it from {self.source.page})"
            raise DatasetNotFound(self.name, data_dir() / self.path, hint)
        return folder


def list_datasets() -> dict[str, Dataset]:
    """Every dataset registered by installed members (entry-point group ``rl.datasets``).

    An entry point may name one :class:`Dataset` or a list of them.

    Returns:
        name -> dataset, sorted by name (empty when no installed member declares one).

    Example:
        >>> datasets = list_datasets()
        >>> all(isinstance(d, Dataset) and d.name == n for n, d in datasets.items())
        True
        >>> list(datasets) == sorted(datasets)
        True
    """
    found: dict[str, Dataset] = {}
    for _, obj in load_entry_points("rl.datasets"):
        for dataset in obj if isinstance(obj, list | tuple) else [obj]:
            found[dataset.name] = dataset
    return dict(sorted(found.items()))


def get_dataset(name: str) -> Dataset:
    """The registered dataset called ``name``; :class:`UnknownName` lists the valid ones.

    Args:
        name: a dataset's short name, as ``rl data list`` shows it.

    Raises:
        UnknownName: no installed member registers ``name``.

    Example:
        >>> try:
        ...     get_dataset("no-such-dataset")
        ... except KeyError as err:
        ...     print(str(err).split(";")[0])
        unknown dataset 'no-such-dataset'
        >>> all(get_dataset(name).name == name for name in list_datasets())
        True
    """
    datasets = list_datasets()
    if name not in datasets:
        raise UnknownName("dataset", name, list(datasets))
    return datasets[name]
