"""Any2Seg on (fake) DELIVER and MCubeS trees: streaming, resume, void pixels, CLI errors."""

import json

import numpy as np
import pytest
import torch
from PIL import Image
from safetensors.torch import load_file
from torch import nn

from rl_shared.cli.main import main
from rl_vision.any2seg.data import open_dataset
from rl_vision.any2seg.deliver import DELIVER_CLASSES, DeliverDataset
from rl_vision.any2seg.evaluation import evaluate_frames
from rl_vision.any2seg.losses import IGNORE_INDEX, segmentation_loss
from rl_vision.any2seg.mcubes import MCUBES_CLASSES
from rl_vision.any2seg.metrics import SegmentationMeter
from rl_vision.any2seg.model import SegOutput
from rl_vision.any2seg.sources import DatasetSource

TRAIN = ["--steps", "2", "--size", "32", "--batch-size", "2", "--no-lscd", "--json"]


def _run(argv, capsys):
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("name", ["deliver", "mcubes"])
def test_train_then_evaluate_on_a_real_tree(name, make_deliver, make_mcubes, tmp_path, capsys):
    if name == "deliver":
        root, classes, frames = make_deliver(("train", "val", "test")), DELIVER_CLASSES, 4
        channels = {"rgb": 3, "depth": 3, "event": 3, "lidar": 3}
    else:
        root, classes, frames = make_mcubes(("train", "test"))[0], MCUBES_CLASSES, 2
        channels = {"rgb": 3, "aolp": 2, "dolp": 1, "nir": 1}
    run = tmp_path / "run"
    argv = ["vision", "any2seg", "train", "--out", str(run), "--data", str(root)]
    summary = _run(argv + TRAIN, capsys)
    assert summary["classes"] == len(classes) and summary["modalities"] == list(channels)
    assert summary["data"] == name and summary["split"] == "train"
    meta = json.loads((run / "model" / "config.json").read_text())["config"]
    assert meta["dataset"] == name and meta["classes"] == list(classes)
    assert meta["channels"] == channels
    argv = ["vision", "any2seg", "evaluate", "--model", str(run), "--data", str(root), "--json"]
    result = _run(argv, capsys)
    assert 0 <= result["miou"] <= 1 and result["frames"] == frames and result["split"] == "test"
    assert list(result["per_class_iou"]) == list(classes)
    assert result["modalities"] == list(channels)
    if name == "deliver":
        argv[6] = f"{root}:val"
        argv += ["--condition", "fog", "--modalities", "depth,rgb"]
        result = _run(argv, capsys)
        assert result["frames"] == 2 and result["modalities"] == ["rgb", "depth"]


def test_lscd_text_comes_from_the_dataset_class_names(make_deliver, tmp_path, capsys):
    from rl_vision.any2seg.model_folder import load_model
    from rl_vision.any2seg.text import class_text_embeddings

    root = make_deliver(("train",))
    run = tmp_path / "run"
    argv = ["vision", "any2seg", "train", "--out", str(run), "--data", str(root), "--steps", "1", "--teacher-steps", "1", "--size", "32", "--batch-size", "2",
            "--encoder", "tu-mobilenetv3_small_050", "--json"]  # fmt: skip
    assert _run(argv, capsys)["teacher"] == str(run / "teacher" / "model")
    teacher, cfg = load_model(run / "teacher")
    assert cfg.kind == "teacher" and cfg.classes == DELIVER_CLASSES
    expected = torch.nn.functional.normalize(class_text_embeddings(DELIVER_CLASSES), dim=-1)
    torch.testing.assert_close(teacher.text, expected)


