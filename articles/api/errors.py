"""JSON errors, in French, with the parameter at fault named: never an HTML page, never a 500 for bad input."""

from __future__ import annotations

from django.http import Http404
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError


class InvalidParameter(Exception):
    """A query or path parameter we refuse: a 400 naming it."""

    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


class Gone(Exception):
    """A release the public saw, withdrawn or removed: a 410 with its public notice."""

    def __init__(self, notice: dict):
        super().__init__(notice["detail"])
        self.notice = notice


def _parameter_of(error: dict) -> str | None:
    loc = [part for part in error.get("loc", ()) if part not in ("query", "path", "body")]
    return str(loc[0]) if loc else None


def install(api) -> None:
    """Our handlers on a NinjaAPI, replacing its English defaults (and its 422 for bad input)."""

    @api.exception_handler(InvalidParameter)
    def invalid_parameter(request, exc):
        return api.create_response(request, {"detail": exc.message, "parameter": exc.parameter}, status=400)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc):
        first = exc.errors[0] if exc.errors else {}
        parameter = _parameter_of(first)
        detail = f"Paramètre invalide : {parameter}." if parameter else "Requête invalide."
        return api.create_response(request, {"detail": detail, "parameter": parameter}, status=400)

    @api.exception_handler(Gone)
    def gone(request, exc):
        return api.create_response(request, exc.notice, status=410)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, {"detail": "Introuvable."}, status=404)

    @api.exception_handler(Throttled)
    def throttled(request, exc):
        # Retry-After is added by django-ninja from the throttle's wait().
        return api.create_response(
            request, {"detail": "Trop de requêtes : réessayez après le délai indiqué (Retry-After)."}, status=429
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return api.create_response(request, {"detail": "Jeton d'API inconnu ou révoqué."}, status=401)

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
