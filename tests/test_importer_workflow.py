"""An import reaches the state its file asks for through the workflow, under the actor who ran it.

A file's front matter can say `status: published`; whoever runs the import is then the one who
publishes, with the same rules, history and audit entry as in the admin.
"""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from reversion.models import Version

from articles.importer import import_release
from articles.models import Article, AuditEntry, Photo, ReleaseEvent
from articles.publishing import workflow
from tests.factories import make_editor

pytestmark = pytest.mark.django_db

DEMO = Path(settings.BASE_DIR) / "articles" / "demo" / "occitanie-kyoto.md"
S = Article.Status


def release_file(tmp_path, status: str, date: str = "") -> Path:
    path = tmp_path / "release.md"
    path.write_text(f"---\ntitle: Un communiqué importé\nstatus: {status}\n{date}---\nTexte du communiqué.\n",
                    encoding="utf-8")
    return path


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_release", *map(str, args), stdout=out)
    return out.getvalue()


def test_a_writer_cannot_publish_by_importing_a_file_that_says_published(tmp_path):
    writer = make_editor("Rédaction", username="redac")
    with pytest.raises(CommandError, match="rien n'a été écrit.*Publication"):
        run(release_file(tmp_path, "published"), "--user", "redac")
    assert not Article.objects.exists()
    with pytest.raises(ValidationError):
        import_release(path=DEMO, user=writer)  # the demo release says published, with a photo
    assert not Article.objects.exists() and not Photo.objects.exists()


def test_a_writer_imports_a_release_for_review_under_their_own_name(tmp_path):
    writer = make_editor("Rédaction", username="redac")
    run(release_file(tmp_path, "review"), "--user", "redac")
    article = Article.objects.get()
    assert article.status == S.REVIEW
    assert article.created_by == writer and article.updated_by == writer
    entry = AuditEntry.objects.get(article=article)
    assert entry.action == AuditEntry.Action.SUBMITTED and entry.actor == writer


def test_a_publisher_publishes_by_import_with_the_audit_entry_and_the_went_live_event():
    publisher = make_editor("Publication", username="publi")
    result = import_release(path=DEMO, user=publisher)
    article = result.article
    assert article.status == S.PUBLISHED and article.is_public()
    assert article.first_published_at == article.publish_at  # the file's date, 2019
    assert AuditEntry.objects.filter(article=article, action=AuditEntry.Action.PUBLISHED, actor=publisher).exists()
    assert ReleaseEvent.objects.filter(article=article, kind=ReleaseEvent.Kind.WENT_LIVE).count() == 1
    assert Version.objects.get_for_object(article).first().revision.user == publisher


def test_the_command_line_without_user_publishes_and_is_named_in_the_audit_log():
    out = run(DEMO)
    article = Article.objects.get()
    assert article.status == S.PUBLISHED and article.is_public()
    assert "(publié)" in out
    entry = AuditEntry.objects.get(article=article, action=AuditEntry.Action.PUBLISHED)
    assert entry.actor is None and entry.actor_username == "ligne de commande"
    assert article.updated_by is None
    # Its photo's files were made by the import itself: none is left "en cours".
    assert {p.files_state for p in Photo.objects.all()} == {Photo.FilesState.READY}


def test_a_scheduled_import_is_scheduled_and_not_yet_live(tmp_path):
    run(release_file(tmp_path, "published", "date: 2040-01-15 09:30\n"))
    article = Article.objects.get()
    assert article.status == S.PUBLISHED and not article.is_public()
    assert AuditEntry.objects.get(article=article).action == AuditEntry.Action.SCHEDULED
    assert not ReleaseEvent.objects.filter(article=article).exists()


@pytest.mark.parametrize("status", ["withdrawn", "removed"])
def test_a_file_cannot_ask_for_a_withdrawal_or_a_removal(tmp_path, status):
    with pytest.raises(CommandError, match="impossible à l'import"):
        run(release_file(tmp_path, status))
    assert not Article.objects.exists()


def test_an_unknown_user_is_refused(tmp_path):
    with pytest.raises(CommandError, match="inconnu"):
        run(release_file(tmp_path, "draft"), "--user", "personne")


# --- The whole-form rule, asked by the admin and by any writer of the state field -------------


def test_check_edit_refuses_a_writer_setting_a_published_state_and_a_withdrawal_without_reason():
    writer, publisher = make_editor("Rédaction"), make_editor("Publication")
    with pytest.raises(ValidationError) as refused:
        workflow.check_edit(user=writer, current=None, status=S.PUBLISHED)
    assert set(refused.value.error_dict) == {"status"}
    with pytest.raises(ValidationError) as refused:
        workflow.check_edit(user=publisher, current=None, status=S.WITHDRAWN, withdrawal_reason="  ")
    assert set(refused.value.error_dict) == {"withdrawal_reason"}
    workflow.check_edit(user=publisher, current=None, status=S.WITHDRAWN, withdrawal_reason="Erreur de chiffres")
    workflow.check_edit(user=writer, current=None, status=S.REVIEW)


def test_check_edit_refuses_a_writer_any_change_to_a_published_release():
    writer = make_editor("Rédaction")
    live = Article(title="En ligne", status=S.PUBLISHED)
    with pytest.raises(ValidationError) as refused:
        workflow.check_edit(user=writer, current=live, status=S.REVIEW)
    assert "__all__" in refused.value.error_dict


def test_an_anonymous_or_inactive_actor_may_not_import_for_review(tmp_path):
    inactive = make_editor("Publication", username="parti", is_active=False)
    with pytest.raises((ValidationError, PermissionDenied)):
        import_release(path=release_file(tmp_path, "review"), user=inactive)
    assert not Article.objects.exists()


def test_a_user_with_no_editorial_role_cannot_import_even_a_draft(tmp_path):
    from django.contrib.auth.models import User

    visitor = User.objects.create_user("sans-role", is_staff=True)
    with pytest.raises(CommandError, match="rien n'a été écrit"):
        run(release_file(tmp_path, "draft"), "--user", visitor.username)
    assert not Article.objects.exists()


def test_a_whole_form_save_outside_the_admin_has_the_admins_consequences():
    """workflow.save_edit is what the admin's save calls: setting the state field to published
    writes the audit entry, the went-live event and the approval comment, whoever calls it."""
    publisher = make_editor("Publication")
    article = Article.objects.create(title="Par le formulaire", status=S.REVIEW)
    previous = Article.objects.get(pk=article.pk)
    article.status = S.PUBLISHED
    workflow.check_edit(user=publisher, current=previous, status=article.status)
    workflow.save_edit(article=article, user=publisher, previous=previous)
    article.refresh_from_db()
    assert article.is_public() and article.updated_by == publisher and article.version == previous.version + 1
    assert AuditEntry.objects.get(article=article).action == AuditEntry.Action.PUBLISHED
    assert ReleaseEvent.objects.filter(article=article, kind=ReleaseEvent.Kind.WENT_LIVE).count() == 1
    assert workflow.approval_comment(article=article, user=publisher).startswith("Version approuvée")
    assert workflow.approval_comment(article=article, user=make_editor("Rédaction")) == ""
