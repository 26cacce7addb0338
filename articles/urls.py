from django.urls import path, register_converter
from django.utils.translation import gettext_lazy as _

from .alerts import views as alert_views
from .converters import IdConverter, MonthConverter, YearConverter
from .discovery import feeds, sitemaps
from .views import contacts as contact_views
from .views import credits as credit_views
from .views import discovery as discovery_views
from .views import downloads as download_views
from .views import previews as preview_views
from .views import public as views
from .views.legacy_paths import legacy_path_redirects

# Out-of-range ids, years and months do not match at all: a 404 before any view or query.
register_converter(IdConverter, "id")
register_converter(YearConverter, "year")
register_converter(MonthConverter, "month")

app_name = "articles"

# Path words are translated (issue #14), the Django way: each pattern is a message of the
# catalogue, so /communiques/<slug>/ is /en/releases/<slug>/ in English. Japanese keeps the
# English words: ASCII addresses survive being pasted into mail and chat, which percent-encoded
# kanji do not, and Japanese public sites use ASCII paths too (pref.kyoto.jp/…/news/).
# French words are the msgids, so French addresses are today's whatever the catalogues say.
urlpatterns = [
    path("", views.ArticleListView.as_view(), name="article-list"),
    path(_("communiques/<slug:slug>/"), views.ArticleDetailView.as_view(), name="article-detail"),
    path(_("communiques/<slug:slug>/dossier-de-presse.zip"), download_views.press_kit, name="press-kit"),
    path(_("communiques/<slug:slug>/communique.pdf"), download_views.release_pdf, name="release-pdf"),
    path(_("photos/<id:pk>/telecharger/"), download_views.photo_download, name="photo-download"),
    # Press contacts as vCards (views/contacts.py): one contact, or all of the release's.
    path(_("communiques/<slug:slug>/contacts-presse.vcf"), contact_views.release_vcards, name="release-vcards"),
    path(_("communiques/<slug:slug>/contacts-presse/<id:pk>.vcf"), contact_views.contact_vcard, name="contact-vcard"),
    path(_("credits/<slug:slug>/"), credit_views.CreditDetailView.as_view(), name="credit-detail"),
    path(_("mots-cles/<slug:slug>/"), views.TagDetailView.as_view(), name="tag-detail"),
    path(_("intervenants/<slug:slug>/"), views.SpeakerDetailView.as_view(), name="speaker-detail"),
    path(_("accessibilite/"), views.AccessibilityStatementView.as_view(), name="accessibility"),
    # Discovery: search, archives, feeds, sitemap, robots.txt (articles/discovery_views.py, feeds.py, sitemaps.py).
    path(_("recherche/"), discovery_views.SearchView.as_view(), name="search"),
    path(_("archives/"), discovery_views.ArchiveIndexView.as_view(), name="archive-index"),
    path(_("archives/<year:year>/"), discovery_views.ArchiveListView.as_view(), name="archive-year"),
    path(_("archives/<year:year>/<month:month>/"), discovery_views.ArchiveListView.as_view(), name="archive-month"),
    path(_("flux/rss/"), feeds.ArticlesFeed(), name="feed-rss"),
    path(_("flux/atom/"), feeds.AtomArticlesFeed(), name="feed-atom"),
    path(_("mots-cles/<slug:slug>/flux/rss/"), feeds.TagFeed(), name="tag-feed-rss"),
    path(_("mots-cles/<slug:slug>/flux/atom/"), feeds.AtomTagFeed(), name="tag-feed-atom"),
    path(_("intervenants/<slug:slug>/flux/rss/"), feeds.SpeakerFeed(), name="speaker-feed-rss"),
    path(_("intervenants/<slug:slug>/flux/atom/"), feeds.AtomSpeakerFeed(), name="speaker-feed-atom"),
    # A sitemap index (robots.txt names it) over one paginated sitemap per section (articles/sitemaps.py).
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap-section"),
    path("robots.txt", discovery_views.robots_txt, name="robots-txt"),
    # E-mail subscriptions (articles/alerts/): double opt-in, signed links, one-click unsubscribe (RFC 8058).
    path(_("abonnement/"), alert_views.subscribe, name="subscription-subscribe"),
    path(_("abonnement/envoye/"), alert_views.sent, name="subscription-sent"),
    path(_("abonnement/confirmer/<str:token>/"), alert_views.confirm, name="subscription-confirm"),
    path(_("abonnement/gerer/<str:token>/"), alert_views.manage, name="subscription-manage"),
    path(_("abonnement/desinscription/<str:token>/"), alert_views.unsubscribe, name="subscription-unsubscribe"),
    # Before publication: staff previews and signed embargo links (never cached, never indexed).
    path(_("apercu/<id:pk>/"), preview_views.article_preview, name="article-preview"),
    path(_("apercu/<id:pk>/contacts-presse.vcf"), preview_views.preview_vcards, name="preview-vcards"),
    path(_("apercu/<id:pk>/contacts-presse/<id:contact_id>.vcf"), preview_views.preview_contact_vcard,
         name="preview-contact-vcard"),
    path(_("communiques/<slug:slug>/embargo/<str:token>/"), preview_views.embargo_detail, name="embargo-detail"),
    path(
        _("communiques/<slug:slug>/embargo/<str:token>/dossier-de-presse.zip"),
        preview_views.embargo_press_kit,
        name="embargo-press-kit",
    ),
    path(_("communiques/<slug:slug>/embargo/<str:token>/communique.pdf"), preview_views.embargo_pdf, name="embargo-pdf"),
    path(_("communiques/<slug:slug>/embargo/<str:token>/contacts-presse.vcf"), preview_views.embargo_vcards,
         name="embargo-vcards"),
    path(_("communiques/<slug:slug>/embargo/<str:token>/contacts-presse/<id:contact_id>.vcf"),
         preview_views.embargo_contact_vcard, name="embargo-contact-vcard"),
    path(
        _("communiques/<slug:slug>/embargo/<str:token>/photos/<id:photo_id>/<slug:spec>/"),
        preview_views.embargo_photo,
        name="embargo-photo",
    ),
]

# The French path words served under /en/ and /ja/ before they were translated: a 301 to the
# same page at its translated address, so shared links and indexed pages keep working.
urlpatterns += legacy_path_redirects(urlpatterns)
