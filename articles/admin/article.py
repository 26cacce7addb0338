"""Releases in the admin: list, form, inlines, the publishing workflow, history and conflicts.

Who may do what is decided on the server (articles/workflow.py), not by hiding
buttons: a "Rédaction" writer who posts a published status, opens a scheduled
release or calls a publishing action is refused whatever the page showed.
"""


import reversion
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin

from ..alerts.admin import correction_action, delivery_summary
from ..discovery import receivers as search_receivers
from ..models import Article, Credit, EmbargoLink
from ..photos.files import THUMB_SPEC
from ..publishing import embargo, history, states, workflow
from .article_actions import WORKFLOW_ACTIONS, admin_action
from .article_forms import ArticleAdminForm
from .article_inlines import ArticlePhotoInline, EmbargoLinkInline, QuoteInline
from .article_states import StateFilter, state_badge
from .common import local_datetime, thumbnail
from .embargo import adopt
from .history import restore_changes, revision_diff
from .widgets import SpellcheckedTextMixin

S = Article.Status


def _int_or_404(value) -> int:
    # reversion's URL takes any text as the object id; the database must never see it.
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < number < 2**63:
        raise Http404
    return number

@admin.register(Article)
class ArticleAdmin(SpellcheckedTextMixin, VersionAdmin):
    form = ArticleAdminForm
    object_history_template = "admin/articles/article/object_history.html"
    list_display = ["title", "state_column", "publication", "tag_list", "lead_thumbnail", "updated_at",
                    "translation_states"]
    list_filter = [StateFilter, "tags", "publish_at", "language"]
    date_hierarchy = "publish_at"
    search_fields = ["title", "standfirst", "body", "quotes__speaker__name"]
    search_help_text = _("Cherche dans le titre, le chapô, le texte et le nom des personnes citées.")
    # No prepopulated_fields: the admin's JavaScript slug rule (URLify) is not ours ("4,2 milliards" →
    # "42-milliards", a long title cut mid-word). Left blank, the slug is derived by the model
    # (articles/slugs.py), the same for the admin, the importer, the API and the shell.
    autocomplete_fields = ["press_contacts"]
    readonly_fields = ["state", "public_link", "preview_link", "first_published_at", "withdrawn_at",
                       "created_at", "created_by", "updated_at", "updated_by", "email_deliveries", "rendered_body",
                       "pending_credit", "translation_of", "original_beside", "translation_states"]
    fieldsets = [
        (None, {"fields": ["title", "standfirst", "body", "location", "edit_version"]}),
        (_("Publication"), {
            "fields": ["state", "status", "publish_at", "public_link", "preview_link", "change_note",
                       "first_published_at", "withdrawal_reason", "withdrawn_at"],
            "description": _(
                "Un communiqué est visible du public quand il est « Publié » et que sa date est passée ; avec une date "
                "future, il est programmé. Seule l'équipe Publication publie, programme, retire et modifie un communiqué "
                "publié ou programmé : son enregistrement vaut approbation de ce qu'elle a enregistré."
            ),
        }),
        (_("Classement et contacts"), {"fields": ["tags", "press_contacts", "pending_credit"]}),
        (_("Courriels"), {"fields": ["email_deliveries"]}),
        # Issue #14: a translation shows its original beside it; an original, its translations' states.
        (_("Traduction"), {"fields": ["translation_of", "translation_states", "original_beside"]}),
        (_("Avancé"), {
            "classes": ["collapse"],
            "fields": ["slug", "language", "created_at", "created_by", "updated_at", "updated_by"],
        }),
    ]
    inlines = [ArticlePhotoInline, QuoteInline, EmbargoLinkInline]
    actions = [*(admin_action(spec) for spec in WORKFLOW_ACTIONS), correction_action()]

    @admin.display(description=_("alertes et envois sous embargo"))
    def email_deliveries(self, obj):
        # Per recipient on the deliveries' list (articles/alerts/admin.py), linked from here.
        return delivery_summary(obj)

    def get_queryset(self, request):
        # Tags, lead photo and its thumbnail come from a fixed number of queries, whatever the page size.
        return (super().get_queryset(request).with_cards(specs=[THUMB_SPEC])
                .prefetch_related("tags", "translations").select_related("translation_of"))

    @admin.display(description=_("Traductions"))
    def translation_states(self, obj):
        """Each translation's language and state ("EN : En relecture"); for a translation, its original's language."""
        if obj.translation_of_id:
            return format_html(_("Traduction ({language}) de « {title} »"), language=obj.language.upper(),
                               title=obj.translation_of.title)
        items = sorted(obj.translations.all(), key=lambda t: t.language)
        return format_html_join(" · ", "{} : {}", ((t.language.upper(), workflow.state_label(t)) for t in items)) or "—"

    @admin.display(description=_("L'original, à côté"))
    def original_beside(self, obj):
        """The original's texts, read-only, beside the translation being written (its body is stored sanitised)."""
        if not obj.translation_of_id:
            return "—"
        original = obj.translation_of
        return format_html('<div lang="{}"><p><strong>{}</strong></p><p>{}</p>{}</div>', original.language,
                           original.title, original.standfirst, mark_safe(original.body))  # noqa: S308

    def get_fieldsets(self, request, obj=None):
        # Fields by state (articles/publishing/states.py); a reader who may not change the
        # release reads its text rendered, not its HTML.
        editable = obj is None or self.has_change_permission(request, obj)
        fieldsets = []
        for name, options in self.fieldsets:
            fields = list(options["fields"])
            if "status" in fields:
                fields = states.publication_fields(obj, may_publish=workflow.can_publish(request.user))
            elif "pending_credit" in fields and (obj is None or obj.pending_credit_id is None):
                fields = [field for field in fields if field != "pending_credit"]  # shown only when there is one
            if not editable and "status" not in options["fields"]:
                fields = ["rendered_body" if field == "body" else field for field in fields if field != "edit_version"]
            fieldsets.append((name, {**options, "fields": fields}))
        return fieldsets

    def changelist_view(self, request, extra_context=None):
        # Django's "Sélectionnez l'objet communiqué à changer" is not how anyone speaks.
        return super().changelist_view(request, {"title": gettext("Communiqués"), **(extra_context or {})})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["release_state"] = states.state_of(obj) if obj is not None else None
        context["release_state_label"] = workflow.state_label(obj) if obj is not None else gettext("Nouveau brouillon")
        # The names the drop zone's credit field proposes while typing (article_photo_upload.py).
        context["credit_names"] = Credit.objects.order_by("name").values_list("name", flat=True)[:2000]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def view_on_site(self, obj):
        # The public page of a draft or embargoed release is a 404: offer the link only once it is live.
        return obj.get_absolute_url() if obj.is_public() else None

    # --- Permissions: enforced here, whatever the page showed ---------------------------------

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or workflow.can_edit(request.user, obj)

    def get_inline_instances(self, request, obj=None):
        # Embargo links open only a published (scheduled or live) release: offered on those alone.
        with_links = obj is not None and obj.status == S.PUBLISHED
        return [i for i in super().get_inline_instances(request, obj) if with_links or not isinstance(i, EmbargoLinkInline)]

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    # --- Saving -------------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        # The whole-form save is the workflow's (derived fields, audit entry, embargo links, events).
        workflow.save_edit(article=obj, user=request.user, previous=form.previous)
        request._approval_comment = workflow.approval_comment(article=obj, user=request.user)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The release, its quotes, photos and tags are saved row by row: their search text
        # (articles/search_receivers.py) is rebuilt once, after the last of them.
        with search_receivers.batched():
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_formset(self, request, form, formset, change):
        if formset.model is not EmbargoLink:
            return super().save_formset(request, form, formset, change)
        # Links are created and revoked by articles/embargo.py, as from their own admin page.
        # The lists are those formset.save() would fill, for the history's change message.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for link_form in formset.forms:
            if not link_form.has_changed():
                continue
            data = link_form.cleaned_data
            if link_form.instance.pk is None:
                link = embargo.create_link(
                    article=form.instance, user=request.user, recipient_name=data["recipient_name"],
                    recipient_email=data.get("recipient_email", ""), expires_at=data["expires_at"],
                )
                adopt(link_form.instance, link)
                formset.new_objects.append(link_form.instance)
                continue
            fields = [name for name in link_form.changed_data if name != "revoke"]
            if fields:
                link_form.save()
            if data.get("revoke") and embargo.revoke(link=link_form.instance, user=request.user):
                fields.append("revoked_at")
            if fields:
                formset.changed_objects.append((link_form.instance, fields))
        return None

    def _approval_comment(self, request, obj):
        return getattr(request, "_approval_comment", "")

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._add_approval(request, obj, entry)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._add_approval(request, obj, entry)
        return entry

    def _add_approval(self, request, obj, entry):
        approval = self._approval_comment(request, obj)
        if approval and reversion.is_active():
            reversion.set_comment(f"{approval} {entry.get_change_message()}".strip())

    # --- History: restore with the same role checks, and a readable diff ----------------------

    # reversion's own revision and recover views revert a whole revision before any check
    # can see it (articles/history.py says why): both are replaced by confirmation pages
    # that call the workflow's restore and recover services, which hold every rule.

    def revision_view(self, request, object_id, version_id, extra_context=None):
        article = get_object_or_404(Article, pk=_int_or_404(object_id))
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        try:
            version = history.version_of(article.pk, version_id)
        except ValidationError:
            raise Http404(gettext("Cette version n'appartient pas à ce communiqué.")) from None
        if request.method == "POST" and request.POST.get("confirm") == "yes":
            try:
                _, notes = workflow.restore(article=article, version_id=version.pk, user=request.user)
            except (ValidationError, PermissionDenied) as error:
                self._refused(request, error)
                return HttpResponseRedirect(reverse("admin:articles_article_history", args=[article.pk]))
            self.message_user(request, gettext("%(version)s a été restaurée.") % {"version": history.version_label(version).capitalize()}, messages.SUCCESS)
            for note in notes:
                self.message_user(request, note, messages.WARNING)
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
        return self._restore_page(request, article=article, version=version, recover=False)

    def recoverlist_view(self, request, extra_context=None):
        if not workflow.can_publish(request.user):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not workflow.can_publish(request.user):
            raise PermissionDenied
        try:
            version = history.version_of(None, version_id, deleted=True)
        except ValidationError:
            raise Http404(gettext("Aucun communiqué supprimé n'a cette version.")) from None
        if request.method == "POST" and request.POST.get("confirm") == "yes":
            try:
                article, notes = workflow.recover(version_id=version.pk, user=request.user)
            except (ValidationError, PermissionDenied) as error:
                self._refused(request, error)
                return HttpResponseRedirect(reverse("admin:articles_article_recoverlist"))
            self.message_user(request, gettext("« %(title)s » est de retour, en brouillon.") % {"title": article.title}, messages.SUCCESS)
            for note in notes:
                self.message_user(request, note, messages.WARNING)
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
        return self._restore_page(request, article=None, version=version, recover=True)

    def _refused(self, request, error):
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        self.message_user(request, text, messages.ERROR)

    def _restore_page(self, request, *, article, version, recover):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta, "original": article, "version": version, "recover": recover,
            "version_label": history.version_label(version),
            "changes": restore_changes(article, version),
            "title": (gettext("Récupérer « %(title)s »") if recover else gettext("Restaurer une version — %(title)s"))
            % {"title": version.object_repr if recover else article.title},
        }
        return TemplateResponse(request, "admin/articles/article/restore_confirmation.html", context)

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        for action in getattr(response, "context_data", {}).get("action_list", []):
            action["diff_url"] = reverse("admin:articles_article_diff", args=[object_id, action["revision"].pk])
        return response

    def get_urls(self):
        return [
            path("<int:object_id>/history/diff/<int:revision_id>/", self.admin_site.admin_view(self.diff_view),
                 name="articles_article_diff"),
            path("<int:object_id>/preview/", self.admin_site.admin_view(self.preview_redirect),
                 name="articles_article_preview"),
        ] + super().get_urls()

    def diff_view(self, request, object_id, revision_id):
        article = get_object_or_404(Article, pk=object_id)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        diff = revision_diff(article, revision_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta, "original": article, "diff": diff,
            "title": gettext("Différences — %(title)s") % {"title": article.title},
        }
        return TemplateResponse(request, "admin/articles/article/history_diff.html", context)

    def preview_redirect(self, request, object_id):
        from django.shortcuts import redirect

        return redirect("articles:article-preview", pk=object_id)

    # --- Columns and read-only fields ---------------------------------------------------------

    @admin.display(description=_("état"), ordering="status")
    def state_column(self, obj):
        return state_badge(obj)

    @admin.display(description=_("texte"))
    def rendered_body(self, obj):
        # Sanitised by Article.save() whatever wrote it (articles/sanitize.py): safe to render.
        return mark_safe(f'<div class="rendered-body">{obj.body}</div>')  # noqa: S308

    @admin.display(description=_("publication"), ordering="publish_at")
    def state(self, obj):
        return workflow.state_label(obj) if obj.pk else _("Nouveau brouillon")

    @admin.display(description=_("date de publication"), ordering="publish_at", empty_value=_("non programmée"))
    def publication(self, obj):
        return local_datetime(obj.publish_at)

    @admin.display(description=_("mots-clés"))
    def tag_list(self, obj):
        # By slug, so that "Économie" sorts with the E's rather than after Z.
        return ", ".join(tag.name for tag in sorted(obj.tags.all(), key=lambda tag: tag.slug))

    @admin.display(description=_("photo principale"))
    def lead_thumbnail(self, obj):
        return thumbnail(obj.lead_photo)

    @admin.display(description=_("page publique"))
    def public_link(self, obj):
        if obj.pk and obj.is_public():
            return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', obj.get_absolute_url(), _("Ouvrir la page publique"))
        if obj.pk and obj.status == Article.Status.PUBLISHED and obj.publish_at:
            return _("Pas encore public : sous embargo jusqu'au %(date)s.") % {"date": local_datetime(obj.publish_at)}
        return _("Pas encore public.")

    @admin.display(description=_("aperçu"))
    def preview_link(self, obj):
        if not obj.pk:
            return _("L'aperçu est disponible après l'enregistrement.")
        label = _("Voir l'aperçu de la version enregistrée") if obj.is_public() else _("Voir l'aperçu (pas encore en ligne)")
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', reverse("articles:article-preview", args=[obj.pk]), label)
