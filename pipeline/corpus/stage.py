"""The corpus stage: every release's DocumentResult → identities and events.

Two passes over the per-document results, which stay on disk: :func:`index_corpus` learns
the corpus-wide facts (one identity per person and institution, which releases report one
event), then :func:`identify` gives each release's mentions their entity ids, in input order,
for the tables and the network. Both read the results as :class:`PublicPeople` reveals them
(privacy by default: a pass before them learns whom some release names in a public role),
and place a release nothing placed where its municipal officials serve (:mod:`release_places`,
learned in that pass too).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from pipeline.config import Settings
from pipeline.corpus.events import EventIds
from pipeline.corpus.identities import EntityIndex, Identities, forget_name_caches
from pipeline.corpus.org_keys import identity_place
from pipeline.corpus.privacy import PublicPeople, withhold_entity
from pipeline.corpus.release_places import ReleasePlaces
from pipeline.records import Affiliation, DocumentResult, Entity, Mention


@dataclass(frozen=True, slots=True)
class CorpusIndex:
    """What only the whole corpus tells: identities and each release's event."""

    identities: Identities
    entities: tuple[Entity, ...]
    events_of: dict[str, tuple[str, str | None]]  # doc_id → (event_id, duplicate_of)
    duplicates: int  # releases merged into an earlier release's event
    people: PublicPeople  # who is named, who withheld
    places: ReleasePlaces  # where the releases nothing placed happen
    paths: dict[str, str] = field(default_factory=dict)  # doc_id → input path


@dataclass(frozen=True, slots=True)
class IdentifiedAffiliation:
    """A person's role in one release, with the entities' ids and names."""

    affiliation: Affiliation
    person_id: str
    person: str  # the person entity's name (before privacy hides it)
    org_id: str  # "" when only the role is stated
    org: str


@dataclass(frozen=True, slots=True)
class IdentifiedDocument:
    """One release's result with corpus-wide ids (corpus stage → tables and events)."""

    result: DocumentResult
    event_id: str
    duplicate_of: str | None
    mentions: tuple[tuple[Mention, str], ...]  # each mention with its entity id ("" for dates)
    affiliations: tuple[IdentifiedAffiliation, ...]


def index_corpus(results: Iterable[DocumentResult], settings: Settings,
                 people: PublicPeople, places: ReleasePlaces) -> CorpusIndex:
    """First pass: feed every mention (as ``people`` reveals it) to the identity index and
    every release to the near-duplicate index, in input order (so that ids never depend on
    scheduling)."""
    identities = EntityIndex()
    event_ids = EventIds(threshold=settings.duplicate_threshold,
                         max_days=settings.duplicate_max_days)
    events_of, paths = {}, {}
    for stored in results:
        result = places.place(people.reveal(stored))
        place = _place(result)
        for mention in result.mentions:
            identities.add(mention, result.published, place)
        events_of[result.doc_id] = event_ids.assign(result.doc_id, result.signature,
                                                    result.published)
        paths[result.doc_id] = result.path
    duplicates = event_ids.duplicates
    del event_ids  # the near-duplicate index is done: free it before the entities are built
    entities = tuple(map(withhold_entity, identities.entities()))
    # The index's tallies die here: the second pass needs only the resolved identities.
    return CorpusIndex(identities.resolved(), entities, events_of, duplicates, people, places,
                       paths)


def identify(results: Iterable[DocumentResult], index: CorpusIndex
             ) -> Iterator[IdentifiedDocument]:
    """Second pass: each release as the tables show it, with its event and its mentions' and
    affiliations' entity ids. Only this pass needs the identities: a caller that keeps
    nothing else of ``index`` frees them once it is over."""
    identities = index.identities
    for stored in results:
        result = index.places.place(index.people.reveal(stored))
        event_id, duplicate_of = index.events_of[result.doc_id]
        place = _place(result)
        yield IdentifiedDocument(result, event_id, duplicate_of, tuple(
            (mention, identities.entity_id(mention, place)) for mention in result.mentions),
            tuple(_identified(a, identities, place) for a in result.affiliations))
    forget_name_caches()  # the last pass that looks names up is over


def _place(result: DocumentResult) -> str:
    return identity_place(result.jurisdiction, result.jurisdiction_source, result.doc_id)


def _identified(affiliation: Affiliation, identities: Identities, place: str
                ) -> IdentifiedAffiliation:
    org = affiliation.org
    return IdentifiedAffiliation(
        affiliation, identities.id_for("PER", affiliation.person),
        identities.name_for("PER", affiliation.person),
        identities.id_for("ORG", org, place) if org else "",
        identities.name_for("ORG", org, place) if org else "")
