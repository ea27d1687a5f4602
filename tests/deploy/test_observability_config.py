"""Observability files checked with the real tools: promtool on the Prometheus configs and
the /metrics output; the PromQL of the dashboard and of the rules only names metrics that
Marsad exports; docker-compose.yml wires Prometheus and Grafana to files that exist, on the
ports the services use. The alerting rules' own unit tests: tests/test_alert_rules.py."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from prometheus_client.metrics import MetricWrapperBase
from ruamel.yaml import YAML

from kernel import metrics
from kernel.settings import Settings
from marsad.stack import free_port, render_prometheus_config
from tests.support.prometheus import ALERTS, PROM_DIR, REPO, assert_promtool_metrics_clean, promtool, scrape

GRAFANA_DIR = REPO / "deploy" / "grafana"
DASHBOARD = GRAFANA_DIR / "dashboards" / "marsad.json"
COMPOSE = REPO / "docker-compose.yml"


def _yaml(path: Path):
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


# --- PromQL: which metric names does an expression use? ------------------------------

PROMQL_KEYWORDS = {
    "and",
    "or",
    "unless",
    "bool",
    "offset",
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "group_right",
    "inf",
    "nan",
    "atan2",
    "start",
    "end",
}
# Series that Prometheus itself creates (scrape health, alert state), not any process.
PROMETHEUS_SERIES = {"up", "ALERTS", "ALERTS_FOR_STATE", "scrape_duration_seconds", "scrape_samples_scraped"}
GRAFANA_VARIABLES = {"$__rate_interval": "5m", "$__interval": "1m", "$__range": "1h"}


def substitute_grafana_variables(expr: str) -> str:
    """Grafana's $variables replaced by values PromQL accepts (a regex for label values)."""
    for name, value in GRAFANA_VARIABLES.items():
        expr = expr.replace(name, value)
    return re.sub(r"\$\{?[A-Za-z_]\w*\}?", ".*", expr)


