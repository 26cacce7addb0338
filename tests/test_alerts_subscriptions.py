"""A visitor subscribes at /abonnement/, confirms by a signed link, receives alerts, leaves in one click.

Jobs run at once here and mail goes to Django's test outbox; the real SMTP server and
real workers: tests/test_alerts_delivery.py.
"""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from articles.alerts import subscriptions, tokens
from articles.alerts.models import Delivery, Subscriber
from articles.models import Article
from articles.publishing import workflow
from tests.alerts_helpers import link_to
from tests.factories import make_article

pytestmark = pytest.mark.django_db
SUBSCRIBE = "/abonnement/"


def subscribe(client, email="journaliste@example.org", **data):
    form = {"email": email, "what": "tous", "frequency": "immediate", "consent": "on", **data}
    return client.post(SUBSCRIBE, form, REMOTE_ADDR="203.0.113.7")


def confirm_from_mail(client, message):
    path = link_to(message.body, "/abonnement/confirmer/")
    assert client.get(path).status_code == 200
    return client.post(path)


def test_the_footer_and_the_tag_page_lead_to_the_form_with_the_tag_chosen(client):
    make_article(tags=["Économie"])
    home = client.get("/")
    assert 'href="/abonnement/"' in home.content.decode().replace('&#x27;', "'")
    tag_page = client.get("/mots-cles/economie/").content.decode().replace('&#x27;', "'")
    assert "Recevoir les communiqués « Économie » par e-mail" in tag_page
    form = client.get("/abonnement/?mot-cle=economie").content.decode().replace('&#x27;', "'")
    assert 'value="economie"' in form and 'value="economie" id="id_tags_0" checked' in form.replace("\n", "")


def test_the_form_offers_no_tag_known_only_from_an_embargoed_release(client):
    make_article(tags=["Public"])
    make_article(tags=["Fusion secrète"], publish_at=timezone.now() + timedelta(days=1))
    page = client.get(SUBSCRIBE).content.decode().replace('&#x27;', "'")
    assert "Public" in page and "Fusion" not in page
    response = subscribe(client, what="choix", tags=["fusion-secrete"])
    assert response.status_code == 400 and "Ce mot-clé n'existe pas" in response.content.decode().replace('&#x27;', "'")


def test_subscribing_sends_one_confirmation_and_nothing_else_before_it_is_followed(client, publisher):
    response = subscribe(client)
    assert response.status_code == 302 and response["Location"] == "/abonnement/envoye/"
    subscriber = Subscriber.objects.get()
    assert subscriber.confirmed_at is None
    assert subscriber.consent_ip == "203.0.113.7" and subscriber.consent_version and subscriber.consent_at
    assert len(mail.outbox) == 1 and "/abonnement/confirmer/" in mail.outbox[0].body

    workflow.publish(article=make_article(status=Article.Status.REVIEW), user=publisher)
    assert len(mail.outbox) == 1  # not confirmed: no alert
    assert Delivery.objects.count() == 0


