"""An exhibitor spreadsheet is read within bounds: a small crafted file (a declared sheet of a
million rows, a deflate bomb, a CSV no sniffer can read) is refused fast with a clear
message, or read for what it really holds; never a 500, never minutes of a worker."""

from __future__ import annotations

import csv
import io
import re
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from pos.imports.spreadsheet import MAX_ROWS, SpreadsheetError, parse, read_table

HEADER = ["Stand", "Nom", "الاسم", "Forme juridique", "Province", "Filière"]
ROW = ["A01", "Coopérative Imilchil", "تعاونية إملشيل", "Coopérative", "Khénifra", "Miel"]


def _xlsx(rows: list[list[str]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rewrite_sheet(data: bytes, change) -> bytes:
    """The same XLSX with its first sheet's XML changed by ``change``."""
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = change(content.decode()).encode()
            out.writestr(item.filename, content)
    return target.getvalue()


@pytest.mark.parametrize("dimension", ["A1:XFD8000", "A1:XFD1048576"])
def test_a_declared_sheet_of_millions_of_cells_is_read_for_what_it_holds(dimension):
    data = _rewrite_sheet(
        _xlsx([HEADER, ROW]),
        lambda xml: re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>', xml),
    )
    assert len(data) < 10_000
    tracemalloc.start()
    try:
        table = read_table("bomb.xlsx", data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [row[:6] for row in table] == [HEADER, ROW]
    assert peak < 30 * 2**20, f"{peak / 2**20:.0f} MiB to read a 2-row sheet"


def test_a_deflate_bomb_is_refused_before_it_is_read():
    def inflate(xml: str) -> str:
        padding = " " * (25 * 2**20)  # compresses to a few kilobytes
        return xml.replace("<sheetData>", f"<sheetData>{padding}", 1)

    data = _rewrite_sheet(_xlsx([HEADER, ROW]), inflate)
    assert len(data) < 200_000
    with pytest.raises(SpreadsheetError, match="unpacks to"):
        read_table("bomb.xlsx", data)


def test_more_rows_than_a_fair_has_are_refused():
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>B{n}</t></is></c></row>'
        for n in range(2, MAX_ROWS + 10)
    )
    data = _rewrite_sheet(
        _xlsx([HEADER, ROW]), lambda xml: xml.replace("</sheetData>", rows + "</sheetData>", 1)
    )
    with pytest.raises(SpreadsheetError, match=f"more than {MAX_ROWS} rows"):
        read_table("many.xlsx", data)
    csv_rows = "\n".join(",".join(ROW) for _ in range(MAX_ROWS + 5))
    with pytest.raises(SpreadsheetError, match=f"more than {MAX_ROWS} rows"):
        read_table("many.csv", (",".join(HEADER) + "\n" + csv_rows).encode())


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"hello\nworld", "missing columns"),
        (b'"""\n"', "not a readable CSV file|missing columns"),
        (b"Stand," + b"x" * 200_000 + b"\nA01,b\n", "not a readable CSV file|longer than"),
        (b"Stand," + b"x" * 20_000 + b"\nA01,b\n", "longer than"),
        (b"\xff\xfe\x00", "not UTF-8"),
    ],
)
def test_a_csv_no_sniffer_can_read_is_a_clear_refusal(content, message):
    with pytest.raises(SpreadsheetError, match=message):
        parse("exposants.csv", content)


def test_control_characters_in_cells_reject_the_row():
    lines = [HEADER, ["A01", "Coop\x07", *ROW[2:]], ["A02", *ROW[1:]]]
    rows = parse("exposants.csv", "\n".join(",".join(line) for line in lines).encode())
    assert [row.number for row in rows if row.errors] == [2]
    assert "control character" in rows[0].errors[0]
    assert rows[1].errors == []


def test_a_row_is_checked_by_the_apis_rules_and_never_cut_to_fit():
    """Too long for the API is refused, not shortened: a name cut at 200 characters would
    print on receipts as nobody wrote it."""
    long_name = "Coopérative " + "x" * 190
    header = [*HEADER, "Produits"]
    lines = [
        header,
        ["A01", long_name, *ROW[2:], ""],
        ["A02", *ROW[1:], "Miel|عسل|litre|40"],
        ["A03", *ROW[1:], "Miel|عسل|kg|40,50"],  # a French decimal comma, in a quoted cell
    ]
    text = io.StringIO()
    csv.writer(text).writerows(lines)
    rows = parse("exposants.csv", text.getvalue().encode())
    assert rows[0].errors == ["name: Length must be between 1 and 200."]
    assert rows[1].errors == ["product 1: unit: Must be one of: piece, kg, g, l."]
    assert rows[2].errors == [] and rows[2].products == [
        {"name": "Miel", "name_ar": "عسل", "unit": "kg", "unit_price": 4050}
    ]


def test_the_import_page_refuses_a_bomb_with_a_message(client, fair):
    from tests.test_setup_pages import _csrf, _signed_in

    _signed_in(client)
    token = _csrf(client, f"/setup/import?event={fair.event_id}")
    data = _rewrite_sheet(
        _xlsx([HEADER, ROW]),
        lambda xml: xml.replace("<sheetData>", "<sheetData>" + " " * (25 * 2**20), 1),
    )
    response = client.post(
        f"/setup/import?event={fair.event_id}",
        data={"csrf_token": token, "file": (io.BytesIO(data), "exposants.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "décompressé fait 25 Mo" in response.get_data(as_text=True)  # in the page's French


def test_a_list_looked_up_outside_the_app_still_knows_its_words_inside(app):
    """Without the app there are no catalogs to read: what is found then (the keys alone)
    must not stand for the list's words afterwards, in the app, where an Arabic sector is
    stored as its key."""
    from pos.core import labels

    sectors = dict(labels.SECTORS)  # a list not yet looked up in this process
    assert labels.key_for(sectors, "الفخار") == "الفخار"
    with app.app_context():
        assert labels.key_for(sectors, "الفخار") == "Poterie"
