from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="article-list"),
    path("communiques/<slug:slug>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path("mots-cles/<slug:slug>/", views.TagDetailView.as_view(), name="tag-detail"),
    path("intervenants/<slug:slug>/", views.SpeakerDetailView.as_view(), name="speaker-detail"),
    path("accessibilite/", views.AccessibilityStatementView.as_view(), name="accessibility"),
]
