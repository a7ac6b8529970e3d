"""The trial run's and the applied act's result as lines of text, per body, for the command
line (the admin's confirmation page shows the same Outcome through its template)."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .services import Outcome


def outcome_lines(outcome: Outcome) -> list[str]:
    plan = outcome.plan
    lines = [
        f"{plan.title}",
        _("Legal basis: %(number)s of %(date)s, %(issuer)s; takes effect on %(day)s.")
        % {
            "number": plan.basis_number,
            "date": plan.basis_date.strftime("%d/%m/%Y"),
            "issuer": plan.basis_issuer,
            "day": plan.effective_on.strftime("%d/%m/%Y"),
        },
        "",
    ]
    if outcome.created:
        lines.append(_("Created from %(day)s:") % {"day": plan.effective_on.strftime("%d/%m/%Y")})
        lines.extend(f"  + {body.name} [{body.code}]" for body in outcome.created)
        lines.append("")
    for ended in outcome.ended:
        lines.append(
            _("Ends on %(day)s: %(body)s [%(code)s]")
            % {
                "day": ended.body.valid_to.strftime("%d/%m/%Y"),
                "body": ended.body.name,
                "code": ended.body.code,
            }
        )
        if ended.successors:
            lines.append(
                "  "
                + _("Succeeded by: %(bodies)s")
                % {"bodies": "; ".join(s.name for s in ended.successors)}
            )
        for move in ended.moves:
            joined = {a.pk for a in move.joined}
            targets = ", ".join(
                a.body.name + (f" ({_('joins its existing assignment')})" if a.pk in joined else "")
                for a in move.carried_by
            )
            lines.append(
                f"  → {move.original.item.key} · {move.original.get_role_display()}: {targets}"
            )
            if move.drafts_left:
                lines.append(
                    "    "
                    + ngettext(
                        "%(count)d unsent draft stays with the ended body",
                        "%(count)d unsent drafts stay with the ended body",
                        move.drafts_left,
                    )
                    % {"count": move.drafts_left}
                )
        counts = [
            ngettext("%(n)d open assignment moves", "%(n)d open assignments move", len(ended.moves))
            % {"n": len(ended.moves)},
            ngettext(
                "%(n)d finished assignment stays",
                "%(n)d finished assignments stay",
                ended.finished_kept,
            )
            % {"n": ended.finished_kept},
            ngettext("%(n)d membership ends", "%(n)d memberships end", len(ended.memberships_ended))
            % {"n": len(ended.memberships_ended)},
        ]
        if ended.delegations_reattached:
            counts.append(
                ngettext(
                    "%(n)d delegated part passes under the successor",
                    "%(n)d delegated parts pass under the successor",
                    ended.delegations_reattached,
                )
                % {"n": ended.delegations_reattached}
            )
        lines.append("  " + "; ".join(counts))
        for extension in ended.extensions:
            request = extension.request
            where = (
                "; ".join(a.body.name for a in extension.waits_on)
                if extension.waits_on
                else _("stays: each successor already has a request waiting")
            )
            lines.append(
                "  "
                + _("Pending extension request (%(key)s, to %(day)s) goes with the work: %(where)s")
                % {
                    "key": extension.original.item.key,
                    "day": request.proposed_deadline.strftime("%d/%m/%Y"),
                    "where": where,
                }
            )
        for explanation in ended.explanations:
            lines.append(
                "  "
                + _("Open explanation request (%(subject)s, due %(day)s) goes to: %(body)s")
                % {
                    "subject": explanation.subject,
                    "day": explanation.request.due_on.strftime("%d/%m/%Y"),
                    "body": explanation.to.name,
                }
            )
        for target in ended.targets:
            lines.append("  " + _("Indicator passes on: %(name)s") % {"name": target.name})
        for area in ended.industrial_areas:
            lines.append("  " + _("Industrial area passes on: %(name)s") % {"name": area.name})
        lines.append("")
    for note in plan.not_found:
        lines.append(
            _("Left for the administrator: %(body)s — %(note)s")
            % {"body": note.get("body", ""), "note": note.get("note", "")}
        )
    lines.append(
        _(
            "In all: %(created)d bodies created, %(ended)d ended, %(moved)d open assignments "
            "moved into %(new)d new ones, %(memberships)d memberships ended, %(drafts)d unsent "
            "drafts left with their bodies, %(requests)d open requests passed on."
        )
        % {
            "created": len(outcome.created),
            "ended": len(outcome.ended),
            "moved": outcome.moved_count,
            "new": outcome.created_assignments,
            "memberships": outcome.memberships_ended,
            "drafts": outcome.drafts_left,
            "requests": outcome.requests_moved,
        }
    )
    lines.append(_("Applied.") if outcome.applied else _("Trial run: nothing was changed."))
    return lines
