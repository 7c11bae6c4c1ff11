"""Where Any2Seg's training batches come from: generated scenes in memory, or a Dataset streamed.

:func:`~rl_vision.any2seg.train.train` asks a :class:`BatchSource` for the batches of
steps ``start .. stop - 1``; each comes with the step's generator
(:func:`step_generator`, seeded by ``(seed, step)``), from which training draws the
modality-dropout subset. A batch depends on the seed and the step only, so a run resumed
at step ``k`` sees the batches an uninterrupted run sees.

* :class:`PoolSource` holds generated scenes (a :class:`~rl_vision.core.scenes.dataset.SceneBatch`)
  in memory: step ``t`` draws ``batch_size`` scenes with ``randperm`` from the step's
  generator and flips all of them horizontally with probability 1/2.
* :class:`DatasetSource` streams a map-style dataset returning
  ``({modality: (C, H, W)}, label (H, W))`` (:class:`~rl_vision.data.DeliverDataset`,
  :class:`~rl_vision.data.MCubeSDataset`) through a ``torch.utils.data.DataLoader``:
  frames are read (in worker processes if asked), **resized** so the shorter side is
  ``size`` (bilinear with antialiasing for inputs, nearest for labels) and **randomly
  cropped** to ``size x size``, each flipped horizontally with probability 1/2. Epoch
  ``e`` visits the frames in a permutation seeded by ``(seed, e)``; the crop and flip of
  sample ``j`` of step ``t`` are seeded by ``(seed, t, j)``, so batches do not depend on
  the number of workers.

References:
    Zheng et al., "Learning Modality-agnostic Representation for Semantic Segmentation from Any
    Modalities", ECCV 2024. https://arxiv.org/abs/2407.11351
    Zhang et al., "Delivering Arbitrary-Modal Semantic Segmentation", CVPR 2023 (DELIVER).
    https://arxiv.org/abs/2303.01480
    Liang et al., "Multimodal Material Segmentation", CVPR 2022 (MCubeS).

Example:
    >>> import torch
    >>> frames = [({"rgb": torch.rand(3, 6, 8)}, torch.zeros(6, 8, dtype=torch.long))] * 3
    >>> source = DatasetSource(frames, size=4)
    >>> inputs, labels, gen = next(source.batches(range(0, 1), batch_size=2, seed=0))
    >>> tuple(inputs["rgb"].shape), tuple(labels.shape)
    ((2, 3, 4, 4), (2, 4, 4))
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Protocol

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor
from torch.utils.data import DataLoader, Dataset, Sampler

from rl_shared.errors import BadInput, MalformedFile, RLError, ShapeMismatch
from rl_vision.core.scenes.dataset import SceneBatch

__all__ = [
    "Batch",
    "BatchSource",
    "DatasetSource",
    "PoolSource",
    "Refused",
    "collate_frames",
    "raise_refused",
    "resize_frame",
    "resize_shorter_side",
    "step_generator",
]

#: inputs ``{modality: (B, C, H, W)}``, labels ``(B, H, W)``, the step's generator
Batch = tuple[dict[str, Tensor], Tensor, torch.Generator]
Frame = tuple[dict[str, Tensor], Tensor]


def step_generator(seed: int, step: int) -> torch.Generator:
    """The generator of training step ``step`` (data draws and modality dropout).

    Args:
        seed: the run's seed.
        step: the training step.

    Example:
        >>> a = torch.rand(2, generator=step_generator(0, 5))
        >>> torch.equal(a, torch.rand(2, generator=step_generator(0, 5)))
        True
        >>> torch.equal(a, torch.rand(2, generator=step_generator(0, 6)))
        False
    """
    return torch.Generator().manual_seed(seed * 1_000_003 + step)


class BatchSource(Protocol):
    """Anything that yields the training batches of a range of steps.

    :class:`PoolSource` and :class:`DatasetSource` are the two implementations.

    Example:
        >>> from rl_vision.core.scenes.dataset import make_batch
        >>> source: BatchSource = PoolSource(make_batch(range(2), 16))
        >>> [gen.initial_seed() for _, _, gen in source.batches(range(3, 5), 1, seed=0)]
        [3, 4]
    """

    def __len__(self) -> int:
        """Number of training examples."""
        ...

    def batches(self, steps: range, batch_size: int, seed: int) -> Iterator[Batch]:
        """One ``(inputs, labels, generator)`` per step of ``steps``, in order."""
        ...


class PoolSource:
    """Generated scenes held in memory (what :func:`train` always used).

    Args:
        pool: the rendered training scenes.

    Example:
        >>> from rl_vision.core.scenes.dataset import make_batch
        >>> source = PoolSource(make_batch(range(4), 16))
        >>> steps = list(source.batches(range(2), batch_size=3, seed=1))
        >>> len(source), len(steps), tuple(steps[0][0]["rgb"].shape), tuple(steps[0][1].shape)
        (4, 2, (3, 3, 16, 16), (3, 16, 16))
        >>> again = next(source.batches(range(1, 2), batch_size=3, seed=1))  # resumed at step 1
        >>> torch.equal(again[1], steps[1][1])
        True
    """

    def __init__(self, pool: SceneBatch) -> None:
        self.pool = pool

    def __len__(self) -> int:
        return len(self.pool)

    def batches(self, steps: range, batch_size: int, seed: int) -> Iterator[Batch]:
        for step in steps:
            gen = step_generator(seed, step)
            idx = torch.randperm(len(self.pool), generator=gen)[:batch_size]
            batch = self.pool.index(idx)
            inputs, labels = batch.inputs, batch.labels
            if bool(torch.rand(1, generator=gen) < 0.5):  # horizontal flip
                inputs = {m: t.flip(-1) for m, t in inputs.items()}
                labels = labels.flip(-1)
            yield inputs, labels, gen


def resize_shorter_side(height: int, width: int, size: int, multiple: int = 1) -> tuple[int, int]:
    """``(h, w)`` with the shorter side ``size`` and the aspect kept (longer side rounded).

    With ``multiple > 1`` both sides are rounded to a multiple of it (at least one
    multiple), as encoders with stride ``multiple`` need.

    Args:
        height: the frame's height.
        width: the frame's width.
        size: the wanted shorter side.
        multiple: round both sides to a multiple of this (1: no rounding).

    Example:
        >>> resize_shorter_side(1024, 1224, 64), resize_shorter_side(6, 8, 32, multiple=32)
        ((64, 76), (32, 32))
    """
    scale = size / min(height, width)
    h, w = round(height * scale), round(width * scale)
    if multiple > 1:
        h, w = (max(multiple, round(v / multiple) * multiple) for v in (h, w))
    return max(h, 1), max(w, 1)


def resize_frame(
    inputs: Mapping[str, Tensor], label: Tensor | None, shape: tuple[int, int]
) -> tuple[dict[str, Tensor], Tensor | None]:
    """Resize ``(C, H, W)`` inputs (bilinear, antialiased) and an ``(H, W)`` label (nearest).

    Args:
        inputs: modality -> frame.
        label: the label map, or ``None``.
        shape: the target ``(h, w)``.

    Shapes:
        inputs ``{m: (C_m, H, W)}`` -> ``{m: (C_m, h, w)}`` float; label ``(H, W)`` ->
        ``(h, w)`` int64 (``None`` stays ``None``).

    Example:
        >>> label = torch.tensor([[0, 1], [2, 3]])
        >>> out, lbl = resize_frame({"rgb": torch.rand(3, 2, 2)}, label, (4, 4))
        >>> tuple(out["rgb"].shape), lbl[0].tolist(), lbl.dtype
        ((3, 4, 4), [0, 0, 1, 1], torch.int64)
        >>> resize_frame({"rgb": torch.rand(3, 2, 2)}, None, (1, 1))[1] is None
        True
    """
    out = {
        m: F.interpolate(
            x[None].float(), size=shape, mode="bilinear", align_corners=False, antialias=True
        )[0]
        for m, x in inputs.items()
    }
    if label is not None:
        label = F.interpolate(label[None, None].float(), size=shape, mode="nearest-exact")
        label = label[0, 0].long()
    return out, label


class Refused:
    """An input error met while a DataLoader worker read a frame, carried back as data.

    A DataLoader re-raises a worker's exception by calling its class with one message
    (the worker's whole traceback), which :class:`~rl_shared.errors.MalformedFile` cannot
    take; so a frame that cannot be read becomes this value instead, and
    :func:`raise_refused` raises the original error, clean, in the main process.

    Args:
        err: the error (its file, line and problem are kept for a ``MalformedFile``).

    Example:
        >>> from rl_shared.errors import MalformedFile
        >>> carried = Refused(MalformedFile("f.png", None, "not a readable image"))
        >>> try:
        ...     raise_refused(collate_frames([carried]))
        ... except MalformedFile as err:
        ...     print(err)
        f.png: not a readable image.
    """

    def __init__(self, err: RLError) -> None:
        self.message = str(err)
        self.file = (
            (str(err.path), err.line, err.problem) if isinstance(err, MalformedFile) else None
        )

    def error(self) -> RLError:
        """The error again (a ``MalformedFile`` as it was; any other as ``BadInput``)."""
        if self.file is not None:
            return MalformedFile(*self.file)
        return BadInput(self.message)


def collate_frames(samples: Sequence[Any]) -> Any:
    """``default_collate`` of the samples, or the first :class:`Refused` among them.

    Args:
        samples: a batch's samples as the dataset returned them.

    Example:
        >>> inputs, label = collate_frames([({"rgb": torch.zeros(3, 2, 2)}, torch.zeros(2, 2))] * 2)
        >>> tuple(inputs["rgb"].shape), tuple(label.shape)
        ((2, 3, 2, 2), (2, 2, 2))
    """
    from torch.utils.data import default_collate

    refused = next((s for s in samples if isinstance(s, Refused)), None)
    return refused if refused is not None else default_collate(list(samples))


def raise_refused(batch: Any) -> Any:
    """Raise the error a :class:`Refused` batch carries; return any other batch as it is.

    Args:
        batch: what the DataLoader yielded.

    Example:
        >>> raise_refused([1, 2])
        [1, 2]
    """
    if isinstance(batch, Refused):
        raise batch.error()
    return batch


def _check_frame(inputs: Mapping[str, Tensor], label: Tensor, index: int) -> None:
    shapes = {m: tuple(x.shape[-2:]) for m, x in inputs.items()}
    if any(s != tuple(label.shape) for s in shapes.values()):
        raise ShapeMismatch(
            f"frame {index}: the modalities {shapes} and the label {tuple(label.shape)} "
            "differ in size"
        )


class _TrainFrames(Dataset):
    """Frames resized, randomly cropped and flipped; keys are ``(index, seed, step, j)``."""

    def __init__(self, dataset: Dataset, size: int) -> None:
        self.dataset, self.size = dataset, size

    def __len__(self) -> int:
        return len(self.dataset)  # type: ignore[arg-type]

    def __getitem__(self, key: tuple[int, int, int, int]) -> Frame | Refused:
        try:
            return self._frame(key)
        except RLError as err:  # carried back to the main process as data
            return Refused(err)

    def _frame(self, key: tuple[int, int, int, int]) -> Frame:
        index, seed, step, j = key
        inputs, label = self.dataset[index]
        _check_frame(inputs, label, index)
        height, width = label.shape  # 2-D: _check_frame matched it to the inputs
        shape = resize_shorter_side(height, width, self.size)
        resized, lbl = resize_frame(inputs, label, shape)
        assert lbl is not None
        rng = np.random.default_rng([seed, step, j])
        top = int(rng.integers(0, shape[0] - self.size + 1))
        left = int(rng.integers(0, shape[1] - self.size + 1))
        flip = bool(rng.random() < 0.5)
        crop = (slice(None), slice(top, top + self.size), slice(left, left + self.size))
        out = {m: x[crop] for m, x in resized.items()}
        lbl = lbl[crop[1:]]
        if flip:
            out = {m: x.flip(-1) for m, x in out.items()}
            lbl = lbl.flip(-1)
        return {m: x.contiguous() for m, x in out.items()}, lbl.contiguous()


class _StepSampler(Sampler):
    """Yields, per step, the keys of its ``batch_size`` samples (epoch-wise permutations)."""

    def __init__(self, n: int, steps: range, batch_size: int, seed: int) -> None:
        self.n, self.steps, self.batch_size, self.seed = n, steps, batch_size, seed
        self._orders: dict[int, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.steps)

    def _frame(self, position: int) -> int:
        epoch, offset = divmod(position, self.n)
        if epoch not in self._orders:
            self._orders = {epoch: np.random.default_rng([self.seed, epoch]).permutation(self.n)}
        return int(self._orders[epoch][offset])

    def __iter__(self) -> Iterator[list[tuple[int, int, int, int]]]:
        for step in self.steps:
            first = step * self.batch_size
            yield [(self._frame(first + j), self.seed, step, j) for j in range(self.batch_size)]


class DatasetSource:
    """A dataset of ``({modality: (C, H, W)}, (H, W))`` frames streamed through a DataLoader.

    Args:
        dataset: a map-style dataset (``len`` and integer indexing), e.g. ``DeliverDataset``.
        size: side of the square training crops.
        num_workers: DataLoader worker processes (0 reads in the training process).

    Only the frames of the current batches are in memory.
    """

    def __init__(self, dataset: Dataset | Sequence[Frame], size: int, num_workers: int = 0) -> None:
        if len(dataset) == 0:  # type: ignore[arg-type]
            raise BadInput("the training dataset holds no frames")
        self.dataset, self.size, self.num_workers = dataset, size, num_workers

    def __len__(self) -> int:
        return len(self.dataset)  # type: ignore[arg-type]

    def batches(self, steps: range, batch_size: int, seed: int) -> Iterator[Batch]:
        if len(steps) == 0:
            return
        sampler = _StepSampler(len(self), steps, batch_size, seed)
        loader: DataLoader[Any] = DataLoader(
            _TrainFrames(self.dataset, self.size),  # type: ignore[arg-type]
            batch_sampler=sampler,
            num_workers=self.num_workers,
            collate_fn=collate_frames,
            generator=torch.Generator().manual_seed(seed),  # leave the global RNG alone
        )
        for step, batch in zip(steps, loader):
            inputs, labels = raise_refused(batch)
            yield inputs, labels, step_generator(seed, step)
