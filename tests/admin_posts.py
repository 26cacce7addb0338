"""What an editor's browser posts to the admin: forms sent back as shown, with changes typed over them."""

from django.urls import reverse
from django.utils import timezone

from articles.models import Article

S = Article.Status


def form_data(response, **fields):
    """What the editor's browser would post back from a change/add page, with `fields` changed."""
    form = response.context["adminform"].form
    instance = form.instance
    local = timezone.localtime(instance.publish_at) if instance.publish_at else None
    data = {
        "title": instance.title or "Nouveau communiqué",
        "slug": instance.slug,
        "standfirst": instance.standfirst,
        "body": instance.body,
        "location": instance.location,
        "language": instance.language or "fr",
        "status": instance.status,
        "publish_at_0": local.strftime("%d/%m/%Y") if local else "",
        "publish_at_1": local.strftime("%H:%M:%S") if local else "",
        "tags": "",
        "change_note": instance.change_note,
        "withdrawal_reason": instance.withdrawal_reason,
        "edit_version": form["edit_version"].value(),
    }
    for inline in response.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0",
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
    data.update(fields)
    return data


def url(model, view="changelist", *args):
    return reverse(f"admin:articles_{model._meta.model_name}_{view}", args=args)


def management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def inline_prefixes(response) -> dict:
    """Inline formset prefixes by model, as the page itself names them."""
    return {f.formset.model: f.formset.prefix for f in response.context["inline_admin_formsets"]}


def article_data(**fields):
    data = {
        "title": "Occitanie à Kyoto",
        "slug": "",
        "standfirst": "La Région signe un accord.",
        "body": "<p>Texte.</p>",
        "location": "Kyoto",
        "language": "fr",
        "status": S.DRAFT,
        "publish_at_0": "",
        "publish_at_1": "",
        "tags": "",
    }
    data.update(fields)
    return data
