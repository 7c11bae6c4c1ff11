"""The ``rl`` command and the helpers members use to add sub-commands to it.

Options come from :mod:`rl_shared.cli.options` (the vocabulary of DESIGN section 4); output
goes through :func:`emit_json` and :func:`progress`.
"""

from rl_shared.cli.common import emit_json, progress, strict_json
from rl_shared.cli.options import (
    VOCABULARY,
    FiniteFloat,
    InputOption,
    VocabOption,
    batch_size_option,
    data_option,
    device_option,
    json_option,
    lr_option,
    model_option,
    out_option,
    precision_option,
    resume_option,
    seed_option,
    steps_option,
    writing_to,
)

__all__ = [
    "VOCABULARY",
    "FiniteFloat",
    "InputOption",
    "VocabOption",
    "batch_size_option",
    "data_option",
    "device_option",
    "emit_json",
    "json_option",
    "lr_option",
    "model_option",
    "out_option",
    "precision_option",
    "progress",
    "resume_option",
    "seed_option",
    "steps_option",
    "strict_json",
    "writing_to",
]
