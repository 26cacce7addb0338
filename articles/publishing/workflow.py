"""The publishing workflow: every change of state of a release, one function each.

draft → review → published (now, or "scheduled": published with publish_at in the
future) → withdrawn (a public notice stays at the address) or removed (published
in error: 410). Visibility itself is never decided here: `Article.objects.public()`
decides it at query time, so a scheduled release goes live at its minute with no
cron job.

Decisions a reader might undo by mistake:

* **What goes live is what was approved.** Only a user with `articles.publish_article`
  (the "Publication" group) may change a published or scheduled release; their save
  of it *is* the approval of exactly what they saved, and the history says so. A
  "Rédaction" writer who must fix a scheduled release asks a publisher to send it back
  to review first, which takes it off the schedule until it is published again.
* **first_published_at is set once**, when the release first goes (or is scheduled to
  go) live, and is kept through corrections, withdrawal and republication. A release
  rescheduled before it ever went live takes its new time.
* Every function is one transaction, locks the article row, bumps `version` (so an
  editor with the form open gets the conflict message) and records a revision.

Each function takes keyword-only arguments and raises `ValidationError` with a French
message for the editor when the change is not allowed.
"""

from __future__ import annotations

from datetime import datetime

import reversion
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Article, AuditEntry, SlugRedirect
from ..paris_time import local_label  # noqa: F401  (the one long Paris-time label; re-exported)

# Who may do what lives in roles.py (shared with embargo links and the admin); re-exported here.
from .roles import (  # noqa: F401
    CHANGE_PERMISSION,
    LOCKING_STATUSES,
    PUBLISH_PERMISSION,
    account,
    can_edit,
    can_publish,
    locked_for,
    locking_releases,
    releases_showing,
)
from .roles import require_publisher as _require_publisher

S = Article.Status
Action = AuditEntry.Action
# --- Labels ---------------------------------------------------------------------------------


def state_label(article: Article, now: datetime | None = None) -> str:
    """What an editor should read about a release's state, e.g. "Programmé pour le …"."""
    now = now or timezone.now()
    if article.status == S.PUBLISHED and article.publish_at:
        if article.publish_at > now:
            return _("Programmé pour le %(when)s") % {"when": local_label(article.publish_at)}
        return _("En ligne depuis le %(when)s") % {"when": local_label(article.publish_at)}
    if article.status == S.PUBLISHED:
        return _("Publié sans date (invisible)")
    if article.status == S.WITHDRAWN and article.withdrawn_at:
        return _("Retiré le %(when)s") % {"when": local_label(article.withdrawn_at)}
    return str(article.get_status_display())


def was_published(article: Article, now: datetime | None = None) -> bool:
    """Did the public ever see this release? (Decides notice/410 versus a plain 404.)"""
    now = now or timezone.now()
    return article.first_published_at is not None and article.first_published_at <= now


# --- Derived fields, shared with the admin's save -------------------------------------------


def apply_edit(*, article: Article, user, previous_status: str | None, previous_slug: str | None, now=None) -> None:
    """Derive what an edit implies before the article is saved (the admin's form save uses it too).

    Bumps the version, stamps who changed it, sets first_published_at once,
    stamps the withdrawal, and keeps the old address of a release the public has
    seen working with a 301.
    """
    now = now or timezone.now()
    article.version = (article.version or 0) + 1
    article.updated_by = account(user)
    if (previous_status == S.PUBLISHED and article.first_published_at is None
            and article.publish_at is not None and article.publish_at <= now):
        # Went live without this workflow (imported, or before it existed): it *was* published.
        article.first_published_at = article.publish_at
    if article.status == S.PUBLISHED:
        if article.publish_at is None:
            article.publish_at = now
        # Set once: a release rescheduled before it ever went live takes its new time.
        if article.first_published_at is None or article.first_published_at > now:
            article.first_published_at = article.publish_at
        article.withdrawn_at = None
    elif article.status == S.WITHDRAWN:
        if previous_status != S.WITHDRAWN or article.withdrawn_at is None:
            article.withdrawn_at = now
    if article.status != S.PUBLISHED and article.first_published_at and article.first_published_at > now:
        # Taken off the schedule before its time: the public never saw it, and never will
        # see a notice or a 410 at its address (a plain 404, as for a draft).
        article.first_published_at = None
    if previous_slug and article.slug and previous_slug != article.slug:
        record_slug_change(article=article, old_slug=previous_slug)


