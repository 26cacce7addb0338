"""Search, archives and robots.txt. Each starts from Article.objects.public()."""

from datetime import date

from django import forms
from django.conf import settings
from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import TruncMonth
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView

from ..caching import content as content_cache
from ..caching import dependencies
from ..caching.pagination import CachedCountMixin, CachedCountPaginator, CountWithPagePaginator, EmptyListIs404Mixin
from ..converters import FIRST_YEAR, LAST_YEAR
from ..discovery import search as search_module
from ..discovery.search import MAX_QUERY_LENGTH, search, terms_of
from ..models import Article, Quote
from ..querysets import public_tags, quoted_speakers
from ..templatetags.discovery import options_html


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Mots recherchés"), required=False, strip=True)
    # No slug is longer than 200 characters; nor is the cache key built from it (get_paginator).
    tag = forms.SlugField(label=gettext_lazy("Mot-clé"), required=False, max_length=200)
    speaker = forms.SlugField(label=gettext_lazy("Intervenant"), required=False, max_length=200)
    year = forms.IntegerField(label=gettext_lazy("Année"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)

    def filter(self, queryset):
        """Narrow public articles by tag, speaker (quoted in the release) and year (in Paris time)."""
        data = self.cleaned_data
        if data["tag"]:
            queryset = queryset.filter(tags__slug=data["tag"])
        if data["speaker"]:
            quoted = Quote.objects.filter(article=OuterRef("pk"), speaker__slug=data["speaker"])
            queryset = queryset.filter(Exists(quoted))
        if data["year"]:
            queryset = queryset.filter(publish_at__year=data["year"])
        return queryset

    @property
    def is_empty(self) -> bool:
        return not terms_of(self.cleaned_data["q"]) and not any(
            self.cleaned_data[name] for name in ("tag", "speaker", "year")
        )


class SearchView(ListView):
    """/recherche/?q=…&tag=…&speaker=…&year=…: ranked on PostgreSQL, newest first elsewhere."""

    template_name = "articles/search.html"
    context_object_name = "articles"
    paginate_by = settings.ARTICLES_PER_PAGE

    def get(self, request, *args, **kwargs):
        # Refused before any form, query or template work: a long query costs the
        # database (and the highlighter) time for no journalist's benefit.
        if len(request.GET.get("q", "")) > MAX_QUERY_LENGTH:
            message = _("Votre recherche est trop longue : %(max)d caractères au plus.") % {"max": MAX_QUERY_LENGTH}
            return render(request, self.template_name, {"error": message}, status=400)
        self.form = SearchForm(request.GET)
        if not self.form.is_valid():
            # Said in words: "Année : Assurez-vous que cette valeur est inférieure ou égale à 2999."
            problems = [
                f"{self.form.fields[name].label} : {' '.join(errors)}" for name, errors in self.form.errors.items()
            ]
            message = _("Recherche refusée. %(problems)s") % {"problems": " ".join(problems)}
            return render(request, self.template_name, self.options_context(
                form=self.form, error=message, search_query=self.form.data.get("q", "")), status=400)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if self.form.is_empty:
            return Article.objects.none()
        public = self.form.filter(Article.objects.public().in_language())
        query = self.form.cleaned_data["q"]
        return search(public, query, get_language()) if terms_of(query) else public.newest_first()

    def get_paginator(self, queryset, per_page, **kwargs):
        """Filters without words list a plain slice of public releases: count it once per content
        generation, and read deep pages by id, like every other list. A text query's count is read with
        its page (CountWithPagePaginator): capped by search(), and a key per query would flood the cache."""
        data = self.form.cleaned_data
        if self.form.is_empty:
            return super().get_paginator(queryset, per_page, **kwargs)
        if terms_of(data["q"]):
            return CountWithPagePaginator(queryset, per_page, max_count=search_module.RANK_WINDOW, **kwargs)
        key = f"search:tag={data['tag'] or ''}:speaker={data['speaker'] or ''}:year={data['year'] or ''}"
        return CachedCountPaginator(queryset, per_page, count_key=key, **kwargs)

    def get_context_data(self, **kwargs):
        # Only the filters the page reads: the page is cached under them alone (page_cache
        # QUERY_PARAMETERS), so a tracking parameter must not find its way into its links.
        query_string = QueryDict(mutable=True)
        for name in self.form.fields:
            if self.request.GET.get(name):
                query_string[name] = self.request.GET[name]
        return super().get_context_data(
            form=self.form,
            query=self.form.cleaned_data["q"],
            search_query=self.form.cleaned_data["q"],  # kept in the header's box too (base.html)
            searched=not self.form.is_empty,
            query_string=query_string.urlencode(),
            ranked=bool(terms_of(self.form.cleaned_data["q"])),  # words: only the newest RANK_WINDOW matches are counted
            rank_window=search_module.RANK_WINDOW,
            **self.options_context(),
            **kwargs,
        )

    @staticmethod
    def options_context(**kwargs):
        """The choices of the filters: only tags, speakers and years that public releases have.

        Kept until content changes (content_cache), as the `<option>`s they render: the years alone
        scan every public release (90 ms at 100,000), for an answer that changes a few times a day,
        and 1,000 options rendered on each search cost 1.5 ms and their pairs 1 ms to unpickle (issue #17).
        """
        return {**content_cache.remember(
            # Names of tags and speakers: any edit may rename one.
            "search:options-html", SearchView.filter_options, depends_on=[dependencies.CHANGES]), **kwargs}

    @staticmethod
    def filter_options() -> dict:
        return {
            "tag_options": options_html(public_tags(get_language()).order_by("name").values_list("slug", "name")),
            "speaker_options": options_html(quoted_speakers(get_language()).order_by("name").values_list("slug", "name")),
            "year_options": options_html((d.year, d.year) for d in
                                         Article.objects.public().in_language().dates("publish_at", "year", order="DESC")),
        }


def month_counts(queryset):
    """[(first day of the month in Paris time, number of releases)], newest first, in one query."""
    rows = (
        queryset.annotate(month=TruncMonth("publish_at"))
        .values("month")
        .annotate(count=Count("id"))
        .order_by("-month")
    )
    return [(row["month"], row["count"]) for row in rows]


class ArchiveIndexView(TemplateView):
    """Every year and month with public releases, with their counts."""

    template_name = "articles/archive_index.html"

    def get_context_data(self, **kwargs):
        years = {}
        # Grouping every public release costs more than the page: kept until content changes.
        for month, count in content_cache.remember("archive:months", lambda: month_counts(Article.objects.public().in_language())):
            year = years.setdefault(month.year, {"year": month.year, "count": 0, "months": []})
            year["count"] += count
            year["months"].append((month, count))
        return super().get_context_data(years=list(years.values()), **kwargs)


class ArchiveListView(EmptyListIs404Mixin, CachedCountMixin, ListView):
    """The public releases of one year, or of one month; a period with none does not exist."""

    template_name = "articles/archive_list.html"
    context_object_name = "articles"
    paginate_by = settings.ARTICLES_PER_PAGE
    empty_message = gettext_lazy("Aucun communiqué public pour cette période.")
    extra_context = {"release_cache": True}  # cards once per version of their release

    def get_queryset(self):
        # Already ints within range: the URL's converters refuse year 0001 or month 13 (articles/converters.py).
        self.year = self.kwargs["year"]
        self.month = self.kwargs.get("month")
        self.period = Article.objects.public().in_language().filter(publish_at__year=self.year)
        if self.month is not None:
            self.period = self.period.filter(publish_at__month=self.month)
        return self.period.newest_first().for_lists()  # cards: templatetags/release_fragments.py

    def get_count_key(self):
        return f"archive:{self.year}:{self.month or 'all'}"

    def get_context_data(self, **kwargs):
        context = {"year": self.year, "month": self.month}
        if self.month is None:
            context["months"] = content_cache.remember(f"archive:months:{self.year}", lambda: month_counts(self.period))
        else:
            context["month_date"] = date(self.year, self.month, 1)
        return super().get_context_data(**context, **kwargs)


def robots_txt(request):
    """Crawlers: everything public, except pages that only exist for one person (previews, embargo links)."""
    lines = [
        "User-agent: *",
        # Previews and embargo links also send noindex; a disallowed URL is not even fetched.
        "Disallow: /apercu/",
        # Embargo links live under their release: /communiques/<slug>/embargo/<token>/.
        "Disallow: /communiques/*/embargo/",
        "Disallow: /admin/",
        # Search results are endless combinations of the same releases.
        f"Disallow: {reverse('articles:search')}",
        "",
        f"Sitemap: {settings.SITE_URL}{reverse('articles:sitemap')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
