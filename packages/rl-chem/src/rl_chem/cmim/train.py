"""Training the SMILES encoder-decoder with MIM, cMIM or InfoNCE; saving it; probing it.

:func:`train_smiles_model` is the entry point ``rl chem cmim train`` and the ``chem.cmim``
reproduction use; :func:`save_smiles_model` / :func:`load_smiles_model` keep a trained model
as a folder (``OUT/model``: weights, configuration and the vocabulary); :func:`probe_rmse`
fits a ridge regression on frozen embeddings (the paper's downstream protocol).

References:
    Livne, "cMIM: A Contrastive Mutual Information Framework for Unified Generative and
    Discriminative Representation Learning", arXiv:2411.10548.

Example:
    >>> v = Vocab.build(["CCO", "CCN", "CCC", "CO"])
    >>> m = train_smiles_model(["CCO", "CCN", "CCC", "CO"], "mim", v, max_len=6, batch_size=2,
    ...                        steps=2, latent=2, hidden=4)
    >>> embed_smiles(m, v, ["CCO"], max_len=6).shape
    (1, 6)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import numpy as np
import torch
from torch import nn

from rl_chem.cmim.losses import smiles_cmim_term, smiles_mim_loss
from rl_chem.cmim.model import SmilesMIM, Vocab, randomize_smiles
from rl_shared.losses import info_nce
from rl_shared.runtime import make_accelerator, seed_everything

__all__ = [
    "KIND",
    "METHODS",
    "embed_smiles",
    "load_smiles_model",
    "probe_rmse",
    "save_smiles_model",
    "train_smiles_model",
]

KIND = "chem.cmim.smiles-mim"
METHODS = ("mim", "cmim", "infonce")
CITATION = """@article{livne2024cmim,
  title   = {cMIM: A Contrastive Mutual Information Framework for Unified Generative and
             Discriminative Representation Learning},
  author  = {Livne, Micha},
  journal = {arXiv preprint arXiv:2411.10548},
  year    = {2024}
}"""


def train_smiles_model(
    smiles: list[str],
    method: str,
    vocab: Vocab,
    max_len: int = 80,
    batch_size: int = 32,
    steps: int = 200,
    lr: float = 2e-3,
    seed: int = 0,
    latent: int = 32,
    hidden: int = 128,
    progress=None,
    device: torch.device | str = "auto",
    checkpoint_dir: str | Path | None = None,
    checkpoint_every: int = 50,
    resume: bool = True,
    precision: str = "fp32",
    history: list[float] | None = None,
) -> SmilesMIM:
    """Train a :class:`SmilesMIM` with ``method`` in {"mim", "cmim", "infonce"}.

    The loop runs through :func:`rl_shared.runtime.make_accelerator`. Under ``torchrun``
    every process draws the same global batch (the same seed) and its noise, and trains on
    its contiguous share; cMIM's and InfoNCE's in-batch candidates are gathered from every
    process (:func:`rl_shared.losses.distributed.gather_with_grad`), so the mean of the
    processes' losses is the one-process loss of the whole batch and DDP's averaged
    gradient its gradient. Only the main process writes checkpoints.

    Args:
        smiles: unlabelled training SMILES (at least ``batch_size``).
        method: "mim" (A-MIM alone), "cmim" (A-MIM + the contrastive term) or "infonce"
            (A-MIM + InfoNCE between a SMILES and a randomised SMILES of the molecule).
        vocab: the token vocabulary.
        max_len: tokens per SMILES (longer ones are truncated).
        batch_size: SMILES per step over all processes (cMIM costs B^2 decoder passes);
            a multiple of the number of processes.
        steps: Adam steps.
        lr: learning rate.
        seed: seeds initialisation, batches and noise.
        latent: code size.
        hidden: GRU width.
        progress: wraps the step range (e.g. a progress bar); main process only.
        device: ``auto``, ``cpu``, ``cuda``, ``cuda:N`` or ``mps``: where it trains; the
            model is returned on the CPU.
        checkpoint_dir: when given, training checkpoints (weights, optimizer, every RNG)
            go there every ``checkpoint_every`` steps and at the end.
        checkpoint_every: steps between checkpoints.
        resume: continue from the newest checkpoint in ``checkpoint_dir`` (same result as an
            uninterrupted run).
        precision: ``fp32``, or ``bf16``/``fp16`` autocast of the forward pass.
        history: when given, each step's loss (the mean over processes) is appended.

    Raises:
        UnknownName: an unknown ``method``.
        BadInput: too few SMILES for a batch, a batch that does not split evenly over the
            processes, or an unavailable ``device``/``precision``.

    References:
        Livne, cMIM, arXiv:2411.10548.

    Example:
        >>> v = Vocab.build(["CCO", "CCN"])
        >>> m = train_smiles_model(["CCO", "CCN"], "cmim", v, max_len=6, batch_size=2, steps=2)
        >>> isinstance(m, SmilesMIM)
        True
    """
    from rl_shared.errors import BadInput, UnknownName

    if method not in METHODS:
        raise UnknownName("method", method, list(METHODS))
    if len(smiles) < batch_size:
        raise BadInput(f"{len(smiles)} SMILES cannot fill a batch of {batch_size}; lower it")
    acc = make_accelerator(str(device), precision)
    world, rank = acc.num_processes, acc.process_index
    if batch_size % world:
        raise BadInput(
            f"a batch of {batch_size} SMILES does not split evenly over {world} processes; "
            f"use a multiple of {world}"
        )
    seed_everything(seed)
    rng = np.random.default_rng(seed)
    model = SmilesMIM(len(vocab), latent, hidden).to(acc.device)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    manager = None
    start = 0
    if checkpoint_dir is not None:
        from rl_shared.checkpoint import CheckpointManager

        manager = CheckpointManager(checkpoint_dir)
        if resume and manager.latest() is not None:
            state = manager.load(model, opt)
            start = state.step
            rng.bit_generator.state = state.extra["batch_rng"]
    net, opt = acc.prepare(_Objective(model, method, gather=world > 1), opt)
    per = batch_size // world
    mine = slice(rank * per, (rank + 1) * per)
    steps_iter: Any = range(start, steps)
    if progress is not None and acc.is_main_process:
        steps_iter = progress(steps_iter)
    for step in steps_iter:
        batch = [smiles[i] for i in rng.choice(len(smiles), batch_size, replace=False)]
        noise = torch.randn(batch_size, latent, device=acc.device)[mine]
        x = vocab.encode(batch[mine], max_len).to(acc.device)
        aug = None
        if method == "infonce":
            views = [randomize_smiles(s, rng) for s in batch]  # the whole batch: rng in step
            aug = vocab.encode(views[mine], max_len).to(acc.device)
        with acc.autocast():
            loss = net(x, noise, aug)
        opt.zero_grad()
        acc.backward(loss)
        acc.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        if history is not None:
            history.append(_over_ranks(acc, loss))
        if (
            manager is not None
            and acc.is_main_process
            and ((step + 1) % checkpoint_every == 0 or step + 1 == steps)
        ):
            manager.save(
                step + 1, model, opt,
                config={"method": method, "steps": steps, "lr": lr, "batch_size": batch_size},
                extra={"batch_rng": rng.bit_generator.state},
            )  # fmt: skip
    acc.wait_for_everyone()
    return model.cpu().eval()


class _Objective(nn.Module):
    """The training loss of one batch share: the module DDP wraps (it holds the model)."""

    def __init__(self, model: SmilesMIM, method: str, gather: bool) -> None:
        super().__init__()
        self.model, self.method, self.gather = model, method, gather

    def forward(self, x: torch.Tensor, noise: torch.Tensor, aug: torch.Tensor | None = None):
        loss, mu = smiles_mim_loss(self.model, x, noise)
        if self.method == "cmim":
            loss = loss + smiles_cmim_term(self.model, x, mu, gather_across_ranks=self.gather)
        elif self.method == "infonce":
            assert aug is not None  # the loop encodes the randomised views
            mu2, _ = self.model.encode(aug)
            loss = loss + info_nce(mu, mu2, gather_across_ranks=self.gather)
        return loss


def _over_ranks(acc: Any, loss: torch.Tensor) -> float:
    """The loss averaged over the processes (itself in one process)."""
    if acc.num_processes == 1:
        return float(loss.detach())
    return float(acc.reduce(loss.detach().float(), "mean"))


def embed_smiles(
    model: SmilesMIM,
    vocab: Vocab,
    smiles: list[str],
    max_len: int,
    batch_size: int = 256,
    device: torch.device | str | None = None,
    precision: str = "fp32",
) -> np.ndarray:
    """Informative embeddings ``[mu, decoder state]`` of ``smiles``, in batches.

    Args:
        model: a (trained) :class:`~rl_chem.cmim.model.SmilesMIM`; run without gradients.
        vocab: the vocabulary it was trained with.
        smiles: the molecules to embed.
        max_len: token length (longer SMILES are truncated).
        batch_size: SMILES per forward pass.
        device: ``auto``, ``cpu``, ``cuda``, ``cuda:N`` or ``mps``: the model is moved there
            (``None``: it runs where its weights are).
        precision: ``fp32``, or ``bf16``/``fp16`` autocast of the forward pass
            (:func:`rl_shared.runtime.autocast`); the embeddings come back as float32.

    Shapes:
        returns ``(len(smiles), latent + hidden)``.

    References:
        Livne, cMIM, arXiv:2411.10548 (informative embeddings).

    Example:
        >>> v = Vocab.build(["CCO"])
        >>> embed_smiles(SmilesMIM(len(v), latent=2, hidden=3), v, ["CCO", "CO"], 6).shape
        (2, 5)
    """
    from rl_shared.runtime import autocast, resolve_device

    if device is not None:
        model = model.to(resolve_device(str(device)))
    where = next(model.parameters()).device
    with torch.no_grad(), autocast(where, precision):
        parts = [
            model.embed(vocab.encode(smiles[i : i + batch_size], max_len).to(where)).float().cpu()
            for i in range(0, len(smiles), batch_size)
        ]
    return torch.cat(parts).numpy()


def probe_rmse(emb: np.ndarray, y: np.ndarray, seed: int = 0) -> float:
    """Test RMSE of a ridge probe (alpha by CV) on frozen embeddings, 80/20 split.

    Args:
        emb: embeddings, one row per molecule.
        y: regression targets.
        seed: seeds the train/test split.

    Shapes:
        emb: ``(N, D)``; y: ``(N,)``.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> x = rng.normal(size=(50, 3))
        >>> probe_rmse(x, x @ np.array([1.0, -2.0, 0.5])) < 0.1
        True
    """
    from sklearn.linear_model import RidgeCV
    from sklearn.model_selection import train_test_split

    xtr, xte, ytr, yte = train_test_split(emb, y, test_size=0.2, random_state=seed)
    reg = RidgeCV(alphas=np.logspace(-3, 3, 13)).fit(xtr, ytr)
    return float(np.sqrt(np.mean((reg.predict(xte) - yte) ** 2)))


def save_smiles_model(model: SmilesMIM, vocab: Vocab, folder: str | Path, **config: Any) -> Path:
    """Write a trained model as a model folder (weights, configuration, vocabulary).

    Args:
        model: the trained encoder-decoder.
        vocab: its vocabulary.
        folder: the folder (``OUT/model``).
        **config: training facts to keep (method, max_len, steps, ...).

    Example:
        >>> import tempfile
        >>> v = Vocab.build(["CCO"])
        >>> folder = save_smiles_model(SmilesMIM(len(v), 2, 3), v, tempfile.mkdtemp() + "/m",
        ...                            max_len=6)
        >>> model, vocab, cfg = load_smiles_model(folder)
        >>> vocab.chars == v.chars, cfg["max_len"], model.hidden
        (True, 6, 3)
    """
    from rl_shared.artifacts import save_model

    arch = {"vocab_size": len(vocab), "latent": model.latent, "hidden": model.hidden}
    return save_model(
        folder,
        kind=KIND,
        config={**arch, "chars": vocab.chars[4:], **config},
        tensors=model,
        citation=CITATION,
        summary="GRU SMILES encoder-decoder trained with "
        f"{config.get('method', 'MIM')}; embeddings are [mu, decoder state].",
    )


def load_smiles_model(folder: str | Path) -> tuple[SmilesMIM, Vocab, dict[str, Any]]:
    """The model, vocabulary and configuration saved by :func:`save_smiles_model`.

    Args:
        folder: the model folder :func:`save_smiles_model` wrote.

    Returns:
        the model in eval mode, its :class:`~rl_chem.cmim.model.Vocab` and the saved
        configuration (architecture, ``chars`` and the training facts).

    Raises:
        ModelNotFound: no model folder there.
        MalformedFile: ``config.json`` is a folder, empty, not UTF-8 / JSON, or misses a
            field of the architecture (``vocab_size``, ``latent``, ``hidden``, ``chars``; and
            ``max_len`` when saved).
        BadInput: another kind of model, or weights that do not fit or are not finite.

    Example:
        >>> import tempfile
        >>> v = Vocab.build(["CCO"])
        >>> folder = save_smiles_model(SmilesMIM(len(v), 2, 3), v, tempfile.mkdtemp() + "/m")
        >>> model, vocab, cfg = load_smiles_model(folder)
        >>> model.training, vocab.chars == v.chars, cfg["latent"]
        (False, True, 2)
    """
    from rl_shared.artifacts import CONFIG, load_model
    from rl_shared.errors import BadInput, MalformedFile
    from rl_shared.io import read_json

    path = Path(folder)
    if (path / CONFIG).exists():
        read_json(path / CONFIG)  # a folder, an empty file, bytes that are not UTF-8: named
    art = load_model(path, kind=KIND)
    cfg = art.config
    config = path / CONFIG

    def count(key: str, least: int) -> int:
        value = cfg.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < least:
            raise MalformedFile(
                config, None, f"config.{key} is {value!r}, not an integer >= {least}"
            )
        return value

    vocab_size, latent, hidden = count("vocab_size", 5), count("latent", 1), count("hidden", 1)
    if "max_len" in cfg:
        count("max_len", 3)
    chars = cfg.get("chars")
    if (
        not isinstance(chars, list)
        or not all(isinstance(c, str) and len(c) == 1 for c in chars)
        or len(set(chars)) != len(chars)
        or len(chars) != vocab_size - 4
    ):
        raise MalformedFile(
            config, None, f"config.chars is not a list of {vocab_size - 4} distinct characters"
        )
    model = cast(SmilesMIM, art.load_into(SmilesMIM(vocab_size, latent, hidden)))
    if not all(bool(torch.isfinite(t).all()) for t in model.state_dict().values()):
        raise BadInput(f"the weights in {path} hold NaN or infinity; retrain the model")
    return model.eval(), Vocab(list(chars)), cfg
