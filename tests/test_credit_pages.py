"""Credits the public sees: the credit page, the credit under every photo, and rights at publication."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Credit
from tests.factories import make_article, make_credit, make_photo, place

pytestmark = pytest.mark.django_db

S = Article.Status


def credit_url(credit):
    return reverse("articles:credit-detail", args=[credit.slug])


@pytest.fixture
def datiche():
    """Nicolas Datiche's photos: one public (also in a draft), one in a draft only, one embargoed."""
    credit = make_credit("Nicolas Datiche", organisation="Région Occitanie", url="https://datiche.example")
    public = make_photo(credit=credit, caption="Signature à Kyoto")
    draft_only = make_photo(credit=credit, caption="Photo du brouillon")
    embargoed = make_photo(credit=credit, caption="Photo sous embargo")
    place(make_article("Occitanie à Kyoto"), public)
    place(make_article("Le brouillon secret", status=S.DRAFT), public, draft_only)
    place(make_article("L'annonce de demain", publish_at=timezone.now() + timedelta(days=1)), embargoed)
    return credit


def test_the_credit_page_lists_the_public_photos_with_their_public_releases(client, datiche):
    response = client.get(credit_url(datiche))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Photos de Nicolas Datiche</h1>" in html
    assert "<title>Photos de Nicolas Datiche — " in html
    assert "Région Occitanie" in html and 'href="https://datiche.example"' in html
    assert "Signature à Kyoto" in html
    article = Article.objects.get(title="Occitanie à Kyoto")
    assert f'href="{article.get_absolute_url()}"' in html
    # Nothing from the draft or the embargoed release: neither their photos nor their titles.
    for hidden in ("Photo du brouillon", "Le brouillon secret", "Photo sous embargo", "L&#x27;annonce de demain"):
        assert hidden not in html, hidden


def test_each_photo_on_the_credit_page_carries_its_credit_and_a_download(client, datiche):
    html = client.get(credit_url(datiche)).content.decode()
    assert html.count("Crédit photo : Nicolas Datiche / Région Occitanie") == 1
    photo = datiche.photos.get(caption="Signature à Kyoto")
    assert reverse("articles:photo-download", args=[photo.pk]) in html


def test_a_photo_in_two_public_releases_is_listed_once_with_both(client):
    credit = make_credit("Agence Sud Images")
    photo = make_photo(credit=credit, caption="Le Capitole")
    place(make_article("Premier communiqué"), photo)
    place(make_article("Second communiqué"), photo)
    html = client.get(credit_url(credit)).content.decode()
    assert html.count("Le Capitole") == 1
    assert "Premier communiqué" in html and "Second communiqué" in html


def test_a_credit_without_public_photos_or_an_unknown_one_is_404(client):
    credit = make_credit("Photographe discret")
    place(make_article(status=S.DRAFT), make_photo(credit=credit))
    assert client.get(credit_url(credit)).status_code == 404
    assert client.get("/credits/personne/").status_code == 404


def test_the_credit_page_appears_when_the_embargo_lifts(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    credit = make_credit("Nicolas Datiche")
    place(make_article(publish_at=timezone.now() + timedelta(minutes=10)), make_photo(credit=credit))
    assert client.get(credit_url(credit)).status_code == 404
    time_machine.shift(timedelta(minutes=10))
    assert client.get(credit_url(credit)).status_code == 200


def test_the_credit_page_is_paginated(client):
    credit = make_credit("Nicolas Datiche")
    article = make_article()
    place(article, *[make_photo(credit=credit, caption=f"Vue n°{i}") for i in range(13)])
    first = client.get(credit_url(credit))
    assert first.context["paginator"].count == 13
    assert len(first.context["photos"]) == 12
    second = client.get(credit_url(credit) + "?page=2")
    assert second.status_code == 200
    assert "Photos de Nicolas Datiche, page 2 sur 2" in second.content.decode()
    assert client.get(credit_url(credit) + "?page=3").status_code == 404


def test_the_credit_is_visible_and_links_to_its_page_wherever_the_public_sees_the_photo(client):
    credit = make_credit("Nicolas Datiche")
    article = place(make_article(tags=["Kyoto"]), make_photo(credit=credit, caption="Signature"))
    link = f'<a href="{credit_url(credit)}">Crédit photo : Nicolas Datiche</a>'
    for page in ("/", article.get_absolute_url(), "/mots-cles/kyoto/", credit_url(credit)):
        response = client.get(page)
        assert response.status_code == 200, page
        assert link in response.content.decode(), page


# Rights at publication: Article.publication_problems(), which publishing refuses on.


def test_a_photo_whose_rights_have_expired_blocks_publication():
    article = place(make_article(status=S.DRAFT), make_photo(caption="Vieille photo", rights_expire_on=date(2020, 1, 31)))
    assert article.publication_problems() == ["Les droits de la photo « Vieille photo » ont expiré le 31/01/2020."]


def test_rights_expiring_today_or_later_or_never_do_not_block_publication():
    today = timezone.localdate()
    article = place(
        make_article(status=S.DRAFT),
        make_photo(rights_expire_on=today),
        make_photo(rights_expire_on=today + timedelta(days=30)),
        make_photo(rights_expire_on=None),
    )
    assert article.publication_problems() == []


def test_rights_are_judged_on_the_publication_day_given():
    article = place(make_article(status=S.DRAFT), make_photo(caption="Photo", rights_expire_on=date(2030, 6, 30)))
    assert article.publication_problems(on=date(2030, 6, 30)) == []
    assert article.publication_problems(on=date(2030, 7, 1)) == ["Les droits de la photo « Photo » ont expiré le 30/06/2030."]


def test_a_photo_whose_credit_has_a_blank_name_blocks_publication():
    photo = make_photo(caption="Sans auteur")
    Credit.objects.filter(pk=photo.credit_id).update(name="  ")
    article = place(make_article(status=S.DRAFT), photo)
    assert article.publication_problems() == ["La photo « Sans auteur » n'a pas de crédit."]
