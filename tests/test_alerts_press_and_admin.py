"""Publishers and e-mail: embargo notices to press lists, per-recipient status on the release,
correction notices, daily digests, a subscriber's data exported and erased (jobs run at once here)."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from articles.alerts import planning, press
from articles.alerts.models import Delivery, Journalist, PressList, Subscriber
from articles.models import Article, EmbargoVisit
from articles.publishing import workflow
from tests.alerts_helpers import link_to
from tests.factories import login_verified, make_article, make_editor

pytestmark = pytest.mark.django_db


def confirmed(email="abonne@example.org", **fields):
    now = timezone.now()
    return Subscriber.objects.create(email=email, confirmed_at=now, consent_at=now, all_releases=True, **fields)


def press_list(name="Presse éco", count=2):
    lst = PressList.objects.create(name=name)
    for i in range(count):
        Journalist.objects.create(name=f"Journaliste {i}", outlet="La Dépêche", email=f"j{i}-{lst.pk}@example.org").lists.add(lst)
    return lst


def test_an_embargo_notice_gives_each_journalist_a_personal_link_stating_paris_time(client, publisher):
    at = timezone.localtime(timezone.now() + timedelta(days=2)).replace(hour=10, minute=0, second=0, microsecond=0)
    release = workflow.publish(article=make_article("Fusion", status=Article.Status.REVIEW), user=publisher, publish_at=at)
    eco, both = press_list("Presse éco"), press_list("Presse régionale", 1)
    Journalist.objects.filter(lists=eco).first().lists.add(both)  # in two lists: one link

    notice = press.send_notice(article=release, lists=[eco, both], user=publisher)

    assert len(mail.outbox) == 3 and notice.deliveries.count() == 3
    message = mail.outbox[0]
    assert message.subject.startswith("EMBARGO jusqu'au ") and "à 10:00 (Europe/Paris)" in message.subject
    path = link_to(message.body, "/embargo/")
    assert client.get(path).status_code == 200
    assert EmbargoVisit.objects.count() == 1  # who opened it, and when
    assert client.get("/communiques/" + release.slug + "/").status_code == 404  # still embargoed for the public

    workflow.send_back_to_review(article=release, user=publisher)
    assert client.get(path).status_code == 404  # every link sent stops working


def test_a_release_already_public_or_a_writer_cannot_be_sent_under_embargo(publisher):
    from django.core.exceptions import PermissionDenied, ValidationError

    lst = press_list()
    with pytest.raises(ValidationError):
        press.send_notice(article=make_article(), lists=[lst], user=publisher)
    scheduled = make_article(publish_at=timezone.now() + timedelta(days=1))
    with pytest.raises(PermissionDenied):
        press.send_notice(article=scheduled, lists=[lst], user=make_editor("Rédaction"))
    assert Delivery.objects.count() == 0 and len(mail.outbox) == 0


def test_the_release_page_in_the_admin_shows_each_recipients_status(client, publisher):
    confirmed("a@example.org")
    confirmed("b@example.org")
    release = workflow.publish(article=make_article(status=Article.Status.REVIEW), user=publisher)
    Delivery.objects.filter(recipient="b@example.org").update(status=Delivery.Status.BOUNCED)
    login_verified(client, publisher)

    page = client.get(reverse("admin:articles_article_change", args=[release.pk])).content.decode()
    assert "Envoyé : 1" in page and "Refusé par le serveur du destinataire : 1" in page
    listing = client.get(reverse("admin:articles_delivery_changelist") + f"?article__id__exact={release.pk}")
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "a@example.org" in body and "b@example.org" in body


def test_a_publisher_sends_a_notice_to_press_lists_from_the_admin(client, publisher):
    release = workflow.publish(article=make_article(status=Article.Status.REVIEW), user=publisher,
                               publish_at=timezone.now() + timedelta(days=1))
    lst = press_list()
    login_verified(client, publisher)
    response = client.post(reverse("admin:articles_embargonotice_add"), {
        "article": release.pk, "lists": [lst.pk],
        "expires_at_0": (timezone.localtime() + timedelta(days=3)).strftime("%d/%m/%Y"), "expires_at_1": "10:00",
        "deliveries-TOTAL_FORMS": "0", "deliveries-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    assert len(mail.outbox) == 2
    from articles.alerts.models import EmbargoNotice

    notice = EmbargoNotice.objects.get()
    assert notice.sent_by == publisher and list(notice.lists.all()) == [lst]
    notice_page = client.get(reverse("admin:articles_embargonotice_change", args=[notice.pk])).content.decode()
    assert f"j0-{lst.pk}@example.org" in notice_page and "jamais" in notice_page


def test_a_correction_notice_goes_only_to_those_who_received_the_release(client, publisher):
    confirmed("a@example.org")
    release = workflow.publish(article=make_article(status=Article.Status.REVIEW), user=publisher)
    confirmed("later@example.org")
    workflow.publish(article=release, user=publisher)
    Article.objects.filter(pk=release.pk).update(change_note="Mis à jour : correction du montant.")
    assert len(mail.outbox) == 1  # an update sends nothing by default

    login_verified(client, publisher)
    client.post(reverse("admin:articles_article_changelist"),
                {"action": "send_correction", "_selected_action": [release.pk]})
    assert [m.to for m in mail.outbox[1:]] == [["a@example.org"]]
    assert mail.outbox[1].subject.startswith("Correction : ") and "correction du montant" in mail.outbox[1].body


def test_a_daily_digest_groups_yesterdays_releases_once(publisher, settings):
    daily = confirmed("quotidien@example.org", frequency=Subscriber.Frequency.DAILY)
    morning = timezone.localtime().replace(hour=6, minute=0, second=0, microsecond=0) - timedelta(days=1)
    with time_machine.travel(morning, tick=False):
        workflow.publish(article=make_article("Un", status=Article.Status.REVIEW), user=publisher)
        workflow.publish(article=make_article("Deux", status=Article.Status.REVIEW), user=publisher)
    assert mail.outbox == []  # daily: no alert at the minute
    with time_machine.travel(morning + timedelta(days=1, hours=settings.DIGEST_HOUR - 5), tick=False):
        assert planning.plan_digests() == 1
        assert planning.plan_digests() == 0
    assert len(mail.outbox) == 1
    assert "Un" in mail.outbox[0].body and "Deux" in mail.outbox[0].body
    assert Delivery.objects.get(subscriber=daily).status == Delivery.Status.SENT


def test_a_withdrawn_release_is_not_sent_to_those_not_yet_reached(publisher):
    """The sender reads Article.objects.public() before each message."""
    confirmed("a@example.org")
    release = make_article(status=Article.Status.REVIEW)
    Delivery.objects.create(key="alert:x", kind="alert", article=release, subscriber=Subscriber.objects.get(),
                            recipient="a@example.org")
    from articles.alerts.sending import send_batch

    send_batch(article_id=release.pk)
    assert Delivery.objects.get().status == Delivery.Status.CANCELLED and mail.outbox == []


def test_publishers_export_and_erase_a_subscriber(client, publisher):
    subscriber = confirmed("efface@example.org", consent_ip="203.0.113.9")
    workflow.publish(article=make_article(status=Article.Status.REVIEW), user=publisher)
    login_verified(client, publisher)
    url = reverse("admin:articles_subscriber_changelist")
    export = client.post(url, {"action": "export", "_selected_action": [subscriber.pk]})
    data = json.loads(export.content)
    assert data[0]["email"] == "efface@example.org" and data[0]["consentement"]["adresse_ip"] == "203.0.113.9"
    assert len(data[0]["envois"]) == 1

    client.post(url, {"action": "erase", "_selected_action": [subscriber.pk]})
    assert not Subscriber.objects.exists()
    assert list(Delivery.objects.values_list("recipient", flat=True)) == [""]  # counts stay, the address goes


def test_the_delete_page_erases_as_the_action_does(client, publisher):
    subscriber = confirmed("efface@example.org")
    workflow.publish(article=make_article(status=Article.Status.REVIEW), user=publisher)
    login_verified(client, publisher)
    response = client.post(reverse("admin:articles_subscriber_delete", args=[subscriber.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Subscriber.objects.exists() and list(Delivery.objects.values_list("recipient", flat=True)) == [""]


def test_writers_see_no_subscriber(client):
    confirmed()
    client.force_login(make_editor("Rédaction"))
    assert client.get(reverse("admin:articles_subscriber_changelist")).status_code == 403


def test_a_mail_server_that_is_down_loses_nothing(settings, publisher):
    """Refused connection: the alert waits ("pending", with the error); sent once the server answers."""
    from articles.alerts.sending import send_batch
    from tests.alerts_helpers import SmtpServer

    server = SmtpServer()  # its port, not listening yet
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 2
    confirmed("a@example.org")
    workflow.publish(article=make_article(status=Article.Status.REVIEW), user=publisher)
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING and "Connection" in delivery.error

    server.start()
    try:
        assert send_batch() == 1
        assert send_batch() == 0
    finally:
        server.stop()
    assert Delivery.objects.get().status == Delivery.Status.SENT and server.count() == 1


def test_a_line_break_in_a_title_never_reaches_a_header(publisher):
    confirmed("a@example.org")
    workflow.publish(article=make_article("Titre\r\nBcc: victime@example.org", status=Article.Status.REVIEW),
                     user=publisher)
    assert mail.outbox[0].subject == "Titre Bcc: victime@example.org"
    assert mail.outbox[0].recipients() == ["a@example.org"]


def test_a_journalist_address_that_cannot_be_written_fails_without_retrying(publisher):
    release = workflow.publish(article=make_article(status=Article.Status.REVIEW), user=publisher,
                               publish_at=timezone.now() + timedelta(days=1))
    lst = PressList.objects.create(name="Liste")
    Journalist.objects.create(name="X", email="x@example.org\nBcc: y@example.org").lists.add(lst)
    press.send_notice(article=release, lists=[lst], user=publisher)
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED and mail.outbox == []
