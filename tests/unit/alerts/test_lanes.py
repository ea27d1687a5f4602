"""A channel's delivery threads take first alerts before updates (alerts/lanes.py)."""

from __future__ import annotations

import threading

import pytest

from alerts.lanes import PriorityLanes, Urgency, urgency_of


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
