"""The Vietnamese catalogue: complete, not fuzzy, and compiled from its current source."""

import re
from pathlib import Path

import polib
from django.conf import settings
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%(?:\([a-z_]+\))?[sd]")


def messages(catalogue) -> dict:
    return {
        (entry.msgctxt, entry.msgid, entry.msgid_plural): (
            entry.msgstr,
            tuple(sorted((int(k), v) for k, v in entry.msgstr_plural.items())),
        )
        for entry in catalogue
        if entry.msgid and not entry.obsolete
    }


def test_it_translates_every_entry():
    po = polib.pofile(CATALOGUE / "django.po")

    assert [entry.msgid for entry in po.untranslated_entries()] == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []
    assert not po.metadata_is_fuzzy
    assert po.metadata["Language"] == "vi"
    assert po.metadata["Plural-Forms"] == "nplurals=1; plural=0;"


def test_it_keeps_every_placeholder_of_the_english():
    po = polib.pofile(CATALOGUE / "django.po")

    for entry in po.translated_entries():
        translations = list(entry.msgstr_plural.values()) or [entry.msgstr]
        for text in translations:
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(entry.msgid)), (
                entry.msgid
            )


def test_the_compiled_catalogue_matches_its_source():
    po = polib.pofile(CATALOGUE / "django.po")
    mo = polib.mofile(CATALOGUE / "django.mo")

    assert messages(mo) == messages(po)


def test_django_serves_the_translations():
    with translation.override("vi"):
        assert translation.gettext("Lead") == "Chủ trì"
        assert translation.gettext("Implement locally") == "Triển khai tại địa phương"
        assert translation.gettext("bullet %(number)s") % {"number": 2} == "gạch đầu dòng thứ 2"
