"""Dates that know how precise they are: a year, a month or a day."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    YEAR = "year", _("Year")
    MONTH = "month", _("Month")
    DAY = "day", _("Day")


MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def format_precise_date(value: datetime.date | None, precision: str) -> str:
    """'2013', 'March 2018' or '5 February 2019', as precise as the source."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return f"{MONTHS[value.month - 1]} {value.year}"
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def iso_precise_date(value: datetime.date | None, precision: str) -> str:
    """ISO 8601 cut to the precision: '2013', '2018-03', '2019-02-05'."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def parse_precise_date(text: str) -> tuple[datetime.date, str]:
    """Read '2013', '2018-03' or '2019-02-05' into (first day, precision)."""
    parts = text.strip().split("-")
    if len(parts) == 1 and len(parts[0]) == 4:
        return datetime.date(int(parts[0]), 1, 1), DatePrecision.YEAR
    if len(parts) == 2 and len(parts[0]) == 4 and len(parts[1]) == 2:
        return datetime.date(int(parts[0]), int(parts[1]), 1), DatePrecision.MONTH
    if len(parts) == 3 and len(parts[0]) == 4:
        return datetime.date.fromisoformat(text.strip()), DatePrecision.DAY
    raise ValueError(f"{text!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
