"""Translations of a release (issue #14): a French original and its translations form one group
that goes live, leaves the site and stays hidden as one; each language has its own addresses,
lists, feeds and dates, and every page links its other languages."""

import io
import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone, translation

from articles.importer.release import ReleaseError
from articles.importer.service import import_release
from articles.models import Article
from articles.paris_time import day_label
from articles.publishing import workflow
from articles.translations.services import start_translation
from tests.factories import make_article, make_editor, make_photo, make_speaker, place

pytestmark = pytest.mark.django_db

S = Article.Status
DEMO = Path(__file__).resolve().parent.parent / "articles" / "demo"


def group(original_status=S.REVIEW, **kwargs):
    """A French original in review with an English and a Japanese translation in review."""
    original = make_article("Occitanie et Kyoto", status=original_status, publish_at=None, **kwargs)
    english = make_article("Occitanie and Kyoto", status=S.REVIEW, language="en", translation_of=original)
    japanese = make_article("オクシタニーと京都", status=S.REVIEW, language="ja", translation_of=original,
                            slug="occitanie-et-kyoto-ja")
    return original, english, japanese


def fresh(*articles):
    return [Article.objects.get(pk=a.pk) for a in articles]


# --- The one rule ------------------------------------------------------------------------------


def test_a_translation_is_public_exactly_when_it_is_approved_and_its_original_is_public():
    now = timezone.now()
    times = [None, now - timedelta(hours=1), now + timedelta(hours=1)]
    original = make_article("Original")
    translated = make_article("Translation", language="en", translation_of=original)
    for o_status, o_time, t_status, t_time in itertools.product(S.values, times, S.values, times):
        Article.objects.filter(pk=original.pk).update(status=o_status, publish_at=o_time)
        Article.objects.filter(pk=translated.pk).update(status=t_status, publish_at=t_time)
        expected = t_status == S.PUBLISHED and o_status == S.PUBLISHED and o_time is not None and o_time <= now
        in_queryset = Article.objects.public().filter(pk=translated.pk).exists()
        assert in_queryset == expected, (o_status, o_time, t_status, t_time)
        assert Article.objects.get(pk=translated.pk).is_public() == in_queryset


def test_a_translation_is_in_another_language_than_its_original_and_one_per_language():
    original = make_article("Original")
    with pytest.raises(ValidationError):
        Article(title="Même langue", language="fr", translation_of=original).full_clean()
    english = make_article("Translation", language="en", translation_of=original)
    with pytest.raises(ValidationError):
        Article(title="Of a translation", language="ja", translation_of=english).full_clean()
    with pytest.raises(ValidationError):
        start_translation(original=original, language="en", user=make_editor("Rédaction"))


# --- Going live together -----------------------------------------------------------------------


def test_a_group_scheduled_two_minutes_ahead_appears_in_every_language_at_the_same_request(client, publisher, time_machine):
    time_machine.move_to(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False)
    original, english, japanese = group()
    workflow.publish(article=original, user=publisher, publish_at=timezone.now() + timedelta(minutes=2))
    urls = [a.get_absolute_url() for a in fresh(original, english, japanese)]
    assert urls[1].startswith("/en/") and urls[2].startswith("/ja/") and not urls[0].startswith(("/en/", "/ja/"))
    homes = ["/", "/en/", "/ja/"]
    time_machine.move_to(datetime(2026, 3, 2, 9, 1, 59, tzinfo=UTC), tick=False)
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    assert all("Kyoto" not in client.get(home).text and "京都" not in client.get(home).text for home in homes)
    time_machine.move_to(datetime(2026, 3, 2, 9, 2, tzinfo=UTC), tick=False)
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]
    assert "Occitanie et Kyoto" in client.get("/").text
    assert "Occitanie and Kyoto" in client.get("/en/").text
    assert "オクシタニーと京都" in client.get("/ja/").text
    assert all(a.publish_at == fresh(original)[0].publish_at for a in fresh(english, japanese))


def test_a_translation_still_in_draft_blocks_the_group_unless_the_publisher_leaves_it_out(publisher):
    original, english, japanese = group()
    Article.objects.filter(pk=japanese.pk).update(status=S.DRAFT)
    with translation.override("fr"), pytest.raises(ValidationError, match="traduction japonais « オクシタニーと京都 » n'est pas prête"):
        workflow.publish(article=original, user=publisher)
    assert [a.status for a in fresh(original, english, japanese)] == [S.REVIEW, S.REVIEW, S.DRAFT]  # nothing moved

    workflow.publish(article=original, user=publisher, leave_out=[japanese.pk])
    original, english, japanese = fresh(original, english, japanese)
    assert original.is_public() and english.is_public() and not japanese.is_public()
    assert japanese.status == S.DRAFT


