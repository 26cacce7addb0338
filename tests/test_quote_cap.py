"""A release holds at most MAX_QUOTES_PER_ARTICLE quotes, whoever writes them: the admin
says so in French and saves nothing, the importer names the line, code is refused too."""

import io
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.html import escape

from articles.models import MAX_QUOTES_PER_ARTICLE, Article, Quote, Speaker
from tests.factories import make_article, make_editor, make_speaker

pytestmark = pytest.mark.django_db

CAP = MAX_QUOTES_PER_ARTICLE


def test_the_cap_is_a_sane_number():
    assert 10 <= CAP <= 100


@pytest.fixture
def publisher(client):
    client.force_login(make_editor("Publication"))
    return client


def release_form(count: int, speaker) -> dict:
    data = {
        "title": "Assemblée plénière", "slug": "", "standfirst": "", "body": "<p>Texte.</p>", "location": "",
        "language": "fr", "status": Article.Status.DRAFT, "publish_at_0": "", "publish_at_1": "", "tags": "",
        "article_photos-TOTAL_FORMS": "0", "article_photos-INITIAL_FORMS": "0",
        "article_photos-MIN_NUM_FORMS": "0", "article_photos-MAX_NUM_FORMS": "1000",
        "quotes-TOTAL_FORMS": str(count), "quotes-INITIAL_FORMS": "0",
        "quotes-MIN_NUM_FORMS": "0", "quotes-MAX_NUM_FORMS": str(CAP),
    }
    for i in range(count):
        data.update({f"quotes-{i}-speaker": speaker.pk, f"quotes-{i}-text": f"Phrase {i}.", f"quotes-{i}-position": i})
    return data


def test_the_admin_refuses_one_quote_too_many_in_french_and_saves_nothing(publisher):
    response = publisher.post(reverse("admin:articles_article_add"), release_form(CAP + 1, make_speaker()))
    assert response.status_code == 200
    message = f"Ce communiqué aurait {CAP + 1} citations : {CAP} au plus. Gardez les plus importantes."
    quotes = next(f for f in response.context["inline_admin_formsets"] if f.formset.model is Quote)
    assert quotes.formset.non_form_errors() == [message]
    assert escape(message) in response.text
    assert (Article.objects.count(), Quote.objects.count()) == (0, 0)


def test_the_admin_saves_a_release_with_exactly_the_cap(publisher):
    response = publisher.post(reverse("admin:articles_article_add"), release_form(CAP, make_speaker()))
    assert response.status_code == 302
    assert Article.objects.get().quotes.count() == CAP


def test_the_admin_stops_offering_new_quote_rows_at_the_cap(publisher):
    article = make_article(status=Article.Status.DRAFT)
    speaker = make_speaker()
    Quote.objects.bulk_create(Quote(article=article, speaker=speaker, text=f"Q{i}", position=i) for i in range(CAP))
    started = time.perf_counter()
    response = publisher.get(reverse("admin:articles_article_change", args=[article.pk]))
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    quotes = next(f for f in response.context["inline_admin_formsets"] if f.formset.model is Quote)
    assert quotes.formset.max_num == CAP
    assert quotes.formset.total_form_count() == CAP  # no empty row past the cap
    assert elapsed < 10  # 39 s for 10,000 quotes before the cap; a full release opens in well under a second here


def test_code_cannot_add_a_quote_past_the_cap():
    article = make_article()
    speaker = make_speaker()
    for i in range(CAP):
        Quote.objects.create(article=article, speaker=speaker, text=f"Q{i}", position=i)
    with pytest.raises(ValidationError) as error:
        Quote.objects.create(article=article, speaker=speaker, text="Une de trop", position=CAP)
    assert error.value.messages == [f"Ce communiqué aurait {CAP + 1} citations : {CAP} au plus. Gardez les plus importantes."]
    assert article.quotes.count() == CAP


def test_the_importer_refuses_a_release_quoting_past_the_cap_with_the_line(tmp_path):
    lines = ["Assemblée plénière", ""]
    for i in range(CAP + 1):
        lines.append(f"Carole Delga a déclaré : « Voici la phrase numéro {i} de mon discours. »")
    path = tmp_path / "communique.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import_release", str(path), stdout=io.StringIO())
    assert str(error.value) == (
        f"ligne {CAP + 3} : ce communiqué aurait {CAP + 1} citations : {CAP} au plus. "
        "Gardez les plus importantes (les autres peuvent rester dans le texte, sans guillemets)."
    )
    assert (Article.objects.count(), Quote.objects.count(), Speaker.objects.count()) == (0, 0, 0)
