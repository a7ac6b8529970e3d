"""Every email the product sends is rendered here, from three templates per message:
`templates/emails/<name>-subject.txt`, `-body.txt` and `-body.html`, and from parts that
several messages share (`<part>.txt` and `.html`), rendered once."""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def email_render(name: str, context: dict, *, language: str | None = None) -> RenderedEmail:
    """Render one message in the given language (Vietnamese by default)."""
    context = {"site_url": settings.SITE_URL.rstrip("/"), **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{name}-subject.txt", context)
        return RenderedEmail(
            # A header must be one line.
            subject=" ".join(subject.split())[:300],
            text=render_to_string(f"emails/{name}-body.txt", context),
            html=render_to_string(f"emails/{name}-body.html", context),
        )


@dataclass(frozen=True)
class RenderedPart:
    """A piece of a message, rendered once and placed in several messages."""

    text: str
    html: str


def email_render_part(name: str, context: dict, *, language: str | None = None) -> RenderedPart:
    """Render `templates/emails/<name>.txt` and `.html`, for a message's template to place."""
    context = {"site_url": settings.SITE_URL.rstrip("/"), **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        return RenderedPart(
            text=render_to_string(f"emails/{name}.txt", context),
            html=mark_safe(render_to_string(f"emails/{name}.html", context)),
        )


def email_message(*, subject: str, text: str, html: str, to: str) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    return message
