"""The fair's own certificate authority, for ``pos serve --https`` on a network without one.

Phones print over Web Bluetooth, WebUSB and Web Serial, and keep the till offline with a
service worker, only on a secure page: HTTPS. A fair's LAN has no public name for a public
authority to certify, so the server makes, once, a local authority (kept in the instance
folder) and with it a certificate for the machine's names and LAN addresses. Each phone
installs the authority once (the ``/ca`` page says how) and then trusts the server.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

AUTHORITY_YEARS = 10
# Apple's devices refuse a server certificate valid for more than 398 days.
SERVER_DAYS = 397
RENEW_BEFORE = timedelta(days=30)


@dataclass(frozen=True)
class TlsFiles:
    authority: Path  # the authority's certificate (PEM): what phones install
    certificate: Path  # the server's certificate (PEM)
    key: Path  # the server's private key (PEM)


def files_in(folder: Path) -> TlsFiles:
    return TlsFiles(folder / "authority.pem", folder / "server.pem", folder / "server-key.pem")


def primary_address() -> str | None:
    """The address this machine reaches the network from (the one phones on the fair's
    Wi-Fi reach it at); None without a network. A UDP socket's connect sends nothing."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: only the route is looked up
            return probe.getsockname()[0]
    except OSError:
        return None


def machine_addresses() -> list[str]:
    """The machine's IP addresses a phone may use: its LAN address(es) and loopback."""
    found = {"127.0.0.1", "::1"}
    if primary := primary_address():
        found.add(primary)
    try:
        for *_, sockaddr in socket.getaddrinfo(socket.gethostname(), None):
            found.add(str(sockaddr[0]).split("%")[0])
    except OSError:
        pass
    return sorted(found)


def machine_names() -> list[str]:
    host = socket.gethostname().split(".")[0]
    return sorted({"localhost", host, f"{host}.local"})


def write_private(path: Path, data: bytes) -> None:
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_bytes(data)


def _key_pem(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Tadamon POS"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _signed(
    subject: x509.Name, public_key, issuer: x509.Name, signing_key, days: int, extensions
) -> x509.Certificate:
    """A certificate valid from an hour ago (a phone's clock a little behind) for ``days``."""
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=days))
    )
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical=critical)
    return builder.sign(signing_key, hashes.SHA256())


def make_authority(folder: Path) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(f"Tadamon POS local authority ({socket.gethostname()})")
    usage = x509.KeyUsage(
        digital_signature=True,
        key_cert_sign=True,
        crl_sign=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        encipher_only=False,
        decipher_only=False,
    )
    certificate = _signed(
        name,
        key.public_key(),
        name,
        key,
        365 * AUTHORITY_YEARS,
        [
            (x509.BasicConstraints(ca=True, path_length=0), True),
            (usage, True),
            (x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False),
        ],
    )
    write_private(folder / "authority-key.pem", _key_pem(key))
    (folder / "authority.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return certificate, key


def _load_authority(folder: Path):
    certificate = x509.load_pem_x509_certificate((folder / "authority.pem").read_bytes())
    key = serialization.load_pem_private_key(
        (folder / "authority-key.pem").read_bytes(), password=None
    )
    return certificate, key


def _alternative_names(names: list[str], addresses: list[str]) -> list[x509.GeneralName]:
    return [x509.DNSName(name) for name in names] + [
        x509.IPAddress(ipaddress.ip_address(address)) for address in addresses
    ]


def _still_good(path: Path, wanted: list[x509.GeneralName]) -> bool:
    """The server's certificate names every wanted name and address and is not near its end."""
    if not path.exists():
        return False
    certificate = x509.load_pem_x509_certificate(path.read_bytes())
    if certificate.not_valid_after_utc - RENEW_BEFORE < datetime.now(UTC):
        return False
    present = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return set(wanted) <= set(present)


def ensure_certificates(folder: Path, names: list[str], addresses: list[str]) -> TlsFiles:
    """The authority (made the first time) and a server certificate it signed for these
    names and addresses; the certificate is made again when one is missing or it nears its
    end, the authority never (the phones trust it)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = files_in(folder)
    if files.authority.exists():
        authority, authority_key = _load_authority(folder)
    else:
        authority, authority_key = make_authority(folder)
    wanted = _alternative_names(names, addresses)
    if _still_good(files.certificate, wanted):
        return files
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = _signed(
        _name(names[0] if names else addresses[0]),
        key.public_key(),
        authority.subject,
        authority_key,
        SERVER_DAYS,
        [
            (x509.SubjectAlternativeName(wanted), False),
            (x509.BasicConstraints(ca=False, path_length=None), True),
            (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False),
            (x509.AuthorityKeyIdentifier.from_issuer_public_key(authority_key.public_key()), False),
        ],
    )
    write_private(files.key, _key_pem(key))
    files.certificate.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return files


def authority_certificate(folder: Path) -> x509.Certificate | None:
    path = files_in(folder).authority
    return x509.load_pem_x509_certificate(path.read_bytes()) if path.exists() else None


def fingerprint(certificate: x509.Certificate) -> str:
    """SHA-256, as phones show it: pairs of hex digits, colon-separated."""
    return certificate.fingerprint(hashes.SHA256()).hex(":").upper()
