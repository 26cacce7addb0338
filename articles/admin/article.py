"""Releases in the admin: list, form, inlines, the publishing workflow, history and conflicts.

Who may do what is decided on the server (articles/workflow.py), not by hiding
buttons: a "Rédaction" writer who posts a published status, opens a scheduled
release or calls a publishing action is refused whatever the page showed.
"""

from datetime import datetime

import reversion
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin

from .. import embargo, events, history, search_receivers, workflow
from ..models import MAX_QUOTES_PER_ARTICLE, Article, ArticlePhoto, EmbargoLink, Quote, too_many_quotes_message
from .common import local_datetime, thumb_renditions, thumbnail
from .embargo import CheckedLinkForm, adopt, embargo_form_for
from .history import restore_changes, revision_diff
from .widgets import AdminSplitDateTime, LabelledInlineFormSet

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

class ParisDateTimeField(forms.SplitDateTimeField):
    """A date and time in Paris that must exist once: the spring-forward gap (e.g.
    29/03/2026 02:30) does not exist and the autumn hour (25/10/2026 02:30) exists
    twice. Django refuses both; this says why, in words an editor understands."""

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if self.label:
            # Django's one <label> points at neither input: our AdminSplitDateTime names each after it.
            attrs["aria-label"] = self.label
        return attrs

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except ValidationError as error:
            if getattr(error, "code", None) != "ambiguous_timezone" or not data_list:
                raise
            day, time = data_list
            naive = datetime.combine(day, time)
            zone = timezone.get_current_timezone()
            earlier, later = naive.replace(fold=0).astimezone(zone), naive.replace(fold=1).astimezone(zone)
            gap = earlier.utcoffset() < later.utcoffset() or earlier.replace(tzinfo=None) != naive
            label = f"{day:%d/%m/%Y} à {time:%H:%M}"
            if gap:
                message = _("L'heure %(when)s n'existe pas à Paris : ce jour-là, les horloges passent directement de 02:00 à 03:00 (heure d'été). Choisissez une autre heure.")
            else:
                message = _("L'heure %(when)s existe deux fois à Paris : ce jour-là, les horloges reviennent de 03:00 à 02:00 (heure d'hiver). Choisissez une heure hors de 02:00–03:00.")
            raise ValidationError(message, code="nonexistent_time", params={"when": label}) from error


