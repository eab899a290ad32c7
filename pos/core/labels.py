"""The words of the fair's fixed lists, one source for pages, till, receipts, PDFs and exports.

Stored values stay keys (``cash``, ``kg``, ``cooperative``; a province or a sector as the
organiser's file names it in French); what is shown is their catalog entry, in the page's
language or, for a bilingual receipt, in French and in Arabic. Numbers are written the way
each language writes them (``61 844 591,25`` in French).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal
from flask import has_app_context
from flask_babel import force_locale, get_locale, gettext

from pos.core.messages import N_
from pos.core.text import fold

PAYMENT_METHODS = {
    "cash": N_("Cash"),
    "card": N_("Card"),
    "mobile": N_("Mobile payment"),
    "transfer": N_("Transfer"),
    "cheque": N_("Cheque"),
}
# A unit as written after a number ("0.5 kg"); a piece is a count and needs no word.
UNITS = {"piece": N_("piece"), "kg": N_("kg"), "g": N_("g"), "l": N_("l")}
LEGAL_FORMS = {
    "cooperative": N_("Cooperative"),
    "association": N_("Association"),
    "mutual": N_("Mutual"),
    "social_enterprise": N_("Social enterprise"),
}
# Provinces and sectors are stored as the organiser's files name them in French; their
# entries translate that name (an unknown sector is shown as it was typed).
PROVINCES = {
    name: name
    for name in (
        N_("Béni Mellal"),
        N_("Azilal"),
        N_("Fquih Ben Salah"),
        N_("Khénifra"),
        N_("Khouribga"),
    )
}
SECTORS = {
    name: name
    for name in (
        N_("Miel et dérivés"),
        N_("Safran"),
        N_("Huile d'olive"),
        N_("Couscous"),
        N_("Plantes aromatiques et médicinales"),
        N_("Produits du terroir cuisinés"),
        N_("Tapis"),
        N_("Tissage traditionnel"),
        N_("Broderie et couture"),
        N_("Poterie"),
        N_("Dinanderie"),
        N_("Sculpture sur bois"),
        N_("Sellerie"),
        N_("Marbre"),
    )
}
CONTACT_KINDS = {
    "shop": N_("Shop"),
    "hotel": N_("Hotel"),
    "restaurant": N_("Restaurant"),
    "exporter": N_("Exporter"),
    "wholesaler": N_("Wholesaler"),
    "other": N_("Other contact"),
}
CURRENCY = N_("DH")
RECEIPT_LANGUAGES = ("fr", "ar")  # a printed receipt says everything in both


def label(table: Mapping[Any, str], key: str | None) -> str:
    """``key``'s words in the current language; a key the list does not know, as it is."""
    if key is None:
        return ""
    entry = table.get(key)
    return gettext(entry) if entry is not None else key


def key_for(table: Mapping[Any, str], text: str) -> str:
    """The key whose words, in any of the app's languages, ``text`` is (accents, case and
    Arabic vowel marks aside): "الفخار" -> "Poterie"; text that names none, as typed."""
    return _words_index(table).get(fold(text), text.strip())


_INDEXES: dict[int, dict[str, str]] = {}


def _words_index(table: Mapping[Any, str]) -> dict[str, str]:
    """{folded words in any language: key} for one of the lists above, made once (the
    catalogs do not change while the app runs): an import looks up every row in it."""
    if not has_app_context():  # no catalogs to read: the keys alone, and nothing kept
        return {fold(key): key for key in table}
    index = _INDEXES.get(id(table))
    if index is None:
        index = {}
        for code in ("en", "ar", "fr"):  # French last: it wins where two languages agree
            with force_locale(code):
                index.update({fold(gettext(entry)): key for key, entry in table.items()})
        index.update({fold(key): key for key in table})
        _INDEXES[id(table)] = index
    return index


def in_every_language(table: dict[str, str], keys) -> dict[str, str]:
    """{key: its words in all the app's languages, joined}: what a search matches."""
    words = {key: [key] for key in keys}
    for code in ("fr", "ar", "en"):
        with force_locale(code):
            for key in words:
                words[key].append(label(table, key))
    return {key: " ".join(found) for key, found in words.items()}


def method(key: str) -> str:
    return label(PAYMENT_METHODS, key)


def unit(key: str) -> str:
    return label(UNITS, key)


def legal_form(key: str) -> str:
    return label(LEGAL_FORMS, key)


def province(key: str) -> str:
    return label(PROVINCES, key)


def sector(key: str) -> str:
    return label(SECTORS, key)


def contact_kind(key: str) -> str:
    return label(CONTACT_KINDS, key)


def currency() -> str:
    return gettext(CURRENCY)


@contextmanager
def language(code: str) -> Iterator[None]:
    """Words and numbers in ``code`` for the block (a report asked with ``?lang=``)."""
    with force_locale(code):
        yield


# Numbers and dates as each language writes them in Morocco: "125.300,00" and "29 نونبر 2026"
# in Arabic (not the Eastern "125,300.00" and "نوفمبر"), a 24-hour clock.
_LOCALES = {"ar": "ar_MA", "fr": "fr_MA", "en": "en"}


def _locale() -> str:
    return _LOCALES.get(current_language(), "fr")


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "fr"


def number(value, decimals: int = 0) -> str:
    """``value`` (a Decimal, an int or a decimal string) grouped the language's way."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(Decimal(value), format=pattern, locale=_locale())


def amount(text: str) -> str:
    """A money string ("61844591.25") as the language writes it ("61 844 591,25")."""
    return number(text, 2)


def amount_with_currency(text: str) -> str:
    return f"{amount(text)}\u00a0{currency()}"  # never a line between the two


def quantity(text: str, unit_key: str) -> str:
    """A quantity string ("2.000", "0.250") with its unit: "2" pieces, "0,25 kg"."""
    whole, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    if unit_key == "piece":
        return number(int(whole)) if not fraction else number(text, len(fraction))
    shown = number(text, len(fraction)) if fraction else number(int(whole))
    return f"{shown} {unit(unit_key)}"


def method_names() -> dict[str, str]:
    return {key: method(key) for key in PAYMENT_METHODS}


# A number of each CLDR plural category (Arabic has all six), to ask the catalog for the form
# a page's script then picks with Intl.PluralRules.
_PLURAL_SAMPLES = {"zero": 0, "one": 1, "two": 2, "few": 3, "many": 11, "other": 100}


def plural_forms(singular: str, plural: str) -> dict[str, str]:
    """{CLDR category: the catalog's form for it, with ``%(num)s`` left for the script}."""
    from flask_babel import ngettext

    rule = Locale.parse(current_language()).plural_form
    return {
        category: ngettext(singular, plural, sample).replace(str(sample), "%(num)s")
        for category, sample in _PLURAL_SAMPLES.items()
        if rule(sample) == category
    }


def day(value) -> str:
    """A date (or its ISO string) written out: "29 novembre 2026"."""
    from datetime import date

    if isinstance(value, str):
        value = date.fromisoformat(value)
    return format_date(value, "long", locale=_locale())


def name_of(row: dict, key: str = "name") -> str:
    """A name given in both languages (``name`` and ``name_ar``), in the current one."""
    arabic = row.get(f"{key}_ar")
    return arabic if current_language() == "ar" and arabic else row[key]


def share(text: str | None) -> str:
    """A percentage string ("55.6") the language's way ("55,6 %"); a dash when unknown."""
    if text is None:
        return "—"
    return f"{number(text, 1)}\u202f%"
