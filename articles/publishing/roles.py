"""Who may do what: Rédaction writes drafts, Publication publishes and guards what is published.

Asked by every writer — the workflow, embargo links, the admin's forms, the importer —
so that a rule about roles exists once.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from taggit.models import Tag

from ..models import Article, Credit, Photo, PressContact, Speaker

S = Article.Status

PUBLISH_PERMISSION = "articles.publish_article"
CHANGE_PERMISSION = "articles.change_article"

# Releases whose content only Publication may change, and whose photos, credits,
# speakers, tags and contacts are locked with them: published (live or scheduled:
# what goes live is what was approved) and withdrawn (kept on record as published).
LOCKING_STATUSES = (S.PUBLISHED, S.WITHDRAWN)

# How a release reaches each shared object it shows (Article lookups).
_SHOWN_THROUGH = {
    Photo: "article_photos__photo",
    Credit: "article_photos__photo__credit",
    Speaker: "quotes__speaker",
    Tag: "tags",
    PressContact: "press_contacts",
}


# --- Who acts ---------------------------------------------------------------------------------


class CommandLine:
    """The person running a management command on the server (`manage.py import_release`
    without `--user`), as an actor of the workflow.

    Whoever can run commands on the server already holds the database and the secret key,
    so the roles would guard nothing against them: they may do what Publication does. The
    workflow still runs every other rule for them (a photo without credit still blocks a
    publication), and the history and the audit log name them "ligne de commande" rather
    than nobody. No request can ever carry this actor: only code run on the server makes one.
    """

    is_active = True
    is_authenticated = False  # no account: stored as no user, named by `get_username()`
    pk = None

    def has_perm(self, perm, obj=None) -> bool:
        return True

    def get_username(self) -> str:
        return "ligne de commande"

    def __str__(self) -> str:
        return self.get_username()


COMMAND_LINE = CommandLine()


def account(actor):
    """The user row to store for `actor` (updated_by, a revision's user): None for the command line."""
    return None if actor is None or isinstance(actor, CommandLine) else actor


# --- Who may do what ------------------------------------------------------------------------


def can_publish(user) -> bool:
    """Publication: publish, schedule, send back, withdraw, remove, edit published releases."""
    return bool(user and user.is_active and user.has_perm(PUBLISH_PERMISSION))


def can_edit(user, article: Article | None) -> bool:
    """Rédaction edits drafts and releases in review; only Publication touches the rest."""
    if not (user and user.is_active and user.has_perm(CHANGE_PERMISSION)):
        return False
    if article is None or article.status in (S.DRAFT, S.REVIEW):
        return True
    return can_publish(user)


def releases_showing(obj) -> QuerySet[Article]:
    """The releases that show `obj`: a photo, credit, speaker, tag or press contact."""
    return Article.objects.filter(**{_SHOWN_THROUGH[type(obj)]: obj}).distinct()


def locking_releases(obj) -> QuerySet[Article]:
    """The published (live or scheduled) or withdrawn releases that show `obj`."""
    return releases_showing(obj).filter(status__in=LOCKING_STATUSES).order_by("title")


def locked_for(user, obj) -> bool:
    """Is `obj` shown by a release only Publication may change, and is `user` not in Publication?

    A photo's caption, file, credit or rights, a speaker's name, a tag or a contact
    is part of what such a release shows: changing it changes the approved release.
    """
    if obj is None or obj.pk is None or type(obj) not in _SHOWN_THROUGH or can_publish(user):
        return False
    return locking_releases(obj).exists()


def require_publisher(user):
    if not can_publish(user):
        raise PermissionDenied(_("Seule l'équipe Publication peut publier, programmer, renvoyer en relecture, retirer ou supprimer un communiqué."))
