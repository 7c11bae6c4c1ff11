"""Saving and loading a trained grounded model, and encoding a file of sentences with it.

:func:`save_grounded` writes ``out_dir/final/model.safetensors`` (the weights) and
``out_dir/final/model.json`` (the :class:`~rl_vision.grounded.model.GroundedConfig` and
the character vocabulary), atomically as one folder; :func:`load_grounded` reads it back
(given ``out_dir`` or ``out_dir/final``); :func:`encode_file` embeds one sentence a line
into an ``.npy`` array of unit vectors.

Example:
    >>> import tempfile
    >>> from rl_vision.grounded.model import GroundedConfig, GroundedModel
    >>> cfg = GroundedConfig(hidden=8, depth=3)
    >>> folder = save_grounded(GroundedModel(cfg), cfg, tempfile.mkdtemp())
    >>> model, loaded = load_grounded(folder)
    >>> loaded == cfg, model.sentences.dim
    (True, 16)
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

import numpy as np
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file

from rl_shared.errors import BadInput, MalformedFile
from rl_shared.io import atomic_dir
from rl_vision.grounded.char_encoder import CharVocab
from rl_vision.grounded.model import GroundedConfig, GroundedModel

__all__ = ["encode_file", "load_grounded", "read_sentences", "save_grounded"]


def save_grounded(model: GroundedModel, config: GroundedConfig, out_dir: str | Path) -> Path:
    """Write the model into ``out_dir/final`` and return that folder."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    weights = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    meta = {
        "model": "grounded-char-sentence-encoder",
        "config": asdict(config),
        "vocab": {"alphabet": model.vocab.alphabet, "max_length": model.vocab.max_length},
        "dim": model.sentences.dim,
    }
    with atomic_dir(out / "final") as tmp:
        save_file(weights, str(tmp / "model.safetensors"))
        (tmp / "model.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    return out / "final"


def load_grounded(path: str | Path) -> tuple[GroundedModel, GroundedConfig]:
    """Load what :func:`save_grounded` wrote (``path`` is the run folder or its ``final``)."""
    run = Path(path)
    folder = run / "final" if (run / "final" / "model.json").is_file() else run
    meta_path, weights_path = folder / "model.json", folder / "model.safetensors"
    if not meta_path.is_file() or not weights_path.is_file():
        raise BadInput(
            f"{run} holds no trained grounded model (model.json and model.safetensors are "
            f"missing); train one with `rl vision grounded --out {run}`"
        )
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        known = {f.name for f in fields(GroundedConfig)}
        config = GroundedConfig(**{k: v for k, v in meta["config"].items() if k in known})
        vocab = CharVocab(meta["vocab"]["alphabet"], int(meta["vocab"]["max_length"]))
    except (ValueError, KeyError, TypeError) as err:
        raise MalformedFile(
            meta_path, None, f"is not a grounded model description ({err})"
        ) from None
    model = GroundedModel(config, vocab)
    try:
        model.load_state_dict(load_file(str(weights_path)))
    except (SafetensorError, RuntimeError, OSError) as err:
        problem = str(err).splitlines()[0]
        raise MalformedFile(weights_path, None, f"does not fit the model ({problem})") from None
    return model.eval(), config


def read_sentences(path: str | Path) -> list[str]:
    """One sentence a line (UTF-8); a blank line or an empty file is an error."""
    path = Path(path)
    if not path.is_file():
        raise BadInput(f"{path} does not exist; give a text file with one sentence a line")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        raise MalformedFile(path, None, "is not UTF-8 text") from None
    if not lines:
        raise BadInput(f"{path} holds no sentences; write one sentence a line")
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            raise MalformedFile(path, lineno, "blank line; write one sentence a line")
    return lines


def encode_file(
    model_dir: str | Path, input_path: str | Path, output_path: str | Path, batch_size: int = 256
) -> dict[str, Any]:
    """Embed the sentences of ``input_path`` with the model in ``model_dir`` into ``output_path``.

    Row ``i`` of the ``(N, D)`` float32 array is the unit vector of line ``i + 1``.
    """
    from rl_vision.grounded.training import encode_sentences

    output = Path(output_path)
    if output.suffix != ".npy":
        raise BadInput(f"the output must be a .npy file, got '{output}'")
    if output.is_dir():
        raise BadInput(f"the output {output} is a folder; give a .npy file name")
    model, _ = load_grounded(model_dir)
    sentences = read_sentences(input_path)
    emb = encode_sentences(model.sentences, sentences, batch_size, model.vocab).numpy()
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.stem}.tmp.npy")
    np.save(tmp, emb.astype(np.float32))
    tmp.replace(output)
    return {"sentences": len(sentences), "dim": int(emb.shape[1]), "output": str(output)}
