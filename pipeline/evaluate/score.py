"""Score pipeline output against hand annotations (the protocol of the corpus README).

Per document and label, a predicted entity (the surface forms one ``entity_id`` got in the
document, plus its canonical name) matches a gold entity (name plus mentions/aliases) when they
share a normalised form; matching is one-to-one and maximises true positives, so an institution
split in two counts one TP and one FP. Figures are micro-averaged over the corpus.

- Identity: pairs of matched entities in different documents; the same canonical gold name
  (``canonical``, else the name through ``aliases.json``) should mean the same ``entity_id``,
  different canonical names different ids.
- Edges: in each file the gold marks GBV-related, every pair of its gold organisations
  (canonical names) is a gold edge; in each file the pipeline marks GBV-related, every pair
  of its predicted organisations matched to gold ones is a predicted edge (the gold canonical
  names of the matches). A pair that includes an unmatched prediction is a false edge,
  counted once per file and keyed by the predicted entity id (as ``eval``-style scorers do).
  Precision and recall compare the two sets of pairs over the corpus.
- Errors are classed: *boundary* (a predicted and a gold entity of one label share a content
  word but no normalised form), *wrong label* (a gold ORG predicted as PER or the reverse),
  else *spurious* (predicted) or *missed* (gold).
- Publication dates: exact match where the gold states one; a date predicted where the gold
  states none is spurious only when the pipeline says it read it in the text; a date written
  in the document's URL (``/2023/11/21/``) must be the predicted one where the gold has none.
- Event dates: precision and recall of the ``kind=event`` dates against ``event_dates``, over
  the files whose gold lists them.
- Sector and jurisdiction of matched institutions: the predicted sector against the gold
  ``sector``; the municipality of a matched municipal body against the brackets of its gold
  ``canonical`` ("… (Hermosillo)"), else the release's ``city`` in the manifest (bodies of a
  release whose city is unknown are not counted).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from typing import Literal

import networkx as nx

from pipeline.document.places import municipalities_named, parse_label
from pipeline.evaluate.gold import LABELS, EntityLabel, GoldDoc, GoldEntity
from pipeline.evaluate.predicted import NOT_FROM_TEXT, PredictedDoc, PredictedEntity
from pipeline.knowledge import fold

ARTICLES = frozenset({"el", "la", "los", "las", "del", "de"})
# Words that say nothing about which body or person is meant, for the boundary class.
FUNCTION_WORDS = ARTICLES | {"y", "e", "en", "a", "al", "para", "por", "con", "sus", "su"}
ErrorClass = Literal["boundary", "wrong_label", "spurious", "missed"]
ERROR_CLASSES: tuple[ErrorClass, ...] = ("boundary", "wrong_label", "spurious", "missed")
_URL_DATE = re.compile(r"/((?:19|20)\d\d)/(\d\d)/(\d\d)(?:/|$|[^\d])")


@dataclass(frozen=True, slots=True)
class PRF:
    """Counts with precision, recall and F1 (0.0 when a denominator is 0)."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        total = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / total if total else 0.0


@dataclass(frozen=True, slots=True)
class EntityError:
    """An unmatched entity: a false positive (predicted) or a false negative (gold)."""

    doc_key: str
    label: EntityLabel
    kind: Literal["FP", "FN"]
    name: str
    forms: tuple[str, ...]
    error_class: ErrorClass = "spurious"


@dataclass(frozen=True, slots=True)
class DateError:
    doc_key: str
    gold: date | None
    predicted: date | None


@dataclass(frozen=True, slots=True)
class Disagreement:
    """A matched institution whose predicted attribute differs from the gold's."""

    doc_key: str
    name: str  # the gold name
    gold: str
    predicted: str


