"""Every URL of the admin, as every role, with GETs and crafted POSTs.

A writer (Rédaction), a staff account with no role and an anonymous visitor send a GET and a
crafted POST to every admin URL — the project's and third-party apps' (django-reversion's history
and recover pages, taggit's tags, Django's users and groups…) — with the ids of live, scheduled and
withdrawn releases and of everything they show, and with every saved version number. Afterwards,
what those releases are and show is exactly as before, and the public sees the same releases.
A publisher walks the same URLs: never a 500.

The test fails when an admin URL appears that it does not know how to fill in (see `ARGS_FOR`):
a new admin page must be added here, and so attacked, before it ships.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import reversion
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone
from reversion.models import Revision, Version
from taggit.models import Tag

from articles.models import Article, Credit, EmbargoLink, Photo, PressContact, Quote, Speaker
from articles.publishing import embargo, workflow
from tests.factories import login_verified, make_article, make_credit, make_editor, make_photo, make_speaker, place

pytestmark = pytest.mark.django_db(transaction=False)

S = Article.Status
HOSTILE = "<script>alert('piraté')</script> Piraté"


def admin_urls():
    """(route, name) of every URL the admin site serves, walked from the site itself."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern.name

    return list(walk(admin.site.get_urls()))


# --- The scene: releases in every state, with what they show ---------------------------------


@pytest.fixture
def scene():
    publisher = make_editor("Publication", username="paul")
    writer = make_editor("Rédaction", username="wendy")

    def release(title, n):
        article = make_article(title, status=S.DRAFT, tags=[f"Mot {n}"])
        credit = make_credit(f"Photographe {n}", organisation="Région")
        place(article, make_photo(credit=credit, caption=f"Légende {n}"))
        Quote.objects.create(article=article, speaker=make_speaker(f"Personne {n}", role="Présidente"), text=f"Citation {n}.", position=0)
        article.press_contacts.add(PressContact.objects.create(name=f"Contact {n}", email=f"c{n}@example.org", phone="05 00"))
        with reversion.create_revision():  # a first version, saved as a draft, as the admin would
            reversion.add_to_revision(article)
            reversion.set_user(writer)
        return article

    live = release("En ligne", 1)
    workflow.publish(article=live, user=publisher)
    scheduled = release("Sous embargo", 2)
    workflow.publish(article=scheduled, user=publisher, publish_at=timezone.now() + timedelta(days=30))
    embargo.create_link(article=scheduled, user=publisher, recipient_name="Jeanne Journaliste",
                        recipient_email="jeanne@example.org", expires_at=timezone.now() + timedelta(days=10))
    withdrawn = release("Retiré", 3)
    workflow.publish(article=withdrawn, user=publisher)
    workflow.withdraw(article=withdrawn, user=publisher, reason="Chiffres faux.")
    draft = make_article("Brouillon de Wendy", status=S.DRAFT, created_by=writer)
    review = make_article("En relecture", status=S.REVIEW, created_by=writer)
    gone = release("Supprimé", 4)
    gone.delete()  # its versions stay, for reversion's "recover" page
    return {
        "publisher": publisher, "writer": writer, "staff": User.objects.create_user("staff-sans-role", is_staff=True), "protected": [live, scheduled, withdrawn],
        "editable": [draft, review],
    }


def shown(article: Article) -> tuple:
    """Everything the public sees of a release, or could see once it goes live."""
    article = Article.objects.get(pk=article.pk)
    photos = [
        (p.photo.caption, p.photo.alt_text, p.photo.image.name, p.photo.licence, p.photo.rights_expire_on,
         p.photo.focal_x, p.photo.focal_y, p.photo.credit.name, p.photo.credit.organisation, p.photo.credit.url, p.position)
        for p in article.article_photos.select_related("photo__credit")
    ]
    return (
        article.status, article.publish_at, article.first_published_at, article.withdrawn_at, article.withdrawal_reason,
        article.title, article.standfirst, article.body, article.location, article.slug, article.change_note,
        article.language,
        [(q.speaker.name, q.speaker.role, q.speaker.organisation, q.speaker.slug, q.text, q.position)
         for q in article.quotes.select_related("speaker")],
        photos,
        sorted((t.name, t.slug) for t in article.tags.all()),
        sorted((c.name, c.role, c.email, c.phone) for c in article.press_contacts.all()),
        sorted((link.recipient_name, link.expires_at, link.revoked_at) for link in article.embargo_links.all()),
    )


def world(scene) -> tuple:
    return (
        [shown(a) for a in scene["protected"]],
        sorted(Article.objects.public().values_list("pk", flat=True)),
        Article.objects.count(),
        sorted(Group.objects.values_list("name", flat=True)),
        sorted(User.objects.values_list("username", "is_staff", "is_superuser")),
        sorted(User.objects.filter(username="wendy").values_list("groups__name", "user_permissions__codename")),
    )


