"""Every command refuses hostile input cleanly: exit 2, one ``error:`` line, nothing written.

The suite walks the whole ``rl`` tree, so a new command is covered without editing this file:

* every numeric option declares its range (``IntRange``; floats are ``FiniteFloat``), and
  values outside it (NaN and infinity for floats) are refused naming the option;
* every option that reads a file or folder (an :class:`rl_shared.cli.InputOption`) refuses a
  path that does not exist, an empty file, a file that is not UTF-8, and a folder or file of
  the wrong kind, naming the path;
* for every format such an option declares (:mod:`rl_shared.formats`), a valid sample is
  written and one text part is broken at a time (bytes that are not UTF-8, a dropped column,
  NaN or infinity in a numeric field, a truncated JSON line, a dropped key, an empty file, a
  folder in its place); the refusal names the file and, where the fault is on a line, the line.

In every case: exit code 2, exactly one ``error:`` line on stderr, no traceback, and no
``--out`` folder left behind. Cases are drawn by hypothesis, derandomized so CI is repeatable
(``HYPOTHESIS_PROFILE=explore`` draws fresh ones, more of them).
"""

from __future__ import annotations

import math
import os
import random
import re
import sys
from pathlib import Path

import click
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))  # --import-mode=importlib adds no test folder

from hostile import (
    FILL,
    FILL_ARGUMENT,
    corrupt,
    corruptions,
    input_options,
    invoke,
    leaves,
)

from rl_shared.cli import FiniteFloat, InputOption
from rl_shared.formats import get_format

