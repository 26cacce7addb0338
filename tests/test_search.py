"""Search: what a journalist types finds what was published, and nothing else."""

import pytest
from django.db import connection

from articles.discovery.search import fold, highlight, refresh_search_document, search
from articles.models import Article, Quote
from tests.factories import make_article, make_speaker

pytestmark = pytest.mark.django_db


def indexed(**kwargs):
    article = make_article(**kwargs)
    refresh_search_document(article)
    return article


def found(query):
    return list(search(Article.objects.public(), query))


def test_fold_removes_accents_and_case():
    assert fold("Économie à KYOTO, l’été") == "economie a kyoto, l'ete"


def test_accents_and_case_do_not_matter():
    article = indexed(title="Économie à Kyoto")
    assert found("economie") == [article]
    assert found("KYOTO") == [article]
    assert found("ÉCONOMIE kyoto") == [article]


def test_quotes_speakers_and_tags_are_searched():
    article = indexed(title="Accord", tags=["Panasonic"])
    Quote.objects.create(article=article, speaker=make_speaker("Carole Delga", "présidente de Région"), text="Une opportunité exceptionnelle")
    refresh_search_document(article)
    assert found("Delga") == [article]
    assert found("opportunite") == [article]
    assert found("panasonic") == [article]


def test_plural_finds_singular():
    article = indexed(title="Une coopération renforcée")
    assert found("coopérations") == [article]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="French stemming is a PostgreSQL feature")
def test_french_stemming_on_postgresql():
    article = indexed(title="Les entreprises investissent", body="<p>Nous avons consolidé nos coopérations.</p>")
    assert found("entreprise") == [article]
    assert found("consolider") == [article]


def test_an_unpublished_or_embargoed_article_is_never_found():
    from datetime import timedelta

    from django.utils import timezone

    indexed(title="Kyocera brouillon", status=Article.Status.DRAFT)
    indexed(title="Kyocera embargo", publish_at=timezone.now() + timedelta(hours=1))
    assert found("kyocera") == []


def test_highlight_marks_terms_in_an_escaped_excerpt():
    excerpt = highlight("<p>La Région & l’Économie <b>japonaise</b></p>", "economie")
    assert "<mark>Économie</mark>" in excerpt
    assert "&amp;" in excerpt and "<b>" not in excerpt


def test_an_excerpt_never_starts_or_ends_mid_word():
    filler = "Les entreprises régionales exportent toujours davantage vers le Japon. " * 4
    text = filler + "La Région ouvre une maison de l’Occitanie à Kyoto. " + filler
    excerpt = highlight(text, "maison", width=80)
    assert excerpt.startswith("… ") and excerpt.endswith(" …")
    words = excerpt.removeprefix("… ").removesuffix(" …").replace("<mark>", "").replace("</mark>", "").split()
    assert all(word in text.split() for word in words)


def test_a_short_text_is_highlighted_whole():
    title = "Une maison de la Région Occitanie ouvre à Kyoto"
    assert highlight(title, "kyoto", width=len(title)) == "Une maison de la Région Occitanie ouvre à <mark>Kyoto</mark>"


def test_only_the_newest_matches_are_counted_and_ranked(monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    import articles.discovery.search

    monkeypatch.setattr(articles.discovery.search, "RANK_WINDOW", 2)
    now = timezone.now()
    old, middle, new = (indexed(title=f"Kyoto {n}", publish_at=now - timedelta(days=n)) for n in (3, 2, 1))
    assert set(found("kyoto")) == {middle, new}


def test_many_search_documents_are_refreshed_in_a_few_queries(django_assert_max_num_queries):
    from articles.discovery.search import refresh_search_documents

    speaker = make_speaker("Carole Delga", "présidente")
    articles = [indexed(title=f"Accord {n}") for n in range(12)]
    for article in articles:
        Quote.objects.create(article=article, speaker=speaker, text="Une coopération fructueuse")
    speaker.name = "Carole Delga-Moreau"
    speaker.save()
    with django_assert_max_num_queries(8):
        assert refresh_search_documents(Article.objects.filter(quotes__speaker=speaker), chunk=50) == 12
    assert len(found("Moreau")) == 12
