"""A /metrics port that another process holds is a clear configuration error."""

from __future__ import annotations

import socket

import pytest

from kernel.errors import ConfigError
from kernel.metrics import serve_metrics
from marsad.stack import _source_ports, free_port


def test_a_taken_metrics_port_names_the_setting_that_moves_it() -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        with pytest.raises(ConfigError) as raised:
            serve_metrics(port, "worker", addr="127.0.0.1")
    message = str(raised.value)
    assert f"127.0.0.1:{port}" in message
    assert "MARSAD_WORKER_METRICS_PORT" in message


def test_the_supervisor_names_its_option() -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        with pytest.raises(ConfigError, match="--metrics-port"):
            serve_metrics(holder.getsockname()[1], "supervisor", addr="127.0.0.1", moved_by="--metrics-port")


def test_free_ports_are_never_handed_out_twice() -> None:
    ports = [free_port() for _ in range(200)]
    assert len(set(ports)) == len(ports)


def test_free_ports_are_not_among_the_source_ports_of_outgoing_connections() -> None:
    """A client's connection may take a port of the kernel's source range between its
    choice and its use; on this machine that range starts above the ports drawn from."""
    source = _source_ports()
    assert source.start > 20_000, "the kernel's source ports start low on this machine"
    ports = [free_port() for _ in range(100)]
    assert not [port for port in ports if port in source]
    # each was free when handed out: it can be listened on
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", ports[-1]))
