"""A channel's delivery threads take first alerts before updates (alerts/lanes.py)."""

from __future__ import annotations

import threading

import pytest

from alerts.lanes import PriorityLanes, Urgency, group_of, urgency_of


def _blocked_lane(order: list[str]) -> tuple[PriorityLanes, threading.Event, threading.Event]:
    """One thread, busy with a first call until ``release`` is set."""
    lanes = PriorityLanes(1, "test")
    started, release = threading.Event(), threading.Event()

    def busy() -> None:
        started.set()
        release.wait(5)
        order.append("busy")

    lanes.submit(Urgency.FIRST_ALERT, busy)
    assert started.wait(5)
    return lanes, started, release


def test_first_alerts_go_before_updates_queued_earlier() -> None:
    order: list[str] = []
    lanes, _started, release = _blocked_lane(order)
    for name in ("update-1", "update-2"):
        lanes.submit(Urgency.UPDATE, lambda name=name: order.append(name))
    for name in ("first-1", "first-2"):
        lanes.submit(Urgency.FIRST_ALERT, lambda name=name: order.append(name))
    assert lanes.queued() == 4
    release.set()
    lanes_done = threading.Event()
    lanes.submit(Urgency.UPDATE, lanes_done.set)
    assert lanes_done.wait(5)
    lanes.shutdown()
    # first alerts in their order, then updates in theirs
    assert order == ["busy", "first-1", "first-2", "update-1", "update-2"]


def test_shutdown_waits_for_running_calls_and_drops_queued_ones() -> None:
    order: list[str] = []
    lanes, _started, release = _blocked_lane(order)
    lanes.submit(Urgency.FIRST_ALERT, lambda: order.append("queued"))
    stopper = threading.Thread(target=lanes.shutdown)
    stopper.start()
    stopper.join(0.2)
    assert stopper.is_alive(), "shutdown must wait for the running call"
    release.set()
    stopper.join(5)
    assert not stopper.is_alive()
    assert order == ["busy"]  # the queued call was dropped (its offset stays uncommitted)
    with pytest.raises(RuntimeError, match="after shutdown"):
        lanes.submit(Urgency.FIRST_ALERT, lambda: None)


def test_a_failing_call_does_not_stop_the_lane() -> None:
    lanes = PriorityLanes(1, "test")
    done = threading.Event()

    def fails() -> None:
        raise ValueError("boom")

    lanes.submit(Urgency.FIRST_ALERT, fails)
    lanes.submit(Urgency.FIRST_ALERT, done.set)
    assert done.wait(5)
    lanes.shutdown()


def test_a_lane_never_used_starts_no_thread_and_shuts_down() -> None:
    before = threading.active_count()
    lanes = PriorityLanes(4, "idle")
    assert threading.active_count() == before
    lanes.shutdown()


@pytest.mark.parametrize(
    ("payload", "urgency"),
    [
        ({"group": {"escalation_step": 0}}, Urgency.FIRST_ALERT),
        ({"group": {"escalation_step": 2}}, Urgency.UPDATE),
        ({}, Urgency.FIRST_ALERT),  # written before the group extension existed
        ({"group": None}, Urgency.FIRST_ALERT),
    ],
)
def test_urgency_of_a_payload(payload: dict, urgency: Urgency) -> None:
    assert urgency_of(payload) is urgency


def test_one_groups_calls_run_one_at_a_time_in_order_while_other_groups_go_on() -> None:
    """Four threads: the group's escalation, taken by a free thread while its first alert
    is still being sent, waits for it; another group's alert is sent meanwhile."""
    lanes = PriorityLanes(4, "test")
    order: list[str] = []
    first_started, release, other_done, update_done = (threading.Event() for _ in range(4))

    def first() -> None:
        first_started.set()
        release.wait(5)
        order.append("first")

    lanes.submit(Urgency.FIRST_ALERT, first, ("rule", "story-1"))
    assert first_started.wait(5)
    lanes.submit(Urgency.UPDATE, lambda: (order.append("update"), update_done.set()), ("rule", "story-1"))
    lanes.submit(Urgency.FIRST_ALERT, lambda: (order.append("other"), other_done.set()), ("rule", "story-2"))
    assert other_done.wait(5)  # another group is not held up
    assert not update_done.wait(0.2), "the escalation must wait for its first alert"
    assert lanes.queued() == 1  # held, not lost
    release.set()
    assert update_done.wait(5)
    lanes.shutdown()
    assert order == ["other", "first", "update"]


def test_calls_without_a_group_are_not_serialised() -> None:
    lanes = PriorityLanes(2, "test")
    both = threading.Barrier(2, timeout=5)
    done = [threading.Event(), threading.Event()]
    for event in done:
        lanes.submit(Urgency.FIRST_ALERT, lambda event=event: (both.wait(), event.set()))
    assert all(event.wait(5) for event in done)  # both ran at once (the barrier needs two)
    lanes.shutdown()


def test_shutdown_drops_a_held_call() -> None:
    lanes = PriorityLanes(2, "test")
    order: list[str] = []
    started, release = threading.Event(), threading.Event()

    def first() -> None:
        started.set()
        release.wait(5)
        order.append("first")

    lanes.submit(Urgency.FIRST_ALERT, first, "group")
    assert started.wait(5)
    lanes.submit(Urgency.UPDATE, lambda: order.append("update"), "group")
    threading.Event().wait(0.2)  # the idle thread takes it and holds it (queued, it is dropped too)
    stopper = threading.Thread(target=lanes.shutdown)
    stopper.start()
    release.set()
    stopper.join(5)
    assert not stopper.is_alive() and order == ["first"]  # the held call stays uncommitted


@pytest.mark.parametrize(
    ("payload", "group"),
    [
        ({"story": {"id": "s1", "sources": 2}}, ("r1", "s1")),
        ({}, None),
        ({"story": None}, None),
    ],
)
def test_group_of_a_payload(payload: dict, group: tuple[str, str] | None) -> None:
    assert group_of("r1", payload) == group
