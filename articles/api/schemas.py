"""The API's typed shapes: what partners receive, as the OpenAPI document describes it."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema


class ErrorOut(Schema):
    detail: str
    parameter: str | None = None


class GoneOut(Schema):
    """A release the public saw and that was taken down: its notice, never its content."""

    detail: str
    id: int
    status: str  # "withdrawn" or "removed"
    reason: str | None = None
    withdrawn_at: datetime | None = None


class TagOut(Schema):
    name: str = Field(description="In the release's language (the tag's French name until it has one there).")
    slug: str = Field(description="The tag's identifier, the same in every language (/api/v1/tags/{slug}, ?tag=).")
    url: str = Field(description="The tag's public page in the release's language.")
    name_fallback_language: str = Field(
        "", description="Set (e.g. \"fr\") when the name is the tag's untranslated one, in that language.")


class CreditOut(Schema):
    name: str
    organisation: str
    slug: str
    credit_line: str
    url: str


class SpeakerOut(Schema):
    name: str
    role: str
    organisation: str
    slug: str
    url: str


class RenditionOut(Schema):
    spec: str
    url: str
    width: int
    height: int


class PhotoOut(Schema):
    id: int
    caption: str = Field(description="In the release's language (a translation's own caption).")
    alt_text: str
    caption_fallback_language: str = Field(
        "", description="Set (e.g. \"fr\") when the caption is the photo's untranslated one, in that language.")
    alt_text_fallback_language: str = Field("", description="Likewise for the alternative text.")
    width: int | None
    height: int | None
    licence: str
    credit: CreditOut
    download_url: str
    renditions: list[RenditionOut]


class QuoteOut(Schema):
    text: str
    speaker: SpeakerOut


class PressContactOut(Schema):
    name: str
    role: str = Field(description="In the release's language (the contact's French role until it has one there).")
    role_fallback_language: str = Field(
        "", description="Set (e.g. \"fr\") when the role is the contact's untranslated one, in that language.")
    email: str
    phone: str


class TranslationOut(Schema):
    id: int
    language: str
    url: str
    api_url: str


class ReleaseOut(Schema):
    id: int
    slug: str
    url: str
    api_url: str
    title: str
    standfirst: str
    location: str
    language: str
    translations: list[TranslationOut]
    body_html: str
    body_text: str
    first_published_at: datetime | None
    published_at: datetime | None
    updated_at: datetime | None
    change_note: str
    tags: list[TagOut]
    photos: list[PhotoOut]
    quotes: list[QuoteOut]
    press_contacts: list[PressContactOut]


class ReleasePage(Schema):
    items: list[ReleaseOut]
    next_cursor: str | None
    next: str | None


class TagPage(Schema):
    items: list[TagOut]
    next_cursor: str | None
    next: str | None


class SpeakerPage(Schema):
    items: list[SpeakerOut]
    next_cursor: str | None
    next: str | None


class CreditPage(Schema):
    items: list[CreditOut]
    next_cursor: str | None
    next: str | None
