"""Helpers of the browser tests: the browser and axe-core they need, signing in and out as
a person does, reading the page in Vietnamese, axe-core's verdict on a page, screenshots."""

import os
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from conftest import PASSWORD

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"
# Generous: a loaded two-core machine renders the first page of a run slowly.
TIMEOUT_MS = 15_000
VIEWPORT = {"width": 1280, "height": 900}


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _missing_requirement() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing: run `apt-get install chromium` (make test does, as root)"
    if not AXE.exists():
        return f"{AXE} is missing: run `npm ci` (make test does)"
    return None


def require_browser() -> None:
    """Fail, saying what to install, when the browser or axe-core is missing: a run that drove
    no browser proves nothing (`make test` installs both)."""
    missing = _missing_requirement()
    if missing is None:
        return
    where = "in CI" if in_ci() else "here"
    pytest.fail(f"The browser tests cannot run {where}: {missing}", pytrace=False)


def vi(message: str) -> str:
    """A UI string as a Vietnamese reader sees it: the tests are written in English, the pages
    are in Vietnamese."""
    with translation.override("vi"):
        return gettext(message) if isinstance(message, str) else str(message)


def sign_in(page, user, *, expect_home: bool = True) -> None:
    """Sign in through the sign-in page, as a person does."""
    from playwright.sync_api import expect

    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", level=1, name=vi("Sign in"))).to_be_visible()
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.sign-in__form").get_by_role("button", name=vi("Sign in")).click()
    if expect_home:
        expect(page.locator(".site-user__name")).to_have_text(user.display_name)


def sign_out(page) -> None:
    from playwright.sync_api import expect

    page.get_by_role("button", name=vi("Sign out")).click()
    expect(page.get_by_role("heading", level=1, name=vi("Sign in"))).to_be_visible()
    expect(page.locator(".site-user__name")).to_have_count(0)


# axe-core's rules of WCAG 2.1 A and AA and its best practices; what a test fails on is the
# impact: serious or critical.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    }
}
FAILING_IMPACTS = {"serious", "critical"}


def axe_violations(page) -> list[dict]:
    """axe-core's serious and critical violations on the page as it stands. The page must come
    from a context opened with axe=True: axe is added there as an init script, which the pages'
    Content-Security-Policy (no inline script) does not block, as it would a script tag."""
    assert page.evaluate("() => typeof window.axe !== 'undefined'"), (
        "open the context with axe=True"
    )
    result = page.evaluate("options => window.axe.run(document, options)", AXE_OPTIONS)
    return [
        {
            "rule": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
        if violation["impact"] in FAILING_IMPACTS
    ]


def screenshot(page, name: str) -> None:
    """The page as it looks now, 1280 px wide, for the README's visual tour."""
    from PIL import Image

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # A 128-colour palette keeps each file small for the repository; text stays crisp.
    image = Image.open(BytesIO(page.screenshot(full_page=False))).convert("RGB")
    image.quantize(colors=128).save(SCREENSHOTS / f"{name}.png", optimize=True)
