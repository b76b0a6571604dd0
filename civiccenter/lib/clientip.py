"""The visitor's address, as seen by the first of the proxies the portal trusts.

Behind a reverse proxy, REMOTE_ADDR is the proxy's address for every visitor. Each trusted proxy appends
the address it received the request from to X-Forwarded-For, so with TRUSTED_PROXY_COUNT proxies in front
of the app server the visitor is the TRUSTED_PROXY_COUNT-th entry from the right. Entries further left
were written by the visitor and are never believed. With no trusted proxy (the default), the header is
ignored altogether: anyone can send it.
"""

import ipaddress

from django.conf import settings


def _address(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 203.0.113.7:51234
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    # Fewer entries than proxies: the request skipped a proxy; the leftmost entry is the best we have.
    candidate = forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]
    return _address(candidate) or remote
