"""Reproductions registered under ``rl.reproductions``."""
