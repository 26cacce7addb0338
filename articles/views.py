"""Public pages. Each starts from Article.objects.public(); none decides visibility itself."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView, TemplateView
from taggit.models import Tag

from .models import Article, Quote, Speaker
from .pagination import CachedCountMixin


class ArticleListView(CachedCountMixin, ListView):
    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        return Article.objects.public().newest_first().with_cards()

    def get_count_key(self):
        return "home"


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.public().with_page()

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            return self.after_publication(request, self.kwargs["slug"])

    def after_publication(self, request, slug):
        """An address the public saw but that shows no release now: 301 to the new slug,
        the withdrawal notice (date and reason only), or 410 for a release published in
        error. A release the public never saw stays a plain 404 (see articles/workflow.py)."""
        from django.http import HttpResponsePermanentRedirect
        from django.template.response import TemplateResponse

        from .models import SlugRedirect
        from .workflow import was_published

        redirect = SlugRedirect.objects.select_related("article").filter(old_slug=slug).first()
        if redirect and (redirect.article.is_public() or was_published(redirect.article)):
            return HttpResponsePermanentRedirect(redirect.article.get_absolute_url())
        article = Article.objects.filter(slug=slug, status__in=[Article.Status.WITHDRAWN, Article.Status.REMOVED]).first()
        if article is None or not was_published(article):
            raise Http404("Aucun communiqué public à cette adresse.")
        if article.status == Article.Status.WITHDRAWN:
            response = TemplateResponse(request, "articles/article_withdrawn.html", {"article": article})
        else:
            response = TemplateResponse(request, "articles/article_gone.html", {}, status=410)
        response["X-Robots-Tag"] = "noindex"
        return response


class TagDetailView(CachedCountMixin, ListView):
    """Public articles carrying one tag; a tag with no public article does not exist for the public."""

    template_name = "articles/tag_detail.html"
    context_object_name = "articles"
    paginate_by = settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return Article.objects.public().filter(tags=self.tag).newest_first().with_cards()

    def get_count_key(self):
        return f"tag:{self.tag.pk}"

    def paginate_queryset(self, queryset, page_size):
        result = super().paginate_queryset(queryset, page_size)
        if result[0].count == 0:
            raise Http404("Aucun communiqué public pour ce mot-clé.")
        return result

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class SpeakerDetailView(CachedCountMixin, ListView):
    """Every public quote by one speaker, each linking to its article."""

    template_name = "articles/speaker_detail.html"
    context_object_name = "quotes"
    paginate_by = 20

    def get_queryset(self):
        self.speaker = get_object_or_404(Speaker, slug=self.kwargs["slug"])
        return (
            Quote.objects.public()
            .filter(speaker=self.speaker)
            .select_related("article", "speaker")
            .order_by("-article__publish_at", "-article__id", "position", "id")
        )

    def get_count_key(self):
        return f"speaker:{self.speaker.pk}"

    def paginate_queryset(self, queryset, page_size):
        result = super().paginate_queryset(queryset, page_size)
        if result[0].count == 0:
            raise Http404("Aucune citation publique de cet intervenant.")
        return result

    def get_context_data(self, **kwargs):
        return super().get_context_data(speaker=self.speaker, **kwargs)


class AccessibilityStatementView(TemplateView):
    """The RGAA accessibility statement, which the law requires to be linked from every page."""

    template_name = "accessibility_statement.html"
