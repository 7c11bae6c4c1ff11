"""Process state in one place: seeds, the torch thread count, devices, isolation of runs.

Every member seeds through :func:`seed_everything`, changes the thread count only inside
:func:`threads`, and resolves ``--device`` through :func:`resolve_device`. The reproduce
harness runs each reproduction inside :func:`isolated`, so one that changes global state
(threads, random generators, matplotlib's rcParams) cannot leak it into the next.

Example:
    >>> import torch
    >>> from rl_shared.runtime import isolated, seed_everything, threads
    >>> before = torch.get_num_threads()
    >>> with threads(1):
    ...     torch.get_num_threads()
    1
    >>> torch.get_num_threads() == before
    True
    >>> seed_everything(0); a = torch.rand(1)
    >>> seed_everything(0); bool((torch.rand(1) == a).all())
    True
"""

from __future__ import annotations

import contextlib
import random
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from rl_shared.errors import BadInput

if TYPE_CHECKING:
    import torch

__all__ = [
    "DEVICE_PATTERN",
    "PRECISIONS",
    "autocast",
    "is_main_process",
    "isolated",
    "make_accelerator",
    "resolve_device",
    "resolve_precision",
    "seed_everything",
    "shard_bounds",
    "stable_hash",
    "threads",
]

#: what ``--device`` accepts
DEVICE_PATTERN = re.compile(r"^(auto|cpu|mps|cuda(:\d+)?)$")

#: ``--precision`` -> accelerate's ``mixed_precision``
PRECISIONS: dict[str, str] = {"fp32": "no", "bf16": "bf16", "fp16": "fp16"}


def seed_everything(seed: int) -> None:
    """Seed Python's ``random``, NumPy's global generator and torch (CPU and every GPU).

    Args:
        seed: any integer; NumPy receives it modulo 2**32.
    """
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


@contextlib.contextmanager
def threads(n: int | None) -> Iterator[None]:
    """Run the block with ``torch.set_num_threads(n)``; restore the previous count after.

    Args:
        n: threads for intra-op parallelism; ``None`` leaves the count unchanged.

    Example:
        >>> import torch
        >>> with threads(None):
        ...     pass
    """
    import torch

    before = torch.get_num_threads()
    if n is not None:
        if n < 1:
            raise BadInput(f"the thread count must be at least 1, got {n}")
        torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


@contextlib.contextmanager
def isolated(seed: int | None = None) -> Iterator[None]:
    """Run the block on its own: threads, RNG states and matplotlib state are restored after.

    Args:
        seed: when given, :func:`seed_everything` is called on entry.

    Example:
        >>> import random
        >>> state = random.getstate()
        >>> with isolated(seed=3):
        ...     _ = random.random()
        >>> random.getstate() == state
        True
    """
    import numpy as np
    import torch

    py_state = random.getstate()
    np_state = np.random.get_state()
    torch_state = torch.random.get_rng_state()
    cuda_states = torch.cuda.get_rng_state_all() if torch.cuda.is_initialized() else None
    n_threads = torch.get_num_threads()
    rc = _rc_params()
    if seed is not None:
        seed_everything(seed)
    try:
        yield
    finally:
        random.setstate(py_state)
        np.random.set_state(np_state)
        torch.random.set_rng_state(torch_state)
        if cuda_states is not None:
            torch.cuda.set_rng_state_all(cuda_states)
        torch.set_num_threads(n_threads)
        _restore_rc(rc)


def _rc_params() -> dict[str, object] | None:
    import sys

    if "matplotlib" not in sys.modules:
        return None
    import matplotlib

    return {str(k): v for k, v in matplotlib.rcParams.items()}


def _restore_rc(saved: dict[str, object] | None) -> None:
    import sys
    import warnings

    if "matplotlib" not in sys.modules:
        return
    import matplotlib

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    if saved is None:
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        params: Any = matplotlib.rcParams
        params.update({k: v for k, v in saved.items() if k != "backend"})


def resolve_device(spec: str = "auto") -> torch.device:
    """The torch device for ``--device``: ``auto``, ``cpu``, ``cuda``, ``cuda:N`` or ``mps``.

    ``auto`` is the first CUDA device when one is present, else Apple's ``mps``, else the CPU.

    Args:
        spec: the user's choice.

    Raises:
        BadInput: the spec is malformed or names a device this machine does not have.

    Example:
        >>> resolve_device("cpu")
        device(type='cpu')
    """
    import torch

    text = str(spec).strip().lower()
    if not DEVICE_PATTERN.match(text):
        raise BadInput(f"--device must be auto, cpu, cuda, cuda:N or mps, got '{spec}'")
    if text == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        mps = getattr(torch.backends, "mps", None)
        if mps is not None and mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    if text.startswith("cuda"):
        if not torch.cuda.is_available():
            raise BadInput(f"--device {spec}: no CUDA device is visible here; use --device cpu")
        index = int(text.split(":")[1]) if ":" in text else 0
        if index >= torch.cuda.device_count():
            raise BadInput(
                f"--device {spec}: only {torch.cuda.device_count()} CUDA device(s) are visible"
            )
    if text == "mps":
        mps = getattr(torch.backends, "mps", None)
        if mps is None or not mps.is_available():
            raise BadInput("--device mps: Apple's MPS backend is not available here")
    return torch.device(text)


