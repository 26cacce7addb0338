"""Public pages. Each starts from Article.objects.public(); none decides visibility itself."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView, TemplateView
from taggit.models import Tag

from .models import Article, Quote, Speaker


class ArticleListView(ListView):
    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        return Article.objects.public().newest_first().with_cards()


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.public().with_page()


class TagDetailView(ListView):
    """Public articles carrying one tag; a tag with no public article does not exist for the public."""

    template_name = "articles/tag_detail.html"
    context_object_name = "articles"
    paginate_by = settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return Article.objects.public().filter(tags=self.tag).newest_first().with_cards()

    def paginate_queryset(self, queryset, page_size):
        result = super().paginate_queryset(queryset, page_size)
        if result[0].count == 0:
            raise Http404("Aucun communiqué public pour ce mot-clé.")
        return result

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class SpeakerDetailView(ListView):
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
