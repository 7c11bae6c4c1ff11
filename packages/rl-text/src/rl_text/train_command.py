"""``rl text train --method ...``: every training method behind one command.

All methods train through sentence-transformers' ``SentenceTransformerTrainer`` (so
``torchrun --nproc_per_node N -m rl_shared.cli.main text train ...`` runs DDP), show the
trainer's progress bar, checkpoint to ``OUT/checkpoints`` (``--resume`` continues) and save
``OUT/model``, loadable with ``SentenceTransformer(OUT/model)``.

Example:
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(train_cmd, ["--help"]).exit_code
    0
"""

from __future__ import annotations

import contextlib
import sys
from typing import Any

import click

from rl_shared.cli.common import emit_json, json_option, seed_option

__all__ = ["METHODS", "train_cmd"]

METHODS = ("2dmse", "st-2dmse", "matryoshka", "cosent", "dse", "kalm", "codiemb", "moe", "defsent")
DEFAULT_DATA = {"kalm": "pairs", "codiemb": "cranfield+stsb"}


def _kalm_examples(data: str, seed: int) -> tuple[Any, list[str] | None]:
    from pathlib import Path

    from rl_text.tasks import cranfield_split, load_examples, positive_pairs, retrieval_examples

    if Path(data).exists():
        return load_examples(data), None
    if data == "pairs":
        return positive_pairs(), None
    if data == "cranfield":
        train, _ = cranfield_split(seed=0)
        texts = [f"{d.get('title', '')} {d.get('text', '')}".strip() for d in train.corpus.values()]
        return retrieval_examples(train), texts
    from rl_shared.errors import BadInput

    raise BadInput(
        f"--data for kalm must be 'pairs', 'cranfield' or a CSV/TSV of anchor,positive[,negative] "
        f"rows; got {data!r}"
    )


