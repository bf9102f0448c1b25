"""Pictures drawn from the data, as inline SVG: the timeline, the box-office
figures by source, and the tags that occur together.

Pure functions from plain data to markup. The template tags in
``templatetags/chart_tags.py`` turn pages into that data, and the includes in
``templates/includes/charts/`` set each drawing beside a table of the same
numbers. Along an axis, positions are percentages of the drawing's width while
text keeps its size in CSS pixels, so a chart fits a phone without shrinking
its words; heights are fixed. Colours come from the stylesheet's classes, so
the dark scheme applies.
"""

from __future__ import annotations

import datetime
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from .dates import MONTHS, DatePrecision, format_precise_date, iso_precise_date
from .templatetags.archive_tags import _CJK_RUN

LABEL_WIDTH = 46
"""Characters in a label line: what a 20rem phone column holds at 13px."""
LINE = 16
BAR = 12
ROW_GAP = 12
AXIS = 26
GROUP_HEADING = 26


@dataclass(frozen=True)
class Chart:
    """A drawing and what the table beside it lists (``rows``)."""

    svg: SafeString
    title: str
    description: str
    rows: list = field(default_factory=list)


def covered_span(
    value: datetime.date, precision: str
) -> tuple[datetime.date, datetime.date]:
    """The first and last day a date stands for: all of 2001 for a year-only
    date, all of March for a month-only one, the day itself for a day."""
    if precision == DatePrecision.YEAR:
        return datetime.date(value.year, 1, 1), datetime.date(value.year, 12, 31)
    if precision == DatePrecision.MONTH:
        start = value.replace(day=1)
        following = (start + datetime.timedelta(days=32)).replace(day=1)
        return start, following - datetime.timedelta(days=1)
    return value, value


def _svg_text(text: str) -> SafeString:
    """``text`` escaped, each run of Chinese characters a ``lang="zh"`` tspan."""
    escaped = str(escape(text))
    return mark_safe(  # noqa: S308 - escaped above
        _CJK_RUN.sub(lambda m: f'<tspan lang="zh">{m.group(0)}</tspan>', escaped)
    )


def _label_lines(text: str, width: int = LABEL_WIDTH, most: int = 3) -> list[str]:
    """``text`` in lines of ``width`` characters, at most ``most`` of them (the
    last cut short with an ellipsis)."""
    return textwrap.wrap(
        text, width, break_long_words=True, max_lines=most, placeholder=" …"
    ) or [""]


def _pct(fraction: float) -> str:
    return f"{fraction * 100:.4f}".rstrip("0").rstrip(".") + "%"


def _svg(chart_id: str, css: str, height: int, title: str, desc: str, body) -> str:
    return format_html(
        '<svg class="chart {}" role="img" aria-labelledby="{}-title {}-desc" '
        'width="100%" height="{}" focusable="false" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        css,
        chart_id,
        chart_id,
        height,
        chart_id,
        title,
        chart_id,
        desc,
        mark_safe("".join(body)),  # noqa: S308 - each part built by format_html
    )


def _label(y: int, lines: list[str], *, lead: str = "", css: str = "") -> str:
    """A label of one or more lines from ``y`` (the first baseline); ``lead``
    is set in bold before the first line's text."""
    spans = []
    for n, line in enumerate(lines):
        first = format_html('<tspan class="chart__lead">{}</tspan> ', lead)
        spans.append(
            format_html(
                '<tspan x="0" dy="{}">{}{}</tspan>',
                0 if n == 0 else LINE,
                first if n == 0 and lead else "",
                _svg_text(line),
            )
        )
    return format_html(
        '<text class="{}" x="0" y="{}">{}</text>',
        " ".join(filter(None, ("chart__label", css))),
        y,
        mark_safe("".join(spans)),  # noqa: S308 - each span built by format_html
    )


# The timeline


