"""Speakers and press contacts."""

from django.contrib import admin

from ..models import PressContact, Speaker


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "organisation"]
    search_fields = ["name", "role", "organisation"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(PressContact)
class PressContactAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "email", "phone"]
    search_fields = ["name", "role", "email"]
