"""Press contacts as vCards from a public release page: one contact, or all of the release's.

Under the one visibility rule: a draft, scheduled or withdrawn release gives no vCard
(a 404, like a guessed address), and a contact is offered only through a release that
names it. The embargo link and the staff preview offer the same files through their own
checks (views/previews.py), with the same response built here.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from ..contacts import vcards
from ..models import Article


def contact_vcard_response(article, contact_pk):
    """The vCard of one contact of `article`, whoever decided `article` may be seen; a 404
    for a contact the release does not name."""
    contact = get_object_or_404(article.press_contacts.with_roles(), pk=contact_pk)
    return vcards.vcard_response(vcards.vcard(contact, release=article), vcards.contact_filename(contact))


def release_vcards_response(article):
    """Every contact of `article` in one .vcf; a 404 when it names none."""
    # with_roles(): each contact's role in every language read with it, not a query per contact.
    contacts = list(article.press_contacts.with_roles())
    if not contacts:
        raise Http404(_("Ce communiqué ne donne aucun contact presse."))
    return vcards.vcard_response(vcards.vcards(contacts, release=article), vcards.release_filename(article))


def contact_vcard(request, slug, pk):
    """ "Ajouter à mon carnet d'adresses" for one contact of a public release."""
    article = get_object_or_404(Article.objects.public(), slug=slug)
    return contact_vcard_response(article, pk)


def release_vcards(request, slug):
    """All the press contacts of a public release, in one file."""
    article = get_object_or_404(Article.objects.public(), slug=slug)
    return release_vcards_response(article)
