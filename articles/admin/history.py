"""A readable diff between two saved versions of a release, for the admin's history.

django-reversion stores each save as a revision holding the article and the rows it
owns (quotes, photo placements, tag links); press contacts are the ids in the
article's own version. Here a revision is turned
into a few labelled texts — title, text, status, quotes, photos… — and compared
with the revision before it, word by word.
"""

from __future__ import annotations

import difflib
import re

from django.http import Http404
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from reversion.models import Version
from taggit.models import Tag

from ..models import Article, Photo, PressContact, Speaker
from ..publishing.history import snapshot
from ..publishing.workflow import local_label
from ..sanitize import html_to_text as _text  # the one HTML → text conversion


def readable(version: Version) -> dict[str, str]:
    """The texts an editor compares, for one saved version of an article."""
    data = version.field_dict
    status = dict(Article.Status.choices).get(data.get("status"), data.get("status"))
    publish_at = data.get("publish_at")
    if isinstance(publish_at, str):
        publish_at = parse_datetime(publish_at)
    # Only the rows of this release, as a restore would use them (articles/history.py).
    snap = snapshot(version)
    quotes, placements = snap.quotes, snap.placements
    speakers = Speaker.objects.in_bulk([q["speaker_id"] for q in quotes])
    photos = Photo.objects.in_bulk([p["photo_id"] for p in placements])
    tags = Tag.objects.in_bulk(snap.tag_ids)
    contacts = PressContact.objects.in_bulk(data.get("press_contacts") or [])
    return {
        _("Titre"): data.get("title", ""),
        _("Chapô"): data.get("standfirst", ""),
        _("Texte"): _text(data.get("body", "")),
        _("Lieu"): data.get("location", ""),
        _("Slug"): data.get("slug", ""),
        _("État"): str(status),
        _("Date de publication"): local_label(publish_at) if publish_at else "",
        _("Note de mise à jour"): data.get("change_note", ""),
        _("Motif du retrait"): data.get("withdrawal_reason", ""),
        _("Citations"): "\n".join(
            f"{speakers[q['speaker_id']].name if q['speaker_id'] in speakers else '?'} : {q['text']}" for q in quotes
        ),
        _("Photos"): "\n".join(str(photos.get(p["photo_id"], "?")) for p in placements),
        _("Mots-clés"): ", ".join(sorted(t.name for t in tags.values())),
        _("Contacts presse"): ", ".join(sorted(str(c) for c in contacts.values())),
    }


def word_diff(before: str, after: str):
    """HTML with <del> for removed words and <ins> for added ones."""
    a, b = re.split(r"(\s+)", before), re.split(r"(\s+)", after)
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            parts.append(format_html("<del>{}</del>", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            parts.append(format_html("<ins>{}</ins>", "".join(b[j1:j2])))
        if op == "equal":
            parts.append(format_html("{}", "".join(a[i1:i2])))
    return mark_safe("".join(parts))


def revision_diff(article: Article, revision_id: int) -> dict:
    """What changed in `article` at this revision, compared with its previous saved version."""
    versions = list(Version.objects.get_for_object(article).select_related("revision__user"))  # newest first
    index = next((i for i, v in enumerate(versions) if v.revision_id == revision_id), None)
    if index is None:
        raise Http404(_("Version introuvable."))
    version = versions[index]
    previous = versions[index + 1] if index + 1 < len(versions) else None
    after = readable(version)
    before = readable(previous) if previous else {key: "" for key in after}
    changes = [
        {"label": key, "html": word_diff(before[key], after[key])}
        for key in after if before[key] != after[key]
    ]
    return {"version": version, "previous": previous, "changes": changes}


def restore_changes(article: Article | None, version: Version) -> list[dict]:
    """What restoring `version` would change, compared with the release's latest saved version."""
    after = readable(version)
    latest = Version.objects.get_for_object(article).first() if article is not None else None
    before = readable(latest) if latest is not None else {key: "" for key in after}
    return [{"label": key, "html": word_diff(before[key], after[key])} for key in after if before[key] != after[key]]
