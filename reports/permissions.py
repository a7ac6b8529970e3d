"""The reports app's permission policy: who may ask for and read generated reports, from the
roles people hold (generated reports carry no object permissions of their own)."""

from django.db.models import Q, QuerySet

from accounts.models import Body, Role
from accounts.permissions import BasePermissionPolicy, active_memberships, holds_role

from .models import GeneratedReport, GeneratedReportKind


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


class GeneratedReportPolicy(BasePermissionPolicy):
    """Who may ask for and read generated reports, by kind, from the roles people hold:

    - the Party Office's status report to the Standing Committee: asked for by the Party
      Office (reviewers) and administrators, read by them and by Standing Committee members;
    - the Standing Committee's report upward: asked for by the Party Office, which drafts it,
      and by Standing Committee members, whose body sends it; read by them and administrators;
    - an oversight report: asked for and read by the supervising body's supervisors, and by the
      Party Office (reviewers), which compiles what the supervising bodies found; read also by
      Standing Committee members;
    - a body's own report: asked for and read by the body's officers and leaders, and by
      reviewers and Standing Committee members.
    """

    model = GeneratedReport
    REQUEST = "request"
    VIEW = "view"

    STANDING_COMMITTEE_REQUEST = (Role.REVIEWER, Role.ADMINISTRATOR)
    UPWARD_REQUEST = (Role.REVIEWER, Role.STANDING_MEMBER)
    # Both reports on the whole programme are read by the same people.
    STANDING_COMMITTEE_VIEW = (Role.REVIEWER, Role.STANDING_MEMBER, Role.ADMINISTRATOR)
    READ_EVERY_BODY = (Role.REVIEWER, Role.STANDING_MEMBER)
    # The Party Office may ask for any supervising body's oversight report.
    OVERSIGHT_REQUEST = (Role.REVIEWER,)
    # The roles of a body's own people for each kind about one body.
    BODY_ROLES = {
        GeneratedReportKind.OVERSIGHT: (Role.SUPERVISOR,),
        GeneratedReportKind.BODY: (Role.OFFICER, Role.LEADER),
    }

    @staticmethod
    def _own_bodies(user, roles) -> set[int]:
        return {m.body_id for m in active_memberships(user) if m.role.code in roles}

    def may_request(self, user, kind: str, body_id: int | None = None) -> bool:
        """May the user ask for this kind of report (about this body, for the kinds that name
        one)? Without a body: for some body."""
        if not _signed_in(user):
            return False
        if kind == GeneratedReportKind.STANDING_COMMITTEE:
            return holds_role(user, *self.STANDING_COMMITTEE_REQUEST)
        if kind == GeneratedReportKind.UPWARD:
            return holds_role(user, *self.UPWARD_REQUEST)
        if kind == GeneratedReportKind.BODY and holds_role(user, *self.READ_EVERY_BODY):
            return True
        if kind == GeneratedReportKind.OVERSIGHT and holds_role(user, *self.OVERSIGHT_REQUEST):
            return True
        own = self._own_bodies(user, self.BODY_ROLES.get(kind, ()))
        return bool(own) if body_id is None else body_id in own

    def may_view(self, user, kind: str, body_id: int | None) -> bool:
        if not _signed_in(user):
            return False
        if kind in GeneratedReport.PROGRAMME_KINDS:
            return holds_role(user, *self.STANDING_COMMITTEE_VIEW)
        if holds_role(user, *self.READ_EVERY_BODY):
            return True
        return body_id in self._own_bodies(user, self.BODY_ROLES.get(kind, ()))

    def requestable_kinds(self, user) -> list[str]:
        return [kind for kind in GeneratedReportKind.values if self.may_request(user, kind)]

    def own_supervised_bodies(self, user) -> list[Body]:
        """The bodies the user supervises for: the one an oversight report starts with."""
        roles = self.BODY_ROLES[GeneratedReportKind.OVERSIGHT]
        return [m.body for m in active_memberships(user) if m.role.code in roles]

    def requestable_bodies(self, user) -> QuerySet:
        """The bodies the user may ask a report about, for one kind or another."""
        if holds_role(user, *self.READ_EVERY_BODY):
            return Body.objects.filter(assignments__isnull=False).distinct()
        own = self._own_bodies(user, {r for roles in self.BODY_ROLES.values() for r in roles})
        return Body.objects.filter(pk__in=own)

    def user_has_permission(self, user, action: str) -> bool:
        if action == self.REQUEST:
            return any(self.may_request(user, kind) for kind in GeneratedReportKind.values)
        if action == self.VIEW:
            return _signed_in(user)
        return False

    def user_has_permission_for_instance(self, user, action: str, report) -> bool:
        if action == self.VIEW:
            return self.may_view(user, report.kind, report.body_id)
        return False

    def instances_user_has_permission_for(self, user, action: str = VIEW) -> QuerySet:
        if action != self.VIEW or not _signed_in(user):
            return GeneratedReport.objects.none()
        visible = Q(pk__in=[])
        if holds_role(user, *self.STANDING_COMMITTEE_VIEW):
            visible |= Q(kind__in=GeneratedReport.PROGRAMME_KINDS)
        if holds_role(user, *self.READ_EVERY_BODY):
            visible |= Q(kind__in=GeneratedReport.BODY_KINDS)
        else:
            for kind, roles in self.BODY_ROLES.items():
                own = self._own_bodies(user, roles)
                if own:
                    visible |= Q(kind=kind, body_id__in=own)
        return GeneratedReport.objects.filter(visible)


generated_report_policy = GeneratedReportPolicy()
