"""Hostile input to what the papers share: resume past a half-written checkpoint, undefined
correlations, broken JSON in model folders, the kalm pairs file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from safetensors.torch import save_file

from rl_shared.errors import BadInput, MalformedFile, ModelNotFound
from rl_shared.sts import StsPairs
from rl_text.core.fit import checkpoints, fit, is_complete_checkpoint, last_checkpoint
from rl_text.core.loading import check_json_files, check_model_folder, load_with_classes
from rl_text.core.tasks import load_examples


def _checkpoint(out: Path, step: int, *, state: bool = True, weights: bool = True) -> Path:
    folder = out / "checkpoints" / f"checkpoint-{step}"
    folder.mkdir(parents=True)
    if weights:
        save_file({"w": torch.zeros(4)}, str(folder / "model.safetensors"))
    if state:
        (folder / "trainer_state.json").write_text(json.dumps({"global_step": step}))
    return folder


# ---------------------------------------------------------------- resume


def test_resume_skips_a_checkpoint_without_model_safetensors(tmp_path: Path) -> None:
    _checkpoint(tmp_path, 2)
    _checkpoint(tmp_path, 4, weights=False)  # killed while writing the weights
    assert last_checkpoint(tmp_path).name == "checkpoint-2"


def test_resume_skips_a_checkpoint_without_trainer_state(tmp_path: Path) -> None:
    _checkpoint(tmp_path, 2)
    _checkpoint(tmp_path, 10, state=False)  # killed before the trainer state
    assert last_checkpoint(tmp_path).name == "checkpoint-2"
    assert [p.name for p in checkpoints(tmp_path)] == ["checkpoint-2"]


def test_resume_skips_truncated_weights_and_a_cut_trainer_state(tmp_path: Path) -> None:
    _checkpoint(tmp_path, 3)
    cut = _checkpoint(tmp_path, 6)
    data = (cut / "model.safetensors").read_bytes()
    (cut / "model.safetensors").write_bytes(data[: len(data) - 5])  # killed mid-write
    assert not is_complete_checkpoint(cut)
    half = _checkpoint(tmp_path, 9)
    (half / "trainer_state.json").write_text('{"global_step": ')
    assert last_checkpoint(tmp_path).name == "checkpoint-3"


def test_resume_requires_the_extra_module_files(tmp_path: Path) -> None:
    _checkpoint(tmp_path, 2)
    save_file({"w": torch.zeros(1)}, str(tmp_path / "checkpoints/checkpoint-2/head.safetensors"))
    _checkpoint(tmp_path, 4)  # the head's callback never ran
    assert last_checkpoint(tmp_path).name == "checkpoint-4"
    assert last_checkpoint(tmp_path, ["head.safetensors"]).name == "checkpoint-2"


def test_resume_orders_checkpoints_by_step_not_by_name(tmp_path: Path) -> None:
    for step in (9, 10, 100):
        _checkpoint(tmp_path, step)
    (tmp_path / "checkpoints" / "checkpoint-x").mkdir()
    assert [p.name for p in checkpoints(tmp_path)] == [
        "checkpoint-9",
        "checkpoint-10",
        "checkpoint-100",
    ]


def test_fit_resumes_past_an_incomplete_checkpoint_folder(
    tiny_model_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The regression: a checkpoint-N killed mid-save ended in ``OSError: no file named
    model.safetensors``; now the newest complete one is resumed, with a warning."""
    from datasets import Dataset
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.losses import CoSENTLoss

    def run(out: Path, steps: int, resume: bool) -> Path:
        model = SentenceTransformer(str(tiny_model_dir), device="cpu", local_files_only=True)
        data = Dataset.from_dict(
            {"sentence1": ["a cat", "a dog"] * 4, "sentence2": ["a man", "a car"] * 4,
             "score": [0.9, 0.1] * 4}
        )  # fmt: skip
        return fit(
            model, data, CoSENTLoss(model), out, steps=steps, batch_size=2, save_steps=2,
            save_total_limit=None, resume=resume, show_progress=False, device="cpu",
        )  # fmt: skip

    run(tmp_path, 2, resume=False)
    killed = tmp_path / "checkpoints" / "checkpoint-4"
    killed.mkdir()
    (killed / "config.json").write_text("{}")  # what a save killed early leaves
    run(tmp_path, 4, resume=True)
    assert "skipping" in capsys.readouterr().err
    assert is_complete_checkpoint(killed)  # rewritten by the resumed run
    state = json.loads((killed / "trainer_state.json").read_text())
    assert state["global_step"] == 4


