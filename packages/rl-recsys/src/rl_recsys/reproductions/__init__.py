"""Reproductions of rl-recsys, registered under ``rl.reproductions``."""
