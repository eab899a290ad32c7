import pytest

from pos.core import money


@pytest.mark.parametrize(
    ("text", "centimes"),
    [
        ("0", 0),
        ("12", 1200),
        ("12.5", 1250),
        ("12.50", 1250),
        ("0.01", 1),
        ("1000000.00", 100_000_000),
    ],
)
def test_money_parses_exactly(text, centimes):
    assert money.parse_money(text) == centimes
    assert money.parse_money(money.format_money(centimes)) == centimes


@pytest.mark.parametrize(
    "text",
    [
        "",
        "-1",
        "1.234",
        "1e3",
        " 1",
        "1,50",
        "01",
        "NaN",
        "Infinity",
        "١٢",
        "12.",
        ".5",
        "+1",
    ],
)
def test_money_refuses_anything_but_a_plain_decimal(text):
    with pytest.raises(ValueError):
        money.parse_money(text)


def test_quantities_are_thousandths():
    assert money.parse_quantity("0.250") == 250
    assert money.parse_quantity("2") == 2000
    assert money.format_quantity(250) == "0.250"
    with pytest.raises(ValueError):
        money.parse_quantity("0.2501")


@pytest.mark.parametrize(
    ("quantity", "unit_price", "expected"),
    [
        (250, 25000, 6250),  # 0.250 kg of honey at 250.00 -> 62.50
        (333, 3500, 1166),  # 0.333 x 35.00 = 11.655 -> 11.66 (half up)
        (125, 3, 0),  # 0.125 x 0.03 = 0.00375 -> 0.00
        (500, 1, 1),  # 0.500 x 0.01 = 0.005 -> 0.01 (half up, not to even)
        (1500, 1, 2),  # 1.5 x 0.01 = 0.015 -> 0.02
        (2500, 1, 3),  # 2.5 x 0.01 = 0.025 -> 0.03 (banker's rounding would give 0.02)
    ],
)
def test_line_amount_rounds_half_up_to_the_centime(quantity, unit_price, expected):
    assert money.line_amount(quantity, unit_price) == expected


def _shared_cases() -> dict:
    """The table the till's tests read too (``tests/test_till_fleet.py``)."""
    import json
    from pathlib import Path

    return json.loads((Path(__file__).parent / "data" / "money_cases.json").read_text())


def test_the_server_follows_the_money_rules_the_till_follows():
    cases = _shared_cases()
    for text, centimes in cases["money"]:
        assert money.parse_money(text) == centimes, text
    for text in cases["money_refused"]:
        with pytest.raises(ValueError):
            money.parse_money(text)
    for text, thousandths in cases["quantity"]:
        assert money.parse_quantity(text) == thousandths, text
    for text in cases["quantity_refused"]:
        with pytest.raises(ValueError):
            money.parse_quantity(text)
    for centimes, text in cases["format_money"]:
        assert money.format_money(centimes) == text
    for thousandths, text in cases["format_quantity"]:
        assert money.format_quantity(thousandths) == text
    for quantity, price, amount in cases["line_amount"]:
        assert money.line_amount(quantity, price) == amount
