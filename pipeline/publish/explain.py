"""The evidence behind an edge: the events two institutions share, and the sentences where
both appear. Reads the processed tables (``entities.csv``, ``documents.csv``,
``mentions.csv``, ``events.csv``), so it runs without the model.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pandas as pd

from pipeline.document.resolve import normalize_form
from pipeline.errors import InputError
from pipeline.publish.outputs import verify


class ExplainError(InputError):
    """An institution name that matches no entity or several, or a missing table."""


def _read(folder: Path, name: str) -> pd.DataFrame:
    path = folder / name
    if not path.is_file():
        raise ExplainError(f"{path} does not exist; run `python -m pipeline extract "
                           f"--output {folder}` first, or pass --input FOLDER")
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def find_institution(entities: pd.DataFrame, query: str) -> pd.Series:
    """The one ORG entity whose id, name or alias is ``query`` (accents, case, punctuation
    and a leading article ignored).

    Raises:
        ExplainError: no entity or several match; the message lists close names.
    """
    orgs = entities[entities["label"] == "ORG"]
    key = normalize_form(query)
    forms = {index: {normalize_form(row["name"]), normalize_form(row["entity_id"])}
             | {normalize_form(a) for a in row["aliases"].split("; ") if a}
             for index, row in orgs.iterrows()}
    hits = [index for index, keys in forms.items() if key in keys]
    if len(hits) == 1:
        return orgs.loc[hits[0]]
    if hits:
        listed = "; ".join(f"{orgs.at[i, 'name']} ({orgs.at[i, 'entity_id']})" for i in hits)
        raise ExplainError(f"{query!r} is ambiguous: it names {listed}; give the full name "
                           "or the entity_id")
    close = difflib.get_close_matches(query, list(orgs["name"]), n=5, cutoff=0.5)
    hint = f"; close: {'; '.join(close)}" if close else "; see entities.csv for the names"
    raise ExplainError(f"no institution called {query!r}{hint}")


def explain(folder: Path, first: str, second: str) -> str:
    """A plain-text report of the events ``first`` and ``second`` share, newest first.

    Each event gives its date, type, title, URLs and, from every release of the event, the
    sentences that mention both institutions. GBV-related events are those the network's
    edge counts.
    """
    entities = _read(folder, "entities.csv")
    verify(folder)
    one, two = find_institution(entities, first), find_institution(entities, second)
    if one["entity_id"] == two["entity_id"]:
        raise ExplainError(f"{first!r} and {second!r} are the same institution "
                           f"({one['name']}); name two different ones")
    mentions = _read(folder, "mentions.csv")
    ids = [one["entity_id"], two["entity_id"]]
    mentions = mentions[mentions["entity_id"].isin(ids)]
    both = mentions.groupby("doc_id")["entity_id"].nunique()
    shared_docs = set(both[both == 2].index)
    documents = _read(folder, "documents.csv")
    event_ids = set(documents.loc[documents["doc_id"].isin(shared_docs), "event_id"])
    events = _read(folder, "events.csv")
    events = events[events["event_id"].isin(event_ids)].sort_values(
        ["date", "event_id"], ascending=[False, True])
    gbv = int((events["gbv_related"] == "true").sum())
    lines = [f"{one['name']} ({ids[0]}) and {two['name']} ({ids[1]}): {len(events)} shared "
             f"event(s), {gbv} GBV-related"]
    for _, event in events.iterrows():
        flag = "GBV" if event["gbv_related"] == "true" else "not GBV"
        lines += ["", f"{event['date'] or 'undated'}  {event['event_id']}  "
                      f"[{event['event_type']}, {flag}]  {event['title']}"]
        lines += [f"  {url}" for url in event["urls"].split("; ") if url]
        docs = set(event["doc_ids"].split("; ")) & shared_docs
        in_docs = mentions[mentions["doc_id"].isin(docs)]
        by_sentence = in_docs.groupby("sentence", sort=False)["entity_id"].nunique()
        lines += [f"  > {sentence}" for sentence, n in by_sentence.items() if n == 2]
    return "\n".join(lines)
