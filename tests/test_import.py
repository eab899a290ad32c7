"""Importing the organiser's spreadsheet: accents, Arabic, provinces typed three ways."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa

from pos.catalogue.models import Product
from pos.exhibitors.models import Exhibitor
from pos.extensions import db
from tests.support import auth

SAMPLE = Path(__file__).parent / "data" / "exhibitors-sample.csv"


@pytest.fixture
def event_id(client, fair):
    """A new fair with no exhibitor yet."""
    response = client.post(
        "/api/v1/events",
        headers=auth(fair.organiser_token),
        json={
            "name": "Salon de Khénifra",
            "name_ar": "معرض خنيفرة",
            "starts_on": "2026-11-28",
            "ends_on": "2026-12-03",
        },
    )
    return response.json["id"]


def _run(app, path, event_id):
    result = app.test_cli_runner().invoke(
        args=["import", "exhibitors", str(path), "--event", str(event_id)]
    )
    return result.exit_code, result.output


def _spoiled(tmp_path) -> tuple[Path, dict[int, str]]:
    """320 rows made from the sample, six of them spoiled in the ways organisers do."""
    rows = list(csv.reader(io.StringIO(SAMPLE.read_text(encoding="utf-8"))))
    header, body = rows[0], rows[1:]
    out = [header]
    for number in range(320):
        row = list(body[number % len(body)])
        row[0] = f"C{number + 1:03d}"
        out.append(row)
    spoil = {  # spreadsheet row number (header is 1) -> reason expected in the report
        5: ("duplicate", lambda r: r.__setitem__(0, "C001")),
        17: ("name: Missing data for required field.", lambda r: r.__setitem__(1, "")),
        42: ("legal form: unknown", lambda r: r.__setitem__(3, "SARL")),
        99: ("province: unknown", lambda r: r.__setitem__(4, "Marrakech")),
        150: (
            "women members: Cannot exceed members.",
            lambda r: (r.__setitem__(8, "10"), r.__setitem__(9, "12")),
        ),
        321: (
            "product 1: unit price: Must be a decimal string with at most 2 decimals",
            lambda r: r.__setitem__(10, "Miel|عسل|kg|abc"),
        ),
    }
    for number, (_, change) in spoil.items():
        change(out[number - 1])
    path = tmp_path / "exposants.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(out)
    return path, {number: reason for number, (reason, _) in spoil.items()}


def test_the_sample_imports_whole_with_provinces_and_phones_normalised(app, event_id):
    code, output = _run(app, SAMPLE, event_id)
    assert code == 0, output
    assert "40 exhibitor(s) created" in output and "0 row(s) rejected" in output
    with app.app_context():
        mine = sa.select(Exhibitor).where(Exhibitor.event_id == event_id)
        provinces = {e.province for e in db.session.scalars(mine)}
        a02 = db.session.scalar(mine.where(Exhibitor.booth == "A02"))
        saffron = db.session.scalars(
            sa.select(Product)
            .join(Exhibitor)
            .where(Exhibitor.event_id == event_id, Exhibitor.booth == "A19")
            .where(Product.kind == "goods")  # not the booth's deposit product
        ).all()
    assert provinces == {"Béni Mellal", "Azilal", "Fquih Ben Salah", "Khénifra", "Khouribga"}
    assert a02.province == "Khouribga" and a02.phone == "+212708246281"
    assert a02.legal_form == "association" and a02.name_ar == "جمعية البركة – الكسكس"
    assert {(p.name, p.unit, p.unit_price) for p in saffron} == {
        ("Safran 1 g", "piece", 4000),
        ("Safran en filaments", "g", 3500),
    }


def test_importing_again_updates_and_never_duplicates(app, event_id):
    assert _run(app, SAMPLE, event_id)[0] == 0
    code, output = _run(app, SAMPLE, event_id)
    assert code == 0 and "0 exhibitor(s) created, 40 updated" in output
    with app.app_context():
        count = db.session.scalar(
            sa.select(sa.func.count()).select_from(Exhibitor).where(Exhibitor.event_id == event_id)
        )
        products = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Product)
            .join(Exhibitor)
            .where(Exhibitor.event_id == event_id, Product.kind == "goods")
        )
    assert count == 40
    assert products == 68


def test_spoiled_rows_are_reported_by_number_and_the_rest_imported(app, event_id, tmp_path):
    path, spoiled = _spoiled(tmp_path)
    code, output = _run(app, path, event_id)
    assert code == 1
    for number, reason in spoiled.items():
        line = next(line for line in output.splitlines() if line.startswith(f"row {number}:"))
        assert reason in line, (number, line)
    assert f"{320 - len(spoiled)} exhibitor(s) created" in output
    assert sum(line.startswith("row ") for line in output.splitlines()) == len(spoiled)


def test_xlsx_works_like_csv(app, event_id, tmp_path):
    book = openpyxl.Workbook()
    for row in csv.reader(io.StringIO(SAMPLE.read_text(encoding="utf-8"))):
        book.active.append([int(v) if v.isdigit() and len(v) < 5 else v for v in row])
    path = tmp_path / "exposants.xlsx"
    book.save(path)
    code, output = _run(app, path, event_id)
    assert code == 0, output
    assert "40 exhibitor(s) created" in output


def test_an_unreadable_file_is_refused_whole(app, event_id, tmp_path):
    path = tmp_path / "exposants.csv"
    path.write_text("a,b\n1,2\n")
    code, output = _run(app, path, event_id)
    assert code == 1 and "missing columns" in output


ARABIC_HEADER = [
    "رقم الرواق",
    "الاسم بالفرنسية",
    "الاسم بالعربية",
    "الشكل القانوني",
    "الإقليم",
    "القطاع",
    "الرئيس(ة)",
    "الهاتف",
    "عدد الأعضاء",
    "عدد النساء العضوات",
    "المنتوجات",
]
IN_ARABIC = {  # the sample's words as an Arabic-speaking organiser types them
    "Coopérative": "تعاونية",
    "Association": "جمعية",
    "Mutuelle": "تعاضدية",
    "Entreprise sociale": "مقاولة اجتماعية",
    "Poterie": "الفخار",
    "Miel et dérivés": "العسل ومشتقاته",
    "Produits du terroir cuisinés": "المأكولات المجالية المحضرة",
    "Huile d'olive": "زيت الزيتون",
}


def test_a_spreadsheet_all_in_arabic_imports_like_the_french_one(app, event_id, tmp_path):
    rows = list(csv.reader(io.StringIO(SAMPLE.read_text(encoding="utf-8"))))
    arabic = [ARABIC_HEADER]
    for row in rows[1:]:
        row = list(row)
        for column in (3, 5):  # legal form, sector
            row[column] = IN_ARABIC.get(row[column], row[column])
        arabic.append(row)
    assert any(row[5] == "الفخار" for row in arabic)
    path = tmp_path / "العارضون.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(arabic)
    code, output = _run(app, path, event_id)
    assert code == 0, output
    assert "40 exhibitor(s) created" in output and "0 row(s) rejected" in output
    with app.app_context():
        mine = sa.select(Exhibitor).where(Exhibitor.event_id == event_id)
        sectors = {e.sector for e in db.session.scalars(mine)}
        forms = {e.legal_form for e in db.session.scalars(mine)}
    # Stored as the same keys as a French file gives: one fair, one set of figures.
    french = {row[5] for row in rows[1:]}
    assert sectors == french and "الفخار" not in sectors
    assert forms == {"cooperative", "association", "mutual", "social_enterprise"}


def test_ice_and_vat_columns_are_read_as_organisers_type_them(app, event_id, tmp_path):
    header = SAMPLE.read_text(encoding="utf-8").splitlines()[0]
    rows = [
        # An ICE kept as a number by the spreadsheet lost its two leading zeros.
        "B01,Coop Un,تعاونية واحد,Coopérative,Azilal,Miel,,,10,5,,1234567000089,Assujettie",
        "B02,Coop Deux,تعاونية اثنان,Coopérative,Azilal,Miel,,,10,5,,002 345 678 000 012,",
        "B03,Coop Trois,تعاونية ثلاثة,Coopérative,Azilal,Miel,,,10,5,,,معفى",
        "B04,Coop Quatre,تعاونية أربعة,Coopérative,Azilal,Miel,,,10,5,,12345,peut-être",
    ]
    path = tmp_path / "ice.csv"
    path.write_text("\n".join([f"{header},ICE,TVA", *rows]) + "\n", encoding="utf-8")
    code, output = _run(app, path, event_id)
    assert code != 0 and "1 row(s) rejected" in output, output
    assert "row 5: ICE: not 15 digits ('12345'); VAT: say exempt or subject" in output
    with app.app_context():
        found = {
            e.booth: (e.ice, e.vat)
            for e in db.session.scalars(sa.select(Exhibitor).where(Exhibitor.event_id == event_id))
        }
    assert found == {
        "B01": ("001234567000089", "subject"),
        "B02": ("002345678000012", "exempt"),
        "B03": (None, "exempt"),
    }