@dataclass(frozen=True, slots=True)
class Agreement:
    """How many matched institutions got an attribute right, and the ones that did not."""

    total: int = 0
    errors: tuple[Disagreement, ...] = ()

    @property
    def accuracy(self) -> float:
        return (self.total - len(self.errors)) / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class Report:
    entities: Mapping[EntityLabel, PRF]
    identity: Mapping[EntityLabel, PRF]
    dates_correct: int
    dates_stated: int  # gold documents whose `published` is not null
    date_errors: tuple[DateError, ...]  # stated in gold, predicted wrong or missing
    spurious_dates: tuple[DateError, ...]  # read in a text that, says the gold, states none
    gbv: PRF
    errors: tuple[EntityError, ...]
    missing_docs: tuple[str, ...]  # gold documents with no prediction
    unannotated_docs: tuple[str, ...]  # predictions with no gold (not scored)
    edges: PRF = PRF(0, 0, 0)
    event_dates: PRF = PRF(0, 0, 0)
    url_dates: int = 0  # documents without a stated date whose URL carries one
    url_date_errors: tuple[DateError, ...] = ()  # … predicted otherwise (gold = the URL's)
    sector: Agreement = Agreement()
    jurisdiction: Agreement = Agreement()

    @property
    def date_accuracy(self) -> float:
        return self.dates_correct / self.dates_stated if self.dates_stated else 0.0

    def error_classes(self) -> dict[EntityLabel, Counter[ErrorClass]]:
        """Per label, how many unmatched entities fall in each error class."""
        counts: dict[EntityLabel, Counter[ErrorClass]] = {label: Counter() for label in LABELS}
        for error in self.errors:
            counts[error.label][error.error_class] += 1
        return counts


def normalise(form: str) -> str:
    """The comparison key of a surface form: no accents, case, punctuation, spaces or article.

    Leading articles are dropped one after another ("de la Fiscalía" → "fiscalia"), as long as
    a word remains, because "de" + "la" are both in the protocol's list.

    >>> normalise("del Instituto Municipal de las Mujeres (IMM).")
    'institutomunicipaldelasmujeresimm'
    """
    words = _words(form)
    while len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]
    return "".join(words)


