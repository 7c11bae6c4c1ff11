"""What a reproduction is, and how installed members register theirs.

A member registers each reproduction under the entry-point group ``rl.reproductions``;
the entry-point name is the reproduction's name (``"shared.cmim"``) and its object a
:class:`Reproduction`.

Example:
    >>> from rl_shared.reproduce import Anchor, Reproduction, Result
    >>> def run(ctx):
    ...     return Result(metrics={"acc": 0.9}, anchors=[Anchor("acc", 0.91, "Paper, Table 1")], seeds=[ctx.seed])
    >>> repro = Reproduction("toy.demo", "a demo", run)
    >>> repro.name
    'toy.demo'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

from rl_shared.data import Dataset, list_datasets
from rl_shared.errors import UnknownName
from rl_shared.plugins import load_entry_points

__all__ = [
    "SIZES",
    "Anchor",
    "Reproduction",
    "Result",
    "RunContext",
    "Size",
    "list_reproductions",
    "paper_folder",
]

T = TypeVar("T")

Size = Literal["smoke", "quick", "full"]
#: the sizes every reproduction runs at: smoke (< 20 s, CI), quick (< 3 min), full (< 30 min)
SIZES: tuple[Size, ...] = ("smoke", "quick", "full")


@dataclass(frozen=True)
class Anchor:
    """A number (or claim) from a paper or a peer that a measured metric sits beside.

    Args:
        metric: the metric key it compares with, or a short label for a claim.
        value: the paper's number; a string for a qualitative claim; ``None`` if absent.
        source: where it comes from (paper, table, arXiv id) or the peer and version.
        note: how the settings differ from ours, if they do.
    """

    metric: str
    value: float | str | None
    source: str
    note: str = ""


@dataclass
class Result:
    """What a reproduction returns.

    Args:
        metrics: what was measured, name -> number.
        anchors: the paper's or peer's numbers beside them.
        seeds: every seed used.
        summary: one sentence of the outcome, for ``REPORT.md``.
        details: Markdown written into the reproduction's ``report.md`` (tables, reasons).
        plots: file names of the PNGs written into the output folder.
    """

    metrics: dict[str, float]
    anchors: list[Anchor]
    seeds: list[int]
    summary: str = ""
    details: str = ""
    plots: list[str] = field(default_factory=list)


class RunContext:
    """What the harness hands a reproduction: where to write, how big, which seed, progress.

    Args:
        out_dir: the reproduction's own output folder (exists).
        size: ``"smoke"`` (under 20 s, run in CI), ``"quick"`` (under 3 minutes on 2 cores)
            or ``"full"`` (under 30 minutes on 2 cores). A bool is read as quick (``True``)
            or full (``False``).
        seed: base seed.
        progress: a callable ``(total, description) -> update(n)`` supplied by the harness.
        device: ``--device`` of ``rl reproduce`` (``auto``, ``cpu``, ``cuda``, ``cuda:N``, ``mps``);
            pass it to the loops (:func:`rl_shared.runtime.make_accelerator`).
        precision: ``--precision`` (``fp32``, ``bf16``, ``fp16``).

    Example:
        >>> import tempfile, pathlib
        >>> ctx = RunContext(pathlib.Path(tempfile.mkdtemp()), "smoke", 0)
        >>> ctx.pick(smoke=2, quick=50, full=500), ctx.quick
        (2, True)
    """

    def __init__(
        self,
        out_dir: Path,
        size: Size | bool,
        seed: int,
        progress: Callable[[int | None, str], Callable[[int], None]] | None = None,
        *,
        device: str = "cpu",
        precision: str = "fp32",
    ) -> None:
        if isinstance(size, bool):
            size = "quick" if size else "full"
        if size not in SIZES:
            raise ValueError(f"size must be one of {', '.join(SIZES)}, got {size!r}")
        self.out_dir, self.size, self.seed = out_dir, size, seed
        self.device, self.precision = device, precision
        self._progress = progress
        #: what each saved figure labels (:meth:`save_figure`), kept in ``result.json``
        self.figures: list[dict[str, Any]] = []

    @property
    def quick(self) -> bool:
        """``True`` for the smoke and quick sizes (prefer :attr:`size` or :meth:`pick`)."""
        return self.size != "full"

    def pick(self, *, smoke: Any, quick: Any, full: Any) -> Any:
        """The value for this run's size."""
        return {"smoke": smoke, "quick": quick, "full": full}[self.size]

    def save_figure(self, fig: Any, name: str, *, dpi: int = 120) -> Path:
        """Write ``fig`` as ``OUT/<name>`` (``.png`` added when missing), atomically; close it.

        The labels of every axes that shows data (x and y label, title, legend) are kept in
        :attr:`figures`, so a test can check that every plot says what it shows.
        """
        from rl_shared.plotting import figure_labels, save_figure

        filename = name if name.endswith(".png") else f"{name}.png"
        if "/" in filename or filename.startswith("."):
            raise ValueError(f"figure name {name!r} must be a plain file name")
        self.figures.append({"file": filename, **figure_labels(fig)})
        return save_figure(fig, self.out_dir / filename, dpi=dpi)

    def track(self, items: Iterable[T], description: str, total: int | None = None) -> Iterator[T]:
        """Iterate over ``items`` while advancing a progress bar."""
        if total is None and hasattr(items, "__len__"):
            total = len(items)  # type: ignore[arg-type]
        update = self._progress(total, description) if self._progress else (lambda n: None)
        for item in items:
            yield item
            update(1)


