"""What Publication needs to see first thing in the morning: what goes out this week, what
waits for review, what went out recently, and whose photo rights end soon. Read-only
queries, each bounded, for the admin's index (pressroom/admin_site.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.dateformat import format as format_date

from ..models import Article, Photo
from ..paris_time import french_day
from ..querysets import visible_now

S = Article.Status
# A dashboard is a glance: past this many lines per list, the list's own page has the rest.
ROWS = 10
WEEK = timedelta(days=7)
RIGHTS_WARNING_DAYS = 30


@dataclass
class Day:
    """One day of the week ahead, in Paris, with the releases scheduled on it."""

    day: date
    label: str
    releases: list[Article] = field(default_factory=list)


@dataclass
class Dashboard:
    week: list[Day]
    in_review: list[Article]
    went_out: list[Article]
    expiring_photos: list[Photo]


def build(now: datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    today = timezone.localdate(now)
    scheduled = (
        Article.objects.filter(status=S.PUBLISHED, publish_at__gt=now, publish_at__lte=now + WEEK)
        .order_by("publish_at").only("id", "title", "publish_at", "status")[: ROWS * 3]
    )
    days = [Day(day=today + timedelta(days=k), label=_day_label(today, today + timedelta(days=k))) for k in range(8)]
    for release in scheduled:
        local = timezone.localdate(release.publish_at)
        slot = next((d for d in days if d.day == local), None)
        if slot is not None:
            slot.releases.append(release)
    in_review = list(
        Article.objects.filter(status=S.REVIEW).select_related("updated_by").order_by("updated_at")
        .only("id", "title", "updated_at", "updated_by__username", "updated_by__first_name", "updated_by__last_name")[:ROWS]
    )
    went_out = list(
        Article.objects.filter(visible_now(), publish_at__gte=now - WEEK).order_by("-publish_at")
        .only("id", "title", "publish_at", "status")[:ROWS]
    )
    expiring = list(
        Photo.objects.filter(rights_expire_on__isnull=False, rights_expire_on__lte=today + timedelta(days=RIGHTS_WARNING_DAYS))
        .order_by("rights_expire_on").select_related("credit").only("id", "caption", "rights_expire_on", "credit__name")[:ROWS]
    )
    return Dashboard(week=[d for d in days if d.releases], in_review=in_review, went_out=went_out, expiring_photos=expiring)


def _day_label(today: date, day: date) -> str:
    """"Aujourd'hui, mardi 1er décembre 2026", "Demain, …", "Jeudi 3 décembre 2026"."""
    noon = timezone.make_aware(datetime(day.year, day.month, day.day, 12))
    label = f"{format_date(noon, 'l')} {french_day(noon)}"
    prefix = {0: "Aujourd'hui", 1: "Demain"}.get((day - today).days)
    return f"{prefix}, {label}" if prefix else label[:1].upper() + label[1:]
