"""The code page French prints in comes from the printer's profile: every profile
python-escpos lists prints a receipt, accents right where the printer has them."""

from __future__ import annotations

import logging

import pytest

from pos.receipts import worker
from printers.decode import decode
from printers.emulator import PrinterEmulator
from printers.profiles import best_code_page, code_pages, known_profiles
from printers.render import PAPERS, render_receipt
from tests.printing_support import put_printer, typical_receipt
from tests.support import post_sale, simple_sale


@pytest.fixture(autouse=True)
def _quiet_profiles():
    # python-escpos warns, for profiles that give no paper width, at every centred image.
    logging.getLogger("escpos").setLevel(logging.ERROR)


@pytest.mark.parametrize("profile", sorted(known_profiles()))
def test_every_profile_prints_the_typical_receipt(profile):
    page = best_code_page(profile)
    for paper in (58, 80):
        [printed] = decode(
            render_receipt(typical_receipt(), paper, profile),
            PAPERS[paper].dots,
            code_pages(profile),
        )
        # Joined: a printer of a few columns (a customer display) wraps every word.
        text = "".join(printed.text_lines)
        assert printed.cut and "A01-000042" in text
        expected = "Béni" if page != "ASCII" else "Beni"
        assert expected in text, (profile, page, text[:200])


def test_the_choice_follows_the_profile():
    assert best_code_page("TM-T20II") == "CP858"
    assert best_code_page("ZJ-5870") == "CP850"  # a common cheap 58 mm printer: no CP858
    assert best_code_page("simple") == "ASCII"


def test_a_zj_5870_booth_gets_its_receipts_with_their_accents(app, client, fair, tmp_path):
    printer = PrinterEmulator(port=0, paper_dots=384).start()
    answer = put_printer(
        client,
        fair.organiser_token,
        fair.a.id,
        f"tcp://127.0.0.1:{printer.port}",
        profile="ZJ-5870",
        paper=58,
    )
    assert answer.status_code == 200 and answer.json["code_page"] == "CP850"
    sale = post_sale(client, fair.a.token, fair.a.id, simple_sale(fair.a.products["pot"]))
    try:
        assert worker.run(app, once=True) == 1
    finally:
        printer.stop()
    [printed] = printer.printed
    text = "\n".join(printed.text_lines)
    assert sale.json["receipt_number"] in text
    assert "Coopérative Imilchil" in text, text  # CP850's é, read back as the printer would
