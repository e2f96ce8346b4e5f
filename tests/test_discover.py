"""scrape --discover against a real HTTP server on 127.0.0.1: a press room's robots.txt,
gzipped sitemap index, sitemaps, RSS and Atom feeds, and the hostile files a stranger's site
may serve."""

from __future__ import annotations

import csv
import gzip
import zlib
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from test_scrape import (FAST, FAST_FLAGS, Server, failures, manifest, ok, run_cli,
                         scrape_main, server)

from pipeline.sources.article_urls import lists_articles, looks_like_article
from pipeline.sources.discover import LEDGER, MAX_ROWS, DiscoverSummary, discover_site
from pipeline.sources.feeds import announced_feeds, read_feed
from pipeline.sources.scrape import ScrapeSummary
from pipeline.sources.sitemaps import read_sitemap

__all__ = ["server"]  # the fixture, shared with test_scrape

SETTINGS = replace(FAST, discover_limit=200, discover_max_files=20,
                   discover_max_entries=10_000, discover_max_inflated=1_000_000)
XML = "application/xml"
GZIP = "application/x-gzip"
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'

# The releases of the press room, newest first, with the date its sitemap or feed gives.
JORNADA = "/comunicado/2024/03/12/jornada-naranja-en-colonias"  # RSS only
TALLER = "/comunicado/2024/03/11/taller-de-masculinidades"  # Atom only
PRIVADO = "/privado/borrador-de-boletin"  # sitemap A, 2024-03-09; robots.txt disallows it
REFUGIO = "/comunicado/2024/03/08/refugio-temporal-para-mujeres"  # sitemap A and RSS
LINEA = "/comunicado/2024/03/05/linea-mujer-segura"  # sitemap A
MESA = "/comunicado/2024/03/01/mesa-de-seguridad"  # sitemap A
FERIA = "/boletin/feria-de-servicios-en-el-sur"  # sitemap B, no lastmod
ARTICLES = [JORNADA, TALLER, REFUGIO, LINEA, MESA, FERIA]  # fetched, newest first
NOT_ARTICLES = ["/", "/comunicados/", "/etiqueta/igualdad/", "/autor/redaccion/",
                "/comunicados/pagina/2", "/docs/informe-anual.pdf", "/galeria/marcha-8m"]

PAGES = {
    JORNADA: ("Jornada naranja llega a diez colonias del poniente", "2024-03-12T10:00:00-07:00",
              ["El Instituto Municipal de la Mujer de Hermosillo llevó la Jornada Naranja a diez "
               "colonias del poniente con pláticas sobre violencia en el noviazgo.",
               "Personal de la Secretaría de Seguridad Pública explicó cómo pedir ayuda por la "
               "línea de emergencia y dónde están los módulos de atención."]),
    TALLER: ("Imparten taller de masculinidades a servidores públicos",
             "2024-03-11T09:00:00-07:00",
             ["Cuarenta servidores públicos del Ayuntamiento concluyeron el taller de "
              "masculinidades que coordinó el Instituto Sonorense de las Mujeres.",
              "El curso forma parte del programa municipal de prevención de la violencia "
              "contra las mujeres y continuará en abril con el personal de Tránsito."]),
    REFUGIO: ("Abre el municipio un refugio temporal para mujeres", "2024-03-08T12:30:00-07:00",
              ["El Gobierno Municipal abrió un refugio temporal para mujeres y sus hijas e "
               "hijos que salen de situaciones de violencia familiar.",
               "El DIF municipal dará atención psicológica y jurídica, y la Fiscalía General "
               "del Estado recibirá las denuncias en el mismo edificio."]),
    LINEA: ("Presentan la Línea Mujer Segura", "2024-03-05T08:00:00-07:00",
            ["La presidenta municipal presentó la Línea Mujer Segura, que atenderá llamadas "
             "las veinticuatro horas con abogadas y psicólogas.",
             "La línea se coordinará con el centro de emergencias para enviar patrullas "
             "cuando la persona que llama esté en riesgo."]),
    MESA: ("Instalan mesa de seguridad con perspectiva de género", "2024-03-01T11:00:00-07:00",
           ["Autoridades municipales y estatales instalaron una mesa de seguridad con "
            "perspectiva de género que sesionará cada mes.",
            "La Universidad de Sonora aportará el análisis de los datos de llamadas y "
            "denuncias para ubicar las colonias con más casos."]),
    FERIA: ("Llevan feria de servicios a la zona sur", "2024-02-20T09:00:00-07:00",
            ["La feria de servicios municipales llegó a la zona sur con trámites de registro "
             "civil, consultas médicas y asesoría legal gratuita.",
             "Las vecinas también recibieron información sobre los programas de apoyo a "
             "mujeres jefas de familia."]),
}