def record_slug_change(*, article: Article, old_slug: str) -> None:
    """The old address of a release the public may have seen answers with a 301 to the new one."""
    SlugRedirect.objects.filter(old_slug=article.slug).delete()  # the article takes its old address back
    if article.first_published_at is not None:
        SlugRedirect.objects.update_or_create(old_slug=old_slug, defaults={"article": article})


# --- Transitions ----------------------------------------------------------------------------


def _locked(article: Article) -> Article:
    return Article.objects.select_for_update().get(pk=article.pk)


def _save(fresh: Article, *, user, previous_status: str, comment: str, action: str, detail: str = "") -> Article:
    from .events import after_save

    apply_edit(article=fresh, user=user, previous_status=previous_status, previous_slug=None)
    fresh.save()  # the cache and the search text follow through receivers (cache_policy, search_receivers)
    after_save(article=fresh, previous_status=previous_status)  # "went live" at once when published now
    reversion.add_to_revision(fresh)  # with its quotes, photo placements and tag links (see admin/article.py)
    reversion.set_user(account(user))
    reversion.set_comment(comment)
    record_state_change(article=fresh, user=user, previous_status=previous_status, action=action, detail=detail or comment)
    return fresh


def edit_action(*, previous_status: str | None, previous_publish_at: datetime | None, article: Article,
                now: datetime | None = None) -> str | None:
    """The audit action a save amounts to, from the state before and after (None: no change of state).

    Used for the admin's form, where a publisher can change the state field directly;
    the transitions below name their action themselves.
    """
    now = now or timezone.now()

    def to_the_second(value):  # the admin's form drops microseconds: a plain re-save is no new date
        return value.replace(microsecond=0) if value else None

    same_date = to_the_second(article.publish_at) == to_the_second(previous_publish_at)
    if article.status == previous_status and (article.status != S.PUBLISHED or same_date):
        return None
    if article.status == S.REMOVED:
        return Action.REMOVED
    if article.status == S.WITHDRAWN:
        return Action.WITHDRAWN
    if article.status == S.PUBLISHED:
        return Action.SCHEDULED if article.publish_at and article.publish_at > now else Action.PUBLISHED
    if previous_status == S.PUBLISHED:
        return Action.SENT_BACK  # to review, or straight back to draft: off the site and off the schedule
    if previous_status == S.DRAFT and article.status == S.REVIEW:
        return Action.SUBMITTED
    return None


def record_state_change(*, article: Article, user, previous_status: str | None,
                        previous_publish_at: datetime | None = None, action: str | None = None, detail: str = "") -> None:
    """What a change of state implies beyond the release's own row, whichever way it was saved
    (these transitions, or the admin's form): one audit entry, and when the release leaves
    the published state, every embargo link to it revoked, by `user`, now.

    Revoked rather than suspended: a link that only stopped opening while the release was in
    review would open again once it was rescheduled, on a version its recipient was never
    meant to read. Withdrawal and removal revoke too: a withdrawn release can be published
    again, and the link list should say plainly that these links are closed.
    """
    from . import audit, embargo

    action = action or edit_action(previous_status=previous_status, previous_publish_at=previous_publish_at, article=article)
    if action:
        audit.record(action=action, actor=user, article=article, detail=detail)
    if previous_status == S.PUBLISHED and article.status != S.PUBLISHED:
        embargo.revoke_release_links(
            article=article, user=user,
            reason=_("le communiqué n'est plus publié (%(state)s)") % {"state": article.get_status_display()},
        )


def publication_day(publish_at: datetime | None):
    """The day a release's photos must be publishable on: the day it goes live (today if now or past)."""
    now = timezone.now()
    return timezone.localdate(max(publish_at or now, now))


def save_edit(*, article: Article, user, previous: Article | None) -> Article:
    """Save a whole form of a release (the admin's change form), `check_edit` having said yes.

    `previous` is the release as it stood, read under lock when the form was checked (None
    for a new release). The same consequences as the transitions below: derived fields,
    the audit entry and embargo links revoked when the state field changed the state, and
    the release's events. Runs in the caller's transaction.
    """
    from .events import after_save

    if previous is None:
        article.created_by = account(user)
    else:
        article.version = previous.version
    previous_status = previous.status if previous else None
    apply_edit(article=article, user=user, previous_status=previous_status,
               previous_slug=previous.slug if previous else None)
    article.save()
    record_state_change(article=article, user=user, previous_status=previous_status,
                        previous_publish_at=previous.publish_at if previous else None)
    after_save(article=article, previous_status=previous_status)
    if previous is not None and not article.translation_of_id:
        _follow_original(original=article, user=user)
    return article


