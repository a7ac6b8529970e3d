"""Who may read and write an assignment's thread (trao đổi), and which messages they see.

- Read: exactly those who may see the assignment (the tasks policy answers).
- Write: the body's own members (those who draft its reports; on a supervision assignment, the
  supervisors who record its findings), the Party Office's reviewers, and the supervisors of
  the assignment's task. The Standing Committee, the body a part was delegated from and the
  administrator read and do not write.
- A message about a report that is still a draft is seen only by whom may see the draft, that
  is the body's own members, until the report is sent.
- Only the author edits a message, within EDIT_WINDOW_MINUTES, and withdraws it.
"""

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.permissions import BasePermissionPolicy
from tasks.models import Assignment, ReportState
from tasks.permissions import Action as TaskAction
from tasks.permissions import assignment_policy

from .models import Message


class Action:
    VIEW = "view"
    WRITE = "write"
    EDIT = "edit"
    WITHDRAW = "withdraw"


def is_body_member(user, assignment: Assignment) -> bool:
    """Whether the user speaks for the body whose assignment it is (no query: the grants are
    read once per request)."""
    own = (
        TaskAction.RECORD_FINDING
        if assignment.role == Assignment.Role.SUPERVISE
        else TaskAction.DRAFT
    )
    return assignment_policy.user_has_permission_for_instance(user, own, assignment)


def is_reviewer(user) -> bool:
    return assignment_policy.user_has_permission(user, TaskAction.REVIEW)


def supervises(user, assignment: Assignment) -> bool:
    """Whether the user records findings on a supervision of the assignment's task: one query,
    only for someone who records findings at all."""
    if assignment.role == Assignment.Role.SUPERVISE:
        return False
    if not assignment_policy.user_holds_any(user, TaskAction.RECORD_FINDING):
        return False
    return (
        assignment_policy.instances_user_has_permission_for(user, TaskAction.RECORD_FINDING)
        .filter(item_id=assignment.item_id, role=Assignment.Role.SUPERVISE)
        .exists()
    )


class DiscussionPolicy(BasePermissionPolicy):
    model = Assignment

    def user_has_permission(self, user, action: str) -> bool:
        return assignment_policy.user_has_permission(user, TaskAction.VIEW)

    def user_has_permission_for_instance(self, user, action: str, instance) -> bool:
        if isinstance(instance, Message):
            return self._for_message(user, action, instance)
        if not assignment_policy.user_has_permission_for_instance(user, TaskAction.VIEW, instance):
            return False
        if action == Action.VIEW:
            return True
        if action == Action.WRITE:
            return is_body_member(user, instance) or is_reviewer(user) or supervises(user, instance)
        return False

    def _for_message(self, user, action: str, message: Message) -> bool:
        assignment = message.assignment
        if not self.user_has_permission_for_instance(user, Action.VIEW, assignment):
            return False
        report = message.report
        if (
            report is not None
            and report.state == ReportState.DRAFT
            and not is_body_member(user, assignment)
        ):
            return False
        if action == Action.VIEW:
            return True
        if action in (Action.EDIT, Action.WITHDRAW):
            if message.author_id != user.pk or message.is_withdrawn:
                return False
            if action == Action.EDIT:
                return timezone.now() <= message.editable_until()
            return True
        return False

    def instances_user_has_permission_for(self, user, action: str = Action.VIEW) -> QuerySet:
        """The messages the user may read, of every assignment they may see."""
        if action != Action.VIEW:
            return Message.objects.none()
        visible = Message.objects.filter(
            assignment__in=assignment_policy.instances_user_has_permission_for(
                user, TaskAction.VIEW
            )
        )
        return visible.filter(self.draft_privacy(user))

    def messages_of(self, user, assignment: Assignment) -> QuerySet:
        """The messages of one thread the user may read; the caller has checked VIEW."""
        return Message.objects.filter(assignment=assignment).filter(
            self.draft_privacy(user, assignment)
        )

    def draft_privacy(self, user, assignment: Assignment | None = None) -> Q:
        """Messages about a report still in draft: only for the body's own members."""
        if assignment is not None and is_body_member(user, assignment):
            return Q()
        hidden = Q(report__state=ReportState.DRAFT)
        if assignment is None:
            own = assignment_policy.instances_user_has_permission_for(user, TaskAction.DRAFT)
            hidden &= ~Q(assignment__in=own)
        return ~hidden | Q(report__isnull=True)


discussion_policy = DiscussionPolicy()
