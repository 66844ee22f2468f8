"""Ingest: read files (loaders by format, OCR, legacy encodings), clean the text, run a batch."""
