"""Public pages. Each starts from Article.objects.public(); none decides visibility itself."""

from django.conf import settings
from django.db.models import CharField, DateTimeField, SlugField
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import get_language
from django.views.generic import DetailView, ListView, TemplateView

from ..caching import dependencies
from ..caching.pagination import CachedCountMixin, EmptyListIs404Mixin
from ..models import Article, Quote, Speaker
from ..prepared_queries import Parameter, PreparedPages, PreparedQuery
from ..querysets import language_code
from ..tagging import shown_tag, tag_in_language


class ArticleListView(CachedCountMixin, ListView):
    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = settings.ARTICLES_PER_PAGE

    # Cards are rendered once per version of their release; a card's photos are prefetched only
    # when it is rendered (templatetags/release_fragments.py).
    extra_context = {"release_cache": True}

    # Its pages (issue #17): the visibility rule, the language and the order compiled to SQL once
    # per process (prepared_queries.py); the queryset itself is built only to count on a miss.
    pages = PreparedQuery(Article, lambda: Article.objects.public(now=Parameter("now", DateTimeField()))
                          .filter(language=Parameter("language", CharField())).newest_first().for_lists())

    def get_queryset(self):
        return PreparedPages(self.pages, lambda: Article.objects.public().in_language().newest_first().for_lists(),
                             now=timezone.now(), language=language_code())

    def get_count_key(self):
        return "home"


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    # The page's article, head and photos are rendered once per version of the release; what they
    # show is prefetched only then (templatetags/release_fragments.py).
    extra_context = {"release_cache": True}

    # The page's one query (issue #17): the visibility rule and the slug, compiled to SQL once per
    # process (prepared_queries.py), run with the request's time and slug. Building and compiling
    # it was half of this page's CPU with the page cache off.
    by_slug = PreparedQuery(Article, lambda: Article.objects.public(now=Parameter("now", DateTimeField()))
                            .defer("search_document")  # never shown; the longest column
                            .filter(slug=Parameter("slug", SlugField())))

    def get_queryset(self):
        return Article.objects.public().defer("search_document")

    def get_object(self, queryset=None):
        if queryset is not None:
            return super().get_object(queryset)
        found = self.by_slug.run(now=timezone.now(), slug=self.kwargs["slug"])
        if not found:
            raise Http404("Aucun communiqué public à cette adresse.")
        return found[0]

    def get(self, request, *args, **kwargs):
        try:
            response = super().get(request, *args, **kwargs)
        except Http404:
            return self.after_publication(request, self.kwargs["slug"])
        if self.object.language != get_language():
            # A release lives at one address, in its own language's part of the site.
            return redirect(self.object.get_absolute_url(), permanent=True)
        return response

    def after_publication(self, request, slug):
        """An address the public saw but that shows no release now.

        - a former slug of a release that is public *now*: 301 to its current address;
        - a withdrawn release (at its slug or a former one): the notice, date and reason only;
        - a release published in error and removed: 410;
        - anything else, a plain 404. That includes a former slug of a release sent back
          to review or rescheduled: its new address may name what is still under embargo
          ("fusion-secrete-avec-x"), so no redirect may reveal it before its minute.
        A release the public never saw stays a plain 404 (see articles/workflow.py).
        """
        from django.http import HttpResponsePermanentRedirect
        from django.template.response import TemplateResponse

        from ..models import SlugRedirect
        from ..publishing.workflow import was_published

        redirect = SlugRedirect.objects.select_related("article").filter(old_slug=slug).first()
        if redirect is not None:
            if redirect.article.is_public():
                return HttpResponsePermanentRedirect(redirect.article.get_absolute_url())
            article = redirect.article
        else:
            article = Article.objects.filter(slug=slug).first()
        gone = (Article.Status.WITHDRAWN, Article.Status.REMOVED)
        if article is None or article.status not in gone or not was_published(article):
            raise Http404("Aucun communiqué public à cette adresse.")
        if article.status == Article.Status.WITHDRAWN:
            response = TemplateResponse(request, "articles/article_withdrawn.html", {"article": article})
        else:
            response = TemplateResponse(request, "articles/article_gone.html", {}, status=410)
        response["X-Robots-Tag"] = "noindex"
        return response


class TagDetailView(EmptyListIs404Mixin, CachedCountMixin, ListView):
    """Public articles carrying one tag; a tag with no public article does not exist for the public."""

    empty_message = "Aucun communiqué public pour ce mot-clé."
    template_name = "articles/tag_detail.html"
    extra_context = {"release_cache": True}  # cards once per version of their release
    context_object_name = "articles"
    paginate_by = settings.ARTICLES_PER_PAGE

    def get(self, request, *args, **kwargs):
        # The tag under its name and address in the page's language (issue #14): /en/tags/economy/
        # for "Économie"; its French slug under /en/ moves there for good.
        self.tag = tag_in_language(self.kwargs["slug"])
        if self.tag is None:
            raise Http404(self.empty_message)
        if self.tag.shown_slug != self.kwargs["slug"]:
            # Only a tag this language's public releases carry moves: a redirect must not spell
            # the translated name of a tag known only from releases still under embargo.
            if not self.get_queryset().exists():
                raise Http404(self.empty_message)
            return redirect("articles:tag-detail", self.tag.shown_slug, permanent=True)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return Article.objects.public().in_language().filter(tags=self.tag).newest_first().for_lists()

    def get_count_key(self):
        return f"tag:{self.tag.pk}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, shown=shown_tag(self.tag), **kwargs)


class SpeakerDetailView(EmptyListIs404Mixin, CachedCountMixin, ListView):
    """Every public quote by one speaker, each linking to its article."""

    empty_message = "Aucune citation publique de cet intervenant."
    template_name = "articles/speaker_detail.html"
    context_object_name = "quotes"
    paginate_by = 20

    def get_queryset(self):
        self.speaker = get_object_or_404(Speaker, slug=self.kwargs["slug"])
        dependencies.record(dependencies.speaker(self.speaker.pk))  # a new quote elsewhere changes this page
        return (
            Quote.objects.public()
            .filter(speaker=self.speaker, article__language=get_language())
            .select_related("article", "speaker")
            .order_by("-article__publish_at", "-article__id", "position", "id")
        )

    def get_count_key(self):
        return f"speaker:{self.speaker.pk}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(speaker=self.speaker, **kwargs)


class AccessibilityStatementView(TemplateView):
    """The RGAA accessibility statement, which the law requires to be linked from every page."""

    template_name = "accessibility_statement.html"
