"""The fair's certificate authority: made once, the server's certificate renewed around it."""

from __future__ import annotations

import ipaddress

from cryptography import x509

from pos.trust.authority import ensure_certificates


def _names(path):
    certificate = x509.load_pem_x509_certificate(path.read_bytes())
    return certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value


def test_the_authority_is_made_once_and_the_certificate_follows_the_addresses(tmp_path):
    first = ensure_certificates(tmp_path, ["localhost", "stand"], ["127.0.0.1", "192.168.1.20"])
    authority, certificate = first.authority.read_bytes(), first.certificate.read_bytes()
    assert (tmp_path / "authority-key.pem").stat().st_mode & 0o077 == 0  # private
    assert first.key.stat().st_mode & 0o077 == 0

    again = ensure_certificates(tmp_path, ["localhost", "stand"], ["127.0.0.1", "192.168.1.20"])
    assert again.certificate.read_bytes() == certificate  # nothing new to certify

    # The laptop got another address on the fair's Wi-Fi: a new certificate, same authority.
    moved = ensure_certificates(tmp_path, ["localhost", "stand"], ["127.0.0.1", "10.0.0.7"])
    assert moved.authority.read_bytes() == authority
    assert moved.certificate.read_bytes() != certificate
    names = _names(moved.certificate)
    assert ipaddress.ip_address("10.0.0.7") in names.get_values_for_type(x509.IPAddress)
    assert "stand" in names.get_values_for_type(x509.DNSName)

    issued = x509.load_pem_x509_certificate(moved.certificate.read_bytes())
    ca = x509.load_pem_x509_certificate(authority)
    issued.verify_directly_issued_by(ca)
    assert (issued.not_valid_after_utc - issued.not_valid_before_utc).days <= 398  # Apple's limit


def test_the_ca_page_says_how_to_install_it_in_arabic_and_french(browser, database_url, tmp_path):
    from tests.livesupport import LiveServer
    from tests.till_support import SIZES, STICKING_OUT, screenshot

    server = LiveServer(
        database_url,
        scheme="https",
        extra_args=("--https", "--no-print-worker"),
        extra_env={"POS_INSTANCE_PATH": str(tmp_path / "instance")},
    )
    try:
        server.wait_ready()
        for size_name, size in SIZES.items():
            # A phone (or laptop) before it trusts the authority: past the warning once.
            context = browser.new_context(
                viewport=size, base_url=server.base, ignore_https_errors=True
            )
            page = context.new_page()
            for language, title, download in (
                ("ar", "ثقة هذا الهاتف بخادم المعرض", "تنزيل الشهادة"),
                (
                    "fr",
                    "Faire confiance au serveur du salon sur ce téléphone",
                    "Télécharger le certificat",
                ),
            ):
                page.goto(f"/lang/{language}?next=/ca")
                assert page.text_content("h1") == title
                assert page.get_attribute("html", "dir") == ("rtl" if language == "ar" else "ltr")
                assert page.text_content("#download") == download
                assert len(page.query_selector_all("#android li")) == 5
                assert len(page.query_selector_all("#ios li")) == 4
                found = page.evaluate(STICKING_OUT)
                assert found["out"] == [] and found["page"] <= found["width"], found
                screenshot(page, f"ca-{language}-{size_name}.png")
            with page.expect_download() as waiting:
                page.click("#download")
            assert waiting.value.suggested_filename == "tadamon-authority.crt"
            context.close()
    finally:
        server.stop()
