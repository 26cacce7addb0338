"""`import_release()`: one release file in, in one transaction, and the summary an editor reads."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import reversion
from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ..discovery import receivers as search_receivers
from ..models import Article, ArticlePhoto, Credit, Photo, PressContact, Quote, Speaker
from ..publishing import workflow
from ..publishing.roles import COMMAND_LINE, account
from ..slugs import cut_at_word, legacy_slugify, slugify_fr
from ..tasks import make_photo_files
from .japanese import new_person
from .parsing import parse_release
from .release import ParsedRelease, ReleaseError


@dataclass
class ImportResult:
    article: Article
    created: bool
    photos: list[Photo] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)
    new_credits: list[Credit] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    shared_credits: list[Credit] = field(default_factory=list)  # a translation's credit lines, its original's
    admin_url: str = ""
    public_url: str = ""


def find_imported(title: str) -> Article | None:
    """The article an earlier import of this release created: same title, slug derived from it.

    By the slug rule of today or the one before issue #16 ("Vœux" → "vux"): a release imported
    before the rule changed is still recognised, so importing it again changes nothing."""
    bases = {cut_at_word(slugify_fr(title), 200) or "communique",
             legacy_slugify(title)[:200].strip("-") or "communique"}
    for article in Article.objects.filter(title=title):
        if any(article.slug == base or re.fullmatch(rf"{re.escape(base)}-\d+", article.slug) for base in bases):
            return article
    return None


def import_release(*, path: str | Path, user=COMMAND_LINE, stdout: TextIO | None = None) -> ImportResult:
    """Import one release file in one transaction; importing it again changes nothing.

    `user` is the actor: a user account, or the command line (the default, for
    `manage.py import_release` run without `--user`). The release is written as a draft,
    then brought to the state its front matter asks for by the workflow's own
    transitions, under that actor: a Rédaction writer's file that says `status:
    published` is refused, as the admin would refuse it, and a publication is recorded in
    the history and the audit log like any other.

    Raises ReleaseError ("ligne N : …") for a file that cannot be imported, and
    PermissionDenied or ValidationError (French, for the person who ran it) for a state
    the workflow refuses; in every case nothing is written.
    """
    path = Path(path)
    user = COMMAND_LINE if user is None else user
    release = parse_release(path)
    original = find_original(release)
    if original is not None:
        existing = original.translations.filter(language=release.language).first()
    else:
        existing = find_imported(release.title)
    if existing is not None:
        result = ImportResult(article=existing, created=False, warnings=release.warnings)
        _report(result, stdout)
        return result

    stored_files: list[tuple] = []
    try:
        # One transaction; the search text is built once at its end, and the import is the
        # release's first version in its history, under the name of whoever ran it.
        with transaction.atomic(), reversion.create_revision(), search_receivers.batched():
            result = _write(release, user, stored_files, original=original)
            _bring_to_state(result.article, release, user)
            reversion.add_to_revision(result.article)
            reversion.set_user(account(user))
            reversion.set_comment(_("Importé depuis le fichier « %(name)s ».") % {"name": path.name})
    except BaseException:
        # The rows are rolled back; the files they pointed to must go too.
        for storage, name in stored_files:
            storage.delete(name)
        raise
    _report(result, stdout)
    return result


def find_original(release: ParsedRelease) -> Article | None:
    """The original a translation's file names (front matter `translation_of`), or None for an original.

    Raises ReleaseError, naming the line, when it cannot be found or cannot take this translation.
    """
    from django.core.exceptions import ValidationError

    from ..translations.services import check_new_translation

    if not release.translation_of:
        return None
    line = release.lines.get("translation_of", 1)
    original = Article.objects.filter(slug=release.translation_of).first()
    if original is None:
        raise ReleaseError(line, f"communiqué original « {release.translation_of} » introuvable : importez-le d'abord")
    if original.translations.filter(language=release.language).exists():
        return original  # imported before: nothing new
    try:
        check_new_translation(original=original, language=release.language)
    except ValidationError as error:
        raise ReleaseError(line, " ".join(error.messages)) from None
    return original


def _write(release: ParsedRelease, user, stored_files: list, original: Article | None = None) -> ImportResult:
    credits_by_name: dict[str, Credit] = {}
    new_credits = []
    credit_lines, shared_credits, credit_warnings = release.credit_lines, [], []
    if original is not None and not release.photos:
        credit_lines = []
        shared_credits, credit_warnings = _shared_credits(release, original)
    for name in [*(c for c, _n in credit_lines), *(p.credit for p in release.photos)]:
        if name and name.lower() not in credits_by_name:
            credit = Credit.objects.filter(name__iexact=name).first()
            if credit is None:
                credit = Credit.objects.create(name=name)
                new_credits.append(credit)
            credits_by_name[name.lower()] = credit

    # Checked before anything is written, in the workflow's words; the transitions check again.
    workflow.check_edit(user=user, current=None, status=release.status)
    # A draft first: the state the file asks for is reached through the workflow (_bring_to_state).
    author = account(user)
    translation = {}
    if original is not None:
        from ..translations.services import translation_slug

        translation = {"translation_of": original,
                       "slug": translation_slug(original=original, language=release.language, title=release.title)}
    article = Article.objects.create(
        title=release.title, standfirst=release.standfirst, body=release.body_html,
        location=release.location, language=release.language, status=Article.Status.DRAFT,
        created_by=author, updated_by=author, **translation,
        # A credit line with no photo to credit waits on the release, for the first photo added.
        pending_credit=credits_by_name[release.credit_lines[0][0].lower()] if release.credit_lines and not release.photos and original is None else None,
    )
    if original is not None and not release.photos:
        # A translation names no photo of its own: it shows its original's, credits and all, with
        # its own caption and alt text for each when the file gives them (front matter `captions`).
        placements = list(original.article_photos.all())
        if len(release.captions) > len(placements):
            raise ReleaseError(release.captions[len(placements)].line,
                               f"{len(release.captions)} légendes traduites pour {len(placements)} photo(s) de l'original")
        texts = release.captions + [None] * (len(placements) - len(release.captions))
        ArticlePhoto.objects.bulk_create(
            ArticlePhoto(article=article, photo_id=placement.photo_id, position=placement.position,
                         caption=spec.caption if spec else "", alt_text=spec.alt_text if spec else "")
            for placement, spec in zip(placements, texts, strict=True)
        )
    if release.tags:
        article.tags.add(*release.tags)
    elif original is not None:
        article.tags.add(*original.tags.all())  # a translation carries its original's tags
    if release.tag_names:
        _name_tags(article, original, release)

    photos = []
    for position, spec in enumerate(release.photos):
        with spec.path.open("rb") as fh:
            photo = Photo(
                image=File(fh, name=spec.path.name), caption=spec.caption, alt_text=spec.alt_text,
                credit=credits_by_name[spec.credit.lower()],
            )
            photo.save()
        stored_files.append((photo.image.storage, photo.image.name))
        for rendition in photo.renditions.all():
            stored_files.append((rendition.file.storage, rendition.file.name))
        ArticlePhoto.objects.create(article=article, photo=photo, position=position)
        photos.append(photo)

    contact_warnings = []
    for spec in release.contacts:
        contact = PressContact.objects.filter(name=spec.name, email=spec.email).first()
        foreign = release.language != settings.LANGUAGE_CODE
        if contact is None:
            # A contact first met in a translation: its role there is in that language, not French.
            contact = PressContact.objects.create(name=spec.name, role="" if foreign else spec.role,
                                                  email=spec.email, phone=spec.phone)
        if foreign and spec.role and spec.role != contact.role:
            contact_warnings += _name_role(contact, release.language, spec.role)
        article.press_contacts.add(contact)

    speakers: dict[str, Speaker] = {}
    for name, info in release.speakers.items():
        speaker = Speaker.objects.filter(name__iexact=name).first()
        if speaker is None:
            speaker = Speaker.objects.create(name=name, role=info["role"][:300], organisation=info["organisation"][:200])
        elif not speaker.role and info["role"]:
            speaker.role = info["role"][:300]
            speaker.save(update_fields=["role"])
        speakers[name] = speaker

    quotes, warnings = [], [*release.warnings, *credit_warnings, *contact_warnings]
    # A translation quotes the people its original quotes, in the same order: a quote whose
    # speaker the text does not name in a way the press room knows ("議長は「…」と述べた") takes
    # the speaker of the original's quote at the same place, when both have as many quotes.
    original_speakers = [q.speaker for q in original.quotes.select_related("speaker")] if original is not None else []
    same_quotes = bool(original_speakers) and len(original_speakers) == len(release.quotes)
    for index, spec in enumerate(release.quotes):
        if spec.speaker is not None:
            speaker = speakers[spec.speaker]
        elif same_quotes:
            speaker = original_speakers[index]
        elif (person := new_person(spec.designation)) is not None:
            speaker = Speaker.objects.filter(name=person[0]).first() or Speaker.objects.create(name=person[0], role=person[1])
            speakers[speaker.name] = speaker
        else:
            unknown = f"ligne {spec.line} : citation sans auteur identifiable, non enregistrée (« {spec.text[:50]}… »)"
            if unknown not in warnings:  # the French reading says it already (quotes.py)
                warnings.append(unknown)
            continue
        if spec.speaker is None:  # found after all: the reading's warning no longer holds
            warnings = [w for w in warnings if not w.startswith(f"ligne {spec.line} : citation sans auteur")]
        quotes.append(Quote.objects.create(article=article, speaker=speaker, text=spec.text, position=len(quotes)))
    return ImportResult(
        article=article, created=True, photos=photos, credits=list(credits_by_name.values()),
        new_credits=new_credits, speakers=list(speakers.values()), quotes=quotes, warnings=warnings,
        shared_credits=shared_credits,
    )


def _name_role(contact: PressContact, language: str, role: str) -> list[str]:
    """A translation file's role for a known contact ("Press relations" for "Relations presse") is
    its role in that language (issue #14); one an editor already gave is kept, the file's reported."""
    from ..models import PressContactRole

    existing = PressContactRole.objects.filter(contact=contact, language=language).first()
    if existing is None:
        PressContactRole.objects.create(contact=contact, language=language, role=role[:200])
        return []
    if existing.role != role:
        return [f"contact « {contact.name} » : fonction « {role} » du fichier ignorée, le contact a déjà "
                f"« {existing.role} » dans cette langue (modifiable dans l'administration)"]
    return []


def _shared_credits(release: ParsedRelease, original: Article) -> tuple[list[Credit], list[str]]:
    """A translation's credit lines ("(Photo credit: Nicolas Datiche)"), read against the photos it
    shares with its original: the credit of one of them is that photo's credit, said in the summary;
    any other is reported and kept nowhere, since a translation has no photo of its own to credit
    (a credit that changed is corrected on the photo, for every language at once)."""
    from .structure import known_credit_name

    credits = list(Credit.objects.filter(pk__in=original.article_photos.values("photo__credit_id")).order_by("name"))
    by_name = {spelling.lower(): credit for credit in credits for spelling in (credit.name, credit.credit_line())}
    found, warnings = [], []
    for name, number in release.credit_lines:
        credit = by_name.get(name.lower()) or by_name.get((known_credit_name(name, [c.name for c in credits]) or "").lower())
        if credit is not None:
            if credit not in found:
                found.append(credit)
            continue
        if credits:
            shown = ", ".join(f"« {c.name} »" for c in credits)
            why = f"les photos de l'original, que la traduction montre, sont créditées {shown}"
        else:
            why = "l'original n'a pas de photo"
        warnings.append(
            f"ligne {number} : crédit photo « {name} » inconnu de l'original ({why}) : retiré du texte et non "
            "enregistré ; si le crédit d'une photo a changé, corrigez-le sur la photo, pour toutes les langues")
    return found, warnings


def _name_tags(article: Article, original: Article, release: ParsedRelease) -> None:
    """The translation's names of its original's tags ("Économie: Economy"), kept as TagTranslation
    rows. A name an editor already gave in this language is kept; the file's differing one is reported."""
    from ..models import TagTranslation
    from ..tagging import tag_slug

    by_slug = {tag.slug: tag for tag in original.tags.all()}
    for name, (translated, line) in release.tag_names.items():
        tag = by_slug.get(tag_slug(name))
        if tag is None:
            raise ReleaseError(line, f"« {name} » n'est pas un mot-clé de l'original : écrivez son nom tel que l'original le porte")
        existing = TagTranslation.objects.filter(tag=tag, language=release.language).first()
        if existing is None:
            TagTranslation.objects.create(tag=tag, language=release.language, name=translated)
        elif existing.name != translated:
            release.warnings.append(f"ligne {line} : le mot-clé « {name} » s'appelle déjà « {existing.name} » "
                                    f"dans cette langue ; nom gardé (modifiable dans l'administration)")


def _bring_to_state(article: Article, release: ParsedRelease, user) -> None:
    """The state the front matter asks for, through the workflow's transitions (roles, photo
    rights and files, history, audit log, the "went live" event)."""
    S = Article.Status
    if release.status == S.DRAFT:
        return
    if release.status == S.REVIEW:
        workflow.submit_for_review(article=article, user=user)
    elif release.status == S.PUBLISHED:
        # The import runs on the server, not in an editor's request: it makes its photos'
        # files itself rather than leave them "en cours" for a worker, which would keep
        # the release from going live (the queued job then finds them made).
        for placement in article.article_photos.select_related("photo"):
            photo = placement.photo
            if photo.files_state != Photo.FilesState.READY:
                make_photo_files.call(photo.pk, photo.files_version)
        # Published without a date: public from the moment of the import.
        workflow.publish(article=article, user=user, publish_at=release.publish_at)
    article.refresh_from_db()


def _tag_names(article) -> tuple[list[str], list[str]]:
    """The release's tags as its readers see them: a translation's under their names in its language,
    the French tag each stands for beside it ("Economy (Économie)"); then, apart, those still
    without a name in that language, whose French name its pages show (issue #14)."""
    from ..tagging import tags_in_language

    if article.language == settings.LANGUAGE_CODE:
        return sorted(article.tags.names()), []
    named, unnamed = [], []
    for tag in tags_in_language(article.language, article.tags.all()).order_by("shown_name"):
        if tag.shown_language == settings.LANGUAGE_CODE:
            unnamed.append(tag.name)
        else:
            named.append(f"{tag.shown_name} ({tag.name})")
    return named, unnamed


def _report(result: ImportResult, stdout: TextIO | None) -> None:
    article = result.article
    try:
        result.admin_url = settings.SITE_URL + reverse("admin:articles_article_change", args=[article.pk])
    except NoReverseMatch:
        result.admin_url = ""
    result.public_url = settings.SITE_URL + article.get_absolute_url()
    if stdout is None:
        return
    write = stdout.write
    if not result.created:
        write(f"Déjà importé : « {article.title} » — rien de nouveau.\n")
    else:
        write(f"Communiqué importé : « {article.title} » ({article.get_status_display().lower()})\n")
    if result.admin_url:
        write(f"  Administration : {result.admin_url}\n")
    if article.is_public():
        write(f"  Page publique  : {result.public_url}\n")
    elif article.status == Article.Status.PUBLISHED and article.publish_at:
        when = formats.date_format(timezone.localtime(article.publish_at), "DATETIME_FORMAT")
        write(f"  Page publique  : {result.public_url} (sous embargo : en ligne à partir du {when})\n")
    else:
        write(f"  Page publique  : {result.public_url} (pas encore en ligne : la page n'existe qu'une fois le communiqué publié)\n")
    if result.created:
        for photo in result.photos:
            write(f"  Photo : {photo} — crédit {photo.credit.name}\n")
        for credit in result.credits:
            state = "créé" if credit in result.new_credits else "déjà connu"
            write(f"  Crédit photo {state} : {credit.name}\n")
        for credit in result.shared_credits:
            write(f"  Crédit photo : {credit.name} — celui de la photo de l'original, que la traduction montre\n")
        counts = Counter(quote.speaker_id for quote in result.quotes)
        for speaker in result.speakers:
            write(f"  Intervenant : {speaker} — {counts[speaker.pk]} citation(s)\n")
        named, unnamed = _tag_names(article)
        if named:
            write(f"  Mots-clés : {', '.join(named)}\n")
        if unnamed:
            write(f"  Mots-clés sans nom dans la langue du communiqué (le nom français est affiché) : {', '.join(unnamed)}\n")
        contacts = ", ".join(
            f"{c.name} ({role})" if role else c.name
            for c in article.press_contacts.all() for role, _language in [c.role_in(article.language)])
        if contacts:
            write(f"  Contacts presse : {contacts}\n")
    for warning in result.warnings:
        write(f"  Attention, {warning}\n")
