"""Speakers and press contacts."""

from django.contrib import admin
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.models import Tag

from ..models import Article, PressContact, Speaker
from ..search import refresh_search_document


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "organisation"]
    search_fields = ["name", "role", "organisation"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Name, role and organisation are in the search text of every release quoting them.
        if change and {"name", "role", "organisation"} & set(form.changed_data):
            for article in Article.objects.filter(quotes__speaker=obj).distinct():
                refresh_search_document(article)


# taggit's own admin, plus: a renamed tag is found under its new name at once.
admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(TaggitTagAdmin):
    # taggit's inline edits its generic TaggedItem, which our articles do not use (TaggedArticle).
    inlines = []

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            for article in Article.objects.filter(tags=obj):
                refresh_search_document(article)


@admin.register(PressContact)
class PressContactAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "email", "phone"]
    search_fields = ["name", "role", "email"]
