"""The address of the client behind a request, also when a reverse proxy stands in between.

Behind a proxy every request comes from the proxy's address, so whatever is counted per address
(the login lockout, the limit of anonymous form posts) would count the whole city as one client.
The proxy tells the real address in X-Forwarded-For, but anyone can send that header: it is
believed only when the peer itself is one of ASPA_TRUSTED_PROXIES, and then only from the right,
where each trusted proxy appended the address it saw; everything left of the first untrusted
address was written by the client. A top-level module, like env.py, because the domain apps
(audit, eforms) use it and must not import the web layer."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

type Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _parse(text: str) -> Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # A server listening on "::" sees IPv4 clients as ::ffff:a.b.c.d; compare them as IPv4.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _is_trusted(address: Address) -> bool:
    return any(address in network for network in settings.TRUSTED_PROXIES)


def client_address(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, unless that is a trusted proxy: then the right-most X-Forwarded-For entry
    that is not a trusted proxy. Malformed entries are skipped; None when the peer has no address."""
    peer = _parse(request.META.get("REMOTE_ADDR") or "")
    if peer is None:  # a unix socket without an address, or a broken server: nothing to count by
        return None
    if not _is_trusted(peer):
        return str(peer)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for entry in reversed(forwarded.split(",")):
        address = _parse(entry)
        if address is not None and not _is_trusted(address):
            return str(address)
    # Only proxies in the chain (a health check from the proxy itself): the peer is the client.
    return str(peer)
