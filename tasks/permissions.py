"""The tracking app's permission policy: assignments, and what hangs under them.

Grants live in guardian's direct-foreign-key tables on Assignment, given by services to one
group per body and role (see services/grants.py). Reports, attachments, cited documents,
extension requests and findings inherit their assignment's grants rather than carrying rows
of their own, so the permission tables grow with assignments, not with reports.

Drafts are strict: only the body's own officers and leaders see or change them, whatever
global permission a user holds (superusers included).
"""

from django.db.models import Q, QuerySet

from accounts.access import access_cached
from accounts.permissions import BasePermissionPolicy

from .models import (
    Assignment,
    AssignmentGroupObjectPermission,
    AssignmentUserObjectPermission,
    ProgressReport,
    ReportingPeriod,
    ReportState,
)


class Action:
    VIEW = "view"
    DRAFT = "draft"
    SUBMIT = "submit"
    REQUEST_EXTENSION = "request_extension"
    DELEGATE = "delegate"
    RECORD_FINDING = "record_finding"
    REVIEW = "review"
    SET_DEADLINE = "set_deadline"
    MANAGE_PERIOD = "manage_period"
    # Send a reminder now, outside the schedule: the Party Office chases (đôn đốc) the work
    # it reviews, so it goes with the permission to review.
    REMIND_NOW = "remind_now"


CODENAMES = {
    Action.VIEW: "view_assignment",
    Action.DRAFT: "draft_report",
    Action.SUBMIT: "submit_report",
    Action.REQUEST_EXTENSION: "request_extension",
    Action.DELEGATE: "delegate_assignment",
    Action.RECORD_FINDING: "record_finding",
    Action.REVIEW: "review_report",
    Action.SET_DEADLINE: "set_deadline",
    Action.MANAGE_PERIOD: "manage_period",
    Action.REMIND_NOW: "review_report",
}

# Actions only a body's own members may take on its assignments: no global permission
# stands in for the object grant.
BODY_ONLY = {
    Action.DRAFT,
    Action.SUBMIT,
    Action.REQUEST_EXTENSION,
    Action.DELEGATE,
    Action.RECORD_FINDING,
}
# Actions that are only ever global (held through a role's group).
GLOBAL_ONLY = {Action.REVIEW, Action.SET_DEADLINE, Action.MANAGE_PERIOD, Action.REMIND_NOW}

# The steps offered on the assignment list for several ticked rows at once, and the action
# each needs.
BULK_STEPS = {
    "deadline": Action.SET_DEADLINE,
    "period": Action.MANAGE_PERIOD,
    "remind": Action.REMIND_NOW,
}


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def granted_assignments(user, action: str) -> Q:
    """Assignments on which the user holds the action through a group or directly."""
    codename = CODENAMES[action]
    through_groups = AssignmentGroupObjectPermission.objects.filter(
        group__user=user, permission__codename=codename
    ).values("content_object_id")
    direct = AssignmentUserObjectPermission.objects.filter(
        user=user, permission__codename=codename
    ).values("content_object_id")
    return Q(pk__in=through_groups) | Q(pk__in=direct)


def _grants(user) -> dict[str, set[int]]:
    """All of the user's object grants on assignments, through groups and direct: once per
    request in one query, and from the access cache unless they changed since (the grants'
    sync bumps the access version of the groups' members)."""
    cached = getattr(user, "_assignment_grants", None)
    if cached is None:
        cached = access_cached(user, "assignment-grants", lambda: _grants_of(user))
        user._assignment_grants = cached
    return cached


def _grants_of(user) -> dict[str, set[int]]:
    grants: dict[str, set[int]] = {}
    through_groups = AssignmentGroupObjectPermission.objects.filter(group__user=user).values_list(
        "permission__codename", "content_object_id"
    )
    direct = AssignmentUserObjectPermission.objects.filter(user=user).values_list(
        "permission__codename", "content_object_id"
    )
    for codename, assignment_id in through_groups.union(direct, all=True):
        grants.setdefault(codename, set()).add(assignment_id)
    return grants


