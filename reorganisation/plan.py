"""A reorganisation plan: the act as data, read from JSON, and the faults that refuse it.

A plan file holds the act's legal basis and effective date, the bodies it creates, and for
each body it ends, the successors (with the public source of each line); bodies whose fate no
source states are listed under "not_found" and left to the administrator. The shape:

    {"code": "2025-khanh-hoa", "title": "...", "effective_on": "2025-07-01",
     "basis": {"number": "202/2025/QH15", "date": "2025-06-12", "issuer": "Quốc hội"},
     "new_bodies": [{"code": ..., "name": ..., "kind": ..., "parent": ..., "source": ...}],
     "endings": [{"body": ..., "successors": [...], "source": ...,
                  "work": {...}, "shared": [...]}],
     "not_found": [{"body": ..., "note": ...}]}

Which successor takes which work. With one successor, it takes all the ended body's open
work. With several (a split), the line says it, by the keys of the programme's items as
printed (a task group "III.3" takes the group and every bullet under it; "III.1.b1.s2" one
sub-item):

    "work": {"dang-uy-phuong-nha-trang": ["III.1", "III.2.b1"],
             "dang-uy-phuong-bac-nha-trang": "rest"},
    "shared": ["III.10"]

- `work` maps a successor's code to the list of keys it takes, or to "all" (everything), or
  to "rest" (what no other successor's list takes and is not shared; one successor at most);
- `shared` lists the keys of work every successor of the line takes, each its own assignment;
  `"shared": "all"` gives every successor all the work.
An open assignment that no successor takes, or that two take without it being shared, refuses
the plan, with a message naming the assignment and the successors.

Every fault is found before anything changes, each with a message of its own.
"""

import json
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import Body
from indicators.models import IndustrialArea
from programme.models import Target
from tasks.models import Assignment

from .models import Reorganisation


class PlanRefused(Exception):
    """The plan is incomplete or inconsistent; nothing was changed."""

    def __init__(self, faults: list[str]):
        super().__init__("\n".join(faults))
        self.faults = faults


@dataclass(frozen=True)
class NewBody:
    code: str
    name: str
    kind: str
    short_name: str = ""
    name_en: str = ""
    parent: str = ""
    source: str = ""


ALL = "all"
REST = "rest"


@dataclass(frozen=True)
class Ending:
    body: str
    successors: tuple[str, ...]
    source: str = ""
    # Per successor: ALL, REST or the item keys it takes; empty when the line says nothing.
    work: tuple[tuple[str, str | tuple[str, ...]], ...] = ()
    # ALL, or the item keys of work every successor takes; empty when nothing is shared.
    shared: str | tuple[str, ...] = ()

    def takers(self, item_key: str) -> tuple[list[str], bool]:
        """The successors that take an open assignment on the item, and whether the line
        says the item is shared (a split gives it to each of them)."""
        if len(self.successors) == 1:
            return list(self.successors), False
        if self.shared == ALL or _selected(item_key, self.shared):
            return list(self.successors), True
        takers = [
            code
            for code, keys in self.work
            if keys == ALL or (keys != REST and _selected(item_key, keys))
        ]
        if not takers:
            takers = [code for code, keys in self.work if keys == REST]
        return takers, False


def _selected(item_key: str, keys) -> bool:
    """Whether an item is among the keys: the key itself, or an item under it."""
    return any(item_key == k or item_key.startswith(k + ".") for k in keys)


@dataclass(frozen=True)
class Plan:
    code: str
    title: str
    basis_number: str
    basis_date: date
    basis_issuer: str
    effective_on: date
    new_bodies: tuple[NewBody, ...] = ()
    endings: tuple[Ending, ...] = ()
    not_found: tuple[dict, ...] = ()
    raw: dict = field(default_factory=dict, compare=False)


def _text(value: Any) -> str:
    return unicodedata.normalize("NFC", str(value or "")).strip()


def _date(value: Any, what: str, faults: list[str]) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except (TypeError, ValueError):
        faults.append(
            _("%(what)s is not a date (YYYY-MM-DD): %(value)r") % {"what": what, "value": value}
        )
        return None


