"""Reading an organiser's exhibitor spreadsheet (CSV or XLSX) into checked rows.

Row numbers are the spreadsheet's own: the header is row 1. Every problem of a
row is reported with its number; good rows go on. What organisers type is made uniform
here (provinces typed three ways, phones, counts kept as numbers, a decimal comma), then
checked by the API's own schemas, in their words.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from marshmallow import Schema, ValidationError
from openpyxl import load_workbook

from pos.catalogue.schemas import ProductInSchema
from pos.core import labels
from pos.core.errors import flatten_errors
from pos.core.messages import N_, field_problem
from pos.core.requests import has_control_character
from pos.exhibitors.schemas import ExhibitorInSchema
from pos.imports import normalise

_HEADER_NAMES = {  # field: the headers organisers' files give it, in French, English, Arabic
    "booth": ("N° stand", "stand", "booth", "رقم الرواق", "الرواق", "رقم الجناح"),
    "name": ("nom", "name", "الاسم بالفرنسية", "الاسم بالحروف اللاتينية"),
    "name_ar": ("الاسم", "name ar", "nom arabe", "الاسم بالعربية"),
    "legal_form": ("forme juridique", "legal form", "الشكل القانوني", "الصفة القانونية"),
    "province": ("province", "الإقليم", "الاقليم"),
    "sector": ("filière", "secteur", "sector", "القطاع", "الشعبة", "النشاط"),
    "president": ("président(e)", "presidente", "president", "الرئيس", "الرئيسة", "الرئيس(ة)"),
    "phone": ("téléphone", "phone", "الهاتف", "رقم الهاتف"),
    "members": ("membres", "members", "الأعضاء", "عدد الأعضاء", "عدد المنخرطين"),
    "women_members": (
        "femmes membres",
        "women members",
        "النساء",
        "عدد النساء",
        "العضوات",
        "عدد العضوات",
        "النساء العضوات",
        "عدد النساء العضوات",
    ),
    "products": ("produits", "products", "المنتوجات", "المنتجات"),
    "ice": ("ice", "n° ice", "identifiant commun de l'entreprise", "المعرف الموحد للمقاولة"),
    "address": ("adresse", "ville", "address", "town", "العنوان", "المدينة", "المقر"),
    "vat": ("tva", "vat", "assujetti à la tva", "régime de tva", "الضريبة على القيمة المضافة"),
}


REQUIRED = ("booth", "name", "name_ar", "legal_form", "province", "sector")
_EXHIBITOR, _PRODUCT = ExhibitorInSchema(), ProductInSchema()


class SpreadsheetError(ValueError):
    """The file itself cannot be read (not the rows in it)."""


@dataclass
class Row:
    number: int
    booth: str = ""
    exhibitor: dict = field(default_factory=dict)
    products: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _fold_header(text: str) -> str:
    return re.sub(r"[^\w\s]", "", normalise.fold(str(text or ""))).strip()


HEADERS = {  # folded header -> field
    _fold_header(header): field_name
    for field_name, headers in _HEADER_NAMES.items()
    for header in headers
}


# A fair has hundreds of exhibitors, not tens of thousands: anything larger is refused
# before it is read, so that a small crafted file cannot hold a worker for minutes.
MAX_ROWS = 5_000
MAX_COLUMNS = 50
MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024  # all the parts of an XLSX, inflated
MAX_CSV_FIELD = 10_000


def _xlsx_rows(data: bytes) -> list[list[str]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile as error:
        raise SpreadsheetError(N_("not a readable XLSX file")) from error
    if inflated > MAX_UNCOMPRESSED_BYTES:
        raise SpreadsheetError(
            N_(
                "the XLSX file unpacks to %(size)s MB, more than the %(limit)s MB a list of "
                "exhibitors needs",
                size=inflated // 2**20,
                limit=MAX_UNCOMPRESSED_BYTES // 2**20,
            )
        )
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        # The file's own <dimension> may claim a million rows of 16,384 columns: read the
        # cells that are there instead.
        sheet.reset_dimensions()
        rows = []
        for row in sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True):
            rows.append(["" if cell is None else str(cell) for cell in row])
            _check_size(rows)
    except SpreadsheetError:
        raise
    except Exception as error:
        raise SpreadsheetError(N_("not a readable XLSX file")) from error
    return rows


def _csv_rows(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SpreadsheetError(N_("the CSV file is not UTF-8")) from error
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel  # one column, or too little to tell: commas
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text), dialect):
            if any(len(value) > MAX_CSV_FIELD for value in row):
                raise SpreadsheetError(
                    N_(
                        "row %(row)s has a cell longer than %(limit)s characters",
                        row=len(rows) + 1,
                        limit=MAX_CSV_FIELD,
                    )
                )
            rows.append(row)
            _check_size(rows)
    except csv.Error as error:
        raise SpreadsheetError(N_("not a readable CSV file")) from error
    return rows


def _check_size(rows: list[list[str]]) -> None:
    if len(rows) > MAX_ROWS + 1:
        raise SpreadsheetError(N_("more than %(limit)s rows; split the file", limit=MAX_ROWS))
    if len(rows[-1]) > MAX_COLUMNS and any(str(v).strip() for v in rows[-1][MAX_COLUMNS:]):
        raise SpreadsheetError(
            N_("row %(row)s has more than %(limit)s columns", row=len(rows), limit=MAX_COLUMNS)
        )


def read_table(filename: str, data: bytes) -> list[list[str]]:
    """The file's rows as text, or ``SpreadsheetError`` saying why it cannot be read."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        return _xlsx_rows(data)
    if suffix == ".csv":
        return _csv_rows(data)
    raise SpreadsheetError(N_("send a .csv or .xlsx file"))


