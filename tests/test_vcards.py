"""A journalist adds a release's press contacts to their address book: one vCard per contact,
or all of them in one file, from the release page — only once the release is public
(and before, through an embargo link or the staff preview). Files are read back with vobject,
as an address book would, and checked line by line against RFC 2426 / 6350."""

import re
from datetime import timedelta

import pytest
import vobject
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, PressContact
from articles.publishing import embargo
from tests.factories import make_article, make_editor

pytestmark = pytest.mark.django_db

S = Article.Status


def contact(name="Marie Dupont", **fields) -> PressContact:
    fields.setdefault("role", "Attachée de presse")
    fields.setdefault("email", "marie.dupont@laregion.fr")
    fields.setdefault("phone", "+33 4 67 22 80 00")
    return PressContact.objects.create(name=name, **fields)


def release_with(*contacts, **kwargs) -> Article:
    article = make_article(kwargs.pop("title", "Vœux 2026 de la présidente"), **kwargs)
    article.press_contacts.add(*contacts)
    return article


def one_url(article, person):
    return reverse("articles:contact-vcard", args=[article.slug, person.pk])


def all_url(article):
    return reverse("articles:release-vcards", args=[article.slug])


def cards_of(response) -> list:
    return list(vobject.readComponents(response.content.decode("utf-8")))


def assert_well_formed(raw: bytes):
    """CRLF line ends, lines of at most 75 octets, each line valid UTF-8 on its own (a fold never
    splits a character), continuation lines start with a space."""
    assert raw.endswith(b"\r\n")
    lines = raw.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    for line in lines:
        assert len(line) <= 75, line
        line.decode("utf-8")  # raises if a fold cut a character
    assert lines[0] == b"BEGIN:VCARD" and lines[1] == b"VERSION:3.0"


def test_the_release_page_offers_each_contact_and_all_of_them_as_vcards(client):
    marie, paul = contact(), contact("Paul Martin", email="paul.martin@laregion.fr", phone="")
    article = release_with(marie, paul)
    page = client.get(article.get_absolute_url()).text
    assert f'href="{one_url(article, marie)}"' in page and f'href="{one_url(article, paul)}"' in page
    assert f'href="{all_url(article)}"' in page
    assert "Ajouter Marie Dupont au carnet d'adresses" in page


def test_one_contact_downloads_as_a_utf8_vcard_named_after_them(client):
    marie = contact("Marie-Hélène Lœb", role="Responsable presse, Région Occitanie; cabinet")
    article = release_with(marie)
    response = client.get(one_url(article, marie))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="marie-helene-loeb.vcf"'
    assert_well_formed(response.content)
    [card] = cards_of(response)
    assert card.fn.value == "Marie-Hélène Lœb"
    assert (card.n.value.given, card.n.value.family) == ("Marie-Hélène", "Lœb")
    assert card.title.value == "Responsable presse, Région Occitanie; cabinet"  # "," and ";" escaped, read back whole
    assert b"TITLE:Responsable presse\\, R\xc3\xa9gion Occitanie\\; cabinet\r\n" in response.content
    assert card.email.value == "marie.dupont@laregion.fr" and "WORK" in card.email.type_paramlist
    assert card.tel.value == "+33 4 67 22 80 00"
    assert card.note.value == "Contact presse — Vœux 2026 de la présidente"
    assert card.url.value.endswith(article.get_absolute_url())


def test_all_contacts_of_a_release_come_in_one_file(client):
    people = [contact(f"Contact {i}", email=f"c{i}@laregion.fr") for i in range(3)]
    article = release_with(*people)
    response = client.get(all_url(article))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="contacts-presse-voeux-2026-de-la-presidente.vcf"'
    assert [card.fn.value for card in cards_of(response)] == ["Contact 0", "Contact 1", "Contact 2"]
    assert response.content.count(b"BEGIN:VCARD\r\n") == 3


def test_long_and_japanese_values_are_folded_without_splitting_a_character(client):
    role = "報道担当・オクシタニー地域圏京都事務所" * 6 + " — Direction de la communication"
    person = contact("山田 太郎", role=role)
    article = release_with(person, title="京都との協力協定", language="ja")
    response = client.get(one_url(article, person))
    assert_well_formed(response.content)
    [card] = cards_of(response)
    assert card.title.value == role
    assert card.fn.value == "山田 太郎"
    assert card.note.value == "報道関係のお問い合わせ — 京都との協力協定"
    assert response["Content-Disposition"] == 'attachment; filename="contact-presse.vcf"'  # no ASCII spelling


def test_hostile_values_cannot_add_a_property_or_break_the_card(client):
    person = contact("Eve\r\nEMAIL:pirate@example.org\nEND:VCARD", role="a\\b;c,d\x1b\x7f", phone="+33\r\nNOTE:x")
    article = release_with(person)
    response = client.get(one_url(article, person))
    assert_well_formed(response.content)
    [card] = cards_of(response)
    assert [line for line in response.content.split(b"\r\n") if line.startswith(b"EMAIL")] == [
        b"EMAIL;TYPE=INTERNET,WORK:marie.dupont@laregion.fr"
    ]
    assert card.fn.value == "Eve EMAIL:pirate@example.org END:VCARD"
    assert card.title.value == "a\\b;c,d"
    assert len(re.findall(rb"^END:VCARD", response.content, re.M)) == 1