def test_confirming_then_a_release_going_live_sends_exactly_one_alert(client, publisher):
    subscribe(client)
    assert "Confirmer mon abonnement" in client.get(link_to(mail.outbox[0].body, "/confirmer/")).content.decode().replace('&#x27;', "'")
    Subscriber.objects.get(confirmed_at=None)  # a GET (a mail scanner) confirms nothing
    assert confirm_from_mail(client, mail.outbox[0]).status_code == 200
    subscriber = Subscriber.objects.get()
    assert subscriber.confirmed_at is not None and subscriber.confirmed_ip == "127.0.0.1"

    release = workflow.publish(article=make_article("Plan vélo", status=Article.Status.REVIEW, contacts=1),
                               user=publisher)
    workflow.publish(article=release, user=publisher)  # a correction: sends nothing by default

    alerts = mail.outbox[1:]
    assert len(alerts) == 1
    alert = alerts[0]
    assert alert.subject == "Plan vélo" and alert.to == ["journaliste@example.org"]
    html = alert.alternatives[0][0]
    assert "Plan vélo" in html and release.standfirst in alert.body and "Contact 0" in alert.body
    assert alert.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_matching_by_tag_speaker_and_language(client, publisher):
    from tests.factories import make_speaker

    speaker = make_speaker("Carole Delga")
    make_article(tags=["Économie", "Sport"])
    from articles.models import Quote

    Quote.objects.create(article=make_article(), speaker=speaker, text="Bonjour")
    subs = {}
    for name, data in {
        "eco": {"what": "choix", "tags": ["economie"]},
        "sport-en": {"what": "choix", "tags": ["sport"], "language": "en"},
        "delga": {"what": "choix", "speakers": [speaker.slug]},
        "tout": {},
    }.items():
        assert subscribe(client, f"{name}@example.org", **data).status_code == 302
        subs[name] = Subscriber.objects.get(email=f"{name}@example.org")
        subscriptions.confirm(subscriber=subs[name], ip=None)
    mail.outbox.clear()

    eco = workflow.publish(article=make_article("Éco", status=Article.Status.REVIEW, tags=["Économie"]), user=publisher)
    sport_fr = workflow.publish(article=make_article("Sport", status=Article.Status.REVIEW, tags=["Sport"]), user=publisher)
    quoted = make_article("Citation", status=Article.Status.REVIEW)
    Quote.objects.create(article=quoted, speaker=speaker, text="Vive le vélo")
    workflow.publish(article=quoted, user=publisher)

    received = sorted((m.to[0].split("@")[0], m.subject) for m in mail.outbox)
    assert received == sorted([("eco", "Éco"), ("tout", "Éco"), ("tout", "Sport"), ("delga", "Citation"),
                               ("tout", "Citation")])
    assert eco and sport_fr


