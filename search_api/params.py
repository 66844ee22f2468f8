"""Query parameters several routers read the same way (dates, "today").

Routers never import each other; what they share lives here or in
:mod:`search_api.deps`.
"""

from __future__ import annotations

import datetime as dt

from search_api.deps import ApiError

# The names staff see for each date parameter, in the error message.
_DATE_VI = {
    "date_from": "Từ ngày", "date_to": "Đến ngày", "deadline_from": "Thời hạn từ ngày",
    "deadline_to": "Thời hạn đến ngày", "issued_from": "Văn bản từ ngày",
    "issued_to": "Văn bản đến ngày",
}


def check_date(value: str | None, name: str) -> None:
    """Refuse (422) a date parameter that is not YYYY-MM-DD.

    Example:
        >>> check_date("2024-03-10", "date_from")
        >>> check_date("10/3/2024", "date_from")
        Traceback (most recent call last):
        ...
        search_api.deps.ApiError: 422: date_from must be a date YYYY-MM-DD, got '10/3/2024'
    """
    if value is None:
        return
    try:
        dt.date.fromisoformat(value)
    except ValueError as e:
        raise ApiError(
            422, f"{name} must be a date YYYY-MM-DD, got {value!r}",
            f"“{_DATE_VI.get(name, name)}” phải là một ngày hợp lệ (ngày/tháng/năm).",
        ) from e


def parse_today(today: str | None) -> dt.date:
    """The ``today`` parameter as a date (the server's date when absent); 422 otherwise.

    Example:
        >>> parse_today("2024-03-10")
        datetime.date(2024, 3, 10)
    """
    if today is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(today)
    except ValueError as e:
        raise ApiError(422, f"today must be a date YYYY-MM-DD, got {today!r}",
                       "Ngày “tính đến ngày” phải có dạng ngày/tháng/năm hợp lệ.") from e
