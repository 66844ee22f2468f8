"""Data tables for the pipeline: legacy-encoding tables and the Vietnamese syllable list."""
