"""Helpers shared by the admin pages: thumbnails, zone-aware dates, locks and conflicts."""

from django import forms
from django.contrib import messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import edit_lock
from ..models import Rendition
from ..paris_time import local_label, short_label
from ..photos.files import THUMB_SPEC  # noqa: E402
from ..publishing import workflow

THUMB_SIZE = 64


def thumb_renditions(photo_path: str = "") -> Prefetch:
    """Prefetch only the small square rendition: a list never loads a master or the other renditions."""
    return Prefetch(f"{photo_path}renditions", queryset=Rendition.objects.filter(spec=THUMB_SPEC))


def thumbnail(photo, size: int = THUMB_SIZE):
    """An <img> of `photo` for admin lists; uses the prefetched thumbnail rendition when present."""
    if photo is None:
        return None
    rendition = photo.rendition(THUMB_SPEC)
    if rendition is not None:
        url, width, height = rendition.file.url, size, size
    elif photo.image and photo.width and photo.height:
        # A photo saved before renditions existed: the master, scaled down by the browser.
        url, width, height = photo.image.url, size, max(1, round(photo.height * size / photo.width))
    else:
        return None
    return format_html(
        '<img src="{}" alt="{}" width="{}" height="{}" loading="lazy" class="admin-thumbnail">',
        url, photo.alt_text, width, height,
    )


local_datetime = short_label  # the admin's columns (articles/paris_time.py)



class LockedByReleasesMixin:
    """Rédaction may not change or delete what a published, scheduled or withdrawn release shows.

    A photo's caption or file, a credit, a speaker, a tag or a contact is part of the
    approved release: changing it would change that release behind Publication's
    back (and a photo's rights date would dodge the publish check). The writer sees
    the object read-only (Django does so when change is refused and view allowed),
    with the releases that lock it named; one used only by drafts stays editable.
    """

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not workflow.locked_for(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not workflow.locked_for(request.user, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, unquote(object_id))
            if obj is not None and workflow.locked_for(request.user, obj):
                self.message_user(request, locked_message(obj), messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        # Checked again here: a release may have been published since the page was opened.
        if change and workflow.locked_for(request.user, obj):
            raise PermissionDenied(locked_message(obj))
        super().save_model(request, obj, form, change)


def locked_message(obj) -> str:
    """ "« X » apparaît dans un communiqué publié, programmé ou retiré (« A ») : …" """
    titles = ", ".join(f"« {title} »" for title in workflow.locking_releases(obj).values_list("title", flat=True)[:5])
    return _(
        "« %(object)s » apparaît dans un communiqué publié, programmé ou retiré (%(titles)s) : seule l'équipe "
        "Publication peut le modifier. Demandez-lui de renvoyer ce communiqué en relecture."
    ) % {"object": obj, "titles": titles}


# --- Two editors at once: the same refusal for releases and for what they share -------------


def editor_name(user) -> str:
    return user.get_full_name() or user.get_username()


def conflict_error(*, noun: str, feminine: bool = False, who=None, when=None) -> ValidationError:
    """ "Attention : Alice Durand a modifié ce crédit photo le …, après que vous l'avez ouvert. …"

    `noun` is the object with its demonstrative ("ce communiqué", "cette photo"); `feminine`
    makes the participles agree with it. Without `when` (a change seen only in the row, made
    outside the admin), the message says that it changed, not who changed it nor when.
    """
    params = {"object": noun, "who": "", "when": ""}
    if when is not None:
        params["who"] = editor_name(who) if who is not None else _("quelqu'un")
        params["when"] = local_label(when)
        if feminine:
            message = _("Attention : %(who)s a modifié %(object)s le %(when)s, après que vous l'avez ouverte. "
                        "Rien n'a été enregistré et votre texte est conservé ci-dessous. Ouvrez la version actuelle "
                        "dans un autre onglet pour comparer, gardez ce qui doit l'être, puis enregistrez à nouveau : "
                        "votre version remplacera alors la sienne.")
        else:
            message = _("Attention : %(who)s a modifié %(object)s le %(when)s, après que vous l'avez ouvert. "
                        "Rien n'a été enregistré et votre texte est conservé ci-dessous. Ouvrez la version actuelle "
                        "dans un autre onglet pour comparer, gardez ce qui doit l'être, puis enregistrez à nouveau : "
                        "votre version remplacera alors la sienne.")
    elif feminine:
        message = _("Attention : %(object)s a été modifiée après que vous l'avez ouverte. Rien n'a été enregistré "
                    "et votre texte est conservé ci-dessous. Ouvrez la version actuelle dans un autre onglet pour "
                    "comparer, gardez ce qui doit l'être, puis enregistrez à nouveau : votre version remplacera "
                    "alors l'actuelle.")
    else:
        message = _("Attention : %(object)s a été modifié après que vous l'avez ouvert. Rien n'a été enregistré "
                    "et votre texte est conservé ci-dessous. Ouvrez la version actuelle dans un autre onglet pour "
                    "comparer, gardez ce qui doit l'être, puis enregistrez à nouveau : votre version remplacera "
                    "alors l'actuelle.")
    return ValidationError(message, code="conflict", params=params)


def missing_version_error(*, noun: str) -> ValidationError:
    """A change form always says which version it showed: without it, saving could overwrite a change."""
    return ValidationError(
        _("Ce formulaire ne dit pas quelle version de %(object)s vous avez ouverte : rien n'a été enregistré, "
          "pour ne pas remplacer une modification faite entre-temps. Vérifiez le texte ci-dessous puis "
          "enregistrez à nouveau."),
        code="conflict", params={"object": noun},
    )


def last_admin_change(obj, *, since):
    """(who, when) of the latest change to `obj` saved through the admin since `since`, or (None, None)."""
    entry = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            object_id=str(obj.pk), action_flag=CHANGE, action_time__gte=since,
        )
        .select_related("user").order_by("-action_time", "-pk").first()
    )
    return (entry.user, entry.action_time) if entry else (None, None)


