"""What the browser tests need is installed, or the run says so: skipped with the reason on a
developer's machine, a failure in CI, where a run that drove no browser must not pass."""

import pytest
from _pytest.outcomes import Failed, Skipped

from tests.browser import support


@pytest.fixture
def no_browser(monkeypatch, tmp_path):
    monkeypatch.setattr(support, "CHROMIUM", tmp_path / "chromium")


def test_a_missing_browser_fails_in_ci(no_browser, monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(Failed, match=r"cannot run in CI: .*chromium is missing"):
        support.require_browser()


def test_a_missing_browser_skips_with_its_reason_elsewhere(no_browser, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(Skipped, match="apt-get install chromium"):
        support.require_browser()


def test_missing_axe_core_fails_in_ci(monkeypatch, tmp_path):
    monkeypatch.setattr(support, "AXE", tmp_path / "axe.min.js")
    monkeypatch.setattr(support, "CHROMIUM", support.Path("/bin/sh"))
    monkeypatch.setenv("CI", "true")
    with pytest.raises(Failed, match="npm ci"):
        support.require_browser()
