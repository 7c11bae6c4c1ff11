"""``--device`` / ``--precision`` of ``rl text syntactic-domain probe`` reach the classifiers."""

from __future__ import annotations

import json

import pytest

from rl_shared.cli.main import main
from rl_shared.errors import BadInput
from rl_text.syntactic_domain.grammar import make_instructions
from rl_text.syntactic_domain.probe import BowClassifier, GruLowRankClassifier


def _rl(argv: list[str], capsys) -> tuple[int, str, list[str]]:
    try:
        main(argv)
        code = 0
    except SystemExit as stop:
        code = int(stop.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err.strip().splitlines()


def test_probe_trains_on_the_cpu_in_bf16(capsys):
    argv = ["text", "syntactic-domain", "probe", "--strength", "1", "--n-train", "60",
            "--n-test", "30", "--no-association", "--device", "cpu", "--precision", "bf16",
            "--json"]  # fmt: skip
    code, out, _ = _rl(argv, capsys)
    assert code == 0
    assert [r["classifier"] for r in json.loads(out)["rows"]] == ["bow"]


def test_probe_refuses_fp16_on_the_cpu_in_one_sentence(capsys):
    argv = ["text", "syntactic-domain", "probe", "--strength", "1", "--n-train", "60",
            "--no-association", "--device", "cpu", "--precision", "fp16"]  # fmt: skip
    code, _, err = _rl(argv, capsys)
    assert code == 2 and len(err) == 1 and err[0].startswith("error:") and "fp16" in err[0]


def test_fp32_default_is_the_plain_full_batch_fit():
    train = make_instructions(60, strength=1.0, seed=0)
    texts, labels = [e.text for e in train], [e.domain for e in train]
    a = BowClassifier(epochs=20).fit(texts, labels)
    b = BowClassifier(epochs=20, device="cpu", precision="fp32").fit(texts, labels)
    assert a.predict(texts) == b.predict(texts)
    gru = GruLowRankClassifier(epochs=1, precision="bf16", device="cpu").fit(texts, labels)
    assert len(gru.predict(texts[:3])) == 3
    with pytest.raises(BadInput):
        BowClassifier(device="cpu", precision="fp16").fit(texts, labels)
