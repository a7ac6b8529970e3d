"""The story's people and bodies, and how the tracking is set up on its first day."""

import secrets
from dataclasses import dataclass

from accounts.models import Role, User
from accounts.services import demo_accounts_create, membership_grant, user_create
from programme.services import reference_data_load, reference_sources
from tasks.services.grants import assignment_grants_sync

from .telling import Story, at

OFFICER, LEADER, REVIEWER = Role.OFFICER, Role.LEADER, Role.REVIEWER
PARTY_OFFICE = "van-phong-tinh-uy"
UBND = "ban-can-su-dang-ubnd-tinh"
CONG_THUONG = "so-cong-thuong"
KE_HOACH = "so-ke-hoach-va-dau-tu"
NHA_TRANG = "thanh-uy-nha-trang"
CAM_RANH = "thanh-uy-cam-ranh"
NINH_HOA = "thi-uy-ninh-hoa"
THONG_KE = "cuc-thong-ke-tinh"

# The tracking goes into use: the reference data, the accounts and the story's other people
# are recorded from here on.
SET_UP = at("2024-09-03 08:00")


# The people the demo accounts do not cover: leaders and officers of the other bodies whose
# work the story follows. They cannot sign in (no one knows their password); the demo accounts
# (fixtures/demo-accounts.json, password in the README) are the ones to sign in as.
@dataclass(frozen=True)
class Character:
    username: str
    full_name: str
    body: str
    role: str


CHARACTERS = (
    Character("congthuong.lanhdao", "Trương Văn Khải", CONG_THUONG, LEADER),
    Character("khdt.canbo", "Lý Thị Ngọc", KE_HOACH, OFFICER),
    Character("khdt.lanhdao", "Châu Văn Toàn", KE_HOACH, LEADER),
    Character("ninhhoa.canbo", "Mai Thị Hằng", NINH_HOA, OFFICER),
    Character("ninhhoa.lanhdao", "Tạ Văn Phúc", NINH_HOA, LEADER),
    Character("thongke.canbo", "Lâm Thị Yến", THONG_KE, OFFICER),
    Character("thongke.lanhdao", "Kiều Văn Thành", THONG_KE, LEADER),
)


def set_up(story: Story) -> None:
    """The tracking goes into use: the programme and the bodies, the demo accounts, the
    story's other people and the grants they hold."""
    reference_data_load(
        sources=reference_sources(), reason="Câu chuyện mẫu: nạp dữ liệu tham chiếu"
    )
    demo_accounts_create()
    for character in CHARACTERS:
        user = User.objects.filter(username=character.username).first()
        if user is None:
            user = user_create(
                username=character.username,
                full_name=character.full_name,
                # Nobody knows it: these people are in the story, not at the keyboard.
                password=secrets.token_urlsafe(32),
                acting_user=None,
                reason="Câu chuyện mẫu",
            )
        membership_grant(
            user=user,
            body=story.body(character.body),
            role=Role.objects.get(code=character.role),
            acting_user=None,
            reason="Câu chuyện mẫu",
        )
    assignment_grants_sync()


def reviewer(story: Story) -> User:
    """The Party Office's reviewer: opens and closes periods, sets deadlines, reviews."""
    return story.member(PARTY_OFFICE, REVIEWER)