# --- How to fill in each admin URL ------------------------------------------------------------


def objects_for(model, scene):
    """The objects of `model` worth attacking: what protected releases show, and a writer's own drafts."""
    protected = scene["protected"]
    if model is Article:
        return protected + scene["editable"]
    if model is Photo:
        return list(Photo.objects.filter(placements__article__in=protected))
    if model is Credit:
        return list(Credit.objects.filter(photos__placements__article__in=protected).distinct())
    if model is Speaker:
        return list(Speaker.objects.filter(quotes__article__in=protected).distinct())
    if model is Tag:
        return list(Tag.objects.filter(articles_taggedarticle_items__content_object__in=protected).distinct())
    if model is PressContact:
        return list(PressContact.objects.filter(articles__in=protected).distinct())
    if model is EmbargoLink:
        return list(EmbargoLink.objects.all())
    if model is User:
        return list(User.objects.all())
    if model is Group:
        return list(Group.objects.all())
    return list(model._default_manager.all()[:5])


def model_admin_for(name):
    for model, model_admin in admin.site._registry.items():
        info = f"{model._meta.app_label}_{model._meta.model_name}_"
        if name and name.startswith(info):
            return model, model_admin, name[len(info):]
    return None, None, None


SITE_URLS = {"index", "login", "logout", "password_change", "password_change_done", "autocomplete", "jsi18n"}
GENERIC = {"changelist", "add", "history", "delete", "change"}


def urls_for(name, route, scene) -> list[str] | None:
    """Concrete URLs for one admin URL name, or None when this test does not know it."""
    if name in SITE_URLS:
        return [reverse(f"admin:{name}")]
    if name == "app_list":
        return [reverse("admin:app_list", args=[label]) for label in ("auth", "articles", "taggit")]
    if name == "view_on_site":
        return [reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(a).pk, a.pk])
                for a in scene["protected"]]
    model, model_admin, action = model_admin_for(name)
    if model is None:
        return None
    ids = [obj.pk for obj in objects_for(model, scene)]
    if action in ("changelist", "add", "recoverlist"):
        return [reverse(f"admin:{name}")]
    # config and qrcode: django-otp's pages showing a TOTP device's secret (superusers only).
    if action in ("history", "delete", "change", "password_change", "preview", "config", "qrcode"):
        return [reverse(f"admin:{name}", args=[pk]) for pk in ids]
    if action == "diff":
        return [reverse(f"admin:{name}", args=[pk, rev]) for pk in ids for rev in Revision.objects.values_list("pk", flat=True)]
    if action == "revision":
        # The attack is a version number that belongs to another release (or to its quotes, photos,
        # tags): every number on every release, and on a writer's draft whatever its pk.
        every = list(Version.objects.values_list("pk", "object_id"))
        return [reverse(f"admin:{name}", args=[pk, version]) for pk in ids for version, _ in every]
    if action == "recover":
        return [reverse(f"admin:{name}", args=[version]) for version in Version.objects.values_list("pk", flat=True)]
    return None


# Admin routes with no name: Django's ModelAdmin redirect from `<id>/` to `<id>/change/`, and the
# admin's catch-all that answers 404 (or sends to the login page).
UNNAMED = re.compile(r"^([a-z_]+/[a-z_]+/<path:object_id>/|\(\?P<url>\.\*\)\$)$")


def test_every_admin_url_is_known_to_this_test(scene):
    unknown = [(name, route) for route, name in admin_urls()
               if (name is None and not UNNAMED.match(route)) or (name is not None and urls_for(name, route, scene) is None)]
    assert not unknown, f"admin URLs this test does not attack yet: {unknown}"


# --- Crafted POSTs ----------------------------------------------------------------------------


