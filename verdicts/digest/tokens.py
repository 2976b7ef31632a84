"""Signed tokens for the links in our emails."""

import hashlib
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import salted_hmac

from verdicts.common.urls import absolute_url

CONFIRM_SALT = "verdicts.digest.confirm"
UNSUBSCRIBE_SALT = "verdicts.digest.unsubscribe"
CONFIRM_MAX_AGE = timedelta(hours=48)


class TokenInvalid(Exception):
    """Tampered or unknown: the caller answers 404 and says nothing more."""


class TokenExpired(Exception):
    """Genuine, but older than it may be."""


def confirm_token_make(*, subscriber_id: int, nonce: str) -> str:
    return signing.dumps({"s": subscriber_id, "n": nonce}, salt=CONFIRM_SALT)


def confirm_token_read(*, token: str) -> tuple[int, str]:
    """The subscriber id and nonce a confirmation token carries."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired as error:
        raise TokenExpired from error
    except signing.BadSignature as error:
        raise TokenInvalid from error
    if not isinstance(data, dict) or not isinstance(data.get("s"), int):
        raise TokenInvalid
    return data["s"], str(data.get("n", ""))


def unsubscribe_token_make(*, subscriber_id: int) -> str:
    # No expiry: an unsubscribe link in a years-old email must still work.
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object(subscriber_id)


def unsubscribe_token_read(*, token: str) -> int:
    try:
        subscriber_id = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError) as error:
        raise TokenInvalid from error
    if not isinstance(subscriber_id, int):
        raise TokenInvalid
    return subscriber_id


def confirm_url(*, subscriber_id: int, nonce: str) -> str:
    token = confirm_token_make(subscriber_id=subscriber_id, nonce=nonce)
    return absolute_url(reverse("digest:confirm", kwargs={"token": token}))


def unsubscribe_url(*, subscriber_id: int) -> str:
    token = unsubscribe_token_make(subscriber_id=subscriber_id)
    return absolute_url(reverse("digest:unsubscribe", kwargs={"token": token}))


def mail_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def message_id_make(*, kind: str, number: int, subscriber_id: int) -> str:
    """The same Message-ID every time this message is sent, so a resend can be recognised.

    Keyed by SECRET_KEY so that it does not reveal how many subscribers there are.
    """
    key = salted_hmac(
        "verdicts.digest.message-id", f"{kind}:{number}:{subscriber_id}", algorithm="sha256"
    )
    tag = hashlib.sha256(key.digest()).hexdigest()[:24]
    return f"<{kind}-{number}-{tag}@{mail_domain()}>"