def test_a_translation_finished_later_joins_its_live_group_and_never_goes_live_alone(publisher):
    original, english, japanese = group()
    with pytest.raises(ValidationError, match="publiez ou programmez l'original"):
        workflow.publish(article=english, user=publisher)
    workflow.publish(article=original, user=publisher, leave_out=[english.pk],
                     publish_at=timezone.now() + timedelta(hours=1))
    workflow.publish(article=english, user=publisher, publish_at=timezone.now() - timedelta(days=3))
    original, english = fresh(original, english)
    assert english.status == S.PUBLISHED and english.publish_at == original.publish_at  # the group's time, not its own
    assert not english.is_public()


def test_a_group_is_withdrawn_and_removed_as_one_whichever_member_is_named(client, publisher):
    original, english, japanese = group()
    workflow.publish(article=original, user=publisher)
    workflow.withdraw(article=english, user=publisher, reason="Reporté à la demande de la préfecture.")
    original, english, japanese = fresh(original, english, japanese)
    assert {a.status for a in (original, english, japanese)} == {S.WITHDRAWN}
    for article in (original, english, japanese):
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200 and "Reporté à la demande de la préfecture." in response.text
    workflow.remove(article=japanese, user=publisher)
    assert [client.get(a.get_absolute_url()).status_code for a in (original, english, japanese)] == [410, 410, 410]


def test_sending_the_original_back_to_review_takes_its_translations_off_the_schedule(publisher):
    original, english, japanese = group()
    workflow.publish(article=original, user=publisher, publish_at=timezone.now() + timedelta(hours=1))
    workflow.send_back_to_review(article=original, user=publisher)
    assert [a.status for a in fresh(original, english, japanese)] == [S.REVIEW, S.REVIEW, S.REVIEW]


def test_the_admin_form_withdrawing_an_original_withdraws_its_published_translations(publisher):
    original, english, japanese = group()
    workflow.publish(article=original, user=publisher)
    previous = Article.objects.get(pk=original.pk)
    edited = Article.objects.get(pk=original.pk)
    edited.status, edited.withdrawal_reason = S.WITHDRAWN, "Erreur de date."
    workflow.save_edit(article=edited, user=publisher, previous=previous)
    english, japanese = fresh(english, japanese)
    assert english.status == japanese.status == S.WITHDRAWN and english.withdrawal_reason == "Erreur de date."


# --- Addresses, switcher, hreflang, lang ---------------------------------------------------------


def test_each_page_links_its_translations_with_their_names_in_their_own_language(client, publisher):
    original, english, japanese = group()
    workflow.publish(article=original, user=publisher)
    original, english, japanese = fresh(original, english, japanese)
    html = client.get(english.get_absolute_url()).text
    assert '<html lang="en">' in html
    assert f'<a href="{original.get_absolute_url()}" hreflang="fr" lang="fr">Français</a>' in html
    assert f'<a href="{japanese.get_absolute_url()}" hreflang="ja" lang="ja">日本語</a>' in html
    assert '<span aria-current="page" lang="en">English</span>' in html
    for code, article in (("fr", original), ("en", english), ("ja", japanese)):
        assert f'<link rel="alternate" hreflang="{code}" href="{settings.SITE_URL}{article.get_absolute_url()}">' in html
    assert f'<link rel="alternate" hreflang="x-default" href="{settings.SITE_URL}{original.get_absolute_url()}">' in html
    # A translation left out of the group is linked from nowhere.
    Article.objects.filter(pk=japanese.pk).update(status=S.DRAFT)
    original.save()  # a change: cached answers are retired
    assert japanese.get_absolute_url() not in client.get(english.get_absolute_url()).text


def test_a_release_without_translations_shows_no_switcher_and_the_home_page_links_every_language(client):
    article = make_article("Seul en français")
    assert "language-switcher" not in client.get(article.get_absolute_url()).text
    home = client.get("/").text
    assert '<a href="/en/" hreflang="en" lang="en">English</a>' in home
    assert '<a href="/ja/" hreflang="ja" lang="ja">日本語</a>' in home


def test_each_language_lists_its_own_releases_and_the_browser_does_not_choose_the_french_site(client):
    make_article("Communiqué en français")
    make_article("Release in English", language="en")
    french = client.get("/", HTTP_ACCEPT_LANGUAGE="en").text
    assert '<html lang="fr">' in french and "Communiqué en français" in french and "Release in English" not in french
    english = client.get("/en/").text
    assert "Release in English" in english and "Communiqué en français" not in english


