"""Local times that do not exist once in the site's zone.

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
from django.utils.translation import gettext as _


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
