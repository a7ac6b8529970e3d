"""Each role's queue on the desk, built from what the permission policies let the person see.

A person sees the queue of every role they hold now: the agency home of their bodies (officer
or leader), the Party Office reviewer's queue, the supervisor's, the Standing Committee
member's view; an administrator of no other role a short admin home. Each queue is built in
a fixed number of queries whatever the number of rows.
"""

from dataclasses import dataclass
from datetime import date, datetime

from accounts.models import Role
from accounts.permissions import accounts_policy
from accounts.selectors import Lockout, lockouts_in_force
from tasks.dashboards.agency import agency_work_html
from tasks.dashboards.base import period_list_all

from ..services import visit_record
from .common import open_periods, roles_of
from .reviewer import ReviewerQueue, reviewer_queue
from .standing import StandingView, standing_view
from .supervisor import SupervisorQueue, supervisor_queue

AGENCY = {Role.OFFICER, Role.LEADER}


@dataclass
class AdminHome:
    lockouts: list[Lockout]


@dataclass
class Desk:
    # The agency home's content, rendered (tasks.dashboards.agency.agency_work_html).
    agency: str | None = None
    reviewer: ReviewerQueue | None = None
    supervisor: SupervisorQueue | None = None
    standing: StandingView | None = None
    admin: AdminHome | None = None

    @property
    def has_role(self) -> bool:
        return any((self.agency, self.reviewer, self.supervisor, self.standing, self.admin))

    @property
    def several(self) -> bool:
        """Whether the desk holds more than one role's queue, so each is headed by its role."""
        return sum(map(bool, (self.agency, self.reviewer, self.supervisor, self.standing))) > 1


def desk_for(*, user, today: date, now: datetime) -> Desk:
    """The desk of the user: the queue of each role they hold. A supervisor's visit is
    recorded, as its list of what is new starts from the previous one."""
    roles = roles_of(user)
    desk = Desk()
    if roles & AGENCY:
        desk.agency = agency_work_html(user=user, today=today)
    periods = None
    if Role.REVIEWER in roles or Role.SUPERVISOR in roles:
        periods = open_periods()
    if Role.REVIEWER in roles:
        desk.reviewer = reviewer_queue(user=user, today=today, periods=periods)
    if Role.SUPERVISOR in roles:
        since = visit_record(acting_user=user, at=now)
        desk.supervisor = supervisor_queue(user=user, today=today, since=since, periods=periods)
    if Role.STANDING_MEMBER in roles:
        desk.standing = standing_view(user=user, today=today, periods=period_list_all())
    holds_queue = desk.agency or desk.reviewer or desk.supervisor or desk.standing
    if not holds_queue and accounts_policy.user_has_permission(user, accounts_policy.MANAGE):
        desk.admin = AdminHome(lockouts=lockouts_in_force())
    return desk
