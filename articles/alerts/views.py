"""Public pages under /abonnement/: subscribe, confirm, manage, unsubscribe. Thin: the rules are in
subscriptions.py. None of these answers is ever cached (they are personal, or hold a form).

Confirming and unsubscribing happen on POST only: mail scanners and link previews follow
every link in a message with GET, and must neither confirm a subscription nor end one.
The unsubscribe POST needs no CSRF token: RFC 8058 has the mail client POST it directly,
and the signed token in its address is what authenticates it.
"""

from __future__ import annotations

import functools

from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ..caching.policy import mark_private
from ..publishing.audit import client_address
from ..querysets import public_tags, quoted_speakers
from . import subscriptions, tokens
from .forms import SOME, ChoicesForm, SubscribeForm


def never_cache(view):
    """Personal or holding a form: no browser, proxy or CDN keeps it, no search engine lists it
    (as previews and embargo links; the page cache also skips /abonnement/)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        return mark_private(view(request, *args, **kwargs))

    return wrapped


def problem(request, title: str, message: str, status: int = 400) -> TemplateResponse:
    """A clear French page for a link or a request that cannot be served."""
    return TemplateResponse(request, "alerts/problem.html", {"title": title, "message": message}, status=status)


def bad_link(request, exc: tokens.BadToken) -> TemplateResponse:
    if exc.expired:
        return problem(request, _("Ce lien a expiré"), _(
            "Le lien de confirmation n'est valable que quelques jours. Abonnez-vous de nouveau : "
            "un nouveau lien vous sera envoyé."), status=410)
    # A 404, as for any address that leads nowhere (and as the embargo links answer).
    return problem(request, _("Ce lien n'est pas valide"), _(
        "Il est incomplet, a été modifié, ou l'abonnement auquel il menait n'existe plus. "
        "Copiez l'adresse entière depuis le courriel, ou abonnez-vous de nouveau."), status=404)


def _preselected(request) -> dict:
    """?mot-cle=economie or ?intervenant=carole-delga (the links of tag and speaker pages), if public."""
    tag, speaker = request.GET.get("mot-cle", ""), request.GET.get("intervenant", "")
    initial = {}
    if tag and len(tag) <= 200 and public_tags().filter(slug=tag).exists():
        initial = {"what": SOME, "tags": [tag]}
    if speaker and len(speaker) <= 200 and quoted_speakers().filter(slug=speaker).exists():
        initial = {"what": SOME, "speakers": [speaker]}
    return initial


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    if request.method != "POST":
        form = SubscribeForm(initial=_preselected(request))
        return TemplateResponse(request, "alerts/subscribe.html", {"form": form})
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return TemplateResponse(request, "alerts/subscribe.html", {"form": form}, status=400)
    ip = client_address(request)
    if not subscriptions.origin_allowed(ip):
        return problem(request, _("Trop de demandes"), _(
            "Trop de demandes d'abonnement sont venues de votre connexion cette heure-ci. Réessayez dans une heure."),
            status=429)
    subscriptions.subscribe(email=form.cleaned_data["email"], choices=form.choices(), ip=ip)
    return redirect("articles:subscription-sent")


@never_cache
def sent(request):
    return TemplateResponse(request, "alerts/sent.html", {})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token: str):
    try:
        subscriber = tokens.subscriber_for_confirmation(token)
    except tokens.BadToken as exc:
        return bad_link(request, exc)
    if subscriber.unsubscribed_at is not None:
        return problem(request, _("Abonnement terminé"), _(
            "Vous vous êtes désinscrit depuis cette demande. Abonnez-vous de nouveau pour recevoir les communiqués."),
            status=410)
    if request.method == "POST" and subscriber.confirmed_at is None:
        subscriptions.confirm(subscriber=subscriber, ip=client_address(request))
    return TemplateResponse(request, "alerts/confirm.html", {
        "subscriber": subscriber, "manage_url": tokens.manage_url(subscriber),
    })


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request, token: str):
    try:
        subscriber = tokens.subscriber_for_management(token)
    except tokens.BadToken as exc:
        return bad_link(request, exc)
    saved = False
    if request.method == "POST":
        form = ChoicesForm(request.POST)
        if form.is_valid():
            subscriptions.change(subscriber=subscriber, choices=form.choices())
            saved = True
    else:
        form = ChoicesForm(initial=ChoicesForm.initial_for(subscriber))
    status = 400 if request.method == "POST" and not saved else 200
    return TemplateResponse(request, "alerts/manage.html", {
        "form": form, "subscriber": subscriber, "saved": saved, "token": token,
    }, status=status)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token: str):
    """GET: a page with one button. POST (the button, or a mail client's RFC 8058 one-click): done."""
    try:
        subscriber = tokens.subscriber_for_management(token)
    except tokens.BadToken as exc:
        return bad_link(request, exc)
    if request.method == "POST":
        subscriptions.unsubscribe(subscriber=subscriber)
    return TemplateResponse(request, "alerts/unsubscribe.html", {"subscriber": subscriber, "token": token})
