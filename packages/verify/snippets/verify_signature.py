import base64
import hashlib
import hmac


def verify_hookline_signature(secret: str, raw_body: bytes, header: str, next_header: str = "") -> bool:
    """Webhook-Signature: base64(HMAC-SHA256(secret, raw body)). While a secret rotates it is made
    with the old secret and Webhook-Signature-Next with the new one: either may match."""
    expected = base64.b64encode(hmac.new(secret.encode(), raw_body, hashlib.sha256).digest()).decode()
    return any(hmac.compare_digest(expected, candidate.strip()) for candidate in (header, next_header) if candidate)


if __name__ == "__main__":  # python3 verify_signature.py <secret> <header> [<next header>] < body
    import sys

    ok = verify_hookline_signature(sys.argv[1], sys.stdin.buffer.read(), sys.argv[2], *sys.argv[3:4])
    print("valid" if ok else "invalid")
    sys.exit(0 if ok else 1)
