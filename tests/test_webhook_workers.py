"""The went-live webhook with real worker processes: two workers, a scheduled release, one
signed message within 60 s of its time, and never a second one."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, WorkerHeartbeat
from articles.publishing import workflow
from articles.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.factories import make_article, make_editor
from tests.test_background_worker import QUEUE, Workers, editorial_roles
from tests.webhook_receiver import start_receiver

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def workers(tmp_path, settings, monkeypatch):
    monkeypatch.setenv("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", "1")  # the workers' settings: our receiver is on 127.0.0.1
    settings.TASKS = QUEUE
    editorial_roles()
    pool = Workers(tmp_path, settings)
    yield pool
    pool.stop_all()


@pytest.fixture
def receiver():
    server = start_receiver()
    yield server
    server.stop()


def test_with_two_workers_each_went_live_webhook_arrives_once_within_60_seconds(workers, receiver):
    endpoint = WebhookEndpoint.objects.create(url=receiver.url(), events=["went_live"])
    receiver.secret = endpoint.secret
    publisher = make_editor("Publication")
    workers.start("worker-a")
    workers.start("worker-b")
    workers.wait_for(lambda: WorkerHeartbeat.objects.count() == 2, what="two workers started")
    at = timezone.now() + timedelta(seconds=5)
    releases = [
        workflow.publish(article=make_article(status=Article.Status.REVIEW), user=publisher, publish_at=at)
        for _ in range(4)
    ]
    assert timezone.now() > at or receiver.received == []  # nothing before its time
    workers.wait_for(lambda: len(receiver.received) >= 4, timeout=70, what="4 webhooks received")
    time.sleep(3)  # more sweeps by both workers: still nothing doubles

    assert len(receiver.received) == 4
    assert all(message.valid for message in receiver.received)
    assert sorted(m.json["data"]["id"] for m in receiver.received) == sorted(r.pk for r in releases)
    assert len({m.headers["webhook-id"] for m in receiver.received}) == 4
    delays = sorted(m.at - at.timestamp() for m in receiver.received)
    print(f"\nwent-live webhook delay (scheduled time → received), 4 releases, 2 workers: "
          f"min {delays[0]:.2f} s, max {delays[-1]:.2f} s")
    assert delays[0] >= 0 and delays[-1] < 60
    assert WebhookDelivery.objects.filter(state="succeeded").count() == 4
