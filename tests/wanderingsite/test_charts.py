"""The charts drawn from the data: the timeline, the box office by source and
the tags found together, each accurate against what it draws, on its own and
on the pages of the loaded archive."""

import datetime
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from fractions import Fraction

import pytest

from essays.models import BoxOfficeFigure
from films.models import FilmPage, PolicyEventPage
from wanderingsite import charts, selectors
from wanderingsite.charts import (
    BoxOfficeBar,
    SharedTag,
    TimelineMark,
    box_office_chart,
    co_occurrence_chart,
    covered_span,
    timeline_chart,
)
from wanderingsite.models import ArchiveTag
from wanderingsite.page_types import archive_types
from wanderingsite.templatetags.archive_tags import format_amount

SVG = "{http://www.w3.org/2000/svg}"
D = datetime.date


def _svg(chart) -> ET.Element:
    return ET.fromstring(str(chart.svg))  # noqa: S314 - the archive's own markup


def _pct(value: str) -> float:
    assert value.endswith("%"), value
    return float(value[:-1]) / 100


def _svg_in(html: str, css: str) -> ET.Element:
    """The chart with class ``css`` in a page's HTML, parsed."""
    match = re.search(rf'<svg class="chart [^"]*{css}[^"]*".*?</svg>', html, re.S)
    assert match, f"no {css} chart"
    return ET.fromstring(match.group(0))  # noqa: S314 - the archive's own markup


def _mark(title, day, precision, *, release=False) -> TimelineMark:
    return TimelineMark(
        title=title,
        url=f"/{title.lower()}/",
        kind="Film release" if release else "Plan",
        is_release=release,
        date=day,
        precision=precision,
    )


@pytest.mark.parametrize(
    ("day", "precision", "span"),
    [
        (D(2001, 1, 1), "year", (D(2001, 1, 1), D(2001, 12, 31))),
        (D(2018, 3, 1), "month", (D(2018, 3, 1), D(2018, 3, 31))),
        (D(2024, 2, 1), "month", (D(2024, 2, 1), D(2024, 2, 29))),
        (D(2019, 12, 1), "month", (D(2019, 12, 1), D(2019, 12, 31))),
        (D(2019, 2, 5), "day", (D(2019, 2, 5), D(2019, 2, 5))),
    ],
)
def test_covered_span_is_what_the_date_stands_for(day, precision, span):
    """A year-only date covers its whole year, a month-only one its month (leap
    years and December included), a day itself."""
    assert covered_span(day, precision) == span


def test_timeline_chart_draws_a_year_only_date_across_its_whole_year():
    """A year-only event is a bar from the start of 1 January to the end of 31
    December, measured on the chart's own axis of whole years."""
    marks = [
        _mark("Opening", D(2001, 1, 1), "year"),
        _mark("Plan", D(2019, 3, 1), "month"),
        _mark("Film", D(2019, 2, 5), "day", release=True),
    ]
    svg = _svg(timeline_chart(marks, chart_id="t"))
    drawn = svg.findall(f".//{SVG}rect[@data-start]") + svg.findall(
        f".//{SVG}circle[@data-start]"
    )
    assert len(drawn) == 3
    year, month = svg.findall(f".//{SVG}rect[@data-start]")
    axis_days = (D(2020, 1, 1) - D(2001, 1, 1)).days
    assert (year.get("data-start"), year.get("data-end")) == (
        "2001-01-01",
        "2001-12-31",
    )
    assert _pct(year.get("x")) == pytest.approx(0)
    assert _pct(year.get("width")) == pytest.approx(365 / axis_days, abs=1e-6)
    assert (month.get("data-start"), month.get("data-end")) == (
        "2019-03-01",
        "2019-03-31",
    )
    start = (D(2019, 3, 1) - D(2001, 1, 1)).days / axis_days
    assert _pct(month.get("x")) == pytest.approx(start, abs=1e-6)
    assert _pct(month.get("width")) == pytest.approx(31 / axis_days, abs=1e-6)
    (day,) = svg.findall(f".//{SVG}circle")
    middle = ((D(2019, 2, 5) - D(2001, 1, 1)).days + 0.5) / axis_days
    assert _pct(day.get("cx")) == pytest.approx(middle, abs=1e-6)
    assert "chart__mark--release" in day.get("class")


