"""One settings object for the whole application, from ``VNDOC_*`` variables.

Example:
    VNDOC_DATA_DIR=/srv/vndoc VNDOC_API_KEYS=alice:s3cret vndoc serve
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VNDOC_", env_file=".env", extra="ignore")

    data_dir: Path = Path("data")
    store: Literal["local", "elasticsearch"] = "local"
    # Elasticsearch (used when store == "elasticsearch")
    es_url: str | None = None
    es_api_key: str | None = None
    es_username: str | None = None
    es_password: str | None = None
    es_ca_certs: str | None = None
    es_verify_certs: bool = True
    es_index_prefix: str = "vndoc"
    es_shards: int | None = None  # primary shards of the documents index (default 1)
    es_replicas: int = 1
    # API
    host: str = "127.0.0.1"
    port: int = 8000
    # "name:key" pairs, comma-separated; the name is recorded with each change.
    api_keys: str = ""
    cors_origins: str = ""  # comma-separated; empty = CORS off
    max_query_chars: int = 500
    max_page_size: int = 100
    max_upload_bytes: int = 20 * 1024 * 1024
    # Loaders: work allowed per file (pipeline.ingest.limits; a refusal names the variable)
    max_file_bytes: int = Field(default=50 * 1024 * 1024, ge=1)
    loader_timeout_s: float = Field(default=60.0, gt=0)
    workers: int = Field(default=1, ge=1)
    max_pages: int = Field(default=1000, ge=1)
    max_ocr_pages: int = Field(default=100, ge=1)
    max_page_pixels: int = Field(default=40_000_000, ge=1)
    max_unpacked_bytes: int = Field(default=200 * 1024 * 1024, ge=1)
    max_xml_bytes: int = Field(default=32 * 1024 * 1024, ge=1)
    max_xml_depth: int = Field(default=200, ge=8)
    max_html_depth: int = Field(default=10_000, ge=8)
    max_text_chars: int = Field(default=3_000_000, ge=1)
    max_sidecar_bytes: int = Field(default=64 * 1024, ge=2)
    extract_timeout_s: float = Field(default=60.0, gt=0)
    worker_memory_mb: int = Field(default=1024, ge=256)
    # OCR (scanned PDFs and images; read by pipeline.ingest.ocr from the same variables)
    ocr_workers: int = Field(default=1, ge=1)
    ocr_lang: str = "vie"
    ocr_dpi: int = 300
    ocr_page_timeout_s: float = 120.0

    def keys(self) -> dict[str, str]:
        """API keys as {key: name}. A bare key gets the name "staff"."""
        out: dict[str, str] = {}
        for item in self.api_keys.split(","):
            item = item.strip()
            if not item:
                continue
            name, sep, key = item.partition(":")
            if not sep:
                name, key = "staff", item
            out[key] = name
        return out


@lru_cache
def get_settings() -> Settings:
    return Settings()
