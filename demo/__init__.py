"""The synthetic demo world: real-format inbox files for one owner plus the ground truth behind them."""

from demo.world import WorldSummary, generate_world

__all__ = ["WorldSummary", "generate_world"]
