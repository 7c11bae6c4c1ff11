"""Reproductions of rl-chem, registered under ``rl.reproductions``."""
