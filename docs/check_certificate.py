"""Check a Tadamon sales certificate without trusting the server's word for it.

    python check_certificate.py CERTIFICATE.json ORGANISATION-KEY.pem

CERTIFICATE.json is what the certificate's page answers at /c/<id>.json; the key is the
organisation's, from its public page /o/<id>/key.pem (compare its fingerprint with the one
printed on the certificate). The signature is checked here, with the key alone; then the
figures the server finds now for the same link of the booth's chain must be the signed ones,
in a chain the server found intact. Needs only Python and `cryptography`. Exit 0: it holds.
"""

import base64
import json
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.serialization import load_pem_public_key


def main(certificate_path: str, key_path: str) -> int:
    with open(certificate_path, encoding="utf-8") as handle:
        certificate = json.load(handle)
    with open(key_path, "rb") as handle:
        key = load_pem_public_key(handle.read())
    payload_text = certificate["payload"]
    try:
        key.verify(base64.b64decode(certificate["signature"]), payload_text.encode())
    except (InvalidSignature, ValueError):
        print("NOT VALID: the signature does not hold (the certificate was altered)")
        return 1
    payload = json.loads(payload_text)
    now = certificate["now"]
    if not now["chain_intact"]:
        print("NO LONGER HOLDS: the booth's chain of records was changed after issuance")
        return 1
    if now["figures"] != payload["figures"]:
        print("NO LONGER HOLDS: the server's figures differ from the signed ones")
        return 1
    figures = payload["figures"]
    print(
        f"HOLDS: {payload['exhibitor']['name']} (booth {payload['exhibitor']['booth']}), "
        f"{payload['fair']['name']}: {figures['sales_count']} sales, {figures['net']} "
        f"{payload['currency']}, certified by {payload['organisation']['name']} on "
        f"{payload['issued_at'][:10]}"
    )
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
