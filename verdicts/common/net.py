"""Where a request comes from: the client, honouring only trusted proxies, and the page it left."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the forwarded address when a trusted proxy sent it.

    X-Forwarded-For is read right to left, skipping trusted proxies, so a client cannot
    smuggle an address in by prefixing the header.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = settings.TRUSTED_PROXIES
    if not trusted or not _address_in(remote, trusted):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _address_in(hop, trusted):
            return hop if _is_address(hop) else remote
    return remote


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _address_in(value: str, networks: list[str]) -> bool:
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(network, strict=False) for network in networks)


def next_url(request: HttpRequest, *, fallback: str) -> str:
    """The page a form was posted from (its `next` field) when it is on this site, else fallback.

    Any fragment is dropped: the caller adds the anchor of the form it answers.
    """
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return (target if target and safe else fallback).split("#", 1)[0]
