"""Dependencies: settings, the store (opened once, in lifespan), API keys and roles.

Keys are people: ``VNDOC_API_KEYS="lan:k1,an:k2:admin"``. A reviewer uploads,
confirms, edits, adds, rejects and marks done; an admin may also delete and
restore documents. Writes are checked twice: by ``AuthFirst`` (search_api/app.py)
before any body is read, and by the route's dependency, which knows the role.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request

from pipeline.settings import Settings
from pipeline.store.base import Store


# The dependencies that only read the app's state are ``async``: FastAPI runs a
# plain ``def`` dependency in its thread pool, a hand-off to another thread and
# back for each (with the route itself, 3-4 per request; under 50 clients ~10 %
# of the server's time went to waking those threads).
async def get_app_settings(request: Request) -> Settings:
    """The settings the app was made with (``create_app``), from its state: not
    a dependency override, since while any override is set FastAPI builds every
    route's dependencies again on every request (~4 ms for /tasks)."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_app_settings)]

KEY_HEADER = "X-API-Key"


class ApiError(HTTPException):
    """An HTTP error with its message for staff, in Vietnamese, beside the English detail."""

    def __init__(
        self, status_code: int, detail: str, message: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(status_code, detail, headers)
        self.message = message


async def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


StoreDep = Annotated[Store, Depends(get_store)]


@dataclass(frozen=True)
class Caller:
    """Who sent a write: the name recorded with each change, and the role."""

    name: str
    role: str


def identify(settings: Settings, key: str | None) -> Caller:
    """The person behind an API key; 401 without a key, 403 with a wrong one.

    Every configured key is compared, in constant time, and none is logged.
    """
    if not key:
        raise ApiError(
            401, f"an API key is required: send it in the {KEY_HEADER} header",
            "Cần khóa API để thực hiện thao tác này. Khóa do quản trị viên cấp "
            "(biến VNDOC_API_KEYS trên máy chủ).",
            headers={"WWW-Authenticate": KEY_HEADER},
        )
    found: Caller | None = None
    given = key.encode()
    for k in settings.keys():
        if hmac.compare_digest(k.key.get_secret_value().encode(), given) and found is None:
            found = Caller(k.name, k.role)
    if found is None:
        raise ApiError(403, "this API key is not valid", "Khóa API không hợp lệ.")
    return found


def require_reviewer(
    settings: SettingsDep,
    x_api_key: Annotated[str | None, Header(description="API key for writes")] = None,
) -> Caller:
    """Any valid key (the reviewer and admin roles)."""
    return identify(settings, x_api_key)


def require_admin(
    settings: SettingsDep,
    x_api_key: Annotated[str | None, Header(description="API key of an admin")] = None,
) -> Caller:
    caller = identify(settings, x_api_key)
    if caller.role != "admin":
        raise ApiError(
            403, f"this needs an admin key; {caller.name!r} is a {caller.role}",
            f"Thao tác này cần khóa quản trị (admin); khóa của “{caller.name}” "
            "chỉ có quyền rà soát.",
        )
    return caller


ReviewerDep = Annotated[Caller, Depends(require_reviewer)]
AdminDep = Annotated[Caller, Depends(require_admin)]
