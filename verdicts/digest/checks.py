"""Deployment checks for the digest."""

from django.conf import settings
from django.core.checks import Warning, register


@register("digest", deploy=False)
def site_url_is_https(app_configs, **kwargs) -> list[Warning]:
    """Real mail needs an https SITE_URL: RFC 8058 one-click unsubscribe requires one."""
    if settings.EMAIL_URL and not settings.SITE_URL.startswith("https://"):
        return [
            Warning(
                f"SITE_URL is {settings.SITE_URL!r} while EMAIL_URL sends real mail.",
                hint="Set SITE_URL to the site's public https:// address: the links in every "
                "email and their one-click List-Unsubscribe header use it.",
                id="digest.W001",
            )
        ]
    return []