def metric_names(expr: str) -> set[str]:
    """Metric names in a PromQL expression: identifiers that are not functions, keywords,
    label names (inside {...}, by (...), on (...) and the like) or parts of strings."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`', '""', expr)
    text = re.sub(r"\{[^}]*\}", " ", text)
    text = re.sub(r"\[[^\]]*\]", " ", text)
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", text)
    names = set()
    for match in re.finditer(r"(?<![\w.$])([A-Za-z_:][\w:]*)(\s*\()?", text):
        word, call = match.group(1), match.group(2)
        if call or word.lower() in PROMQL_KEYWORDS:
            continue
        names.add(word)
    return names


def marsad_collectors() -> list[MetricWrapperBase]:
    """Every metric defined in marsad/metrics.py (the one place metrics are defined)."""
    return [m for m in vars(metrics).values() if isinstance(m, MetricWrapperBase)]


def exported_series_names() -> set[str]:
    """Every series name the processes can export: the metric families of marsad/metrics.py
    expanded with the sample suffixes prometheus_client writes for each metric type."""
    suffixes = {
        "counter": ("_total", "_created"),
        "gauge": ("",),
        "histogram": ("_bucket", "_count", "_sum", "_created"),
        "summary": ("", "_count", "_sum", "_created"),
        "info": ("_info",),
    }
    return {
        family.name + suffix
        for collector in marsad_collectors()
        for family in collector.describe()
        for suffix in suffixes[family.type]
    }


def dashboard_exprs() -> list[tuple[str, str]]:
    """(panel title, PromQL) of every query of the dashboard, rows and variables included."""
    dash = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    out: list[tuple[str, str]] = []

    def walk(panels):
        for panel in panels:
            for target in panel.get("targets", []):
                out.append((panel["title"], target["expr"]))
            walk(panel.get("panels", []))

    walk(dash["panels"])
    for var in dash["templating"]["list"]:
        query = var["query"]["query"] if isinstance(var["query"], dict) else var["query"]
        found = re.fullmatch(r"label_values\((\w+),\s*\w+\)", query)
        assert found, f"variable {var['name']}: unexpected query {query!r}"
        out.append((f"variable {var['name']}", found.group(1)))
    return out


def alert_exprs() -> list[tuple[str, str]]:
    return [(rule["alert"], rule["expr"]) for group in _yaml(ALERTS)["groups"] for rule in group["rules"]]


def test_metric_name_extraction_handles_functions_labels_and_keywords() -> None:
    expr = (
        "histogram_quantile(0.95, sum by (stage, le) (rate(marsad_stage_duration_seconds_bucket"
        '{stage=~"norm|x", job="w"}[5m]))) > 0.5 and on (stage) foo:bar_total offset 5m'
        ' unless absent(up{job="a b"}) / ignoring(kind) group_left(feed) time() - 1e3'
    )
    assert metric_names(expr) == {"marsad_stage_duration_seconds_bucket", "foo:bar_total", "up"}
    assert metric_names('sum(rate(x_total{feed=~"$feed"}[$__rate_interval]))') == {"x_total"}
    assert substitute_grafana_variables('rate(a{feed=~"$feed"}[$__rate_interval])') == 'rate(a{feed=~".*"}[5m])'


def test_every_metric_in_dashboard_and_alerts_is_exported() -> None:
    exported = exported_series_names() | PROMETHEUS_SERIES
    assert "marsad_feed_fetches_total" in exported and "marsad_build_info" in exported
    assert "marsad_end_to_end_latency_seconds_bucket" in exported
    # A family name without its sample suffix is no series: a query using it finds nothing.
    assert "marsad_feed_fetches" not in exported and "marsad_build" not in exported
    unknown = {
        (where, name)
        for where, expr in dashboard_exprs() + alert_exprs()
        for name in metric_names(expr)
        if name not in exported
    }
    assert unknown == set(), f"metrics used but not exported: {sorted(unknown)}"


def test_dashboard_shows_every_marsad_metric() -> None:
    used = {name for _, expr in dashboard_exprs() for name in metric_names(expr)}
    families = {family.name for collector in marsad_collectors() for family in collector.describe()}
    missing = {f for f in families if not any(u == f or u.startswith(f + "_") for u in used)}
    assert missing == set(), f"metrics without a dashboard panel: {sorted(missing)}"


def test_dashboard_promql_parses(tmp_path: Path) -> None:
    """promtool parses every dashboard query (as recording rules: it has no bare parser)."""
    rules = [
        {"record": f"dashboard:query_{i}", "expr": substitute_grafana_variables(expr)}
        for i, (_, expr) in enumerate(dashboard_exprs())
    ]
    path = tmp_path / "dashboard-rules.yml"
    path.write_text(json.dumps({"groups": [{"name": "dashboard", "rules": rules}]}))
    result = promtool("check", "rules", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(rules)} rules found" in result.stdout


def test_dashboard_uses_the_provisioned_datasource() -> None:
    datasource = _yaml(GRAFANA_DIR / "provisioning" / "datasources" / "prometheus.yaml")["datasources"][0]
    assert datasource["url"] == "http://prometheus:9090" and datasource["type"] == "prometheus"
    dash = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    ids = [p["id"] for p in dash["panels"]]
    assert len(ids) == len(set(ids)), "panel ids must be unique"
    for panel in dash["panels"]:
        if panel["type"] == "row":
            continue
        assert panel["datasource"]["uid"] == datasource["uid"], panel["title"]
        grid = panel["gridPos"]
        assert 0 <= grid["x"] and grid["x"] + grid["w"] <= 24, panel["title"]


RULESET_VERSION_TEST = """
rule_files: []
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      # Every process serves marsad_ruleset_info; only the worker has loaded a rule set.
      - series: 'marsad_ruleset_info{{job="marsad-connector", instance="c:9101"}}'
        values: '1x5'
      - series: 'marsad_ruleset_info{{job="marsad-worker", instance="w:9102", version="v7"}}'
        values: '1x5'
    promql_expr_test:
      - expr: {expr}
        eval_time: 5m
        exp_samples:
          - labels: '{{instance="w:9102", version="v7"}}'
            value: 1
