"""Plans the reorganisation tests apply on the reference data: a one-to-many split (Thành ủy
Nha Trang into two ward committees), a many-to-one merger onto a body that already exists (Sở
Kế hoạch và Đầu tư into Sở Tài chính), and a board replaced by a new one (Vân Phong's)."""

import copy
from datetime import date, timedelta

from django.utils import timezone

from accounts.models import Body, Membership, Role, User
from accounts.services import membership_grant
from reorganisation.models import Reorganisation
from tasks.models import Assignment, AssignmentRole
from tasks.services.common import tracked_save

SPLIT_INTO = ("dang-uy-phuong-nha-trang", "dang-uy-phuong-bac-nha-trang")
NEW_BOARD = "ban-quan-ly-kkt-kcn-thu-nghiem"


def effective_day() -> date:
    """Today: memberships and grants follow the act at once (the daily sync would otherwise
    catch up on the act's date)."""
    return timezone.localdate()


def plan_data(*, effective: date | None = None) -> dict:
    effective = effective or effective_day()
    return copy.deepcopy(
        {
            "code": "thu-nghiem",
            "title": "Sắp xếp thử nghiệm",
            "basis": {"number": "99/2025/QH15", "date": "2025-06-12", "issuer": "Quốc hội"},
            "effective_on": effective.isoformat(),
            "new_bodies": [
                {
                    "code": SPLIT_INTO[0],
                    "name": "Đảng ủy phường Nha Trang",
                    "kind": "affiliated_committee",
                    "parent": "ban-chap-hanh-dang-bo-tinh",
                    "source": "thử nghiệm",
                },
                {
                    "code": SPLIT_INTO[1],
                    "name": "Đảng ủy phường Bắc Nha Trang",
                    "kind": "affiliated_committee",
                    "parent": "ban-chap-hanh-dang-bo-tinh",
                },
                {
                    "code": NEW_BOARD,
                    "name": "Ban Quản lý các khu kinh tế và khu công nghiệp (thử nghiệm)",
                    "kind": "department",
                    "parent": "ban-can-su-dang-ubnd-tinh",
                },
            ],
            "endings": [
                {
                    "body": "thanh-uy-nha-trang",
                    "successors": list(SPLIT_INTO),
                    "shared": "all",
                    "source": "a",
                },
                {"body": "so-ke-hoach-va-dau-tu", "successors": ["so-tai-chinh"], "source": "b"},
                {"body": "ban-quan-ly-khu-kinh-te-van-phong", "successors": [NEW_BOARD]},
            ],
            "not_found": [{"body": "thanh-uy-cam-ranh", "note": "không có nguồn"}],
        }
    )


def member_of(code: str, role: str, username: str) -> User:
    """A member of a body, through the service, so their groups are the real ones."""
    user = User.objects.create_user(username, password="mat-khau-thu-nghiem-2026")
    membership_grant(
        user=user,
        body=Body.objects.get(code=code),
        role=Role.objects.get(code=role),
        acting_user=None,
        reason="test",
    )
    # A fresh object: the permission caches of the one above are stale.
    return User.objects.get(pk=user.pk)


def members_since(day: date) -> None:
    """Memberships began before the act, as they would have."""
    for membership in Membership.objects.all():
        membership.valid_from = day
        tracked_save(membership, acting_user=None, reason="test")


def varied_statuses(reviewer) -> None:
    """Give the ended bodies' work every kind of status: overdue, due soon, in progress with
    an approved extension, completed on time, and ongoing duties (the rest)."""
    today = timezone.localdate()
    rows = list(
        Assignment.objects.filter(
            body__code__in=["thanh-uy-nha-trang", "so-ke-hoach-va-dau-tu"],
            role__in=[AssignmentRole.IMPLEMENT_LOCALLY, AssignmentRole.COORDINATE],
        ).order_by("pk")[:5]
    )
    overdue, soon, extended, done, _ongoing = rows
    for assignment, deadline in (
        (overdue, today - timedelta(days=30)),
        (soon, today + timedelta(days=3)),
        (extended, today + timedelta(days=40)),
        (done, today - timedelta(days=60)),
    ):
        assignment.deadline_kind = Assignment.DeadlineKind.FIXED
        assignment.deadline = deadline
        tracked_save(assignment, acting_user=reviewer, reason="test")
    extended.extended_deadline = today + timedelta(days=90)
    tracked_save(extended, acting_user=reviewer, reason="test: approved extension")
    done.completed_on = today - timedelta(days=61)
    tracked_save(done, acting_user=reviewer, reason="test: accepted completion")


def recorded_act():
    """An act on record, applied or not, for tests of who may read the acts' pages."""
    act, _created = Reorganisation.objects.get_or_create(
        code="matrix",
        defaults={
            "title": "Sắp xếp ghi nhận",
            "basis_number": "98/2025/QH15",
            "basis_date": date(2025, 6, 12),
            "basis_issuer": "Quốc hội",
            "effective_on": date(2025, 7, 1),
            "applied_at": timezone.now(),
        },
    )
    return act
