"""Speakers, tags and press contacts: shared by releases, so locked with the published ones,
and never saved over another editor's change (EditLockedAdminMixin)."""

from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.models import Tag

from ..models import PressContact, PressContactRole, Speaker, TagTranslation
from ..publishing import workflow
from .common import EditLockedAdminMixin, LockedByReleasesMixin
from .widgets import SpellcheckedTextMixin


@admin.register(Speaker)
class SpeakerAdmin(SpellcheckedTextMixin, EditLockedAdminMixin, LockedByReleasesMixin, admin.ModelAdmin):
    conflict_noun = _("cet intervenant")
    list_display = ["name", "role", "organisation"]
    search_fields = ["name", "role", "organisation"]
    # No prepopulated_fields: the admin's JavaScript slug rule (URLify) is not ours ("4,2 milliards" →
    # "42-milliards", a long title cut mid-word). Left blank, the slug is derived by the model
    # (articles/slugs.py), the same for the admin, the importer, the API and the shell.



class LockedWithParentInlineMixin:
    """A tag's names or a contact's roles in other languages are locked with the tag or contact:
    a writer sees them read-only once a published release shows it (the POST is refused whole
    by LockedByReleasesMixin; this keeps the page from offering fields it would refuse)."""

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not workflow.locked_for(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not workflow.locked_for(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not workflow.locked_for(request.user, obj)


class TagTranslationInline(LockedWithParentInlineMixin, admin.TabularInline):
    """The tag's name, and the address of its page, in each other language of the site."""

    model = TagTranslation
    fields = ["language", "name", "slug"]
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # French is the tag's own name: only the other languages are offered.
        field = formset.form.base_fields["language"]
        field.choices = [(code, label) for code, label in field.choices if code != settings.LANGUAGE_CODE]
        return formset


# taggit's own admin (a renamed tag is found under its new name at once: discovery/receivers.py).
admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(EditLockedAdminMixin, LockedByReleasesMixin, TaggitTagAdmin):
    conflict_noun = _("ce mot-clé")
    # taggit's inline edits its generic TaggedItem, which our articles do not use (TaggedArticle);
    # ours edits the tag's names in the other languages (issue #14).
    inlines = [TagTranslationInline]
    # taggit's "merge tags" action and page check no permission at all (any staff account
    # could create tags through them) and merge generic TaggedItems, not our TaggedArticle
    # links: switched off rather than guarded, until merging is a domain service.
    actions = []

    def get_urls(self):
        return [url for url in super().get_urls() if url.name != "taggit_tag_merge_tags"]



class PressContactRoleInline(LockedWithParentInlineMixin, admin.TabularInline):
    """The contact's role in each other language of the site (issue #14): shown on its translated releases."""

    model = PressContactRole
    fields = ["language", "role"]
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields["language"]  # French is the contact's own role
        field.choices = [(code, label) for code, label in field.choices if code != settings.LANGUAGE_CODE]
        return formset


@admin.register(PressContact)
class PressContactAdmin(SpellcheckedTextMixin, EditLockedAdminMixin, LockedByReleasesMixin, admin.ModelAdmin):
    conflict_noun = _("ce contact presse")
    inlines = [PressContactRoleInline]
    list_display = ["name", "role", "email", "phone"]
    search_fields = ["name", "role", "email"]