def _words(form: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", form.casefold())
    return "".join(c if unicodedata.category(c)[0] in "LN" else " "
                   for c in decomposed if not unicodedata.combining(c)).split()


def _keys(forms: Iterable[str]) -> frozenset[str]:
    return frozenset(key for key in map(normalise, forms) if key)


def _content_words(forms: Iterable[str]) -> frozenset[str]:
    return frozenset(w for form in forms for w in _words(form) if w not in FUNCTION_WORDS)


def _match(gold: list[GoldEntity], predicted: list[PredictedEntity]) -> list[tuple[int, int]]:
    """``(gold index, predicted index)`` pairs of a maximum one-to-one matching.

    Among the matchings with the most pairs, the one sharing the most forms wins, so that the
    reported false positive of a split entity is its smaller part.
    """
    graph = nx.Graph()
    pred_keys = [_keys(p.forms | {p.name}) for p in predicted]
    for g_index, g in enumerate(gold):
        g_keys = _keys(g.forms | {g.name})
        for p_index, keys in enumerate(pred_keys):
            if shared := len(g_keys & keys):
                graph.add_edge(("g", g_index), ("p", p_index), weight=shared)
    pairs = nx.max_weight_matching(graph, maxcardinality=True)
    return sorted((a[1], b[1]) if a[0] == "g" else (b[1], a[1]) for a, b in pairs)


def _identity(matches: list[tuple[str, GoldEntity, PredictedEntity]]) -> PRF:
    tp = fp = fn = 0
    for (doc_a, gold_a, pred_a), (doc_b, gold_b, pred_b) in combinations(matches, 2):
        if doc_a == doc_b:
            continue
        same_gold = normalise(gold_a.identity) == normalise(gold_b.identity)
        same_pred = pred_a.entity_id == pred_b.entity_id
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    return PRF(tp, fp, fn)


@dataclass(frozen=True, slots=True)
class _DocMatch:
    """One document and label: the matching, and what is left over on each side."""

    gold: list[GoldEntity]
    predicted: list[PredictedEntity]
    pairs: list[tuple[int, int]]

    @property
    def unmatched_gold(self) -> list[GoldEntity]:
        taken = {g for g, _ in self.pairs}
        return [e for i, e in enumerate(self.gold) if i not in taken]

    @property
    def unmatched_predicted(self) -> list[PredictedEntity]:
        taken = {p for _, p in self.pairs}
        return [e for i, e in enumerate(self.predicted) if i not in taken]


def _predicted_forms(entities: Iterable[PredictedEntity]) -> list[frozenset[str]]:
    return [e.forms | {e.name} for e in entities]


def _classify(key: str, by_label: Mapping[EntityLabel, _DocMatch]) -> list[EntityError]:
    """The document's unmatched entities, each with its error class."""
    errors = []
    for label, match in by_label.items():
        other = by_label["ORG" if label == "PER" else "PER"]
        missed = [g.forms for g in match.unmatched_gold]
        missed_other = [g.forms for g in other.unmatched_gold]
        for entity, forms in zip(match.unmatched_predicted,
                                 _predicted_forms(match.unmatched_predicted), strict=True):
            errors.append(EntityError(key, label, "FP", entity.name, tuple(sorted(entity.forms)),
                                      _error_class(forms, missed, missed_other, "spurious")))
        found = _predicted_forms(match.unmatched_predicted)
        found_other = _predicted_forms(other.unmatched_predicted)
        for gold in match.unmatched_gold:
            errors.append(EntityError(key, label, "FN", gold.name, tuple(sorted(gold.forms)),
                                      _error_class(gold.forms, found, found_other, "missed")))
    return errors


def _error_class(forms: frozenset[str], same_label: list[frozenset[str]],
                 other_label: list[frozenset[str]], otherwise: ErrorClass) -> ErrorClass:
    """*wrong label* when a leftover of the other label shares a form, *boundary* when one of
    the same label shares a content word, else ``otherwise``."""
    keys, words = _keys(forms), _content_words(forms)
    if any(keys & _keys(other) for other in other_label):
        return "wrong_label"
    if any(words & _content_words(other) for other in same_label):
        return "boundary"
    return otherwise


def _gold_edges(doc: GoldDoc) -> set[frozenset[str]]:
    names = {normalise(e.identity) for e in doc.entities if e.label == "ORG"}
    return {frozenset(pair) for pair in combinations(sorted(names), 2)}


def _predicted_edges(match: _DocMatch) -> tuple[set[frozenset[str]], int]:
    """The document's predicted edges between matched bodies, and its false edges (pairs
    with an unmatched prediction, each counted once, keyed by entity id)."""
    ends = {p: normalise(match.gold[g].identity) for g, p in match.pairs}
    keys = {ends.get(i, f"\0{entity.entity_id}") for i, entity in enumerate(match.predicted)}
    pairs = {frozenset(pair) for pair in combinations(sorted(keys), 2)}
    true = {pair for pair in pairs if not any(end.startswith("\0") for end in pair)}
    return true, len(pairs - true)


def _gold_place(doc: GoldDoc, entity: GoldEntity) -> str:
    """The municipality a gold municipal body belongs to: its canonical's brackets, else the
    release's city ("" when neither says)."""
    if entity.canonical.endswith(")") and "(" in entity.canonical:
        return entity.canonical.rpartition("(")[2][:-1].strip()
    return doc.city


def same_municipality(place: str, label: str) -> bool:
    """``label`` ("Juárez, Chihuahua") names the municipality written ``place``: the one
    municipality a form releases write ("Ciudad Juárez") denotes, or, when several share the
    name ("Camargo"), any of them."""
    if not label:
        return False
    named = municipalities_named(place)
    if len(named) == 1:
        return named[0].label == label
    return fold(parse_label(label)[0]) == fold(place)


def _attributes(doc: GoldDoc, pairs: Iterable[tuple[GoldEntity, PredictedEntity]]
                ) -> tuple[list[Disagreement | None], list[Disagreement | None]]:
    """For each matched institution with a gold sector (and, for a municipal body, a known
    place): None when the prediction agrees, else the disagreement."""
    sectors: list[Disagreement | None] = []
    places: list[Disagreement | None] = []
    for gold, guess in pairs:
        if gold.sector:
            sectors.append(None if guess.sector == gold.sector else
                           Disagreement(doc.doc_key, gold.name, gold.sector, guess.sector))
        place = _gold_place(doc, gold)
        if gold.sector == "municipal" and place:
            places.append(None if same_municipality(place, guess.jurisdiction) else
                          Disagreement(doc.doc_key, gold.name, place, guess.jurisdiction))
    return sectors, places


def _agreement(outcomes: list[Disagreement | None]) -> Agreement:
    return Agreement(len(outcomes), tuple(o for o in outcomes if o is not None))


def url_date(url: str) -> date | None:
    """The day written in a URL's path ("…/2023/11/21/…"), if any.

    >>> url_date("https://example.mx/2023/11/21/presenta-agenda")
    datetime.date(2023, 11, 21)
    """
    match = _URL_DATE.search(url)
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def score(gold: Mapping[str, GoldDoc], predicted: Mapping[str, PredictedDoc]) -> Report:
    """Compare predictions with gold documents of the same key; see the module docstring."""
    counts = {label: [0, 0, 0] for label in LABELS}
    matches: dict[EntityLabel, list[tuple[str, GoldEntity, PredictedEntity]]] = {
        label: [] for label in LABELS}
    errors: list[EntityError] = []
    date_errors: list[DateError] = []
    spurious: list[DateError] = []
    url_errors: list[DateError] = []
    url_dates = 0
    gbv = [0, 0, 0]
    gold_edges: set[frozenset[str]] = set()
    predicted_edges: set[frozenset[str]] = set()
    false_edges = 0
    event_dates = [0, 0, 0]
    sectors: list[Disagreement | None] = []
    places: list[Disagreement | None] = []
    for key in sorted(gold):
        truth = gold[key]
        guess = predicted.get(key, PredictedDoc(key, None, False, ()))
        by_label: dict[EntityLabel, _DocMatch] = {}
        for label in LABELS:
            gold_ents = [e for e in truth.entities if e.label == label]
            pred_ents = [e for e in guess.entities if e.label == label]
            match = by_label[label] = _DocMatch(gold_ents, pred_ents,
                                                _match(gold_ents, pred_ents))
            counts[label][0] += len(match.pairs)
            counts[label][1] += len(pred_ents) - len(match.pairs)
            counts[label][2] += len(gold_ents) - len(match.pairs)
            matches[label].extend((key, gold_ents[g], pred_ents[p]) for g, p in match.pairs)
        errors.extend(_classify(key, by_label))
        org = by_label["ORG"]
        doc_sectors, doc_places = _attributes(truth, ((org.gold[g], org.predicted[p])
                                                      for g, p in org.pairs))
        sectors += doc_sectors
        places += doc_places
        if truth.gbv:
            gold_edges |= _gold_edges(truth)
        if guess.gbv:
            true_pairs, false_pairs = _predicted_edges(by_label["ORG"])
            predicted_edges |= true_pairs
            false_edges += false_pairs
        from_url = url_date(truth.url)
        if truth.published is not None and guess.published != truth.published:
            date_errors.append(DateError(key, truth.published, guess.published))
        elif truth.published is None and from_url is not None:
            url_dates += 1
            if guess.published != from_url:
                url_errors.append(DateError(key, from_url, guess.published))
        elif truth.published is None and guess.published is not None \
                and guess.published_source not in NOT_FROM_TEXT:
            spurious.append(DateError(key, None, guess.published))
        if truth.event_dates is not None:
            event_dates[0] += len(truth.event_dates & guess.event_dates)
            event_dates[1] += len(guess.event_dates - truth.event_dates)
            event_dates[2] += len(truth.event_dates - guess.event_dates)
        gbv[0] += truth.gbv and guess.gbv
        gbv[1] += guess.gbv and not truth.gbv
        gbv[2] += truth.gbv and not guess.gbv
    stated = sum(doc.published is not None for doc in gold.values())
    return Report(
        entities={label: PRF(*counts[label]) for label in LABELS},
        identity={label: _identity(matches[label]) for label in LABELS},
        dates_correct=stated - len(date_errors),
        dates_stated=stated,
        date_errors=tuple(date_errors),
        spurious_dates=tuple(spurious),
        gbv=PRF(*gbv),
        errors=tuple(errors),
        missing_docs=tuple(sorted(set(gold) - set(predicted))),
        unannotated_docs=tuple(sorted(set(predicted) - set(gold))),
        edges=PRF(len(predicted_edges & gold_edges),
                  len(predicted_edges - gold_edges) + false_edges,
                  len(gold_edges - predicted_edges)),
        event_dates=PRF(*event_dates),
        url_dates=url_dates,
        url_date_errors=tuple(url_errors),
        sector=_agreement(sectors),
        jurisdiction=_agreement(places),
    )