def test_dates_are_written_the_way_each_language_writes_them():
    moment = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    assert day_label(moment, "fr") == "1er mars 2026"
    assert day_label(moment, "en") == "1 March 2026"
    assert day_label(moment, "ja") == "2026年3月1日"


# --- Feeds and sitemap ---------------------------------------------------------------------------


def test_each_language_has_its_feeds_and_a_feed_reader_reads_their_language(client, publisher):
    original, english, japanese = group()
    workflow.publish(article=original, user=publisher)
    for prefix, language, title in (("", "fr", "Occitanie et Kyoto"), ("/en", "en", "Occitanie and Kyoto"),
                                    ("/ja", "ja", "オクシタニーと京都")):
        for kind in ("rss", "atom"):
            words = "flux" if language == "fr" else "feeds"  # the path words are translated
            feed = feedparser.parse(client.get(f"{prefix}/{words}/{kind}/").content)
            assert not feed.bozo, feed.bozo_exception
            assert feed.feed.language == language
            assert [entry.title for entry in feed.entries] == [title]


def test_the_sitemap_links_each_release_to_its_translations(client, publisher):
    original, english, japanese = group()
    workflow.publish(article=original, user=publisher, leave_out=[japanese.pk])
    Article.objects.filter(pk=japanese.pk).update(status=S.DRAFT)
    original, english = fresh(original, english)
    xml = client.get("/sitemap-articles.xml").text
    assert 'xmlns:xhtml="http://www.w3.org/1999/xhtml"' in xml
    assert f'<xhtml:link rel="alternate" hreflang="en" href="{settings.SITE_URL}{english.get_absolute_url()}"/>' in xml
    assert f'<xhtml:link rel="alternate" hreflang="x-default" href="{settings.SITE_URL}{original.get_absolute_url()}"/>' in xml
    assert "occitanie-et-kyoto-ja" not in xml  # left out: in no sitemap


# --- Starting a translation, importing one -------------------------------------------------------


def test_traduire_starts_a_draft_prefilled_with_the_original_sharing_its_photos_and_speakers():
    original = make_article("Occitanie et Kyoto", body="<p>Texte.</p>", tags=["Kyoto"])
    photo = make_photo(caption="Kyoto au soleil couchant")
    place(original, photo)
    speaker = make_speaker("Carole Delga")
    original.quotes.create(speaker=speaker, text="Une opportunité exceptionnelle.", position=0)
    draft = start_translation(original=original, language="ja", user=make_editor("Rédaction"))
    assert draft.status == S.DRAFT and draft.translation_of == original and draft.language == "ja"
    assert draft.title == original.title and draft.body == original.body
    assert draft.slug == f"{original.slug}-ja"
    assert [p.photo for p in draft.article_photos.all()] == [photo]  # shared, credit and all
    assert [(q.speaker, q.text) for q in draft.quotes.all()] == [(speaker, "Une opportunité exceptionnelle.")]
    assert list(draft.tags.names()) == ["Kyoto"]
    assert not draft.is_public()


def test_the_demo_imports_the_kyoto_release_in_french_english_and_japanese(client):
    for name in ("occitanie-kyoto.md", "occitanie-kyoto.en.md", "occitanie-kyoto.ja.md"):
        import_release(path=DEMO / name, stdout=io.StringIO())
    original = Article.objects.get(language="fr")
    members = {a.language: a for a in Article.objects.public()}
    assert set(members) == {"fr", "en", "ja"}
    assert members["en"].translation_of == original and members["ja"].translation_of == original
    assert list(members["ja"].photos.all()) == list(original.photos.all())
    assert members["en"].quotes.count() == original.quotes.count()  # the English quotes are found and attributed
    html = client.get(members["ja"].get_absolute_url()).text
    assert '<html lang="ja">' in html and "日本語" in html and "English" in html
    # Again: nothing new.
    for name in ("occitanie-kyoto.en.md", "occitanie-kyoto.ja.md"):
        assert import_release(path=DEMO / name, stdout=io.StringIO()).created is False
    assert Article.objects.count() == 3
    # One set of tags, each under its name in the page's language, at an address in ASCII.
    assert sorted(members["ja"].tags.names()) == sorted(original.tags.names())
    page = client.get("/ja/tags/kyoto/")
    assert page.status_code == 200 and "<h1>キーワード：京都</h1>" in page.text
    assert client.get("/en/tags/japan/").status_code == 200 and client.get("/en/tags/japon/").status_code == 301


