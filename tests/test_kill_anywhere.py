"""Kill any writing command at any moment: its output is the previous whole one or nothing.

For every leaf command with ``--out`` (a new one must be added to ``TINY``, or the first test
fails), a tiny invocation is run three times in forked children (:mod:`killer`):

1. to the end, with every file-system write recorded: each must go to a temporary path
   (``.name.*.tmp``, renamed into place whole), be that atomic rename itself, or land in a
   checkpoint area that resume skips when incomplete. This covers every moment at once: with
   only such writes, no kill can leave a half-written output.
2. killed (``os._exit(137)``, as SIGKILL) at a write drawn by hypothesis, then checked: no
   final file under ``--out`` is half written (each parses: JSON, safetensors, PNG);
3. rerun on the killed folder (``--resume`` where the command has it, the default), which must
   succeed and leave the same files as the uninterrupted run.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))  # --import-mode=importlib adds no test folder

import killer
from hostile import leaves

from rl_shared.formats import get_format

LEAVES = leaves()  # loading every command registers the formats its options read

DATA = os.environ.get("RL_DATA_DIR", str(Path(__file__).resolve().parents[2] / "shared" / "data"))

#: command -> a tiny invocation (without --out); "{sample:NAME}" is a valid sample of the
#: registered format NAME (rl_shared.formats), written for the case
TINY: dict[str, list[str]] = {
    "reproduce": ["retrieval.limit.critical-n", "--smoke"],
    "graph l2r-gnn generate": ["--num-graphs", "6"],
    "retrieval limit generate": ["--docs", "6", "--queries", "3", "--attributes", "4"],
    "robotics sirl generate": ["--trajectories", "2", "--horizon", "3"],
    "vision any2seg scenes": ["--count", "2", "--size", "16"],
    "text 2dmse train": [
        "--data", "stsb:train", "--steps", "4", "--batch-size", "4", "--save-steps", "2",
    ],
    "chem cmim train": [
        "--steps", "2", "--batch-size", "4", "--limit", "16", "--latent", "4", "--hidden", "8",
    ],
    "graph l2r-gnn train": [
        "--epochs", "1", "--num-train", "6", "--num-test", "3", "--batch-size", "4",
    ],
    "graph vgnn train": ["--epochs", "1", "--num-admissions", "20", "--batch-size", "8"],
    "recsys dual-embeddings train": ["--data", "groceries", "--dim", "4", "--epochs", "1"],
    "recsys dual-embeddings evaluate": ["--data", "groceries", "--dim", "4", "--epochs", "1"],
    "retrieval beir search": ["--data", "cranfield", "--retriever", "bm25"],
    "robotics sirl render": ["--trajectories", "1"],
    "robotics sirl train": [
        "--queries", "2", "--preferences", "2", "--pool", "3", "--steps", "2", "--batch-size", "2",
    ],
    "text pixel render": ["hello"],
    "retrieval beir evaluate": ["--data", "cranfield", "--retriever", "bm25"],
    "retrieval beir leaderboard": ["--datasets", "cranfield", "--retrievers", "bm25"],
    "retrieval beir submit": ["--run", "{sample:trec-run}", "--data", "{sample:beir-folder}"],
    "retrieval beir convert-smart": ["--data", "{sample:beir-smart-collection}"],
    "recsys dual-embeddings export": ["--model", "{sample:dual-embeddings-model}"],
    "graph l2r-gnn evaluate": [
        "--model", "{sample:l2r-gnn-model}", "--data", "{sample:l2r-gnn-molecules}",
    ],
    "graph vgnn evaluate": ["--model", "{sample:vgnn-model}", "--data", "{sample:vgnn-ehr}"],
    "text binary-pv train": [
        "--data", "{sample:binary-pv-docs}", "--bits", "4", "--real-dim", "4", "--epochs", "1",
    ],
    "text binary-pv encode": [
        "--model", "{sample:binary-pv-model}", "--data", "{sample:binary-pv-docs}", "--epochs", "1",
    ],
    "text cvib train": ["--data", "{sample:cvib-absa-folder}", "--steps", "2", "--batch-size", "2"],
    "text lowrank-attention train": [
        "--data", "{sample:cvib-absa-folder}", "--hidden", "8", "--heads", "2", "--rank", "2",
        "--epochs", "1", "--batch-size", "2",
    ],
    "text disambiguated-skipgram train": [
        "--data", "{sample:disambiguated-skipgram-corpus}", "--senses", "2", "--dim", "4",
        "--epochs", "1", "--min-count", "1",
    ],
    "text gfun train": ["--data", "{sample:gfun-docs-tsv}"],
    "text gfun encode": ["--model", "{sample:gfun-model}", "--data", "{sample:gfun-texts-tsv}"],
    "text pixel train": ["--data", "{sample:pixel-sentences}", "--steps", "2", "--batch-size", "2"],
    "text pixel encode": ["--model", "{sample:pixel-model}", "--data", "{sample:pixel-sentences}"],
    "vision grounded encode": [
        "--model", "{sample:grounded-model}", "--data", "{sample:grounded-sentences}",
    ],
    "vision grounded compare": [
        "--data", "{sample:grounded-sts-tsv}", "--steps", "2", "--batch-size", "2",
        "--num-scenes", "8", "--size", "32", "--test-scenes", "8",
    ],
    "text dse train": [
        "--data", "{sample:sts-pairs}", "--model", "{sample:dse-teacher}",
        "--teacher", "{sample:dse-teacher}", "--steps", "2", "--batch-size", "2",
        "--save-steps", "1",
    ],
    "text kalm train": [
        "--data", "{sample:kalm-pairs}", "--steps", "2", "--batch-size", "2", "--save-steps", "1",
        "--hard-negatives", "0", "--mix-negatives", "0", "--soup", "1",
    ],
    "text defsent train": [
        "--data", "{sample:defsent-wordnet}", "--steps", "2", "--batch-size", "2",
        "--save-steps", "1", "--definitions", "4", "--isotropy", "none",
    ],
    "text moe train": ["--steps", "2", "--batch-size", "2", "--save-steps", "1"],
    "text codiemb train": [
        "--steps", "2", "--retrieval-batch-size", "2", "--sts-batch-size", "2", "--save-steps", "1",
    ],
    "chem skala train": ["--data", "H2,LiH,Li2", "--steps", "2", "--n-val", "1", "--n-test", "1"],
    "vision any2seg train": [
        "--steps", "2", "--teacher-steps", "1", "--batch-size", "2", "--size", "32",
        "--num-scenes", "2", "--checkpoint-every", "1",
    ],
    "vision grounded train": [
        "--steps", "2", "--batch-size", "2", "--num-scenes", "8", "--size", "32",
        "--checkpoint-every", "1",
    ],
}  # fmt: skip


#: minutes, not seconds, on 2 cores (CoDiEmb builds its whole task mix): ``-m slow``
SLOW = {"text codiemb train"}


def _is_temp(path: Path, out: Path) -> bool:
    """A path inside a temporary (``.name.*.tmp``) or aside (``.name.old-PID``) file/folder."""
    for part in path.relative_to(out).parts if path.is_relative_to(out) else ():
        if part.startswith(".") and (part.endswith(".tmp") or ".old-" in part):
            return True
    return False


def _in_checkpoints(path: Path, out: Path) -> bool:
    rel = path.relative_to(out).parts if path.is_relative_to(out) else ()
    return any(p == "checkpoints" or p.startswith("checkpoint-") for p in rel)


def _unsafe_writes(writes: list[tuple[str, str]], out: Path) -> list[str]:
    bad = []
    for event, raw in writes:
        path = Path(raw)
        if not path.is_relative_to(out) or _in_checkpoints(path, out):
            continue
        if event == "os.rename":
            continue  # the atomic step itself (its source is a temporary path)
        if event == "os.mkdir" and not _is_temp(path, out):
            continue  # an empty folder is "nothing", not a half-written output
        if not _is_temp(path, out):
            bad.append(f"{event} {path.relative_to(out)}")
    return bad


def _unexplained(products: dict[str, Path], writes: list[tuple[str, str]], out: Path) -> list[str]:
    """Final files no audited rename put in place: written in place by native code (safetensors,
    torch.save), which the audit hook cannot see, so a kill could leave them half written."""
    renamed = [Path(raw) for event, raw in writes if event == "os.rename"]
    return [
        rel
        for rel, path in products.items()
        if not any(path == target or target in path.parents for target in renamed)
    ]


def _products(out: Path) -> dict[str, Path]:
    """Final files under OUT: neither temporary nor in a checkpoint area."""
    if not out.exists():
        return {}
    found = {}
    for path in out.rglob("*"):
        if path.is_file() and not _is_temp(path, out) and not _in_checkpoints(path, out):
            found[str(path.relative_to(out))] = path
    return found


def _whole(path: Path) -> None:
    """Raise if ``path`` is visibly half written."""
    if path.suffix == ".json":
        json.loads(path.read_text(encoding="utf-8"))
    elif path.suffix == ".safetensors":
        from safetensors import safe_open

        with safe_open(str(path), framework="pt") as handle:
            for key in handle.keys():
                handle.get_tensor(key)
    elif path.suffix == ".png":
        assert path.read_bytes()[-8:-4] == b"IEND", f"{path} is a truncated PNG"


def _argv(name: str, out: Path, tmp: Path) -> list[str]:
    args = []
    for arg in TINY[name]:
        if arg.startswith("{sample:") and arg.endswith("}"):
            fmt = arg[len("{sample:") : -1]
            folder = tmp / "samples" / fmt
            if not folder.exists():
                folder.mkdir(parents=True)
                (folder.parent / f"{fmt}.path").write_text(
                    str(get_format(fmt).write_sample(folder))
                )
            arg = (folder.parent / f"{fmt}.path").read_text()
        args.append(arg)
    return [*name.split(), *args, "--out", str(out)]


def test_every_command_that_writes_has_a_tiny_invocation():
    writing = {
        " ".join(path[1:])
        for path, command in LEAVES
        if any(p.name == "out" for p in command.params)
    }
    assert sorted(writing - set(TINY)) == [], "add these to TINY in tests/test_kill_anywhere.py"


@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=pytest.mark.slow) if n in SLOW else n for n in sorted(TINY)]
)
def test_killed_at_any_write_leaves_whole_output_and_a_rerun_completes(
    name, tmp_path_factory, monkeypatch
):
    monkeypatch.setenv("RL_DATA_DIR", DATA)
    env = {"RL_DATA_DIR": DATA, "RL_CACHE_DIR": str(tmp_path_factory.mktemp("cache"))}
    scratch = tmp_path_factory.mktemp("scratch")
    clean_out = tmp_path_factory.mktemp("clean") / "out"
    clean = killer.run(
        _argv(name, clean_out, scratch), watch=clean_out.parent, scratch=scratch, env=env
    )
    assert clean.code == 0, f"rl {name} failed uninterrupted (exit {clean.code})"
    assert clean.writes, "the command wrote nothing under --out"
    unsafe = _unsafe_writes(clean.writes, clean_out)
    assert not unsafe, (
        "writes to final paths (not temporary, not renamed into place):\n" + "\n".join(unsafe[:20])
    )
    expected = _products(clean_out)
    unexplained = _unexplained(expected, clean.writes, clean_out)
    assert not unexplained, "files not renamed into place whole: " + ", ".join(unexplained)

    @settings(
        max_examples=int(os.environ.get("KILL_EXAMPLES", "1")),
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(kill_at=st.integers(1, len(clean.writes)))
    def check(kill_at: int) -> None:
        out = tmp_path_factory.mktemp("killed") / "out"
        killed = killer.run(
            _argv(name, out, scratch), watch=out.parent, scratch=scratch, kill_at=kill_at, env=env
        )
        assert killed.exitcode == 137, f"not killed at write {kill_at} (exit {killed.exitcode})"
        for path in _products(out).values():
            _whole(path)
        rerun = killer.run(_argv(name, out, scratch), watch=out.parent, scratch=scratch, env=env)
        assert rerun.code == 0, f"the rerun after a kill at write {kill_at} failed"
        assert sorted(_products(out)) == sorted(expected)

    check()


def test_the_audit_flags_writes_to_final_paths(tmp_path):
    out = tmp_path / "out"
    writes = [
        ("os.mkdir", str(out)),
        ("open", str(out / ".model.abc.tmp" / "weights.safetensors")),
        ("os.rename", str(out / "model")),
        ("open", str(out / "checkpoints" / "checkpoint-2" / "optimizer.pt")),
        ("open", str(out / "result.json")),  # written in place: a kill leaves half of it
        ("os.remove", str(out / "model" / "config.json")),  # the old output gone first
    ]
    assert _unsafe_writes(writes, out) == ["open result.json", "os.remove model/config.json"]
    products = {"model/weights.safetensors": out / "model" / "weights.safetensors"}
    products["result.json"] = out / "result.json"
    assert _unexplained(products, writes, out) == ["result.json"]


@pytest.mark.parametrize("name", ["text 2dmse train"])
def test_text_train_killed_while_writing_a_checkpoint_resumes(name, tmp_path_factory, monkeypatch):
    """transformers' Trainer writes checkpoint-N/ in place; a kill there leaves it incomplete,
    and ``--resume`` must take the newest complete checkpoint instead."""
    env = {"RL_DATA_DIR": DATA, "RL_CACHE_DIR": str(tmp_path_factory.mktemp("cache"))}
    scratch = tmp_path_factory.mktemp("scratch")
    clean_out = tmp_path_factory.mktemp("clean") / "out"
    clean = killer.run(
        _argv(name, clean_out, scratch), watch=clean_out.parent, scratch=scratch, env=env
    )
    assert clean.code == 0
    # the last write into the second checkpoint folder (the first is complete by then)
    folders = sorted(
        {Path(p).relative_to(clean_out).parts[1] for _, p in clean.writes if "checkpoint-" in p},
        key=lambda f: int(f.rsplit("-", 1)[1]),
    )
    assert len(folders) >= 2, f"expected two checkpoints, got {folders}"
    inside = [
        i
        for i, (_, p) in enumerate(clean.writes, 1)
        if f"/{folders[1]}/" in p or p.endswith(folders[1])
    ]
    kill_at = inside[len(inside) // 2]
    out = tmp_path_factory.mktemp("killed") / "out"
    killed = killer.run(
        _argv(name, out, scratch), watch=out.parent, scratch=scratch, kill_at=kill_at, env=env
    )
    assert killed.exitcode == 137
    assert (out / "checkpoints" / folders[1]).is_dir(), "the kill did not hit the checkpoint"
    rerun = killer.run(_argv(name, out, scratch), watch=out.parent, scratch=scratch, env=env)
    assert rerun.code == 0, "resume after a kill inside a checkpoint failed"
    assert sorted(_products(out)) == sorted(_products(clean_out))
