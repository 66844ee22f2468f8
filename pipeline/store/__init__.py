"""Store backends behind one protocol; ``open_store`` picks one from settings."""

from __future__ import annotations

from pipeline.settings import Settings
from pipeline.store.base import Store


def open_store(settings: Settings, *, admin: bool = False) -> Store:
    """The configured backend: LocalStore (default) or ElasticStore.

    ``admin=True`` (``vndoc es-setup``, ``vndoc reindex``) lets ElasticStore
    put its index templates and create its indices; otherwise it only checks
    that they exist, so it runs with a key that reads and writes documents.

    Example:
        >>> store = open_store(Settings(data_dir=Path("data")))  # doctest: +SKIP
    """
    if settings.store == "elasticsearch":
        from pipeline.store.elastic import ElasticStore

        return ElasticStore.from_settings(settings, setup=admin)
    from pipeline.store.local import LocalStore

    return LocalStore(settings.data_dir)


__all__ = ["Store", "open_store"]
