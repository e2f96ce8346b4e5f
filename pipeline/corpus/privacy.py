"""Privacy by default, across the corpus: a person is named when any release gives them a
public role, and withheld everywhere else.

The per-document stage (:mod:`pipeline.document.privacy`) leaves by name only the people a
release shows in a public role and puts a keyed token in place of every other person. Here a
token that equals the token of a person some release names is that person again (mention,
sentences, title, affiliations); the other tokens are withheld people: "[persona]" in
sentences and titles, an empty name in the tables with ``withheld`` set, and an entity id
derived from the token, never from the name. Withheld people meet across releases only
under exactly one identity key (the token), not by the shorter and near-identical spellings
that merge named people.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from pipeline.document.privacy import TOKEN, WITHHELD, is_token, person_token
from pipeline.records import DocumentResult, Entity, Mention


class PublicPeople:
    """The people the corpus names, by their token; ``key`` None: nobody is withheld.

    >>> people = PublicPeople.learned_from(results, key)  # doctest: +SKIP
    >>> people.reveal(result).title  # doctest: +SKIP
    'La regidora Ana Ruiz acompañó a [persona]'
    """

    def __init__(self, key: bytes | None) -> None:
        self.key = key
        self._names: dict[str, str] = {}  # token → the name the first naming release gives

    @classmethod
    def learned_from(cls, results: Iterable[DocumentResult], key: bytes | None) -> PublicPeople:
        """A pass over every release's result: whoever a release names is public."""
        people = cls(key)
        if key is not None:
            for result in results:
                for mention in result.mentions:
                    if mention.label == "PER" and not is_token(mention.canonical):
                        people._names.setdefault(person_token(mention.canonical, key),
                                                 mention.canonical)
        return people

    def name_as(self, token: str, name: str) -> None:
        """Name the person of ``token`` as ``name`` (an analyst's correction: public)."""
        self._names[token] = name

    def _text(self, text: str) -> str:
        return TOKEN.sub(lambda match: self._names.get(match.group(), WITHHELD), text)

    def _mention(self, mention: Mention) -> Mention:
        sentence = self._text(mention.sentence)
        if mention.label != "PER" or not is_token(mention.canonical):
            return replace(mention, sentence=sentence)
        if name := self._names.get(mention.canonical):
            return replace(mention, text=name, canonical=name, sentence=sentence)
        return replace(mention, text="", sentence=sentence, withheld=True)

    def reveal(self, result: DocumentResult) -> DocumentResult:
        """``result`` as the tables show it: public people by name, the others withheld (a
        withheld mention keeps its token as ``canonical``, the key of its entity)."""
        if self.key is None:
            return result
        return replace(result, title=self._text(result.title),
                       mentions=tuple(map(self._mention, result.mentions)),
                       affiliations=tuple(replace(a, person=self._names.get(a.person, a.person))
                                          for a in result.affiliations))


def withhold_entity(entity: Entity) -> Entity:
    """A withheld person's entity: no name, no aliases, ``withheld`` set."""
    if entity.label == "PER" and is_token(entity.name):
        return replace(entity, name="", aliases=(), withheld=True)
    return entity


def shown_name(name: str) -> str:
    """A person's name as a table shows it: empty for a withheld person's token."""
    return "" if is_token(name) else name
