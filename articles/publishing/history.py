"""The history of a release: what is recorded at each save, and how an old version comes back.

django-reversion stores each save as a revision holding the article and the rows it
owns (quotes, photo placements, tag links); the links to press contacts are ids in
the article's own version. This module registers that, and turns one saved version
back into content — never by `revision.revert()`.

Why not reversion's revert: it restores *every* row of a revision, whatever model or
release it belongs to, looks versions up by number only, writes past `Article.save()`,
and runs before any permission check can see the state it is about to replace. A
writer could bring back a withdrawn release, or put a release embargoed for a month
online, by opening a version of another release's revision. Here a version is only
read as data, and only the rows that belong to this very release are used; the
restore itself is a workflow service (`workflow.restore`) with the role, state and
approval checks every other transition has.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models.signals import pre_save
from django.utils.translation import gettext as _
from reversion.models import Version
from taggit.models import Tag

from ..models import Article, ArticlePhoto, Photo, PressContact, Quote, Speaker, TaggedArticle
from ..paris_time import local_label
from ..sanitize import sanitize_html

# A release is recorded with the rows it owns, so that its history can show and bring
# them back. Never follow a shared row (press contact, photo, speaker, tag): they are
# what other releases, live ones included, show.
OWNED_BY_ARTICLE = (Quote, ArticlePhoto, TaggedArticle)

# What a restore brings back: the release's content. Its state in the workflow (status,
# publication time, first publication, withdrawal) is never taken from an old version:
# a restore is an edit, and the current state decides who may make it.
RESTORED_FIELDS = ("title", "standfirst", "body", "location", "slug", "language", "change_note")


def register() -> None:
    """Record releases with their owned rows (called from the app's ready())."""
    for model in OWNED_BY_ARTICLE:
        if not reversion.is_registered(model):
            reversion.register(model)
    # Still registered so that old revisions that followed press contacts stay readable;
    # their contact rows are never written back (see `snapshot`).
    if not reversion.is_registered(PressContact):
        reversion.register(PressContact)
    if not reversion.is_registered(Article):
        reversion.register(Article, follow=["quotes", "article_photos", "taggedarticle_set"])


def sanitise_restored_body(sender, instance, raw, **kwargs):
    """reversion's own revert (from a shell, say) writes with save_base(raw=True), past
    Article.save()'s sanitising: an old version must not bring back markup no longer allowed."""
    if raw:
        instance.body = sanitize_html(instance.body)


def connect_receivers() -> None:
    pre_save.connect(sanitise_restored_body, sender=Article, dispatch_uid="articles.publishing.history.sanitise_restored_body")


@dataclass
class Snapshot:
    """One saved version of one release, as plain data: only what belongs to that release."""

    version: Version
    fields: dict
    press_contact_ids: list[int]
    quotes: list[dict] = field(default_factory=list)  # speaker_id, text, position
    placements: list[dict] = field(default_factory=list)  # photo_id, position
    tag_ids: list[int] = field(default_factory=list)


def version_of(article_pk: int, version_id, *, deleted: bool = False) -> Version:
    """The saved version `version_id` of release `article_pk` — of that release and no other.

    Raises ValidationError (French) for a version of anything else: another release, a
    quote, a photo placement, a version number made up.
    """
    try:
        version_id = int(version_id)
    except (TypeError, ValueError):
        version_id = None
    versions = Version.objects.get_for_model(Article).select_related("revision__user")
    if deleted:
        versions = versions.filter(pk__in=Version.objects.get_deleted(Article).values("pk"))
    else:
        versions = versions.filter(object_id=str(article_pk))
    version = versions.filter(pk=version_id).first() if version_id else None
    if version is None:
        raise ValidationError(_("Cette version n'appartient pas à ce communiqué : rien n'a été restauré."), code="version")
    return version


def _rows(revision, model) -> list[dict]:
    ct = ContentType.objects.get_for_model(model)
    return [v.field_dict for v in revision.version_set.filter(content_type=ct)]


def snapshot(version: Version) -> Snapshot:
    """Read one saved version of a release; rows of the revision that belong to another release are ignored."""
    data = version.field_dict
    pk = int(version.object_id)
    return Snapshot(
        version=version,
        fields={name: data.get(name) for name in RESTORED_FIELDS if name in data},
        press_contact_ids=[int(i) for i in data.get("press_contacts") or []],
        quotes=sorted(
            (q for q in _rows(version.revision, Quote) if q.get("article_id") == pk),
            key=lambda q: (q.get("position") or 0, q.get("id") or 0),
        ),
        placements=sorted(
            (p for p in _rows(version.revision, ArticlePhoto) if p.get("article_id") == pk),
            key=lambda p: (p.get("position") or 0, p.get("id") or 0),
        ),
        tag_ids=[t["tag_id"] for t in _rows(version.revision, TaggedArticle) if t.get("content_object_id") == pk],
    )


def apply_snapshot(article: Article, snap: Snapshot) -> list[str]:
    """Put the snapshot's content on `article` (not saved) and replace the rows it owns.

    The article must be saved by the caller afterwards (the workflow does it, with the
    version bump and the history). Shared rows (photos, speakers, tags, contacts) are
    linked, never modified; those deleted since are left out, and each one left out is
    returned as a French note for the editor.
    """
    notes = []
    for name, value in snap.fields.items():
        setattr(article, name, value if value is not None else "")
    article.slug = article.slug or ""
    if article.slug and Article.objects.filter(slug=article.slug).exclude(pk=article.pk).exists():
        raise ValidationError(
            _("L'adresse « %(slug)s » de cette version est prise depuis par un autre communiqué : changez-la après la restauration, ou restaurez une autre version.")
            % {"slug": article.slug},
            code="slug",
        )

    speakers = Speaker.objects.in_bulk({q["speaker_id"] for q in snap.quotes})
    photos = Photo.objects.in_bulk({p["photo_id"] for p in snap.placements})
    tags = Tag.objects.in_bulk(set(snap.tag_ids))
    contacts = PressContact.objects.in_bulk(set(snap.press_contact_ids))

    article.quotes.all().delete()
    Quote.objects.bulk_create(
        Quote(article=article, speaker=speakers[q["speaker_id"]], text=q.get("text") or "", position=q.get("position") or 0)
        for q in snap.quotes if q["speaker_id"] in speakers
    )
    if len(speakers) < len({q["speaker_id"] for q in snap.quotes}):
        notes.append(_("Des citations de personnes supprimées depuis n'ont pas été restaurées."))

    article.article_photos.all().delete()
    seen = set()
    placements = []
    for p in snap.placements:
        if p["photo_id"] in photos and p["photo_id"] not in seen:
            seen.add(p["photo_id"])
            placements.append(ArticlePhoto(article=article, photo=photos[p["photo_id"]], position=p.get("position") or 0))
    ArticlePhoto.objects.bulk_create(placements)
    if len(photos) < len({p["photo_id"] for p in snap.placements}):
        notes.append(_("Des photos supprimées de la photothèque depuis n'ont pas été restaurées."))

    TaggedArticle.objects.filter(content_object=article).delete()
    TaggedArticle.objects.bulk_create(TaggedArticle(content_object=article, tag=tag) for tag in tags.values())
    if len(tags) < len(set(snap.tag_ids)):
        notes.append(_("Des mots-clés supprimés depuis n'ont pas été restaurés."))

    article.press_contacts.set(contacts.values())
    if len(contacts) < len(set(snap.press_contact_ids)):
        notes.append(_("Des contacts presse supprimés depuis n'ont pas été restaurés."))
    return notes


def version_label(version: Version) -> str:
    who = version.revision.user
    name = (who.get_full_name() or who.get_username()) if who else _("quelqu'un")
    return _("la version du %(when)s (enregistrée par %(who)s)") % {
        "when": local_label(version.revision.date_created), "who": name,
    }
