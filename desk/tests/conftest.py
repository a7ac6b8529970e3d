import pytest
import time_machine

from .support import BUILT_ON, build_world


@pytest.fixture(autouse=True)
def clock():
    """25/11/2026, 9:00 in Khánh Hòa, before anyone is made a member: memberships start on
    the day they are made."""
    with time_machine.travel(BUILT_ON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(cast, clock):
    return build_world(cast, clock)
