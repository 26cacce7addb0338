"""Parts of the public pages' frame rendered once per process and language (issue #17, the origin).

The site's header, navigation, search box, footer and feed links are the same on every page of
a language, but for which menu link is the current one: rendered on each request they cost ten
`{% url %}` reversals and a dozen translations. So

    {% rendered_once "header" request.resolver_match.url_name bypass=search_query %}…{% endrendered_once %}

keeps the block's output in this process, per language and per value that follows the name
(here the current page's name, for aria-current), and renders it as usual when `bypass` is
true (the search page's box holds what the visitor typed: never kept). Nothing inside may depend
on the visitor or on content: only on settings, the language and the values named. A change of
settings (the tests') forgets everything (articles/apps.py connects forget()).
"""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

_RENDERED: dict[tuple, str] = {}
_LIMIT = 1000  # names × languages × pages: a few dozen in practice; bounded all the same


def forget(**kwargs) -> None:
    _RENDERED.clear()


class RenderedOnceNode(template.Node):
    def __init__(self, name, varying, bypass, nodelist):
        self.name, self.varying, self.bypass, self.nodelist = name, varying, bypass, nodelist

    def render(self, context):
        if self.bypass is not None and self.bypass.resolve(context):
            return self.nodelist.render(context)
        key = (self.name, get_language(), *(str(value.resolve(context)) for value in self.varying))
        html = _RENDERED.get(key)
        if html is None:
            html = mark_safe(self.nodelist.render(context))
            if len(_RENDERED) >= _LIMIT:
                _RENDERED.clear()
            _RENDERED[key] = html
        return html


@register.tag
def rendered_once(parser, token):
    """`{% rendered_once "name" [value …] [bypass=condition] %}…{% endrendered_once %}`: see the module."""
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "'\"":
        raise template.TemplateSyntaxError(f"{bits[0]} takes a quoted name, then the values its output varies with")
    bypass = None
    varying = []
    for bit in bits[2:]:
        if bit.startswith("bypass="):
            bypass = parser.compile_filter(bit.removeprefix("bypass="))
        else:
            varying.append(parser.compile_filter(bit))
    nodelist = parser.parse(("endrendered_once",))
    parser.delete_first_token()
    return RenderedOnceNode(bits[1][1:-1], varying, bypass, nodelist)