class ArticleAdminForm(forms.ModelForm):
    """The release form: role checks, the publication time in Paris and optimistic locking on `version`."""

    request = None  # set per request by ArticleAdmin.get_form
    # Not the model field itself (it is not editable): the version the editor opened.
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    publish_at = ParisDateTimeField(
        label=_("Date de publication"), required=False, widget=AdminSplitDateTime,
        help_text=Article._meta.get_field("publish_at").help_text,
    )

    class Meta:
        model = Article
        # The admin passes the fields of its fieldsets; these are the same, for use outside it.
        fields = ["title", "standfirst", "body", "location", "status", "publish_at", "change_note",
                  "withdrawal_reason", "tags", "press_contacts", "slug", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.opened_version = self.instance.version
        self.fields["edit_version"].initial = self.opened_version
        self.previous = None
        if "status" in self.fields and not workflow.can_publish(self.user):
            # Only the choices a writer may make are offered; clean_status refuses the others anyway.
            self.fields["status"].widget.choices = [(s.value, s.label) for s in (S.DRAFT, S.REVIEW)]

    @property
    def user(self):
        return getattr(self.request, "user", None)

    def clean_status(self):
        status = self.cleaned_data.get("status")
        if status not in (S.DRAFT, S.REVIEW) and not workflow.can_publish(self.user):
            raise ValidationError(
                _("Seule l'équipe Publication peut publier, programmer, retirer ou supprimer un communiqué : choisissez « Brouillon » ou « En relecture »."),
                code="role",
            )
        return status

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status == S.WITHDRAWN and not (cleaned.get("withdrawal_reason") or "").strip():
            self.add_error("withdrawal_reason", _("Le motif du retrait est obligatoire : il est affiché publiquement."))
        if self.instance.pk:
            self._check_current_state()
        return cleaned

    def _check_current_state(self):
        # The row is locked until the admin's transaction ends: no one can save in between.
        current = Article.objects.select_for_update(of=("self",)).select_related("updated_by").get(pk=self.instance.pk)
        self.previous = current
        if not workflow.can_edit(self.user, current):
            raise ValidationError(
                _("Ce communiqué est publié ou programmé : seule l'équipe Publication peut le modifier. Demandez-lui de le renvoyer en relecture."),
                code="role",
            )
        posted = self.cleaned_data.get("edit_version")
        current_version = current.version
        if posted is None:
            # A change form always carries the version it showed; without it, saving could
            # silently overwrite someone else's text. Refused, with the current version
            # put in the form so that a deliberate second save goes through.
            self.data = self.data.copy()
            self.data[self.add_prefix("edit_version")] = str(current_version)
            raise ValidationError(
                _("Ce formulaire ne dit pas quelle version du communiqué vous avez ouverte : rien n'a été "
                  "enregistré, pour ne pas remplacer une modification faite entre-temps. Vérifiez le texte ci-dessous "
                  "puis enregistrez à nouveau."),
                code="conflict",
            )
        if posted != current_version:
            who = (current.updated_by.get_full_name() or current.updated_by.get_username()) if current.updated_by else gettext("quelqu'un")
            # The editor's text stays in the form; the next save, made knowingly, replaces the other version.
            self.data = self.data.copy()
            self.data[self.add_prefix("edit_version")] = str(current_version)
            raise ValidationError(
                _("Attention : %(who)s a modifié ce communiqué le %(when)s, après que vous l'avez ouvert. "
                  "Rien n'a été enregistré et votre texte est conservé ci-dessous. Ouvrez la version actuelle dans "
                  "un autre onglet pour comparer, gardez ce qui doit l'être, puis enregistrez à nouveau : "
                  "votre version remplacera alors la sienne."),
                code="conflict",
                params={"who": who, "when": workflow.local_label(current.updated_at)},
            )


class ArticlePhotoFormSet(LabelledInlineFormSet):
    """A release published with these photos must be allowed to show them (credit, rights)."""

    def clean(self):
        super().clean()
        article = self.instance
        if article.status != S.PUBLISHED:
            return
        now = timezone.now()
        on = timezone.localdate(max(article.publish_at or now, now))
        problems = []
        for form in self.forms:
            photo = form.cleaned_data.get("photo") if hasattr(form, "cleaned_data") else None
            if photo and not form.cleaned_data.get("DELETE"):
                problem = photo.publication_problem(on)
                if problem:
                    problems.append(problem)
        if problems:
            raise ValidationError([gettext("Ce communiqué ne peut pas être publié :")] + problems)


class QuoteFormSet(LabelledInlineFormSet):
    """At most MAX_QUOTES_PER_ARTICLE quotes (the domain's rule), said in the editor's words."""

    def clean(self):
        super().clean()
        kept = [f for f in self.forms if f.has_changed() or f.instance.pk]
        kept = [f for f in kept if not (hasattr(f, "cleaned_data") and f.cleaned_data.get("DELETE"))]
        if len(kept) > MAX_QUOTES_PER_ARTICLE:
            raise ValidationError(too_many_quotes_message(len(kept)), code="too_many_quotes")


class QuoteInline(admin.TabularInline):
    model = Quote
    formset = QuoteFormSet
    fields = ["position", "speaker", "text"]
    autocomplete_fields = ["speaker"]
    ordering = ["position", "id"]
    extra = 1
    # The "add another" link stops at the cap; QuoteFormSet.clean refuses a post past it.
    max_num = MAX_QUOTES_PER_ARTICLE

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("help_texts", {"position": _("Les citations s'affichent dans cet ordre, la plus petite d'abord.")})
        return super().get_formset(request, obj, **kwargs)


class ArticlePhotoInline(admin.TabularInline):
    model = ArticlePhoto
    formset = ArticlePhotoFormSet
    fields = ["position", "photo", "preview"]
    readonly_fields = ["preview"]
    autocomplete_fields = ["photo"]
    ordering = ["position", "id"]
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("photo").prefetch_related(thumb_renditions("photo__"))

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault(
            "help_texts",
            {"position": _("La photo de plus petit ordre est la photo principale (en tête du communiqué et dans les listes).")},
        )
        return super().get_formset(request, obj, **kwargs)

    @admin.display(description=_("aperçu"))
    def preview(self, placement):
        return thumbnail(placement.photo) if placement.pk else ""


class EmbargoLinkForm(CheckedLinkForm):
    revoke = forms.BooleanField(label=_("révoquer"), required=False)
    expires_at = ParisDateTimeField(label=_("Expire le"), widget=AdminSplitDateTime)

    class Meta:
        model = EmbargoLink
        fields = ["recipient_name", "recipient_email", "expires_at"]


class EmbargoLinkInline(admin.TabularInline):
    """Links for named journalists; only Publication holds the embargo-link permissions."""

    model = EmbargoLink
    form = EmbargoLinkForm
    formset = LabelledInlineFormSet
    fields = ["recipient_name", "recipient_email", "expires_at", "copyable_url", "visit_summary", "revoked_at", "revoke"]
    readonly_fields = ["copyable_url", "visit_summary", "revoked_at"]
    extra = 0
    can_delete = False  # revoke instead: the visit log stays

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article").prefetch_related("visits")

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = embargo_form_for(self.form, request)
        return super().get_formset(request, obj, **kwargs)

    @admin.display(description=_("lien à envoyer"))
    def copyable_url(self, link):
        if not link.pk:
            return _("Le lien apparaît après l'enregistrement.")
        if not embargo.is_active(link):
            return _("Lien inactif (expiré ou révoqué).")
        return format_html('<input type="text" readonly value="{}" size="50" onclick="this.select()" aria-label="{}">',
                           embargo.link_url(link), gettext("Lien sous embargo à copier"))

    @admin.display(description=_("consultations"))
    def visit_summary(self, link):
        if not link.pk:
            return ""
        visits = list(link.visits.all())
        if not visits:
            return _("Jamais ouvert")
        return ngettext("%(count)d consultation, la dernière le %(when)s", "%(count)d consultations, la dernière le %(when)s", len(visits)) % {
            "count": len(visits), "when": local_datetime(visits[0].visited_at),
        }


class ScheduleForm(forms.Form):
    publish_at = ParisDateTimeField(label=_("Publier le"), widget=AdminSplitDateTime,
                                    help_text=_("Heure de Paris. Le communiqué restera invisible jusqu'à ce moment."))

    def clean_publish_at(self):
        value = self.cleaned_data["publish_at"]
        if value <= timezone.now():
            raise ValidationError(_("Choisissez une date future ; pour publier tout de suite, utilisez « Publier maintenant »."))
        return value


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif public du retrait"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Affiché à l'adresse du communiqué à la place de son contenu, avec la date du retrait."),
    )


