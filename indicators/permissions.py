"""The indicators app's permission policy: yearly figures and explanation requests.

Rights come from the roles people hold in bodies (accounts.Membership), as for generated
reports: a figure belongs to the body responsible for it, an explanation request to the body
asked. No object grants are stored: the rows already name their body.

- Every signed-in member reads the indicators, the register of zones and clusters, and every
  figure that is with the Party Office or accepted.
- A draft figure is seen and changed only by its body's officers and leaders; only the leaders
  submit it. Drafts are strict: no global role stands in.
- A returned figure, which its body is revising, follows the progress reports' rule for
  returned work: its body's officers and leaders change it; besides them only the Party
  Office's reviewers, Standing Committee members and supervisors read it. Officers of other
  bodies do not, nor is it counted or listed for them.
- Party Office reviewers accept or return submitted figures, ask for explanations and close
  them.
- An explanation request is read by the Party Office's reviewers, Standing Committee members
  and the asked body's officers and leaders; the latter answer it.
"""

from django.db.models import Q, QuerySet

from accounts.models import Role
from accounts.permissions import BasePermissionPolicy, active_memberships, holds_role

from .models import ExplanationRequest, ExplanationState, FigureState, YearlyFigure

BODY_ROLES = (Role.OFFICER, Role.LEADER)
# Who reads another body's returned figure while it is being revised.
READ_RETURNED = (Role.REVIEWER, Role.STANDING_MEMBER, Role.SUPERVISOR)
# Figures every signed-in member reads: sent to the Party Office and not handed back.
PUBLIC_STATES = (FigureState.SUBMITTED, FigureState.ACCEPTED)


class Action:
    VIEW = "view"
    DRAFT = "draft"
    SUBMIT = "submit"
    REVIEW = "review"
    REQUEST_EXPLANATION = "request_explanation"
    ANSWER = "answer"
    CLOSE = "close"


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def own_bodies(user, roles=BODY_ROLES) -> set[int]:
    """The bodies in which the user holds one of the roles now."""
    return {m.body_id for m in active_memberships(user) if m.role.code in roles}


class FigurePolicy(BasePermissionPolicy):
    model = YearlyFigure

    def user_has_permission(self, user, action: str) -> bool:
        if not _signed_in(user):
            return False
        if action == Action.VIEW:
            return True
        if action == Action.REVIEW:
            return holds_role(user, Role.REVIEWER)
        if action == Action.DRAFT:
            return bool(own_bodies(user))
        if action == Action.SUBMIT:
            return bool(own_bodies(user, (Role.LEADER,)))
        return False

    def may_enter(self, user, body_id: int | None) -> bool:
        """May the user start a figure reported by this body?"""
        return _signed_in(user) and body_id is not None and body_id in own_bodies(user)

    def user_has_permission_for_instance(self, user, action: str, figure: YearlyFigure) -> bool:
        if not _signed_in(user):
            return False
        own = figure.body_id in own_bodies(user)
        if action == Action.VIEW:
            if own or figure.state in PUBLIC_STATES:
                return True
            return figure.state == FigureState.RETURNED and holds_role(user, *READ_RETURNED)
        if action == Action.DRAFT:
            return own and figure.is_editable
        if action == Action.SUBMIT:
            return figure.is_editable and figure.body_id in own_bodies(user, (Role.LEADER,))
        if action == Action.REVIEW:
            return figure.state == FigureState.SUBMITTED and holds_role(user, Role.REVIEWER)
        return False

    def instances_user_has_permission_for(self, user, action: str = Action.VIEW) -> QuerySet:
        if action != Action.VIEW or not _signed_in(user):
            return YearlyFigure.objects.none()
        visible = Q(state__in=PUBLIC_STATES) | Q(body_id__in=own_bodies(user))
        if holds_role(user, *READ_RETURNED):
            visible |= Q(state=FigureState.RETURNED)
        return YearlyFigure.objects.filter(visible)


figure_policy = FigurePolicy()


class ExplanationPolicy(BasePermissionPolicy):
    model = ExplanationRequest
    READ_EVERY_BODY = (Role.REVIEWER, Role.STANDING_MEMBER)

    def user_has_permission(self, user, action: str) -> bool:
        if not _signed_in(user):
            return False
        if action == Action.VIEW:
            return True
        if action in (Action.REQUEST_EXPLANATION, Action.CLOSE):
            return holds_role(user, Role.REVIEWER)
        if action == Action.ANSWER:
            return bool(own_bodies(user))
        return False

    def user_has_permission_for_instance(
        self, user, action: str, request: ExplanationRequest
    ) -> bool:
        if not _signed_in(user):
            return False
        own = request.body_id in own_bodies(user)
        if action == Action.VIEW:
            return own or holds_role(user, *self.READ_EVERY_BODY)
        if action == Action.ANSWER:
            return own and request.state != ExplanationState.CLOSED
        if action == Action.CLOSE:
            return request.state != ExplanationState.CLOSED and holds_role(user, Role.REVIEWER)
        return False

    def instances_user_has_permission_for(self, user, action: str = Action.VIEW) -> QuerySet:
        if action != Action.VIEW or not _signed_in(user):
            return ExplanationRequest.objects.none()
        if holds_role(user, *self.READ_EVERY_BODY):
            return ExplanationRequest.objects.all()
        return ExplanationRequest.objects.filter(body_id__in=own_bodies(user))


explanation_policy = ExplanationPolicy()