@click.command("train")
@click.option("--method", type=click.Choice(METHODS), default="2dmse", show_default=True)
@click.option("--model", default="minilm", show_default=True, help="Short name or local folder.")
@click.option(
    "--data",
    default=None,
    help="STS methods and dse: pairs as eval-sts (default stsb:train). kalm: 'pairs' "
    "(STS-B >= 4 and SICK entailment), 'cranfield' (training half of the queries) or a "
    "CSV/TSV with anchor,positive[,negative...] columns. codiemb: Cranfield + STS-B train.",
)
@click.option("--columns", default=None, help="'s1,s2,score': header names or 0-based indices.")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("--steps", type=int, default=200, show_default=True)
@click.option("--batch-size", type=int, default=32, show_default=True)
@click.option("--lr", type=float, default=2e-5, show_default=True)
@click.option("--save-steps", type=int, default=50, show_default=True)
@click.option("--resume", is_flag=True, help="Continue from the last checkpoint in OUT.")
@click.option("--teacher", default=None, help="dse: a trained cross-encoder (default: train one).")
@click.option("--alpha", type=float, default=0.5, show_default=True, help="dse: teacher weight.")
@click.option("--pooling", default="mean", show_default=True, help="kalm: mean|cls|max|lasttoken.")
@click.option(
    "--hard-negatives", type=int, default=1, show_default=True, help="kalm: mined per example."
)
@click.option(
    "--margin", type=float, default=0.05, show_default=True, help="kalm: false-negative margin."
)
@click.option(
    "--focal-gamma", type=float, default=1.0, show_default=True, help="kalm: 0 turns it off."
)
@click.option(
    "--mix-negatives", type=int, default=8, show_default=True, help="kalm: 0 turns it off."
)
@click.option("--soup", type=int, default=3, show_default=True, help="kalm: checkpoints averaged.")
@click.option("--temperature", type=float, default=0.05, show_default=True)
@click.option("--shuffle/--no-shuffle", default=True, show_default=True, help="kalm: data order.")
@click.option(
    "--gather/--no-gather",
    default=True,
    show_default=True,
    help="kalm: in-batch negatives from every torch.distributed rank.",
)
@click.option("--retrieval-batch-size", type=int, default=16, show_default=True, help="codiemb.")
@click.option("--sts-batch-size", type=int, default=32, show_default=True, help="codiemb.")
@click.option("--naive", is_flag=True, help="codiemb: naive co-training baseline instead.")
@click.option(
    "--domains",
    default="sick,news,captions,forum",
    show_default=True,
    help="moe: domains (sick, stsb, news, captions, forum); one domain: a single-domain model.",
)
@click.option("--moe-layers", default=None, help="moe: 0-based layers given experts (default all).")
@click.option("--shared", is_flag=True, help="moe: one shared model instead of experts.")
@click.option("--definitions", type=int, default=8000, show_default=True, help="defsent.")
@click.option(
    "--isotropy",
    type=click.Choice(["whiten", "ica", "none"]),
    default="whiten",
    show_default=True,
    help="defsent: transform of the entry space.",
)
@click.option(
    "--entry-mode",
    type=click.Choice(["definitions", "entry"]),
    default="definitions",
    show_default=True,
    help="defsent: entry embedding = mean of its definitions, or the entry string.",
)
@click.option("--prompt", is_flag=True, help="defsent: prompt-based [MASK] pooling.")
@click.option("--refresh-steps", type=int, default=100, show_default=True, help="defsent.")
@seed_option
@json_option
def train_cmd(**opts: Any) -> None:
    """Fine-tune a sentence encoder with METHOD; save OUT/model (resumable checkpoints).

    \b
    2dmse       2D Matryoshka (layers x dims) around CoSENT on STS pairs
    st-2dmse    sentence-transformers' Matryoshka2dLoss, same inner loss
    matryoshka  Matryoshka over dims only; cosent: CoSENT alone
    dse         cross-encoder teacher, then a bi-encoder + pair-head student
    kalm        InfoNCE with KaLM-V2's mined negatives, focal weights, mixing, soup
    codiemb     retrieval + STS with single-task batches and order-aware STS losses
    moe         MLP experts per domain, routed by a domain tag, multiple-negatives ranking
    defsent     project WordNet definitions onto an isotropic space of their entries
    """
    as_json = opts.pop("as_json")
    # the trainer prints its log lines on stdout; with --json stdout holds the JSON alone
    with contextlib.redirect_stdout(sys.stderr) if as_json else contextlib.nullcontext():
        try:
            path, extra = _train(**opts)
        finally:
            _leave_process_group()
    if as_json:
        emit_json(
            {
                "method": opts["method"],
                "model": str(path),
                "steps": opts["steps"],
                "seed": opts["seed"],
                **extra,
            }
        )
    else:
        loader = extra.get("load_with", "SentenceTransformer")
        click.echo(f"saved {path}  (load with {loader}('{path}'))")


def _leave_process_group() -> None:
    """Tear down a torchrun process group, so no gloo thread outlives the interpreter.

    Left to interpreter exit, gloo's worker threads can be destroyed while joinable and
    abort the process (``terminate called without an active exception``).
    """
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        dist.destroy_process_group()


