"""Distributed runs on Ray (placeholder until the Ray engine lands)."""
from __future__ import annotations


def run_ray(items, out, options, **kwargs):
    raise SystemExit("the Ray engine is not available yet")
