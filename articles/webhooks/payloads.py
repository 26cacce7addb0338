"""What a webhook carries: the release as the API shows it at the time of the event's dispatch.

A release that is public carries itself whole (the API's release). A withdrawn or removed
release carries its public notice (the API's 410). Anything else (an "updated" release
that was sent back to review or rescheduled) carries its id alone: what it now says
is not public, and a webhook is a public surface like any other.
"""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder

from ..api.representation import api_url, gone_data, release_data
from ..models import Article, ReleaseEvent
from .models import EVENT_TYPES


def data_for(article_id: int) -> dict:
    article = Article.objects.public().with_page().filter(pk=article_id).first()
    if article is not None:
        return release_data(article)
    hidden = Article.objects.filter(pk=article_id).first()
    notice = gone_data(hidden) if hidden is not None else None
    if notice is not None:
        return notice
    return {"id": article_id, "api_url": api_url("release-detail", article_id), "public": False}


def body_for(event: ReleaseEvent) -> str:
    """The JSON body, built once per event and sent as is (retries are byte for byte the same)."""
    payload = {"type": EVENT_TYPES[event.kind], "timestamp": event.at, "data": data_for(event.article_id)}
    return json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