def _follow_original(*, original: Article, user) -> None:
    """After a whole-form save of an original, its published translations keep in step with it:
    its new time when it is published or scheduled, its withdrawal or removal, its return to
    review. (Visibility never depends on this — querysets.visible_now reads the original — but
    a translation's address must say "withdrawn" when its group was withdrawn.)"""
    from .events import after_save

    for item in _locked_translations(original):
        if item.status != S.PUBLISHED:
            continue
        previous_status, previous_publish_at = item.status, item.publish_at
        if original.status == S.PUBLISHED:
            if item.publish_at == original.publish_at:
                continue
            item.publish_at = original.publish_at
        elif original.status == S.WITHDRAWN:
            item.status, item.withdrawal_reason = S.WITHDRAWN, original.withdrawal_reason
        elif original.status == S.REMOVED:
            item.status = S.REMOVED
        else:
            item.status = S.REVIEW
        apply_edit(article=item, user=user, previous_status=previous_status, previous_slug=None)
        item.save()
        record_state_change(article=item, user=user, previous_status=previous_status,
                            previous_publish_at=previous_publish_at)
        after_save(article=item, previous_status=previous_status)


def approval_comment(*, article: Article, user) -> str:
    """What the history says of a save by Publication of a published release: it approves exactly
    this version (see "What goes live is what was approved" above); "" for any other save."""
    if article.status != S.PUBLISHED or not can_publish(user):
        return ""
    if article.publish_at and article.publish_at > timezone.now():
        return _("Version approuvée pour publication, programmée pour le %(when)s.") % {"when": local_label(article.publish_at)}
    return _("Version approuvée : c'est celle qui est publiée.")


def _refuse(message: str):
    raise ValidationError(message, code="workflow")


def check_edit(*, user, current: Article | None, status: str, withdrawal_reason: str = "") -> None:
    """May `user` save a release, now in `current`'s state (None: a new one), in `status`?

    The rules of a whole-form save (the admin's change form, or any writer that sets the
    state field itself rather than calling a transition below): Rédaction keeps to drafts
    and releases in review; only Publication touches a published, scheduled or withdrawn
    release; a withdrawal always says why, since its reason is shown at the release's
    address. Raises one ValidationError keyed by field ("status", "withdrawal_reason",
    or NON_FIELD_ERRORS for the release as a whole), in the editor's words.
    """
    errors: dict[str, ValidationError] = {}
    if current is None and not can_edit(user, None):
        errors[NON_FIELD_ERRORS] = ValidationError(
            _("Seules la Rédaction et la Publication peuvent créer un communiqué."), code="role")
    elif current is not None and not can_edit(user, current):
        errors[NON_FIELD_ERRORS] = ValidationError(
            _("Ce communiqué est publié ou programmé : seule l'équipe Publication peut le modifier. "
              "Demandez-lui de le renvoyer en relecture."), code="role")
    if status not in (S.DRAFT, S.REVIEW) and not can_publish(user):
        errors["status"] = ValidationError(
            _("Seule l'équipe Publication peut publier, programmer, retirer ou supprimer un communiqué : "
              "choisissez « Brouillon » ou « En relecture »."), code="role")
    if status == S.WITHDRAWN and not (withdrawal_reason or "").strip():
        errors["withdrawal_reason"] = ValidationError(
            _("Le motif du retrait est obligatoire : il est affiché publiquement."), code="required")
    if errors:
        raise ValidationError(errors)


def submit_for_review(*, article: Article, user) -> Article:
    """Rédaction hands a draft to Publication."""
    if not can_edit(user, article):
        raise PermissionDenied(_("Vous ne pouvez pas modifier ce communiqué."))
    with transaction.atomic(), reversion.create_revision():
        fresh = _locked(article)
        if fresh.status != S.DRAFT:
            _refuse(_("« %(title)s » n'est pas un brouillon (%(state)s) : il ne peut pas être envoyé en relecture.")
                    % {"title": fresh.title, "state": state_label(fresh)})
        previous = fresh.status
        fresh.status = S.REVIEW
        return _save(fresh, user=user, previous_status=previous, comment=_("Envoyé en relecture."),
                     action=Action.SUBMITTED)


