"""``rl chem cmim train|evaluate``: SMILES encoder-decoders with MIM, cMIM or InfoNCE.

References:
    Livne, "cMIM: A Contrastive Mutual Information Framework for Unified Generative and
    Discriminative Representation Learning", arXiv 2024. https://arxiv.org/abs/2411.10548

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(group, ["--help"]).exit_code
    0
"""

from __future__ import annotations

from pathlib import Path

import click

from rl_chem.cmim.formats import CMIM_MODEL, CMIM_SMILES
from rl_shared.cli import (
    batch_size_option,
    data_option,
    device_option,
    emit_json,
    json_option,
    lr_option,
    model_option,
    out_option,
    precision_option,
    progress,
    resume_option,
    seed_option,
    steps_option,
)

__all__ = ["group"]

_SPLITS = "moleculenet-regression:<hiv|esol|freesolv>"


@click.group("cmim")
def group() -> None:
    """cMIM on molecules (arXiv:2411.10548): train SMILES encoders, probe their embeddings."""


@group.command("train")
@data_option(default="moleculenet-regression:hiv",
             help=f"Training SMILES: a CSV with a 'smiles' column, or {_SPLITS}.",
             formats=(CMIM_SMILES,))  # fmt: skip
@out_option(help="Output folder: the model goes to OUT/model/, checkpoints to OUT/checkpoints/.")
@click.option("--method", type=click.Choice(["mim", "cmim", "infonce"]), default="cmim",
              show_default=True, help="Objective (A-MIM alone, + cMIM's term, + InfoNCE).")  # fmt: skip
@steps_option(default=200)
@lr_option(default=2e-3)
@batch_size_option(default=32)
@click.option("--latent", type=click.IntRange(1), default=32, show_default=True,
              help="Code size.")  # fmt: skip
@click.option("--hidden", type=click.IntRange(1), default=128, show_default=True,
              help="GRU width.")  # fmt: skip
@click.option("--max-len", type=click.IntRange(3), default=80, show_default=True,
              help="Tokens per SMILES (longer ones are truncated).")  # fmt: skip
@click.option("--limit", type=click.IntRange(1), default=None,
              help="Train on N SMILES drawn with the seed [default: all].")  # fmt: skip
@device_option()
@precision_option
@resume_option
@seed_option
@json_option
def train(data, out: Path, method, steps, lr, batch_size, latent, hidden, max_len, limit, device,
          precision, resume, seed, as_json) -> None:  # fmt: skip
    """Train a SMILES encoder-decoder; save it as OUT/model/."""
    import numpy as np

    from rl_chem.cmim.data import read_smiles_csv
    from rl_chem.cmim.model import Vocab
    from rl_chem.cmim.train import save_smiles_model, train_smiles_model
    from rl_shared.errors import BadInput
    from rl_shared.runtime import resolve_device, resolve_precision

    dev = resolve_device(device)
    resolve_precision(precision, dev)
    smiles, _ = read_smiles_csv(data)
    if limit is not None and limit < len(smiles):
        pick = np.random.default_rng(seed).choice(len(smiles), limit, replace=False)
        smiles = [smiles[i] for i in pick]
    if len(smiles) < batch_size:
        raise BadInput(
            f"--data {data} holds {len(smiles)} SMILES, fewer than --batch-size {batch_size}; "
            "lower --batch-size"
        )
    vocab = Vocab.build(smiles)
    track = progress(as_json)
    model = train_smiles_model(
        smiles, method, vocab, max_len=max_len, batch_size=batch_size, steps=steps, lr=lr,
        seed=seed, latent=latent, hidden=hidden, device=dev, precision=precision,
        progress=lambda it: track(it, method), checkpoint_dir=out / "checkpoints", resume=resume,
    )  # fmt: skip
    folder = save_smiles_model(model, vocab, out / "model", method=method, max_len=max_len,
                               steps=steps, lr=lr, batch_size=batch_size, seed=seed,
                               data=data, n_smiles=len(smiles))  # fmt: skip
    res = {"model_dir": str(folder), "method": method, "n_smiles": len(smiles), "steps": steps,
           "vocab_size": len(vocab)}  # fmt: skip
    if as_json:
        emit_json(res)
        return
    click.echo(f"{method} model trained on {len(smiles)} SMILES ({steps} steps), saved in {folder}")


@group.command("evaluate")
@model_option(default=None, help="A model folder written by `rl chem cmim train` (OUT/model).",
              formats=(CMIM_MODEL,))  # fmt: skip
@data_option(default="moleculenet-regression:esol",
             help=f"Labelled SMILES: a CSV with 'smiles' and a target column, or {_SPLITS}.",
             formats=(CMIM_SMILES,))  # fmt: skip
@click.option("--target", default=None,
              help="Target column [default: the split's, else y or target].")  # fmt: skip
@device_option()
@precision_option
@seed_option
@json_option
def evaluate(model, data, target, device, precision, seed, as_json) -> None:
    """Ridge-probe RMSE (80/20 split) of the frozen embeddings on a labelled SMILES set."""
    import numpy as np

    from rl_chem.cmim.data import read_smiles_csv
    from rl_chem.cmim.train import embed_smiles, load_smiles_model, probe_rmse
    from rl_shared.errors import BadInput, MalformedFile
    from rl_shared.runtime import resolve_device, resolve_precision

    dev = resolve_device(device)
    resolve_precision(precision, dev)
    net, vocab, cfg = load_smiles_model(model)
    if "max_len" not in cfg:
        raise MalformedFile(Path(model) / "config.json", None, "config.max_len is missing")
    smiles, y = read_smiles_csv(data, target)
    if y is None:
        raise BadInput(f"--data {data} has no target column; name one with --target")
    if len(smiles) < 5:
        raise BadInput(
            f"--data {data} holds {len(smiles)} labelled molecules; the probe's 80/20 split "
            "needs at least 5"
        )
    emb = embed_smiles(net, vocab, smiles, cfg["max_len"], device=dev, precision=precision)
    z = (y - y.mean()) / (y.std() or 1.0)
    res = {"model": str(model), "data": data, "n": len(smiles), "rmse_z": probe_rmse(emb, z, seed),
           "rmse": probe_rmse(emb, y, seed), "target_std": float(np.std(y))}  # fmt: skip
    if as_json:
        emit_json(res)
        return
    click.echo(f"ridge probe on {len(smiles)} molecules: RMSE {res['rmse']:.3f} "
               f"(z-scored {res['rmse_z']:.3f})")  # fmt: skip
