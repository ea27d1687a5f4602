"""kafka-python (the connectors' publisher, the dispatcher, the command-line tools) checks
the CRC-32C of every record batch it reads and writes one for every batch it sends. Its
fallback is pure Python, 5.5 ms for one 37 KB page: the C module must be the one in use."""

from __future__ import annotations

import crc32c
from kafka.record import util


def test_kafka_python_uses_the_c_checksum() -> None:
    assert util._crc32c is crc32c.crc32c


def test_the_c_checksum_agrees_with_the_pure_python_one() -> None:
    page = "«قوات» على الحدود ".encode() * 2000
    assert util.calc_crc32c(page) == util.crc32c_py(page)
