"""Synthetic data sets: the 寒亭区 demo with planted signals, and larger presets for benchmarks.

from dashboard.demo import build, SCALES, DEMO_FACTS
report = build(Path("data/dashboard.duckdb"), scale="demo", seed=20261031)
"""

from dashboard.demo.generate import DEMO_FACTS, SCALES, build

__all__ = ["DEMO_FACTS", "SCALES", "build"]