class EditLockedForm(forms.ModelForm):
    """A change form that never saves over a change made since it was opened (articles/edit_lock.py).

    The refusal keeps everything the editor typed and puts a token for the current row
    in the form, so that their next save, made knowingly, replaces it (as for releases).
    """

    edit_token = forms.CharField(widget=forms.HiddenInput, required=False)
    conflict_noun = gettext_lazy("cet objet")  # EditLockedAdminMixin sets the model's own
    conflict_feminine = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["edit_token"].initial = edit_lock.opened_token(self.instance)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None:
            conflict = edit_lock.check_unchanged(
                model=type(self.instance), pk=self.instance.pk, token=cleaned.get("edit_token"),
            )
            if conflict is not None:
                self.data = self.data.copy()
                self.data[self.add_prefix("edit_token")] = conflict.token
                if conflict.missing:
                    raise missing_version_error(noun=self.conflict_noun)
                who, when = last_admin_change(conflict.current, since=conflict.opened_at)
                raise conflict_error(noun=self.conflict_noun, feminine=self.conflict_feminine, who=who, when=when)
        return cleaned


class EditLockedAdminMixin:
    """Photos, credits, speakers, tags and contacts: two editors at once cannot lose a change.

    Set `conflict_noun` ("ce crédit photo") and, for a feminine noun, `conflict_feminine`.
    A custom `form` must be an EditLockedForm.
    """

    form = EditLockedForm
    conflict_noun = EditLockedForm.conflict_noun
    conflict_feminine = False

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(name, {**options, "fields": [f for f in options["fields"] if f != "edit_token"]})
                     for name, options in super().get_fieldsets(request, obj)]
        # Only where the editor may save: a read-only page would show the token as a field.
        if obj is not None and fieldsets and self.has_change_permission(request, obj):
            name, options = fieldsets[0]
            fieldsets[0] = (name, {**options, "fields": [*options["fields"], "edit_token"]})
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if not issubclass(form, EditLockedForm):
            raise TypeError(f"{type(self).__name__}.form must be an EditLockedForm")
        return type(form.__name__, (form,), {"conflict_noun": self.conflict_noun,
                                             "conflict_feminine": self.conflict_feminine})
