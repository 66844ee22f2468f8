"""Dependencies: settings, the store (opened once, in lifespan), API keys."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request

from pipeline.settings import Settings, get_settings
from pipeline.store.base import Store

SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


StoreDep = Annotated[Store, Depends(get_store)]


def require_writer(
    settings: SettingsDep,
    x_api_key: Annotated[str | None, Header(description="API key for writes")] = None,
) -> str:
    """The name behind a valid API key; 401 without a key, 403 with a wrong one.

    Keys are compared in constant time and never logged.
    """
    if not x_api_key:
        raise HTTPException(401, "an API key is required: send it in the X-API-Key header")
    for key, name in settings.keys().items():
        if hmac.compare_digest(key.encode(), x_api_key.encode()):
            return name
    raise HTTPException(403, "this API key is not valid")


WriterDep = Annotated[str, Depends(require_writer)]
