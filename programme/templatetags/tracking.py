"""Template helpers shared by the pages: the signed-in user's memberships, targets as numbers,
a body's validity."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils import timezone
from django.utils.formats import number_format

from accounts.models import Body
from accounts.permissions import active_memberships
from programme.models import Target
from programme.text import nfc

register = template.Library()


@register.simple_tag
def current_memberships(user) -> list:
    """The bodies and roles shown beside the user's name in the header: the memberships the
    permission policy fetches once per request, so no second query."""
    return active_memberships(user)


def _number(value: Decimal) -> str:
    # normalize() drops trailing zeros (7.500 -> 7.5); number_format prints it in full
    # ("4E+1" -> "40") with the language's decimal separator (7,5 in Vietnamese).
    return number_format(value.normalize())


@register.filter
def target_value(target: Target) -> str:
    """ "trên 40%", "khoảng 46 - 47%", "tối thiểu 7,5%/năm": comparator, value or range, unit."""
    amount = _number(target.value)
    if target.value_max is not None:
        amount = f"{amount} - {_number(target.value_max)}"
    unit = target.unit if target.unit.startswith("%") else f" {target.unit}"
    return f"{target.get_comparator_display()} {amount}{unit}"


@register.filter(name="nfc")
def nfc_filter(text: str) -> str:
    """Django's own strings are not all composed (its "Tiếng Việt" is decomposed); the pages
    are NFC throughout."""
    return nfc(str(text))


@register.filter
def validity(body: Body) -> str:
    """ "active", "retired" or "pending" (not yet in force) as of today."""
    today = timezone.localdate()
    if body.valid_to is not None and body.valid_to < today:
        return "retired"
    if body.valid_from is not None and body.valid_from > today:
        return "pending"
    return "active"


@register.filter
def file_size(size_in_bytes) -> str:
    """ "590 B", "1,2 KB", "3,4 MB": the units people use, with the language's decimal separator
    (Django's filesizeformat says "590 byte" in Vietnamese)."""
    try:
        size = int(size_in_bytes)
    except (TypeError, ValueError):
        return ""
    if size < 1024:
        return f"{size} B"
    value, unit = Decimal(size) / 1024, "KB"
    for larger in ("MB", "GB"):
        if value < 1024:
            break
        value, unit = value / 1024, larger
    # number_format cuts digits off; round first (3 565 158 bytes are 3,4 MB, not 3,3).
    return f"{number_format(value.quantize(Decimal('0.1'), ROUND_HALF_UP))} {unit}"
