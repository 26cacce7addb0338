"""Press contacts as vCards, for a journalist's address book.

Written by `vobject` (README, "Dependencies"), which escapes text values (\\, ;, , and line
breaks), folds lines at 75 octets without splitting a UTF-8 character, and ends lines
with CRLF, as RFC 2426 and RFC 6350 ask. vCard 3.0 rather than 4.0: every address book
in use reads 3.0 (Outlook, older Android and some CRMs still do not read 4.0), and the
fields written here mean the same in both.

Each card has a stable UID (from the site's address and the contact's id): importing a
card again, from another release, updates the contact instead of duplicating it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable

import vobject
from django.conf import settings
from django.http import HttpResponse

from ..slugs import cut_at_word, slugify_fr

CONTENT_TYPE = "text/vcard; charset=utf-8"
# The card's category and note, in the release's language (issue #14).
LABELS = {"fr": "Contact presse", "en": "Press contact", "ja": "報道関係のお問い合わせ"}
# C0 controls (line breaks included: names, roles and numbers are one line) and DEL, C1 controls.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


def _line(value: str) -> str:
    return _CONTROLS.sub(" ", str(value)).strip()


def contact_uid(contact) -> str:
    """ "urn:uuid:…", the same for a contact on every release and every download."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{settings.SITE_URL}/contacts-presse/{contact.pk}')}"


def _name_parts(name: str) -> vobject.vcard.Name:
    """N (required by vCard 3.0): the first word as the given name, the rest as the family name —
    right for "Marie Dupont" and "Jean Le Goff"; a service ("Service de presse") keeps its
    whole name in FN, which address books show."""
    given, _, family = name.partition(" ")
    return vobject.vcard.Name(family=family.strip(), given=given) if family.strip() else vobject.vcard.Name(family=given)


def vcard(contact, *, release=None) -> str:
    """One contact's vCard; `release` (the release it was downloaded from) is named in a note."""
    card = vobject.vCard()
    name = _line(contact.name) or "Contact presse"
    card.add("uid").value = contact_uid(contact)
    card.add("fn").value = name
    card.add("n").value = _name_parts(name)
    role, _language = contact.role_in(getattr(release, "language", None))  # in the release's language
    if _line(role):
        card.add("title").value = _line(role)
    if _line(contact.email):
        email = card.add("email")
        email.value = _line(contact.email)
        email.type_param = ["INTERNET", "WORK"]
    if _line(contact.phone):
        tel = card.add("tel")
        tel.value = _line(contact.phone)
        tel.type_param = ["WORK", "VOICE"]
    label = LABELS.get(getattr(release, "language", "fr"), LABELS["fr"])
    card.add("categories").value = [label]
    if release is not None:
        card.add("note").value = f"{label} — {_line(release.title)}"
        card.add("url").value = f"{settings.SITE_URL}{release.get_absolute_url()}"
    return card.serialize()


def vcards(contacts: Iterable, *, release=None) -> str:
    """Several vCards in one file, one after the other (RFC 6350, section 3.1)."""
    return "".join(vcard(contact, release=release) for contact in contacts)


def contact_filename(contact) -> str:
    """ "marie-dupont.vcf" (ASCII, under the slug rule; cut at a word)."""
    return f"{cut_at_word(slugify_fr(contact.name), 60) or 'contact-presse'}.vcf"


def release_filename(release) -> str:
    """ "contacts-presse-voeux-2026.vcf"."""
    return f"contacts-presse-{cut_at_word(release.slug, 80)}.vcf"


def vcard_response(text: str, filename: str) -> HttpResponse:
    """The file as a download (`text/vcard`, UTF-8): one click adds it to the address book."""
    response = HttpResponse(text.encode("utf-8"), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