class AssignmentPolicy(BasePermissionPolicy):
    model = Assignment

    def user_has_permission(self, user, action: str) -> bool:
        if not _signed_in(user) or action in BODY_ONLY:
            return False
        return user.has_perm(f"tasks.{CODENAMES[action]}")

    def bulk_steps(self, user) -> set[str]:
        """The bulk steps the user may take on the assignment list (none: no tick boxes)."""
        return {
            step for step, action in BULK_STEPS.items() if self.user_has_permission(user, action)
        }

    def user_holds_any(self, user, action: str) -> bool:
        """Whether the user may take the action on some assignment (to offer it in menus)."""
        if self.user_has_permission(user, action):
            return True
        return _signed_in(user) and bool(_grants(user).get(CODENAMES[action]))

    def user_has_permission_for_instance(self, user, action: str, instance: Assignment) -> bool:
        if not _signed_in(user):
            return False
        if self.user_has_permission(user, action):
            return True
        if action in GLOBAL_ONLY:
            return False
        return instance.pk in _grants(user).get(CODENAMES[action], set())

    def instances_user_has_permission_for(self, user, action: str) -> QuerySet:
        if not _signed_in(user):
            return Assignment.objects.none()
        if self.user_has_permission(user, action):
            return Assignment.objects.all()
        if action in GLOBAL_ONLY:
            return Assignment.objects.none()
        return Assignment.objects.filter(granted_assignments(user, action))


assignment_policy = AssignmentPolicy()


class ReportPolicy(BasePermissionPolicy):
    """Progress reports and their evidence. The answer includes the report's state: what may
    not be done now is neither offered nor accepted."""

    model = ProgressReport

    def user_has_permission(self, user, action: str) -> bool:
        return assignment_policy.user_holds_any(user, action)

    def user_has_permission_for_instance(self, user, action: str, report: ProgressReport) -> bool:
        assignment = report.assignment
        if action == Action.VIEW:
            if report.state == ReportState.DRAFT:
                return assignment_policy.user_has_permission_for_instance(
                    user, Action.DRAFT, assignment
                )
            return assignment_policy.user_has_permission_for_instance(
                user, Action.VIEW, assignment
            ) or assignment_policy.user_has_permission_for_instance(user, Action.DRAFT, assignment)
        period_open = report.period.state == ReportingPeriod.State.OPEN
        if action == Action.DRAFT:
            return (
                period_open
                and report.is_editable
                and assignment_policy.user_has_permission_for_instance(user, action, assignment)
            )
        if action == Action.SUBMIT:
            return (
                period_open
                and report.is_editable
                and assignment_policy.user_has_permission_for_instance(user, action, assignment)
            )
        if action == Action.REVIEW:
            return (
                period_open
                and report.state == ReportState.SUBMITTED
                and assignment_policy.user_has_permission(user, action)
            )
        return False

    def sees_drafts(self, user, assignment: Assignment) -> bool:
        """Whether the user sees the assignment's reports in draft: its body's members do (the
        grant to draft), nobody else."""
        return assignment_policy.user_has_permission_for_instance(user, Action.DRAFT, assignment)

    def reports_of(self, assignment: Assignment, *, drafts: bool) -> QuerySet:
        """The reports of an assignment that a user who may see the assignment sees: those
        sent, and the drafts too when `drafts` (`sees_drafts`). The same reports as
        `instances_user_has_permission_for` gives them, from that one answer, so that what
        is cached of them is shared by readers who answer alike."""
        reports = ProgressReport.objects.filter(assignment=assignment)
        return reports if drafts else reports.exclude(state=ReportState.DRAFT)

    def instances_user_has_permission_for(self, user, action: str = Action.VIEW) -> QuerySet:
        if action != Action.VIEW or not _signed_in(user):
            return ProgressReport.objects.none()
        own_drafts = Q(
            assignment__in=Assignment.objects.filter(granted_assignments(user, Action.DRAFT))
        )
        if assignment_policy.user_has_permission(user, Action.VIEW):
            sent = ~Q(state=ReportState.DRAFT)
        else:
            visible = Assignment.objects.filter(granted_assignments(user, Action.VIEW))
            sent = ~Q(state=ReportState.DRAFT) & Q(assignment__in=visible)
        return ProgressReport.objects.filter(sent | own_drafts)


report_policy = ReportPolicy()
