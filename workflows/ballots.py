"""Sealed ballots: what a ballot says is readable by the running Neighborhood, not by a database.

A ballot row holds only its election and `sealed`: the sorted list of chosen nomination ids as
JSON, padded to a fixed length and encrypted with AES-GCM (the `cryptography` package) under a
key derived from `SECRET_KEY` and the election's id (HKDF-SHA256). `SECRET_KEY` lives in the
server's environment, never in the database, so someone who can read the database (a backup,
a read-only account, staff with a SQL console) sees equal-length random strings.

Why it matters: every vote re-seals every ballot of the election with fresh nonces
(`services._ballots_rewrite`), so even a reader who copies the ballot table before and after each
vote cannot tell which row is new, nor, without the key, what any row says. Padding hides how
many candidates a ballot chose. The election id is bound in as associated data, so a ballot
copied into another election does not open. See docs/elections.md, "Secret ballot".
"""

from __future__ import annotations

import base64
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

NONCE_BYTES = 12
PAD_TO = 256  # bytes of plaintext; a ballot of up to ~20 choices fits in one block


class BallotUnreadable(Exception):
    """No key this server holds opens the ballot (SECRET_KEY changed with no fallback)."""


def _key(secret: str, election_id: int) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=None,
        info=f"neighborhood ballot, election {election_id}".encode(),
    ).derive(secret.encode())


def _padded(choices: list[int]) -> bytes:
    text = json.dumps(sorted(int(pk) for pk in choices)).encode()
    size = max(PAD_TO, -(-len(text) // PAD_TO) * PAD_TO)
    return text.ljust(size, b" ")


def seal(election_id: int, choices: list[int]) -> str:
    nonce = os.urandom(NONCE_BYTES)
    aad = str(election_id).encode()
    body = AESGCM(_key(settings.SECRET_KEY, election_id)).encrypt(nonce, _padded(choices), aad)
    return base64.b64encode(nonce + body).decode()


def unseal(election_id: int, sealed: str) -> list[int]:
    raw = base64.b64decode(sealed)
    nonce, body = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
    aad = str(election_id).encode()
    for secret in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        try:
            return json.loads(AESGCM(_key(secret, election_id)).decrypt(nonce, body, aad))
        except InvalidTag:
            continue
    raise BallotUnreadable(f"A ballot of election {election_id} cannot be opened with this key.")
