"""Every string of the pages is in the catalogs, translated, and compiled."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "pos" / "translations"


def test_catalogs_hold_every_string_translated_and_compiled(tmp_path):
    template = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "--no-location",
            "-o",
            str(template),
            str(ROOT / "pos"),
        ],
        check=True,
        capture_output=True,
    )
    with template.open("rb") as handle:
        wanted = {message.id for message in read_po(handle) if message.id}
    assert len(wanted) > 50
    for language in ("ar", "fr", "en"):
        folder = TRANSLATIONS / language / "LC_MESSAGES"
        with (folder / "messages.po").open("rb") as handle:
            catalog = read_po(handle)
        translated = {_key(m.id): _key(m.string) for m in catalog if m.id}
        assert {_key(msgid) for msgid in wanted} <= set(translated), language
        for msgid in wanted:
            # Every form of a plural entry (six in Arabic) is written.
            forms = translated[_key(msgid)]
            assert all(forms) if isinstance(forms, tuple) else forms, (language, msgid)
        with (folder / "messages.mo").open("rb") as handle:
            compiled = {_key(m.id): _key(m.string) for m in read_mo(handle) if m.id}
        assert compiled == translated, f"{language}: run `make translations`"


def _key(value):
    """A plural entry's ids or forms (a tuple in a .po, a list in a .mo) as a tuple."""
    return tuple(value) if isinstance(value, (list, tuple)) else value


def _catalog(language: str) -> dict:
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id and not m.fuzzy}


def _forms(string) -> list[str]:
    return list(string) if isinstance(string, tuple) else [string]


# Masculine imperatives: many sellers are women, and Moroccan Arabic asks politely with
# المرجو and a verbal noun ("المرجو اختيار…", not "اختر…").
IMPERATIVES = re.compile(
    r"(^|[:،؛.]\s*)(اختر|افتح|المس|اكتب|ثبّت|ثبت|تحقّق|تحقق من|اجعل|اطبع|أدخل|ادخل|اضغط|اطلب)\s"
)
# One word each for receipt (وصل), print (طباعة), pair (ربط), cash paid (المبلغ المدفوع).
OTHER_WORDS = re.compile(r"إيصال|الإيصال|الطبع|طبع تجريبي|مقرون|المستلم|مبلغ مسلم|غير مصادق")


def test_arabic_asks_politely_and_says_each_thing_one_way():
    catalog = _catalog("ar")
    found = {
        msgid: form
        for msgid, string in catalog.items()
        for form in _forms(string)
        if IMPERATIVES.search(form) or OTHER_WORDS.search(form)
    }
    assert found == {}
    assert IMPERATIVES.search("افتح الإعدادات") and IMPERATIVES.search("شهادة: اختر ملفا")
    assert not IMPERATIVES.search("المرجو فتح الإعدادات")


def test_french_punctuation_keeps_to_its_word():
    """A no-break space before « : ; ? ! », inside « », and in grouped numbers: a colon never
    wraps onto a line of its own."""
    catalog = _catalog("fr")
    loose = re.compile(r" [:;?!»]|« |\d \d{3}|\d DH")
    found = {
        msgid: form
        for msgid, string in catalog.items()
        for form in _forms(string)
        if loose.search(form)
    }
    assert found == {}
    assert catalog[": "] == "\u00a0: "