def publish(*, article: Article, user, publish_at: datetime | None = None, leave_out=()) -> Article:
    """Publish now (publish_at None or past) or schedule for publish_at — with its translations.

    A release and its translations go live as one (issue #14): publishing the original
    publishes, at the same time, every translation that is ready (in review, or already
    published or withdrawn with the group). A translation still in draft blocks the group,
    unless the publisher leaves it out by its id in `leave_out`: it then stays off the site
    (a left-out translation that was published goes back to review). A translation finished
    after its group was published or scheduled is published alone, and joins the group's
    time; a translation whose original is not published is refused: publish the original.

    Refused when the release or a translation has publication problems (a photo without
    credit, photo rights expired on the day it would go live).
    """
    _require_publisher(user)
    now = timezone.now()
    when = publish_at or now
    leave_out = {int(pk) for pk in leave_out}
    with transaction.atomic(), reversion.create_revision():
        fresh = _locked(article)
        if fresh.translation_of_id:
            return _publish_translation(fresh, user=user)
        if fresh.status == S.REMOVED:
            _refuse(_("« %(title)s » a été supprimé : il ne peut plus être publié.") % {"title": fresh.title})
        members = _locked_translations(fresh)
        not_ready = [t for t in members if t.status == S.DRAFT and t.pk not in leave_out]
        if not_ready:
            _refuse(_("« %(title)s » ne peut pas être publié : %(names)s n'est pas prête (brouillon). "
                      "Envoyez-la en relecture, ou laissez-la explicitement de côté.")
                    % {"title": fresh.title, "names": ", ".join(_member_label(t) for t in not_ready)})
        going = [t for t in members if t.pk not in leave_out and t.status in (S.REVIEW, S.PUBLISHED, S.WITHDRAWN)]
        problems = []
        for item in [fresh, *going]:
            problems += item.publication_problems(on=publication_day(when))
        if problems:
            _refuse(_("« %(title)s » ne peut pas être publié : %(problems)s")
                    % {"title": fresh.title, "problems": " ".join(str(p) for p in problems)})
        previous = fresh.status
        fresh.status = S.PUBLISHED
        fresh.publish_at = when
        if when > now:
            comment = _("Approuvé et programmé pour le %(when)s.") % {"when": local_label(when)}
        else:
            comment = _("Approuvé et publié.")
        action = Action.SCHEDULED if when > now else Action.PUBLISHED
        for item in going:
            item_previous, item.status, item.publish_at = item.status, S.PUBLISHED, when
            _save(item, user=user, previous_status=item_previous, comment=comment, action=action,
                  detail=_("%(comment)s Avec l'original « %(title)s ».") % {"comment": comment, "title": fresh.title})
        for item in members:
            if item.pk in leave_out and item.status == S.PUBLISHED:
                item.status = S.REVIEW
                _save(item, user=user, previous_status=S.PUBLISHED, action=Action.SENT_BACK,
                      comment=_("Laissée de côté à la publication de l'original : renvoyée en relecture."))
        return _save(fresh, user=user, previous_status=previous, comment=comment, action=action, detail=comment)


def _locked_translations(original: Article) -> list[Article]:
    """The original's translations, locked in a fixed order (two publishers never deadlock)."""
    return list(Article.objects.select_for_update().filter(translation_of=original).order_by("pk"))


def _member_label(article: Article) -> str:
    return _("la traduction %(language)s « %(title)s »") % {
        "language": article.get_language_display().lower(), "title": article.title}


