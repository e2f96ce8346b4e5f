"""Which dates of a release are the dates of what it reports or announces (kind ``event``)."""

from datetime import date

import pytest

from pipeline.document.event_dates import article_dates, published_date
from pipeline.records import Article


def _kinds(text: str, published: date | None = date(2023, 11, 21)) -> list[tuple[str, str]]:
    article = Article(doc_id="d", path="d.txt", url=None, title="t", text=text,
                      published=published, published_raw=None,
                      published_source="text" if published else "")
    return [(d.text, d.kind) for _, _, d in article_dates(article)]


@pytest.mark.parametrize(("text", "published", "kind"), [
    # Announced: on or after the publication date.
    ("Las actividades inician mañana 22 de noviembre.", date(2023, 11, 21), "event"),
    # Reported: before publication, with an activity word near it.
    ("El 15 de noviembre se llevó a cabo el taller.", date(2023, 11, 21), "event"),
    # Reported incident, with its year written and no publication date.
    ("Su hija fue desaparecida el 23 de febrero de 2010 en el centro.", None, "event"),
    # Before publication and nothing that dates an activity near it: context.
    ("La ley vigente desde el 1 de febrero de 2007 obliga a todos.", date(2023, 11, 21),
     "mentioned"),
    # A recurring day dates no one occurrence.
    ("El día que se conmemora cada 25 de noviembre nos convoca.", date(2023, 11, 21),
     "mentioned"),
    # The occasion, not the day something happens.
    ("La agenda, en el marco del 8 de marzo, incluye talleres.", date(2024, 2, 20),
     "mentioned"),
    ("La atención no se limita al 8 de marzo, dijo.", None, "mentioned"),
    # … but an observance tied to one occurrence is an event.
    ("Este 25 de noviembre marcharon cientos de mujeres.", date(2023, 11, 27), "event"),
    ("La marcha del 8 de marzo de 2022 reunió a miles.", None, "event"),
    # The end of a count period whose start is a year.
    ("Se registraron 128 casos de 2018 hasta el 18 de noviembre.", date(2023, 11, 21),
     "mentioned"),
])
def test_event_or_mentioned(text: str, published: date | None, kind: str) -> None:
    assert [k for _, k in _kinds(text, published)] == [kind]


def test_relative_days_are_mentioned_with_their_value() -> None:
    assert _kinds("El taller se realizó ayer en la biblioteca.") == [("ayer", "mentioned")]


def test_dateline_date_is_the_publication_row_only() -> None:
    text = "Acapulco, Gro., 01 de marzo de 2022.- Quedó instalada la comisión municipal."
    assert _kinds(text, date(2022, 3, 1)) == []


def test_published_row_says_where_its_year_came_from() -> None:
    article = Article(doc_id="d", path="d.txt", url="https://a.example/2023/11/21/x",
                      title="t", text="Texto.", published=date(2023, 11, 21),
                      published_raw="2023-11-21", published_source="url")
    row = published_date(article)
    assert row is not None and (row.kind, row.value, row.year_source) == (
        "published", date(2023, 11, 21), "url")


@pytest.mark.parametrize(("url", "raw", "value", "source"), [
    ("https://diario.example/2024/11/taller-de-prevencion", None, date(2024, 11, 1), "url"),
    (None, "2025-03", date(2025, 3, 1), "published"),  # an archive's " date 2025-03"
])
def test_a_release_known_by_its_month_has_a_published_row_of_that_month(
        url: str | None, raw: str | None, value: date, source: str) -> None:
    article = Article(doc_id="d", path="d.txt", url=url, title="t", text="Texto.",
                      published=None, published_raw=raw)
    row = published_date(article)
    assert row is not None and (row.kind, row.value, row.year_source, row.date_precision) == (
        "published", value, source, "month")


def test_a_release_without_a_date_or_a_month_has_no_published_row() -> None:
    article = Article(doc_id="d", path="d.txt", url="https://diario.example/nota/taller",
                      title="t", text="Texto de 2024.", published=None, published_raw=None)
    assert published_date(article) is None