settings.register_profile(
    "ci",
    max_examples=4,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "explore",
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

LEAVES = leaves()


def _name(option: click.Parameter) -> str:
    return next((o for o in option.opts if o.startswith("--")), option.opts[0])


def _numeric(option: click.Parameter) -> bool:
    return isinstance(option.type, click.types._NumberParamTypeBase) and not option.is_flag  # type: ignore[attr-defined]


# ------------------------------------------------------------------------ declarations


def test_every_numeric_option_declares_its_range():
    problems = []
    for path, command in LEAVES:
        for option in command.params:
            if not isinstance(option, click.Option) or not _numeric(option):
                continue
            where = f"{' '.join(path)} {_name(option)}"
            if isinstance(option.type, click.FloatRange | click.types.FloatParamType):
                if not isinstance(option.type, FiniteFloat):
                    problems.append(f"{where}: a float option must be rl_shared.cli.FiniteFloat")
            elif not isinstance(option.type, click.IntRange) and option.name != "seed":
                problems.append(f"{where}: an integer option must be a click.IntRange")
    assert not problems, "\n".join(problems)


def _needs_formats(option: click.Parameter) -> bool:
    reads_path = isinstance(option.type, click.Path) and option.type.exists
    return reads_path or (option.name in ("data", "model") and option.default is None)


def test_every_option_that_reads_a_user_path_declares_its_formats():
    problems = []
    for path, command in LEAVES:
        for option in command.params:
            if not isinstance(option, click.Option) or not _needs_formats(option):
                continue
            where = f"{' '.join(path)} {_name(option)}"
            if not isinstance(option, InputOption):
                problems.append(f"{where}: reads a path, so it must be an InputOption")
            elif not option.formats:
                problems.append(f"{where}: declare the formats it reads (rl_shared.formats)")
            else:
                for name in option.formats:
                    get_format(name)  # registered when the command was loaded
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------------ helpers


def _base_argv(
    path: tuple[str, ...], command: click.Command, tmp: Path, skip: click.Parameter
) -> list[str]:
    """The command with every other required parameter filled with something valid."""
    argv = list(path[1:])
    arguments = []
    for param in command.params:
        if param is skip or not param.required:
            continue
        if isinstance(param, click.Argument):
            arguments.append(FILL_ARGUMENT[param.name])
            continue
        name = _name(param)
        if param.name == "out":
            argv += [name, str(tmp / "out")]
        elif isinstance(param, InputOption) and param.formats:
            folder = tmp / f"fill-{param.name}"
            folder.mkdir()
            argv += [name, str(get_format(param.formats[0]).write_sample(folder))]
        elif name in FILL:
            argv += FILL[name]
        else:
            pytest.fail(f"cannot fill the required {name} of {' '.join(path)}: add it to FILL")
    if (
        skip.name != "out"
        and "out" in {p.name for p in command.params}
        and not any(p.name == "out" and p.required for p in command.params)
    ):
        argv += ["--out", str(tmp / "out")]
    return argv + arguments


def _assert_refused(outcome, tmp: Path, *names: str, line: int | None = None) -> None:
    assert outcome.crash is None, outcome.crash
    assert "Traceback" not in outcome.stderr, outcome.stderr[-3000:]
    assert outcome.code == 2, (outcome.code, outcome.stderr[-2000:])
    errors = outcome.error_lines()
    assert len(errors) == 1, outcome.stderr[-2000:]
    assert errors[0].startswith("error:"), f"the error shares its line: {errors[0]!r}"
    for name in names:
        assert name in errors[0], f"{name!r} not named in {errors[0]!r}"
    if line is not None:
        assert re.search(rf"{re.escape(names[0])}:{line}\b", errors[0]), (
            f"line {line} of {names[0]} not named in {errors[0]!r}"
        )
    assert not (tmp / "out").exists(), "a refused command left its --out folder behind"


# ------------------------------------------------------------------------ numeric options

NUMERIC = [
    pytest.param(path, command, option, id=f"{' '.join(path[1:])} {_name(option)}")
    for path, command in LEAVES
    for option in command.params
    if isinstance(option, click.Option)
    and _numeric(option)
    and isinstance(option.type, click.IntRange | FiniteFloat)
]


def _outside(option: click.Parameter) -> st.SearchStrategy[str]:
    kind = option.type
    strategies: list[st.SearchStrategy[str]] = [st.sampled_from(["abc", "1e", ""])]
    if isinstance(kind, FiniteFloat):
        strategies.append(st.sampled_from(["nan", "inf", "-inf", "NaN", "Infinity"]))
        if kind.min is not None:
            below = st.floats(max_value=kind.min, exclude_max=not kind.min_open, allow_nan=False)
            strategies.append(below.filter(math.isfinite).map(repr))
        if kind.max is not None:
            above = st.floats(min_value=kind.max, exclude_min=not kind.max_open, allow_nan=False)
            strategies.append(above.filter(math.isfinite).map(repr))
    else:
        strategies.append(st.sampled_from(["1.5", "1e3"]))
        if kind.min is not None:
            top = kind.min - (0 if kind.min_open else 1)
            strategies.append(st.integers(max_value=top).map(str))
        if kind.max is not None:
            bottom = kind.max + (0 if kind.max_open else 1)
            strategies.append(st.integers(min_value=bottom).map(str))
    return st.one_of(strategies)


@pytest.mark.parametrize(("path", "command", "option"), NUMERIC)
def test_numeric_option_out_of_range_is_refused(path, command, option, tmp_path):
    @given(value=_outside(option))
    def check(value: str) -> None:
        argv = [*path[1:], _name(option), value]
        outcome = invoke(argv)
        assert outcome.crash is None, outcome.crash
        assert outcome.code == 2, (argv, outcome.code, outcome.stderr[-1500:])
        errors = outcome.error_lines()
        assert len(errors) == 1 and errors[0].startswith("error:"), outcome.stderr[-1500:]
        assert _name(option) in errors[0], errors[0]

    check()


# ------------------------------------------------------------------------ paths

INPUTS = [
    pytest.param(path, command, option, id=f"{' '.join(path[1:])} {_name(option)}")
    for path, command in LEAVES
    for option in input_options(command)
]


def _bad_path(tmp: Path, kind: str) -> Path:
    target = tmp / "input" / "hostile-input.txt"
    target.parent.mkdir()
    if kind == "empty-file":
        target.write_bytes(b"")
    elif kind == "not-utf8-file":
        target.write_bytes(b"\xff\xfe\x00garbage\x81\n\xc3\x28\n")
    elif kind == "empty-folder":
        target.mkdir()
    return target


@pytest.mark.parametrize("kind", ["missing", "empty-file", "not-utf8-file", "empty-folder"])
@pytest.mark.parametrize(("path", "command", "option"), INPUTS)
def test_input_option_refuses_a_bad_path(path, command, option, kind, tmp_path):
    bad = _bad_path(tmp_path, kind)
    argv = [*_base_argv(path, command, tmp_path, option), _name(option), str(bad)]
    _assert_refused(invoke(argv), tmp_path, bad.name)


# ------------------------------------------------------------------------ formats

FORMAT_CASES = [
    pytest.param(
        path,
        command,
        option,
        fmt,
        index,
        kind,
        id=f"{' '.join(path[1:])} {_name(option)} {fmt}#{index} {kind}",
    )
    for path, command in LEAVES
    for option in input_options(command)
    for fmt in option.formats
    for index, part in enumerate(get_format(fmt).parts)
    for kind in corruptions(part)
]


@pytest.mark.parametrize(("path", "command", "option", "fmt", "index", "kind"), FORMAT_CASES)
def test_corrupted_input_is_refused_naming_file_and_line(
    path, command, option, fmt, index, kind, tmp_path_factory
):
    part = get_format(fmt).parts[index]

    @given(seed=st.integers(0, 2**16))
    def check(seed: int) -> None:
        tmp = tmp_path_factory.mktemp("case")
        folder = tmp / "sample"
        folder.mkdir()
        sample = get_format(fmt).write_sample(folder)
        fault = corrupt(sample, part, kind, random.Random(seed))
        argv = [*_base_argv(path, command, tmp, option), _name(option), str(sample)]
        _assert_refused(invoke(argv), tmp, fault.file.name, line=fault.line)

    check()