def test_resume_after_one_step_equals_two_steps(make_deliver, tmp_path, capsys):
    """Stopped after step 1 and resumed (with 2 loader workers) = 2 uninterrupted steps."""
    root = make_deliver(("train",))
    run = tmp_path / "run"
    argv = ["vision", "any2seg", "train", "--out", str(run), "--data", str(root),
            "--checkpoint-every", "1", *TRAIN]  # fmt: skip
    _run(argv, capsys)
    straight = load_file(str(run / "model" / "model.safetensors"))
    for gone in (run / "checkpoints" / "step-000002", run / "model"):
        for f in gone.iterdir():
            f.unlink()
        gone.rmdir()
    assert [p.name for p in (run / "checkpoints").iterdir()] == ["step-000001"]
    _run([*argv, "--workers", "2"], capsys)  # resumes by default
    resumed = load_file(str(run / "model" / "model.safetensors"))
    assert straight.keys() == resumed.keys()
    for k in straight:
        torch.testing.assert_close(straight[k], resumed[k], rtol=0, atol=0, msg=k)


def _indexed_frames(n=5, h=6, w=9):
    """Frame i: random image, label filled with i (so batches reveal which frames they hold)."""
    g = torch.Generator().manual_seed(0)
    return [({"rgb": torch.rand(3, h, w, generator=g)}, torch.full((h, w), i)) for i in range(n)]


def test_dataset_source_is_a_function_of_the_step():
    frames = _indexed_frames()
    source = DatasetSource(frames, size=4)
    whole = list(source.batches(range(0, 6), batch_size=3, seed=7))
    parts = [*source.batches(range(0, 2), 3, 7), *source.batches(range(2, 6), 3, 7)]
    workers = list(DatasetSource(frames, size=4, num_workers=2).batches(range(0, 6), 3, 7))
    for a, b, c in zip(whole, parts, workers):
        torch.testing.assert_close(a[0]["rgb"], b[0]["rgb"], rtol=0, atol=0)
        torch.testing.assert_close(a[0]["rgb"], c[0]["rgb"], rtol=0, atol=0)
        assert torch.equal(a[1], b[1]) and torch.equal(a[1], c[1])
        assert torch.equal(a[2].get_state(), b[2].get_state())
    assert whole[0][0]["rgb"].shape == (3, 3, 4, 4) and whole[0][1].shape == (3, 4, 4)
    # epoch-wise: 18 samples of 5 frames visit every frame 3 times in the first 15
    visited = torch.cat([b[1][:, 0, 0] for b in whole]).tolist()
    for epoch in range(3):
        assert sorted(visited[5 * epoch : 5 * epoch + 5]) == [0, 1, 2, 3, 4]
    other_seed = list(source.batches(range(0, 6), 3, 8))
    assert any(not torch.equal(a[0]["rgb"], b[0]["rgb"]) for a, b in zip(whole, other_seed))


class _Oracle(nn.Module):
    """Predicts, everywhere, the class encoded in the frame's RGB value (class * 10 / 255)."""

    def __init__(self, k):
        super().__init__()
        self.k = k

    def forward(self, inputs, embeddings=False):
        rgb = inputs["rgb"]
        cls = torch.round(rgb.mean(dim=(1, 2, 3)) * 255 / 10).long()
        onehot = torch.nn.functional.one_hot(cls, self.k).float()
        return SegOutput(onehot[:, :, None, None].expand(-1, -1, *rgb.shape[-2:]) * 5, {})


def test_void_pixels_do_not_count_in_the_metric(make_deliver):
    """Void pixels (255) are predicted as a class: counted, they would halve the IoU."""
    root = make_deliver(("test",))
    ds = DeliverDataset(root, "test")
    for i in range(len(ds)):
        cls = 3 + i
        Image.fromarray(np.full((6, 8, 3), cls * 10, np.uint8)).save(ds.path_of(i, "rgb"))
        sem = np.zeros((6, 8, 3), np.uint8)
        sem[:, :4, 0] = cls + 1  # left half class `cls`, right half void
        Image.fromarray(sem).save(ds.path_of(i, "semantic"))
    frames = open_dataset("deliver", root, "test", ("rgb",))
    result = evaluate_frames(_Oracle(25), frames, ("rgb",), DELIVER_CLASSES, 32)
    assert result["miou"] == 1.0 and result["frames"] == 4
    assert [result["per_class_iou"][DELIVER_CLASSES[3 + i]] for i in range(4)] == [1.0] * 4
    assert np.isnan(result["per_class_iou"]["Building"])
    # the same predictions scored without ignoring void: each present class has IoU 1/2
    counted = SegmentationMeter(25, ignore_index=None)
    for i in range(4):
        label = frames[i][1]
        counted.update(torch.full_like(label, 3 + i)[None], label[None])
    assert counted.miou() == pytest.approx(0.5)