def page(path: str) -> bytes:
    title, published, paragraphs = PAGES[path]
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    return (f'<!DOCTYPE html><html lang="es"><head><meta charset="utf-8"><title>{title} - '
            f'Gobierno Municipal</title><meta property="og:title" content="{title}">'
            f'<meta property="article:published_time" content="{published}"></head><body>'
            f'<nav><a href="/">Inicio</a> <a href="/comunicados/">Comunicados</a></nav>'
            f'<article><h1>{title}</h1>{body}</article><footer><p>Gobierno Municipal, '
            f'Comunicación Social</p></footer></body></html>').encode()


def urlset(server: Server, *entries: tuple[str, str | None]) -> bytes:
    urls = "".join(f"<url><loc>{loc if '://' in loc else server.url(loc)}</loc>"
                   + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "") + "</url>"
                   for loc, lastmod in entries)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset {NS}>{urls}</urlset>'.encode()


def sitemap_index(server: Server, *entries: tuple[str, str | None]) -> bytes:
    maps = "".join(f"<sitemap><loc>{server.url(loc)}</loc>"
                   + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "") + "</sitemap>"
                   for loc, lastmod in entries)
    return f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex {NS}>{maps}</sitemapindex>' \
        .encode()


def rss(*items: tuple[str, str | None]) -> bytes:
    body = "".join(f"<item><title>t</title><link>{link}</link>"
                   + (f"<pubDate>{when}</pubDate>" if when else "") + "</item>"
                   for link, when in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Comunicados</title>'
            f'<link>/</link>{body}</channel></rss>').encode()


SITEMAP_A = [(MESA, "2024-03-01"), (LINEA, "2024-03-05T08:00:00-07:00"),
             (REFUGIO, "2024-03-08"), (PRIVADO, "2024-03-09"),
             *[(path, "2024-03-10") for path in NOT_ARTICLES]]


def press_room(server: Server, *, index: bytes | None = None) -> None:
    """The site: robots.txt → gzipped index → sitemaps A (with lastmod in the index) and B
    (gzipped, without); the home page announces an RSS feed and an Atom feed."""
    server.route("/robots.txt", ok(f"User-agent: *\nDisallow: /privado/\n\nSitemap: "
                                   f"{server.url('/sitemap_index.xml.gz')}\n".encode(),
                                   "text/plain"))
    server.route("/", ok(b'<html><head><title>Gobierno Municipal</title>'
                         b'<link rel="stylesheet" href="/estilo.css">'
                         b'<link rel="alternate" type="application/rss+xml" href="/feed/">'
                         b'<link rel="alternate" type="application/atom+xml" '
                         b'href="/atom.xml"></head><body><a href="/comunicados/">Comunicados'
                         b'</a></body></html>'))
    server.route("/sitemap_index.xml.gz", ok(gzip.compress(index or sitemap_index(
        server, ("/sitemaps/comunicados.xml", "2024-03-10"),
        ("/sitemaps/boletines.xml.gz", None))), GZIP))
    server.route("/sitemaps/comunicados.xml",
                 ok(urlset(server, *SITEMAP_A, (f"http://localhost:{server.netloc.split(':')[1]}"
                                                "/comunicado/ajeno", "2024-03-10")), XML))
    server.route("/sitemaps/boletines.xml.gz", ok(gzip.compress(urlset(server, (FERIA, None))),
                                                  GZIP))
    server.route("/feed/", ok(rss((server.url(JORNADA), "Tue, 12 Mar 2024 10:00:00 -0700"),
                                  (server.url(REFUGIO), "Fri, 08 Mar 2024 12:30:00 -0700"),
                                  ("javascript:alert('hola')", None)),
                              "application/rss+xml"))
    server.route("/atom.xml", ok(
        f'<feed xmlns="http://www.w3.org/2005/Atom"><title>Comunicados</title><entry>'
        f'<title>t</title><link rel="alternate" href="{TALLER}"/>'
        f'<updated>2024-03-11T09:00:00-07:00</updated></entry></feed>'.encode(),
        "application/atom+xml"))
    for path in [*ARTICLES, PRIVADO]:
        server.route(path, ok(page(path) if path in PAGES else b"<p>privado</p>"))


