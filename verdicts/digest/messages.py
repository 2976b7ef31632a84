"""The emails we send, built from templates."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from verdicts.common.urls import absolute_url
from verdicts.digest.models import Issue
from verdicts.digest.tokens import confirm_url, mail_domain, unsubscribe_url

LIST_NAME = "Weekly AI Tool Verdicts"
# Rendered once per issue, then swapped for each reader's own link: rendering the templates
# ten thousand times would cost more than sending.
UNSUBSCRIBE_PLACEHOLDER = "https://unsubscribe.invalid/verdicts-placeholder"


def list_headers(*, unsubscribe: str) -> dict[str, str]:
    """RFC 2369 and RFC 8058 headers: mail clients show a one-click unsubscribe button."""
    return {
        "List-Id": f"{LIST_NAME} <weekly.{mail_domain()}>",
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }


def confirmation_message(*, subscriber_id: int, email: str, nonce: str) -> EmailMultiAlternatives:
    unsubscribe = unsubscribe_url(subscriber_id=subscriber_id)
    context = {
        "confirm_url": confirm_url(subscriber_id=subscriber_id, nonce=nonce),
        "unsubscribe_url": unsubscribe,
        "list_name": LIST_NAME,
        "SITE_URL": settings.SITE_URL,
        "SITE_NAME": settings.SITE_NAME,
    }
    message = EmailMultiAlternatives(
        subject=f"Confirm your subscription to {LIST_NAME}",
        body=render_to_string("digest/email/confirm.txt", context),
        to=[email],
        headers=list_headers(unsubscribe=unsubscribe),
    )
    message.attach_alternative(render_to_string("digest/email/confirm.html", context), "text/html")
    return message


class IssueMailing:
    """One issue's email, rendered once and addressed to each reader in turn."""

    def __init__(self, issue: Issue):
        self.issue = issue
        context = {
            "issue": issue,
            "items": issue.items,
            "web_url": absolute_url(issue.get_absolute_url()),
            "archive_url": absolute_url("/digest/"),
            "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
            "list_name": LIST_NAME,
            "SITE_URL": settings.SITE_URL,
            "SITE_NAME": settings.SITE_NAME,
        }
        self.subject = f"{LIST_NAME} #{issue.number}: {issue.subject}"
        self.text = render_to_string("digest/email/issue.txt", context)
        self.html = render_to_string("digest/email/issue.html", context)

    def message(self, *, subscriber_id: int, email: str, message_id: str) -> EmailMultiAlternatives:
        unsubscribe = unsubscribe_url(subscriber_id=subscriber_id)
        headers = {**list_headers(unsubscribe=unsubscribe), "Message-ID": message_id}
        message = EmailMultiAlternatives(
            subject=self.subject,
            body=self.text.replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe),
            to=[email],
            headers=headers,
        )
        message.attach_alternative(
            self.html.replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe), "text/html"
        )
        return message