def _train(method: str, **o: Any) -> tuple[Any, dict]:
    from pathlib import Path

    from rl_text.sts import named_or_file_pairs

    common = dict(
        steps=o["steps"], learning_rate=o["lr"], seed=o["seed"], resume=o["resume"],
        save_steps=o["save_steps"], show_progress=True,
    )  # fmt: skip
    data = o["data"] or DEFAULT_DATA.get(method, "stsb:train")
    if method in ("2dmse", "st-2dmse", "matryoshka", "cosent"):
        from rl_text.train import train_sts

        pairs = named_or_file_pairs(data, o["columns"])
        return train_sts(
            o["model"], pairs, o["out"], method=method, batch_size=o["batch_size"], **common
        ), {}
    if method == "dse":
        from rl_text.dse import teacher_scores, train_dse, train_teacher

        pairs = named_or_file_pairs(data, o["columns"])
        teacher = o["teacher"] or train_teacher(
            pairs, o["out"], model=o["model"], batch_size=o["batch_size"], **common
        )
        scores = teacher_scores(teacher, pairs)
        path = train_dse(
            pairs, scores, Path(o["out"]), model=o["model"], alpha=o["alpha"],
            batch_size=o["batch_size"], **common,
        )  # fmt: skip
        return path, {"teacher": str(teacher)}
    if method == "kalm":
        from rl_text.kalm import KalmRecipe, train_kalm

        recipe = KalmRecipe(
            pooling=o["pooling"], hard_negatives=o["hard_negatives"],
            false_negative_margin=o["margin"], focal_gamma=o["focal_gamma"],
            mixed_negatives=o["mix_negatives"], soup=o["soup"], temperature=o["temperature"],
        )  # fmt: skip
        examples, corpus = _kalm_examples(data, o["seed"])
        common["save_steps"] = None if recipe.soup > 1 else o["save_steps"]
        path = train_kalm(
            o["model"], examples, o["out"], recipe, corpus=corpus, batch_size=o["batch_size"],
            gather_across_devices=o["gather"], shuffle=o["shuffle"], **common,
        )  # fmt: skip
        return path, {"recipe": recipe.loss_name()}
    if method == "moe":
        from rl_text.moe import domain_positive_pairs, train_moe

        domains = [d.strip() for d in o["domains"].split(",") if d.strip()]
        layers = [int(x) for x in o["moe_layers"].split(",")] if o["moe_layers"] else None
        path = train_moe(
            o["model"], domain_positive_pairs(domains), o["out"], moe=not o["shared"],
            layers=layers, batch_size=o["batch_size"], **common,
        )  # fmt: skip
        return path, {"domains": domains, "load_with": "rl_text.moe.load_moe"}
    if method == "defsent":
        from rl_text.defsent import load_wordnet_pairs, make_definition_set, train_defsent

        data = make_definition_set(
            load_wordnet_pairs(), n=o["definitions"], seed=o["seed"], min_definitions=2
        )
        path = train_defsent(
            o["model"], data, o["out"], isotropy=o["isotropy"], entry_mode=o["entry_mode"],
            prompt=o["prompt"], refresh_steps=o["refresh_steps"], temperature=o["temperature"],
            batch_size=o["batch_size"], **common,
        )  # fmt: skip
        loader = "rl_text.defsent.load_prompt_model" if o["prompt"] else "SentenceTransformer"
        return path, {"definitions": len(data.definitions), "load_with": loader}
    from rl_text.codiemb import train_codiemb
    from rl_text.sts import load_stsb
    from rl_text.tasks import cranfield_split

    if data != DEFAULT_DATA["codiemb"]:
        from rl_shared.errors import BadInput

        raise BadInput("codiemb trains on Cranfield's training queries and STS-B train only")
    train, _ = cranfield_split(seed=0)
    path = train_codiemb(
        o["model"], _with_negatives(o["model"], train), load_stsb("train"), o["out"],
        retrieval_batch_size=o["retrieval_batch_size"], sts_batch_size=o["sts_batch_size"],
        naive=o["naive"], temperature=o["temperature"], **common,
    )  # fmt: skip
    return path, {}


def _with_negatives(model: str, split: Any) -> Any:
    from rl_shared.models import load_sentence_transformer
    from rl_text.tasks import Examples, mine_negatives, retrieval_examples

    st = load_sentence_transformer(model)
    ex = retrieval_examples(split)
    texts = [f"{d.get('title', '')} {d.get('text', '')}".strip() for d in split.corpus.values()]
    return Examples(
        ex.anchors, ex.positives, mine_negatives(st, ex.anchors, ex.positives, texts, num=2)
    )
