"""Signups with double opt-in, confirmations and unsubscribes."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from verdicts.common.ratelimit import rate_hit
from verdicts.digest.messages import confirmation_message
from verdicts.digest.models import Delivery, Subscriber
from verdicts.digest.tokens import TokenInvalid, confirm_token_read, unsubscribe_token_read

# A second signup for the same pending address within this window sends no second email.
CONFIRM_RESEND_AFTER = timedelta(minutes=10)


class SignupRefused(ValueError):
    """The input is not an address we can accept; the message says why."""


class SignupRateLimited(Exception):
    """Too many signups from one client in an hour."""


class ConfirmationUsed(Exception):
    """A genuine confirmation link that was already used or replaced by a newer one."""


def has_line_break(value: str) -> bool:
    return "\r" in value or "\n" in value


def email_domain_ascii(domain: str) -> str:
    """A mail domain in its one stored spelling: IDNA-encoded (as Django's mailer sends to it),
    lower-case, so `bücher.example` and `xn--bcher-kva.example` are one domain.

    UnicodeError when the domain cannot be encoded (an empty or over-long label)."""
    return domain.encode("idna").decode("ascii").lower()


def email_normalize(*, email: str) -> str:
    """The address as we store it, or SignupRefused with a reason a reader can act on."""
    if has_line_break(email):
        raise SignupRefused("Line breaks are not allowed in an email address.")
    email = email.strip().lower()
    if not email:
        raise SignupRefused("Enter your email address.")
    if len(email) > 254:
        raise SignupRefused("That email address is too long.")
    try:
        validate_email(email)
        local, _, domain = email.rpartition("@")
        email = f"{local}@{email_domain_ascii(domain)}"
    except (ValidationError, UnicodeError) as error:
        raise SignupRefused("Enter a valid email address, like you@example.com.") from error
    if len(email) > 254:
        raise SignupRefused("That email address is too long.")
    return email


def signup_rate_check(*, client_key: str) -> None:
    """Count one signup for this client; SignupRateLimited past the hourly limit."""
    limit = settings.VERDICTS_SIGNUPS_PER_HOUR
    if rate_hit(bucket=f"signups:{client_key}", limit=limit, window=3600):
        raise SignupRateLimited


@transaction.atomic
def subscriber_signup(*, email: str, source: str = "", client_key: str) -> None:
    """Start double opt-in for an address.

    The caller learns nothing about whether the address was already on the list: a confirmed
    address gets no mail at all, any other gets a fresh single-use confirmation link.
    """
    if has_line_break(source):
        raise SignupRefused("Line breaks are not allowed in any field.")
    email = email_normalize(email=email)
    signup_rate_check(client_key=client_key)
    now = timezone.now()
    subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
    if subscriber is None:
        subscriber = Subscriber(email=email, source=source[:20])
        subscriber.full_clean()
        try:
            with transaction.atomic():
                subscriber.save()
        except IntegrityError:
            # A concurrent signup for the same address won the insert; carry on with its row.
            subscriber = Subscriber.objects.select_for_update().get(email=email)
    if subscriber.status == Subscriber.Status.CONFIRMED:
        return
    recently = subscriber.confirm_requested_at and now - subscriber.confirm_requested_at < (
        CONFIRM_RESEND_AFTER
    )
    if subscriber.status == Subscriber.Status.PENDING and subscriber.confirm_nonce and recently:
        return
    subscriber.status = Subscriber.Status.PENDING
    subscriber.confirm_nonce = secrets.token_urlsafe(16)
    subscriber.confirm_requested_at = now
    subscriber.full_clean()
    subscriber.save()
    confirmation_enqueue(subscriber_id=subscriber.pk, nonce=subscriber.confirm_nonce)


def confirmation_enqueue(*, subscriber_id: int, nonce: str) -> None:
    """Send the confirmation in the background once the signup is committed."""
    # The tasks module imports this one, so it is imported when a confirmation is due.
    from verdicts.digest.tasks import confirmation_send_task

    transaction.on_commit(lambda: confirmation_send_task(subscriber_id, nonce))


def confirmation_send(*, subscriber_id: int, nonce: str) -> bool:
    """Mail the confirmation link, unless the request was superseded, used or withdrawn."""
    subscriber = Subscriber.objects.filter(
        pk=subscriber_id, status=Subscriber.Status.PENDING, confirm_nonce=nonce
    ).first()
    if subscriber is None:
        return False
    message = confirmation_message(subscriber_id=subscriber.pk, email=subscriber.email, nonce=nonce)
    message.send(using=settings.VERDICTS_DIGEST_MAILER)
    Subscriber.objects.filter(pk=subscriber.pk).update(confirm_sent_at=timezone.now())
    return True


@transaction.atomic
def subscriber_confirm(*, token: str) -> Subscriber:
    """Confirm the address a link names; each link works once and for 48 hours."""
    subscriber_id, nonce = confirm_token_read(token=token)
    subscriber = Subscriber.objects.select_for_update().filter(pk=subscriber_id).first()
    if subscriber is None:
        raise TokenInvalid
    if (
        subscriber.status != Subscriber.Status.PENDING
        or not nonce
        or subscriber.confirm_nonce != nonce
    ):
        raise ConfirmationUsed
    subscriber.status = Subscriber.Status.CONFIRMED
    subscriber.confirm_nonce = ""
    subscriber.confirmed_at = timezone.now()
    subscriber.full_clean()
    subscriber.save()
    return subscriber


@transaction.atomic
def subscriber_unsubscribe(*, token: str) -> Subscriber:
    """Unsubscribe at once, including from a send under way; doing it twice is harmless."""
    subscriber_id = unsubscribe_token_read(token=token)
    subscriber = Subscriber.objects.select_for_update().filter(pk=subscriber_id).first()
    if subscriber is None:
        raise TokenInvalid
    if subscriber.status != Subscriber.Status.UNSUBSCRIBED:
        subscriber.status = Subscriber.Status.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.confirm_nonce = ""
        subscriber.full_clean()
        subscriber.save()
    Delivery.objects.filter(subscriber=subscriber, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.SKIPPED
    )
    return subscriber
