"""The release importer, as an editor running `manage.py import_release` sees it."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from articles.importer import import_release, role_matches
from articles.models import Article, Credit, Photo, PressContact, Quote, Speaker
from tests.factories import image_bytes, make_speaker

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "occitanie-kyoto.txt"
DEMO = Path(settings.BASE_DIR) / "articles" / "demo" / "occitanie-kyoto.md"
DELGA_ROLE = "présidente de la Région Occitanie / Pyrénées-Méditerranée"


def run(path) -> str:
    out = io.StringIO()
    call_command("import_release", str(path), stdout=out)
    return out.getvalue()


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in (Article, Photo, Credit, Speaker, Quote, PressContact)}


def media_files() -> list:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def write(tmp_path, text: str, name: str = "release.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- the raw sample


def test_the_raw_sample_takes_its_first_line_as_title_and_keeps_it_out_of_the_body():
    run(SAMPLE)
    article = Article.objects.get()
    first_line = SAMPLE.read_text(encoding="utf-8").split("\n")[0]
    assert article.title == first_line
    assert first_line not in article.body
    assert article.status == Article.Status.DRAFT
    assert article.body.startswith("<p>Suite à la visite du showroom Panasonic")


def test_the_raw_sample_gives_three_quotes_all_by_carole_delga_with_her_full_role():
    run(SAMPLE)
    quotes = list(Article.objects.get().quotes.select_related("speaker"))
    assert len(quotes) == 3
    assert {q.speaker.name for q in quotes} == {"Carole Delga"}
    speaker = Speaker.objects.get()
    assert speaker.role == DELGA_ROLE
    assert [q.text[:20] for q in quotes] == ["C’est une opportunit", "L’ensemble de ces ex", "Notre région, comme "]
    assert [q.position for q in quotes] == [0, 1, 2]


def test_a_quote_over_two_paragraphs_keeps_both_parts_one_per_line():
    run(SAMPLE)
    last = Quote.objects.order_by("position").last()
    first_part, second_part = last.text.split("\n")
    assert first_part.startswith("Notre région, comme celle de Kyoto")
    assert first_part.endswith("la modernité et l’innovation.")
    assert second_part.startswith("En signant la poursuite de notre accord aujourd’hui")
    assert second_part.endswith("profitables pour nos concitoyens")


def test_quotes_lose_their_guillemets_but_stay_in_the_body_as_written():
    run(SAMPLE)
    article = Article.objects.get()
    for quote in article.quotes.all():
        assert "«" not in quote.text and "»" not in quote.text
    assert "« C’est une opportunité exceptionnelle pour Vogo" in article.body
    assert "concitoyens » a conclu Carole Delga." in article.body


def test_the_credit_line_becomes_a_credit_and_leaves_the_body():
    out = run(SAMPLE)
    assert Credit.objects.filter(name="Nicolas Datiche").exists()
    body = Article.objects.get().body
    assert "Crédit photo" not in body and "Nicolas Datiche" not in body
    assert "Crédit photo créé : Nicolas Datiche" in out


def test_apostrophes_and_fractions_survive_in_body_and_quotes():
    run(SAMPLE)
    article = Article.objects.get()
    assert "¾ de son chiffre d’affaires" in article.body
    assert "d’accords" in article.title
    assert any("l’innovation" in q.text for q in article.quotes.all())
    assert "&rsquo;" not in article.body and "&frac34;" not in article.body


def test_the_output_gives_the_admin_link_and_says_a_draft_has_no_public_page_yet():
    out = run(SAMPLE)
    article = Article.objects.get()
    assert f"/admin/articles/article/{article.pk}/change/" in out
    assert settings.SITE_URL + article.get_absolute_url() in out
    assert "pas encore en ligne" in out


# --------------------------------------------------------------------------- the demo release


def test_the_demo_release_is_published_with_its_photo_tags_contact_and_quotes():
    out = run(DEMO)
    article = Article.objects.get()
    assert article.title.startswith("Occitanie – Japon")
    assert article.standfirst
    assert article.is_public()
    assert article.location == "Kyoto"
    assert article.publish_at.year == 2019 and article.publish_at.month == 10
    photo = article.lead_photo
    assert photo.credit.name == "Nicolas Datiche"
    assert photo.alt_text.startswith("Un portique torii")
    assert (photo.width, photo.height) == (1600, 1067)
    assert {"Kyoto", "Horiba Médical", "Économie"} <= set(article.tags.names())
    assert article.press_contacts.get().email == "presse@example.org"
    assert article.quotes.count() == 3
    assert set(article.quotes.values_list("speaker__name", flat=True)) == {"Carole Delga"}
    assert "(Crédit photo" not in article.body
    assert "Page publique  : " + settings.SITE_URL + article.get_absolute_url() + "\n" in out


def test_the_demo_markdown_written_one_paragraph_per_line_keeps_its_paragraphs():
    run(DEMO)
    body = Article.objects.get().body
    assert body.count("<p>") == 7
    assert body.startswith("<p>Les trois premiers jours de ce déplacement")


def test_importing_the_same_file_twice_creates_nothing_new():
    run(DEMO)
    before, files = counts(), len(media_files())
    out = run(DEMO)
    assert "Déjà importé" in out
    assert counts() == before
    assert len(media_files()) == files


def test_an_existing_speaker_with_the_same_name_is_reused():
    existing = make_speaker("Carole Delga", role=DELGA_ROLE)
    run(SAMPLE)
    assert Speaker.objects.get() == existing
    assert set(Quote.objects.values_list("speaker", flat=True)) == {existing.pk}


def test_the_service_returns_what_it_created():
    result = import_release(path=SAMPLE)
    assert result.created
    assert [q.speaker.name for q in result.quotes] == ["Carole Delga"] * 3
    assert [c.name for c in result.new_credits] == ["Nicolas Datiche"]
    assert result.admin_url.endswith(f"/admin/articles/article/{result.article.pk}/change/")


# --------------------------------------------------------------------------- attribution


def test_curly_quotes_and_an_apposition_are_attributed_to_the_right_people(tmp_path):
    path = write(
        tmp_path,
        "Une usine inaugurée à Tarbes\n"
        "Jeanne Martin, directrice générale de la société Acme Aéro, a inauguré le site avec "
        "Paul Durand, maire de Tarbes.\n"
        "“Nous créons ici deux cents emplois qualifiés”, a déclaré la directrice générale.\n"
        "“Cette usine est une chance pour toute la ville”, a ajouté le maire.\n"
        "Selon Paul Durand, “la zone sera desservie par le bus dès le printemps”.\n",
        name="release.txt",
    )
    run(path)
    by_speaker = {(q.speaker.name, q.speaker.role): q.text for q in Quote.objects.select_related("speaker")}
    assert by_speaker[("Jeanne Martin", "directrice générale de la société Acme Aéro")] == (
        "Nous créons ici deux cents emplois qualifiés"
    )
    assert Quote.objects.filter(speaker__name="Paul Durand").count() == 2
    assert Speaker.objects.get(name="Paul Durand").role == "maire de Tarbes"


def test_a_speaker_named_before_a_colon_and_a_pronoun_are_attributed(tmp_path):
    path = write(
        tmp_path,
        "Visite à Lyon\n\n"
        "Marie Curie a visité le laboratoire. Elle a ensuite déclaré : « Ces chercheurs font un travail remarquable "
        "pour la région ».\n\n"
        "Pierre Dupont a conclu : « Nous reviendrons très vite à Lyon avec nos équipes ».\n",
    )
    run(path)
    texts = dict(Quote.objects.values_list("speaker__name", "text"))
    assert texts["Marie Curie"].startswith("Ces chercheurs")
    assert texts["Pierre Dupont"].startswith("Nous reviendrons")


def test_capitalised_pairs_that_never_speak_are_not_people():
    run(SAMPLE)
    assert not Speaker.objects.filter(name__in=["Horiba Médical", "Région Occitanie", "Keiji Yamada"]).exists()


def test_an_office_followed_by_a_name_and_pour_with_a_courtesy_title_are_attributed(tmp_path):
    path = write(
        tmp_path,
        "Énergie\n\nLa ministre Agnès Dupin a déclaré : « Le réseau sera prêt avant l’hiver ».\n\n"
        "Pour Mme Anne Blanc, « ce projet change la vie des habitants du quartier ».\n",
    )
    run(path)
    assert dict(Quote.objects.values_list("speaker__name", "speaker__role")) == {"Agnès Dupin": "ministre", "Anne Blanc": ""}


def test_front_matter_speakers_help_attribution(tmp_path):
    path = write(
        tmp_path,
        "---\ntitle: Un prix pour le lycée\nspeakers:\n  - name: Ana Lopez\n    role: proviseure du lycée Jean-Jaurès\n"
        "    organisation: Lycée Jean-Jaurès\n---\n"
        "Ana Lopez a reçu le prix.\n\n« Ce prix récompense toute une équipe d’enseignants » a dit la proviseure.\n",
    )
    run(path)
    quote = Quote.objects.select_related("speaker").get()
    assert (quote.speaker.name, quote.speaker.organisation) == ("Ana Lopez", "Lycée Jean-Jaurès")


def test_an_unattributable_quote_gives_a_warning_and_no_crash(tmp_path):
    path = write(tmp_path, "Un titre\n\nLe texte.\n\n« Une phrase que personne ne signe vraiment ici ».\n")
    out = run(path)
    assert Article.objects.count() == 1
    assert Quote.objects.count() == 0
    assert "ligne 5 : citation sans auteur identifiable" in out


def test_a_word_or_two_in_guillemets_is_not_a_quote(tmp_path):
    path = write(tmp_path, "Un titre\n\nLe label « French Tech » est attribué à Montpellier.\n")
    out = run(path)
    assert Quote.objects.count() == 0
    assert "citation" not in out


def test_role_designations_match_only_the_same_office():
    assert role_matches("présidente de Région", DELGA_ROLE)
    assert not role_matches("président de la société Horiba Médical", DELGA_ROLE)
    assert not role_matches("présidente du Département", DELGA_ROLE)


# --------------------------------------------------------------------------- safety


def test_a_script_in_a_markdown_release_never_reaches_the_body(tmp_path):
    path = write(
        tmp_path,
        "# Titre\n\nUn paragraphe *important*.\n\n<script>alert('x')</script>\n\n"
        '<p onclick="steal()">Texte</p>\n\n[lien](javascript:alert(1))\n',
    )
    run(path)
    body = Article.objects.get().body
    assert "<script" not in body and "alert('x')" not in body
    assert "onclick" not in body and "javascript:" not in body
    assert "<em>important</em>" in body


def test_plain_text_is_escaped_not_interpreted(tmp_path):
    path = write(tmp_path, "Titre\nLe code <b>gras</b> & le reste.\n", name="release.txt")
    run(path)
    assert Article.objects.get().body == "<p>Le code &lt;b&gt;gras&lt;/b&gt; &amp; le reste.</p>"


def test_naive_dates_are_paris_time(tmp_path):
    path = write(tmp_path, "---\ntitle: Embargo\ndate: 2030-01-15 09:30\nstatus: published\n---\nTexte.\n")
    out = run(path)
    article = Article.objects.get()
    assert article.publish_at.isoformat() == "2030-01-15T08:30:00+00:00"
    assert "sous embargo" in out


# --------------------------------------------------------------------------- malformed releases


def jpeg(tmp_path, name="photo.jpg") -> str:
    (tmp_path / name).write_bytes(image_bytes(size=(80, 60)))
    return name


MALFORMED = {
    "unterminated front matter": ("---\ntitle: Sans fin\nstatus: draft\nTexte.\n", 1, "jamais refermé"),
    "invalid YAML": ("---\ntitle: Titre\ntags: [a, b\nstatus: draft\n---\nTexte.\n", 4, "YAML"),
    "unreadable date": ("---\ntitle: Titre\ndate: le 30 octobre\n---\nTexte.\n", 3, "date illisible"),
    "impossible date": ("---\ntitle: Titre\ndate: 2019-02-30\n---\nTexte.\n", 3, "2019-02-30"),
    "unknown status": ("---\ntitle: Titre\nstatus: online\n---\nTexte.\n", 3, "état « online » inconnu"),
    "a Paris time that never happens": ("---\ntitle: Titre\ndate: 2026-03-29 02:30\n---\nTexte.\n", 3, "n'existe pas à Paris"),
    "a Paris time that happens twice": ("---\ntitle: Titre\ndate: 2026-10-25 02:30\n---\nTexte.\n", 3, "existe deux fois"),
    "missing photo file": ("---\ntitle: Titre\nphoto:\n  file: absente.jpg\n  alt: A\n  credit: X\n---\n", 4, "introuvable"),
    "unclosed quote": ("Titre\n\nElle a dit : « Ceci ne se termine pas.\n\nEt la suite.\n", 3, "jamais fermée"),
    "invalid contact email": (
        "---\ntitle: Titre\ncontacts:\n  - name: Presse\n    email: pas-une-adresse\n---\nTexte.\n", 4, "courriel"
    ),
}


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_a_malformed_release_is_refused_with_its_line_and_nothing_created(tmp_path, case):
    text, line, words = MALFORMED[case]
    jpeg(tmp_path)  # something to (not) import alongside
    path = write(tmp_path, text.replace("PHOTO", "photo.jpg"))
    before = counts()
    with pytest.raises(CommandError) as error:
        run(path)
    assert str(error.value).startswith(f"ligne {line} : ")
    assert words.lower() in str(error.value).lower()
    assert counts() == before
    assert media_files() == []


def test_a_photo_that_is_not_an_image_is_refused_with_the_validator_message(tmp_path):
    (tmp_path / "faux.jpg").write_text("pas une image")
    path = write(tmp_path, "---\ntitle: Titre\nphoto:\n  file: faux.jpg\n  alt: A\n  credit: X\n---\nTexte.\n")
    with pytest.raises(CommandError, match=r"^ligne 4 : .*n'est pas une image reconnue"):
        run(path)
    assert counts() == {name: 0 for name in counts()}
    assert media_files() == []


def test_a_photo_without_any_credit_is_refused(tmp_path):
    jpeg(tmp_path)
    path = write(tmp_path, "---\ntitle: Titre\nphoto:\n  file: photo.jpg\n  alt: Une photo\n---\nTexte.\n")
    with pytest.raises(CommandError, match=r"^ligne 4 : la photo photo.jpg n'a pas de crédit"):
        run(path)
    assert counts() == {name: 0 for name in counts()}
    assert media_files() == []


def test_a_credit_line_in_the_text_credits_a_photo_the_front_matter_left_uncredited(tmp_path):
    jpeg(tmp_path)
    path = write(
        tmp_path,
        "---\ntitle: Titre\nphotos:\n  - file: photo.jpg\n    alt: Une photo\n---\nTexte.\n\n© Agence Sud Images\n",
    )
    run(path)
    assert Photo.objects.get().credit.name == "Agence Sud Images"
    assert "Agence" not in Article.objects.get().body


def test_a_failure_while_writing_leaves_no_row_and_no_file(tmp_path, monkeypatch):
    jpeg(tmp_path)
    path = write(
        tmp_path,
        "---\ntitle: Titre\nphoto:\n  file: photo.jpg\n  alt: A\n  credit: X\ntags: [a]\n---\n"
        "Jean Dupont a déclaré : « Une citation assez longue pour compter ».\n",
    )

    def boom(*args, **kwargs):
        raise RuntimeError("base indisponible")

    monkeypatch.setattr(Quote.objects, "create", boom)
    with pytest.raises(RuntimeError):
        import_release(path=path)
    assert counts() == {name: 0 for name in counts()}
    assert media_files() == []
