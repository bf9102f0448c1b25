"""Template helpers for the public pages: dates, money, language, metadata."""

import json
import re
from decimal import Decimal

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext

from wanderingsite.blocks import block_anchor as _block_anchor
from wanderingsite.dates import format_precise_date, iso_precise_date
from wanderingsite.sites import site_root_url

register = template.Library()

# Han ideographs (with extension A and compatibility forms) and CJK punctuation,
# so that a run such as 流浪地球 or 《流浪地球》 is marked as one.
_CJK_RUN = re.compile(
    r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff5e]+"
)
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
_CURRENCY_PREFIX = {"USD": "US$", "CNY": "CN¥", "EUR": "€", "GBP": "£", "AUD": "A$"}
_SCALES = ((Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million"))


@register.filter
def lang_marks(text) -> SafeString:
    """Escape ``text`` and mark each run of Chinese characters ``lang="zh"``."""
    escaped = str(conditional_escape(text or ""))
    return mark_safe(  # noqa: S308 - the text was escaped above
        _CJK_RUN.sub(lambda m: f'<span lang="zh">{m.group(0)}</span>', escaped)
    )


@register.simple_tag
def precise_date(value, precision, missing="") -> str:
    """A ``<time>`` as precise as the source: '2013', 'March 2018', '5 Feb...'."""
    if value is None:
        return missing
    return format_html(
        '<time datetime="{}">{}</time>',
        iso_precise_date(value, precision),
        format_precise_date(value, precision),
    )


def format_amount(amount: Decimal, currency: str) -> str:
    """'US$693 million'; exact figures that do not round keep every digit."""
    prefix = _CURRENCY_PREFIX.get(currency.upper(), f"{currency.upper()} ")
    amount = Decimal(amount)
    for scale, word in _SCALES:
        scaled = amount / scale
        if scaled >= 1 and scaled == scaled.quantize(Decimal("0.1")):
            number = f"{scaled.normalize():f}"
            return f"{prefix}{number} {word}"
    if amount == amount.to_integral_value():
        return f"{prefix}{amount:,.0f}"
    return f"{prefix}{amount:,.2f}"


@register.filter
def money(figure) -> str:
    """A box-office figure as the source puts it: 'over US$600 million'."""
    amount = format_amount(figure.amount, figure.currency)
    qualifier = figure.get_qualifier_display() if figure.qualifier else ""
    return f"{qualifier} {amount}".strip()


@register.filter
def block_anchor(block, prefix: str = "p") -> str:
    return _block_anchor(block, prefix)


@register.simple_tag(takes_context=True)
def citation_url(context, citation) -> str:
    """The link to the cited passage: ``/essays/<slug>/#<anchor>``."""
    return citation.get_url(context.get("request"))


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """The page's one public address: a view's own, a page's, or the path."""
    if context.get("canonical_url"):
        return context["canonical_url"]
    request = context.get("request")
    if request is None:
        return ""
    return f"{site_root_url(request)}{request.path}"


@register.simple_tag
def json_ld(data) -> SafeString:
    """``data`` as a JSON-LD script; no markup in it can close the element."""
    if not data:
        return ""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(  # noqa: S308 - <, > and & are escaped as JSON unicode escapes
        '<script type="application/ld+json">'
        f"{payload.translate(_JSON_ESCAPES)}</script>"
    )


@register.simple_tag(takes_context=True)
def nav_current(context, prefix: str) -> str:
    """``aria-current="page"`` (or "true" within the section) for the header."""
    request = context.get("request")
    path = request.path if request is not None else ""
    if path == prefix:
        return mark_safe(' aria-current="page"')
    if prefix != "/" and path.startswith(prefix):
        return mark_safe(' aria-current="true"')
    return ""


@register.filter
def timedelta_minutes(value) -> str:
    """A duration as whole minutes: "15 minutes", "1 minute"."""
    minutes = max(1, round(value.total_seconds() / 60))
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
