"""One settings object: secrets stay secret, weak ones are refused where they guard writes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.settings import Settings, SettingsError
from search_api.app import create_app
from tests.conftest import ROOT


def test_elasticsearch_secrets_never_print() -> None:
    s = Settings(store="elasticsearch", es_url="https://es:9200", es_username="elastic",
                 es_password="a-real-pass-9f3k", es_api_key="k3y-7d1e")
    assert "a-real-pass-9f3k" not in repr(s) and "k3y-7d1e" not in repr(s)
    assert "a-real-pass-9f3k" not in s.model_dump_json()
    assert s.es_password is not None and s.es_password.get_secret_value() == "a-real-pass-9f3k"


@pytest.mark.parametrize(
    ("settings", "names"),
    [
        (dict(api_keys="lan:"), ("VNDOC_API_KEYS", "'lan'", "empty")),
        (dict(api_keys="lan:Xq8-long-random-key,an:changeme:admin"),
         ("VNDOC_API_KEYS", "'an'", "placeholder")),
        (dict(api_keys="s3cret"), ("VNDOC_API_KEYS", "'staff'", "placeholder")),
        (dict(store="elasticsearch", es_url="https://es:9200", es_username="elastic"),
         ("VNDOC_ES_PASSWORD", "'elastic'")),
        (dict(store="elasticsearch", es_url="https://es:9200", es_username="elastic",
              es_password="choose-a-long-one"), ("VNDOC_ES_PASSWORD", "placeholder")),
        (dict(store="elasticsearch", es_url="https://es:9200", es_api_key=" "),
         ("VNDOC_ES_API_KEY", "empty")),
    ],
)
def test_the_app_refuses_a_weak_secret(tmp_path: Path, settings: dict, names: tuple) -> None:
    with pytest.raises(SettingsError) as e:
        create_app(Settings(data_dir=tmp_path, **settings))
    for name in names:
        assert name in str(e.value)
    assert "changeme" not in str(e.value) and "choose-a-long-one" not in str(e.value)


def test_real_keys_and_a_read_only_app_start(tmp_path: Path) -> None:
    create_app(Settings(data_dir=tmp_path, api_keys="lan:Xq8-long-random-key"))
    create_app(Settings(data_dir=tmp_path))  # no keys: nothing can be written


def test_serve_refuses_before_binding_with_the_message(tmp_path: Path) -> None:
    env = {**os.environ, "VNDOC_API_KEYS": "lan:changeme", "VNDOC_DATA_DIR": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-c", "from pipeline.cli import main; main()", "serve", "--port", "1"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "VNDOC_API_KEYS" in proc.stderr and "placeholder" in proc.stderr
    assert "Traceback" not in proc.stderr
