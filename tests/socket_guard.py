"""Refuse every network connection and name lookup that would leave this machine.

The test suite installs it (``tests/conftest.py``) and so do the command-line runs that the
scraper tests start (``python -c "import socket_guard; socket_guard.install(); …"``): a
regression in the scraper's address checks then fails a test instead of sending traffic
anywhere but the loopback servers the tests run.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

# Every refused attempt, so a test can fail even when the code under test swallows the error.
refused: list[str] = []

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


class RefusedByGuard(ConnectionRefusedError):
    """A test tried to reach beyond the loopback interface."""


def _is_loopback(host: object) -> bool:
    if not isinstance(host, str):
        return False
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return host.lower() in _LOCAL_NAMES


def _check(address: Any, what: str) -> None:
    if isinstance(address, (str, bytes)):  # AF_UNIX: a path on this machine
        return
    host = address[0] if isinstance(address, tuple) and address else address
    if not _is_loopback(host):
        refused.append(f"{what} {address!r}")
        raise RefusedByGuard(f"socket guard: the tests may not reach {address!r}; only "
                             "loopback addresses")


def _connect(self: socket.socket, address: Any) -> None:
    _check(address, "connect to")
    _real_connect(self, address)


def _connect_ex(self: socket.socket, address: Any) -> int:
    _check(address, "connect to")
    return _real_connect_ex(self, address)


def _getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    if host is not None:
        name = host.decode() if isinstance(host, bytes) else str(host)
        try:
            ipaddress.ip_address(name.split("%", 1)[0])  # a literal needs no lookup
        except ValueError:
            if name.lower() not in _LOCAL_NAMES:
                refused.append(f"look up {name!r}")
                raise socket.gaierror(socket.EAI_NONAME,
                                      f"socket guard: the tests may not look up {name!r}") \
                    from None
    return _real_getaddrinfo(host, *args, **kwargs)


def install() -> None:
    socket.socket.connect = _connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = _getaddrinfo
