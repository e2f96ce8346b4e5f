"""Shared fixtures: the spaCy pipeline once per session, the ../shared material, and a socket
guard that keeps every test on the loopback interface."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import socket_guard
from spacy.language import Language

from pipeline.document.nlp import build_nlp
from pipeline.errors import ModelNotFound

socket_guard.install()

PROJECT = Path(__file__).resolve().parents[1]
SHARED = PROJECT.parent / "shared"
SEED = SHARED / "seed" / "000_ef73d91f2b0b8c72.txt"
# The same release, shipped as the sample input of `make extract`.
SHIPPED_SEED = PROJECT / "data" / "raw" / "juarez-2022-12-07-imm-reunion-iniciativa-spotlight.txt"
CORPUS = SHARED / "corpus"
_KEY_FOLDER = pytest.StashKey[Path]()


def pytest_configure(config: pytest.Config) -> None:
    """The privacy key of every run in the tests lives in a temporary folder, never in the
    project's data/interim; set before any test module is imported, so that the environments
    modules copy for their subprocesses carry it too."""
    folder = Path(tempfile.mkdtemp(prefix="prensa-red-test-key-"))
    config.stash[_KEY_FOLDER] = folder
    os.environ["PIPELINE_PRIVACY_KEY"] = str(folder / "privacy.key")


def pytest_unconfigure(config: pytest.Config) -> None:
    if (folder := config.stash.get(_KEY_FOLDER, None)) is not None:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def interim_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every run of the tests keeps its per-document results in a temporary store, never in
    the project's data/interim (subprocesses inherit it through the environment)."""
    folder = tmp_path_factory.mktemp("interim")
    previous = os.environ.get("PIPELINE_INTERIM")
    os.environ["PIPELINE_INTERIM"] = str(folder)
    yield folder
    if previous is None:
        del os.environ["PIPELINE_INTERIM"]
    else:
        os.environ["PIPELINE_INTERIM"] = previous


@pytest.fixture(scope="session")
def nlp() -> Language:
    try:
        return build_nlp()
    except ModelNotFound as exc:
        pytest.skip(f"no Spanish spaCy model: {exc}")


@pytest.fixture(scope="session")
def seed() -> Path:
    for path in (SEED, SHIPPED_SEED):
        if path.is_file():
            return path
    pytest.skip(f"the seed release is absent: neither {SEED} nor {SHIPPED_SEED}")


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not (CORPUS / "gold.jsonl").is_file():
        pytest.skip(f"the annotated corpus {CORPUS} is absent (../shared/ is not beside the "
                    "project)")
    return CORPUS


@pytest.fixture(autouse=True)
def _stays_on_loopback() -> Iterator[None]:
    """Fails the test that tried to reach beyond loopback, even if the code swallowed the
    guard's error."""
    before = len(socket_guard.refused)
    yield
    attempts = socket_guard.refused[before:]
    assert not attempts, f"the socket guard refused: {'; '.join(attempts)}"
