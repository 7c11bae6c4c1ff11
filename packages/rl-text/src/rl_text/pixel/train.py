"""Contrastive training of the pixel encoder: visual alignment, then reasoning alignment.

Stage 1 (unsupervised visual alignment): each sentence and a perturbed copy of it (typos,
word-order shuffling; :mod:`rl_text.pixel.perturbations`) are a positive pair, the rest of
the batch are negatives. Stage 2 (supervised): entailment pairs (SICK-E premise →
hypothesis, or any sentence pairs) are positives. Both use the symmetric InfoNCE of
:func:`rl_shared.losses.info_nce` (anchor→positive and positive→anchor, averaged). The
iterative multilingual schedule of the paper alternates the supervised stage between
English and the other languages (:func:`iterative_multilingual`).

References:
    Xiao et al., "Pixel Sentence Representation Learning", arXiv:2402.08183, §3–5.

Example:
    >>> enc = PixelEncoder(PixelConfig(max_patches=8, hidden_size=32, layers=1, heads=2))
    >>> log = train_pairs(enc, [("a cat", "a cat sits"), ("a dog", "the dog")], steps=2,
    ...                   batch_size=2)
    >>> len(log)
    2
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable, Sequence

import torch

from rl_shared.errors import BadInput, NonFiniteLoss, UnknownName
from rl_text.pixel.loss import pair_loss, symmetric_info_nce
from rl_text.pixel.model import PixelConfig, PixelEncoder
from rl_text.pixel.perturbations import Perturber

__all__ = [
    "iterative_multilingual",
    "load_sick_entailment",
    "new_encoder",
    "symmetric_info_nce",
    "train_pairs",
    "train_unsupervised",
]


def _fit(
    encoder: PixelEncoder,
    batches: Callable[[random.Random], tuple[list[str], list[str]]],
    steps: int,
    lr: float,
    temperature: float,
    seed: int,
    show_progress: bool,
    desc: str,
    device: str,
    precision: str,
) -> list[float]:
    from rl_shared.cli import progress
    from rl_shared.runtime import make_accelerator, seed_everything

    if steps < 1:
        raise BadInput(f"steps must be at least 1, got {steps}")
    acc = make_accelerator(device, precision)
    seed_everything(seed)
    if acc.num_processes > 1:  # each rank its own dropout noise; batches stay common
        torch.manual_seed(seed + acc.process_index)
    rng = random.Random(seed)
    home = next(encoder.parameters()).device
    opt = torch.optim.AdamW(encoder.parameters(), lr=lr, weight_decay=0.01)
    # the scheduler is not prepared: one step per optimizer step, whatever the process count
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / max(1, steps // 10)) * (1 - s / (steps + 1))
    )
    model, opt = acc.prepare(encoder, opt)
    encoder.train()
    losses = []
    quiet = not (show_progress and acc.is_main_process)
    # every rank draws the same global batch from ``rng``; pair_loss takes this rank's share
    for _ in progress(quiet)(range(steps), desc):
        left, right = batches(rng)
        with acc.autocast():
            loss = pair_loss(model, encoder.renderer, left, right, acc, temperature)
        mean = acc.reduce(loss.detach(), "mean")  # the global batch's loss, on every rank
        if not torch.isfinite(mean):
            raise NonFiniteLoss(f"{desc}: the loss became {float(mean)}; lower the learning rate")
        opt.zero_grad()
        acc.backward(loss)
        acc.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        losses.append(float(mean))
    encoder.eval()
    acc.unwrap_model(model).to(home)  # trained in place, back where the caller had it
    return losses


def train_unsupervised(
    encoder: PixelEncoder,
    sentences: Sequence[str],
    perturbations: Sequence[str] = ("swap", "drop", "keyboard", "shuffle"),
    *,
    steps: int = 200,
    batch_size: int = 32,
    lr: float = 3e-4,
    temperature: float = 0.05,
    seed: int = 0,
    show_progress: bool = False,
    device: str = "auto",
    precision: str = "fp32",
) -> list[float]:
    """Visual alignment: a sentence and its perturbed copy are positives.

    Args:
        encoder: the model, trained in place.
        sentences: unlabeled sentences.
        perturbations: kinds from :data:`~rl_text.pixel.perturbations.PERTURBATIONS`;
            empty = identical copies (dropout noise only, as unsupervised SimCSE).
        steps, batch_size, lr, temperature, seed: optimisation (``batch_size`` is the global
            batch: under ``torchrun`` each process takes ``batch_size // world`` rows).
        show_progress: a progress bar on stderr (main process only).
        device: ``auto``, ``cpu``, ``cuda[:N]`` or ``mps`` (see
            :func:`rl_shared.runtime.make_accelerator`); the encoder ends where it started.
        precision: ``fp32``, ``bf16`` or ``fp16`` autocast.

    Returns:
        the loss of each step (the mean over processes).

    Example:
        >>> enc = PixelEncoder(PixelConfig(max_patches=8, hidden_size=32, layers=1, heads=2))
        >>> len(train_unsupervised(enc, ["a cat sits", "a dog runs"], ("swap",), steps=2, batch_size=2))
        2
    """
    if len(sentences) < 2:
        raise BadInput("unsupervised training needs at least two sentences")
    perturb = Perturber(perturbations, seed=seed)
    pool = list(sentences)

    def batches(rng: random.Random) -> tuple[list[str], list[str]]:
        left = rng.sample(pool, min(batch_size, len(pool)))
        return left, [perturb(s) for s in left]

    return _fit(
        encoder, batches, steps, lr, temperature, seed, show_progress, "visual", device, precision
    )


def train_pairs(
    encoder: PixelEncoder,
    pairs: Sequence[tuple[str, str]],
    *,
    steps: int = 200,
    batch_size: int = 32,
    lr: float = 3e-4,
    temperature: float = 0.05,
    seed: int = 0,
    show_progress: bool = False,
    device: str = "auto",
    precision: str = "fp32",
) -> list[float]:
    """Supervised alignment: each ``(anchor, positive)`` pair, other rows as negatives.

    Args:
        encoder: the model, trained in place.
        pairs: ``(anchor, positive)`` sentence pairs.
        steps, batch_size, lr, temperature, seed: optimisation (global batch, as in
            :func:`train_unsupervised`).
        show_progress: a progress bar on stderr (main process only).
        device, precision: as in :func:`train_unsupervised`.

    Returns:
        the loss of each step (the mean over processes).

    Example:
        >>> enc = PixelEncoder(PixelConfig(max_patches=8, hidden_size=32, layers=1, heads=2))
        >>> len(train_pairs(enc, [("a cat", "a cat sits"), ("a dog", "the dog")], steps=1, batch_size=2))
        1
    """
    if len(pairs) < 2:
        raise BadInput("supervised training needs at least two sentence pairs")
    pool = list(pairs)

    def batches(rng: random.Random) -> tuple[list[str], list[str]]:
        rows = rng.sample(pool, min(batch_size, len(pool)))
        return [a for a, _ in rows], [b for _, b in rows]

    return _fit(
        encoder, batches, steps, lr, temperature, seed, show_progress, "pairs", device, precision
    )


def load_sick_entailment(split: str = "train") -> list[tuple[str, str]]:
    """SICK-E pairs labelled ``ENTAILMENT`` (the ``entailment_judgment`` column).

    :func:`rl_shared.sts.load_sick` exposes only relatedness scores, so the entailment column
    of the same file (:data:`rl_shared.sts.SICK`) is read here.

    Args:
        split: ``train``, ``dev`` (the trial file) or ``test``.

    Example:
        A tiny SICK folder stands in for the real one (1,299 entailment pairs in train):

        >>> import os, pathlib, tempfile
        >>> from unittest import mock
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> folder = root / "sts" / "sick"
        >>> folder.mkdir(parents=True)
        >>> for name in ("SICK_train.txt", "SICK_trial.txt", "SICK_test_annotated.txt"):
        ...     _ = (folder / name).write_text(
        ...         "pair_ID\\tsentence_A\\tsentence_B\\tentailment_judgment\\n"
        ...         "1\\tA boy runs.\\tA kid is running.\\tENTAILMENT\\n"
        ...         "2\\tA boy runs.\\tA cat sleeps.\\tNEUTRAL\\n")
        >>> env = {"RL_DATA_DIR": str(root), "RL_CACHE_DIR": str(root / "cache")}
        >>> with mock.patch.dict(os.environ, env):
        ...     load_sick_entailment("train")
        [('A boy runs.', 'A kid is running.')]
    """
    from rl_shared.sts import SICK, SICK_FILES

    if split not in SICK_FILES:
        raise UnknownName("split", split, list(SICK_FILES))
    path = SICK.locate() / SICK_FILES[split]
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [
            (r["sentence_A"], r["sentence_B"])
            for r in rows
            if (r.get("entailment_judgment") or "").strip() == "ENTAILMENT"
        ]


def iterative_multilingual(
    encoder: PixelEncoder,
    pairs_by_lang: dict[str, Sequence[tuple[str, str]]],
    evaluate: Callable[[PixelEncoder], dict[str, float]],
    *,
    rounds: int = 2,
    anchor_lang: str = "en",
    steps: int = 100,
    batch_size: int = 32,
    lr: float = 2e-4,
    seed: int = 0,
    show_progress: bool = False,
    device: str = "auto",
    precision: str = "fp32",
) -> list[dict[str, float]]:
    """The paper's iterative schedule: English, then all other languages, repeated.

    Each round trains on ``anchor_lang`` pairs and then on the pooled pairs of the other
    languages; ``evaluate`` runs after every half-round, so the returned list (one dict
    per phase, with key ``"phase"`` as index) shows the "leapfrogging" of languages.

    Args:
        encoder: the model, trained in place.
        pairs_by_lang: ``(anchor, positive)`` sentence pairs of each language.
        evaluate: scores the encoder after each phase (e.g. STS Spearman per language).
        rounds: how many English-then-multilingual rounds.
        anchor_lang: the language trained first in each round.
        steps, batch_size, lr: optimisation of each phase (:func:`train_pairs`).
        seed: base seed (each phase gets its own).
        show_progress: a progress bar on stderr.
        device, precision: as in :func:`train_unsupervised`.

    Returns:
        one dict per phase: ``"phase"``, ``"trained_on"`` (``anchor_lang`` or ``"multi"``)
        and the scores of ``evaluate``.

    Raises:
        BadInput: ``pairs_by_lang`` has no ``anchor_lang`` pairs.

    Example:
        >>> enc = PixelEncoder(PixelConfig(max_patches=8, hidden_size=32, layers=1, heads=2))
        >>> pairs = {"en": [("a cat", "a cat sits"), ("a dog", "the dog")],
        ...          "de": [("eine Katze", "die Katze"), ("ein Hund", "der Hund")]}
        >>> history = iterative_multilingual(
        ...     enc, pairs, lambda e: {"dim": float(e.dim)}, rounds=1, steps=1, batch_size=2)
        >>> [(h["phase"], h["trained_on"], h["dim"]) for h in history]
        [(0.0, 'en', 32.0), (1.0, 'multi', 32.0)]
    """
    if anchor_lang not in pairs_by_lang:
        raise BadInput(f"pairs_by_lang has no {anchor_lang!r} pairs")
    others = [p for lang, ps in pairs_by_lang.items() if lang != anchor_lang for p in ps]
    history: list[dict[str, float]] = []
    for r in range(rounds):
        for name, pool in ((anchor_lang, pairs_by_lang[anchor_lang]), ("multi", others)):
            if not pool:
                continue
            train_pairs(
                encoder,
                pool,
                steps=steps,
                batch_size=batch_size,
                lr=lr,
                seed=seed + 2 * r + (name == "multi"),
                show_progress=show_progress,
                device=device,
                precision=precision,
            )
            history.append({"phase": float(len(history)), **evaluate(encoder)})
            history[-1]["trained_on"] = name  # type: ignore[assignment]
    return history


def new_encoder(config: PixelConfig | None = None, seed: int = 0) -> PixelEncoder:
    """A freshly initialised encoder with a fixed seed.

    Args:
        config: the encoder's configuration (default: :class:`PixelConfig`).
        seed: seeds Python, NumPy and torch before the weights are drawn.

    Example:
        >>> new_encoder(PixelConfig(max_patches=4, hidden_size=16, layers=1, heads=2)).dim
        16
    """
    from rl_shared.runtime import seed_everything

    seed_everything(seed)
    return PixelEncoder(config)
