"""Archives by year and month: counts and lists of public releases only, in Paris time."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def at(*args):
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture
def releases():
    make_article("Mars un", publish_at=at(2025, 3, 3, 10, 0))
    make_article("Mars deux", publish_at=at(2025, 3, 31, 23, 30))  # 21:30 UTC: still March in Paris
    make_article("Avril", publish_at=at(2025, 4, 1, 0, 30))  # 22:30 UTC on 31 March: April in Paris
    make_article("Décembre 2024", publish_at=at(2024, 12, 15, 9, 0))
    make_article("Brouillon de mars", status=Article.Status.DRAFT, publish_at=at(2025, 3, 10, 9, 0))
    make_article("Retiré de mars", status=Article.Status.WITHDRAWN, publish_at=at(2025, 3, 11, 9, 0))


def test_the_index_counts_public_releases_by_year_and_month_in_paris_time(client, releases):
    response = client.get("/archives/")
    assert response.status_code == 200
    years = response.context["years"]
    assert [(y["year"], y["count"]) for y in years] == [(2025, 3), (2024, 1)]
    assert [(m.month, n) for m, n in years[0]["months"]] == [(4, 1), (3, 2)]
    html = response.content.decode()
    assert 'href="/archives/2025/03/">Mars 2025</a> <span class="meta">(2 communiqués)</span>' in html
    assert 'href="/archives/2025/">2025</a> <span class="meta">(3 communiqués)</span>' in html


def test_a_month_lists_its_public_releases_newest_first(client, releases):
    response = client.get("/archives/2025/03/")
    assert response.status_code == 200
    assert [a.title for a in response.context["articles"]] == ["Mars deux", "Mars un"]
    html = response.content.decode()
    assert "<title>Communiqués de mars 2025 — " in html
    assert "Brouillon" not in html and "Retiré" not in html


def test_a_year_lists_its_releases_and_its_months(client, releases):
    response = client.get("/archives/2025/")
    assert [a.title for a in response.context["articles"]] == ["Avril", "Mars deux", "Mars un"]
    assert [(m.month, n) for m, n in response.context["months"]] == [(4, 1), (3, 2)]


@pytest.mark.parametrize("url", ["/archives/2025/05/", "/archives/2023/", "/archives/2025/13/", "/archives/2025/00/"])
def test_a_period_without_public_release_does_not_exist(client, releases, url):
    assert client.get(url).status_code == 404


def test_a_month_known_only_from_a_draft_does_not_exist(client):
    make_article("Brouillon", status=Article.Status.DRAFT, publish_at=at(2022, 2, 2, 9, 0))
    assert client.get("/archives/2022/02/").status_code == 404
    assert "2022" not in client.get("/archives/").content.decode()


def test_an_embargoed_release_is_counted_from_its_time(client, time_machine):
    release_at = timezone.now() + timedelta(hours=1)
    make_article("Sous embargo", publish_at=release_at)
    assert client.get("/archives/").context["years"] == []
    time_machine.move_to(release_at + timedelta(seconds=1))
    years = client.get("/archives/").context["years"]
    assert [y["count"] for y in years] == [1]


def test_the_archives_are_linked_from_every_page(client, releases):
    assert 'href="/archives/"' in client.get("/").content.decode()


def test_the_kept_counts_follow_a_new_release_and_a_scheduled_one_at_its_minute(client, releases, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    client.get("/archives/")
    client.get("/archives/2025/")
    make_article("Mars trois", publish_at=at(2025, 3, 20, 9, 0))
    scheduled = make_article("Programmé", publish_at=timezone.now() + timedelta(minutes=30))
    years = client.get("/archives/").context["years"]
    assert [(y["year"], y["count"]) for y in years if y["year"] == 2025] == [(2025, 4)]
    assert dict((m.month, n) for m, n in client.get("/archives/2025/").context["months"])[3] == 3
    year = timezone.localtime(scheduled.publish_at).year
    assert client.get(f"/archives/{year}/").status_code in (200, 404)
    time_machine.move_to(scheduled.publish_at + timedelta(minutes=1), tick=False)
    counted = {y["year"]: y["count"] for y in client.get("/archives/").context["years"]}
    assert counted[year] == (1 if year != 2025 else 5)
    assert "Programmé" in client.get(f"/archives/{year}/").content.decode()
