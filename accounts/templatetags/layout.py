"""The site header, cached per person: their name, bodies and roles, the bell and the menu.

Everything the header shows follows from the person's row: their memberships and what the
policy lets them open move `access_version`, their bell moves `notice_version`, and their name
is in the row itself; the rest is the day (memberships are valid by date), the language, the
page it is on (the menu marks the current one, the language form returns to it) and the code
that renders it. A cached header is kept under all of those,
so a write that changes it is seen on the very next page, and no two people share one. The
sign-out and language forms' CSRF token is put in on each request, never cached.
"""

import hashlib

from django import template
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from versions.data import code_version

register = template.Library()

HEADER_TEMPLATE = "includes/site_header.html"
# Stands for the CSRF token in the cached header; letters only, so escaping leaves it alone.
CSRF_PLACEHOLDER = "csrfTokenPlaceholderQ7xK2m"
# A change of what the header shows moves its key at once; the timeout only frees the memory.
HEADER_TIMEOUT = 6 * 60 * 60


def header_key(request, user) -> str:
    match = request.resolver_match
    varying = "\x1f".join(
        [
            user.get_username(),
            user.display_name,
            # The language form sends the person back to the page with its query.
            request.get_full_path(),
            getattr(match, "url_name", None) or "",
            getattr(match, "view_name", None) or "",
        ]
    )
    digest = hashlib.blake2b(varying.encode(), digest_size=16).hexdigest()
    return ":".join(
        [
            "header",
            code_version(),
            str(user.pk),
            str(user.access_version),
            str(user.notice_version),
            "su" if user.is_superuser else "-",
            "a" if user.is_active else "-",
            timezone.localdate().isoformat(),
            get_language() or "-",
            digest,
        ]
    )


@register.simple_tag(takes_context=True)
def site_header(context) -> str:
    """The header of every page: from the cache for a signed-in person, rendered otherwise."""
    header = context.template.engine.get_template(HEADER_TEMPLATE)
    request, user = context.get("request"), context.get("user")
    if request is None or not getattr(user, "is_authenticated", False):
        return mark_safe(header.render(context))
    key = header_key(request, user)
    html = cache.get(key)
    if html is None:
        with context.push(csrf_token=CSRF_PLACEHOLDER):
            html = header.render(context)
        cache.set(key, html, HEADER_TIMEOUT)
    return mark_safe(html.replace(CSRF_PLACEHOLDER, str(get_token(request))))
