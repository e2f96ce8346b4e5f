"""The report's charts as HTML and CSS: bars whose lengths are percentages reflow with the page,
so a chart stays readable on a phone, where a print figure (network.png, timeline.png) would
shrink to illegible type. The print figures are written beside the report for publishing.

Text goes through ``html.escape``; colours come from the palette (``style``), never from data.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from pipeline.publish import figures, style


def _percent(value: float, most: float) -> str:
    return f"{100 * value / most:.1f}%" if most > 0 else "0%"


def top_institutions_chart(nodes: pd.DataFrame, n: int = figures.TOP_N) -> str:
    """A horizontal bar per institution (:func:`figures.top_institutions`): name, bar in
    its sector's colour, events; the caption says how ties are ordered."""
    top = figures.top_institutions(nodes, n)
    most = float(top["n_events"].max()) if len(top) else 0.0
    rows = "".join(
        f'<li><span class="bar-label">{escape(str(r.name))}</span>'
        f'<span class="bar-track"><span class="bar" style="width: '
        f'{_percent(float(r.n_events), most)}; background: {style.sector_colour(r.sector)}">'
        f'</span><span class="bar-value">{int(r.n_events)}</span></span></li>'
        for r in top.itertuples(index=False))
    legend = "".join(f'<li><span class="swatch" style="--colour: {s.colour}"></span>'
                     f"{escape(s.label)}</li>"
                     for key, s in style.palette().items()
                     if key in set(top["sector"].fillna("")))
    return (f'<figure class="chart" id="top-chart"><ol class="bars">{rows}</ol>'
            f'<ul class="chart-legend">{legend}</ul>'
            f"<figcaption>{escape(figures.top_institutions_caption(nodes, n))}</figcaption>"
            "</figure>")


def _year_tick(month: pd.Period, index: int) -> bool:
    """The year goes under each January, and under the first month when it is early enough
    in its year for the label not to run into the next January's."""
    return month.month == 1 or index == 0 and month.month <= 6


def timeline_chart(events: pd.DataFrame) -> str:
    """A column per month (:func:`figures.events_per_month`), the year under each January;
    the box scrolls sideways when the months do not fit."""
    counts = figures.events_per_month(events)
    if counts.empty:
        return '<p class="note">Ningún evento sobre violencia de género tiene fecha.</p>'
    most = float(counts.max())
    columns = "".join(
        f'<li title="{escape(figures.month_label(month))}: {int(n)}">'
        f'<span class="column" style="height: {_percent(float(n), most)}"></span>'
        f'<span class="tick">{month.year if _year_tick(month, i) else ""}</span></li>'
        for i, (month, n) in enumerate(counts.items()))
    return (f'<figure class="chart" id="timeline-chart"><div class="scroll-box">'
            f'<ol class="columns" style="--months: {len(counts)}" aria-label="Eventos por mes; '
            f'el más alto, {int(most)}">{columns}</ol></div>'
            f"<figcaption>{escape(figures.timeline_caption(events))} La columna más alta "
            f"cuenta {int(most)}.</figcaption></figure>")
