from django import template

from ..bell import unread_count

register = template.Library()


@register.simple_tag
def unread_notification_count(user) -> int:
    """The number on the bell: unread reminders that still apply and unread notices, from the
    cache unless they changed (bell.py); only on pages that show the header."""
    return unread_count(user)
