"""The public page of a credit: "Photos de Nicolas Datiche", each photo with its public releases."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from ..caching import dependencies
from ..caching.pagination import CachedCountMixin, EmptyListIs404Mixin
from ..models import Article, Credit, Photo


class CreditDetailView(EmptyListIs404Mixin, CachedCountMixin, ListView):
    """The public photos of one credit; a credit with none does not exist for the public.

    Costs a fixed number of queries whatever the number of photos and releases:
    the credit, the count, the page of photos, their renditions, their public releases.
    """

    template_name = "articles/credit_detail.html"
    context_object_name = "photos"
    paginate_by = 12
    empty_message = "Aucune photo publique de ce crédit."

    def get_queryset(self):
        self.credit = get_object_or_404(Credit, slug=self.kwargs["slug"])
        dependencies.record(dependencies.credit(self.credit.pk))  # a photo placed elsewhere changes this page
        return (
            Photo.objects.public()
            .filter(credit=self.credit)
            .select_related("credit")
            .prefetch_related(
                "renditions",
                # Only the public releases: a photo also placed in a draft must not reveal it.
                Prefetch("articles", queryset=Article.objects.public().in_language().newest_first(), to_attr="public_articles"),
            )
            .order_by("-created_at", "-id")
        )

    def get_count_key(self):
        return f"credit:{self.credit.pk}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(credit=self.credit, **kwargs)