def fetched(out: Path, server: Server) -> list[str]:
    return [row["final_url"].removeprefix(server.base) for row in manifest(out)]


def reasons(out: Path, server: Server) -> dict[str, str]:
    return {row["url"].removeprefix(server.base): row["reason"] for row in failures(out)}


# --- the press room ---------------------------------------------------------------------------

def test_discovers_the_articles_newest_first(server: Server, tmp_path: Path) -> None:
    press_room(server)
    summary = discover_site(server.base, tmp_path, SETTINGS)

    assert fetched(tmp_path, server) == ARTICLES
    assert summary == DiscoverSummary(
        scrape=ScrapeSummary(fetched=6, failed=1, robots_skipped=1),
        files_read=5, entries=3 + 1 + 2 + 12 + 1, articles=7, other_host=1, not_articles=7,
        max_files=20, max_entries=10_000, limit=200)
    assert reasons(tmp_path, server) == {
        "javascript:alert('hola')": f"not an absolute http(s) URL (listed by the feed "
                                    f"{server.url('/feed/')})"}
    # Listing, tag, author, media pages, the other host and robots.txt's exclusion: never asked.
    for path in [*NOT_ARTICLES[1:], PRIVADO]:
        assert server.count(path) == 0, path
    assert server.count("/") == 1  # the home page, for its feeds
    assert all(server.count(path) == 1 for path in ARTICLES)
    assert summary.line().splitlines() == [
        "discover: 5 sitemap and feed files read (at most 20), 0 unchanged since the last run, "
        "0 left unread; 19 entries (at most 10000): 7 article URLs, 1 on other hosts, 7 not "
        "articles; 0 left out by --match/--since/--until, 0 beyond --limit 200",
        "scrape: 6 fetched, 0 already had, 1 failed, 1 skipped by robots.txt"]


def test_limit_keeps_the_newest(server: Server, tmp_path: Path) -> None:
    press_room(server)
    summary = discover_site(server.base, tmp_path, replace(SETTINGS, discover_limit=2))

    assert fetched(tmp_path, server) == [JORNADA, TALLER]
    assert summary.beyond_limit == 5 and summary.scrape.fetched == 2


def test_since_until_and_match_narrow_the_articles(server: Server, tmp_path: Path) -> None:
    press_room(server)
    summary = discover_site(server.base, tmp_path / "dated", SETTINGS, since=date(2024, 3, 5),
                            until=date(2024, 3, 11))
    # Undated releases are outside any range; the robots.txt exclusion is within this one.
    assert fetched(tmp_path / "dated", server) == [TALLER, REFUGIO, LINEA]
    assert summary.left_out == 3 and summary.scrape.robots_skipped == 1

    discover_site(server.base, tmp_path / "boletines", SETTINGS, match=r"^/boletin/")
    assert fetched(tmp_path / "boletines", server) == [FERIA]


