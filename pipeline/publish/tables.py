"""Read the processed tables back for the report and the notebooks: one function per table.

Each loader returns a DataFrame with the columns of the output contract, parsed: dates as
``Timestamp`` (``NaT`` when blank), booleans as ``bool``, counts as numbers and ``"; "``-joined
cells as lists.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pandas as pd

from pipeline.config import PROCESSED_DIR
from pipeline.errors import InputError
from pipeline.evaluate import Report, load_gold, predicted_docs_from_tables, score
from pipeline.publish.export import LIST_SEPARATOR, unquote
from pipeline.publish.outputs import verify

# `make evaluate`'s default CORPUS, relative to the project root.
EVALUATE_GOLD = Path("..") / "shared" / "corpus" / "gold.jsonl"


class TablesError(InputError):
    """The processed folder lacks a table the caller needs."""


@dataclass(frozen=True)
class Tables:
    """The processed tables of one extraction run."""

    documents: pd.DataFrame
    mentions: pd.DataFrame
    entities: pd.DataFrame
    events: pd.DataFrame
    nodes: pd.DataFrame
    edges: pd.DataFrame
    dates: pd.DataFrame


def _from_project_root(relative: Path) -> Path:
    """``relative`` under the working directory, else under the nearest project root above it.

    Notebooks run with their own folder as working directory; ``data/`` is one level up.
    """
    for folder in (Path.cwd(), *Path.cwd().parents):
        if (folder / relative).exists() or (folder / "pyproject.toml").is_file():
            return folder / relative
    return relative


def processed_dir() -> Path:
    """``$PIPELINE_PROCESSED_DIR``, else :data:`pipeline.config.PROCESSED_DIR`."""
    override = os.environ.get("PIPELINE_PROCESSED_DIR")
    return Path(override) if override else _from_project_root(PROCESSED_DIR)


def gold_file() -> Path:
    """``$PIPELINE_GOLD``, else the annotated corpus that ``make evaluate`` scores by default
    (``../shared/corpus/gold.jsonl`` beside the project)."""
    override = os.environ.get("PIPELINE_GOLD")
    return Path(override) if override else _from_project_root(EVALUATE_GOLD)


def _split(text: str) -> list[str]:
    return [item for item in text.split(LIST_SEPARATOR) if item] if text else []


def read_table(path: Path, *, lists: Iterable[str] = (), dates: Iterable[str] = (),
               bools: Iterable[str] = (), numbers: Iterable[str] = ()) -> pd.DataFrame:
    """One exported CSV, with the named columns parsed; absent columns are skipped."""
    if not path.is_file():
        raise TablesError(f"{path} does not exist; run `python -m pipeline extract --output "
                          f"{path.parent}` first")
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    frame = frame.apply(lambda column: column.map(unquote))
    present = set(frame.columns)
    for column in present.intersection(lists):
        frame[column] = frame[column].map(_split)
    for column in present.intersection(dates):
        frame[column] = pd.to_datetime(frame[column], errors="coerce")
    for column in present.intersection(bools):
        frame[column] = frame[column].str.lower().eq("true")
    for column in present.intersection(numbers):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").fillna(0)
    return frame


def load_documents(folder: Path) -> pd.DataFrame:
    return read_table(folder / "documents.csv", lists=["gbv_terms"], dates=["published"],
                      bools=["gbv_related"], numbers=["gbv_score"])


def load_mentions(folder: Path) -> pd.DataFrame:
    return read_table(folder / "mentions.csv", numbers=["start_char", "end_char"],
                      bools=["withheld"])


def load_entities(folder: Path) -> pd.DataFrame:
    return read_table(folder / "entities.csv", lists=["aliases"],
                      dates=["first_seen", "last_seen"], numbers=["n_documents"],
                      bools=["withheld"])


def load_events(folder: Path) -> pd.DataFrame:
    return read_table(folder / "events.csv", dates=["date"], bools=["gbv_related"],
                      numbers=["gbv_score", "n_documents"],
                      lists=["gbv_terms", "doc_ids", "urls", "institutions", "people"])


def load_edges(folder: Path) -> pd.DataFrame:
    return read_table(folder / "edges.csv", lists=["event_ids", "sentence_event_ids"],
                      dates=["first_date", "last_date"], numbers=["weight", "sentence_weight"])


def load_nodes(folder: Path) -> pd.DataFrame:
    return read_table(folder / "nodes.csv", dates=["first_date", "last_date"],
                      numbers=["n_events", "degree", "weighted_degree", "betweenness",
                               "community", "strong_degree"])


def load_dates(folder: Path) -> pd.DataFrame:
    return read_table(folder / "dates.csv", dates=["value"])


def load_tables(folder: Path | None = None) -> Tables:
    """Every table of ``folder`` (default :func:`processed_dir`), once its ``run.json``
    confirms they are the whole set of one run (:func:`pipeline.publish.outputs.verify`)."""
    folder = processed_dir() if folder is None else folder
    if not folder.is_dir() or not any(folder.glob("*.csv")):
        raise TablesError(f"{folder} has no tables; run `python -m pipeline extract --output "
                          f"{folder}` first, or pass the folder that holds documents.csv")
    verify(folder)
    return Tables(documents=load_documents(folder), mentions=load_mentions(folder),
                  entities=load_entities(folder), events=load_events(folder),
                  nodes=load_nodes(folder), edges=load_edges(folder), dates=load_dates(folder))


def institution_graph(nodes: pd.DataFrame, edges: pd.DataFrame) -> nx.Graph:
    """The institution network with every node and edge column as an attribute."""
    graph = nx.Graph()
    for row in nodes.to_dict("records"):
        graph.add_node(row["entity_id"], **row)
    for row in edges.to_dict("records"):
        graph.add_edge(row["source_id"], row["target_id"], **row)
    return graph


def node_events(tables: Tables) -> dict[str, set[str]]:
    """Each institution's GBV events: those of the releases that mention it (the network's
    participation rule, which keeps an institution alone in an event with that event), and
    those of its ties."""
    gbv = set(tables.events.loc[tables.events["gbv_related"], "event_id"])
    event_of = dict(zip(tables.documents["doc_id"], tables.documents["event_id"]))
    found: dict[str, set[str]] = {node: set() for node in tables.nodes["entity_id"]}
    for doc_id, entity_id in zip(tables.mentions["doc_id"], tables.mentions["entity_id"]):
        event_id = event_of.get(doc_id)
        if entity_id in found and event_id in gbv:
            found[entity_id].add(str(event_id))
    for source, target, events in zip(tables.edges["source_id"], tables.edges["target_id"],
                                      tables.edges["event_ids"]):
        for node in (source, target):
            found.setdefault(node, set()).update(events)
    return found


def label_disagreements(mentions: pd.DataFrame) -> pd.DataFrame:
    """Surface forms given more than one label, with the origins (model, rules) of each label.

    These are where the model and the rules disagree about what a name is.
    """
    named = mentions[mentions["label"].isin(["PER", "ORG"])]
    grouped = named.groupby("text").agg(
        labels=("label", lambda s: sorted(set(s))), origins=("origin", lambda s: sorted(set(s))),
        n_mentions=("label", "size"), n_documents=("doc_id", "nunique"))
    return grouped[grouped["labels"].map(len) > 1].sort_values(
        "n_mentions", ascending=False).reset_index()


def network_growth(nodes: pd.DataFrame, edges: pd.DataFrame) -> pd.DataFrame:
    """Per year: institutions and links seen so far, and how many were new that year."""
    node_years = nodes["first_date"].dt.year.dropna()
    edge_years = edges["first_date"].dt.year.dropna() if "first_date" in edges else node_years[:0]
    if node_years.empty:
        return pd.DataFrame(columns=["year", "institutions", "links", "new_institutions",
                                     "new_links"])
    years = range(int(node_years.min()), int(node_years.max()) + 1)
    new_nodes = node_years.value_counts().reindex(years, fill_value=0)
    new_edges = edge_years.value_counts().reindex(years, fill_value=0)
    return pd.DataFrame({"year": list(years), "institutions": new_nodes.cumsum().to_numpy(),
                         "links": new_edges.cumsum().to_numpy(),
                         "new_institutions": new_nodes.to_numpy(),
                         "new_links": new_edges.to_numpy()})


def neighbourhood(graph: nx.Graph, query: str, *, radius: int = 1) -> nx.Graph:
    """The institutions within ``radius`` links of the one whose id or name matches ``query``.

    The name match ignores case and takes the institution in most events among those whose
    name contains ``query``.
    """
    if query in graph:
        return nx.ego_graph(graph, query, radius=radius)
    found = [n for n, d in graph.nodes(data=True) if query.lower() in str(d["name"]).lower()]
    if not found:
        raise ValueError(f"no institution id or name contains {query!r}; try a shorter part "
                         "of the name, e.g. 'Mujeres'")
    centre = max(found, key=lambda n: graph.nodes[n].get("n_events", 0))
    return nx.ego_graph(graph, centre, radius=radius)


def gold_coverage(tables: Tables, gold_path: Path) -> int:
    """How many of the releases annotated in ``gold_path`` the tables hold."""
    predicted = predicted_docs_from_tables(tables.documents, tables.mentions, tables.entities,
                                           tables.dates)
    return len(set(load_gold(gold_path)) & set(predicted))


def withheld_people(tables: Tables) -> int:
    """How many people the tables withhold (privacy by default; none in tables made with
    ``--include-private-persons``)."""
    entities = tables.entities
    return int(entities["withheld"].sum()) if "withheld" in entities else 0


def evaluate_tables(tables: Tables, gold_path: Path, *, aliases: Path | None = None) -> Report:
    """Score the extraction in ``tables`` against the annotations in ``gold_path`` (and the
    ``aliases.json`` beside it, or ``aliases``)."""
    if not gold_path.is_file():
        raise TablesError(f"gold file {gold_path} does not exist; set PIPELINE_GOLD to a JSONL "
                          "file in the format of the corpus README")
    if withheld := withheld_people(tables):
        raise TablesError(f"these tables withhold {withheld} private persons, who cannot be "
                          "scored; extract the annotated releases with --include-private-"
                          "persons (as `evaluate` does) and score those tables")
    predicted = predicted_docs_from_tables(tables.documents, tables.mentions, tables.entities,
                                           tables.dates)
    return score(load_gold(gold_path, aliases=aliases), predicted)


def scores_frame(report: Report) -> pd.DataFrame:
    """One row per measure: counts, precision, recall and F1."""
    measures = {**{f"{label} entities": prf for label, prf in report.entities.items()},
                **{f"{label} identity (pairs)": prf for label, prf in report.identity.items()},
                "Edges (ORG pairs)": report.edges, "Event dates": report.event_dates,
                "GBV prevention": report.gbv}
    return pd.DataFrame([{"measure": name, "tp": prf.tp, "fp": prf.fp, "fn": prf.fn,
                          "precision": prf.precision, "recall": prf.recall, "f1": prf.f1}
                         for name, prf in measures.items()])


def errors_frame(report: Report) -> pd.DataFrame:
    """The unmatched entities: FP (predicted, not in gold) and FN (gold, missed)."""
    columns = ["doc_key", "label", "kind", "error_class", "name", "forms"]
    return pd.DataFrame([{"doc_key": e.doc_key, "label": e.label, "kind": e.kind,
                          "error_class": e.error_class, "name": e.name, "forms": list(e.forms)}
                         for e in report.errors], columns=columns)
