from django import template

from ..permissions import accounts_policy

register = template.Library()


@register.simple_tag
def administration_offered(user) -> bool:
    """Whether the header offers the administration and the sign-in lockouts: to those the
    policy lets manage accounts, and no one else."""
    return getattr(user, "is_authenticated", False) and accounts_policy.user_may_use_admin(user)