def test_since_skips_sitemaps_unchanged_before_it(server: Server, tmp_path: Path) -> None:
    press_room(server)
    discover_site(server.base, tmp_path, SETTINGS, since=date(2024, 3, 11))

    assert server.count("/sitemaps/comunicados.xml") == 0  # its lastmod is 2024-03-10
    assert server.count("/sitemaps/boletines.xml.gz") == 1  # no lastmod: read
    assert fetched(tmp_path, server) == [JORNADA, TALLER]


def test_second_run_fetches_only_what_is_new(server: Server, tmp_path: Path) -> None:
    press_room(server)
    discover_site(server.base, tmp_path, SETTINGS)
    again = discover_site(server.base, tmp_path, SETTINGS)

    assert again.scrape == ScrapeSummary(already_had=6, failed=1, robots_skipped=1)
    assert again.files_unchanged == 1 and again.articles == 7
    assert server.count("/sitemaps/comunicados.xml") == 1  # same lastmod in the index
    assert server.count("/sitemaps/boletines.xml.gz") == 2  # no lastmod: read again
    assert all(server.count(path) == 1 for path in ARTICLES)

    # A new release: sitemap A changes, and so does its lastmod in the index.
    nueva = "/comunicado/2024/03/13/nueva-unidad-de-atencion"
    server.route(nueva, ok(page(LINEA).replace(b"Presentan la L", b"Inauguran la L")))
    server.route("/sitemaps/comunicados.xml", ok(urlset(server, *SITEMAP_A,
                                                        (nueva, "2024-03-13")), XML))
    server.route("/sitemap_index.xml.gz", ok(gzip.compress(sitemap_index(
        server, ("/sitemaps/comunicados.xml", "2024-03-13"),
        ("/sitemaps/boletines.xml.gz", None))), GZIP))
    third = discover_site(server.base, tmp_path, SETTINGS)

    assert third.scrape.fetched == 1 and third.scrape.already_had == 6
    assert fetched(tmp_path, server) == [*ARTICLES, nueva]
    assert server.count("/sitemaps/comunicados.xml") == 2
    with (tmp_path / LEDGER).open(encoding="utf-8", newline="") as handle:
        ledger = list(csv.DictReader(handle))
    assert {"kind": "read", "url": server.url("/sitemaps/comunicados.xml"),
            "lastmod": "2024-03-13T00:00:00+00:00", "listed_by": ""} in ledger
    assert {row["url"].removeprefix(server.base) for row in ledger
            if row["kind"] == "article"} == {MESA, LINEA, REFUGIO, PRIVADO, nueva, FERIA}


def test_an_unchanged_sitemap_left_unfetched_still_gives_its_articles(
        server: Server, tmp_path: Path) -> None:
    """The first run's limit left sitemap A's older releases; the second, with a higher
    limit, takes them from the ledger without fetching A again."""
    press_room(server)
    discover_site(server.base, tmp_path, replace(SETTINGS, discover_limit=3))
    assert fetched(tmp_path, server) == [JORNADA, TALLER, REFUGIO]

    again = discover_site(server.base, tmp_path, SETTINGS)
    assert fetched(tmp_path, server) == [JORNADA, TALLER, REFUGIO, LINEA, MESA, FERIA]
    assert again.files_unchanged == 1 and server.count("/sitemaps/comunicados.xml") == 1


# --- hostile sitemaps and feeds ---------------------------------------------------------------

def test_index_that_lists_itself_is_read_once(server: Server, tmp_path: Path) -> None:
    press_room(server, index=sitemap_index(server, ("/sitemap_index.xml.gz", "2024-03-10"),
                                           ("/sitemaps/boletines.xml.gz", None)))
    summary = discover_site(server.base, tmp_path, SETTINGS)

    assert server.count("/sitemap_index.xml.gz") == 1
    assert reasons(tmp_path, server)["/sitemap_index.xml.gz"] == \
        "the sitemap index lists itself; read once"
    assert fetched(tmp_path, server) == [JORNADA, TALLER, REFUGIO, FERIA]
    assert summary.files_read == 4


