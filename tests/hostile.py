"""Helpers of the hostile-input suite: the click tree, one in-process ``rl`` call, corruptions.

A corruption takes a valid sample (written by a registered :class:`rl_shared.formats.FileFormat`)
and breaks exactly one thing in one of its text parts, returning what a clean refusal must name:
the file and, where the fault is on one line, that line.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import random
import shutil
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click

from rl_shared.cli import InputOption
from rl_shared.cli.main import cli, main
from rl_shared.formats import JsonLines, Lines, Part, Table

# values for required options that read no file, by option name
FILL: dict[str, list[str]] = {
    "--atom": ["--atom", "H 0 0 0; H 0 0 0.74"],
    "--item": ["--item", "whole milk"],
}
# values for required positional arguments, by parameter name
FILL_ARGUMENT: dict[str, str] = {"text": "hello world", "sentence": "a bank", "word": "bank"}


def walk(
    group: click.Group, ctx: click.Context, path: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """Every leaf command under ``group`` with its path (``("rl", "text", "cvib", "train")``)."""
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, f"{' '.join((*path, name))} does not load"
        sub = click.Context(command, info_name=name, parent=ctx)
        if isinstance(command, click.Group):
            yield from walk(command, sub, (*path, name))
        else:
            yield (*path, name), command


def leaves() -> list[tuple[tuple[str, ...], click.Command]]:
    return list(walk(cli, click.Context(cli, info_name="rl"), ("rl",)))


@dataclass
class Outcome:
    code: int | None
    stdout: str
    stderr: str
    crash: str | None  # the traceback of an exception that escaped main()

    def error_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if "error:" in line]


def invoke(argv: list[str]) -> Outcome:
    """Run ``rl ARGV`` in this process, as the console script would."""
    out, err = io.StringIO(), io.StringIO()
    crash = None
    code: int | None = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
        except BaseException:  # an escaped exception is exactly what the suite looks for
            crash = traceback.format_exc()
            code = None
    return Outcome(code, out.getvalue(), err.getvalue(), crash)


def input_options(command: click.Command) -> list[InputOption]:
    return [p for p in command.params if isinstance(p, InputOption) and p.name != "out"]


# ----------------------------------------------------------------------------- corruptions


@dataclass
class Fault:
    """What a corruption broke: the clean refusal must name ``file`` (and ``line`` if set)."""

    kind: str
    file: Path
    line: int | None


def _part_path(sample: Path, part: Part) -> Path:
    return sample / part.file if part.file else sample


def _data_lines(lines: list[str], header: bool) -> list[int]:
    """0-based indexes of the non-blank data lines."""
    start = 1 if header else 0
    return [i for i in range(start, len(lines)) if lines[i].strip()]


def _split(line: str, part: Table) -> list[str]:
    if part.quoted:
        return next(csv.reader([line], delimiter=part.delimiter))
    return line.split(part.delimiter)


def _join(fields: list[str], part: Table) -> str:
    if part.quoted:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=part.delimiter, lineterminator="").writerow(fields)
        return buffer.getvalue()
    return part.delimiter.join(fields)


def corruptions(part: Part) -> list[str]:
    """The corruption kinds that apply to a part."""
    kinds = ["not-utf8", "empty", "folder"]
    if isinstance(part, Table):
        kinds.append("drop-column")
        if part.numeric:
            kinds.append("non-finite")
    elif isinstance(part, JsonLines):
        kinds.append("truncate-line")
        if part.required:
            kinds.append("drop-key")
        if part.numeric:
            kinds.append("non-finite")
    return kinds


def corrupt(sample: Path, part: Part, kind: str, rng: random.Random) -> Fault:
    """Break ``part`` of the valid ``sample`` in place by ``kind``; return what must be named."""
    path = _part_path(sample, part)
    if kind == "folder":
        path.unlink()
        path.mkdir()
        return Fault(kind, path, None)
    if kind == "empty":
        path.write_bytes(b"")
        return Fault(kind, path, None)
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    header = isinstance(part, Table) and part.header
    candidates = _data_lines(lines, header)
    assert candidates, f"the sample {path} has no data line to corrupt"
    index = rng.choice(candidates)
    line = lines[index]
    if kind == "not-utf8":
        cut = rng.randrange(0, len(line) + 1)
        raw = [x.encode("utf-8") for x in lines]
        raw[index] = line[:cut].encode("utf-8") + b"\xff\xfe" + line[cut:].encode("utf-8")
        path.write_bytes(b"\n".join(raw))
        return Fault(kind, path, index + 1)
    if isinstance(part, Table):
        fields = _split(line.rstrip("\r"), part)
        if kind == "drop-column":
            lines[index] = _join(fields[:-1], part)
        elif kind == "non-finite":
            column = rng.choice([c for c in part.numeric if c < len(fields)])
            fields[column] = rng.choice(["nan", "inf", "-inf", "NaN"])
            lines[index] = _join(fields, part)
        else:
            raise ValueError(kind)
    elif isinstance(part, JsonLines):
        obj = json.loads(line)
        if kind == "truncate-line":
            stripped = line.rstrip()
            lines[index] = stripped[: rng.randrange(1, len(stripped) - 1)]
        elif kind == "drop-key":
            obj.pop(rng.choice([k for k in part.required if k in obj]))
            lines[index] = json.dumps(obj)
        elif kind == "non-finite":
            key = rng.choice([k for k in part.numeric if k in obj])
            lines[index] = json.dumps({**obj, key: float(rng.choice(["nan", "inf", "-inf"]))})
        else:
            raise ValueError(kind)
    elif isinstance(part, Lines):
        raise ValueError(kind)
    path.write_text("\n".join(lines), encoding="utf-8")
    return Fault(kind, path, index + 1)


def replace_with_folder_or_file(path: Path) -> None:
    """Put a folder where a file was, or a file where a folder was."""
    if path.is_dir():
        shutil.rmtree(path)
        path.write_text("not a folder\n")
    else:
        path.unlink()
        path.mkdir()
