"""English is really available: the catalogue is complete, compiled, and used where it should be.

The source strings are French; locale/en/LC_MESSAGES/django.po carries the English. The admin
follows the browser's language (LocaleMiddleware), while the public site stays French whatever
the browser asks (base.html wraps everything in {% language "fr" %} on purpose).
"""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext

from articles.models import Article
from articles.photos.validation import inspect_image
from tests.factories import login_verified, make_article, make_credit, make_photo

pytestmark = pytest.mark.django_db

PO_FILE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")


def _unquote(chunks: list[str]) -> str:
    """Join the quoted pieces of a .po field and undo its C escapes."""
    text = "".join(chunks)
    return re.sub(r'\\(["\\nt])', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def parse_po(path: Path) -> list[dict]:
    """A minimal .po reader: one dict per entry, with msgid, msgid_plural, msgstr[...] and flags."""
    entries, entry, field = [], None, None

    def flush():
        if entry is not None:
            entries.append({key: _unquote(value) if isinstance(value, list) else value for key, value in entry.items()})

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            entry, field = None, None
            continue
        if line.startswith("#~"):  # obsolete entries are not shipped
            continue
        if entry is None:
            entry = {"flags": set()}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[field].append(line[1:-1])
        else:
            field, _, value = line.partition(" ")
            entry[field] = [value[1:-1]]
    flush()
    return entries


def test_catalogue_is_compiled_and_complete():
    assert MO_FILE.exists(), "run: manage.py compilemessages --ignore=.venv"
    entries = parse_po(PO_FILE)
    header = [e for e in entries if e.get("msgid") == ""]
    assert len(header) == 1 and "Language: en" in header[0]["msgstr"]
    assert "fuzzy" not in header[0]["flags"]

    messages = [e for e in entries if e.get("msgid")]
    assert len(messages) > 300
    problems = []
    for e in messages:
        if "fuzzy" in e["flags"]:
            problems.append(("fuzzy", e["msgid"]))
        if "msgid_plural" in e:
            if not (e.get("msgstr[0]") and e.get("msgstr[1]")):
                problems.append(("plural untranslated", e["msgid"]))
        elif not e.get("msgstr"):
            problems.append(("untranslated", e["msgid"]))
        # Placeholders survive translation unchanged.
        placeholders = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdif]")
        source = set(placeholders.findall(e["msgid"] + e.get("msgid_plural", "")))
        for key in ("msgstr", "msgstr[1]"):
            if key in e and e[key] and not set(placeholders.findall(e[key])) <= source:
                problems.append(("placeholder", e["msgid"]))
    assert problems == []


def test_model_and_app_names_translate():
    with translation.override("en"):
        assert str(Article._meta.verbose_name) == "press release"
        assert str(Article._meta.verbose_name_plural) == "press releases"
        assert str(Article._meta.get_field("standfirst").verbose_name) == "standfirst"
        assert str(Article.Status.REVIEW.label) == "In review"
        assert gettext("Communiqués de presse") == "Press releases"
        assert gettext("intervenant") == "speaker"
        assert gettext("mot-clé d'article") == "press release tag"
    with translation.override("fr"):
        assert str(Article._meta.verbose_name) == "communiqué"


def test_plurals_translate():
    with translation.override("en"):
        one = ngettext("%(count)d communiqué publié.", "%(count)d communiqués publiés.", 1) % {"count": 1}
        many = ngettext("%(count)d communiqué publié.", "%(count)d communiqués publiés.", 3) % {"count": 3}
    assert (one, many) == ("1 press release published.", "3 press releases published.")


def test_image_validation_message_translates():
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        inspect_image(io.BytesIO(b"definitely not an image"))
    assert caught.value.code == "not_image"
    assert caught.value.messages == ["This file is not a recognised image: upload a JPEG, PNG or WebP photo."]


def test_photo_credit_template_string_translates():
    photo = make_photo(credit=make_credit("Nicolas Datiche"))
    template = loader.get_template("articles/includes/photo_figure.html")
    with translation.override("en"):
        assert gettext("Crédit photo : %(name)s") % {"name": "N. D."} == "Photo credit: N. D."
        html = template.render({"photo": photo})
    assert "Photo credit: Nicolas Datiche" in html
    assert "Download in high resolution" in html
    with translation.override("fr"):
        assert "Crédit photo : Nicolas Datiche" in template.render({"photo": photo})


def test_public_site_stays_french_when_the_browser_asks_english(client):
    article = make_article("Occitanie et Kyoto signent un accord", location="Kyoto")
    for url in (reverse("articles:article-list"), article.get_absolute_url(), reverse("articles:archive-index")):
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert '<html lang="fr">' in html
        assert "Aller au contenu" in html and "Rechercher un communiqué" in html, url
        assert "Skip to content" not in html and "Search press releases" not in html, url


def test_admin_follows_the_browser_language(client, admin_user):
    login = reverse("admin:login")
    english = client.get(login, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="en"' in english and "Log in" in english
    french = client.get(login, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'lang="fr"' in french and "Connexion" in french and "Log in" not in french

    # Our own strings follow too: the app name and the model names on the admin index.
    login_verified(client, admin_user)
    english = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Press releases" in english and "Photo credits" in english
    french = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Communiqués de presse" in french and "Press releases" not in french

    # And on a release's pages: the workflow actions, the fieldsets, the search help.
    article = make_article("Occitanie et Kyoto signent un accord")
    changelist = client.get(reverse("admin:articles_article_changelist"), HTTP_ACCEPT_LANGUAGE="en")
    assert changelist.status_code == 200
    html = changelist.content.decode()
    assert "Send for review" in html and "Searches the title, standfirst" in html
    change = client.get(reverse("admin:articles_article_change", args=[article.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert change.status_code == 200
    assert "Tags and contacts" in change.content.decode()