def resolve_precision(spec: str = "fp32", device: str | torch.device = "cpu") -> str:
    """accelerate's ``mixed_precision`` for ``--precision fp32|bf16|fp16`` on ``device``.

    Args:
        spec: the user's choice.
        device: where the model runs; fp16 autocast needs CUDA (or MPS), bf16 runs anywhere.

    Raises:
        BadInput: an unknown spec, or fp16 on the CPU.

    Example:
        >>> resolve_precision("bf16", "cpu"), resolve_precision("fp32")
        ('bf16', 'no')
        >>> try:
        ...     resolve_precision("fp16", "cpu")
        ... except ValueError as err:
        ...     print(err)
        --precision fp16 needs a CUDA or MPS device; use bf16 or fp32 on the CPU
    """
    text = str(spec).strip().lower()
    if text not in PRECISIONS:
        raise BadInput(f"--precision must be fp32, bf16 or fp16, got '{spec}'")
    kind = device.type if not isinstance(device, str) else device.split(":")[0]
    if text == "fp16" and kind == "cpu":
        raise BadInput("--precision fp16 needs a CUDA or MPS device; use bf16 or fp32 on the CPU")
    return PRECISIONS[text]


def make_accelerator(
    device: str = "auto", precision: str = "fp32", *, gradient_accumulation_steps: int = 1
) -> Any:
    """An :class:`accelerate.Accelerator` for ``--device`` and ``--precision``.

    Under ``torchrun`` or ``accelerate launch`` it joins the process group the launcher set
    up (gloo on the CPU, NCCL on CUDA) and each process takes its local device; in a single
    process ``cuda:N`` selects that device. Each call starts from a fresh accelerator state,
    so one process can train several models in turn (a reproduction's baselines) with
    different settings.

    Args:
        device: ``auto``, ``cpu``, ``cuda``, ``cuda:N`` or ``mps`` (see :func:`resolve_device`).
        precision: ``fp32``, ``bf16`` or ``fp16`` (see :func:`resolve_precision`).
        gradient_accumulation_steps: micro-batches per optimizer step.

    Raises:
        BadInput: the device is not available here, or the precision does not suit it.

    References:
        Hugging Face Accelerate, https://huggingface.co/docs/accelerate

    Example:
        >>> acc = make_accelerator("cpu")
        >>> acc.device.type, acc.num_processes, acc.mixed_precision
        ('cpu', 1, 'no')
    """
    import os

    import torch
    from accelerate import Accelerator
    from accelerate.state import AcceleratorState, PartialState

    if gradient_accumulation_steps < 1:
        raise BadInput(
            f"gradient accumulation steps must be >= 1, got {gradient_accumulation_steps}"
        )
    target = resolve_device(device)
    mixed = resolve_precision(precision, target)
    distributed = int(os.environ.get("WORLD_SIZE", "1")) > 1
    AcceleratorState._reset_state(reset_partial_state=not distributed)
    if not distributed:
        PartialState._reset_state()
        if target.type == "cuda" and target.index is not None:
            torch.cuda.set_device(target.index)
    return Accelerator(
        cpu=target.type == "cpu",
        mixed_precision=mixed,
        gradient_accumulation_steps=gradient_accumulation_steps,
    )


@contextlib.contextmanager
def autocast(device: str | torch.device = "cpu", precision: str = "fp32") -> Iterator[None]:
    """Run the block under ``torch.autocast`` for ``--precision bf16|fp16`` (fp32: as it is).

    For inference paths that do not go through an accelerator (``SentenceTransformer.encode``,
    scoring): the same ``--precision`` the training loops honour.

    Args:
        device: the device the block computes on.
        precision: ``fp32``, ``bf16`` or ``fp16``.

    Raises:
        BadInput: as :func:`resolve_precision`.

    Example:
        >>> import torch
        >>> with autocast("cpu", "bf16"):
        ...     y = torch.nn.Linear(2, 2)(torch.ones(1, 2))
        >>> y.dtype
        torch.bfloat16
    """
    import torch

    dev = torch.device(device) if isinstance(device, str) and device != "auto" else device
    if isinstance(dev, str):
        dev = resolve_device(dev)
    mixed = resolve_precision(precision, dev)
    if mixed == "no":
        yield
        return
    dtype = torch.bfloat16 if mixed == "bf16" else torch.float16
    with torch.autocast(dev.type, dtype=dtype):
        yield


def shard_bounds(n: int, world: int, rank: int) -> tuple[int, int]:
    """The ``[start, stop)`` slice of ``n`` items that process ``rank`` of ``world`` takes.

    The slices are contiguous and cover ``0 .. n``; the first ``n % world`` ranks get one
    item more than the others. What data-parallel loops and sharded encoding split a global
    batch or a corpus by, so every process agrees on who holds which rows.

    Args:
        n: the number of items.
        world: the number of ranks.
        rank: this rank, ``0 <= rank < world``.

    Example:
        >>> [shard_bounds(5, 2, rank) for rank in range(2)]
        [(0, 3), (3, 5)]
    """
    per, extra = divmod(n, world)
    start = rank * per + min(rank, extra)
    return start, start + per + (1 if rank < extra else 0)


def is_main_process() -> bool:
    """True outside ``torch.distributed`` and on rank 0 inside it: the process that writes.

    The training loops leave the process group :func:`make_accelerator` joined in place, so
    a command can ask after training whether it writes the outputs.

    Example:
        >>> is_main_process()  # no process group here
        True
    """
    import torch.distributed as dist

    return not (dist.is_available() and dist.is_initialized()) or dist.get_rank() == 0


def stable_hash(text: str) -> int:
    """A hash of ``text`` that does not depend on ``PYTHONHASHSEED``: gensim's ``hashfxn``.

    gensim seeds each word's (and document's) initial vector with ``hashfxn(word + seed)``,
    Python's salted ``hash`` by default, so two processes with the same ``seed`` differ;
    pass this one to make a seeded single-worker run repeat.

    Args:
        text: the string to hash (CRC-32 of its UTF-8 bytes).

    Example:
        >>> stable_hash("whole milk") == stable_hash("whole milk")
        True
    """
    import zlib

    return zlib.crc32(text.encode("utf-8"))
