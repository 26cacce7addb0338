"""The audit log: who logged in (or tried), published, scheduled, sent back, withdrew, removed, and who
created, revoked or opened an embargo link; Publication reads it, nobody rewrites it."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Article, AuditEntry
from articles.publishing import audit, embargo, workflow
from tests.admin_posts import form_data
from tests.factories import current_totp, give_totp_device, login_verified, make_article, make_editor

pytestmark = pytest.mark.django_db

S = Article.Status
A = AuditEntry.Action
CHANGELIST = "admin:articles_auditentry_changelist"


@pytest.fixture
def publisher():
    return make_editor("Publication", username="paula")


@pytest.fixture
def writer():
    return make_editor("Rédaction", username="romain")


def only_entry(**filters) -> AuditEntry:
    """The one entry written (fails if there are none or several)."""
    entries = list(AuditEntry.objects.filter(**filters))
    assert len(entries) == 1, entries
    return entries[0]


# --- Each event writes exactly one entry, with its actor and its release -------------------


def test_submitting_for_review_is_recorded(writer):
    draft = make_article("Brouillon", status=S.DRAFT)
    workflow.submit_for_review(article=draft, user=writer)
    entry = only_entry()
    assert (entry.action, entry.actor, entry.actor_username, entry.article, entry.article_title) == (
        A.SUBMITTED, writer, "romain", draft, "Brouillon")


def test_publishing_now_is_published_and_for_later_is_scheduled(publisher):
    now_one = make_article("Tout de suite", status=S.REVIEW)
    later = make_article("Plus tard", status=S.REVIEW)
    workflow.publish(article=now_one, user=publisher)
    workflow.publish(article=later, user=publisher, publish_at=timezone.now() + timedelta(days=1))
    assert only_entry(article=now_one).action == A.PUBLISHED
    scheduled = only_entry(article=later)
    assert scheduled.action == A.SCHEDULED and scheduled.actor == publisher
    assert "(Europe/Paris)" in scheduled.detail


@pytest.mark.parametrize(("transition", "action"), [
    (lambda a, u: workflow.send_back_to_review(article=a, user=u), A.SENT_BACK),
    (lambda a, u: workflow.withdraw(article=a, user=u, reason="Chiffres faux"), A.WITHDRAWN),
    (lambda a, u: workflow.remove(article=a, user=u), A.REMOVED),
])
def test_taking_a_release_off_the_site_is_recorded(publisher, transition, action):
    live = make_article("En ligne")
    transition(live, publisher)
    entry = only_entry()
    assert (entry.action, entry.actor, entry.article) == (action, publisher, live)


def test_a_refused_transition_writes_nothing(publisher, writer):
    draft = make_article("Brouillon", status=S.DRAFT)
    with pytest.raises(Exception):  # noqa: B017  (PermissionDenied or ValidationError: either way, nothing)
        workflow.withdraw(article=draft, user=publisher, reason="x")
    with pytest.raises(Exception):  # noqa: B017
        workflow.publish(article=draft, user=writer)
    assert not AuditEntry.objects.exists()


def test_a_send_back_records_itself_and_each_link_it_revokes(publisher):
    scheduled = make_article("Programmé", publish_at=timezone.now() + timedelta(days=1))
    expires = timezone.now() + timedelta(days=2)
    links = [embargo.create_link(article=scheduled, user=publisher, recipient_name=name, expires_at=expires)
             for name in ("Claire Martin", "Paul Durand")]
    AuditEntry.objects.all().delete()
    workflow.send_back_to_review(article=scheduled, user=publisher)
    assert only_entry(action=A.SENT_BACK).actor == publisher
    revoked = AuditEntry.objects.filter(action=A.EMBARGO_LINK_REVOKED)
    assert [(e.actor, e.article) for e in revoked] == [(publisher, scheduled)] * 2
    assert {link.recipient_name for link in links} == {e.detail.split(" pour ")[1].split(" — ")[0] for e in revoked}


def test_a_publisher_changing_the_state_in_the_form_is_recorded_as_the_same_action(client, publisher):
    scheduled = make_article("Programmé", publish_at=timezone.now() + timedelta(days=1))
    login_verified(client, publisher)
    AuditEntry.objects.all().delete()
    url = reverse("admin:articles_article_change", args=[scheduled.pk])
    response = client.post(url, form_data(client.get(url), status=S.REVIEW))
    assert response.status_code == 302
    entry = only_entry()
    assert (entry.action, entry.actor, entry.article) == (A.SENT_BACK, publisher, scheduled)


def test_saving_a_release_without_changing_its_state_records_nothing(client, publisher):
    live = make_article("En ligne")
    login_verified(client, publisher)
    AuditEntry.objects.all().delete()
    url = reverse("admin:articles_article_change", args=[live.pk])
    assert client.post(url, form_data(client.get(url), title="En ligne, corrigé")).status_code == 302
    assert list(AuditEntry.objects.values_list("action", "detail")) == []


# --- Embargo links ------------------------------------------------------------------------------


def test_a_link_created_revoked_and_visited_writes_one_entry_each(client, publisher):
    scheduled = make_article("Programmé", publish_at=timezone.now() + timedelta(days=1))
    link = embargo.create_link(article=scheduled, user=publisher, recipient_name="Claire Martin",
                               expires_at=timezone.now() + timedelta(days=2))
    created = only_entry(action=A.EMBARGO_LINK_CREATED)
    assert (created.actor, created.article) == (publisher, scheduled) and "Claire Martin" in created.detail

    client.get(embargo.link_path(link), REMOTE_ADDR="198.51.100.4")
    visited = only_entry(action=A.EMBARGO_LINK_VISITED)
    assert (visited.actor, visited.article, visited.ip_address) == (None, scheduled, "198.51.100.4")
    assert "Claire Martin" in visited.detail

    embargo.revoke(link=link, user=publisher)
    embargo.revoke(link=link, user=publisher)  # a second time: already revoked, nothing more
    revoked = only_entry(action=A.EMBARGO_LINK_REVOKED)
    assert (revoked.actor, revoked.article) == (publisher, scheduled)
    assert AuditEntry.objects.count() == 3


# --- Logins -------------------------------------------------------------------------------------


def test_a_login_a_failed_login_and_a_logout_are_recorded_without_the_password(client):
    user = make_editor("Publication", username="paula", password="le-bon-mot-de-passe-2026")
    login = reverse("admin:login")
    client.post(login, {"username": "paula", "password": "un-MAUVAIS-mot-de-passe"}, REMOTE_ADDR="203.0.113.7")
    failed = only_entry(action=A.LOGIN_FAILED)
    assert (failed.actor, failed.actor_username, failed.ip_address) == (None, "paula", "203.0.113.7")

    client.post(login, {"username": "inconnu", "password": "x"})
    assert only_entry(action=A.LOGIN_FAILED, actor_username="inconnu").actor is None

    code = current_totp(give_totp_device(user))  # Publication: the second factor too (articles/two_factor.py)
    response = client.post(login, {"username": "paula", "password": "le-bon-mot-de-passe-2026", "otp_token": code})
    assert response.status_code == 302
    assert only_entry(action=A.LOGIN).actor == user

    client.post(reverse("admin:logout"))
    assert only_entry(action=A.LOGOUT).actor == user

    for entry in AuditEntry.objects.all():
        row = " ".join(str(value) for value in vars(entry).values())
        assert "MAUVAIS" not in row and "le-bon-mot-de-passe" not in row


def test_restoring_a_version_is_recorded_once(publisher):
    from reversion.models import Version

    live = make_article("Titre approuvé", status=S.DRAFT)
    workflow.publish(article=live, user=publisher)
    old = Version.objects.get_for_object(live).get()
    Article.objects.filter(pk=live.pk).update(title="Titre changé")
    AuditEntry.objects.all().delete()
    workflow.restore(article=live, version_id=old.pk, user=publisher)
    entry = only_entry()
    assert (entry.action, entry.actor, entry.article, entry.get_action_display()) == (
        A.RESTORED, publisher, live, "Version restaurée")
    assert entry.detail.startswith("Restauration de")


def test_record_is_the_one_way_in(publisher):
    live = make_article("En ligne")
    entry = audit.record(action=A.RESTORED, actor=publisher, article=live, detail="Version du 3 mars")
    assert (entry.actor_username, entry.article_title, entry.ip_address) == (publisher.username, "En ligne", None)
    with pytest.raises(ValueError):
        audit.record(action="pas-une-action")


def test_an_entry_keeps_who_and_what_after_the_user_and_the_release_are_gone(publisher):
    live = make_article("En ligne")
    workflow.withdraw(article=live, user=publisher, reason="Doublon")
    live.delete()
    User.objects.filter(pk=publisher.pk).delete()
    entry = only_entry()
    assert (entry.actor, entry.article, entry.actor_username, entry.article_title) == (None, None, "paula", "En ligne")


# --- Who reads it in the admin: Publication, read-only ------------------------------------------


@pytest.fixture
def entries(publisher, writer):
    kyoto = make_article("Accord Occitanie–Kyoto", status=S.DRAFT)
    other = make_article("Autre communiqué", status=S.REVIEW)
    workflow.submit_for_review(article=kyoto, user=writer)
    workflow.publish(article=other, user=publisher)
    workflow.publish(article=kyoto, user=publisher, publish_at=timezone.now() + timedelta(days=1))
    return kyoto, other


def admin_urls(entry):
    return {
        "list": reverse(CHANGELIST),
        "add": reverse("admin:articles_auditentry_add"),
        "change": reverse("admin:articles_auditentry_change", args=[entry.pk]),
        "delete": reverse("admin:articles_auditentry_delete", args=[entry.pk]),
        "history": reverse("admin:articles_auditentry_history", args=[entry.pk]),
    }


def test_a_writer_cannot_see_the_audit_log(client, writer, entries):
    client.force_login(writer)
    for name, url in admin_urls(AuditEntry.objects.first()).items():
        assert client.get(url).status_code == 403, name
        assert client.post(url, {}).status_code == 403, name
    assert "journal d&#x27;audit" not in client.get(reverse("admin:index")).text.lower()


def test_a_publisher_lists_it_newest_first_in_paris_time(client, publisher, entries):
    login_verified(client, publisher)
    only_entry(action=A.LOGIN, actor=publisher).delete()  # force_login sends the login signal too
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    shown = list(response.context["cl"].result_list)
    assert shown == list(AuditEntry.objects.order_by("-at", "-id"))
    assert [e.action for e in shown] == [A.SCHEDULED, A.PUBLISHED, A.SUBMITTED]
    local = timezone.localtime(shown[0].at, timezone.get_current_timezone())
    assert "(Europe/Paris)" in response.text and f"{local:%H:%M}" in response.text


def test_a_publisher_filters_by_action_by_person_and_by_release(client, publisher, writer, entries):
    kyoto, other = entries
    login_verified(client, publisher)

    def listed(**params):
        response = client.get(reverse(CHANGELIST), params)
        assert response.status_code == 200
        return [(e.action, e.actor_username, e.article_title) for e in response.context["cl"].result_list]

    assert listed(action="scheduled") == [(A.SCHEDULED, "paula", kyoto.title)]
    assert listed(actor__id__exact=writer.pk) == [(A.SUBMITTED, "romain", kyoto.title)]
    assert listed(article=kyoto.pk) == [(A.SCHEDULED, "paula", kyoto.title), (A.SUBMITTED, "romain", kyoto.title)]
    assert listed(article="pas-un-nombre") == [] and listed(article="²") == [] and listed(article="1 OR 1=1") == []
    assert listed(q="Autre") == [(A.PUBLISHED, "paula", other.title)]
    # Each release in the list links to the log filtered on it.
    page = client.get(reverse(CHANGELIST)).text
    assert f'href="{reverse(CHANGELIST)}?article={kyoto.pk}"' in page


def test_the_release_filter_does_not_list_every_release(client, publisher, entries, django_assert_max_num_queries):
    for n in range(30):
        make_article(f"Communiqué {n}")
    login_verified(client, publisher)
    page = client.get(reverse(CHANGELIST)).text
    assert "Communiqué 7" not in page  # releases without entries are never loaded into a filter
    kyoto, _ = entries
    with django_assert_max_num_queries(12):
        client.get(reverse(CHANGELIST), {"article": kyoto.pk})


@pytest.mark.parametrize("role", ["Publication", "superuser"])
def test_nobody_adds_changes_or_deletes_an_entry_even_with_a_crafted_post(client, entries, role):
    user = User.objects.create_superuser("root", password="x") if role == "superuser" else make_editor(role)
    login_verified(client, user)
    entry = AuditEntry.objects.first()
    before = list(AuditEntry.objects.values())
    urls = admin_urls(entry)
    assert client.get(urls["change"]).status_code == 200  # read-only view
    assert client.get(urls["add"]).status_code == 403
    assert client.post(urls["add"], {"action": "login", "actor_username": "faux"}).status_code == 403
    assert client.post(urls["change"], {"action": "login", "detail": "réécrit"}).status_code == 403
    assert client.get(urls["delete"]).status_code == 403
    assert client.post(urls["delete"], {"post": "yes"}).status_code == 403
    assert client.post(urls["list"], {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}).status_code == 403
    assert list(AuditEntry.objects.values()) == before
    page = client.get(urls["change"]).text
    assert 'name="_save"' not in page and "Supprimer" not in page


def test_the_audit_log_speaks_english_in_an_english_admin(client, publisher, entries):
    login_verified(client, publisher)
    with translation.override("fr"):  # LocaleMiddleware leaves English active in this thread: put French back after
        page = client.get(reverse(CHANGELIST), HTTP_ACCEPT_LANGUAGE="en").text
    assert "audit log" in page.lower() and "Scheduled" in page and "(Europe/Paris)" in page