def test_timeline_chart_labels_each_entry_with_its_date_as_precise_as_the_source():
    """Entries keep their order; each label gives the date at its precision and
    the title, Chinese marked ``lang="zh"``, markup escaped."""
    marks = [
        _mark("China opens its film market", D(2001, 1, 1), "year"),
        _mark("<script>x</script> 流浪地球", D(2019, 2, 5), "day", release=True),
    ]
    chart = timeline_chart(marks, chart_id="t")
    labels = ["".join(t.itertext()) for t in _svg(chart).iter(f"{SVG}text")]
    entries = [label for label in labels if not label.isdigit()]
    assert entries == [
        "2001 China opens its film market",
        "5 February 2019 <script>x</script> 流浪地球",
    ]
    assert "<script>" not in str(chart.svg)
    assert '<tspan lang="zh">流浪地球</tspan>' in str(chart.svg)
    assert chart.rows == marks
    assert chart.title == "Timeline of 2 entries, 2001 to 2019"


def test_timeline_chart_is_an_image_with_a_text_equivalent():
    """The drawing is ``role="img"``, named by its title and described."""
    svg = _svg(timeline_chart([_mark("A", D(2013, 1, 1), "year")], chart_id="t"))
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "t-title t-desc"
    assert svg.find(f"{SVG}title").get("id") == "t-title"
    assert "a whole year" in svg.find(f"{SVG}desc").text


def test_timeline_chart_of_nothing_is_none():
    """No entries, no chart."""
    assert timeline_chart([], chart_id="t") is None


def test_timeline_chart_ticks_round_years_or_the_quarters_of_one_year():
    """A span of decades is marked every five years; a single year by quarter."""
    decades = charts.TimeAxis(D(2001, 1, 1), D(2024, 1, 1))
    assert [text for _day, text in decades.ticks()] == ["2005", "2010", "2015", "2020"]
    one_year = charts.TimeAxis(D(2019, 1, 1), D(2020, 1, 1))
    assert [text for _day, text in one_year.ticks()] == [
        "2019",
        "Apr",
        "Jul",
        "Oct",
        "2020",
    ]


def _figure(region, amount, source, *, qualifier=""):
    return BoxOfficeBar(
        region=region,
        amount=Decimal(amount),
        currency="USD",
        amount_text=f"{qualifier} {format_amount(Decimal(amount), 'USD')}".strip(),
        source=source,
        url="/essays/x/#p1",
        hedged=bool(qualifier),
    )


def test_box_office_chart_sets_disagreeing_sources_side_by_side_on_one_scale():
    """Each figure is a bar as long as its amount on one round scale, labelled
    with its amount and its source; a figure given as a bound is drawn dashed."""
    figures = [
        _figure("China (domestic)", "600000000", "Essay A", qualifier="over"),
        _figure("China (domestic)", "693000000", "Essay B"),
        _figure("Overseas", "7000000", "Essay B"),
    ]
    chart = box_office_chart(
        figures,
        chart_id="b",
        format_amount=format_amount,
        disagreeing=["China (domestic)"],
    )
    svg = _svg(chart)
    bars = svg.findall(f".//{SVG}rect[@data-value]")
    assert [Decimal(b.get("data-value")) for b in bars] == [
        Decimal(600000000),
        Decimal(693000000),
        Decimal(7000000),
    ]
    top = Decimal(700000000)
    for bar in bars:
        assert _pct(bar.get("width")) == pytest.approx(
            float(Decimal(bar.get("data-value")) / top), abs=1e-6
        )
    assert "chart__bar--hedged" in bars[0].get("class")
    assert "chart__bar--hedged" not in bars[1].get("class")
    texts = ["".join(t.itertext()) for t in svg.iter(f"{SVG}text")]
    assert texts[:2] == ["US$0", "US$700 million"]
    assert "China (domestic): sources disagree" in texts
    assert "over US$600 million (Essay A)" in texts
    assert "US$693 million (Essay B)" in texts
    assert "according to Essay A" in chart.description


def test_co_occurrence_chart_draws_shared_pages_against_the_tags_own():
    """Each other tag's bar is its shared pages over the tag's own, most first."""
    others = [
        SharedTag("Propaganda", "/tags/propaganda/", 2),
        SharedTag("Distribution", "/tags/distribution/", 6),
        SharedTag("Box office", "/tags/box-office/", 2),
    ]
    chart = co_occurrence_chart("Soft power", 9, others, chart_id="c")
    bars = _svg(chart).findall(f".//{SVG}rect[@data-value]")
    assert [b.get("data-value") for b in bars] == ["6", "2", "2"]
    assert [_pct(b.get("width")) for b in bars] == pytest.approx([6 / 9, 2 / 9, 2 / 9])
    assert [o.name for o in chart.rows] == ["Distribution", "Box office", "Propaganda"]
    assert "6 also carry “Distribution”" in chart.description


# The charts on the loaded archive's pages


