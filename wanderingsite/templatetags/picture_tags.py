"""Template tags that turn what a page already read into the charts of
``wanderingsite.charts``: no tag here asks the database anything."""

from django import template

from wanderingsite import charts, image_views

from .archive_tags import format_amount, money

register = template.Library()


def _url(page, request) -> str:
    return page.get_url(request) or ""


@register.simple_tag(takes_context=True)
def timeline_chart(context, entries, chart_id: str = "timeline-chart"):
    """The timeline entries shown (``TimelineEntry``s, oldest first) as a chart."""
    request = context.get("request")
    marks = [
        charts.TimelineMark(
            title=entry.page.title,
            url=_url(entry.page, request),
            kind=entry.kind_label,
            is_release=entry.is_release,
            date=entry.page.date,
            precision=entry.page.date_precision,
        )
        for entry in entries
        if entry.page.date is not None
    ]
    return charts.timeline_chart(marks, chart_id=chart_id)


@register.simple_tag(takes_context=True)
def box_office_chart(context, regions, chart_id: str = "box-office-chart"):
    """A film's box-office regions (each with its cited figures) as a chart."""
    request = context.get("request")
    figures = [
        charts.BoxOfficeBar(
            region=region.region,
            amount=figure.amount,
            currency=figure.currency,
            amount_text=money(figure),
            source=figure.essay.title,
            url=figure.get_url(request),
            quote=figure.quote,
            hedged=bool(figure.qualifier),
        )
        for region in regions
        for figure in region.figures
    ]
    return charts.box_office_chart(
        figures,
        chart_id=chart_id,
        format_amount=format_amount,
        disagreeing=[r.region for r in regions if r.sources_disagree],
    )


@register.simple_tag
def co_occurrence_chart(detail, chart_id: str = "tags-chart"):
    """A tag page's tags found together (``TagDetail.related``, each with its
    ``total`` of shared pages) as a chart against the pages they were counted
    over."""
    others = [
        charts.SharedTag(
            name=other.name, url=other.get_absolute_url(), shared=other.total
        )
        for other in detail.related
    ]
    return charts.co_occurrence_chart(
        detail.tag.name,
        detail.related_among,
        others,
        chart_id=chart_id,
        latest=detail.related_sampled,
    )


@register.simple_tag(takes_context=True)
def share_image_url(context) -> str:
    """The absolute address of the share image for the page being rendered: the
    page's own, a tag's, or the site's."""
    return image_views.share_image_url(
        context.get("request"), page=context.get("page"), tag=context.get("tag")
    )
