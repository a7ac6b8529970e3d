"""Every email the product sends is rendered here, from three templates per message:
`templates/emails/<name>-subject.txt`, `-body.txt` and `-body.html`."""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


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


def email_message(*, subject: str, text: str, html: str, to: str) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    return message