def _count(text: str, name: str, row: Row) -> int | None:
    """A count as a spreadsheet keeps it ("12", or "12.0" from a number cell)."""
    text = str(text).strip()
    if not text:
        return None
    if not re.fullmatch(r"\d+(\.0+)?", text):
        row.errors.append(N_("%(column)s: not a whole number (%(value)r)", column=name, value=text))
        return None
    return int(text.split(".")[0])


def _checked(schema: Schema, data: dict, row: Row, *, read_badly=(), product=None) -> dict:
    """``data`` checked by the API's own schema, its problems the row's (but for fields
    already reported as unreadable, ``read_badly``); the values loaded for the keys the
    file gave, so that a default never overwrites what an exhibitor set by hand."""
    try:
        loaded = schema.load(data)
    except ValidationError as error:
        for key, problems in flatten_errors(error.messages).items():
            if key in read_badly:
                continue
            for problem in problems:
                said = field_problem(key, problem)
                if product is not None:
                    said = N_("product %(number)s: %(problem)s", number=product, problem=said)
                row.errors.append(said)
        return {}
    return {key: loaded[key] for key in data}


def _products(text: str, row: Row) -> list[dict]:
    """``name|name_ar|unit|price; ...``: each checked as the API checks a new product."""
    products = []
    for index, item in enumerate(filter(None, (part.strip() for part in text.split(";"))), 1):
        parts = [part.strip() for part in item.split("|")]
        if len(parts) != 4:
            row.errors.append(
                N_("product %(number)s: expected name|name_ar|unit|price", number=index)
            )
            continue
        given = dict(zip(("name", "name_ar", "unit", "unit_price"), parts, strict=True))
        given["unit"] = given["unit"].lower()
        given["unit_price"] = given["unit_price"].replace(",", ".")  # a French decimal comma
        product = _checked(_PRODUCT, _without_blanks(given), row, product=index)
        if product:
            products.append(product)
    return products


def _without_blanks(data: dict) -> dict:
    """A blank cell is a missing value: the schema says so in its words."""
    return {key: value for key, value in data.items() if value not in ("", None)}