def test_a_contact_keeps_the_same_uid_on_every_release(client):
    marie = contact()
    first, second = release_with(marie), release_with(marie, title="Budget 2026")
    uids = {cards_of(client.get(one_url(a, marie)))[0].uid.value for a in (first, second)}
    assert len(uids) == 1 and next(iter(uids)).startswith("urn:uuid:")


@pytest.mark.parametrize(
    "status, offset",
    [(S.DRAFT, None), (S.REVIEW, None), (S.PUBLISHED, timedelta(hours=2)), (S.WITHDRAWN, -timedelta(days=1))],
    ids=["draft", "review", "embargoed", "withdrawn"],
)
def test_no_vcard_comes_from_a_release_the_public_cannot_see(client, status, offset):
    marie = contact()
    article = release_with(marie, status=status, publish_at=timezone.now() + offset if offset else None)
    assert client.get(one_url(article, marie)).status_code == 404
    assert client.get(all_url(article)).status_code == 404


def test_a_contact_only_through_a_release_that_names_it(client):
    marie, secret = contact(), contact("Contact secret")
    article = release_with(marie)
    release_with(secret, status=S.DRAFT)
    assert client.get(one_url(article, secret)).status_code == 404
    assert client.get(reverse("articles:contact-vcard", args=[article.slug, 2**31 - 1])).status_code == 404


def test_a_release_without_contacts_gives_no_file_and_no_link(client):
    article = make_article("Sans contact")
    assert client.get(all_url(article)).status_code == 404
    assert ".vcf" not in client.get(article.get_absolute_url()).text


def test_the_vcard_appears_at_the_minute_of_publication(client, time_machine):
    marie = contact()
    article = release_with(marie, publish_at=timezone.now() + timedelta(hours=1))
    assert client.get(all_url(article)).status_code == 404
    time_machine.move_to(article.publish_at + timedelta(seconds=1), tick=False)
    assert client.get(all_url(article)).status_code == 200


def test_an_embargo_page_offers_the_vcards_through_its_link(client):
    marie = contact()
    article = release_with(marie, publish_at=timezone.now() + timedelta(days=1))
    link = embargo.create_link(article=article, user=make_editor("Publication"), recipient_name="Claire Martin",
                               expires_at=timezone.now() + timedelta(days=2))
    token = embargo.make_token(link)
    one = reverse("articles:embargo-contact-vcard", args=[article.slug, token, marie.pk])
    every = reverse("articles:embargo-vcards", args=[article.slug, token])
    page = client.get(embargo.link_path(link)).text
    assert f'href="{one}"' in page and f'href="{every}"' in page
    assert one_url(article, marie) not in page  # the public address is a 404 until publication
    response = client.get(one)
    assert response.status_code == 200 and cards_of(response)[0].fn.value == "Marie Dupont"
    assert response["Cache-Control"] == "no-store, private"
    assert client.get(every).status_code == 200
    embargo.revoke(link=link, user=make_editor("Publication", username="autre-publieur"))
    assert client.get(one).status_code == 404 and client.get(every).status_code == 404


def test_the_staff_preview_offers_the_vcards_of_a_draft_and_a_visitor_cannot_use_them(client):
    marie = contact()
    article = release_with(marie, status=S.DRAFT)
    one = reverse("articles:preview-contact-vcard", args=[article.pk, marie.pk])
    every = reverse("articles:preview-vcards", args=[article.pk])
    assert client.get(one).status_code == 302 and client.get(every).status_code == 302  # to the login page
    client.force_login(make_editor("Rédaction"))
    page = client.get(reverse("articles:article-preview", args=[article.pk])).text
    assert f'href="{one}"' in page and f'href="{every}"' in page
    response = client.get(one)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store, private"
    assert cards_of(client.get(every))[0].fn.value == "Marie Dupont"


def test_a_kept_vcard_follows_an_edited_contact_and_a_withdrawn_release(client):
    from articles.publishing import workflow

    marie = contact()
    article = release_with(marie)
    for _ in range(2):  # the second answer may come from the page cache
        assert cards_of(client.get(one_url(article, marie)))[0].email.value == "marie.dupont@laregion.fr"
    marie.email = "presse@laregion.fr"
    marie.save()
    assert cards_of(client.get(one_url(article, marie)))[0].email.value == "presse@laregion.fr"
    assert cards_of(client.get(all_url(article)))[0].email.value == "presse@laregion.fr"
    workflow.withdraw(article=article, user=make_editor("Publication"), reason="Erreur de date.")
    assert client.get(one_url(article, marie)).status_code == 404
    assert client.get(all_url(article)).status_code == 404
