import os
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.config import Settings, SettingsError, load_settings, resolved_processes


def test_shipped_defaults_load() -> None:
    settings = load_settings({})
    assert settings.model is None
    assert settings.batch_size == Settings().batch_size


def test_user_file_then_environment_override(tmp_path: Path) -> None:
    user = tmp_path / "mine.toml"
    user.write_text('batch_size = 8\nmodel = "es_core_news_md"\n', encoding="utf-8")
    settings = load_settings({"PIPELINE_SETTINGS": str(user), "PIPELINE_BATCH_SIZE": "4"})
    assert (settings.batch_size, settings.model) == (4, "es_core_news_md")


@pytest.mark.parametrize(("environ", "message"), [
    ({"PIPELINE_BATCH_SIZE": "many"}, "batch_size = 'many' is invalid"),
    ({"PIPELINE_SETTINGS": "/no/such/file.toml"}, "does not exist"),
])
def test_bad_settings_say_what_and_how(environ: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        load_settings(environ)


def test_unknown_key_in_user_file_is_named(tmp_path: Path) -> None:
    user = tmp_path / "mine.toml"
    user.write_text("bach_size = 8\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="bach_size"):
        load_settings({"PIPELINE_SETTINGS": str(user)})


@pytest.mark.parametrize(("environ", "message"), [
    ({"PIPELINE_BATCH_SIZE": "0"}, "batch_size = 0 is invalid; value must be >= 1"),
    ({"PIPELINE_DUPLICATE_THRESHOLD": "1.5"}, "value must be from 0.0 to 1.0"),
    ({"PIPELINE_TIMEOUT": "0"}, "timeout = 0.0 is invalid"),
])
def test_out_of_range_settings_are_refused(environ: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        load_settings(environ)


def test_auto_processes_use_the_cores_only_for_a_run_worth_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    auto = replace(load_settings(), processes=0)
    assert resolved_processes(auto, 10) == 1  # a small run: no workers to start
    assert resolved_processes(auto, 5000) == auto.auto_processes_max == 4
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert resolved_processes(auto, 5000) == 2
    assert resolved_processes(replace(auto, processes=3), 10) == 3  # a setting wins
