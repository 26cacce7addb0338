"""The photo library and the credits."""

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.utils import unquote
from django.db import models, transaction
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..forms import PhotoAdminForm
from ..models import Article, ArticlePhoto, Credit, Photo, Rendition

# A photo is locked while a release that is or was public uses it (LOCKING_STATUSES):
# deleting it would change a live page (or one going live at its embargo) behind the
# publisher's back, and a withdrawn release stays on record as it was published. A
# photo used only by drafts, releases in review or releases removed as published by
# mistake may be deleted: those releases simply lose it, and the confirmation page
# names them first. Changing a locked photo is Publication's alone (LockedByReleasesMixin).
from ..photos.files import PREVIEW_SPEC  # noqa: E402  (the whole picture, uncropped, for the focal point picker)
from ..publishing.workflow import LOCKING_STATUSES
from .common import (
    EditLockedAdminMixin,
    EditLockedForm,
    LockedByReleasesMixin,
    local_datetime,
    thumb_renditions,
    thumbnail,
)
from .widgets import SpellcheckedTextMixin


def locking_placements(photos):
    """The placements that forbid deleting `photos` (a queryset or list of photos)."""
    return (
        ArticlePhoto.objects.filter(photo__in=photos, article__status__in=LOCKING_STATUSES)
        .select_related("article", "photo")
        .order_by("photo_id", "article__title")
    )


def refusal_message(placements) -> str:
    """ "« Lever du jour » est utilisée par 2 communiqués publiés ou retirés : « A », « B »." for each photo."""
    by_photo = {}
    for placement in placements:
        by_photo.setdefault(placement.photo, []).append(placement.article)
    sentences = []
    for photo, articles in by_photo.items():
        titles = ", ".join(f"« {article.title} »" for article in articles)
        sentences.append(
            ngettext(
                "La photo « %(photo)s » illustre un communiqué publié ou retiré : %(titles)s.",
                "La photo « %(photo)s » illustre %(count)d communiqués publiés ou retirés : %(titles)s.",
                len(articles),
            )
            % {"photo": photo, "count": len(articles), "titles": titles}
        )
    return " ".join(
        [str(_("Suppression impossible.")), *sentences,
         str(_("Retirez-la d'abord de ces communiqués (ou remplacez-la), puis supprimez-la."))]
    )


class UsageFilter(admin.SimpleListFilter):
    title = _("utilisation")
    parameter_name = "utilisation"

    def lookups(self, request, model_admin):
        return [("publiee", _("dans un communiqué publié")), ("inutilisee", _("dans aucun communiqué"))]

    def queryset(self, request, queryset):
        if self.value() == "publiee":
            return queryset.filter(
                models.Exists(ArticlePhoto.objects.filter(photo=models.OuterRef("pk"), article__status=Article.Status.PUBLISHED))
            )
        if self.value() == "inutilisee":
            return queryset.filter(~models.Exists(ArticlePhoto.objects.filter(photo=models.OuterRef("pk"))))
        return queryset


class PhotoChangeForm(EditLockedForm, PhotoAdminForm):
    """The upload form, which also refuses to save over another editor's change."""