@dataclass(frozen=True)
class Reproduction:
    """A registered experiment.

    Args:
        name: ``<member>.<short>``, e.g. ``"shared.cmim"``.
        summary: one line of what it reproduces.
        run: ``run(ctx: RunContext) -> Result``.
        datasets: names of registered datasets it needs (see :mod:`rl_shared.data`).
        paper: the paper's title and arXiv id.
    """

    name: str
    summary: str
    run: Callable[[RunContext], Result]
    datasets: tuple[str, ...] = ()
    paper: str = ""

    @property
    def folder(self) -> str:
        """The module path of the paper folder that holds it (``rl_text.cvib``)."""
        module = getattr(self.run, "__module__", "") or ""
        return module.rsplit(".", 1)[0] if module.endswith(".reproduction") else module

    def missing_datasets(self, known: dict[str, Dataset] | None = None) -> list[str]:
        """Names of the datasets it needs that are not present (or not registered)."""
        known = list_datasets() if known is None else known
        return [d for d in self.datasets if d not in known or not known[d].is_present()]


#: reproduction paper names that are not identifiers, and the folder each lives in
FOLDER_NAMES = {"2dmse": "matryoshka2d"}


def paper_folder(name: str) -> str:
    """The module path of the paper folder a reproduction ``D.P`` or ``D.P.E`` belongs in.

    Args:
        name: the reproduction's name, ``<domain>.<paper>`` with an optional ``.<experiment>``.

    Example:
        >>> paper_folder("text.2dmse"), paper_folder("graph.l2r-gnn.molecules")
        ('rl_text.matryoshka2d', 'rl_graph.l2r_gnn')
    """
    domain, paper = name.split(".")[:2]
    return f"rl_{domain}.{FOLDER_NAMES.get(paper, paper.replace('-', '_'))}"


def list_reproductions() -> dict[str, Reproduction]:
    """Every reproduction of the installed members, by name.

    A registered object whose ``name`` differs from its entry point's is renamed to the
    entry point's name; a member that fails to import is skipped with a warning.

    Example:
        >>> found = list_reproductions()
        >>> found["shared.cmim"].datasets, list(found) == sorted(found)
        ((), True)
    """
    found: dict[str, Reproduction] = {}
    for ep, obj in load_entry_points("rl.reproductions"):
        found[ep.name] = (
            obj
            if obj.name == ep.name
            else Reproduction(ep.name, obj.summary, obj.run, obj.datasets, obj.paper)
        )
    return dict(sorted(found.items()))


def get_reproduction(name: str) -> Reproduction:
    found = list_reproductions()
    if name not in found:
        raise UnknownName("reproduction", name, list(found))
    return found[name]