def test_a_translation_of_an_unknown_release_is_refused_naming_the_line(tmp_path):
    path = tmp_path / "traduction.md"
    path.write_text("---\ntitle: A translation\nlanguage: en\ntranslation_of: nulle-part\n---\nText.\n", encoding="utf-8")
    with pytest.raises(ReleaseError, match="ligne 4 .*nulle-part.* introuvable"):
        import_release(path=path)
    assert not Article.objects.exists()


def test_the_make_run_import_command_line_imports_a_translation():
    call_command("import_release", str(DEMO / "occitanie-kyoto.md"), stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_release", str(DEMO / "occitanie-kyoto.en.md"), stdout=out)
    assert "/en/releases/occitanie-japan-business-agreements" in out.getvalue()
    with translation.override("fr"):
        assert Article.objects.get(language="en").is_public()


# --- The admin -----------------------------------------------------------------------------------


def test_a_writer_clicks_traduire_and_gets_a_draft_beside_its_original(writer_client):
    from tests.admin_posts import url

    original = make_article("Occitanie et Kyoto", standfirst="Chapô original.", status=S.REVIEW, publish_at=None)
    confirmation = writer_client.post(url(Article), {"action": "translate", "_selected_action": [original.pk]})
    assert "Langue de la traduction" in confirmation.text
    writer_client.post(url(Article), {"action": "translate", "_selected_action": [original.pk], "confirm": "yes",
                                      "language": "en"})
    draft = Article.objects.get(translation_of=original)
    assert draft.language == "en" and draft.status == S.DRAFT
    change = writer_client.get(url(Article, "change", draft.pk)).text
    assert "Chapô original." in change and "L&#x27;original, à côté" in change
    changelist = writer_client.get(url(Article)).text
    assert "EN : Brouillon" in changelist
    # Again: refused in words, nothing created.
    response = writer_client.post(url(Article), {"action": "translate", "_selected_action": [original.pk],
                                                 "confirm": "yes", "language": "en"}, follow=True)
    assert "a déjà une traduction dans cette langue" in response.text
    assert Article.objects.filter(translation_of=original).count() == 1


def test_the_publisher_publishes_a_group_leaving_a_draft_translation_out_explicitly(publisher_client):
    from tests.admin_posts import url

    original, english, japanese = group()
    Article.objects.filter(pk=japanese.pk).update(status=S.DRAFT)
    refused = publisher_client.post(url(Article), {"action": "publish_now", "_selected_action": [original.pk],
                                                   "confirm": "yes"}, follow=True)
    assert "n&#x27;est pas prête" in refused.text and not fresh(original)[0].is_public()
    publisher_client.post(url(Article), {"action": "publish_now", "_selected_action": [original.pk],
                                         "confirm": "yes", "leave_out_drafts": "on"})
    original, english, japanese = fresh(original, english, japanese)
    assert original.is_public() and english.is_public() and japanese.status == S.DRAFT


# --- Search per language -------------------------------------------------------------------------


@pytest.fixture
def kyoto_in_three_languages():
    for name in ("occitanie-kyoto.md", "occitanie-kyoto.en.md", "occitanie-kyoto.ja.md"):
        import_release(path=DEMO / name, stdout=io.StringIO())
    return {a.language: a for a in Article.objects.all()}


def found(client, prefix, query):
    response = client.get(f"{prefix}/search/" if prefix else "/recherche/", {"q": query})
    assert response.status_code == 200
    return [a.language for a in response.context["articles"]]


def test_each_language_searches_its_own_releases_in_its_own_words(client, kyoto_in_three_languages):
    assert found(client, "", "coopérations") == ["fr"]
    assert found(client, "/en", "agreements signed") == ["en"]  # English plural and words of the English text
    assert found(client, "/en", "déplacement") == []  # a word of the French text only
    # Japanese is written without spaces: words are found inside sentences.
    for word in ("協力", "京都府", "パナソニック", "モンペリエ", "オリンピック", "経済"):
        assert found(client, "/ja", word) == ["ja"], word
    assert found(client, "/ja", "ハナソニック") == []  # a voicing mark is a letter, not an accent
    assert found(client, "/ja", "京都 協定") == ["ja"]  # every term must occur
    assert found(client, "/ja", "京都 ワイン") == []


# --- The interface and the press kit in the release's language -----------------------------------


def test_the_japanese_site_speaks_japanese_and_writes_japanese_dates(client, kyoto_in_three_languages):
    html = client.get("/ja/").text
    assert '<html lang="ja">' in html
    assert '<label for="site-search-q">プレスリリースを検索</label>' in html and "本文へ移動" in html
    assert "2019年10月30日" in html
    english = client.get("/en/").text
    assert "Search for a press release" in english or "Search" in english
    assert "30 October 2019" in english


def test_the_press_kit_of_a_translation_is_written_in_its_language(client, kyoto_in_three_languages):
    import zipfile

    japanese = kyoto_in_three_languages["ja"]
    response = client.get(f"/ja/releases/{japanese.slug}/press-kit.zip")
    assert response.status_code == 200
    kit = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    text = kit.read("COMMUNIQUE.txt").decode()
    assert text.startswith(japanese.title) and "京都, 2019年10月30日" in text
    assert "報道関係のお問い合わせ" in text and "Contacts presse" not in text
    assert "キャプションとクレジット" in kit.read("LEGENDES.txt").decode()
    english = kyoto_in_three_languages["en"]
    response = client.get(f"/en/releases/{english.slug}/press-kit.zip")
    text = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).read("COMMUNIQUE.txt").decode()
    assert "Kyoto, 30 October 2019" in text and "“" in text and "Press contacts" in text


