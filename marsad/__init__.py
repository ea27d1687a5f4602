"""Marsad's applications: the ``marsad`` command, the operator console, the local stack
and the demo. They sit on top of the stages and the kernel and may import anything."""

from kernel import __version__

__all__ = ["__version__"]
