"""Datasets: the registry, their pinned public sources, and the downloader.

* :mod:`~rl_shared.data.registry`: :class:`Dataset`, :func:`list_datasets`, :func:`get_dataset`,
  and the two folders, :func:`data_dir` (read) and :func:`cache_dir` (written).
* :mod:`~rl_shared.data.sources`: :class:`Source`, :class:`RemoteFile`, :class:`Archive`,
  :func:`github` (files of a repository at a pinned commit) and ``$RL_DATA_MIRROR``.
* :mod:`~rl_shared.data.download`: :func:`download`, behind ``rl data download``.
* :mod:`~rl_shared.data.loopback`: a local HTTP server for testing a mirror.

Example:
    >>> from rl_shared.data import get_dataset
    >>> get_dataset("sick").source.licence
    'CC BY-NC-SA 3.0'
"""

from rl_shared.data.download import Placed, download
from rl_shared.data.registry import (
    Dataset,
    cache_dir,
    cache_root,
    data_dir,
    get_dataset,
    list_datasets,
)
from rl_shared.data.sources import Archive, RemoteFile, Source, github, mirrored

__all__ = [
    "Archive",
    "Dataset",
    "Placed",
    "RemoteFile",
    "Source",
    "cache_dir",
    "cache_root",
    "data_dir",
    "download",
    "get_dataset",
    "github",
    "list_datasets",
    "mirrored",
]
