"""Evaluation: scoring extraction against hand-made gold (not needed to serve)."""
