"""Hostile input to ``rl text syntactic-domain``: one clean error, exit 2."""

from __future__ import annotations

import pytest

from rl_shared.cli.main import main


def _rl(argv: list[str], capsys) -> tuple[int, list[str]]:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    return stop.value.code, capsys.readouterr().err.strip().splitlines()


def test_empty_text_is_refused(capsys):
    code, err = _rl(["text", "syntactic-domain", "tag", "   "], capsys)
    assert (code == 2 and err == ["error: TEXT is empty; give a sentence to tag."]) or (
        code == 2 and len(err) == 1 and "TEXT is empty" in err[0]
    )


@pytest.mark.parametrize("strength", ["nan", "inf", "0,abc", "", "1.5", "-0.1"])
def test_strength_outside_zero_one_is_refused(capsys, strength):
    code, err = _rl(["text", "syntactic-domain", "probe", "--strength", strength], capsys)
    assert code == 2 and len(err) == 1 and "--strength" in err[0]
