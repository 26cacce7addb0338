"""An edit retires only the cached pages that show what changed; a new publication refreshes every list at once.

What a reader sees: after a communications officer corrects one release, or one photo's
caption, the home page and the other releases are still served from the cache (the site
does not go cold at the moment readers arrive); the corrected release shows the correction
at once, on its own page and wherever it is shown (a card, a "related" link). A new
publication, a withdrawal or a new date is on every list and feed at the next request.
Runs on the configured cache: local memory by default, Redis when REDIS_URL is set (as in CI).
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Quote
from articles.publishing import workflow
from tests.factories import make_article, make_editor, make_photo, make_speaker, place

pytestmark = pytest.mark.django_db

HOME = "/"
FEED = reverse("articles:feed-rss")


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600
    settings.PUBLIC_CACHE_MAX_AGE = 300


@pytest.fixture
def press_room():
    """A release deep in the archive (not on the home page, with its own photo), and a recent unrelated one."""
    days = settings.ARTICLES_PER_PAGE + 5
    archived = make_article("Le port de Sète en 2019", publish_at=timezone.now() - timedelta(days=days), tags=["Port"])
    place(archived, make_photo(caption="Le quai d'honneur"))
    for n in range(settings.ARTICLES_PER_PAGE):
        make_article(f"Communiqué récent {n}", publish_at=timezone.now() - timedelta(days=n, hours=1), tags=["Rail"])
    unrelated = Article.objects.get(title="Communiqué récent 3")
    return archived, unrelated


def warm(client, *urls):
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit", url


def test_editing_one_release_leaves_the_home_page_and_unrelated_releases_warm(client, press_room):
    archived, unrelated = press_room
    warm(client, HOME, unrelated.get_absolute_url(), FEED, archived.get_absolute_url())
    archived.body = "<p>Rectificatif : le quai est ouvert au public.</p>"
    archived.save()
    assert client.get(HOME)["X-Page-Cache"] == "hit"
    assert client.get(unrelated.get_absolute_url())["X-Page-Cache"] == "hit"
    assert client.get(FEED)["X-Page-Cache"] == "miss"  # the feed's 30 newest items include it
    corrected = client.get(archived.get_absolute_url())
    assert corrected["X-Page-Cache"] == "miss"
    assert "Rectificatif" in corrected.content.decode()


def test_editing_one_photo_caption_leaves_pages_without_that_photo_warm(client, press_room):
    archived, unrelated = press_room
    warm(client, HOME, unrelated.get_absolute_url(), archived.get_absolute_url())
    photo = archived.photos.get()
    photo.caption = "Le quai d'honneur, restauré en 2018"
    photo.save()
    assert client.get(HOME)["X-Page-Cache"] == "hit"
    assert client.get(unrelated.get_absolute_url())["X-Page-Cache"] == "hit"
    page = client.get(archived.get_absolute_url())
    assert page["X-Page-Cache"] == "miss"
    assert "restauré en 2018" in page.content.decode()


def test_an_edit_of_a_release_shown_on_the_home_page_refreshes_it_at_once(client, press_room):
    _, unrelated = press_room
    shown = Article.objects.get(title="Communiqué récent 0")
    warm(client, HOME)
    shown.title = "Communiqué récent 0, corrigé"
    shown.save()
    home = client.get(HOME)
    assert home["X-Page-Cache"] == "miss"
    assert "Communiqué récent 0, corrigé" in home.content.decode()


def test_an_edit_of_a_release_shown_as_related_refreshes_the_pages_that_link_to_it(client, press_room):
    _, unrelated = press_room
    neighbour = Article.objects.exclude(pk=unrelated.pk).get(title="Communiqué récent 1")
    warm(client, unrelated.get_absolute_url())
    assert "Communiqué récent 1" in client.get(unrelated.get_absolute_url()).content.decode()  # in "related"
    neighbour.title = "Le TGV arrive à Rodez"
    neighbour.save()
    page = client.get(unrelated.get_absolute_url())
    assert page["X-Page-Cache"] == "miss"
    assert "Le TGV arrive à Rodez" in page.content.decode()


def test_a_new_publication_is_on_the_home_page_and_in_the_feeds_at_the_next_request(client, press_room):
    archived, unrelated = press_room
    warm(client, HOME, FEED, "/mots-cles/rail/", unrelated.get_absolute_url())
    make_article("La Région ouvre un nouveau lycée", tags=["Rail"])
    # ...and in the "related" part of a release sharing its tag, which was cached too.
    for url in (HOME, FEED, "/mots-cles/rail/", unrelated.get_absolute_url()):
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert "La Région ouvre un nouveau lycée" in response.content.decode(), url


def test_a_release_scheduled_by_the_workflow_is_on_the_lists_at_its_minute_and_not_before(client, press_room, time_machine):
    publisher = make_editor("Publication")
    draft = make_article("Fusion des deux agences régionales", status=Article.Status.DRAFT)
    warm(client, HOME, FEED)
    workflow.publish(article=draft, user=publisher, publish_at=timezone.now() + timedelta(hours=2))
    assert "Fusion des deux agences" not in client.get(HOME).content.decode()
    time_machine.move_to(timezone.now() + timedelta(hours=2, minutes=1))
    for url in (HOME, FEED):
        assert "Fusion des deux agences" in client.get(url).content.decode(), url


def test_a_withdrawn_release_leaves_every_cached_page_at_once(client, press_room):
    _, unrelated = press_room
    shown = Article.objects.get(title="Communiqué récent 2")
    urls = (HOME, FEED, "/mots-cles/rail/", unrelated.get_absolute_url(), shown.get_absolute_url())
    warm(client, *urls)
    workflow.withdraw(article=shown, user=make_editor("Publication"), reason="Erreur de date.")
    for url in urls[:4]:
        assert "Communiqué récent 2" not in client.get(url).content.decode(), url
    assert "retiré" in client.get(shown.get_absolute_url()).content.decode().lower()


def test_a_release_sent_back_under_embargo_disappears_from_every_cached_page(client, press_room):
    _, unrelated = press_room
    shown = Article.objects.get(title="Communiqué récent 2")
    urls = (HOME, FEED, "/mots-cles/rail/", unrelated.get_absolute_url())
    warm(client, *urls, shown.get_absolute_url())
    shown.publish_at = timezone.now() + timedelta(days=1)  # rescheduled from the shell: no workflow, same rule
    shown.save()
    for url in urls:
        assert "Communiqué récent 2" not in client.get(url).content.decode(), url
    assert client.get(shown.get_absolute_url()).status_code == 404


def test_a_new_quote_is_on_the_speakers_page_at_once_but_a_reworded_one_leaves_other_releases_warm(client, press_room):
    archived, unrelated = press_room
    speaker = make_speaker("Carole Delga")
    Quote.objects.create(article=unrelated, speaker=speaker, text="Une première citation.")
    warm(client, speaker.get_absolute_url(), HOME)
    quote = Quote.objects.create(article=archived, speaker=speaker, text="Le port est l'avenir de Sète.")
    page = client.get(speaker.get_absolute_url())
    assert "Le port est l&#x27;avenir de Sète." in page.content.decode()
    warm(client, speaker.get_absolute_url(), unrelated.get_absolute_url())
    quote.text = "Le port est l'avenir de toute la côte."
    quote.save()
    assert "toute la côte" in client.get(speaker.get_absolute_url()).content.decode()
    assert client.get(unrelated.get_absolute_url())["X-Page-Cache"] == "hit"
    assert client.get(HOME)["X-Page-Cache"] == "hit"


def test_a_page_built_while_an_edit_commits_is_not_stored(client, press_room):
    """The race: a page read from the database before a save committed must not be stored under the new tokens."""
    from articles.caching import dependencies

    _, unrelated = press_room
    url = unrelated.get_absolute_url()
    original_stamp = dependencies.stamp_if_unchanged

    def edit_while_building(names, changes_before):
        unrelated.title = "Titre corrigé pendant la requête"
        unrelated.save()  # commits between the page's database reads and its storing
        return original_stamp(names, changes_before)

    dependencies.stamp_if_unchanged = edit_while_building
    try:
        assert client.get(url)["X-Page-Cache"] == "miss"
    finally:
        dependencies.stamp_if_unchanged = original_stamp
    page = client.get(url)
    assert page["X-Page-Cache"] == "miss"  # the page built before the edit was not kept
    assert "Titre corrigé pendant la requête" in page.content.decode()


# --- Fragments rendered once per version of a release: never across the embargo ---------------------


def test_an_embargo_page_neither_stores_nor_reuses_the_fragments_of_the_public_page(client, time_machine):
    from articles.publishing import embargo

    scheduled = make_article("Accord Occitanie–Kyoto", publish_at=timezone.now() + timedelta(hours=1), photos=1)
    link = embargo.create_link(article=scheduled, user=make_editor("Publication"), recipient_name="Claire Martin",
                               expires_at=timezone.now() + timedelta(days=2))
    before = client.get(embargo.link_path(link))
    assert "/embargo/" in before.content.decode()  # its photo through the signed link
    time_machine.move_to(timezone.now() + timedelta(hours=1, minutes=1))
    public = client.get(scheduled.get_absolute_url())
    assert public.status_code == 200
    assert "/embargo/" not in public.content.decode()  # nothing of the embargo page reached the public one
    client.get(scheduled.get_absolute_url())
    after = client.get(embargo.link_path(link))
    assert after.status_code == 200
    assert "/embargo/" in after.content.decode()  # and the public page's fragments did not reach the link


def test_an_edit_made_without_signals_is_seen_by_editors_at_once(client):
    """A bulk update() sends no signal: anonymous visitors keep the stored version until it expires; editors never."""
    from django.test import Client

    from tests.factories import login_verified

    article = make_article("Titre initial", photos=1)
    client.get(article.get_absolute_url())
    Article.objects.filter(pk=article.pk).update(body="<p>Corrigé en masse.</p>")
    editor = Client()
    login_verified(editor, make_editor("Rédaction"))
    assert "Corrigé en masse." in editor.get(article.get_absolute_url()).content.decode()