def plan_parse(data: Any) -> Plan:
    """Read a plan from its JSON data; raises PlanRefused listing every fault of shape."""
    faults: list[str] = []
    if not isinstance(data, dict):
        raise PlanRefused([_("A plan is a JSON object.")])
    basis = data.get("basis") if isinstance(data.get("basis"), dict) else {}
    for key, value in (
        ("code", data.get("code")),
        ("title", data.get("title")),
        ("basis.number", basis.get("number")),
        ("basis.issuer", basis.get("issuer")),
    ):
        if not _text(value):
            faults.append(_("The plan has no %(field)s.") % {"field": key})
    basis_date = _date(basis.get("date"), _("The legal basis's date"), faults)
    effective_on = _date(data.get("effective_on"), _("The effective date"), faults)

    new_bodies = []
    for entry in data.get("new_bodies") or []:
        if not isinstance(entry, dict) or not all(_text(entry.get(k)) for k in ("code", "name")):
            faults.append(_("A new body needs a code and a name: %(entry)r") % {"entry": entry})
            continue
        if entry.get("kind") not in Body.Kind.values:
            faults.append(
                _("The new body %(code)s has no valid kind (%(kind)r).")
                % {"code": entry["code"], "kind": entry.get("kind")}
            )
            continue
        new_bodies.append(
            NewBody(
                code=_text(entry["code"]),
                name=_text(entry["name"]),
                kind=entry["kind"],
                short_name=_text(entry.get("short_name")),
                name_en=_text(entry.get("name_en")),
                parent=_text(entry.get("parent")),
                source=_text(entry.get("source")),
            )
        )

    endings = []
    for entry in data.get("endings") or []:
        if not isinstance(entry, dict) or not _text(entry.get("body")):
            faults.append(_("An ending needs the body it ends: %(entry)r") % {"entry": entry})
            continue
        successors = entry.get("successors") or []
        if not isinstance(successors, list):
            faults.append(_("The successors of %(body)s are not a list.") % {"body": entry["body"]})
            continue
        codes = tuple(_text(s) for s in successors if _text(s))
        work, shared = _work_parse(entry, codes, faults)
        endings.append(
            Ending(
                body=_text(entry["body"]),
                successors=codes,
                source=_text(entry.get("source")),
                work=work,
                shared=shared,
            )
        )
    if not endings and not new_bodies:
        faults.append(_("The plan neither ends nor creates any body."))
    if faults:
        raise PlanRefused(faults)
    return Plan(
        code=_text(data["code"]),
        title=_text(data["title"]),
        basis_number=_text(basis["number"]),
        basis_date=basis_date,
        basis_issuer=_text(basis["issuer"]),
        effective_on=effective_on,
        new_bodies=tuple(new_bodies),
        endings=tuple(endings),
        not_found=tuple(n for n in data.get("not_found") or [] if isinstance(n, dict)),
        raw=data,
    )


def _keys(value: Any) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not all(isinstance(k, str) and _text(k) for k in value):
        return None
    return tuple(_text(k) for k in value)


def _work_parse(entry: dict, successors: tuple[str, ...], faults: list[str]):
    """A line's `work` and `shared`, checked for shape; faults appended."""
    body = _text(entry.get("body"))
    work_data = entry.get("work") or {}
    shared_data = entry.get("shared") or []
    shared: str | tuple[str, ...] = ()
    if shared_data == ALL:
        shared = ALL
    elif (keys := _keys(shared_data)) is not None:
        shared = keys
    else:
        faults.append(
            _('The shared work of %(body)s is neither "all" nor a list of item keys.')
            % {"body": body}
        )
    work: list[tuple[str, str | tuple[str, ...]]] = []
    if not isinstance(work_data, dict):
        faults.append(
            _("The work of %(body)s is not a mapping of successors to what each takes.")
            % {"body": body}
        )
        return (), shared
    for code, value in work_data.items():
        code = _text(code)
        if code not in successors:
            faults.append(
                _("The work of %(body)s names %(code)s, which is not one of its successors.")
                % {"body": body, "code": code}
            )
            continue
        if value in (ALL, REST):
            work.append((code, value))
        elif (keys := _keys(value)) is not None:
            work.append((code, keys))
        else:
            faults.append(
                _(
                    'What %(code)s takes of the work of %(body)s is neither "all", "rest" '
                    "nor a list of item keys."
                )
                % {"code": code, "body": body}
            )
    if sum(1 for _code, keys in work if keys == REST) > 1:
        faults.append(_('Only one successor of %(body)s can take "rest".') % {"body": body})
    return tuple(work), shared


def work_split_faults(ending: Ending, body: Body, open_items: list[tuple[str, str]]) -> list[str]:
    """Faults of a split over the ended body's open assignments, given as (item key, role
    label): work no successor takes, and work two take without the line saying it is shared."""
    faults: list[str] = []
    if len(ending.successors) < 2:
        return faults
    if not ending.work and not ending.shared:
        if open_items:
            faults.append(
                _(
                    "%(body)s is split among %(count)d successors: the plan must say which "
                    'takes which work ("work"), or that they share it ("shared": "all").'
                )
                % {"body": body.name, "count": len(ending.successors)}
            )
        return faults
    for key, role in open_items:
        takers, shared = ending.takers(key)
        if not takers:
            faults.append(
                _("The open assignment %(key)s (%(role)s) of %(body)s goes to no successor.")
                % {"key": key, "role": role, "body": body.name}
            )
        elif len(takers) > 1 and not shared:
            faults.append(
                _(
                    "The open assignment %(key)s (%(role)s) of %(body)s goes to %(codes)s: "
                    'say it is shared ("shared"), or give it to one of them.'
                )
                % {"key": key, "role": role, "body": body.name, "codes": ", ".join(takers)}
            )
    return faults


