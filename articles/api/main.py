"""The public API (django-ninja): /api/v1/, its OpenAPI document and its documentation page.

Read-only, and public data only: every answer starts from Article.objects.public()
(or the public vocabulary built on it). Successful reads carry an ETag (304 when the
client has it) and the pages' Cache-Control, never past the next scheduled publication.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import JsonResponse
from django.utils.cache import get_conditional_response
from ninja import NinjaAPI

from ..caching.policy import mark_public
from . import errors
from .auth import AUTH
from .releases import router as releases_router
from .throttling import THROTTLES
from .vocabulary import router as vocabulary_router


class PressroomAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        """The token is optional: anonymous clients read the same data at a lower rate."""
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                if operation.get("security"):
                    operation["security"].append({})
        return schema

    def create_response(self, request, data, *args, status=None, temporal_response=None):
        response = super().create_response(request, data, *args, status=status, temporal_response=temporal_response)
        if request.method in ("GET", "HEAD") and response.status_code == 200 and "openapi" not in request.path:
            mark_public(response)
            response["ETag"] = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
            return get_conditional_response(request, etag=response["ETag"], response=response) or response
        return response


api = PressroomAPI(
    title=f"{settings.SITE_NAME} — API",
    version="1",
    description=(
        "Les communiqués publics de la salle de presse, en lecture seule. Sans jeton, la limite de requêtes "
        "s'applique par adresse ; un jeton de partenaire (Authorization: Bearer prs_…) l'élève."
    ),
    urls_namespace="api-v1",
    auth=AUTH,
    throttle=THROTTLES,
    docs_url="/docs",
)
errors.install(api)
api.add_router("/", releases_router)
api.add_router("/", vocabulary_router)


def openapi_json(request):
    """The OpenAPI 3 document at /api/openapi.json (also at /api/v1/openapi.json)."""
    response = JsonResponse(api.get_openapi_schema(path_prefix="/api/v1"), json_dumps_params={"ensure_ascii": False})
    # The document changes with a deployment only, never with content: no query for the next publication.
    response["Cache-Control"] = "public, max-age=300"
    return response
