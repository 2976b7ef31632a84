"""Django's admin, with its login throttled: failed logins are counted per account and per
client address in the shared cache, so every web process refuses the same attacker.

The limit is checked before the password and a failure counted after it, so attempts already
in flight when the limit is reached each still get their answer: a handful of guesses past the
limit at most (one a concurrent request, each paying for the password hash), never a window's.
"""

import hashlib
import ipaddress

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.utils.decorators import method_decorator

from verdicts.common.net import client_address
from verdicts.common.ratelimit import rate_hit, rate_reached

THROTTLED = "throttled"


def login_limits(request, username: str) -> list[tuple[str, int]]:
    """The (bucket, limit) pairs one login attempt counts against: its address and account."""
    limits = [
        (
            f"admin-login:address:{address_block(client_address(request))}",
            settings.VERDICTS_ADMIN_LOGIN_FAILURES_PER_ADDRESS,
        )
    ]
    if username:
        # Case-folded and hashed: "Admin" and "admin" share a count, and the key stays short.
        account = hashlib.sha256(username.casefold().encode()).hexdigest()[:32]
        limits.append(
            (f"admin-login:account:{account}", settings.VERDICTS_ADMIN_LOGIN_FAILURES_PER_ACCOUNT)
        )
    return limits


def address_block(address: str) -> str:
    """An IPv4 address as is; an IPv6 one as its /64, which one client can hop around in."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


class ThrottledAdminLoginForm(AdminAuthenticationForm):
    """The admin login form, refusing every attempt once too many failed; counting failures."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        THROTTLED: "Too many failed logins for this account or from this address. "
        "Try again in %(minutes)d minute(s).",
    }
    retry_after = 0

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        window = settings.VERDICTS_ADMIN_LOGIN_WINDOW
        limits = login_limits(self.request, username)
        # Checked before the password, so the right one is refused too until the window ends.
        waits = [
            rate_reached(bucket=bucket, limit=limit, window=window) for bucket, limit in limits
        ]
        if any(waits):
            self.retry_after = max(waits)
            raise ValidationError(
                self.error_messages[THROTTLED],
                code=THROTTLED,
                params={"minutes": -(-self.retry_after // 60)},
            )
        try:
            return super().clean()
        except ValidationError:
            if username:
                for bucket, limit in limits:
                    rate_hit(bucket=bucket, limit=limit, window=window)
            raise

    @property
    def throttled(self) -> bool:
        return any(error.code == THROTTLED for error in self.non_field_errors().as_data())


class ThrottledAdminSite(admin.AdminSite):
    """The admin site; its login form answers 429 with Retry-After while throttled."""

    login_form = ThrottledAdminLoginForm

    @method_decorator(login_not_required)
    def login(self, request, extra_context=None):
        response = super().login(request, extra_context)
        form = (getattr(response, "context_data", None) or {}).get("form")
        if isinstance(form, ThrottledAdminLoginForm) and form.is_bound and form.throttled:
            response.status_code = 429
            response["Retry-After"] = str(form.retry_after)
        return response
