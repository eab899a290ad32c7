"""A receipt as ESC/POS bytes, small: Latin lines as printer text, Arabic lines
and the QR code as 1-bit raster cropped to their ink."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, replace

import qrcode
from escpos.constants import PAPER_FULL_CUT
from escpos.printer import Dummy
from PIL import Image

from printers.fonts import BOLD, MEDIUM, REGULAR
from printers.profiles import ASCII, best_code_page, printable_dots
from printers.receipt import Receipt, Words
from printers.text import draw_line, is_blank, printable_as_text


@dataclass(frozen=True)
class Paper:
    width_mm: int
    dots: int
    columns: int
    profile: str
    # Drawn (Arabic) text at this share of its size: 1, as large as the printer's own font
    # beside it; COMPACT_SCALE on a booth's compact receipts.
    drawn_scale: float
    # The weight of drawn text that is not bold: Medium keeps strokes two dots wide at the
    # 58 mm size, as legible as Regular two pixels larger for a fifth fewer bytes.
    drawn_weight: int
    # Printed dots per QR module: 4 is 0.5 mm, what a phone's camera reads from arm's
    # length. The code is sent at half that and printed at double width and height.
    qr_module: int

    def drawn_size(self, size: int) -> int:
        return round(size * self.drawn_scale)

    def weight(self, bold: bool) -> int:
        return BOLD if bold else self.drawn_weight


PAPERS = {
    80: Paper(80, 576, 48, "TM-T20II", 1.0, REGULAR, 4),
    58: Paper(58, 384, 32, "POS-5890", 1.0, MEDIUM, 4),
}
# A compact receipt's Arabic: three quarters of its size, half the bytes, for a printer on a
# slow Bluetooth link (bytes are time there); the booth chooses.
COMPACT_SCALE = 0.75
# White paper above and below the QR code, in dots: its quiet zone is the paper's own, so
# the code is sent without a border of white raster.
QR_QUIET_DOTS = 12
ESC_J = b"\x1bJ"  # print and feed n dots


def quantity_text(quantity: str, unit: str, words: Words) -> str:
    """ "2.000" pieces -> "2"; "0.250" kg -> "0.25 kg" (a receipt's plain digits)."""
    shown = quantity.rstrip("0").rstrip(".") if "." in quantity else quantity
    suffix = words.units.get(unit, unit)
    return f"{shown} {suffix}" if suffix else shown


def fitted_to(paper: Paper, profile: str) -> Paper:
    """The paper as narrow as the profile's printers print, when they print narrower
    (python-escpos refuses a wider image; a 12-dot cell a column)."""
    dots = printable_dots(profile)
    if dots is None or dots >= paper.dots:
        return paper
    return replace(paper, dots=dots // 8 * 8, columns=dots // 12)


class ReceiptWriter:
    """Collects ESC/POS bytes through python-escpos's Dummy printer."""

    def __init__(
        self,
        paper: Paper,
        profile: str | None = None,
        *,
        code_page: str | None = None,
        use_raqm: bool | None = None,
        compact: bool = False,
    ):
        """``code_page``: French's, as chosen for the printer (``best_code_page`` of the
        profile when not given); ``compact``: the Arabic drawn smaller."""
        profile = profile or paper.profile
        self.paper = fitted_to(paper, profile)
        if compact:
            self.paper = replace(self.paper, drawn_scale=COMPACT_SCALE)
        self.use_raqm = use_raqm
        self.printer = Dummy(profile=profile)
        self.printer.hw("INIT")
        code_page = code_page or best_code_page(profile)
        if code_page == ASCII:
            self.encoding = "ascii"  # the printer's first code page: its ASCII half is ASCII
        else:
            self.printer.charcode(code_page)
            self.encoding = code_page.lower()
        # The printer's state after INIT; a command is sent only when a line changes it
        # (python-escpos's set() sends all of them, 13 bytes a line).
        self._align, self._bold, self._big = "left", False, False

    def _style(self, *, align: str, bold: bool | None = None, big: bool | None = None) -> None:
        changes: dict = {}
        if align != self._align:
            changes["align"] = self._align = align
        if big is not None and big != self._big:
            self._big = big
            if big:
                changes.update(double_height=True, double_width=False, normal_textsize=False)
            else:
                changes["normal_textsize"] = True
            changes["bold"] = self._bold  # ESC ! also sets emphasis: say it again
        if bold is not None and (bold != self._bold or "bold" in changes):
            changes["bold"] = self._bold = bold
        if changes:
            self.printer.set(**changes)

    def text(
        self,
        text: str,
        *,
        align: str = "left",
        bold: bool = False,
        big: bool = False,
        size: int = 24,
    ) -> None:
        """A line in the printer's font when it can print it, else drawn."""
        plain = printable_as_text(text, self.encoding)
        if plain is None:
            self.drawn(text, align=align, bold=bold, size=size + 6 if big else size)
            return
        self._style(align=align, bold=bold, big=big)
        width = self.paper.columns
        for chunk in textwrap.wrap(plain, width) or [""]:
            self.printer.textln(chunk)

    def drawn(self, text: str, *, align: str = "left", bold: bool = False, size: int = 24):
        """Text drawn as an image (Arabic, or what the code page lacks), wrapped to the paper;
        ``size`` in pixels on 80 mm paper."""
        weight = self.paper.weight(bold)
        for line in self._wrap_drawn(text, self.paper.drawn_size(size), weight):
            self.image(line, align=align)

    def _wrap_drawn(self, text: str, size: int, weight: int) -> list[Image.Image]:
        image = draw_line(text, size, weight, use_raqm=self.use_raqm)
        if image.width <= self.paper.dots:
            return [image]
        # Only ordinary spaces break a line: a no-break space holds an amount to its label.
        words, lines, current = text.split(" "), [], ""
        for word in words:
            candidate = f"{current} {word}".strip()
            if (
                current
                and draw_line(candidate, size, weight, use_raqm=self.use_raqm).width
                > self.paper.dots
            ):
                lines.append(current)
                current = word
            else:
                current = candidate
        lines.append(current)
        return [draw_line(line, size, weight, use_raqm=self.use_raqm) for line in lines]

    def image(self, image: Image.Image, *, align: str = "left", doubled: bool = False) -> None:
        """``doubled``: each pixel printed as 2x2 dots (GS v 0's quadruple mode), a quarter
        of the bytes, for drawings that lose nothing by it (a QR code's square modules)."""
        if is_blank(image):
            return
        room = self.paper.dots // 2 if doubled else self.paper.dots
        if image.width > room:
            image = image.resize((room, image.height * room // image.width))
        if image.width % 8:
            # Raster rows are whole bytes: pad on the side away from the alignment, so
            # right-aligned Arabic ends exactly at the right margin.
            padded = Image.new("1", ((image.width + 7) // 8 * 8, image.height), 1)
            padded.paste(image, (padded.width - image.width if align == "right" else 0, 0))
            image = padded
        self._style(align=align)
        self.printer.image(
            image,
            impl="bitImageRaster",
            center=False,
            high_density_horizontal=not doubled,
            high_density_vertical=not doubled,
        )

    def pair(self, left: str, right: str, *, bold: bool = False, big: bool = False) -> None:
        """Label at the left, amount at the right, on one line of printer text; when both do
        not fit, the amount on a line of its own at the right (nothing is cut off)."""
        room = self.paper.columns - len(right) - 1
        if len(left) > room:
            self.text(left, bold=bold, big=big)
            self.text(right, align="right", bold=bold, big=big)
            return
        self.text(f"{left:<{room}} {right}", bold=bold, big=big)

    def rule(self) -> None:
        self.text("-" * self.paper.columns)

    def qr(self, url: str) -> None:
        self.printer._raw(ESC_J + bytes([QR_QUIET_DOTS]))
        self.image(qr_code(url, self.paper.qr_module // 2, border=0), align="center", doubled=True)
        self.printer._raw(ESC_J + bytes([QR_QUIET_DOTS]))

    def finish(self, open_drawer: bool) -> bytes:
        self.printer.ln(2)
        if open_drawer:
            # Before the cut, so the drawer opens with the receipt it belongs to.
            self.printer.cashdraw(2)
        if self.printer.profile.supports("paperFullCut"):
            self.printer.cut()
        else:
            # Profiles of printers with a tear bar (POS-5890) leave the cut out; send it anyway:
            # a printer without a cutter ignores it, and it marks where the receipt ends.
            self.printer.print_and_feed(4)
            self.printer._raw(PAPER_FULL_CUT)
        return self.printer.output


def qr_code(data: str, module: int, border: int = 2) -> Image.Image:
    """``data`` as a QR code, 1-bit, ``module`` pixels a module. A fixed mask: searching the
    best one costs more than the whole rest of a receipt (or of a pairing card)."""
    code = qrcode.QRCode(
        border=border,
        box_size=module,
        mask_pattern=2,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    code.add_data(data)
    return qr_image(code, module)


def qr_image(code: qrcode.QRCode, module: int) -> Image.Image:
    """The code's modules as a 1-bit image, drawn from its matrix (qrcode's own image
    drawing paints module by module and costs more than the rest of a receipt)."""
    matrix = code.get_matrix()
    small = Image.new("1", (len(matrix), len(matrix)))
    small.putdata([0 if dark else 1 for row in matrix for dark in row])
    return small.resize((len(matrix) * module,) * 2, Image.Resampling.NEAREST)


def render_receipt(
    receipt: Receipt,
    paper_width_mm: int = 80,
    profile: str | None = None,
    *,
    code_page: str | None = None,
    use_raqm: bool | None = None,
    compact: bool = False,
) -> bytes:
    """Every block in Arabic then French: the Arabic drawn (right to left, each label with
    its amount on one line), the French as printer text (fewer bytes)."""
    out = ReceiptWriter(
        PAPERS[paper_width_mm], profile, code_page=code_page, use_raqm=use_raqm, compact=compact
    )
    _heading(out, receipt)
    _items(out, receipt)
    _totals(out, receipt)
    if receipt.void_reason is not None:
        _void(out, receipt)
    out.rule()
    if receipt.footer_ar:
        out.drawn(receipt.footer_ar, align="center", size=22)
    if receipt.footer:
        out.text(receipt.footer, align="center")
    out.qr(receipt.verify_url)
    ar, fr = receipt.arabic, receipt.french
    out.drawn(ar.check, align="center", size=22)
    out.text(fr.check, align="center")
    out.text(f"{fr.code} {receipt.hash_prefix}", align="center")
    return out.finish(receipt.open_drawer)


def mark(out: ReceiptWriter, arabic: str, french: str) -> None:
    """A copy's or a void's mark, large, both languages on one line."""
    out.drawn(f"{arabic} / {french}", align="center", bold=True, size=30)


def _heading(out: ReceiptWriter, receipt: Receipt) -> None:
    """Who sells, where, and which receipt: the fair and its place, the seller, its
    address, ICE and stand; the number, the time and who sold."""
    ar, fr = receipt.arabic, receipt.french
    out.drawn(receipt.fair_name_ar, align="center", bold=True)
    out.text(receipt.fair_name, align="center", bold=True)
    if receipt.fair_place_ar:
        out.drawn(receipt.fair_place_ar, align="center")
    if receipt.fair_place:
        out.text(receipt.fair_place, align="center")
    out.rule()
    out.drawn(receipt.exhibitor_name_ar, align="center", bold=True, size=28)
    out.text(receipt.exhibitor_name, align="center", bold=True)
    if receipt.exhibitor_address:
        out.text(receipt.exhibitor_address, align="center")
    if receipt.ice:
        out.text(f"{fr.ice} {receipt.ice}", align="center")
    out.drawn(f"{ar.booth} {receipt.booth}", align="center")
    out.text(f"{fr.booth} {receipt.booth}", align="center")
    if receipt.copy:
        mark(out, ar.copy, fr.copy)
    if receipt.void_reason is not None:
        mark(out, ar.void, fr.void)
    out.rule()
    out.drawn(f"{ar.receipt} {receipt.receipt_number}", align="right", bold=True)
    out.pair(fr.receipt, receipt.receipt_number, bold=True)
    out.text(receipt.local_time)
    if receipt.cashier:
        out.drawn(f"{ar.till}: {receipt.cashier}", align="right")
        out.text(f"{fr.till}\u00a0: {receipt.cashier}")
    out.rule()


def _items(out: ReceiptWriter, receipt: Receipt) -> None:
    """Each line's name in both languages over its figures, which are the same digits in
    either: quantity, price per unit (``40.00 DH/kg``), line total."""
    ar, fr = receipt.arabic, receipt.french
    for line in receipt.lines:
        if line.name_ar and line.name_ar != line.name:
            out.drawn(line.name_ar, align="right")
        out.text(line.name, bold=True)
        per = fr.units.get(line.unit, line.unit)
        price = f"{line.unit_price} {fr.currency}" + (f"/{per}" if per else "")
        out.pair(f"  {quantity_text(line.quantity, line.unit, fr)} x {price}", line.line_total)
        if line.discount:
            # The left-to-right mark keeps the minus before the digits in the Arabic line.
            out.drawn(f"{ar.discount} \u200e-{line.discount}", align="right")
            out.pair(f"  {fr.discount}", f"-{line.discount}")
    out.rule()


def _totals(out: ReceiptWriter, receipt: Receipt) -> None:
    ar, fr = receipt.arabic, receipt.french

    def labelled(arabic: str, french: str, amount: str, *, bold=False, big=False) -> None:
        size = 30 if big else 24  # beside double-height French, larger
        # No-break spaces: a line too long for the paper wraps in the label, never between
        # the label's end, the amount and its currency.
        shown = f"{arabic}:\u00a0{amount}\u00a0{ar.currency}"
        out.drawn(shown, align="right", bold=bold, size=size)
        out.pair(french, f"{amount} {fr.currency}", bold=bold, big=big)

    with_vat = receipt.vat is not None
    labelled(
        ar.total_with_vat if with_vat else ar.total,
        fr.total_with_vat if with_vat else fr.total,
        receipt.total,
        bold=True,
        big=True,
    )
    if receipt.vat is None:
        out.drawn(ar.vat_exempt, align="right")
        out.text(fr.vat_exempt)
    for row in receipt.vat or ():
        # The base (excl. VAT) on the French line alone: in the Arabic line it wraps.
        labelled(
            f"{ar.vat} {row.rate}%",
            f"  {fr.vat} {row.rate}% ({fr.vat_base} {row.base})",
            row.amount,
        )
    for payment in receipt.payments:
        method = payment.method
        labelled(ar.methods.get(method, method), fr.methods.get(method, method), payment.amount)
        if payment.tendered is not None:
            labelled(ar.tendered, f"  {fr.tendered}", payment.tendered)
            labelled(ar.change, f"  {fr.change}", payment.change or "0.00", bold=True)


def _void(out: ReceiptWriter, receipt: Receipt) -> None:
    ar, fr = receipt.arabic, receipt.french
    out.rule()
    out.drawn(f"{ar.voided_at} {receipt.void_time}", align="right", bold=True)
    out.text(f"{fr.voided_at} {receipt.void_time}", bold=True)
    out.drawn(f"{ar.reason}: {receipt.void_reason}", align="right")
    out.text(f"{fr.reason}\u00a0: {receipt.void_reason}")
