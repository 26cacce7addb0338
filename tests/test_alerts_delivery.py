"""E-mail end to end: real `manage.py run_worker` processes send through a real SMTP server (aiosmtpd).

The SMTP server runs in this test process on a port of 8120–8139 (tests/alerts_helpers.py);
the workers reach it through EMAIL_HOST / EMAIL_PORT, as a deployment does. These tests
never skip: a worker or a server that cannot start fails them (.ci/run runs them on SQLite
and on PostgreSQL).
"""

import signal
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.alerts.models import Delivery, Subscriber
from articles.models import Article, Photo, WorkerHeartbeat
from articles.publishing import workflow
from tests.alerts_helpers import SmtpServer, link_to, parts, path_of
from tests.factories import make_article, make_editor, make_photo, place
from tests.test_background_worker import QUEUE, Workers, editorial_roles

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def smtp():
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def workers(tmp_path, settings, smtp, monkeypatch):
    settings.TASKS = QUEUE
    # The workers' settings (tests/worker_settings.py) read these: mail goes to our server.
    monkeypatch.setenv("EMAIL_HOST", "127.0.0.1")
    monkeypatch.setenv("EMAIL_PORT", str(smtp.port))
    monkeypatch.setenv("SITE_URL", "http://testserver")
    editorial_roles()
    pool = Workers(tmp_path, settings)
    yield pool
    pool.stop_all()


def confirmed(count: int, **fields) -> list[Subscriber]:
    now = timezone.now()
    return Subscriber.objects.bulk_create(
        Subscriber(email=f"abonne{i:04d}@example.org", confirmed_at=now, consent_at=now, all_releases=True, **fields)
        for i in range(count)
    )