@dataclass(frozen=True)
class TimelineMark:
    """One entry on the timeline: a film's release or a policy event."""

    title: str
    url: str
    kind: str
    is_release: bool
    date: datetime.date
    precision: str

    @property
    def span(self) -> tuple[datetime.date, datetime.date]:
        return covered_span(self.date, self.precision)

    @property
    def start(self) -> datetime.date:
        return self.span[0]

    @property
    def end(self) -> datetime.date:
        return self.span[1]

    @property
    def date_text(self) -> str:
        return format_precise_date(self.date, self.precision)

    @property
    def date_iso(self) -> str:
        return iso_precise_date(self.date, self.precision)


@dataclass(frozen=True)
class TimeAxis:
    """From 1 January of the first year to 1 January after the last."""

    first: datetime.date
    stop: datetime.date

    @classmethod
    def around(cls, marks: Sequence[TimelineMark]) -> TimeAxis:
        years = [m.start.year for m in marks] + [m.end.year for m in marks]
        return cls(datetime.date(min(years), 1, 1), datetime.date(max(years) + 1, 1, 1))

    @property
    def days(self) -> int:
        return (self.stop - self.first).days

    def at(self, day: datetime.date) -> float:
        """Where the start of ``day`` falls, from 0 (the axis's start) to 1."""
        return (day - self.first).days / self.days

    def covering(self, start: datetime.date, end: datetime.date) -> tuple[float, float]:
        """Where a span from the start of ``start`` to the end of ``end`` lies:
        (its start, its width), as fractions of the axis."""
        left = self.at(start)
        return left, self.at(end + datetime.timedelta(days=1)) - left

    def ticks(self) -> list[tuple[datetime.date, str]]:
        """Round years along the axis, or the quarters of one or two years."""
        years = self.stop.year - self.first.year
        if years <= 2:
            quarters = [
                datetime.date(year, month, 1)
                for year in range(self.first.year, self.stop.year + 1)
                for month in (1, 4, 7, 10)
            ]
            return [
                (day, str(day.year) if day.month == 1 else MONTHS[day.month - 1][:3])
                for day in quarters
                if day <= self.stop
            ]
        step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 1000) if years / s <= 6)
        first = -(-self.first.year // step) * step
        return [
            (datetime.date(year, 1, 1), str(year))
            for year in range(first, self.stop.year + 1, step)
        ]


def timeline_chart(marks: Sequence[TimelineMark], *, chart_id: str) -> Chart | None:
    """The marks one under another, oldest first, each as the span its date
    covers on one axis of years; None for no marks."""
    if not marks:
        return None
    axis = TimeAxis.around(marks)
    height = AXIS
    body = []
    for day, text in axis.ticks():
        anchor = "start" if day == axis.first else "middle"
        if day == axis.stop:
            anchor = "end"
        body.append(
            format_html(
                '<text class="chart__tick" x="{}" y="14" text-anchor="{}">{}</text>',
                _pct(axis.at(day)),
                anchor,
                text,
            )
        )
    grid_top = len(body)
    for n, mark in enumerate(marks):
        lines = _label_lines(f"{mark.date_text} {mark.title}")
        # The first line's date is drawn in bold; wrap as if it were not.
        lines[0] = lines[0].removeprefix(mark.date_text).lstrip()
        row = LINE * len(lines) + BAR + ROW_GAP
        if n % 2:
            body.append(
                format_html(
                    '<rect class="chart__band" x="0" y="{}" width="100%" height="{}"/>',
                    height,
                    row,
                )
            )
        body.append(_label(height + 14, lines, lead=mark.date_text))
        bar_y = height + LINE * len(lines) + 4
        css = "chart__mark--release" if mark.is_release else "chart__mark--event"
        left, width = axis.covering(mark.start, mark.end)
        data = format_html(
            'data-start="{}" data-end="{}" data-precision="{}"',
            mark.start.isoformat(),
            mark.end.isoformat(),
            mark.precision,
        )
        if mark.precision == DatePrecision.DAY:
            body.append(
                format_html(
                    '<circle class="chart__mark {} chart__mark--day" cx="{}" cy="{}" '
                    'r="6" {}/>',
                    css,
                    _pct(left + width / 2),
                    bar_y + BAR // 2,
                    data,
                )
            )
        else:
            body.append(
                format_html(
                    '<rect class="chart__mark {} chart__mark--{}" x="{}" y="{}" '
                    'width="{}" height="{}" {}/>',
                    css,
                    mark.precision,
                    _pct(left),
                    bar_y,
                    _pct(width),
                    BAR,
                    data,
                )
            )
        height += row
    grid = [
        format_html(
            '<line class="chart__grid" x1="{}" x2="{}" y1="20" y2="{}"/>',
            _pct(axis.at(day)),
            _pct(axis.at(day)),
            height,
        )
        for day, _text in axis.ticks()
    ]
    body[grid_top:grid_top] = grid
    years = f"{axis.first.year} to {axis.stop.year - 1}"
    count = len(marks)
    title = f"Timeline of {count} entr{'y' if count == 1 else 'ies'}, {years}"
    desc = (
        "Each entry is drawn as the span its date covers: a whole year for a "
        "date known only to the year, a whole month for a month, a dot for a day. "
        "The table after the chart lists the same entries and spans."
    )
    svg = _svg(chart_id, "chart--timeline", height, title, desc, body)
    return Chart(svg=svg, title=title, description=desc, rows=list(marks))


# Bars: box-office figures and tags


@dataclass(frozen=True)
class Bar:
    """One bar: ``fraction`` of the track, labelled ``lead`` (bold) and ``label``."""

    lead: str
    label: str
    fraction: float
    css: str = ""
    value: str = ""
    """What the bar stands for, as a number (``data-value``)."""


@dataclass(frozen=True)
class BarGroup:
    heading: str
    bars: list[Bar]
    note: str = ""


def _bars(groups: Sequence[BarGroup], ticks: Sequence[tuple[float, str]] = ()):
    """The groups' bars under their headings: (height, svg parts)."""
    body = []
    height = AXIS if ticks else 4
    for fraction, text in (tick for tick in ticks if tick[1]):
        anchor = "start" if fraction == 0 else "middle"
        if fraction == 1:
            anchor = "end"
        body.append(
            format_html(
                '<text class="chart__tick" x="{}" y="14" text-anchor="{}">{}</text>',
                _pct(fraction),
                anchor,
                text,
            )
        )
    for group in groups:
        if group.heading:
            heading = group.heading + (f": {group.note}" if group.note else "")
            body.append(
                format_html(
                    '<text class="chart__heading" x="0" y="{}">{}</text>',
                    height + 17,
                    _svg_text(heading),
                )
            )
            height += GROUP_HEADING
        for bar in group.bars:
            lines = _label_lines(f"{bar.lead} {bar.label}", most=2)
            lines[0] = lines[0].removeprefix(bar.lead).lstrip()
            body.append(_label(height + 14, lines, lead=bar.lead))
            bar_y = height + LINE * len(lines) + 4
            body.append(
                format_html(
                    '<rect class="chart__track" x="0" y="{}" width="100%" '
                    'height="{}"/>'
                    '<rect class="{}" x="0" y="{}" width="{}" height="{}" '
                    'data-value="{}" data-fraction="{}"/>',
                    bar_y,
                    BAR,
                    " ".join(filter(None, ("chart__bar", bar.css))),
                    bar_y,
                    _pct(bar.fraction),
                    BAR,
                    bar.value,
                    f"{bar.fraction:.6f}",
                )
            )
            height += LINE * len(lines) + BAR + ROW_GAP
    if ticks:
        grid = [
            format_html(
                '<line class="chart__grid" x1="{}" x2="{}" y1="20" y2="{}"/>',
                _pct(fraction),
                _pct(fraction),
                height,
            )
            for fraction, _text in ticks
        ]
        labelled = sum(1 for _fraction, text in ticks if text)
        body[labelled:labelled] = grid
    return height, body


@dataclass(frozen=True)
class BoxOfficeBar:
    """One figure as its source states it."""

    region: str
    amount: Decimal
    currency: str
    amount_text: str
    """As the source puts it: "over US$600 million"."""
    source: str
    url: str
    quote: str = ""
    hedged: bool = False
    """True for a figure stated as a bound ("over", "about", "under")."""


def _nice_ceiling(value: Decimal) -> tuple[Decimal, Decimal]:
    """A round top for an axis holding ``value``, and its step: (700, 100)."""
    magnitude = Decimal(10) ** (len(str(int(value))) - 1) if value >= 1 else 1
    for step in (Decimal("0.1"), Decimal("0.2"), Decimal("0.25"), Decimal("0.5"), 1):
        tick = step * magnitude
        top = (value / tick).to_integral_value(rounding=ROUND_CEILING) * tick
        if top / tick <= 8:
            return top, tick
    return value, value


def box_office_chart(
    figures: Sequence[BoxOfficeBar],
    *,
    chart_id: str,
    format_amount,
    disagreeing: Sequence[str] = (),
) -> Chart | None:
    """The figures as bars on one scale, grouped by region in the order given,
    each labelled with its amount and its source; the regions whose sources
    disagree (``disagreeing``) say so. One scale per currency: an axis is drawn
    when there is only one."""
    if not figures:
        return None
    currencies = {f.currency for f in figures}
    tops = {
        currency: _nice_ceiling(
            max(f.amount for f in figures if f.currency == currency)
        )
        for currency in currencies
    }
    groups: dict[str, BarGroup] = {}
    for figure in figures:
        top, _step = tops[figure.currency]
        group = groups.setdefault(
            figure.region,
            BarGroup(
                figure.region,
                [],
                "sources disagree" if figure.region in disagreeing else "",
            ),
        )
        group.bars.append(
            Bar(
                figure.amount_text,
                f"({figure.source})",
                float(figure.amount / top) if top else 0.0,
                "chart__bar--hedged" if figure.hedged else "",
                f"{figure.amount:f}",
            )
        )
    ticks = []
    if len(currencies) == 1:
        (currency,) = currencies
        top, step = tops[currency]
        steps = int(top / step)
        ticks = [
            (
                float(n * step / top),
                format_amount(n * step, currency)
                if n in (0, steps) or steps <= 4
                else "",
            )
            for n in range(steps + 1)
        ]
    height, body = _bars(list(groups.values()), ticks)
    count = len(figures)
    title = f"Box-office figures by source: {count} figure{'s' if count != 1 else ''}"
    desc = "; ".join(
        f"{f.region}: {f.amount_text}, according to {f.source}" for f in figures
    )
    if disagreeing:
        desc += ". Where sources disagree, their figures stand side by side"
    desc += ". The table after the chart gives each figure with its source."
    svg = _svg(chart_id, "chart--bars chart--box-office", height, title, desc, body)
    return Chart(svg=svg, title=title, description=desc, rows=list(figures))


@dataclass(frozen=True)
class SharedTag:
    """A tag that shares ``shared`` visible pages with the tag of the page."""

    name: str
    url: str
    shared: int


def co_occurrence_chart(
    tag: str,
    total: int,
    others: Sequence[SharedTag],
    *,
    chart_id: str,
    latest: bool = False,
) -> Chart | None:
    """How many of the tag's ``total`` pages (its ``latest`` pages only, when
    they were not all counted) each of ``others`` is also on, most first: each
    bar's track is the whole of those pages."""
    if not others or not total:
        return None
    ordered = sorted(others, key=lambda o: (-o.shared, o.name.lower()))
    pages = f"page{'s' if total != 1 else ''}"
    bars = [
        Bar(
            o.name,
            f"on {o.shared} of {total} {pages}",
            min(o.shared / total, 1.0),
            value=str(o.shared),
        )
        for o in ordered
    ]
    height, body = _bars([BarGroup("", bars)])
    title = f"Tags most often found with “{tag}”"
    counted = f"{total} latest {pages} tagged" if latest else f"{total} {pages} tagged"
    desc = (
        f"Of the {counted} “{tag}”, "
        + "; ".join(f"{o.shared} also carry “{o.name}”" for o in ordered)
        + ". The table after the chart lists the same counts."
    )
    svg = _svg(chart_id, "chart--bars chart--tags", height, title, desc, body)
    return Chart(svg=svg, title=title, description=desc, rows=ordered)