def test_segmentation_loss_ignores_void_pixels():
    g = torch.Generator().manual_seed(0)
    logits = torch.randn(2, 4, 3, 5, generator=g, requires_grad=True)
    labels = torch.randint(0, 4, (2, 3, 5), generator=g)
    labels[:, 0] = IGNORE_INDEX
    loss = segmentation_loss(logits, labels)
    valid = labels != IGNORE_INDEX
    manual = torch.nn.functional.cross_entropy(
        logits.permute(0, 2, 3, 1)[valid], labels[valid], reduction="mean"
    )
    torch.testing.assert_close(loss, manual)
    loss.backward()
    assert logits.grad[:, :, 0].abs().max() == 0 and logits.grad[:, :, 1:].abs().max() > 0
    changed = logits.detach().clone()
    changed[:, :, 0] = 100.0
    torch.testing.assert_close(segmentation_loss(changed, labels), loss.detach())
    empty = segmentation_loss(logits, torch.full_like(labels, IGNORE_INDEX))
    assert float(empty.detach()) == 0.0 and empty.requires_grad


@pytest.mark.parametrize(
    "args, message",
    [
        (["--data", "{tmp}/nowhere"], "nor an existing folder"),
        (["--data", "deliver"], "download DELIVER"),
        (["--data", "{tmp}"], "holds neither a DELIVER tree"),
        (["--data", "{deliver}:val"], "expected img/val/"),
        (["--data", "{deliver}", "--batch-size", "8"], "has 4 frames, fewer than the batch size 8"),
        (["--data", "generated:train"], "generated scenes have no splits"),
    ],
)  # fmt: skip
def test_train_errors_exit_2_with_one_line(
    args, message, make_deliver, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("RL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("RL_CACHE_DIR", str(tmp_path / "cache"))
    root = make_deliver(("train",))
    args = [a.replace("{tmp}", str(tmp_path)).replace("{deliver}", str(root)) for a in args]
    with pytest.raises(SystemExit) as exit_info:
        main(["vision", "any2seg", "train", "--out", str(tmp_path / "run"), *TRAIN, *args])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and message in err and "\n" not in err


def test_evaluate_errors_exit_2_with_one_line(make_deliver, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("RL_DATA_DIR", str(tmp_path / "data"))
    root = make_deliver(("train", "test"))
    run = tmp_path / "run"
    argv = ["vision", "any2seg", "train", "--out", str(run), "--data", str(root)]
    _run(argv + TRAIN, capsys)
    base = ["vision", "any2seg", "evaluate", "--model", str(run)]
    for extra, message in [
        (["--data", str(root), "--condition", "snow"], "valid DELIVER conditions: cloud, fog, night, rain, sun"),
        (["--data", "generated"], "was trained on deliver data, not on generated"),
        (["--data", f"{root}:val"], "expected img/val/"),
        (["--data", str(root), "--modalities", "rgb,thermal"], "valid modality names: depth, event, lidar, rgb"),
        (["--data", str(tmp_path / "nowhere")], "nor an existing folder"),
        ([], "download DELIVER"),
    ]:  # fmt: skip
        with pytest.raises(SystemExit) as exit_info:
            main(base + extra)
        assert exit_info.value.code == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith("error: ") and message in err and "\n" not in err, err
