from django import template

from ..models import Reminder

register = template.Library()


@register.simple_tag
def unread_notification_count(user) -> int:
    """The number on the bell: unread reminders that still apply and unread notices; one count
    query, only on pages that show the header."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Reminder.objects.filter(recipient=user).unread().count()
