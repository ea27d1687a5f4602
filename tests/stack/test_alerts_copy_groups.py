"""The dispatcher's group store (`DispatchStore.decide`) on a real Redis: a near copy's
match folds into the group its original opened, and once that group's state has expired
a marker still tells that the rule fired on the story, so the copy does not alert again;
a rule that never fired on the story alerts from the copy."""

from __future__ import annotations

import pytest

from alerts.store import OPENED_TTL_S, DispatchStore
from kernel import redis_client as kernel_redis
from kernel.messages import AlertEvent
from kernel.settings import Settings
from tests.support.alerts import T0, event
from tests.support.stack import fresh_namespace

pytestmark = pytest.mark.stack


def test_a_copys_match_never_reopens_a_group_whose_state_expired(stack: Settings) -> None:
    settings = fresh_namespace(stack)
    client = kernel_redis.redis_client(settings)
    store = DispatchStore(client, settings.redis_prefix)
    original = store.decide(event(rule="mourning", story="s", article="a1", at=T0, throttle=600))
    assert (original.action, original.reason) == ("send", "new")
    marker = f"{settings.redis_prefix}opened:mourning:s"
    assert 0 < client.ttl(marker) <= OPENED_TTL_S

    def copy(rule: str, article: str) -> AlertEvent:
        return event(rule=rule, story="s", article=article, at=T0 + 7200, throttle=600).model_copy(
            update={"from_copy": True}
        )

    folded = store.decide(copy("mourning", "c1"))  # its window closed, its state is still there
    assert (folded.action, folded.reason, folded.alert_id) == ("throttle", "throttled", original.alert_id)
    group = store.group("mourning", "s")
    assert group is not None and group.count == 2

    client.delete(f"{settings.redis_prefix}group:mourning:s")  # as its expiry would
    gone = store.decide(copy("mourning", "c2"))
    assert (gone.action, gone.reason, gone.payload) == ("throttle", "copy", None)
    assert store.group("mourning", "s") is None  # nothing reopened

    new_rule = store.decide(copy("mauritania-president", "c2"))
    assert (new_rule.action, new_rule.reason) == ("send", "new")
    assert new_rule.payload is not None and new_rule.payload["article"]["id"] == "c2"
    # a re-read of the same match (after a crash) takes the recorded decision
    again = store.decide(copy("mourning", "c2"))
    assert (again.reason, again.reused) == ("copy", True)