@pytest.mark.django_db
def test_timeline_page_chart_draws_every_entry_as_the_span_of_its_date(
    loaded_archive, client
):
    """Each film and event on /timeline/ is drawn once, over exactly the days its
    date at its precision covers."""
    html = client.get("/timeline/").content.decode()
    svg = _svg_in(html, "chart--timeline")
    drawn = sorted(
        (m.get("data-start"), m.get("data-end"), m.get("data-precision"))
        for m in svg.iter()
        if m.get("data-start")
    )
    expected = sorted(
        (
            *(d.isoformat() for d in covered_span(page.date, page.date_precision)),
            page.date_precision,
        )
        for model in (FilmPage, PolicyEventPage)
        for page in model.objects.live().filter(date__isnull=False)
    )
    assert drawn == expected
    assert ("2001-01-01", "2001-12-31", "year") in drawn


@pytest.mark.django_db
def test_film_page_chart_draws_each_box_office_figure_with_its_source(
    loaded_archive, client
):
    """The Wandering Earth's bars are its figures, in the sources' amounts, each
    labelled with the essay that states it; both domestic figures stand."""
    film = FilmPage.objects.get(slug="the-wandering-earth")
    html = client.get(film.url).content.decode()
    svg = _svg_in(html, "chart--box-office")
    bars = svg.findall(f".//{SVG}rect[@data-value]")
    figures = list(BoxOfficeFigure.objects.filter(page=film).select_related("essay"))
    assert sorted(Decimal(b.get("data-value")) for b in bars) == sorted(
        f.amount for f in figures
    )
    assert {Decimal(b.get("data-value")) for b in bars} >= {
        Decimal(600000000),
        Decimal(693000000),
    }
    labels = " ".join("".join(t.itertext()) for t in svg.iter(f"{SVG}text"))
    for figure in figures:
        assert figure.essay.title.split()[0] in labels
    assert "sources disagree" in labels


def _shared_pages(tag: ArchiveTag, other: ArchiveTag) -> int:
    """Visible pages of any type carrying both tags, counted type by type."""
    return sum(
        t.model.objects.live()
        .public()
        .filter(tagged_items__tag=tag)
        .filter(pk__in=t.model.objects.filter(tagged_items__tag=other))
        .count()
        for t in archive_types
    )


@pytest.mark.django_db
def test_tag_page_chart_counts_match_the_pages_both_tags_are_on(loaded_archive, client):
    """Each bar on a tag page is the number of visible pages that carry both
    tags, counted here page type by page type, over the tag's own pages."""
    tag = ArchiveTag.objects.get(slug="soft-power")
    html = client.get("/tags/soft-power/").content.decode()
    svg = _svg_in(html, "chart--tags")
    total = sum(
        t.model.objects.live().public().filter(tagged_items__tag=tag).count()
        for t in archive_types
    )
    bars = svg.findall(f".//{SVG}rect[@data-value]")
    labels = [
        "".join(t.itertext())
        for t in svg.iter(f"{SVG}text")
        if "".join(t.itertext()).strip()
    ]
    assert 0 < len(bars) <= 10
    for bar, label in zip(bars, labels, strict=True):
        name = label.rsplit(" on ", 1)[0]
        other = ArchiveTag.objects.get(name=name)
        assert int(bar.get("data-value")) == _shared_pages(tag, other)
        assert label.endswith(f"on {bar.get('data-value')} of {total} pages")
        assert _pct(bar.get("width")) == pytest.approx(
            float(Fraction(int(bar.get("data-value")), total)), abs=1e-6
        )


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/timeline/", "/tags/soft-power/"])
def test_chart_table_lists_what_the_chart_draws(loaded_archive, client, path):
    """Every chart comes with a table of the same entries, in a details element."""
    html = client.get(path).content.decode()
    svg = _svg_in(html, "chart")
    drawn = len([m for m in svg.iter() if m.get("data-start") or m.get("data-value")])
    table = html[html.index('<details class="chart-table">') :]
    table = table[: table.index("</details>")]
    assert table.count("<tr>") - 1 == drawn


@pytest.mark.django_db
def test_tag_page_chart_of_a_tag_on_many_pages_counts_its_latest_pages(
    loaded_archive, client, monkeypatch
):
    """Past ``RELATED_TAGS_SAMPLE`` pages of a type, the tags found together are
    counted over the tag's latest pages of each type, and the chart says so."""
    monkeypatch.setattr(selectors, "RELATED_TAGS_SAMPLE", 1)
    detail = selectors.tag_detail(slug="soft-power")
    carrying = [section for section in detail.sections if section.count]
    assert detail.related_among == len(carrying) < detail.total
    assert detail.related_sampled
    html = client.get("/tags/soft-power/").content.decode()
    assert f"{detail.related_among} latest pages tagged" in html
    assert f"(of {detail.total} in all)" in html
    for bar in _svg_in(html, "chart--tags").findall(f".//{SVG}rect[@data-value]"):
        assert int(bar.get("data-value")) <= detail.related_among
