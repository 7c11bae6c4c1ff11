"""The ``rl`` command and the helpers members use to add sub-commands to it."""

from rl_shared.cli.common import emit_json, json_option, seed_option

__all__ = ["emit_json", "json_option", "seed_option"]
