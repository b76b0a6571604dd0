"""The organ's electronic seal: an Ed25519 signature over a document's content.

The Electronic Signature Law (Art. 13-14) and State Council Order 716 (Art. 8-11)
make a reliable electronic seal equivalent to a paper one. The portal signs
every document it issues with one private key (`DOCUMENT_SEAL_KEY`, PEM; unset:
derived from SECRET_KEY, for development) and publishes the public key, so
anyone can check a document offline as well as on the verification page.
"""

import base64
import functools
import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


@functools.cache
def _keys(pem: str, secret_key: str) -> tuple[Ed25519PrivateKey, Ed25519PublicKey, str]:
    if pem:
        private = serialization.load_pem_private_key(pem.encode(), password=None)
        if not isinstance(private, Ed25519PrivateKey):
            raise ValueError("DOCUMENT_SEAL_KEY must be an Ed25519 private key (PEM).")
    else:
        seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"civiccenter-document-seal", info=b"ed25519").derive(
            secret_key.encode()
        )
        private = Ed25519PrivateKey.from_private_bytes(seed)
    public = private.public_key()
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return private, public, hashlib.sha256(raw).hexdigest()[:16]


def _current():
    from django.conf import settings

    return _keys(settings.DOCUMENT_SEAL_KEY, settings.SECRET_KEY)


def key_id() -> str:
    """A short name of the key in use: the first 16 hex digits of the SHA-256 of its public key."""
    return _current()[2]


def sign(data: bytes) -> tuple[str, str]:
    """(signature in base64, key id)."""
    private, _, kid = _current()
    return base64.b64encode(private.sign(data)).decode(), kid


def verify(data: bytes, signature: str, kid: str) -> bool:
    """True if `signature` is the seal's signature of `data`; a signature by another key never verifies."""
    _, public, current = _current()
    if kid != current:
        return False
    try:
        public.verify(base64.b64decode(signature, validate=True), data)
    except (InvalidSignature, ValueError):
        return False
    return True


def public_key_pem() -> str:
    return (
        _current()[1].public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    )
