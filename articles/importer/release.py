"""What a release says once read and checked, before anything is written; and the error
raised, with the line of the file it concerns, when it cannot be imported."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..models import Article


class ReleaseError(Exception):
    """A release that cannot be imported; the message starts with the line it concerns."""

    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message
        super().__init__(f"ligne {line} : {message}")


@dataclass
class PhotoSpec:
    path: Path
    caption: str
    alt_text: str
    credit: str | None
    line: int


@dataclass
class CaptionSpec:
    """A translation's caption and alt text for its original's photo at the same place (issue #14)."""

    caption: str
    alt_text: str
    line: int


@dataclass
class ContactSpec:
    name: str
    role: str
    email: str
    phone: str
    line: int


@dataclass
class QuoteSpec:
    text: str
    speaker: str | None  # a person's name, or None when nobody could be found
    line: int
    designation: str = ""  # how the text names an unknown speaker ("田中太郎社長"), for the importer to weigh


@dataclass
class ParsedRelease:
    title: str
    standfirst: str = ""
    publish_at: datetime | None = None
    location: str = ""
    language: str = "fr"
    translation_of: str = ""  # the slug of the original this release translates (issue #14)
    status: str = Article.Status.DRAFT
    tags: list[str] = field(default_factory=list)
    # A translation's names for its original's tags ("Économie: Economy"), by original name (issue #14).
    tag_names: dict[str, tuple[str, int]] = field(default_factory=dict)
    captions: list[CaptionSpec] = field(default_factory=list)
    photos: list[PhotoSpec] = field(default_factory=list)
    contacts: list[ContactSpec] = field(default_factory=list)
    credit_lines: list[tuple[str, int]] = field(default_factory=list)
    body_html: str = ""
    quotes: list[QuoteSpec] = field(default_factory=list)
    speakers: dict[str, dict] = field(default_factory=dict)  # name -> {"role", "organisation"}
    warnings: list[str] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)  # front matter field -> line

