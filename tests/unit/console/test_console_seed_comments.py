"""Seeding the console from a file of several rules keeps each rule's comments (they
record why a rule is disabled), and /docs works offline."""

from __future__ import annotations

from fastapi.testclient import TestClient

from kernel.config_files import parse_yaml, to_plain
from marsad.console.engine import current_ruleset_sources
from marsad.console.rule_split import split_rules
from tests.support.offline_console import offline_app

RULES = """\
# Rules of the eastern desk
- id: invasion
  title: غزو
  when:
    terms:
      - غزو   # every attached form
      - اجتياح

# Disabled: too noisy during the exercise season
- id: drills
  enabled: false
  title: مناورات
  when: {terms: [مناورات]}
"""


def test_each_rule_keeps_its_lines_and_comments() -> None:
    texts = split_rules(RULES, "rules.yaml")
    assert texts is not None
    assert texts["drills"].startswith("# Disabled: too noisy during the exercise season\nid: drills\n")
    assert "  - غزو   # every attached form\n" in texts["invasion"]
    for rule_id, text in texts.items():
        assert to_plain(parse_yaml(text, "x"))["id"] == rule_id


def test_seeding_from_a_multi_rule_file_keeps_comments(tmp_path, monkeypatch) -> None:
    (tmp_path / "rules.yaml").write_text(RULES, encoding="utf-8")
    from kernel.settings import Settings

    settings = Settings(rules_path=tmp_path / "rules.yaml", entities_path=tmp_path / "none.yaml")
    monkeypatch.setattr("marsad.console.engine.read_latest_ruleset", lambda s: type("R", (), {"message": None})())
    rules, _, _ = current_ruleset_sources(settings)
    assert "# Disabled: too noisy" in rules["drills"]


def test_the_api_description_pages_load_nothing_from_a_cdn() -> None:
    client = TestClient(offline_app())
    for path in ("/docs", "/redoc"):
        page = client.get(path)
        assert page.status_code == 200
        assert "cdn." not in page.text and "https://" not in page.text.replace("https://fastapi", "")
    assert client.get("/static/swagger-ui-bundle.js").status_code == 200
    assert client.get("/static/redoc.standalone.js").status_code == 200
