"""What the browser tests need is installed, or the run fails saying what to install: a run
that drove no browser must not pass, in CI or anywhere else."""

import pytest
from _pytest.outcomes import Failed

from tests.browser import support


@pytest.fixture
def no_browser(monkeypatch, tmp_path):
    monkeypatch.setattr(support, "CHROMIUM", tmp_path / "chromium")


def test_a_missing_browser_fails_in_ci(no_browser, monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(Failed, match=r"cannot run in CI: .*chromium is missing"):
        support.require_browser()


def test_a_missing_browser_fails_with_its_reason_elsewhere(no_browser, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(Failed, match="apt-get install chromium"):
        support.require_browser()


def test_missing_axe_core_fails_in_ci(monkeypatch, tmp_path):
    monkeypatch.setattr(support, "AXE", tmp_path / "axe.min.js")
    monkeypatch.setattr(support, "CHROMIUM", support.Path("/bin/sh"))
    monkeypatch.setenv("CI", "true")
    with pytest.raises(Failed, match="npm ci"):
        support.require_browser()
