"""Save and load a Disambiguated Skip-gram with its vocabulary (safetensors + JSON).

Example:
    >>> import tempfile
    >>> m = DisambiguatedSkipGram(3, dim=4, senses=2)
    >>> folder = save_skipgram(tempfile.mkdtemp() + "/dsg", m, ["a", "b", "c"])
    >>> again, vocab = load_skipgram(folder)
    >>> vocab, bool((again.sense.weight == m.sense.weight).all())
    (['a', 'b', 'c'], True)
"""

from __future__ import annotations

import json
from pathlib import Path

from rl_shared.errors import BadInput
from rl_text.disambiguated_skipgram.model import DisambiguatedSkipGram

__all__ = ["load_skipgram", "save_skipgram"]


def save_skipgram(folder: str | Path, model: DisambiguatedSkipGram, vocab: list[str]) -> Path:
    """Write ``config.json`` (sizes, vocabulary) and ``model.safetensors``."""
    from safetensors.torch import save_file

    from rl_shared.io import atomic_dir

    folder = Path(folder)
    config = {"dim": model.dim, "senses": model.senses, "vocab": list(vocab)}
    with atomic_dir(folder) as tmp:
        (tmp / "config.json").write_text(json.dumps(config))
        state = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
        save_file(state, str(tmp / "model.safetensors"))
    return folder


def load_skipgram(folder: str | Path) -> tuple[DisambiguatedSkipGram, list[str]]:
    """``(model, vocabulary)`` from :func:`save_skipgram`."""
    from safetensors.torch import load_file

    folder = Path(folder)
    if not (folder / "config.json").is_file() or not (folder / "model.safetensors").is_file():
        raise BadInput(
            f"{folder} is not a saved skip-gram model (needs config.json and model.safetensors)"
        )
    c = json.loads((folder / "config.json").read_text())
    model = DisambiguatedSkipGram(len(c["vocab"]), c["dim"], c["senses"])
    model.load_state_dict(load_file(str(folder / "model.safetensors")))
    return model, c["vocab"]