def test_subscribe_to_a_tag_confirm_get_exactly_one_alert_when_it_goes_live_and_leave_in_one_click(
    client, workers, smtp, settings
):
    settings.SITE_URL = "http://testserver"
    publisher = make_editor("Publication")
    old = make_article("Ancien communiqué", tags=["Économie"])
    Article.objects.filter(pk=old.pk).update(went_live_at=old.publish_at)  # announced long ago
    workers.start("worker-mail", stale_seconds=5)

    # The visitor comes from the tag page and subscribes to that tag.
    form = client.get("/abonnement/?mot-cle=economie")
    assert form.status_code == 200
    response = client.post("/abonnement/", {
        "email": "Journaliste@Example.org", "what": "choix", "tags": ["economie"], "frequency": "immediate",
        "consent": "on",
    })
    assert response.status_code == 302
    workers.wait_for(lambda: smtp.count() == 1, what="the confirmation e-mail")
    confirmation = smtp.messages[0]
    text, html = parts(confirmation)
    assert confirmation["To"] == "journaliste@example.org"
    assert "Confirmez votre abonnement" in confirmation["Subject"]
    assert client.post(link_to(text, "/abonnement/confirmer/")).status_code == 200
    assert link_to(html, "/abonnement/confirmer/") == link_to(text, "/abonnement/confirmer/")
    assert Subscriber.objects.get().is_active

    # Scheduled a few seconds ahead (a real worker must find it: no time travel across processes).
    photo = make_photo()
    workers.wait_for(lambda: Photo.objects.get(pk=photo.pk).files_state == "ready", what="the photo's renditions")
    at = timezone.now() + timedelta(seconds=5)
    other = workflow.publish(article=make_article("Sport", status=Article.Status.REVIEW, tags=["Sport"]),
                             user=publisher, publish_at=at)
    release = place(make_article("Plan économie 2027", status=Article.Status.REVIEW, tags=["Économie"], contacts=1),
                    photo)
    release = workflow.publish(article=release, user=publisher, publish_at=at)
    time.sleep(max(0.0, (at - timezone.now()).total_seconds() - 1.5))
    assert [m["Subject"] for m in smtp.messages][1:] == []  # nothing before its time
    workers.wait_for(lambda: smtp.count() == 2, what="the alert")
    time.sleep(2)  # more sweeps: nothing doubles
    assert smtp.count() == 2 and other.tags.exists()

    alert = smtp.messages[1]
    assert alert["Subject"] == "Plan économie 2027"
    text, html = parts(alert)
    assert release.standfirst in text and release.standfirst in html
    assert "Crédit photo" in text and "Crédit photo" in html and "Contact 0" in html
    assert alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = "".join(str(alert["List-Unsubscribe"]).split()).strip("<>")  # unfolded
    assert client.get(link_to(text, "/communiques/")).status_code == 200
    assert client.get(link_to(html, "/abonnement/gerer/")).status_code == 200
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.SENT and delivery.recipient == "journaliste@example.org"

    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(path_of(unsubscribe), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Subscriber.objects.get().unsubscribed_at is not None


def test_two_workers_and_one_killed_mid_batch_send_each_alert_exactly_once(workers, smtp, monkeypatch):
    monkeypatch.setenv("ALERT_BATCH_SIZE", "5")
    monkeypatch.setenv("ALERT_SEND_INTERVAL", "0.05")
    publisher = make_editor("Publication")
    subscribers = confirmed(40)
    slow = subscribers[6].email
    smtp.slow = {slow}  # this recipient's RCPT TO takes 30 s: the worker is killed in the middle of it
    first = workers.start("worker-killed", stale_seconds=2)
    workers.wait_for(lambda: WorkerHeartbeat.objects.count() == 1, what="the first worker")

    release = workflow.publish(article=make_article("Alerte", status=Article.Status.REVIEW), user=publisher)
    # Killed while it waits on the slow recipient's RCPT TO, in the middle of its batch: every message
    # before it was accepted and marked sent (a kill between a server's "accepted" and that mark, a
    # few milliseconds, is the one window where a message can go twice; README, E-mail).
    workers.wait_for(
        lambda: smtp.slow_reached.is_set()
        and Delivery.objects.filter(recipient=slow, status=Delivery.Status.SENDING).exists(),
        what="the first worker in the middle of its batch",
    )
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    sent_before = Delivery.objects.filter(status=Delivery.Status.SENT).count()
    assert 0 < sent_before < 40 and smtp.count() == sent_before

    smtp.slow = set()
    workers.start("worker-b", stale_seconds=2)
    workers.start("worker-c", stale_seconds=2)
    workers.wait_for(lambda: Delivery.objects.filter(status=Delivery.Status.SENT).count() == 40,
                     timeout=90, what="every alert sent")
    time.sleep(2)

    recipients = sorted(m["To"] for m in smtp.messages)
    assert recipients == sorted(s.email for s in subscribers)  # each once: nothing lost, nothing doubled
    assert Delivery.objects.filter(article=release).count() == 40
    claimers = set(Delivery.objects.values_list("claimed_by", flat=True))
    assert {"worker-b", "worker-c"} <= claimers or len(claimers) >= 2
    assert Delivery.objects.get(recipient=slow).claimed_by in {"worker-b", "worker-c"}
    assert DBTaskResult.objects.running().count() == 0


def test_a_refused_recipient_is_marked_bounced_and_the_others_are_sent(workers, smtp):
    publisher = make_editor("Publication")
    confirmed(3)
    smtp.refuse = {"abonne0001@example.org"}
    workers.start("worker-bounce")
    workflow.publish(article=make_article(status=Article.Status.REVIEW), user=publisher)
    workers.wait_for(lambda: not Delivery.objects.filter(status__in=["pending", "sending"]).exists()
                     and Delivery.objects.count() == 3, what="the batch")
    statuses = dict(Delivery.objects.values_list("recipient", "status"))
    assert statuses == {"abonne0000@example.org": "sent", "abonne0001@example.org": "bounced",
                        "abonne0002@example.org": "sent"}
    assert smtp.count() == 2


def test_time_from_scheduled_time_to_the_last_of_1000_alerts(workers, smtp):
    """The figure the README reports: 1,000 subscribers, two workers, a local SMTP server."""
    publisher = make_editor("Publication")
    confirmed(1000)
    workers.start("worker-1")
    workers.start("worker-2")
    workers.wait_for(lambda: WorkerHeartbeat.objects.count() == 2, what="two workers")
    at = timezone.now() + timedelta(seconds=3)
    workflow.publish(article=make_article("Mille", status=Article.Status.REVIEW), user=publisher, publish_at=at)
    workers.wait_for(lambda: Delivery.objects.filter(status="sent").count() == 1000, timeout=300,
                     what="1,000 alerts")
    last = Delivery.objects.order_by("-sent_at").values_list("sent_at", flat=True).first()
    first = Delivery.objects.order_by("sent_at").values_list("sent_at", flat=True).first()
    print(f"\n1,000 alerts, 2 workers, 0.5 s sweep: scheduled time → last e-mail sent {(last - at).total_seconds():.1f} s "
          f"(first sent after {(first - at).total_seconds():.1f} s)")
    assert smtp.count() == 1000
    assert len({m["To"] for m in smtp.messages}) == 1000


def test_an_embargo_notice_to_a_press_list_reaches_each_journalist_once_and_revoking_closes_every_link(
    client, workers, smtp, settings
):
    from articles.alerts import press
    from articles.alerts.models import Journalist, PressList
    from articles.models import EmbargoVisit

    settings.SITE_URL = "http://testserver"
    publisher = make_editor("Publication")
    press_list = PressList.objects.create(name="Presse régionale")
    for i in range(3):
        Journalist.objects.create(name=f"Journaliste {i}", outlet="Midi Libre", email=f"j{i}@example.org").lists.add(press_list)
    at = timezone.localtime(timezone.now() + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    release = workflow.publish(article=make_article("Fusion des lycées", status=Article.Status.REVIEW), user=publisher,
                               publish_at=at)
    workers.start("worker-embargo")

    press.send_notice(article=release, lists=[press_list], user=publisher)
    workers.wait_for(lambda: smtp.count() == 3, what="three embargo notices")
    time.sleep(1.5)
    assert sorted(m["To"] for m in smtp.messages) == ["j0@example.org", "j1@example.org", "j2@example.org"]
    message = smtp.to("j1@example.org")[0]
    assert message["Subject"].strip().startswith("EMBARGO jusqu'au ") and "à 10:00 (Europe/Paris)" in message["Subject"]
    text, html = parts(message)
    link = link_to(text, "/embargo/")
    assert link == link_to(html, "/embargo/")
    assert client.get(link).status_code == 200
    assert EmbargoVisit.objects.filter(link__recipient_email="j1@example.org").count() == 1
    assert {path_of(link_to(parts(m)[0], "/embargo/")) for m in smtp.messages}.__len__() == 3  # one link each

    workflow.send_back_to_review(article=release, user=publisher)
    assert client.get(link).status_code == 404