def test_an_embargo_link_to_a_translation_shows_its_banner_in_the_translation_s_language(client, publisher):
    from articles.publishing import embargo

    original, english, japanese = group()
    workflow.publish(article=original, user=publisher, publish_at=timezone.now() + timedelta(days=1))
    japanese = fresh(japanese)[0]
    link = embargo.create_link(article=japanese, user=publisher, recipient_name="Yuki Tanaka",
                               expires_at=timezone.now() + timedelta(days=2))
    assert embargo.link_path(link).startswith(f"/ja/releases/{japanese.slug}/embargo/")
    html = client.get(embargo.link_path(link), HTTP_ACCEPT_LANGUAGE="en").text
    assert '<html lang="ja">' in html
    assert "報道解禁前" in html and '<aside class="banner banner-embargo" role="note" lang="ja">' in html


def test_an_english_page_relates_english_releases_and_the_english_search_offers_english_tags(client):
    first = make_article("Release A", language="en", tags=["Kyoto"])
    make_article("Release B", language="en", tags=["Kyoto"])
    make_article("Communiqué français", tags=["Kyoto", "Toulouse"])
    html = client.get(first.get_absolute_url()).text
    assert "Release B" in html and "Communiqué français" not in html
    assert "Toulouse" not in client.get("/en/search/").text
    assert "Toulouse" in client.get("/recherche/").text


def test_the_api_gives_each_release_its_public_translations_and_never_one_left_in_draft(client, publisher):
    original, english, japanese = group()
    japanese.status = S.DRAFT
    japanese.save()
    workflow.publish(article=original, user=publisher, leave_out=[japanese.pk])  # the Japanese draft is left out
    listed = {item["id"]: item for item in client.get("/api/v1/releases").json()["items"]}
    assert japanese.pk not in listed
    assert [t["language"] for t in listed[original.pk]["translations"]] == ["en"]
    assert [t["id"] for t in listed[english.pk]["translations"]] == [original.pk]
    [to_french] = client.get(f"/api/v1/releases/{english.pk}").json()["translations"]
    assert to_french["language"] == "fr" and to_french["url"].endswith(original.get_absolute_url())
    assert to_french["api_url"].endswith(f"/api/v1/releases/{original.pk}")
    from_french = client.get(f"/api/v1/releases/{original.pk}").json()["translations"]
    assert [t["id"] for t in from_french] == [english.pk]  # never the draft


def test_a_withdrawn_translation_says_so_in_its_own_language_with_its_title_and_dates(client, publisher, time_machine):
    time_machine.move_to(datetime(2026, 3, 3, 9, 0, tzinfo=UTC), tick=False)
    original, english, japanese = group()
    workflow.publish(article=original, user=publisher)
    time_machine.move_to(datetime(2026, 3, 4, 11, 0, tzinfo=UTC), tick=False)
    workflow.withdraw(article=original, user=publisher, reason="Reporté.")
    original, english, japanese = fresh(original, english, japanese)
    expected = {
        english: ["Occitanie and Kyoto", "Published on 3 March 2026", "This press release was withdrawn on 4 March 2026.",
                  "Reason:"],
        japanese: ["オクシタニーと京都", "に公開", "取り下げられました", "理由："],
        original: ["Occitanie et Kyoto", "Publié le 3 mars 2026", "Ce communiqué a été retiré le 4 mars 2026."],
    }
    for article, texts in expected.items():
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        for text in texts:
            assert text in response.text, (article.language, text)