"""


def test_rule_set_version_panel_has_no_empty_version_row(tmp_path: Path) -> None:
    (expr,) = [expr for title, expr in dashboard_exprs() if title == "Rule set version"]
    path = tmp_path / "ruleset-version-test.yml"
    path.write_text(RULESET_VERSION_TEST.format(expr=json.dumps(expr)))
    result = promtool("test", "rules", str(path))
    assert result.returncode == 0, result.stdout + result.stderr


# --- promtool check config ----------------------------------------------------------


def test_promtool_accepts_rendered_local_config(tmp_path: Path) -> None:
    settings = Settings(
        connector_metrics_port=19101, worker_metrics_port=19102, dispatcher_metrics_port=19103, api_metrics_port=19104
    )
    rendered = render_prometheus_config(settings)
    assert "${" not in rendered
    config = YAML(typ="safe").load(rendered)
    targets = {job["job_name"]: job["static_configs"][0]["targets"] for job in config["scrape_configs"]}
    assert targets == {
        "marsad-connector": ["127.0.0.1:19101"],
        "marsad-worker": ["127.0.0.1:19102"],
        "marsad-dispatcher": ["127.0.0.1:19103"],
        "marsad-api": ["127.0.0.1:19104"],
    }
    assert config["rule_files"] == [str(ALERTS)]
    path = tmp_path / "prometheus.yml"
    path.write_text(rendered)
    result = promtool("check", "config", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS: 10 rules found" in result.stdout


def test_promtool_accepts_compose_config(tmp_path: Path) -> None:
    # Docker mounts deploy/prometheus at /etc/prometheus: the same layout in a temp dir.
    etc = tmp_path / "etc-prometheus"
    shutil.copytree(PROM_DIR, etc)
    config = (etc / "prometheus.yml").read_text().replace("/etc/prometheus/", f"{etc}/")
    (etc / "prometheus.yml").write_text(config)
    result = promtool("check", "config", str(etc / "prometheus.yml"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS: 10 rules found" in result.stdout


# --- promtool check metrics on what the processes serve -----------------------------

METRICS_CHILD = textwrap.dedent(
    """
    import sys, time
    from prometheus_client.metrics import MetricWrapperBase
    from kernel import metrics

    # One sample of every metric, with a label value for each label.
    for name in dir(metrics):
        metric = getattr(metrics, name)
        if not isinstance(metric, MetricWrapperBase) or metric is metrics.BUILD_INFO:
            continue
        if metric._labelnames:
            metric = metric.labels(*["sample"] * len(metric._labelnames))
        kind = metric._type
        if kind == "counter":
            metric.inc()
        elif kind == "gauge":
            metric.set(1)
        elif kind == "histogram":
            metric.observe(0.2)
        elif kind == "info":
            metric.info({"version": "sample"})
        else:
            raise SystemExit(f"unexpected metric type {kind} of {name}")
    metrics.serve_metrics(int(sys.argv[1]), sys.argv[2])
    print("ready", flush=True)
    time.sleep(120)
    """
)


@pytest.mark.parametrize("role", ["connector", "worker", "dispatcher"])
def test_promtool_accepts_metrics_endpoint(role: str) -> None:
    port = free_port()
    child = subprocess.Popen(
        [sys.executable, "-c", METRICS_CHILD, str(port), role],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "ready", child.stderr.read()
        exposition = scrape(port)
    finally:
        child.kill()
        child.wait()
    assert f'marsad_build_info{{role="{role}",version=' in exposition
    for family in (
        "marsad_feed_fetches_total",
        "marsad_stage_duration_seconds_bucket",
        "marsad_end_to_end_latency_seconds_count",
        "marsad_kafka_consumer_lag",
        "marsad_ruleset_info",
        "marsad_ruleset_rules",
        "marsad_stories_total",
    ):
        assert f"\n{family}" in exposition, family
    assert_promtool_metrics_clean(exposition)


def test_promtool_reports_a_badly_named_metric() -> None:
    """The check above can fail: promtool flags a counter without the _total suffix."""
    bad = "# HELP requests Requests\n# TYPE requests counter\nrequests 1\n"
    result = promtool("check", "metrics", stdin=bad)
    assert result.returncode != 0
    assert 'counter metrics should have "_total" suffix' in result.stdout + result.stderr


# --- docker-compose.yml wiring --------------------------------------------------------


def compose() -> dict:
    return _yaml(COMPOSE)


def host_path(mount: str) -> tuple[Path, str]:
    source, target = mount.split(":")[:2]
    return (REPO / source).resolve(), target


def test_compose_mounts_prometheus_files_that_exist() -> None:
    prometheus = compose()["services"]["prometheus"]
    mounts = dict(host_path(m)[::-1] for m in prometheus["volumes"] if m.startswith("./"))
    assert mounts["/etc/prometheus"] == PROM_DIR
    config_arg = next(a for a in prometheus["command"] if a.startswith("--config.file="))
    container_config = config_arg.split("=", 1)[1]
    assert container_config == "/etc/prometheus/prometheus.yml"
    config = _yaml(PROM_DIR / "prometheus.yml")
    for rule_file in config["rule_files"]:
        assert rule_file.startswith("/etc/prometheus/")
        assert (PROM_DIR / rule_file.removeprefix("/etc/prometheus/")).is_file(), rule_file


def test_compose_scrape_targets_match_service_metrics_ports() -> None:
    services = compose()["services"]
    config = _yaml(PROM_DIR / "prometheus.yml")
    role_env = {
        "connector": "MARSAD_CONNECTOR_METRICS_PORT",
        "worker": "MARSAD_WORKER_METRICS_PORT",
        "dispatcher": "MARSAD_DISPATCHER_METRICS_PORT",
        "api": "MARSAD_API_METRICS_PORT",
    }
    # Every replica is a target (DNS discovery by service name); no fixed host port, so that
    # the services can scale (tests/test_compose.py).
    jobs = {job["job_name"]: job["dns_sd_configs"] for job in config["scrape_configs"]}
    assert set(jobs) == {f"marsad-{role}" for role in role_env}
    for role, env_name in role_env.items():
        service = services[role]
        port = service["environment"][env_name]
        assert jobs[f"marsad-{role}"] == [{"names": [role], "type": "A", "port": int(port), "refresh_interval": "15s"}]
        if role != "api":  # the console is one process, published on the host for its users
            assert not service.get("ports")


def test_compose_grafana_provisioning_paths_match() -> None:
    services = compose()["services"]
    grafana = services["grafana"]
    mounts = dict(host_path(m)[::-1] for m in grafana["volumes"] if m.startswith("./"))
    provisioning = mounts["/etc/grafana/provisioning"]
    assert provisioning == GRAFANA_DIR / "provisioning"
    datasource = _yaml(provisioning / "datasources" / "prometheus.yaml")["datasources"][0]
    host, port = datasource["url"].removeprefix("http://").split(":")
    assert host in services and f"{port}:{port}" in services[host]["ports"]
    provider = _yaml(provisioning / "dashboards" / "marsad.yaml")["providers"][0]
    dashboards_in_container = provider["options"]["path"]
    assert dashboards_in_container in mounts, "the provider reads a directory compose does not mount"
    assert (mounts[dashboards_in_container] / "marsad.json").is_file()
    assert "prometheus" in grafana["depends_on"]


def test_compose_env_matches_settings_names() -> None:
    """The compose environment uses real MARSAD_* settings (a typo would be ignored)."""
    env = compose()["services"]["worker"]["environment"]
    fields = {f"MARSAD_{name.upper()}" for name in Settings.model_fields}
    for name in ("MARSAD_CONNECTOR_METRICS_PORT", "MARSAD_WORKER_METRICS_PORT", "MARSAD_DISPATCHER_METRICS_PORT"):
        assert name in env and name in fields


def test_sample_value_reads_one_series_of_an_exposition() -> None:
    from kernel.metrics import sample_value

    text = (
        "# HELP marsad_stage_processed_total Messages processed\n"
        'marsad_stage_processed_total{stage="normalize"} 12.0\n'
        'marsad_stage_processed_total{stage="match"} 7.0\n'
    )
    assert sample_value(text, 'marsad_stage_processed_total{stage="match"}') == 7.0
    assert sample_value(text, 'marsad_stage_processed_total{stage="dedupe"}') is None
