"""The DSE reproduction times the cross-encoder and the student the same way."""

from __future__ import annotations

import torch

from rl_text.dse import reproduction


class _Teacher:
    """Stands in for a CrossEncoder: records the batch size of each ``predict``."""

    device = torch.device("cpu")

    def __init__(self) -> None:
        self.batches: list[int] = []

    def predict(self, pairs, batch_size, show_progress_bar):
        self.batches.append(batch_size)
        return [0.0] * len(pairs)


class _Student:
    """Stands in for a DistilledSentenceEmbedding."""

    device = torch.device("cpu")

    def __init__(self) -> None:
        self.encode_batches: list[int] = []
        self.ranks = 0

    def encode(self, sentences, batch_size=64):
        self.encode_batches.append(batch_size)
        return torch.zeros(len(sentences), 2)

    def rank(self, query, candidates):
        self.ranks += 1
        return torch.arange(len(candidates))


def test_both_sides_are_timed_by_one_helper_with_the_same_repetitions(monkeypatch):
    calls: list[tuple[int, torch.device]] = []
    real = reproduction._best_time

    def spy(call, repeats, device):
        calls.append((repeats, device))
        return real(call, repeats, device)

    monkeypatch.setattr(reproduction, "_best_time", spy)
    teacher, student = _Teacher(), _Student()
    out = reproduction._timings(teacher, student, "q", ["a", "b", "c"], repeats=4, batch_size=7)
    assert set(out) == {"cross_encoder_s", "student_s"}
    assert all(v >= 0 for v in out.values())
    # one helper call per side, same repetitions, same device
    assert calls == [(4, student.device), (4, student.device)]
    # each side ran once to warm up and then ``repeats`` times
    assert len(teacher.batches) == 5 and student.ranks == 5
    # the same batch size: pairs per cross-encoder pass, candidates per cached encoding
    assert set(teacher.batches) == {7} and student.encode_batches == [7]


def test_defaults_are_shared():
    import inspect

    params = inspect.signature(reproduction._timings).parameters
    assert params["repeats"].default == reproduction.TIMING_REPEATS
    assert params["batch_size"].default == reproduction.TIMING_BATCH


def test_bf16_scores_are_float32_and_close_to_fp32():
    from rl_shared.models import load_sentence_transformer
    from rl_shared.runtime import seed_everything
    from rl_text.dse import DistilledSentenceEmbedding, PairHead

    seed_everything(0)
    st = load_sentence_transformer("minilm")
    head = PairHead(384, hidden=16)
    s1, s2 = ["a man plays guitar", "a cat sleeps"], ["a man plays a guitar", "stocks fell"]
    full = DistilledSentenceEmbedding(st, head).score(s1, s2)
    half = DistilledSentenceEmbedding(st, head, precision="bf16").score(s1, s2)
    assert full.dtype == half.dtype == "float32"
    assert abs(full - half).max() < 0.05
    assert DistilledSentenceEmbedding(st, head).device == st.device
