"""Who is voting: a signed-in user, or an anonymous id kept in a signed cookie; and where from,
as a keyed hash of the client address."""

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.encoding import force_bytes

from verdicts.common.net import client_address

VOTER_COOKIE = "verdicts_voter"
VOTER_COOKIE_SALT = "verdicts.votes.voter"
VOTER_COOKIE_MAX_AGE = 2 * 365 * 24 * 3600
ADDRESS_HASH_SALT = "verdicts.votes.address"


@dataclass(frozen=True)
class Voter:
    """One voter as the database sees it: a key, and a hash of the address it came from.

    new_cookie is the anonymous id to set on the response when the request carried none.
    """

    key: str
    address_hash: str
    new_cookie: str = ""


def address_hash(address: str) -> str:
    """A keyed hash of the address: equal addresses match, the address cannot be read back.

    Django's salted_hmac(ADDRESS_HASH_SALT, address, algorithm="sha256"), with its key derived
    once per secret rather than once a vote.
    """
    mac = _address_mac(settings.SECRET_KEY).copy()
    mac.update(address.encode())
    return mac.hexdigest()


@lru_cache(maxsize=4)
def _address_mac(secret: str | bytes) -> hmac.HMAC:
    key = hashlib.sha256(force_bytes(ADDRESS_HASH_SALT) + force_bytes(secret)).digest()
    return hmac.new(key, digestmod=hashlib.sha256)


def voter_from_request(request: HttpRequest) -> Voter:
    """The voter behind a request, minting an anonymous id when there is none yet."""
    hashed = address_hash(client_address(request))
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return Voter(key=f"user:{user.pk}", address_hash=hashed)
    anonymous = voter_cookie(request)
    if anonymous:
        return Voter(key=f"anon:{anonymous}", address_hash=hashed)
    minted = uuid.uuid4().hex
    return Voter(key=f"anon:{minted}", address_hash=hashed, new_cookie=minted)


def voter_cookie(request: HttpRequest) -> str:
    """The anonymous id from a valid signed cookie, or "" when absent or tampered with."""
    return request.get_signed_cookie(VOTER_COOKIE, default="", salt=VOTER_COOKIE_SALT)


def voter_key_if_known(request: HttpRequest) -> str:
    """The voter key when the request already identifies one; never mints."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    anonymous = voter_cookie(request)
    return f"anon:{anonymous}" if anonymous else ""


def voter_cookie_set(response: HttpResponse, voter: Voter) -> None:
    """Set the signed, HttpOnly, SameSite anonymous-id cookie when the voter is new."""
    if voter.new_cookie:
        response.set_signed_cookie(
            VOTER_COOKIE,
            voter.new_cookie,
            salt=VOTER_COOKIE_SALT,
            max_age=VOTER_COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
