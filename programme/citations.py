"""Citations built from an item's key alone, so a page can cite a thousand items without a query.

Keys: "III" (part), "III.3" (numbered heading or clause), "III.3.b2" (2nd bullet of III.3),
"I.b2" (2nd bullet of part I), "II.1.p1" (1st paragraph under II.1), "III.1.b1.s2" (2nd
sub-item of III.1's 1st bullet).
"""

from django.utils.translation import gettext as _


def cite(item) -> str:
    return cite_key(item.key)


def cite_key(key: str) -> str:
    segments = key.split(".")
    head = [segments[0]]
    rest = segments[1:]
    while rest and rest[0].isdigit():
        head.append(rest.pop(0))
    if len(head) == 1 and not rest:
        return _("Part %(number)s") % {"number": head[0]}
    parts = [".".join(head)]
    for segment in rest:
        kind, number = segment[0], segment[1:]
        if kind == "b":
            parts.append(_("bullet %(number)s") % {"number": number})
        elif kind == "p":
            parts.append(_("paragraph %(number)s") % {"number": number})
        elif kind == "s":
            parts.append(_("sub-item %(number)s") % {"number": number})
    return ", ".join(parts)
