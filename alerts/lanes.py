"""A channel's delivery threads, which take a story's first alert before any update.

A channel sends at most ``rate_per_second`` (alerts/senders.py). When more is asked of it
for a while (a common-word rule on a busy news day), a first-in-first-out queue makes every
delivery wait its turn, so the alert for a new story waits behind "this story now has N
sources" updates of stories the duty officer already knows about. Here each delivery has a
priority: the threads take the most urgent one queued (first alerts, then escalations),
in arrival order within a priority. Updates are only delayed, never dropped: they go out
as soon as the channel has room.

One (rule, story) group's deliveries go out one at a time, in order: while a thread sends a
group's first alert, another thread that takes the group's escalation holds it, and the
first thread sends it next. Without this, a first alert and its escalation decided a second
apart could reach the receiver in either order. (A delivery that failed and comes back from
the retry topic is a new submission: it is not ordered before what the group sent
meanwhile; the payload's ``group.escalation_step`` orders them.)
"""

from __future__ import annotations

import heapq
import itertools
import logging
import queue
import threading
from collections.abc import Callable, Hashable
from enum import IntEnum
from typing import Any

log = logging.getLogger("marsad.dispatcher")


class Urgency(IntEnum):
    """Lower goes first."""

    FIRST_ALERT = 0  # a (rule, story) group's first notification
    UPDATE = 1  # an escalation of a group already notified


def urgency_of(payload: dict[str, Any]) -> Urgency:
    """A v1 payload's urgency, from its group extension (a payload without one, e.g. from a
    dead letter written before that extension, counts as a first alert)."""
    group = payload.get("group")
    step = group.get("escalation_step", 0) if isinstance(group, dict) else 0
    return Urgency.UPDATE if isinstance(step, int) and step > 0 else Urgency.FIRST_ALERT


def group_of(rule_id: str, payload: dict[str, Any]) -> tuple[str, str] | None:
    """The (rule, story) group a v1 payload notifies of, or None without a story id."""
    story = payload.get("story")
    story_id = story.get("id") if isinstance(story, dict) else None
    return (rule_id, story_id) if isinstance(story_id, str) else None


_Entry = tuple[int, int, Callable[[], None] | None, Hashable | None]  # priority, order, call, group


class PriorityLanes:
    """``workers`` threads that run submitted calls, the lowest priority value first and in
    submission order within one, and the calls of one ``group`` one at a time in that order.
    ``shutdown`` lets running calls finish and drops the queued ones (the caller leaves
    those uncommitted), like ``ThreadPoolExecutor.shutdown(wait=True, cancel_futures=True)``."""

    _STOP = -1  # sorts before every priority: wakes idle threads at shutdown

    def __init__(self, workers: int, name: str) -> None:
        self._queue: queue.PriorityQueue[_Entry] = queue.PriorityQueue()
        # group -> its calls taken while a thread runs one of the group's (a heap): that
        # thread runs them next
        self._held: dict[Hashable, list[_Entry]] = {}
        self._held_lock = threading.Lock()
        self._order = itertools.count()
        self._stopping = threading.Event()
        self._threads = [
            threading.Thread(target=self._work, name=f"{name}-{i}", daemon=True) for i in range(max(1, workers))
        ]
        self._started = False
        self._start_lock = threading.Lock()

    def submit(self, priority: int, call: Callable[[], None], group: Hashable | None = None) -> None:
        if self._stopping.is_set():
            raise RuntimeError("submit after shutdown")
        self._queue.put((priority, next(self._order), call, group))
        if not self._started:
            self._start()

    def _start(self) -> None:
        # on first use, like ThreadPoolExecutor: a dispatcher that never sends starts none
        with self._start_lock:
            if not self._started:
                for thread in self._threads:
                    thread.start()
                self._started = True

    def queued(self) -> int:
        with self._held_lock:
            held = sum(map(len, self._held.values()))
        return self._queue.qsize() + held

    def shutdown(self) -> None:
        self._stopping.set()
        with self._start_lock:
            if not self._started:
                return
        for _ in self._threads:
            self._queue.put((self._STOP, next(self._order), None, None))
        for thread in self._threads:
            thread.join()

    def _work(self) -> None:
        while True:
            entry = self._queue.get()
            _priority, _order, call, group = entry
            if call is None or self._stopping.is_set():
                return
            if group is not None:
                with self._held_lock:
                    held = self._held.get(group)
                    if held is not None:  # another thread runs this group: it runs this next
                        heapq.heappush(held, entry)
                        continue
                    self._held[group] = []
            self._run(call)
            while group is not None:
                with self._held_lock:
                    held = self._held[group]
                    if not held or self._stopping.is_set():
                        del self._held[group]  # (at shutdown, what is held is dropped)
                        break
                    call = heapq.heappop(held)[2]
                self._run(call)

    @staticmethod
    def _run(call: Callable[[], None] | None) -> None:
        assert call is not None
        try:
            call()
        except Exception:  # noqa: BLE001 — one failed call must not stop the lane
            log.exception("a delivery call failed unexpectedly")