@admin.register(Photo)
class PhotoAdmin(SpellcheckedTextMixin, EditLockedAdminMixin, LockedByReleasesMixin, admin.ModelAdmin):
    form = PhotoChangeForm
    conflict_noun, conflict_feminine = _("cette photo"), True
    list_display = ["list_thumbnail", "caption", "alt_text", "credit", "dimensions", "files_state", "rights_expire_on", "created_at"]
    list_display_links = ["list_thumbnail", "caption"]
    list_filter = [UsageFilter, "credit"]
    list_select_related = ["credit"]
    # The tags are those of the releases using the photo; Django adds DISTINCT for this many-to-many search.
    search_fields = ["caption", "alt_text", "credit__name", "articles__tags__name"]
    search_help_text = _("Cherche dans la légende, le texte alternatif, le crédit et les mots-clés des communiqués qui utilisent la photo.")
    autocomplete_fields = ["credit"]
    readonly_fields = ["preview", "used_in", "dimensions", "files_state", "created_at"]
    fieldsets = [
        (None, {"fields": ["image", "preview", "files_state", "caption", "alt_text", "credit"]}),
        (_("Point focal"), {
            "fields": ["focal_x", "focal_y"],
            "description": _(
                "Cliquez sur l'aperçu à l'endroit qui doit rester visible dans les recadrages "
                "(vignettes, carte de partage) ; les recadrages sont refaits en arrière-plan après l'enregistrement."
            ),
        }),
        (_("Droits"), {"fields": ["licence", "rights_expire_on"]}),
        (_("Utilisée dans"), {"fields": ["used_in"]}),
        (_("Avancé"), {"classes": ["collapse"], "fields": ["dimensions", "created_at"]}),
    ]
    actions = ["delete_selected"]

    class Media:
        css = {"all": ["articles/admin/focal_point.css"]}
        js = ["articles/admin/focal_point.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(thumb_renditions())

    @admin.display(description=_("vignette"))
    def list_thumbnail(self, photo):
        return thumbnail(photo)

    @admin.display(description=_("aperçu"))
    def preview(self, photo):
        """The whole picture, on which a click sets the focal point (focal_point.js)."""
        if not photo.pk:
            return _("L'aperçu apparaît après l'enregistrement.")
        # Not photo.renditions: on this page it holds only the prefetched thumbnail (get_queryset).
        rendition = Rendition.objects.filter(photo=photo, spec=PREVIEW_SPEC).first()
        if rendition is not None:
            url, width, height = rendition.file.url, rendition.width, rendition.height
        elif photo.image and photo.width and photo.height:
            url, width, height = photo.image.url, photo.width, photo.height
        else:
            return None
        return format_html(
            '<div class="focal-picker" data-focal-picker tabindex="0" role="group" aria-label="{}">'
            '<img src="{}" alt="{}" width="{}" height="{}">'
            '<span class="focal-marker" aria-hidden="true"></span></div>',
            _("Point focal : cliquez sur l'image, ou utilisez les flèches du clavier"),
            url, photo.alt_text, width, height,
        )

    @admin.display(description=_("communiqués"))
    def used_in(self, photo):
        if not photo.pk:
            return _("Pas encore : la photo n'est dans aucun communiqué.")
        articles = photo.articles.order_by("-publish_at", "-id")
        if not articles:
            return _("Aucun communiqué : la photo peut être supprimée.")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> — {}{}</li>',
                (
                    (
                        reverse("admin:articles_article_change", args=[article.pk]),
                        article.title,
                        article.get_status_display(),
                        f", {local_datetime(article.publish_at)}" if article.publish_at else "",
                    )
                    for article in articles
                ),
            ),
        )

    @admin.display(description=_("déclinaisons"))
    def files_state(self, photo):
        # Made by a background job after each save (articles/tasks.py); until then "En cours".
        return photo.get_files_state_display() if photo.pk else _("Préparées après l'enregistrement.")

    @admin.display(description=_("dimensions (px)"))
    def dimensions(self, photo):
        return f"{photo.width} × {photo.height}" if photo.width and photo.height else _("Lues dans le fichier à l'enregistrement.")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)

    # Deleting: refused with the releases' names while a public (or withdrawn) release uses the photo.

    def delete_view(self, request, object_id, extra_context=None):
        photo = self.get_object(request, unquote(object_id))
        if photo is not None and self.has_delete_permission(request, photo):
            locking = list(locking_placements([photo]))
            if locking:
                self.message_user(request, refusal_message(locking), messages.ERROR)
                return HttpResponseRedirect(reverse("admin:articles_photo_change", args=[photo.pk]))
        return super().delete_view(request, object_id, extra_context)

    @admin.action(permissions=["delete"], description=_("Supprimer les photos sélectionnées"))
    def delete_selected(self, request, queryset):
        locking = list(locking_placements(queryset))
        if locking:
            self.message_user(request, refusal_message(locking), messages.ERROR)
            return None
        return django_delete_selected(self, request, queryset)

    def get_deleted_objects(self, objs, request):
        """Django lists a draft's use of the photo as "protected"; here it is what the deletion removes."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        drafts = ArticlePhoto.objects.filter(photo__in=objs).exclude(article__status__in=LOCKING_STATUSES)
        if protected and not locking_placements(objs).exists():
            protected = []
            for placement in drafts.select_related("article"):
                deleted.append(
                    _("Retirée du communiqué « %(title)s » (%(status)s)")
                    % {"title": placement.article.title, "status": placement.article.get_status_display()}
                )
            model_count[ArticlePhoto._meta.verbose_name_plural] = drafts.count()
        return deleted, model_count, perms_needed, protected

    def delete_model(self, request, obj):
        self.delete_queryset(request, Photo.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            # Only the unlocked placements: a locked one left by a race makes the PROTECT fail loudly.
            ArticlePhoto.objects.filter(photo__in=queryset).exclude(article__status__in=LOCKING_STATUSES).delete()
            queryset.delete()


@admin.register(Credit)
class CreditAdmin(SpellcheckedTextMixin, EditLockedAdminMixin, LockedByReleasesMixin, admin.ModelAdmin):
    conflict_noun = _("ce crédit photo")
    list_display = ["name", "organisation", "photo_count"]
    search_fields = ["name", "organisation"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # Django 6's default, today
    fieldsets = [
        (None, {
            "fields": ["name", "organisation", "url"],
            "description": _(
                "Renommer un crédit réécrit les fichiers de toutes ses photos (le nom est inscrit dans leurs "
                "métadonnées), en arrière-plan : ses photos sont « En cours » jusque-là."
            ),
        }),
        (_("Avancé"), {"classes": ["collapse"], "fields": ["slug"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(photo_count=Count("photos"))

    @admin.display(description=_("photos"), ordering="photo_count")
    def photo_count(self, credit):
        return credit.photo_count

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The organisation is part of the credit line written into the files (Copyright).
        if change and {"name", "organisation"} & set(form.changed_data):
            # The files are rewritten by jobs that the save itself queued (photos/receivers.py),
            # and the search text followed too (discovery/receivers.py): here, only the message.
            count = obj.photos.count()
            if count:
                self.message_user(
                    request,
                    ngettext(
                        "Le nouveau nom va être inscrit dans le fichier de %(count)d photo (en cours, en arrière-plan).",
                        "Le nouveau nom va être inscrit dans les fichiers de %(count)d photos (en cours, en arrière-plan).",
                        count,
                    )
                    % {"count": count},
                )
