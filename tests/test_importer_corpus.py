"""The importer reads real-looking releases from press offices, in French and in English:
at least 90 % of quotes go to the right person, and none to the wrong one."""

from pathlib import Path

import pytest

from articles.models import Credit, Speaker
from tests.importer_corpus import CORPUS, measure, report

pytestmark = pytest.mark.django_db


def test_quotes_in_the_corpus_are_attributed_to_the_right_people_in_both_languages():
    scores = measure()
    print("\n" + report(scores))
    for language, score in scores.items():
        assert score.present >= 15, language
        assert not score.wrong, report(scores)
        assert score.correct / score.present >= 0.9, report(scores)


def quotes_of(tmp_path, text: str, name: str = "release.txt"):
    from articles.importer.parsing import parse_release

    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_release(path)


def test_a_name_after_an_office_is_the_speaker_when_already_in_the_press_room(tmp_path):
    Speaker.objects.create(name="Carole Delga", role="présidente de la Région Occitanie")
    release = quotes_of(tmp_path, "Titre\nLors d'une visite au lycée.\n« Aucun lycéen ne doit être freiné par le prix d'un ordinateur », a déclaré la présidente de Région Carole Delga.\n")
    assert [(q.speaker, q.text[:12]) for q in release.quotes] == [("Carole Delga", "Aucun lycéen")]


def test_a_place_named_after_someone_never_speaks(tmp_path):
    release = quotes_of(tmp_path, "Titre\n« Nous ouvrons un nouveau laboratoire de recherche sur l'eau », a déclaré le président de l'Université Paul Sabatier.\n")
    assert [q.speaker for q in release.quotes] == [None]
    assert any("sans auteur identifiable" in w for w in release.warnings)


def test_an_organisation_that_speaks_is_not_replaced_by_the_last_person_named(tmp_path):
    release = quotes_of(
        tmp_path,
        "Titre\nLe directeur général, Didier Jaffre, appelle à la vigilance.\n"
        "« Les établissements de santé ont été mis en alerte ce matin », précise l'ARS.\n",
    )
    assert [q.speaker for q in release.quotes] == [None]


def test_gov_uk_statements_without_quotation_marks_are_quotes_of_who_introduces_them(tmp_path):
    release = quotes_of(
        tmp_path,
        "Title\nMinister for Skills Jacqui Smith said:\nWe are opening ten new colleges this year.\n"
        "Our students deserve the best.\nThe colleges will open in September.\n",
    )
    assert [(q.speaker, q.text) for q in release.quotes] == [
        ("Jacqui Smith", "We are opening ten new colleges this year.\nOur students deserve the best.")
    ]
    assert release.language == "en"


def test_a_straight_quotation_mark_never_closed_is_a_warning_not_an_error(tmp_path):
    release = quotes_of(tmp_path, 'Title\nThe 12" screen model ships today, the company said.\n')
    assert release.quotes == []
    assert any("jamais refermé" in w for w in release.warnings)


def test_the_parts_around_the_text_go_to_their_fields_with_a_warning_each(tmp_path):
    release = quotes_of(tmp_path, (Path(__file__).parent / "data" / "corpus" / "fr-region-rentree.txt").read_text())
    assert release.title == "Rentrée 2026 : la Région équipe 45 000 lycéens d'un ordinateur portable"
    assert release.location == "Toulouse"
    assert release.publish_at.date().isoformat() == "2026-08-28"
    assert release.standfirst.startswith("La Région Occitanie renouvelle l'opération LoRdi")
    [contact] = release.contacts
    assert (contact.email, contact.phone) == ("presse@laregion.fr", "05 61 33 50 50")
    assert contact.name == "Service presse de la Région"
    assert "COMMUNIQUÉ" not in release.body_html and "Toulouse, le" not in release.body_html
    assert "presse@laregion.fr" not in release.body_html and "LoRdi pour" not in release.body_html
    warnings = " ".join(release.warnings)
    for said in ("mention d'en-tête", "ligne de date", "contact presse", "chapô"):
        assert said in warnings


def test_a_credit_spelled_otherwise_is_the_existing_credit_and_one_without_photo_is_said(tmp_path):
    Credit.objects.create(name="Antoine Darnaud (Région Occitanie)")
    release = quotes_of(tmp_path, "Titre\nUn texte.\n(Crédit photo : Région Occitanie / Antoine Darnaud)\n")
    assert release.credit_lines[0][0] == "Antoine Darnaud (Région Occitanie)"
    warnings = " ".join(release.warnings)
    assert "reconnu comme le crédit existant" in warnings
    assert "sans photo dans le communiqué" in warnings


def test_releases_written_after_the_rules_are_read_without_a_wrong_speaker():
    scores = measure(CORPUS.parent / "corpus-heldout")
    print("\n" + report(scores))
    for score in scores.values():
        assert not score.wrong, report(scores)


@pytest.mark.parametrize(("text", "speaker"), [
    ('Title\nThe chair of the committee welcomed the report. "It is a good day for the town and its people," said a spokesperson.\n', None),
    ('Title\nAcme Ltd lost its case today. "We will appeal this decision in the coming weeks," the company said.\n', None),
    ('Title\nJane Smith, CEO of Acme, and Tom Brown, CTO, announced the deal. "We are thrilled to join forces today," said Brown.\n', None),
    ('Title\nMayor Sadiq Khan opened the bridge. Critics were unconvinced. "This bridge is a waste of public money," said local resident Paul Jones.\n', "Paul Jones"),
    ('Title\nHealth Secretary Wes Streeting visited the hospital with its chief executive, Mary Jones.\n"This hospital shows what the NHS can do when we invest in it," he said.\n', "Wes Streeting"),
    ("Titre\nLe maire de Toulouse, Jean-Luc Moudenc, a reçu le ministre. « Nous avons parlé de la ligne C du métro et de son financement », a déclaré le ministre.\n", None),
    ("Titre\n« Nous sommes fiers de ce partenariat avec l’université », a déclaré le président de l’Université Paul Sabatier Jean-Marc Broto.\n", "Jean-Marc Broto"),
])
def test_a_speaker_who_cannot_be_named_for_sure_is_left_unnamed(tmp_path, text, speaker):
    [quote] = quotes_of(tmp_path, text).quotes
    assert quote.speaker == speaker


def test_a_credit_without_a_photo_waits_on_the_release_and_is_proposed_for_its_first_photo(tmp_path, admin_client):
    from django.urls import reverse

    from articles.importer import import_release
    from articles.models import Article

    path = tmp_path / "sans-photo.txt"
    path.write_text("Titre\nUn texte sans photo.\n(Crédit photo : Nicolas Datiche)\n", encoding="utf-8")
    result = import_release(path=path)
    article = Article.objects.get(pk=result.article.pk)
    assert article.pending_credit.name == "Nicolas Datiche"
    assert any("crédit en attente" in w for w in result.warnings)
    page = admin_client.get(reverse("admin:articles_article_change", args=[article.pk])).text
    assert "Crédit photo en attente" in page
    assert 'name="article_photos-0-upload_credit" value="Nicolas Datiche"' in page