def crafted_posts(url: str, name: str, response, scene) -> list[dict]:
    """What an attacker posts to `url`: the page's own form sent back, changed, plus blind payloads."""
    protected_ids = [str(a.pk) for a in scene["protected"]]
    blind = {
        "title": HOSTILE, "status": S.PUBLISHED, "publish_at_0": "01/01/2020", "publish_at_1": "10:00:00",
        "withdrawal_reason": "", "caption": HOSTILE, "alt_text": HOSTILE, "name": HOSTILE, "slug": "pirate",
        "role": HOSTILE, "email": "pirate@example.org", "phone": "0", "organisation": HOSTILE,
        "rights_expire_on": "01/01/2000", "licence": HOSTILE, "confirm": "yes", "post": "yes",
        "edit_version": "1", "recipient_name": HOSTILE, "expires_at_0": "01/01/2099", "expires_at_1": "10:00:00",
        "new_tag_name": "pirate", "groups": [str(g.pk) for g in Group.objects.all()], "is_superuser": "on",
        "password1": "x-Very-long-passphrase-1", "password2": "x-Very-long-passphrase-1",
    }
    posts = [blind]
    context = getattr(response, "context", None)
    if response.status_code == 200 and context is not None and "adminform" in context:
        # The form as the browser would send it back, with the hostile changes on top.
        form = context["adminform"].form
        data = {}
        for field_name in form.fields:
            value = form[field_name].value()
            if value is None:
                continue
            if isinstance(value, (list, tuple)):
                data[field_name] = [str(v) for v in value]
            else:
                data[field_name] = str(value)
        for inline in context.get("inline_admin_formsets", []):
            formset = inline.formset
            data.update({f"{formset.prefix}-TOTAL_FORMS": str(len(formset.forms)),
                         f"{formset.prefix}-INITIAL_FORMS": str(formset.initial_form_count()),
                         f"{formset.prefix}-MIN_NUM_FORMS": "0", f"{formset.prefix}-MAX_NUM_FORMS": "1000"})
            for sub in formset.forms:
                for field_name in sub.fields:
                    value = sub[field_name].value()
                    if value is not None and not isinstance(value, (list, tuple)):
                        data[f"{sub.prefix}-{field_name}"] = str(value)
                    if field_name == "text":
                        data[f"{sub.prefix}-text"] = HOSTILE
        posts.append({**data, "title": HOSTILE, "status": S.DRAFT})
        posts.append({**data, "status": S.PUBLISHED, "publish_at_0": "01/01/2020", "publish_at_1": "10:00:00"})
        posts.append({**data, "caption": HOSTILE, "name": HOSTILE, "rights_expire_on": "01/01/2000"})
    if name.endswith("_changelist"):
        model, model_admin, _ = model_admin_for(name)
        actions = set()
        for user in (scene["publisher"], scene["writer"]):
            request = type("R", (), {"user": user, "GET": {}, "POST": {}, "method": "GET"})()
            try:
                actions |= set(model_admin.get_actions(request))
            except Exception:  # an admin that reads more of the request: the fixed list below still runs
                pass
        ids = protected_ids if model is Article else [str(o.pk) for o in objects_for(model, scene)]
        for action in sorted(actions | {"delete_selected"}):
            posts.append({"action": action, "_selected_action": ids, "index": "0", "confirm": "yes", "post": "yes",
                          "publish_at_0": "01/01/2020", "publish_at_1": "10:00:00", "reason": "Piraté"})
    return posts


ROLES = ("writer", "staff", "anonymous", "publisher")


def client_for(role, scene) -> Client | None:
    client = Client()
    if role == "writer":
        client.force_login(scene["writer"])
    elif role == "publisher":
        login_verified(client, scene["publisher"])  # both factors, as the admin login leaves a publisher
    elif role == "staff":
        client.force_login(scene["staff"])
    return client


def walk(role, scene) -> tuple[int, list[str]]:
    """GET and crafted POSTs on every admin URL as `role`; returns the count and any 500s."""
    client = client_for(role, scene)
    count, errors = 0, []
    for route, name in admin_urls():
        if name is None or name in ("logout",):
            continue  # unnamed routes redirect or 404; logout is walked last
        for url in urls_for(name, route, scene) or []:
            response = client.get(url)
            count += 1
            if response.status_code >= 500:
                errors.append(f"GET {url}: {response.status_code}")
            for data in crafted_posts(url, name, response, scene):
                posted = client.post(url, data)
                count += 1
                if posted.status_code >= 500:
                    errors.append(f"POST {url}: {posted.status_code}")
    client.post(reverse("admin:logout"))
    print(f"admin walk as {role}: {len(admin_urls())} URL patterns, {count} requests")  # shown with pytest -s
    return count, errors


@pytest.mark.parametrize("role", ["writer", "staff", "anonymous"])
def test_no_role_below_publication_changes_what_a_published_scheduled_or_withdrawn_release_shows(scene, role):
    before = world(scene)
    count, errors = walk(role, scene)
    assert not errors
    assert world(scene) == before
    assert count > 500  # the walk really went through the admin (see the module docstring)


def test_a_publisher_walking_every_admin_url_never_gets_a_500(scene):
    count, errors = walk("publisher", scene)
    assert not errors
    assert count > 500


def test_a_writer_still_edits_their_own_draft(scene, client):
    """The walk above is not passing because the admin refuses everything."""
    draft = scene["editable"][0]
    client.force_login(scene["writer"])
    page = client.get(reverse("admin:articles_article_change", args=[draft.pk]))
    assert page.status_code == 200
    from tests.admin_posts import form_data

    assert client.post(reverse("admin:articles_article_change", args=[draft.pk]), form_data(page, title="Nouveau titre")).status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Nouveau titre"
