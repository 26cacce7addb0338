"""Slugs: readable, ASCII, unique, derived from the title when left blank."""

import pytest

from articles.models import Article, Credit, Speaker
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_a_blank_slug_is_the_title_folded_to_ascii():
    assert make_article("Économie à Kyoto").slug == "economie-a-kyoto"


def test_typographic_apostrophes_and_fractions_do_not_survive_in_a_slug():
    assert make_article("L’Occitanie réalise ¾ de son chiffre d’affaires").slug == "loccitanie-realise-34-de-son-chiffre-daffaires"


def test_the_same_title_twice_gets_a_numbered_slug():
    first, second, third = (make_article("Kyoto") for _ in range(3))
    assert (first.slug, second.slug, third.slug) == ("kyoto", "kyoto-2", "kyoto-3")


def test_a_title_with_nothing_sluggable_still_gets_an_address():
    assert make_article("« … »").slug == "communique"


def test_a_slug_given_by_the_editor_is_kept():
    assert make_article("Économie", slug="eco-2026").slug == "eco-2026"


def test_saving_again_does_not_change_the_slug():
    article = make_article("Kyoto")
    article.title = "Kyoto, coopération renforcée"
    article.save()
    assert Article.objects.get(pk=article.pk).slug == "kyoto"


def test_speakers_and_credits_get_slugs_from_their_names():
    assert Speaker.objects.create(name="Carole Delga").slug == "carole-delga"
    assert Credit.objects.create(name="Nicolas Datiche").slug == "nicolas-datiche"


def test_tags_are_case_insensitive_with_french_aware_ascii_slugs():
    first = make_article(tags=["Économie"])
    second = make_article(tags=["économie"])
    assert first.tags.get().pk == second.tags.get().pk
    assert first.tags.get().slug == "economie"


def test_a_capital_without_its_accent_reuses_the_accented_tag():
    first = make_article(tags=["Économie"])
    second = make_article(tags=["Economie", "Kyoto"])
    assert set(second.tags.values_list("pk", flat=True)) >= {first.tags.get().pk}
    assert sorted(t.name for t in second.tags.all()) == ["Kyoto", "Économie"]
