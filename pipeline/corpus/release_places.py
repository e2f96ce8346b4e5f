"""Where a release happens when nothing in it says: where its municipal officials serve.

A release that no dateline, text or outlet places (its jurisdiction's source is "default")
often still names its city's officials: "el presidente municipal Martín Ríos Lozano" is
Juárez's mayor in every release that places him. :class:`ReleasePlaces` learns, in one pass
over the corpus, the municipality where each person holds a municipal office (a role of
``places/cues.tsv``'s municipal words, "alcaldesa", "regidor", "presidente municipal", or
any role in a municipal body) in the releases that are placed, and gives an unplaced release
the one municipality its officials point to (source "officials"). A release whose officials
point nowhere, or to several places, stays unplaced.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

from pipeline.corpus.identities import org_sector
from pipeline.document.places import load_places
from pipeline.knowledge import fold
from pipeline.records import Affiliation, DocumentResult

UNPLACED = "default"  # the jurisdiction source of a release nothing placed


def _holds_municipal_office(affiliation: Affiliation) -> bool:
    words = set(fold(affiliation.role).split())
    return bool(words & load_places().cues["municipal"]) or bool(
        affiliation.org and org_sector(affiliation.org) == "municipal")


class ReleasePlaces:
    """The municipality of each person with a municipal office, from the placed releases."""

    def __init__(self) -> None:
        self._offices: dict[str, Counter[str]] = {}  # person → municipalities, by releases

    @classmethod
    def learned_from(cls, results: Iterable[DocumentResult]) -> ReleasePlaces:
        """One pass over every release's result."""
        places = cls()
        for result in results:
            if result.jurisdiction_source == UNPLACED or not result.jurisdiction:
                continue
            for person in {a.person for a in result.affiliations
                           if _holds_municipal_office(a)}:
                places._offices.setdefault(person, Counter())[result.jurisdiction] += 1
        return places

    def place(self, result: DocumentResult) -> DocumentResult:
        """``result``, placed where its officials serve when nothing else placed it."""
        if result.jurisdiction_source != UNPLACED or not self._offices:
            return result
        named = {m.canonical or m.text for m in result.mentions if m.label == "PER"}
        where = {office.most_common(1)[0][0] for person in named
                 if (office := self._offices.get(person))}
        if len(where) != 1:
            return result
        return replace(result, jurisdiction=where.pop(), jurisdiction_source="officials")
