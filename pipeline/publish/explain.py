"""The evidence behind a link: the events two institutions share, and the sentences where
both appear, in Spanish. Reads the processed tables (``entities.csv``, ``documents.csv``,
``mentions.csv``, ``events.csv``), so it runs without the model.

An institution may be named as the report shows it ("Instituto Municipal de las Mujeres
(Juárez, Chihuahua)"), by its name, an alias or acronym ("IMM", "DIF"), part of its name
("Red Mesa") or its ``entity_id``; accents, case and punctuation aside. A name that fits
several institutions is an error that lists them, each with its jurisdiction and events.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.document.resolve import normalize_form
from pipeline.errors import InputError
from pipeline.knowledge import fold
from pipeline.publish.export import LIST_SEPARATOR, unquote
from pipeline.publish.outputs import OutputsError, verify

# The report's label for institutions that share a name: "Name (Municipality, State)".
_PLACE_SUFFIX = re.compile(r"(?P<name>.+?)\s*\((?P<place>[^()]+)\)\s*")
_EVENT_TYPES = {"other": "otro"}  # the tables' English value, as readers say it
# What is wrong with a folder that is not one run's whole set (OutputsError.state).
_NOT_A_SET = {"no-run": "no tiene run.json: sus tablas son de una ejecución interrumpida o de "
                        "una versión anterior",
              "schema": "se escribió con otra versión del formato de las tablas",
              "missing": "falta (la ejecución que escribió run.json lo incluía)",
              "changed": "cambió desde la ejecución que escribió run.json"}


class ExplainError(InputError):
    """An institution name that matches no entity or several, or a missing table."""


@dataclass(frozen=True, slots=True)
class Institution:
    """An institution as ``explain`` names it, with the events it takes part in."""

    entity_id: str
    name: str
    jurisdiction: str
    forms: tuple[str, ...]  # its name and aliases
    events: frozenset[str]
    gbv_events: frozenset[str]

    @property
    def label(self) -> str:
        return f"{self.name} ({self.jurisdiction})" if self.jurisdiction else self.name

    def listing(self) -> str:
        return (f"{self.label}: {_count(len(self.events), 'evento', 'eventos')}, "
                f"{len(self.gbv_events)} sobre violencia de género [{self.entity_id}]")


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _read(folder: Path, name: str) -> pd.DataFrame:
    path = folder / name
    if not path.is_file():
        raise ExplainError(f"no existe {path}; ejecute antes `python -m pipeline extract "
                           f"--output {folder}`, o indique la carpeta con --input CARPETA")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return frame.apply(lambda column: column.map(unquote))


@dataclass(frozen=True, slots=True)
class Evidence:
    """What ``explain`` reads: the institutions, and each event's releases and mentions."""

    institutions: tuple[Institution, ...]
    mentions: pd.DataFrame  # ORG mentions, with the event of their release
    events: pd.DataFrame


def read_tables(folder: Path) -> Evidence:
    """The tables of ``folder`` after checking they are one run's whole set."""
    entities = _read(folder, "entities.csv")
    try:
        verify(folder)
    except OutputsError as error:
        raise ExplainError(f"{error.path} {_NOT_A_SET[error.state]}; vuelva a ejecutar "
                           f"`python -m pipeline extract --output {folder}`") from None
    documents = _read(folder, "documents.csv")
    events = _read(folder, "events.csv")
    mentions = _read(folder, "mentions.csv")
    mentions = mentions[mentions["label"] == "ORG"].merge(
        documents[["doc_id", "event_id"]], on="doc_id")
    gbv = set(events.loc[events["gbv_related"] == "true", "event_id"])
    taking_part = mentions.groupby("entity_id")["event_id"].agg(frozenset)
    institutions = tuple(
        Institution(row["entity_id"], row["name"], row.get("jurisdiction", ""),
                    (row["name"], *[a for a in row["aliases"].split(LIST_SEPARATOR) if a]),
                    taking_part.get(row["entity_id"], frozenset()),
                    taking_part.get(row["entity_id"], frozenset()) & gbv)
        for row in entities[entities["label"] == "ORG"].to_dict("records"))
    return Evidence(institutions, mentions, events)