def _taxes(raw: dict, columns: list, row: Row) -> tuple[dict, set[str]]:
    """The ICE and VAT status, from the columns the file has (a file without them leaves
    what the exhibitors have as it is); and which of them could not be read."""
    found: dict[str, str | None] = {}
    read_badly = set()
    if "ice" in columns:
        found["ice"] = normalise.ice(raw["ice"]) if raw.get("ice") else None
        if raw.get("ice") and found["ice"] is None:
            row.errors.append(N_("ICE: not 15 digits (%(value)r)", value=raw["ice"]))
            read_badly.add("ice")
    if "vat" in columns:
        found["vat"] = normalise.vat_status(raw.get("vat", ""))
        if found["vat"] is None:
            row.errors.append(
                N_("VAT: say exempt or subject (%(value)r)", value=raw.get("vat", ""))
            )
            read_badly.add("vat")
    return found, read_badly


def _read_row(number: int, header: list[str], values: list, columns: list) -> Row:
    """One exhibitor's row: what organisers type made uniform (``normalise``), then
    checked as the API checks an exhibitor."""
    raw = {
        column: str(value).strip() for column, value in zip(columns, values, strict=False) if column
    }
    row = Row(number, booth=raw.get("booth", "").upper())
    for name, value in zip(header, values, strict=False):
        if has_control_character(str(value)):
            row.errors.append(N_("%(column)s: contains a control character", column=name))
    read_badly: set[str] = set()
    legal_form = normalise.legal_form(raw.get("legal_form", ""))
    if legal_form is None and raw.get("legal_form"):
        row.errors.append(N_("legal form: unknown (%(value)r)", value=raw["legal_form"]))
        read_badly.add("legal_form")
    province = normalise.province(raw.get("province", ""))
    if province is None and raw.get("province"):
        row.errors.append(N_("province: unknown (%(value)r)", value=raw["province"]))
        read_badly.add("province")
    phone = None
    if raw.get("phone"):
        phone = normalise.phone(raw["phone"])
        if phone is None:
            row.errors.append(N_("phone: not a Moroccan number (%(value)r)", value=raw["phone"]))
            read_badly.add("phone")
    taxes, unreadable_taxes = _taxes(raw, columns, row)
    given = {
        **_without_blanks(
            {
                "booth": row.booth,
                "name": raw.get("name"),
                "name_ar": raw.get("name_ar"),
                "legal_form": legal_form,
                "province": province,
                "sector": labels.key_for(labels.SECTORS, raw.get("sector", "")),
            }
        ),
        "president": raw.get("president") or None,
        "phone": phone,
        "members": _count(raw.get("members", ""), "members", row),
        "women_members": _count(raw.get("women_members", ""), "women members", row),
        **taxes,
        # A file without the column leaves the exhibitors' addresses as they are.
        **({"address": raw.get("address") or None} if "address" in columns else {}),
    }
    row.exhibitor = _checked(_EXHIBITOR, given, row, read_badly=read_badly | unreadable_taxes)
    row.products = _products(raw.get("products", ""), row)
    return row


def parse(filename: str, data: bytes) -> list[Row]:
    table = read_table(filename, data)
    if not table:
        raise SpreadsheetError(N_("the file is empty"))
    columns = [HEADERS.get(_fold_header(header)) for header in table[0]]
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise SpreadsheetError(N_("missing columns: %(columns)s", columns=", ".join(missing)))
    rows: list[Row] = []
    seen_booths: dict[str, int] = {}
    for number, values in enumerate(table[1:], start=2):
        if not any(str(value).strip() for value in values):
            continue
        row = _read_row(number, table[0], values, columns)
        booth = row.booth
        if booth in seen_booths:
            row.errors.append(
                N_("booth %(booth)s: duplicate of row %(row)s", booth=booth, row=seen_booths[booth])
            )
        elif booth:
            seen_booths[booth] = number
        rows.append(row)
    return rows