def _publish_translation(fresh: Article, *, user) -> Article:
    """A translation approved on its own joins its group, which must be published or scheduled."""
    original = Article.objects.select_for_update().get(pk=fresh.translation_of_id)
    if original.status != S.PUBLISHED:
        _refuse(_("« %(title)s » est une traduction : publiez ou programmez l'original « %(original)s », "
                  "avec lequel elle sera mise en ligne.") % {"title": fresh.title, "original": original.title})
    problems = fresh.publication_problems(on=publication_day(original.publish_at))
    if problems:
        _refuse(_("« %(title)s » ne peut pas être publié : %(problems)s")
                % {"title": fresh.title, "problems": " ".join(str(p) for p in problems)})
    previous = fresh.status
    fresh.status = S.PUBLISHED
    fresh.publish_at = original.publish_at  # the group's time: ordering and display only (querysets.visible_now)
    scheduled = original.publish_at > timezone.now()
    comment = (_("Traduction approuvée, programmée avec l'original pour le %(when)s.") % {"when": local_label(original.publish_at)}
               if scheduled else _("Traduction approuvée et publiée avec l'original."))
    return _save(fresh, user=user, previous_status=previous, comment=comment,
                 action=Action.SCHEDULED if scheduled else Action.PUBLISHED, detail=comment)


def _group_for_update(article: Article) -> tuple[Article, list[Article]]:
    """The group of `article` (its original, then the translations), locked: transitions act on it whole."""
    original = _locked(article.translation_of if article.translation_of_id else article)
    return original, _locked_translations(original)


def send_back_to_review(*, article: Article, user) -> Article:
    """Take a published or scheduled release back to review (off the site, off the schedule).

    On an original, its published translations go back to review with it; on a
    translation, that translation alone leaves its group's publication.
    """
    _require_publisher(user)
    with transaction.atomic(), reversion.create_revision():
        fresh = _locked(article)
        if fresh.status != S.PUBLISHED:
            _refuse(_("« %(title)s » n'est ni publié ni programmé (%(state)s) : rien à renvoyer en relecture.")
                    % {"title": fresh.title, "state": state_label(fresh)})
        members = [] if fresh.translation_of_id else _locked_translations(fresh)
        for item in members:
            if item.status == S.PUBLISHED:
                item.status = S.REVIEW
                _save(item, user=user, previous_status=S.PUBLISHED, action=Action.SENT_BACK,
                      comment=_("Renvoyé en relecture avec l'original : retiré du programme."))
        fresh.status = S.REVIEW
        return _save(fresh, user=user, previous_status=S.PUBLISHED, comment=_("Renvoyé en relecture : retiré du programme."),
                     action=Action.SENT_BACK)


def withdraw(*, article: Article, user, reason: str) -> Article:
    """Withdraw a published release with its translations, as one group; each address then
    shows only the date and this public reason. Called on a translation, withdraws its group."""
    _require_publisher(user)
    reason = (reason or "").strip()
    if not reason:
        _refuse(_("Le motif du retrait est obligatoire : il est affiché publiquement à l'adresse du communiqué."))
    with transaction.atomic(), reversion.create_revision():
        original, members = _group_for_update(article)
        if original.status != S.PUBLISHED:
            _refuse(_("« %(title)s » n'est pas publié (%(state)s) : il ne peut pas être retiré.")
                    % {"title": original.title, "state": state_label(original)})
        comment = _("Retiré. Motif : %(reason)s") % {"reason": reason}
        for item in members:
            if item.status == S.PUBLISHED:
                item.status, item.withdrawal_reason = S.WITHDRAWN, reason
                _save(item, user=user, previous_status=S.PUBLISHED, comment=comment, action=Action.WITHDRAWN, detail=comment)
        original.status = S.WITHDRAWN
        original.withdrawal_reason = reason
        saved = _save(original, user=user, previous_status=S.PUBLISHED, comment=comment, action=Action.WITHDRAWN, detail=comment)
        return _same_member(article, saved, members)


def remove(*, article: Article, user) -> Article:
    """A release published in error, with its translations: every address answers 410 Gone.
    Called on a translation, removes its group."""
    _require_publisher(user)
    with transaction.atomic(), reversion.create_revision():
        original, members = _group_for_update(article)
        if original.status not in (S.PUBLISHED, S.WITHDRAWN):
            _refuse(_("« %(title)s » n'a pas été publié (%(state)s) : remettez-le en brouillon plutôt que de le supprimer.")
                    % {"title": original.title, "state": state_label(original)})
        comment = _("Supprimé : publié par erreur.")
        for item in members:
            if item.status in (S.PUBLISHED, S.WITHDRAWN):
                previous, item.status = item.status, S.REMOVED
                _save(item, user=user, previous_status=previous, comment=comment, action=Action.REMOVED)
        previous = original.status
        original.status = S.REMOVED
        saved = _save(original, user=user, previous_status=previous, comment=comment, action=Action.REMOVED)
        return _same_member(article, saved, members)


