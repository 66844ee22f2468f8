"""One settings object for the whole application, from ``VNDOC_*`` variables.

Example:
    VNDOC_DATA_DIR=/srv/vndoc VNDOC_API_KEYS=lan:s3cret,an:k2:admin vndoc serve
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from extractors.errors import PipelineError

ROLES = ("reviewer", "admin")
_NEW_KEY = "python -c 'import secrets; print(secrets.token_urlsafe())'"
# Placeholders the documentation and examples use: never a real secret.
PLACEHOLDER_SECRETS = frozenset({
    "changeme", "change-me", "changeit", "secret", "s3cret", "password", "passw0rd",
    "choose-a-long-one", "default", "example", "xxx", "...",
})


@dataclass(frozen=True)
class ApiKey:
    """One person's key: reviewers upload, confirm, edit, add and reject; admins also delete."""

    name: str
    key: SecretStr
    role: str


class SettingsError(PipelineError):
    """A setting vndoc refuses to start with (named, with what to do instead)."""

    code = "E010"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VNDOC_", env_file=".env", extra="ignore")

    data_dir: Path = Path("data")
    store: Literal["local", "elasticsearch"] = "local"
    # Elasticsearch (used when store == "elasticsearch")
    es_url: str | None = None
    es_api_key: SecretStr | None = None
    es_username: str | None = None
    es_password: SecretStr | None = None
    es_ca_certs: str | None = None
    es_verify_certs: bool = True
    # seconds one request may take before the client retries it (3 times)
    es_timeout: float = 30.0
    es_index_prefix: str = "vndoc"
    es_shards: int | None = None  # primary shards of the documents index (default 1)
    es_replicas: int = 1
    # API
    host: str = "127.0.0.1"
    port: int = 8000
    # Server processes of `vndoc serve` (uvicorn workers on one port); each opens
    # the store, SQLite and the index readers, and every write takes the same locks.
    server_workers: int = Field(default=1, ge=1, le=32)
    # "name:key[:role]" entries, comma-separated; the name is recorded with each
    # change; role "reviewer" (the default) or "admin" (may also delete). A secret.
    api_keys: SecretStr = SecretStr("")
    cors_origins: str = ""  # comma-separated; empty = CORS off
    # Seconds between the server's passes over pending index work (and at start).
    heal_interval_s: float = Field(default=10.0, gt=0)
    unit_name: str = ""  # the office, for the title rows of register exports
    max_query_chars: int = 500
    max_page_size: int = 100
    max_upload_bytes: int = 20 * 1024 * 1024
    # Memory each server process may keep the answers of the read routes in, until the
    # store changes (search_api.answer_cache); 0 turns it off
    answer_cache_mb: float = Field(default=32.0, ge=0)
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
    # Digital signatures of PDFs: CA certificates (PEM/DER files or folders, comma-separated)
    # to check signers' chains against; empty = chains "not_checked" (pipeline.ingest.signatures)
    signature_ca_roots: str = ""

    def keys(self) -> list[ApiKey]:
        """The API keys: "name:key[:role]"; a bare key is "staff", a missing role
        "reviewer". An unknown role is an error naming the entry's name.

        Example:
            >>> Settings(api_keys="lan:k1,an:k2:admin").keys()[1].role
            'admin'
        """
        out: list[ApiKey] = []
        for item in self.api_keys.get_secret_value().split(","):
            item = item.strip()
            if not item:
                continue
            parts = item.split(":")
            if len(parts) == 1:
                name, key, role = "staff", parts[0], "reviewer"
            elif len(parts) == 2:
                (name, key), role = parts, "reviewer"
            else:
                name, key, role = parts[0], ":".join(parts[1:-1]), parts[-1]
                if role not in ROLES:
                    raise ValueError(
                        f"VNDOC_API_KEYS: unknown role {role!r} for {name!r}; "
                        f"use one of {', '.join(ROLES)}"
                    )
            out.append(ApiKey(name=name.strip() or "staff", key=SecretStr(key), role=role))
        return out


    def check_secrets(self) -> None:
        """Refuse to serve with an empty or placeholder secret where it guards writes.

        API keys allow writes: each configured key must be set and not a
        placeholder from the documentation. An Elasticsearch user needs its
        password. The message names the variable and the entry, never the secret.

        Example:
            >>> Settings(api_keys="lan:changeme").check_secrets()
            Traceback (most recent call last):
            ...
            pipeline.settings.SettingsError: E010: VNDOC_API_KEYS: the key of 'lan' is a ...
        """
        for k in self.keys():
            value = k.key.get_secret_value().strip()
            if not value:
                raise SettingsError(
                    f"VNDOC_API_KEYS: the key of {k.name!r} is empty; give every person a "
                    f"long random key (e.g. {_NEW_KEY})"
                )
            if value.lower() in PLACEHOLDER_SECRETS:
                raise SettingsError(
                    f"VNDOC_API_KEYS: the key of {k.name!r} is a placeholder from the examples; "
                    f"give every person a long random key (e.g. {_NEW_KEY})"
                )
        if self.store == "elasticsearch" and self.es_username:
            password = self.es_password.get_secret_value() if self.es_password else ""
            if not password.strip() or password.strip().lower() in PLACEHOLDER_SECRETS:
                raise SettingsError(
                    f"VNDOC_ES_PASSWORD: Elasticsearch user {self.es_username!r} has an empty "
                    "or placeholder password; set the user's real password (or use "
                    "VNDOC_ES_API_KEY instead)"
                )
        if self.es_api_key is not None and not self.es_api_key.get_secret_value().strip():
            raise SettingsError("VNDOC_ES_API_KEY is set but empty; unset it or give the key")


@lru_cache
def get_settings() -> Settings:
    """The one settings object of the process, read from the environment once.

    Tests that change ``VNDOC_*`` variables call ``get_settings.cache_clear()``.
    """
    return Settings()