def _exact(institution: Institution, query: str) -> bool:
    key = normalize_form(query)
    places = ("", institution.jurisdiction) if institution.jurisdiction else ("",)
    return key == normalize_form(institution.entity_id) or any(
        key == normalize_form(f"{form} {place}") for form in institution.forms
        for place in places)


def _within(institution: Institution, query: str) -> bool:
    """``query``'s words, in order, inside a name or alias ("Red Mesa", "DIF")."""
    words = f" {fold(query)} "
    return words.strip() != "" and any(words in f" {fold(form)} " for form in institution.forms)


def _candidates(institutions: tuple[Institution, ...], query: str) -> list[Institution]:
    """The institutions ``query`` names: exact names first, then names that contain it; a
    trailing "(Municipality, State)" keeps those of that jurisdiction."""
    hits = [i for i in institutions if _exact(i, query)]
    if hits:
        return hits
    pool, name = list(institutions), query
    suffix = _PLACE_SUFFIX.fullmatch(query)
    if suffix and any(fold(i.jurisdiction) == fold(suffix["place"]) for i in institutions):
        name = suffix["name"]
        pool = [i for i in institutions if fold(i.jurisdiction) == fold(suffix["place"])]
    return [i for i in pool if _exact(i, name)] or [i for i in pool if _within(i, name)]


def find_institution(institutions: tuple[Institution, ...], query: str) -> Institution:
    """The one institution ``query`` names.

    Raises:
        ExplainError: none or several; the message lists the candidates (several: each
            with its jurisdiction and events, to be given as listed) or close names.
    """
    hits = _candidates(institutions, query)
    if len(hits) == 1:
        return hits[0]
    if hits:
        hits.sort(key=lambda i: (-len(i.events), i.label, i.entity_id))
        listed = "\n".join(f"  {i.listing()}" for i in hits)
        raise ExplainError(f"«{query}» puede ser {len(hits)} instituciones; indique una tal "
                           f"como aparece aquí (o su identificador entre corchetes):\n{listed}")
    labels = {i.label: i for i in institutions}
    close = difflib.get_close_matches(query, list(labels), n=5, cutoff=0.5)
    hint = ("; parecidas: " + "; ".join(close)) if close else \
        "; los nombres están en entities.csv"
    raise ExplainError(f"ninguna institución se llama «{query}»{hint}")


def _sentences_naming_both(mentions: pd.DataFrame, event_id: str, ids: list[str]) -> list[str]:
    in_event = mentions[(mentions["event_id"] == event_id) & mentions["entity_id"].isin(ids)]
    named = in_event.groupby(["doc_id", "sentence"], sort=False)["entity_id"].nunique()
    return list(dict.fromkeys(sentence for (_, sentence), n in named.items() if n == 2))


def explain(folder: Path, first: str, second: str) -> str:
    """A report in Spanish of the events ``first`` and ``second`` share, newest first.

    Two institutions share an event when releases of the event name both (the network's
    rule: ``edges.csv`` counts the shared events about gender violence). Each event gives
    its date, type, title, addresses, and the sentences that name both.
    """
    tables = read_tables(folder)
    one = find_institution(tables.institutions, first)
    two = find_institution(tables.institutions, second)
    if one.entity_id == two.entity_id:
        raise ExplainError(f"«{first}» y «{second}» son la misma institución ({one.label}); "
                           "indique dos distintas")
    shared = one.events & two.events
    events = tables.events[tables.events["event_id"].isin(shared)].sort_values(
        ["date", "event_id"], ascending=[False, True])
    gbv = len(one.gbv_events & two.gbv_events)
    lines = [f"{one.label} [{one.entity_id}] y {two.label} [{two.entity_id}]: "
             f"{_count(len(events), 'evento en común', 'eventos en común')}, {gbv} sobre "
             "violencia de género"]
    for event in events.to_dict("records"):
        kind = _EVENT_TYPES.get(event["event_type"], event["event_type"])
        topic = "violencia de género" if event["gbv_related"] == "true" else "otro tema"
        lines += ["", f"{event['date'] or 'sin fecha'}  {event['event_id']}  "
                      f"[{kind}; {topic}]  {event['title']}"]
        lines += [f"  {url}" for url in event["urls"].split(LIST_SEPARATOR) if url]
        lines += [f"  > {sentence}" for sentence in _sentences_naming_both(
            tables.mentions, event["event_id"], [one.entity_id, two.entity_id])]
    return "\n".join(lines)
