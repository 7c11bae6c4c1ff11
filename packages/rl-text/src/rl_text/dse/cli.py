"""``rl text dse``: train a cross-encoder teacher and distil it into a bi-encoder student.

References:
    Barkan et al., "Scalable Attentive Sentence-Pair Modeling via Distilled Sentence Embedding",
    AAAI 2020. https://arxiv.org/abs/1908.05161

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(group, ["train", "--help"]).exit_code
    0
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from rl_shared.cli import (
    FiniteFloat,
    InputOption,
    batch_size_option,
    data_option,
    device_option,
    emit_json,
    json_option,
    lr_option,
    model_option,
    out_option,
    precision_option,
    resume_option,
    seed_option,
    steps_option,
)
from rl_shared.sts import STS_PAIRS_FORMAT
from rl_text.core.commands import check_runtime, format_score, training_output
from rl_text.dse.formats import DSE_MODEL, DSE_TEACHER

__all__ = ["group"]


@click.group("dse")
def group() -> None:
    """Distilled Sentence Embedding (arXiv:1908.05161): a cross-encoder in a bi-encoder."""


@group.command("train")
@data_option(
    default="stsb:train",
    help="Scored pairs: a CSV/TSV (STS-B layout unless --columns) or stsb[:split] / sick[:split].",
    formats=(STS_PAIRS_FORMAT.name,),
)
@click.option("--columns", default=None, help="'s1,s2,score': header names or 0-based indices.")
@model_option(
    help="Start of the teacher and the student: a short name, a local folder or a hub id "
    "org/name[@rev]."
)
@out_option(help="Output folder: OUT/teacher/model (unless --teacher), OUT/model (the student).")
@click.option(
    "--teacher",
    cls=InputOption,
    formats=(DSE_TEACHER.name,),
    default=None,
    help="A trained CrossEncoder: a local folder such as OUT/teacher/model of an earlier run, "
    "or a hub id org/name[@rev] (default: train one from MODEL first).",
)
@click.option(
    "--alpha", type=FiniteFloat(0, 1), default=0.5, show_default=True, help="Teacher weight."
)
@steps_option(default=200, help="Training steps of the teacher and of the student.")
@batch_size_option(default=32)
@lr_option(default=2e-5)
@click.option("--save-steps", type=click.IntRange(min=1), default=50, show_default=True)
@seed_option
@device_option()
@precision_option
@resume_option
@json_option
def train(
    data: str,
    columns: str | None,
    model: str,
    out: Path,
    teacher: str | None,
    alpha: float,
    steps: int,
    batch_size: int,
    lr: float,
    save_steps: int,
    seed: int,
    device: str,
    precision: str,
    resume: bool,
    as_json: bool,
) -> None:
    """Train (or take) a cross-encoder teacher, label the pairs, train the DSE student.

    The student is saved to OUT/model; load it with
    rl_text.dse.DistilledSentenceEmbedding.load('OUT/model').
    """
    from rl_shared.errors import BadInput
    from rl_shared.models import check_json_files, resolve
    from rl_shared.sts import named_or_file_pairs
    from rl_text.core.loading import check_model_folder
    from rl_text.dse.train import teacher_scores, train_dse, train_teacher

    check_runtime(device, precision)
    teacher_folder: Path | None = None
    if teacher is not None:  # every input is checked before OUT is made
        path = Path(teacher).expanduser()
        if path.exists() and not path.is_dir():
            raise BadInput(f"--teacher {teacher} is not a folder (pass a saved CrossEncoder)")
        teacher_folder = resolve(teacher)  # a folder, or a hub id fetched into the HF cache
        if not (teacher_folder / "config.json").exists():
            raise BadInput(
                f"--teacher {teacher} is not a saved CrossEncoder folder (no config.json)"
            )
        check_json_files(teacher_folder)
    pairs = named_or_file_pairs(data, columns)
    if len(pairs) < 2:
        raise BadInput(f"DSE training needs at least 2 sentence pairs; {data} has {len(pairs)}")
    check_model_folder(model)
    common: dict[str, Any] = dict(
        steps=steps, batch_size=batch_size, learning_rate=lr, seed=seed, resume=resume,
        save_steps=save_steps, device=device, precision=precision,
    )  # fmt: skip
    with training_output(as_json):
        teacher_path = teacher_folder or train_teacher(pairs, out, model=model, **common)
        scores = teacher_scores(teacher_path, pairs, device=device, precision=precision)
        path = train_dse(pairs, scores, out, model=model, alpha=alpha, **common)
    if as_json:
        emit_json(
            {"model": str(path), "teacher": str(teacher_path), "alpha": alpha, "pairs": len(pairs),
             "steps": steps, "seed": seed}
        )  # fmt: skip
    else:
        click.echo(f"saved {path}  (load with DistilledSentenceEmbedding.load('{path}'))")


@group.command("evaluate")
@model_option(
    default=None,
    help="A DSE student folder (OUT/model of `rl text dse train`).",
    formats=(DSE_MODEL.name,),
)
@data_option(
    default="stsb:test",
    help="Scored pairs: a CSV/TSV or stsb[:split] / sick[:split].",
    formats=(STS_PAIRS_FORMAT.name,),
)
@click.option("--columns", default=None, help="'s1,s2,score': header names or 0-based indices.")
@seed_option
@device_option()
@precision_option
@json_option
def evaluate(
    model: str,
    data: str,
    columns: str | None,
    seed: int,
    device: str,
    precision: str,
    as_json: bool,
) -> None:
    """Spearman of the student's pair-head scores, and of its cosine similarity."""
    from rl_shared.sts import correlations, named_or_file_pairs
    from rl_text.core.evaluation import evaluate_sts
    from rl_text.dse.model import DistilledSentenceEmbedding

    check_runtime(device, precision)
    pairs = named_or_file_pairs(data, columns)
    dse = DistilledSentenceEmbedding.load(model, device=device, precision=precision)
    head = correlations(dse.score(pairs.sentences1, pairs.sentences2), pairs.scores)
    if None in head.values():
        click.echo(
            "warning: the head's correlation is undefined (constant gold or head scores); "
            "reported as null",
            err=True,
        )
    cosine = evaluate_sts(dse.model, pairs, precision=precision)
    result = {"model": model, "data": data, "pairs": len(pairs), "head": head,
              "cosine": {"spearman": cosine["spearman"], "pearson": cosine["pearson"]}}  # fmt: skip
    if as_json:
        emit_json(result)
        return
    click.echo(f"{model} on {data} ({len(pairs)} pairs)")
    click.echo(f"  head   Spearman {format_score(head['spearman'])}")
    click.echo(f"  cosine Spearman {format_score(cosine['spearman'])}")
