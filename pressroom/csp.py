"""Content-Security-Policy helpers that django-csp leaves to the project (settings: CONTENT_SECURITY_POLICY)."""

from js_asset import Media


class FormMediaNonceMiddleware:
    """Gives the form media of admin pages this request's CSP nonce.

    django-prose-editor loads its ES modules through an inline `<script type="importmap">`
    (django-js-asset), which script-src refuses without a nonce, and then the editor never
    starts. django-js-asset's Media renders a nonce when it is given one; Django 6.1 hands it
    the request's, Django 5.2 does not, so this does, for every page whose template gets a
    `media` (the admin's change forms, with their inlines). The nonce is read only when the
    media has something to render, so other pages keep a policy without one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_template_response(self, request, response):
        context = response.context_data
        media = context.get("media") if isinstance(context, dict) else None
        if isinstance(media, Media) and hasattr(request, "csp_nonce"):
            context["media"] = media.with_nonce(request.csp_nonce)
        return response
