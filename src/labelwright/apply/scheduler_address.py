"""A Dask scheduler as a run names it (an address, or a session's ``distributed.Client``),
and how messages show and check its address: never with the ``user:password@`` part or
query string it may hold. Nothing here imports ``distributed``; ``dask`` only to read the
default scheme of an address given without one."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TypeAlias

from labelwright.errors import both_spellings

if TYPE_CHECKING:
    from distributed import Client

#: a Dask scheduler as a run names it: its address, or a ``distributed.Client``
Scheduler: TypeAlias = "str | Client"


def is_client(scheduler: object) -> bool:
    """Whether ``scheduler`` is a ``distributed.Client`` (never importing ``distributed``:
    a session with a Client has imported it)."""
    distributed = sys.modules.get("distributed")
    return distributed is not None and isinstance(scheduler, distributed.Client)


def scheduler_text(scheduler: Scheduler) -> str:
    """The address of ``scheduler``: itself, or a Client's scheduler's; a TypeError for
    anything else."""
    if isinstance(scheduler, str):
        return scheduler
    if not is_client(scheduler):
        raise TypeError(not_a_scheduler(scheduler))
    return str(scheduler.scheduler.address)


def session_client() -> Client | None:
    """The session's default ``distributed.Client`` (the latest made, unless one was set
    as the default) while it is connected; None without one, or when ``distributed`` was
    never imported (no Client can have been made)."""
    distributed = sys.modules.get("distributed")
    if distributed is None:
        return None
    try:
        client = distributed.default_client()
    except ValueError:  # no client
        return None
    return client if client.status == "running" else None


def shown_address(address: Scheduler) -> str:
    """A scheduler address (or a Client's) as messages and log lines show it: without the
    ``user:password@`` or query string the manifest also leaves out (the manifest's own
    helper)."""
    from labelwright.runs.apply_record import scheduler_address

    return scheduler_address(scheduler_text(address))


#: Dask's own address schemes, whose addresses are ``host:port`` and nothing more (one a
#: package registers, such as a gateway's, may take other forms: not judged here)
HOST_PORT_SCHEMES = ("tcp", "tls", "ws", "wss", "ucx")


def address_form_problem(address: str) -> str | None:
    """What makes ``address`` one Dask cannot parse, said without the credentials or query
    string it holds, or None: a ``user:password@`` part, a query string, a fragment or a
    path after ``host:port`` in an address of one of :data:`HOST_PORT_SCHEMES` (an address
    without a scheme has Dask's ``distributed.comm.default-scheme``). Dask's own error
    named the host as invalid and suggested IPv6 brackets, or failed to look up
    ``user@host``, or to read ``8786?token=abc`` as a port."""
    import dask

    from labelwright.runs.apply_record import scheduler_address

    scheme, sep, rest = address.partition("://")
    if not sep:
        scheme, rest = str(dask.config.get("distributed.comm.default-scheme", "tcp")), address
    if scheme not in HOST_PORT_SCHEMES:
        return None
    credentials, _, host = rest.rpartition("@")  # a password may hold an @
    hidden = [what for what, there in (
        ("a user:password@ part" if ":" in credentials else "a user@ part", "@" in rest),
        ("a query string", "?" in host), ("a fragment (#)", "#" in host)) if there]
    shown = scheduler_address(address)  # without what ``hidden`` names
    host_path = shown.partition("://")[2] if sep else shown
    path = "/" in host_path
    if not hidden and not path:
        return None
    parts = [*(["a path"] if path else []), *hidden]
    host_port = host_path.partition("/")[0]
    return (f"the Dask scheduler address {shown!r} "
            f"({both_spellings('--scheduler', 'scheduler=')} or [apply] scheduler) was given "
            f"with {', '.join(parts[:-1]) + ' and ' if len(parts) > 1 else ''}{parts[-1]}"
            + (" (not shown here)" if hidden else "")
            + f": Dask's {scheme}:// addresses are host:port alone, such as "
              f"'{scheme}://{host_port}', so it cannot connect to this one"
            + ("; Dask takes credentials from its TLS settings (distributed.comm.tls, with "
               "a tls:// address), not from the address" if hidden else ""))


def scrubbed(text: object, address: str) -> str:
    """``text`` (Dask's own message, which may repeat the address as given, with or without
    its scheme) with the address's credentials and query string taken out."""
    message = str(text)
    bare = address.partition("://")[2]
    for given in (address, bare):  # the longer first
        if given:
            message = message.replace(given, shown_address(given))
    credentials = bare.rpartition("@")[0]
    return message.replace(f"{credentials}@", "") if credentials else message


def not_a_scheduler(scheduler: object) -> str:
    """What ``scheduler=`` given something else than an address or a Client says."""
    from labelwright.short_repr import type_name

    return (f"scheduler= takes a Dask scheduler's address (a str such as "
            f"'tcp://10.0.0.5:8786') or a distributed.Client, not {type_name(scheduler)}")
