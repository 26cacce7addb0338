"""/api/v1/tags, /speakers, /credits: each only if a public release carries it, each with its releases."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.http import Http404
from ninja import Path, Query, Router

from ..models import Credit, Photo
from ..querysets import public_tags, quoted_speakers
from . import pagination
from .releases import LIST_ERRORS, filtered_releases, release_page
from .representation import credit_data, speaker_data, tag_data
from .schemas import CreditOut, CreditPage, ErrorOut, ReleasePage, SpeakerOut, SpeakerPage, TagOut, TagPage

router = Router()
ONE_ERRORS = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 429: ErrorOut}
SLUG = Path(..., max_length=200, pattern=r"^[-a-zA-Z0-9_]+$")


def public_credits():
    """Credits of at least one photo shown by a public release (Photo.objects.public())."""
    return Credit.objects.filter(Exists(Photo.objects.public().filter(credit=OuterRef("pk"))))


def _one(queryset, slug):
    found = queryset.filter(slug=slug).first()
    if found is None:
        raise Http404
    return found


def _list(request, queryset, cursor, limit, item):
    return pagination.page(
        pagination.by_id_after(queryset, cursor), limit=limit, request=request,
        cursor_of=lambda row: pagination.encode(row.pk), item=item,
    )


CURSOR = Query(None, max_length=200, description="Le next_cursor de la page précédente")
LIMIT = Query(50, ge=1, le=pagination.MAX_LIMIT)
RELEASES_LIMIT = Query(pagination.DEFAULT_LIMIT, ge=1, le=pagination.MAX_LIMIT)


@router.get("/tags", response={200: TagPage, **LIST_ERRORS}, url_name="tag-list", tags=["Mots-clés"])
def tag_list(request, cursor: str | None = CURSOR, limit: int = LIMIT):
    """Tags carried by at least one public release."""
    return _list(request, public_tags(), cursor, limit, tag_data)


@router.get("/tags/{slug}", response={200: TagOut, **ONE_ERRORS}, url_name="tag-detail", tags=["Mots-clés"])
def tag_detail(request, slug: str = SLUG):
    return tag_data(_one(public_tags(), slug))


@router.get("/tags/{slug}/releases", response={200: ReleasePage, **ONE_ERRORS}, url_name="tag-releases", tags=["Mots-clés"])
def tag_releases(request, slug: str = SLUG, cursor: str | None = CURSOR, limit: int = RELEASES_LIMIT):
    tag = _one(public_tags(), slug)
    return release_page(request, filtered_releases(tag_id=tag.pk), cursor=cursor, limit=limit)


@router.get("/speakers", response={200: SpeakerPage, **LIST_ERRORS}, url_name="speaker-list", tags=["Intervenants"])
def speaker_list(request, cursor: str | None = CURSOR, limit: int = LIMIT):
    """Speakers quoted in at least one public release."""
    return _list(request, quoted_speakers(), cursor, limit, speaker_data)


@router.get("/speakers/{slug}", response={200: SpeakerOut, **ONE_ERRORS}, url_name="speaker-detail", tags=["Intervenants"])
def speaker_detail(request, slug: str = SLUG):
    return speaker_data(_one(quoted_speakers(), slug))


@router.get(
    "/speakers/{slug}/releases", response={200: ReleasePage, **ONE_ERRORS}, url_name="speaker-releases", tags=["Intervenants"]
)
def speaker_releases(request, slug: str = SLUG, cursor: str | None = CURSOR, limit: int = RELEASES_LIMIT):
    speaker = _one(quoted_speakers(), slug)
    return release_page(request, filtered_releases(speaker_id=speaker.pk), cursor=cursor, limit=limit)


@router.get("/credits", response={200: CreditPage, **LIST_ERRORS}, url_name="credit-list", tags=["Crédits photo"])
def credit_list(request, cursor: str | None = CURSOR, limit: int = LIMIT):
    """Photographers and agencies of at least one photo of a public release."""
    return _list(request, public_credits(), cursor, limit, credit_data)


@router.get("/credits/{slug}", response={200: CreditOut, **ONE_ERRORS}, url_name="credit-detail", tags=["Crédits photo"])
def credit_detail(request, slug: str = SLUG):
    return credit_data(_one(public_credits(), slug))


@router.get(
    "/credits/{slug}/releases", response={200: ReleasePage, **ONE_ERRORS}, url_name="credit-releases", tags=["Crédits photo"]
)
def credit_releases(request, slug: str = SLUG, cursor: str | None = CURSOR, limit: int = RELEASES_LIMIT):
    credit = _one(public_credits(), slug)
    return release_page(request, filtered_releases(credit_id=credit.pk), cursor=cursor, limit=limit)
