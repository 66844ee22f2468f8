"""Connecting to Elasticsearch: the client, the server check, the keys' roles.

vndoc runs on Elasticsearch **8.x and 9.x** servers with either generation
of the official client (``elasticsearch`` 8.x or 9.x; ``vndoc[es8]`` and
``vndoc[es9]`` pin one). Both generations send REST API compatibility
headers (``Accept: application/vnd.elasticsearch+json; compatible-with=N``,
N the client's major version), and a server accepts only its own major and
the one before: a 9.x server answers an 8.x client, but an 8.x server
refuses every request of a 9.x client. So, before anything else:

1. :func:`check_server` asks ``GET /`` with plain JSON headers, which every
   server accepts, and reads the product header and the version; anything
   but Elasticsearch 8.x or 9.x stops with a message in Vietnamese and
   English;
2. :func:`pin_compatibility` makes a newer client ask for the server's
   major (``compatible-with=8`` for an 8.x server), at the transport layer
   under every request the client makes, bulk helpers included.

The request-level tests (tests/store/test_elastic_only.py) put a front that
applies the header rules of an 8.x and of a 9.x server before the emulator
and check every request the store sends.

Least privilege (:func:`role_descriptors`): ``vndoc es-setup`` and ``vndoc
reindex`` need an admin key (index templates, index creation, alias swaps);
``vndoc serve`` and ``vndoc ingest`` need only read and write on the
prefix's indices; a read-only key serves every read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import TransportError
from elasticsearch import Elasticsearch
from elasticsearch import __versionstr__ as CLIENT_VERSION

from pipeline.store.errors import BackendUnavailable

SUPPORTED_MAJORS = (8, 9)
_COMPAT = re.compile(r"compatible-with=\d+")


@dataclass(frozen=True, slots=True)
class ServerInfo:
    url: str
    version: str  # "8.15.3"
    major: int
    compatible_with: int  # the major the client's requests ask for


def client_major() -> int:
    """The major version of the installed ``elasticsearch`` client."""
    return int(CLIENT_VERSION.split(".")[0])


def _url(client: Elasticsearch) -> str:
    nodes = list(client.transport.node_pool.all())
    return str(nodes[0].base_url) if nodes else "?"


def check_server(client: Elasticsearch) -> ServerInfo:
    """Ask the server what it is, with headers any version accepts; then pin
    the client's compatibility headers to what the server accepts.

    Raises BackendUnavailable (E301) with a Vietnamese and English message
    when the server can't be reached, refuses the credentials, is not
    Elasticsearch, or is a version vndoc doesn't support.
    """
    url = _url(client)
    try:
        meta, body = client.transport.perform_request(
            "GET", "/", headers={"accept": "application/json"}
        )
    except (TransportConnectionError, TransportError) as e:
        raise BackendUnavailable(
            f"can't reach Elasticsearch at {url}: {e}. Check VNDOC_ES_URL, the credentials "
            "(VNDOC_ES_API_KEY or VNDOC_ES_USERNAME/VNDOC_ES_PASSWORD) and "
            "VNDOC_ES_CA_CERTS, and that the cluster is up. / Không kết nối được "
            f"Elasticsearch ở {url}: kiểm tra VNDOC_ES_URL, thông tin đăng nhập, chứng chỉ "
            "VNDOC_ES_CA_CERTS và cụm máy chủ."
        ) from e
    if meta.status in (401, 403):
        raise BackendUnavailable(
            f"Elasticsearch at {url} refused the credentials (HTTP {meta.status}); check "
            "VNDOC_ES_API_KEY or VNDOC_ES_USERNAME/VNDOC_ES_PASSWORD, and that the key has "
            "the cluster privilege 'monitor'. / Elasticsearch ở {url} từ chối thông tin đăng "
            "nhập: kiểm tra khóa API hoặc tên người dùng và mật khẩu.".replace("{url}", url)
        )
    if not 200 <= meta.status < 300:
        raise BackendUnavailable(
            f"Elasticsearch at {url} answered HTTP {meta.status} to GET /: {body!r:.300}. / "
            f"Elasticsearch ở {url} trả lời lỗi HTTP {meta.status}."
        )
    version = ""
    if isinstance(body, Mapping):
        version = str((body.get("version") or {}).get("number") or "")
    product = meta.headers.get("x-elastic-product", "")
    if product != "Elasticsearch":
        raise BackendUnavailable(
            f"the server at {url} answered, but it is not Elasticsearch (no 'X-Elastic-Product: "
            f"Elasticsearch' header; version {version or 'unknown'}); vndoc needs Elasticsearch "
            "8.x or 9.x, not OpenSearch or another look-alike. Check VNDOC_ES_URL. / Máy chủ ở "
            f"{url} trả lời nhưng không phải Elasticsearch; vndoc cần Elasticsearch 8.x hoặc 9.x."
        )
    try:
        major = int(version.split(".")[0])
    except ValueError:
        major = 0
    if major not in SUPPORTED_MAJORS:
        raise BackendUnavailable(
            f"Elasticsearch {version or '(no version)'} at {url} is not supported: vndoc needs "
            "Elasticsearch 8.x or 9.x. / Elasticsearch phiên bản "
            f"{version or '(không rõ)'} ở {url} không được hỗ trợ: vndoc cần Elasticsearch "
            "8.x hoặc 9.x."
        )
    compat = pin_compatibility(client, major)
    return ServerInfo(url=url, version=version, major=major, compatible_with=compat)


def pin_compatibility(client: Elasticsearch, server_major: int) -> int:
    """Make every request of ``client`` ask for a version the server accepts.

    A server accepts ``compatible-with`` its own major and the one before, so
    an older or equal client needs nothing; a newer one (a 9.x client and an
    8.x server) is pinned to the server's major. The pin wraps the transport
    shared by the client and every ``client.options(...)`` copy of it.
    Returns the major the requests ask for.
    """
    mine = client_major()
    if mine <= server_major:
        return mine
    transport = client.transport
    if getattr(transport, "_vndoc_compatible_with", None) == server_major:
        return server_major
    send = getattr(transport, "_vndoc_send", transport.perform_request)
    wanted = f"compatible-with={server_major}"

    def perform_request(method: str, target: str, **kw: Any) -> Any:
        headers = kw.get("headers")
        if isinstance(headers, Mapping) and headers:
            pinned = {}
            for k, v in headers.items():
                if k.lower() in ("accept", "content-type") and isinstance(v, str):
                    v = _COMPAT.sub(wanted, v)
                pinned[k] = v
            kw["headers"] = pinned
        return send(method, target, **kw)

    transport._vndoc_send = send  # type: ignore[attr-defined]
    transport._vndoc_compatible_with = server_major  # type: ignore[attr-defined]
    transport.perform_request = perform_request  # type: ignore[method-assign]
    return server_major


def role_descriptors(prefix: str) -> dict[str, dict[str, Any]]:
    """The roles of the three keys vndoc uses, for ``POST /_security/api_key``.

    * ``admin``: ``vndoc es-setup`` and ``vndoc reindex`` (templates, indices, aliases);
    * ``writer``: ``vndoc serve`` and ``vndoc ingest`` (read and write documents);
    * ``reader``: a ``vndoc serve`` that only answers reads.

    Example:
        >>> role_descriptors("vndoc")["reader"]["indices"][0]["privileges"]
        ['read', 'view_index_metadata']
    """
    names = [f"{prefix}-*"]
    return {
        "admin": {
            "cluster": ["monitor", "manage_index_templates"],
            "indices": [{"names": names, "privileges": ["all"]}],
        },
        "writer": {
            "cluster": ["monitor"],
            "indices": [{"names": names, "privileges": ["read", "write", "view_index_metadata"]}],
        },
        "reader": {
            "cluster": ["monitor"],
            "indices": [{"names": names, "privileges": ["read", "view_index_metadata"]}],
        },
    }
