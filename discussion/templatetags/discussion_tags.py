"""The assignment's page asks the thread how many messages the reader may see: one query."""

from django import template

from ..selectors import message_count

register = template.Library()


@register.simple_tag
def discussion_count(user, assignment) -> int:
    return message_count(user, assignment)