def test_indexes_that_list_each_other_are_each_read_once(server: Server,
                                                         tmp_path: Path) -> None:
    press_room(server, index=sitemap_index(server, ("/sitemaps/otro-indice.xml", None)))
    server.route("/sitemaps/otro-indice.xml", ok(sitemap_index(
        server, ("/sitemap_index.xml.gz", None), ("/sitemaps/boletines.xml.gz", None)), XML))
    discover_site(server.base, tmp_path, SETTINGS)

    assert server.count("/sitemap_index.xml.gz") == server.count("/sitemaps/otro-indice.xml") == 1
    assert reasons(tmp_path, server)["/sitemaps/otro-indice.xml"] == (
        f"the sitemap index lists {server.url('/sitemap_index.xml.gz')}, which led to it (a "
        "loop); each read once")
    assert FERIA in fetched(tmp_path, server)


def gzip_bomb(server: Server, inflated: int) -> bytes:
    """A sitemap with one release, then white space until it inflates to ``inflated`` bytes."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    head = f'<?xml version="1.0"?><urlset {NS}><url><loc>{server.url(FERIA)}</loc></url>'
    parts = [deflate.compress(head.encode())]
    block = b" " * 1_000_000
    parts += [deflate.compress(block) for _ in range(inflated // len(block))]
    return b"".join([*parts, deflate.compress(b"</urlset>"), deflate.flush()])


def test_gzip_bomb_stops_at_the_inflation_cap(server: Server, tmp_path: Path) -> None:
    press_room(server)
    bomb = gzip_bomb(server, 50_000_000)
    assert len(bomb) < SETTINGS.max_bytes  # small on the wire, 50 MB inflated
    server.route("/sitemaps/boletines.xml.gz", ok(bomb, GZIP))
    summary = discover_site(server.base, tmp_path, SETTINGS)

    assert reasons(tmp_path, server)["/sitemaps/boletines.xml.gz"] == (
        "sitemap read in part: it inflates past discover_max_inflated = 1000000 bytes (a gzip "
        "bomb?); kept the 1 entries before")
    assert fetched(tmp_path, server) == ARTICLES  # the release before the padding is kept
    assert summary.scrape.fetched == 6


def test_a_million_entries_stop_at_the_entry_cap(server: Server, tmp_path: Path) -> None:
    press_room(server)
    hundred = "".join(f"<url><loc>{server.url(f'/comunicado/masivo-{i}')}</loc></url>"
                      for i in range(100)).encode()
    million = gzip.compress(f'<?xml version="1.0"?><urlset {NS}>'.encode() + hundred * 10_000
                            + b"</urlset>")
    server.route("/sitemaps/boletines.xml.gz", ok(million, GZIP))
    for i in range(5):
        server.route(f"/comunicado/masivo-{i}", ok(b"<p>nota %d</p>" % i))
    settings = replace(SETTINGS, discover_max_entries=500, discover_limit=10,
                       max_bytes=len(million) + 1)
    summary = discover_site(server.base, tmp_path, settings)

    # 3 + 1 feed entries, 2 of the index, 12 of sitemap A: 482 were left for the million.
    assert summary.entries == 500
    assert reasons(tmp_path, server)["/sitemaps/boletines.xml.gz"] == (
        "sitemap read in part: it has more entries than the 482 left to read this run "
        "(discover_max_entries); kept the 482 entries before")
    # 10 fetched and the robots.txt exclusion, 11 of the 106, were attempted.
    assert summary.articles == 6 + 100 and summary.beyond_limit == 106 - 11
    # The dated releases, newest first, then undated ones in the order the sitemap lists them.
    assert fetched(tmp_path, server) == [JORNADA, TALLER, REFUGIO, LINEA, MESA,
                                         *[f"/comunicado/masivo-{i}" for i in range(5)]]


def test_file_cap_leaves_the_rest_as_rows(server: Server, tmp_path: Path) -> None:
    press_room(server)
    summary = discover_site(server.base, tmp_path, replace(SETTINGS, discover_max_files=3))

    # The two feeds and the index are read; neither sitemap is.
    assert summary.files_read == 3 and summary.files_unread == 2
    assert reasons(tmp_path, server)["/sitemaps/comunicados.xml"] == (
        "sitemap not read: discover_max_files = 3 sitemap and feed files were read this run "
        "(raise it to read more)")
    assert fetched(tmp_path, server) == [JORNADA, TALLER, REFUGIO]


def test_index_of_many_sitemaps_is_read_within_the_file_cap(server: Server,
                                                            tmp_path: Path) -> None:
    many = [(f"/sitemaps/mes-{i}.xml", f"2024-01-{i + 1:02d}") for i in range(30)]
    press_room(server, index=sitemap_index(server, *many))
    for path, _ in many:
        server.route(path, ok(urlset(server, (FERIA, None)), XML))
    summary = discover_site(server.base, tmp_path, replace(SETTINGS, discover_max_files=5))

    # The feeds, the index and the two newest sitemaps; 28 left, of which MAX_ROWS are rows.
    assert [path for path, _ in many if server.count(path)] == ["/sitemaps/mes-28.xml",
                                                                "/sitemaps/mes-29.xml"]
    assert summary.files_read == 5 and summary.files_unread == 28
    unread = [url for url, reason in reasons(tmp_path, server).items()
              if reason.startswith("sitemap not read: discover_max_files = 5")]
    assert unread == [f"/sitemaps/mes-{i}.xml" for i in range(27, 27 - MAX_ROWS, -1)]


def test_feed_of_javascript_links_gives_rows_not_requests(server: Server,
                                                          tmp_path: Path) -> None:
    press_room(server)
    links = [(f"javascript:void({i})", None) for i in range(30)]
    server.route("/feed/", ok(rss(*links, ("JAVASCRIPT:alert(1)", None),
                                  (JORNADA, "Tue, 12 Mar 2024 10:00:00 -0700")),
                              "application/rss+xml"))
    summary = discover_site(server.base, tmp_path, SETTINGS)

    rows = reasons(tmp_path, server)
    bad = {url: reason for url, reason in rows.items() if url.lower().startswith("javascript:")}
    assert len(bad) == MAX_ROWS  # rows for the first; the rest only counted in the log
    assert set(bad.values()) == {f"not an absolute http(s) URL (listed by the feed "
                                 f"{server.url('/feed/')})"}
    assert fetched(tmp_path, server)[0] == JORNADA
    assert summary.scrape.failed == MAX_ROWS


def test_what_is_no_sitemap_is_a_row(server: Server, tmp_path: Path) -> None:
    press_room(server)
    server.route("/sitemaps/boletines.xml.gz", ok(b"<html><body>Mantenimiento</body></html>"))
    server.route("/sitemaps/comunicados.xml", ok(gzip.compress(urlset(server, *SITEMAP_A))[:60],
                                                 GZIP))
    discover_site(server.base, tmp_path, SETTINGS)

    rows = reasons(tmp_path, server)
    assert rows["/sitemaps/boletines.xml.gz"] == \
        "sitemap not read: it is not a sitemap: its root element is <html>"
    assert rows["/sitemaps/comunicados.xml"] == "sitemap not read: it is a gzip file cut short"
    assert fetched(tmp_path, server) == [JORNADA, TALLER, REFUGIO]


def test_without_robots_sitemap_line_reads_sitemap_xml(server: Server, tmp_path: Path) -> None:
    server.route("/robots.txt", ok(b"User-agent: *\nAllow: /\n", "text/plain"))
    server.route("/", ok(b"<html><body>Inicio</body></html>"))
    server.route("/sitemap.xml", ok(f"{server.url(MESA)}\n{server.url('/comunicados/')}\n"
                                    .encode(), "text/plain"))  # the plain-text form
    server.route(MESA, ok(page(MESA)))
    summary = discover_site(server.base + "/", tmp_path, SETTINGS)

    assert fetched(tmp_path, server) == [MESA]
    assert summary.not_articles == 1 and failures(tmp_path) == []


# --- the command line ---------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "message"), [
    (["--since", "2024-01-01", "--urls", "x.txt"], "error: --since: only with --discover URL"),
    (["--discover", "ftp://municipio.example"],
     "error: --discover 'ftp://municipio.example': not an absolute http(s) URL; give a press "
     "room's address such as https://www.example.gob.mx"),
    (["--discover", "http://127.0.0.1:9", "--match", "(sin-cerrar"],
     "error: --match '(sin-cerrar' is not a regular expression (missing ), unterminated "
     "subpattern at position 0); e.g. --match '/noticias?/'"),
    (["--discover", "http://127.0.0.1:9", "--since", "2024-05-01", "--until", "2024-01-01"],
     "error: --since 2024-05-01 is after --until 2024-01-01; swap them"),
])
def test_cli_bad_discover_input_is_one_line_exit_2(args: list[str], message: str,
                                                  tmp_path: Path) -> None:
    status, stderr = scrape_main(*args, "--out", str(tmp_path / "raw"))
    assert (status, stderr.strip()) == (2, message)


def test_cli_discover_prints_progress_and_summary(server: Server, tmp_path: Path) -> None:
    press_room(server)
    result = run_cli("scrape", "--discover", server.base, "--out", str(tmp_path / "raw"),
                     "--limit", "2", "--match", "/comunicado/", *FAST_FLAGS)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert f"[1] feed: {server.url('/feed/')}" in lines
    assert f"[4] sitemap: {server.url('/sitemap_index.xml.gz')}" in lines
    assert lines[-2].endswith("2 left out by --match/--since/--until, 3 beyond --limit 2")
    assert lines[-1] == "scrape: 2 fetched, 0 already had, 1 failed, 0 skipped by robots.txt"


def test_discover_then_extract_end_to_end(server: Server, tmp_path: Path) -> None:
    press_room(server)
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    scrape = run_cli("scrape", "--discover", server.base, "--out", str(raw), *FAST_FLAGS)
    assert scrape.returncode == 0, scrape.stderr

    result = run_cli("extract", "--input", str(raw), "--output", str(processed))
    if result.returncode == 2 and "model" in result.stderr.lower():
        pytest.skip(f"extract needs a Spanish model: {result.stderr.strip()}")
    assert result.returncode == 0, result.stderr
    with (processed / "documents.csv").open(encoding="utf-8-sig", newline="") as handle:
        documents = {row["url"].removeprefix(server.base): row for row in csv.DictReader(handle)}
    assert {path: (row["title"], row["published"]) for path, row in documents.items()} == {
        path: (title, published[:10]) for path, (title, published, _) in PAGES.items()}


# --- which URLs are articles, which sitemaps list them, what files hold ---------------------

@pytest.mark.parametrize(("url", "article"), [
    ("https://www.culiacan.gob.mx/noticias/2023/11/25/marcha-por-el-25n", True),
    ("https://ayuntamiento.example/boletin.php?id=3021", True),
    ("https://ayuntamiento.example/prensa/firman-convenio-con-la-uas/", True),
    ("https://ayuntamiento.example/", False),
    ("https://ayuntamiento.example/sala-de-prensa/", False),
    ("https://ayuntamiento.example/Categoría/Seguridad/", False),
    ("https://ayuntamiento.example/temas/igualdad", False),
    ("https://ayuntamiento.example/autora/maria-lopez/", False),
    ("https://ayuntamiento.example/taxonomy/term/42", False),
    ("https://ayuntamiento.example/boletines/pagina/7/", False),
    ("https://ayuntamiento.example/boletines?pagina=7", False),
    ("https://ayuntamiento.example/fotogaleria/desfile-20-de-noviembre", False),
    ("https://ayuntamiento.example/wp-content/uploads/2024/03/cartel.jpg", False),
    ("https://ayuntamiento.example/transparencia/informe.pdf", False),
    ("https://ayuntamiento.example/aviso-de-privacidad/", False),
])
def test_article_urls_by_the_shape_of_their_path(url: str, article: bool) -> None:
    assert looks_like_article(url) is article


@pytest.mark.parametrize(("name", "lists"), [
    ("post-sitemap3.xml", True), ("sitemap-noticias-2024.xml.gz", True),
    ("wp-sitemap-posts-post-2.xml", True), ("category-sitemap.xml", False),
    ("wp-sitemap-taxonomies-post_tag-1.xml", False), ("author-sitemap.xml", False),
    ("page-sitemap.xml", False), ("sitemap-etiquetas.xml", False),
])
def test_sitemaps_of_tags_authors_and_pages_list_no_articles(name: str, lists: bool) -> None:
    assert lists_articles(f"https://municipio.example/{name}") is lists


def test_sitemap_reader_takes_any_namespace_and_keeps_lastmod() -> None:
    data = (b'<?xml version="1.0"?><urlset><url><loc> https://m.example/a </loc>'
            b'<lastmod>2024-03-05T09:30:00-07:00</lastmod></url><url><loc>https://m.example/b'
            b'</loc><lastmod>ayer</lastmod></url><url><loc></loc></url></urlset>')
    sitemap = read_sitemap(data, max_inflated=10_000, max_entries=10)
    assert sitemap.kind == "urlset" and sitemap.problem is None
    assert [(e.url, e.lastmod and e.lastmod.isoformat()) for e in sitemap.entries] == [
        ("https://m.example/a", "2024-03-05T09:30:00-07:00"), ("https://m.example/b", None)]


def test_sitemap_reader_never_expands_entities() -> None:
    laughs = (b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY a "aaaaaaaaaa">'
              b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">'
              b'<!ENTITY f SYSTEM "file:///etc/passwd">]><urlset><url><loc>&c;</loc></url>'
              b'<url><loc>&f;</loc></url></urlset>')
    assert read_sitemap(laughs, max_inflated=10_000, max_entries=10).entries == ()


def test_sitemap_reader_passes_feeds_on_and_reads_text() -> None:
    assert read_sitemap(rss(("https://m.example/a", None)), max_inflated=10_000,
                        max_entries=10).kind == "feed"
    text = read_sitemap(gzip.compress(b"\xef\xbb\xbfhttps://m.example/a\r\n\nhttps://m.example/b"),
                        max_inflated=10_000, max_entries=10)
    assert (text.kind, [e.url for e in text.entries]) == ("text", ["https://m.example/a",
                                                                  "https://m.example/b"])


def test_feeds_announced_and_read() -> None:
    html = (b'<head><link rel="Alternate" type="application/atom+xml; charset=utf-8" '
            b'href="/atom"><link rel="alternate" type="text/html" hreflang="en" href="/en/">'
            b'<link rel="alternate" type="application/rss+xml" href="/atom"></head>')
    assert announced_feeds(html, "utf-8", source="home") == ["/atom"]
    feed = read_feed(b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="n/1"/>'
                     b'<published>2024-03-06T10:00:00Z</published></entry><entry><title>sin '
                     b'enlace</title></entry></feed>', "https://m.example/prensa/atom",
                     max_entries=10)
    assert [(e.url, e.lastmod and e.lastmod.date()) for e in feed.entries] == [
        ("https://m.example/prensa/n/1", date(2024, 3, 6))]
    assert read_feed(b"<html><body>no</body></html>", "https://m.example/f",
                     max_entries=10).problem == "is not an RSS or Atom feed"
