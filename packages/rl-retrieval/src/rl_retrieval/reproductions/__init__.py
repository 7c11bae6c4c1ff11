"""Reproductions registered under ``rl.reproductions``: LIMIT critical-n, LIMIT-small, Cranfield."""

__all__: list[str] = []
