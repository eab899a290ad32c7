"""What organisers type into spreadsheets, made uniform: provinces, legal forms, phones,
ICE numbers and VAT statuses."""

from __future__ import annotations

import re

from pos.core.text import fold

# The provinces of Béni Mellal-Khénifra, as typed in French (with or without accents, any
# case, older spellings) or in Arabic.
PROVINCES = {
    "Béni Mellal": ("beni mellal", "bni mellal", "بني ملال"),
    "Azilal": ("azilal", "أزيلال", "ازيلال"),
    "Fquih Ben Salah": (
        "fquih ben salah",
        "fkih ben saleh",
        "fkih ben salah",
        "fquih ben saleh",
        "الفقيه بن صالح",
    ),
    "Khénifra": ("khenifra", "خنيفرة"),
    "Khouribga": ("khouribga", "خريبكة"),
}
LEGAL_FORMS = {
    "cooperative": ("cooperative", "cooperatives", "تعاونية"),
    "association": ("association", "جمعية"),
    "mutual": ("mutuelle", "mutual", "تعاضدية"),
    "social_enterprise": ("entreprise sociale", "social enterprise", "مقاولة اجتماعية"),
}


def _lookup(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {
        fold(variant): canonical
        for canonical, variants in table.items()
        for variant in (canonical, *variants)
    }


_PROVINCES = _lookup(PROVINCES)
_LEGAL_FORMS = _lookup(LEGAL_FORMS)


def province(text: str) -> str | None:
    return _PROVINCES.get(fold(text))


def legal_form(text: str) -> str | None:
    return _LEGAL_FORMS.get(fold(text))


def phone(text: str) -> str | None:
    """A Moroccan number as +212XXXXXXXXX, or None when it is not one."""
    digits = re.sub(r"[^\d+]", "", text or "")
    if digits.startswith("+212"):
        national = digits[4:]
    elif digits.startswith("00212"):
        national = digits[5:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        return None
    if len(national) != 9 or not national.isdigit() or national[0] not in "5678":
        return None
    return f"+212{national}"


# What a VAT column says, folded: exempt (the default: most cooperatives are) or subject.
VAT_STATUSES = {
    "exempt": (
        "",
        "exempt",
        "exonere",
        "exoneree",
        "non",
        "no",
        "non assujetti",
        "معفى",
        "معفي",
        "لا",
    ),
    "subject": ("subject", "assujetti", "assujettie", "oui", "yes", "خاضع", "خاضعة", "نعم"),
}
_VAT_STATUSES = _lookup(VAT_STATUSES)
_ARABIC_INDIC = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def vat_status(text: str) -> str | None:
    return _VAT_STATUSES.get(fold(text))


def ice(text: str) -> str | None:
    """An ICE as its 15 digits, or None when it is not one. Spaces, dots and dashes typed
    between the digits go; a number the spreadsheet kept as a number lost its leading
    zeros (ICEs often start with 00), which are put back."""
    digits = re.sub(r"[\s.\-]", "", (text or "").translate(_ARABIC_INDIC))
    if digits.endswith(".0"):  # a number cell read as a float
        digits = digits[:-2]
    if not digits.isascii() or not digits.isdigit() or not 13 <= len(digits) <= 15:
        return None
    return digits.zfill(15)
