"""Times in the site's zone (Europe/Paris): every way the project writes one, and the local
times that do not exist once.

In Europe/Paris the spring change skips an hour (29/03/2026 02:30 never happens)
and the autumn change repeats one (25/10/2026 02:30 happens twice). A release
scheduled at such a time would go live at a guessed minute, so both are refused,
with a sentence that says why.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import formats, timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _


def _local(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def local_iso(value: datetime | None) -> str | None:
    """ISO 8601 in the site's zone, to the second: "2026-03-03T10:00:00+01:00" (metadata, <time datetime>)."""
    if value is None:
        return None
    return _local(value).replace(microsecond=0).isoformat()


def french_day(value: datetime | None) -> str:
    """"3 mars 2026", in Paris time; the first of the month is written "1er mars 2026"."""
    if not value:
        return ""
    local = _local(value)
    day = "1er" if local.day == 1 else str(local.day)
    return f"{day} {format_date(local, 'F Y')}"


def day_label(value: datetime | None, language: str | None = None) -> str:
    """A day as the page's language writes it, in Paris time: "1er mars 2026", "1 March 2026",
    "2026年3月1日" (issue #14). French is french_day; English and Japanese follow their usage."""
    from django.utils.translation import get_language, override

    language = (language or get_language() or "fr").split("-")[0]
    if not value:
        return ""
    if not isinstance(value, datetime):  # a plain date (a photo's end of rights)
        value = datetime(value.year, value.month, value.day)
    local = _local(value)
    if language == "fr":
        with override("fr"):
            return french_day(value)
    if language == "ja":
        return f"{local.year}年{local.month}月{local.day}日"
    with override(language):
        return f"{local.day} {format_date(local, 'F Y')}"


def short_label(value: datetime | None) -> str | None:
    """ "3 mars 2026 10:00 (Europe/Paris)": the admin's columns; the zone is always named."""
    if value is None:
        return None
    return f"{formats.date_format(timezone.localtime(value), 'DATETIME_FORMAT')} ({timezone.get_current_timezone_name()})"


def local_label(value: datetime) -> str:
    """ "mardi 3 mars 2026 à 10:00 (Europe/Paris)": the zone is always named."""
    local = timezone.localtime(value)
    day = formats.date_format(local, "l j F Y")
    return _("%(day)s à %(time)s (%(zone)s)") % {
        "day": day, "time": local.strftime("%H:%M"), "zone": timezone.get_current_timezone_name(),
    }


def local_time_problem(naive: datetime) -> str | None:
    """A French explanation when `naive` (a wall-clock time in TIME_ZONE) is skipped or repeated."""
    zone = ZoneInfo(settings.TIME_ZONE)
    first, second = naive.replace(tzinfo=zone, fold=0), naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return None
    when = f"{naive:%d/%m/%Y} à {naive:%H:%M}"
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        return (
            f"l'heure {when} n'existe pas à Paris : ce jour-là, les horloges passent directement "
            "de 02:00 à 03:00 (heure d'été). Choisissez une autre heure."
        )
    return (
        f"l'heure {when} existe deux fois à Paris : ce jour-là, les horloges reviennent de 03:00 "
        "à 02:00 (heure d'hiver). Choisissez une autre heure."
    )