@admin.register(Article)
class ArticleAdmin(VersionAdmin):
    form = ArticleAdminForm
    object_history_template = "admin/articles/article/object_history.html"
    list_display = ["title", "status", "is_online", "state", "publication", "tag_list", "lead_thumbnail", "updated_at"]
    list_filter = ["status", "tags", "publish_at", "language"]
    date_hierarchy = "publish_at"
    search_fields = ["title", "standfirst", "body", "quotes__speaker__name"]
    search_help_text = _("Cherche dans le titre, le chapô, le texte et le nom des personnes citées.")
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["press_contacts"]
    readonly_fields = ["state", "public_link", "preview_link", "first_published_at", "withdrawn_at",
                       "created_at", "created_by", "updated_at", "updated_by"]
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
        (_("Classement et contacts"), {"fields": ["tags", "press_contacts"]}),
        (_("Avancé"), {
            "classes": ["collapse"],
            "fields": ["slug", "language", "created_at", "created_by", "updated_at", "updated_by"],
        }),
    ]
    inlines = [ArticlePhotoInline, QuoteInline, EmbargoLinkInline]
    actions = ["submit_for_review", "publish_now", "schedule", "send_back_to_review", "withdraw", "remove"]

    def get_queryset(self, request):
        # Tags, lead photo and its thumbnail come from a fixed number of queries, whatever the page size.
        return super().get_queryset(request).with_cards(specs=["thumb-jpeg"]).prefetch_related("tags")

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
        if not change:
            obj.created_by = request.user
        previous = form.previous
        if previous is not None:
            obj.version = previous.version
        workflow.apply_edit(
            article=obj, user=request.user,
            previous_status=previous.status if previous else None,
            previous_slug=previous.slug if previous else None,
        )
        request._article_approved = obj.status == S.PUBLISHED and workflow.can_publish(request.user)
        super().save_model(request, obj, form, change)
        # The state field is a way to publish, schedule, send back or withdraw too: the same
        # consequences as the workflow's actions (audit entry, embargo links revoked).
        workflow.record_state_change(
            article=obj, user=request.user,
            previous_status=previous.status if previous else None,
            previous_publish_at=previous.publish_at if previous else None,
        )
        events.after_save(article=obj, previous_status=previous.status if previous else None)

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
        if getattr(request, "_article_approved", False):
            if obj.publish_at and obj.publish_at > timezone.now():
                extra = gettext("Version approuvée pour publication, programmée pour le %(when)s.") % {"when": workflow.local_label(obj.publish_at)}
            else:
                extra = gettext("Version approuvée : c'est celle qui est publiée.")
            return extra
        return ""

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

    @admin.display(description=_("en ligne"), boolean=True)
    def is_online(self, obj):
        return obj.is_public()

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
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>',
                           reverse("articles:article-preview", args=[obj.pk]), _("Voir l'aperçu (page publique, non publiée)"))

    # --- Workflow actions: each with a confirmation page and a message -----------------------

    def _confirm(self, request, queryset, *, action, title, question, button, run, form_class=None, done_message):
        confirmed = request.POST.get("confirm") == "yes"
        form = form_class(request.POST if confirmed else None) if form_class else None
        if confirmed and (form is None or form.is_valid()):
            done = 0
            for article in queryset:
                try:
                    run(article, form.cleaned_data if form else {})
                    done += 1
                except (ValidationError, PermissionDenied) as error:
                    text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                    self.message_user(request, f"« {article.title} » : {text}", messages.ERROR)
            if done:
                self.message_user(request, done_message(done), messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta, "title": title, "question": question, "button": button,
            "articles": queryset, "action": action, "form": form,
            "media": self.media + (form.media if form else forms.Media()),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/articles/article/workflow_confirmation.html", context)

    @admin.action(description=_("Envoyer en relecture"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        return self._confirm(
            request, queryset, action="submit_for_review", title=gettext("Envoyer en relecture"),
            question=gettext("Ces brouillons seront proposés à l'équipe Publication :"), button=gettext("Oui, envoyer en relecture"),
            run=lambda a, data: workflow.submit_for_review(article=a, user=request.user),
            done_message=lambda n: ngettext("%(count)d communiqué envoyé en relecture.", "%(count)d communiqués envoyés en relecture.", n) % {"count": n},
        )

    @admin.action(description=_("Publier maintenant"), permissions=["publish"])
    def publish_now(self, request, queryset):
        return self._confirm(
            request, queryset, action="publish_now", title=gettext("Publier maintenant"),
            question=gettext("Ces communiqués seront visibles de tous, dès maintenant, partout (site, flux, recherche) :"),
            button=gettext("Oui, publier maintenant"),
            run=lambda a, data: workflow.publish(article=a, user=request.user),
            done_message=lambda n: ngettext("%(count)d communiqué publié.", "%(count)d communiqués publiés.", n) % {"count": n},
        )

    @admin.action(description=_("Programmer la publication"), permissions=["publish"])
    def schedule(self, request, queryset):
        return self._confirm(
            request, queryset, action="schedule", title=gettext("Programmer la publication"),
            question=gettext("Ces communiqués resteront invisibles jusqu'à la date choisie, puis apparaîtront partout à la minute près :"),
            button=gettext("Programmer"), form_class=ScheduleForm,
            run=lambda a, data: workflow.publish(article=a, user=request.user, publish_at=data["publish_at"]),
            done_message=lambda n: ngettext("%(count)d communiqué programmé.", "%(count)d communiqués programmés.", n) % {"count": n},
        )

    @admin.action(description=_("Renvoyer en relecture (retire du programme)"), permissions=["publish"])
    def send_back_to_review(self, request, queryset):
        return self._confirm(
            request, queryset, action="send_back_to_review", title=gettext("Renvoyer en relecture"),
            question=gettext("Ces communiqués quitteront le site ou le programme et redeviendront modifiables par la Rédaction :"),
            button=gettext("Oui, renvoyer en relecture"),
            run=lambda a, data: workflow.send_back_to_review(article=a, user=request.user),
            done_message=lambda n: ngettext("%(count)d communiqué renvoyé en relecture.", "%(count)d communiqués renvoyés en relecture.", n) % {"count": n},
        )

    @admin.action(description=_("Retirer du site (avec un motif public)"), permissions=["publish"])
    def withdraw(self, request, queryset):
        return self._confirm(
            request, queryset, action="withdraw", title=gettext("Retirer du site"),
            question=gettext("Ces communiqués disparaîtront des listes, flux, recherche et plan du site ; leur adresse n'affichera plus que la date du retrait et ce motif :"),
            button=gettext("Retirer"), form_class=WithdrawForm,
            run=lambda a, data: workflow.withdraw(article=a, user=request.user, reason=data["reason"]),
            done_message=lambda n: ngettext("%(count)d communiqué retiré du site.", "%(count)d communiqués retirés du site.", n) % {"count": n},
        )

    @admin.action(description=_("Supprimer : publié par erreur (410)"), permissions=["publish"])
    def remove(self, request, queryset):
        return self._confirm(
            request, queryset, action="remove", title=gettext("Supprimer un communiqué publié par erreur"),
            question=gettext("L'adresse de ces communiqués répondra « supprimé » (410), sans aucun contenu :"),
            button=gettext("Oui, supprimer"),
            run=lambda a, data: workflow.remove(article=a, user=request.user),
            done_message=lambda n: ngettext("%(count)d communiqué supprimé.", "%(count)d communiqués supprimés.", n) % {"count": n},
        )