def _same_member(article: Article, original: Article, members: list[Article]) -> Article:
    """The saved row of the member the caller named (the original, or one of its translations)."""
    return next((m for m in members if m.pk == article.pk), original)


# --- History: restoring a saved version -----------------------------------------------------


def restore(*, article: Article, version_id, user) -> tuple[Article, list[str]]:
    """Bring back the content of one saved version of this release (title, texts, quotes,
    photos, tags, contacts), as an edit by `user`.

    The version must be one of this release's own (articles/history.py). The release keeps
    its state in the workflow: a restore never publishes, schedules, un-withdraws or takes
    a release offline, so who may restore is who may edit it now — Rédaction a draft or a
    release in review, Publication any release but a removed one. A publisher's restore of
    a published release is the approval of what it brings back, checked like a publication
    (photo credits and rights). Returns the release and notes on what could not come back.
    """
    from . import history

    if not can_edit(user, article):
        raise PermissionDenied(_("Vous ne pouvez pas modifier ce communiqué : seule l'équipe Publication modifie un communiqué publié, programmé ou retiré."))
    with transaction.atomic(), reversion.create_revision():
        fresh = _locked(article)
        if not can_edit(user, fresh):  # its state may have changed since the page was opened
            raise PermissionDenied(_("Vous ne pouvez pas modifier ce communiqué : seule l'équipe Publication modifie un communiqué publié, programmé ou retiré."))
        if fresh.status == S.REMOVED:
            _refuse(_("« %(title)s » a été supprimé (publié par erreur) : ses anciennes versions ne peuvent pas revenir.") % {"title": fresh.title})
        version = history.version_of(fresh.pk, version_id)
        previous_slug = fresh.slug
        notes = history.apply_snapshot(fresh, history.snapshot(version))
        comment = _("Restauration de %(version)s.") % {"version": history.version_label(version)}
        if fresh.status == S.PUBLISHED:
            problems = fresh.publication_problems(on=publication_day(fresh.publish_at))
            if problems:
                _refuse(_("Cette version ne peut pas être restaurée sur un communiqué publié ou programmé : %(problems)s")
                        % {"problems": " ".join(str(p) for p in problems)})
            comment += " " + _("Version approuvée : c'est celle qui est publiée.")
        _restore_save(fresh, user=user, previous_status=fresh.status, previous_slug=previous_slug, comment=comment)
        return fresh, notes


def recover(*, version_id, user) -> tuple[Article, list[str]]:
    """Bring a deleted release back from its last saved version — as a draft, by Publication only.

    A recovered release never comes back online by itself: it returns to the workflow as
    a draft, and goes live again only through `publish`.
    """
    from ..slugs import unique_slug
    from . import history

    _require_publisher(user)
    with transaction.atomic(), reversion.create_revision():
        version = history.version_of(None, version_id, deleted=True)
        snap = history.snapshot(version)
        article = Article(pk=int(version.object_id), status=S.DRAFT, created_by=account(user))
        slug = snap.fields.get("slug") or ""
        if not slug or Article.objects.filter(slug=slug).exists():
            snap.fields["slug"] = unique_slug(Article, snap.fields.get("title") or "communique")
        for name, value in snap.fields.items():
            setattr(article, name, value if value is not None else "")
        article.save(force_insert=True)
        notes = history.apply_snapshot(article, snap)
        comment = _("Récupération de %(version)s, en brouillon.") % {"version": history.version_label(version)}
        _restore_save(article, user=user, previous_status=S.DRAFT, previous_slug=None, comment=comment)
        return article, notes


def _restore_save(article: Article, *, user, previous_status, previous_slug, comment: str) -> None:
    from .events import after_save

    apply_edit(article=article, user=user, previous_status=previous_status, previous_slug=previous_slug)
    article.save()  # its search text and the caches follow through receivers
    after_save(article=article, previous_status=previous_status)  # a live release restored: "updated"
    reversion.add_to_revision(article)
    reversion.set_user(account(user))
    reversion.set_comment(comment)
    from . import audit

    audit.record(action=Action.RESTORED, actor=user, article=article, detail=comment)