def plan_faults(plan: Plan) -> list[str]:
    """What makes the plan impossible against the bodies and the work as they are now: one
    message per fault, in the plan's order. Reads a fixed number of queries."""
    faults: list[str] = []
    effective = plan.effective_on
    new_codes = {b.code for b in plan.new_bodies}
    named = (
        new_codes
        | {e.body for e in plan.endings}
        | {s for e in plan.endings for s in e.successors}
        | {b.parent for b in plan.new_bodies if b.parent}
    )
    existing = Body.objects.in_bulk(named, field_name="code")

    applied = Reorganisation.objects.filter(code=plan.code).first()
    if applied is not None:
        faults.append(
            _("The reorganisation %(code)s was already applied on %(day)s.")
            % {"code": plan.code, "day": applied.applied_at.date().strftime("%d/%m/%Y")}
        )
    seen_new: set[str] = set()
    for new in plan.new_bodies:
        if new.code in existing:
            faults.append(
                _("A body with the code %(code)s already exists; a new body needs a new code.")
                % {"code": new.code}
            )
        if new.code in seen_new:
            faults.append(_("The new body %(code)s is listed twice.") % {"code": new.code})
        seen_new.add(new.code)
        if new.parent and new.parent not in existing and new.parent not in new_codes:
            faults.append(
                _("The parent %(parent)s of the new body %(code)s does not exist.")
                % {"parent": new.parent, "code": new.code}
            )

    ended_codes = [e.body for e in plan.endings]
    ended_bodies = [existing[c] for c in ended_codes if c in existing]
    open_work = _open_work_counts([b.pk for b in ended_bodies])
    open_items = _open_items([b.pk for b in ended_bodies])
    seen_ended: set[str] = set()
    for ending in plan.endings:
        body = existing.get(ending.body)
        if body is None:
            faults.append(
                _("The body to be ended, %(code)s, does not exist.") % {"code": ending.body}
            )
            continue
        if ending.body in seen_ended:
            faults.append(_("%(body)s is ended twice in this plan.") % {"body": body.name})
            continue
        seen_ended.add(ending.body)
        if body.valid_to is not None:
            faults.append(
                _("%(body)s is ended twice: it already ended on %(day)s.")
                % {"body": body.name, "day": body.valid_to.strftime("%d/%m/%Y")}
            )
        if body.valid_from is not None and effective <= body.valid_from:
            faults.append(
                _(
                    "%(body)s cannot end before it started: it exists from %(start)s, and the "
                    "plan takes effect on %(day)s."
                )
                % {
                    "body": body.name,
                    "start": body.valid_from.strftime("%d/%m/%Y"),
                    "day": effective.strftime("%d/%m/%Y"),
                }
            )
        if not ending.successors and open_work.get(body.pk):
            faults.append(
                _(
                    "%(body)s has open work (%(count)d assignments, indicators or industrial "
                    "areas) and no successor."
                )
                % {"body": body.name, "count": open_work[body.pk]}
            )
        for code in ending.successors:
            successor = existing.get(code)
            if code == ending.body:
                faults.append(_("%(body)s cannot succeed itself.") % {"body": body.name})
            elif successor is None and code not in new_codes:
                faults.append(
                    _("The successor %(code)s of %(body)s does not exist.")
                    % {"code": code, "body": body.name}
                )
            elif code in ended_codes:
                faults.append(
                    _("The successor %(code)s of %(body)s is itself ended by this plan.")
                    % {"code": code, "body": body.name}
                )
            elif successor is not None and not successor.is_active_on(effective):
                faults.append(
                    _("The successor %(successor)s of %(body)s does not exist on %(day)s.")
                    % {
                        "successor": successor.name,
                        "body": body.name,
                        "day": effective.strftime("%d/%m/%Y"),
                    }
                )
        faults.extend(work_split_faults(ending, body, open_items.get(body.pk, [])))
    return faults


def _open_items(body_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """Per body: (item key, role label) of each of its live assignments. One query."""
    result: dict[int, list[tuple[str, str]]] = {}
    if not body_ids:
        return result
    for assignment in (
        Assignment.objects.live()
        .filter(body_id__in=body_ids)
        .select_related("item")
        .only("body_id", "role", "item__key")
        .order_by("item__sequence", "pk")
    ):
        result.setdefault(assignment.body_id, []).append(
            (assignment.item.key, str(assignment.get_role_display()))
        )
    return result


def _open_work_counts(body_ids: list[int]) -> dict[int, int]:
    """Per body: its live assignments, the indicators and the industrial areas it answers
    for. Three queries."""
    counts: dict[int, int] = {}
    if not body_ids:
        return counts
    rows = [
        *Assignment.objects.live().filter(body_id__in=body_ids).values_list("body_id", flat=True),
        *Target.objects.filter(responsible_body_id__in=body_ids).values_list(
            "responsible_body_id", flat=True
        ),
        *IndustrialArea.objects.filter(Q(responsible_body_id__in=body_ids)).values_list(
            "responsible_body_id", flat=True
        ),
    ]
    for body_id in rows:
        counts[body_id] = counts.get(body_id, 0) + 1
    return counts


def plan_read(text: str) -> Plan:
    """A plan from the text of its JSON file."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise PlanRefused(
            [_("The plan is not valid JSON: %(error)s") % {"error": error}]
        ) from error
    return plan_parse(data)