def test_one_click_unsubscribe_as_rfc_8058_posts_it(client, publisher):
    subscribe(client)
    confirm_from_mail(client, mail.outbox[0])
    workflow.publish(article=make_article(status=Article.Status.REVIEW), user=publisher)
    alert = mail.outbox[-1]
    target = alert.extra_headers["List-Unsubscribe"].strip("<>")
    from django.test import Client

    # A mail client posts with no cookie and no CSRF token (RFC 8058, section 3.1).
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(target.replace("http://127.0.0.1:8000", ""), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "Vous êtes désinscrit" in response.content.decode().replace('&#x27;', "'")
    assert Subscriber.objects.get().unsubscribed_at is not None
    assert link_to(alert.body, "/desinscription/") == target.replace("http://127.0.0.1:8000", "")  # visible too

    workflow.publish(article=make_article(status=Article.Status.REVIEW), user=publisher)
    assert mail.outbox[-1] is alert  # nothing more


def test_a_get_on_the_unsubscribe_link_asks_before_unsubscribing(client):
    subscribe(client)
    subscriber = Subscriber.objects.get()
    path = reverse("articles:subscription-unsubscribe", args=[tokens.manage_token(subscriber)])
    assert "Me désinscrire" in client.get(path).content.decode().replace('&#x27;', "'")
    assert Subscriber.objects.get().unsubscribed_at is None


def test_at_most_one_confirmation_per_address_per_hour(client):
    for _ in range(3):
        assert subscribe(client).status_code == 302
    assert len(mail.outbox) == 1
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        subscribe(client)
    assert len(mail.outbox) == 2


def test_one_origin_is_limited_on_the_form(client, settings):
    settings.SUBSCRIPTION_ORIGIN_LIMIT = 3
    for i in range(3):
        assert subscribe(client, f"a{i}@example.org").status_code == 302
    response = subscribe(client, "a9@example.org")
    assert response.status_code == 429 and "Trop de demandes" in response.content.decode().replace('&#x27;', "'")
    assert Subscriber.objects.count() == 3


def test_an_address_already_confirmed_is_not_changed_by_a_stranger(client):
    subscribe(client)
    subscriber = Subscriber.objects.get()
    subscriptions.confirm(subscriber=subscriber, ip=None)
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        subscribe(client, what="choix", tags=["nothing"])  # invalid: refused
        make_article(tags=["Sport"])
        assert subscribe(client, what="choix", tags=["sport"]).status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.all_releases and not subscriber.tags.exists()
    assert "déjà abonnée" in mail.outbox[-1].body and "/abonnement/gerer/" in mail.outbox[-1].body


@pytest.mark.parametrize("email", [
    "pas-une-adresse", "a@example.org\r\nBcc: victime@example.org", "a@example.org\nSubject: spam",
    "<script>@example.org", "x" * 300 + "@example.org", "a@exa\x00mple.org",
])
def test_hostile_addresses_get_a_clear_french_page(client, email):
    response = subscribe(client, email)
    assert response.status_code == 400
    assert "adresse électronique valide" in response.content.decode().replace('&#x27;', "'") or "caractères" in response.content.decode().replace('&#x27;', "'")
    assert Subscriber.objects.count() == 0 and len(mail.outbox) == 0


@pytest.mark.parametrize("field,value", [
    ("tags", "a\x00b"), ("tags", "<script>"), ("speakers", "x" * 5000), ("language", "xx\r\nBcc: a"),
    ("frequency", "hourly"), ("what", "\x00"),
])
def test_hostile_choices_get_a_clear_french_page(client, field, value):
    response = subscribe(client, **{field: value, "what": "choix"} if field != "what" else {field: value})
    assert response.status_code == 400
    assert "Le formulaire n'a pas été envoyé" in response.content.decode().replace('&#x27;', "'")
    assert Subscriber.objects.count() == 0


@pytest.mark.parametrize("token", ["abc", "x" * 3000, "eyJzIjoxfQ:1abc:def", "%00", "..%2F..%2Fetc"])
def test_unknown_tokens_get_a_clear_french_page(client, token):
    for name in ("subscription-confirm", "subscription-manage", "subscription-unsubscribe"):
        response = client.get(reverse(f"articles:{name}", args=[token]))
        assert response.status_code == 404 and "Ce lien n'est pas valide" in response.content.decode().replace('&#x27;', "'")


def test_an_expired_confirmation_link_says_so(client, settings):
    subscribe(client)
    path = link_to(mail.outbox[0].body, "/confirmer/")
    with time_machine.travel(timezone.now() + timedelta(hours=settings.SUBSCRIPTION_CONFIRM_HOURS + 1)):
        response = client.post(path)
    assert response.status_code == 410 and "Ce lien a expiré" in response.content.decode().replace('&#x27;', "'")
    assert Subscriber.objects.get().confirmed_at is None


def test_a_link_of_an_erased_subscriber_opens_nothing(client):
    subscribe(client)
    subscriber = Subscriber.objects.get()
    path = reverse("articles:subscription-manage", args=[tokens.manage_token(subscriber)])
    subscriptions.erase(subscriber=subscriber)
    assert client.get(path).status_code == 404


def test_the_manage_page_changes_choices(client):
    make_article(tags=["Sport"])
    subscribe(client)
    subscriber = Subscriber.objects.get()
    path = reverse("articles:subscription-manage", args=[tokens.manage_token(subscriber)])
    response = client.post(path, {"what": "choix", "tags": ["sport"], "frequency": "daily", "language": "fr"})
    assert response.status_code == 200 and "Vos choix sont enregistrés" in response.content.decode().replace('&#x27;', "'")
    subscriber.refresh_from_db()
    assert not subscriber.all_releases and list(subscriber.tags.values_list("slug", flat=True)) == ["sport"]
    assert subscriber.frequency == "daily" and subscriber.language == "fr"


def test_subscription_pages_are_kept_by_no_cache_and_listed_by_no_search_engine(client):
    subscribe(client)
    token = tokens.manage_token(Subscriber.objects.get())
    for path in (SUBSCRIBE, reverse("articles:subscription-manage", args=[token]),
                 reverse("articles:subscription-unsubscribe", args=[token])):
        response = client.get(path)
        assert response["Cache-Control"] == "no-store, private" and "noindex" in response["X-Robots-Tag"]
