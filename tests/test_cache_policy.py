"""Caches never extend an embargo: public max-age ends by the next scheduled publication."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.caching import policy as cache_policy
from articles.publishing import embargo
from tests.factories import login_verified, make_article, make_editor

pytestmark = pytest.mark.django_db


def max_age(response) -> int:
    parts = dict(p.strip().partition("=")[::2] for p in response["Cache-Control"].split(","))
    assert "public" in parts
    return int(parts["max-age"])


def test_with_nothing_scheduled_the_list_is_cached_for_the_configured_time(client, settings):
    settings.PUBLIC_CACHE_MAX_AGE = 300
    make_article()
    assert max_age(client.get(reverse("articles:article-list"))) == 300


def test_the_list_cache_ends_when_the_next_release_goes_live(client, settings, time_machine):
    settings.PUBLIC_CACHE_MAX_AGE = 300
    time_machine.move_to(timezone.now(), tick=False)
    make_article(publish_at=timezone.now() + timedelta(seconds=90))
    live = make_article()
    assert max_age(client.get(reverse("articles:article-list"))) == 90
    assert max_age(client.get(live.get_absolute_url())) == 90
    time_machine.shift(timedelta(seconds=60))
    assert max_age(client.get(reverse("articles:article-list"))) == 30


def test_scheduling_a_release_shortens_the_cache_at_once(client, settings, time_machine):
    settings.PUBLIC_CACHE_MAX_AGE = 300
    time_machine.move_to(timezone.now(), tick=False)
    article = make_article(status="review")
    assert max_age(client.get(reverse("articles:article-list"))) == 300
    article.status, article.publish_at = "published", timezone.now() + timedelta(seconds=45)
    article.save()
    assert max_age(client.get(reverse("articles:article-list"))) == 45


def test_the_next_publication_time_is_cached(django_assert_num_queries):
    make_article(publish_at=timezone.now() + timedelta(hours=1))
    with django_assert_num_queries(1):
        first = cache_policy.next_scheduled_publication()
    with django_assert_num_queries(0):
        assert cache_policy.next_scheduled_publication() == first


@pytest.mark.parametrize("url_name", ["articles:feed-rss", "articles:sitemap"])
def test_feeds_and_sitemap_follow_the_same_rule(client, settings, url_name, time_machine):
    url = reverse(url_name)  # every surface exists: a name that no longer resolves must fail
    time_machine.move_to(timezone.now(), tick=False)
    make_article(publish_at=timezone.now() + timedelta(seconds=120))
    assert max_age(client.get(url)) == 120


def test_previews_and_embargo_links_are_never_cached(client):
    article = make_article(publish_at=timezone.now() + timedelta(days=1))
    publisher = make_editor("Publication")
    link = embargo.create_link(article=article, user=publisher, recipient_name="X", expires_at=timezone.now() + timedelta(days=2))
    login_verified(client, publisher)
    for url in (reverse("articles:article-preview", args=[article.pk]), embargo.link_path(link)):
        assert client.get(url)["Cache-Control"] == "no-store, private"


def test_the_admin_is_not_marked_public(admin_client):
    response = admin_client.get(reverse("admin:articles_article_changelist"))
    assert "public" not in response.get("Cache-Control", "")


def test_a_stale_answer_stored_by_a_request_that_raced_a_scheduling_is_never_read():
    from datetime import timedelta

    from django.core.cache import cache
    from django.utils import timezone

    from articles.caching import dependencies, page_cache
    from articles.caching import policy as cache_policy
    from tests.factories import make_article

    # What a concurrent request read before querying:
    before = page_cache.generation(), dependencies.stamp([dependencies.PUBLICATIONS])[dependencies.PUBLICATIONS]
    release = make_article(publish_at=timezone.now() + timedelta(hours=2))  # the scheduling commits
    # ...and that request, having queried before the commit, now stores "nothing scheduled":
    cache.set(cache_policy.CACHE_KEY, {"generation": before[0], "publications": before[1],
                                       "value": cache_policy._NOTHING}, 60)
    assert cache_policy.next_scheduled_publication() == release.publish_at