# ---------------------------------------------------------------- undefined correlations


def test_constant_gold_scores_give_null_and_a_warning(
    tiny_model, capsys: pytest.CaptureFixture[str]
) -> None:
    from rl_text.core.evaluation import evaluate_sts

    pairs = StsPairs(["a cat", "a dog", "a man"], ["a car", "the ball", "a bed"], [3.0] * 3)
    result = evaluate_sts(tiny_model, pairs)
    assert result["spearman"] is None and result["pearson"] is None
    err = capsys.readouterr().err
    assert err.startswith("warning: ") and "all 3 gold scores are 3" in err
    assert "null" in err and len(err.strip().splitlines()) == 1


def test_a_defined_correlation_warns_nothing(tiny_model, sts_rows, capsys) -> None:
    from rl_text.core.evaluation import evaluate_sts

    pairs = StsPairs(*map(list, zip(*sts_rows)))
    assert evaluate_sts(tiny_model, pairs)["spearman"] is not None
    assert capsys.readouterr().err == ""


# ---------------------------------------------------------------- model folders


def test_model_folder_json_not_utf8_names_file_and_line(tiny_model_dir: Path, tmp_path) -> None:
    import shutil

    folder = tmp_path / "model"
    shutil.copytree(tiny_model_dir, folder)
    (folder / "1_Pooling" / "config.json").write_bytes(b'{\n "a": "\xff"\n}')
    with pytest.raises(MalformedFile, match=r"1_Pooling/config.json:2: byte 0xff") as err:
        check_json_files(folder)
    assert err.value.line == 2
    with pytest.raises(MalformedFile, match=r"config.json:2"):
        load_with_classes(folder, {})


def test_modules_json_that_is_not_a_module_list_is_refused(tiny_model_dir, tmp_path) -> None:
    import shutil

    folder = tmp_path / "model"
    shutil.copytree(tiny_model_dir, folder)
    (folder / "modules.json").write_text('{"idx": 0}')
    with pytest.raises(MalformedFile, match=r"modules.json: not a modules.json list"):
        load_with_classes(folder, {})


@pytest.mark.parametrize("kind", ["file", "empty-folder", "not-a-model"])
def test_model_that_is_a_file_or_not_a_model_folder_is_refused(tmp_path: Path, kind) -> None:
    path = tmp_path / "model"
    if kind == "file":
        path.write_text("weights")
    else:
        path.mkdir()
        if kind == "not-a-model":
            (path / "notes.txt").write_text("hello")
    with pytest.raises(ModelNotFound, match="model"):
        check_model_folder(path)


# ---------------------------------------------------------------- kalm pairs file


def test_pairs_file_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "pairs.csv"
    path.write_bytes(b"anchor,positive\nq1,d1\nq2,d\xe92\n")
    with pytest.raises(MalformedFile, match=r"pairs.csv:3: byte 0xe9 at column 5 is not UTF-8"):
        load_examples(path)


def test_pairs_row_with_another_field_count_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "pairs.csv"
    path.write_text('anchor,positive,negative\n\nq1,"d, 1",n1\nq2,d2\n')
    with pytest.raises(MalformedFile, match=r"pairs.csv:4: 2 fields, expected 3"):
        load_examples(path)


def test_pairs_row_without_anchor_or_positive_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "pairs.tsv"
    path.write_text("anchor\tpositive\n\td1\n")
    with pytest.raises(MalformedFile, match=r"pairs.tsv:2: an empty anchor"):
        load_examples(path)
    path.write_text("anchor\tpositive\nq\t \n")
    with pytest.raises(MalformedFile, match=r"pairs.tsv:2: no positive text"):
        load_examples(path)


def test_pairs_empty_file_folder_and_bad_header_are_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(MalformedFile, match=r"empty.csv: the file is empty"):
        load_examples(empty)
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    with pytest.raises(MalformedFile, match=r"folder.csv: is a folder"):
        load_examples(folder)
    header = tmp_path / "header.csv"
    header.write_text("query,doc\nq,d\n")
    with pytest.raises(MalformedFile, match=r"header.csv:1: the header must start with"):
        load_examples(header)
    with pytest.raises(BadInput, match="no such file"):
        load_examples(tmp_path / "missing.csv")
