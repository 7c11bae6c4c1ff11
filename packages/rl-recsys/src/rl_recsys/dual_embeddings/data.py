"""Baskets for dual embeddings: basket files, transaction tables, Groceries, train/test splits.

Two layouts are read:

* **basket lines** (the Groceries format): one basket per line, items separated by commas,
  no header (``whole milk,yogurt,coffee``);
* **transaction tables**: a CSV with a header and one row per (transaction, item), such as
  a point-of-sale export; rows sharing a transaction id form one basket, in order of first
  appearance.

Empty baskets are skipped, an item repeated within a basket is kept once (first position),
and item labels are kept exactly as written (Groceries has ``"cream cheese "`` with a
trailing space). A malformed line raises :class:`~rl_shared.errors.MalformedFile` naming the
file and the line. :func:`load_data` resolves what the command line's ``--data`` names: a
file, a folder holding one basket file, or the registered dataset ``groceries``.

References:
    Kvernadze et al., "Two Is Better Than One: Dual Embeddings for Complementary Product
    Recommendations", arXiv 2022. https://arxiv.org/abs/2211.14982

Example:
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "b.csv"
    >>> _ = path.write_text("milk,bread,milk\\n\\ncoffee\\n")
    >>> read_baskets(path)
    [['milk', 'bread'], ['coffee']]
    >>> train, test = split_baskets([["a"], ["b"], ["c"], ["d"]], test_fraction=0.25)
    >>> test
    [['d']]
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from rl_shared.errors import BadInput, MalformedFile
from rl_shared.io import iter_lines

__all__ = [
    "Basket",
    "item_counts",
    "load_baskets",
    "load_data",
    "load_groceries",
    "read_baskets",
    "read_transactions",
    "split_baskets",
]

Basket = list[str]


def _dedupe(items: Iterable[str]) -> Basket:
    return list(dict.fromkeys(items))


def read_baskets(path: str | Path, delimiter: str = ",") -> list[Basket]:
    """Read a file with one basket per line, items separated by ``delimiter``.

    Args:
        path: the file (UTF-8; LF or CRLF line endings).
        delimiter: the item separator.

    Returns:
        The baskets in file order; blank lines are skipped and repeated items kept once.

    Raises:
        BadInput: nothing exists at ``path``.
        MalformedFile: a line holds an empty item (``a,,b``) or is not UTF-8 (the line is
            named), the file is empty, or ``path`` is a folder.
    """
    path = Path(path)
    baskets: list[Basket] = []
    for number, raw in enumerate(iter_lines(path), start=1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        try:
            items = next(csv.reader([line], delimiter=delimiter))
        except csv.Error as err:
            raise MalformedFile(path, number, f"not a line of items ({err})") from None
        if any(not item.strip() for item in items):
            raise MalformedFile(
                path, number, f"an item is empty in {line!r}; remove the stray {delimiter!r}"
            )
        baskets.append(_dedupe(items))
    return baskets


def read_transactions(
    path: str | Path,
    transaction_col: str,
    item_col: str,
    delimiter: str = ",",
) -> list[Basket]:
    """Read a transaction table (header row, one row per transaction and item) as baskets.

    Args:
        path: the CSV file.
        transaction_col: the column holding the transaction (basket) id.
        item_col: the column holding the item name.
        delimiter: the field separator.

    Returns:
        One basket per transaction id, in order of first appearance.

    Raises:
        BadInput: nothing exists at ``path``.
        MalformedFile: a named column is missing from the header (line 1), a row has not
            as many fields as the header or an empty transaction id or item, a line is not
            UTF-8 (each names its line), the file is empty or has no row, or ``path`` is a
            folder.

    Example:
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "pos.csv"
        >>> _ = path.write_text("order,sku\\n7,tea\\n8,milk\\n7,lemon\\n")
        >>> read_transactions(path, "order", "sku")
        [['tea', 'lemon'], ['milk']]
    """
    path = Path(path)
    groups: dict[str, Basket] = {}
    reader = csv.reader(iter_lines(path), delimiter=delimiter)
    try:
        header = next(reader)
        columns = [name.strip() for name in header]
        for name in (transaction_col, item_col):
            if name not in columns:
                raise MalformedFile(
                    path, 1, f"no column {name!r} in the header; columns are {columns}"
                )
            if columns.count(name) > 1:
                raise MalformedFile(path, 1, f"the header names the column {name!r} twice")
        t_idx, i_idx = columns.index(transaction_col), columns.index(item_col)
        for row in reader:
            number = reader.line_num
            if not row or not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise MalformedFile(
                    path, number, f"the row has {len(row)} fields, the header {len(header)}"
                )
            tid, item = row[t_idx], row[i_idx]
            if not tid.strip() or not item.strip():
                raise MalformedFile(path, number, "the transaction id or the item is empty")
            groups.setdefault(tid, []).append(item)
    except csv.Error as err:
        raise MalformedFile(path, reader.line_num, f"not a row of the table ({err})") from None
    if not groups:
        raise MalformedFile(path, None, "the table has a header but no row")
    return [_dedupe(items) for items in groups.values()]


def load_baskets(
    path: str | Path,
    transaction_col: str | None = None,
    item_col: str | None = None,
    delimiter: str = ",",
) -> list[Basket]:
    """Read basket lines, or a transaction table when both column names are given.

    Args:
        path: the file.
        transaction_col: transaction-id column of a transaction table.
        item_col: item column of a transaction table.
        delimiter: the separator.

    Example:
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "b.csv"
        >>> _ = path.write_text("tea,lemon\\n")
        >>> load_baskets(path)
        [['tea', 'lemon']]
    """
    if (transaction_col is None) != (item_col is None):
        raise BadInput("give both --transaction-col and --item-col for a transaction table")
    if transaction_col is not None and item_col is not None:
        return read_transactions(path, transaction_col, item_col, delimiter)
    return read_baskets(path, delimiter)


def item_counts(baskets: Iterable[Sequence[str]]) -> Counter[str]:
    """How many baskets hold each item.

    Args:
        baskets: baskets of item names; an item listed twice in one basket counts twice.

    Example:
        >>> item_counts([["a", "b"], ["a"]]).most_common(1)
        [('a', 2)]
    """
    counts: Counter[str] = Counter()
    for basket in baskets:
        counts.update(basket)
    return counts


def split_baskets(
    baskets: Sequence[Basket],
    test_fraction: float = 0.2,
    order: str = "time",
    seed: int = 0,
) -> tuple[list[Basket], list[Basket]]:
    """Split baskets into train and test.

    Args:
        baskets: in time order (file order).
        test_fraction: share of baskets that go to test, in (0, 1).
        order: ``"time"`` keeps the last baskets for test; ``"random"`` draws them with ``seed``.
        seed: seed of the random split.

    Returns:
        ``(train, test)``.

    Example:
        >>> split_baskets([["a"], ["b"], ["c"], ["d"]], 0.5, "random", seed=0)[1]
        [['b'], ['d']]
    """
    if not 0.0 < test_fraction < 1.0:
        raise BadInput(f"test_fraction must be between 0 and 1, got {test_fraction}")
    if order not in ("time", "random"):
        raise BadInput(f"split order must be 'time' or 'random', got {order!r}")
    n_test = max(1, round(len(baskets) * test_fraction))
    if n_test >= len(baskets):
        raise BadInput(f"{len(baskets)} baskets are too few to split off {test_fraction:.0%}")
    index = np.arange(len(baskets))
    if order == "random":
        index = np.random.default_rng(seed).permutation(len(baskets))
    cut = len(baskets) - n_test
    train = [list(baskets[i]) for i in sorted(index[:cut])]
    test = [list(baskets[i]) for i in sorted(index[cut:])]
    return train, test


def load_groceries() -> list[Basket]:
    """The Groceries baskets (R arules, 9,835 baskets, 169 items) in file order.

    Read from ``$RL_DATA_DIR/baskets/groceries.csv`` (the registered dataset ``groceries``).

    Raises:
        DatasetNotFound: the file is absent; the message says where to put it.

    Example:
        >>> from rl_recsys.datasets import GROCERIES
        >>> baskets = load_groceries() if GROCERIES.is_present() else [["whole milk"]]
        >>> isinstance(baskets[0], list)
        True
    """
    from rl_recsys.datasets import GROCERIES

    return read_baskets(GROCERIES.locate() / "groceries.csv")


_REGISTERED = {"groceries": load_groceries}
_SUFFIXES = (".csv", ".tsv", ".txt", ".basket", ".baskets")


def load_data(
    data: str | Path,
    transaction_col: str | None = None,
    item_col: str | None = None,
    delimiter: str = ",",
) -> list[Basket]:
    """The baskets that ``--data`` names: a file, a folder with one basket file, or a dataset.

    Args:
        data: a basket file or transaction table; a folder holding exactly one ``.csv`` /
            ``.tsv`` / ``.txt`` file (or a ``groceries.csv``); or the registered name
            ``groceries`` (which has no splits: split with :func:`split_baskets`).
        transaction_col: transaction-id column, when the file is a transaction table.
        item_col: item column, when the file is a transaction table.
        delimiter: the separator.

    Raises:
        BadInput: nothing is found under that name, or the file holds no basket.

    Example:
        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "orders.csv").write_text("tea,lemon\\nmilk\\n")
        >>> load_data(folder)
        [['tea', 'lemon'], ['milk']]
    """
    path = Path(data)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix in _SUFFIXES)
        preferred = path / "groceries.csv"
        if preferred.is_file():
            files = [preferred]
        if len(files) != 1:
            found = ", ".join(p.name for p in files) or "none"
            raise BadInput(
                f"--data {path} is a folder with {len(files)} basket files ({found}); "
                "name the file itself"
            )
        path = files[0]
    elif not path.exists():
        name, _, split = str(data).partition(":")
        if name in _REGISTERED:
            if transaction_col is not None or item_col is not None:
                raise BadInput(
                    f"the dataset {name!r} is basket lines, not a transaction table; drop "
                    "--transaction-col and --item-col"
                )
            if split and split != "all":
                raise BadInput(
                    f"the dataset {name!r} has no split {split!r}; pass --data {name} and "
                    "let --test-fraction split it"
                )
            baskets = _REGISTERED[name]()
            return baskets
        raise BadInput(
            f"--data {data}: no such file or folder, and not a registered dataset "
            f"(known: {', '.join(sorted(_REGISTERED))})"
        )
    baskets = load_baskets(path, transaction_col, item_col, delimiter)
    if not baskets:
        raise BadInput(f"{path} holds no baskets; give a file with at least one item per line")
    return baskets
