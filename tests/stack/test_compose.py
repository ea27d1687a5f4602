"""docker-compose.yml, checked without a Docker engine: the file is valid Compose, the
image builds what the services run, replicas can scale and Prometheus finds each of them,
Kafka runs as the local stack does, and every Marsad service's command, run here exactly
as compose would run it (its environment, the mounted configuration folder, a read-only
working directory, a non-root user), delivers the sample alerts to the receiver service."""

from __future__ import annotations

import base64
import copy
import filecmp
import ipaddress
import json
import os
import pwd
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import httpx
import jsonschema
import pytest
from ruamel.yaml import YAML

from kernel.kafka import admin_client
from kernel.net_guard import TargetPolicy, UnsafeTarget, check_url
from kernel.settings import DEMO_DIR, Settings
from marsad.demo_feeds import load_demo_feeds, render
from marsad.stack import free_port
from tests.support.pipeline import wait_until
from tests.support.stack import REPO_ROOT

REPO = REPO_ROOT
COMPOSE = REPO / "docker-compose.yml"
COMPOSE_SCHEMA = REPO.parent / "shared" / "schemas" / "compose-spec.json"
DOCKERFILE = REPO / "deploy" / "Dockerfile"
DOCKERIGNORE = REPO / ".dockerignore"
CONFIG = REPO / "deploy" / "compose"  # mounted at /config
PROMETHEUS_DIR = REPO / "deploy" / "prometheus"  # mounted at /etc/prometheus
ALERTMANAGER_DIR = REPO / "deploy" / "alertmanager"  # mounted at /etc/alertmanager
# Services built from deploy/Dockerfile, and those meant to run as several replicas.
MARSAD_SERVICES = ("topics", "feeds", "connector", "worker", "dispatcher", "receiver", "api")
SCALABLE = ("worker", "dispatcher")
METRICS_PORT_ENV = {
    "connector": "MARSAD_CONNECTOR_METRICS_PORT",
    "worker": "MARSAD_WORKER_METRICS_PORT",
    "dispatcher": "MARSAD_DISPATCHER_METRICS_PORT",
    "api": "MARSAD_API_METRICS_PORT",
}


def load_yaml(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def compose() -> dict[str, Any]:
    return load_yaml(COMPOSE)


def interpolate(value: str, shell: Mapping[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error} against ``shell``."""

    def one(match: re.Match[str]) -> str:
        name, op, arg = match.group(1), match.group(2), match.group(3)
        if shell.get(name):
            return shell[name]
        if op == ":?":
            raise ValueError(f"required variable {name} is missing a value: {arg}")
        return arg if op == ":-" else ""

    return re.sub(r"\$\{([A-Za-z_]\w*)(?:(:[-?])([^}]*))?\}", one, value)


# --- the file itself -----------------------------------------------------------------


def test_compose_file_is_valid_against_the_compose_specification() -> None:
    schema = json.loads(COMPOSE_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    document = compose()
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors)
    # The check can fail: a misspelt key is reported.
    broken = copy.deepcopy(document)
    broken["services"]["worker"]["comand"] = ["marsad", "worker"]
    assert any("comand" in e.message for e in validator.iter_errors(broken))


def test_webhook_secret_is_required_not_defaulted() -> None:
    text = COMPOSE.read_text(encoding="utf-8")
    assert "change-me" not in text
    services = compose()["services"]
    for name in ("dispatcher", "receiver"):
        value = services[name]["environment"]["MARSAD_WEBHOOK_SECRET"]
        assert re.fullmatch(r"\$\{MARSAD_WEBHOOK_SECRET:\?.+\}", value), value
        with pytest.raises(ValueError, match="MARSAD_WEBHOOK_SECRET"):
            interpolate(value, {})
        assert interpolate(value, {"MARSAD_WEBHOOK_SECRET": "s3"}) == "s3"


def test_environment_uses_real_settings_only() -> None:
    """A misspelt MARSAD_* variable would be ignored silently: each one must be a setting
    (the webhook secret is read by channels.yaml's `secret_env`, not by Settings)."""
    fields = {f"MARSAD_{name.upper()}" for name in Settings.model_fields} | {"MARSAD_WEBHOOK_SECRET"}
    services = compose()["services"]
    for name in MARSAD_SERVICES:
        unknown = {key for key in services[name]["environment"] if key.startswith("MARSAD_")} - fields
        assert not unknown, f"{name}: {sorted(unknown)}"


def test_replicated_services_have_no_fixed_host_port() -> None:
    services = compose()["services"]
    for name in SCALABLE:
        assert not services[name].get("ports"), f"{name} cannot scale with a fixed host port"
        assert "container_name" not in services[name]
    assert services["worker"]["environment"]["MARSAD_WORKER_DATA_DIR"] in services["worker"]["tmpfs"]


def test_prometheus_discovers_every_replica_and_alertmanager() -> None:
    services = compose()["services"]
    config = load_yaml(PROMETHEUS_DIR / "prometheus.yml")
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    assert set(jobs) == {f"marsad-{role}" for role in METRICS_PORT_ENV}
    for role, env_name in METRICS_PORT_ENV.items():
        job = jobs[f"marsad-{role}"]
        assert "static_configs" not in job, f"{role}: a static target is one random replica per scrape"
        (sd,) = job["dns_sd_configs"]
        assert sd["names"] == [role] and sd["type"] == "A"
        assert str(sd["port"]) == services[role]["environment"][env_name]
    (alertmanagers,) = config["alerting"]["alertmanagers"]
    (sd,) = alertmanagers["dns_sd_configs"]
    assert sd["names"] == ["alertmanager"] and sd["port"] == 9093
    assert "9093:9093" in services["alertmanager"]["ports"]


def test_promtool_accepts_the_compose_prometheus_config(tmp_path: Path) -> None:
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.skip("promtool is not installed (Debian package `prometheus`, make install)")
    etc = tmp_path / "etc-prometheus"
    shutil.copytree(PROMETHEUS_DIR, etc)
    config = etc / "prometheus.yml"
    config.write_text(config.read_text().replace("/etc/prometheus/", f"{etc}/"))
    result = subprocess.run([promtool, "check", "config", str(config)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_alertmanager_config_is_mounted_where_its_command_reads_it() -> None:
    service = compose()["services"]["alertmanager"]
    assert f"./{ALERTMANAGER_DIR.relative_to(REPO)}:/etc/alertmanager:ro" in service["volumes"]
    assert "--config.file=/etc/alertmanager/alertmanager.yml" in service["command"]
    config = load_yaml(ALERTMANAGER_DIR / "alertmanager.yml")
    receivers = {r["name"] for r in config["receivers"]}
    routes = [config["route"], *config["route"].get("routes", [])]
    assert all(route["receiver"] in receivers for route in routes)
    amtool = shutil.which("amtool")
    if amtool:
        result = subprocess.run(
            [amtool, "check-config", str(ALERTMANAGER_DIR / "alertmanager.yml")],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stdout + result.stderr


# --- the configuration folder mounted at /config ----------------------------------------


def test_config_folder_serves_the_demo_samples() -> None:
    """The sample alerts of deploy/demo/articles.yaml hold for the compose folder: its feed
    files are the demo's feeds rendered, its rules and entities the demo's."""
    feeds = load_demo_feeds()
    assert sorted(p.name for p in (CONFIG / "feeds").iterdir()) == sorted(f"{f.id}.xml" for f in feeds)
    for feed in feeds:
        assert (CONFIG / "feeds" / f"{feed.id}.xml").read_bytes() == render(feed), (
            f"{feed.id}.xml differs from the demo's rendering; write it again with marsad.demo_feeds.render"
        )
    compare = filecmp.dircmp(DEMO_DIR / "rules", CONFIG / "rules")
    assert not (compare.left_only or compare.right_only or compare.diff_files or compare.funny_files)
    assert (CONFIG / "entities.yaml").read_bytes() == (DEMO_DIR / "entities.yaml").read_bytes()
    command = compose()["services"]["feeds"]["command"]
    served_at = f"http://feeds:{command[command.index('--port') + 1]}/"
    assert command[command.index("serve") + 1] == "/config/feeds"
    listed = load_yaml(CONFIG / "feeds.yaml")["feeds"]
    assert [(f["id"], f["url"], f["language"]) for f in listed] == [
        (f.id, f"{served_at}{f.id}.xml", f.language) for f in feeds
    ]
    for feed in feeds:
        ET.fromstring(render(feed))  # well-formed


def test_channels_allow_exactly_the_compose_network() -> None:
    subnet = compose()["networks"]["default"]["ipam"]["config"][0]["subnet"]
    (channel,) = load_yaml(CONFIG / "channels.yaml")["channels"]
    policy = TargetPolicy.parse(channel["allow_networks"])
    receiver_port = compose()["services"]["receiver"]["command"][-1]
    assert channel["url"] == f"http://receiver:{receiver_port}/alerts"
    inside = str(next(ipaddress.ip_network(subnet).hosts()))
    check_url(channel["url"], policy, resolver=lambda host, port: [inside])
    for outside in ("10.0.0.5", "192.168.1.5", "127.0.0.1", "169.254.169.254"):
        with pytest.raises(UnsafeTarget):
            check_url(channel["url"], policy, resolver=lambda host, port, a=outside: [a])


# --- the image ------------------------------------------------------------------------


def dockerfile_stages() -> list[list[str]]:
    """The Dockerfile's instructions (continuation lines joined), one list per stage."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    stages: list[list[str]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.upper().startswith("FROM "):
            stages.append([])
        stages[-1].append(line)
    return stages


def dockerignored(path: str, patterns: list[str]) -> bool:
    """Docker's rule: the last pattern matching the path or one of its parents wins."""
    parts = path.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    ignored = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        body = pattern.removeprefix("!").strip("/")
        regex = "".join(
            ".*" if tok == "**" else "[^/]*" if tok == "*" else "[^/]" if tok == "?" else re.escape(tok)
            for tok in re.findall(r"\*\*|\*|\?|\[[^\]]*\]|[^*?\[]+", body)
        )
        regex = regex.replace(re.escape("/"), "/").replace(".*/", "(?:.*/)?")
        if any(re.fullmatch(regex, c) for c in candidates):
            ignored = not negate
    return ignored


def test_dockerfile_builds_in_two_stages_and_runs_as_a_user() -> None:
    stages = dockerfile_stages()
    assert len(stages) == 2, "a build stage with the compiler, a final stage without it"
    for stage in stages:
        assert re.fullmatch(r"FROM python:3\.11\.\d+-slim-bookworm( AS \w+)?", stage[0]), stage[0]
    build, final = stages
    assert any("build-essential" in line for line in build)
    assert not any("build-essential" in line or line.startswith("COPY ") for line in final)
    user = next(line.split()[1] for line in final if line.startswith("USER "))
    assert user not in ("root", "0")
    assert not any(line.startswith("WORKDIR ") for line in final), "the working directory need not be writable"


def test_dockerfile_copies_every_package_and_nothing_else() -> None:
    include = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = {name.rstrip("*") for name in include}
    copy_lines = [line.split()[1:-1] for line in dockerfile_stages()[0] if line.startswith("COPY ")]
    sources = {src for args in copy_lines for src in args}
    assert sources == packages | {"pyproject.toml", "README.md"}
    patterns = [line.strip() for line in DOCKERIGNORE.read_text().splitlines() if line.strip() and line[0] != "#"]
    for source in sources:
        assert (REPO / source).exists(), source
        assert not dockerignored(source, patterns), f"{source} is copied but excluded from the build context"
    assert not dockerignored("kernel/settings.py", patterns)
    for left_out in (
        ".venv/bin/python",
        ".git/HEAD",
        "bench/report.json",
        "tests/test_compose.py",
        "kernel/__pycache__/settings.cpython-311.pyc",
    ):
        assert dockerignored(left_out, patterns), left_out


# --- Kafka ----------------------------------------------------------------------------


def test_kafka_runs_the_local_stack_version_with_a_fixed_cluster_id() -> None:
    kafka = compose()["services"]["kafka"]
    pom = (REPO / "deploy" / "local" / "pom.xml").read_text()
    version = re.search(r"<kafka\.version>([^<]+)</kafka\.version>", pom).group(1)
    assert kafka["image"] == f"apache/kafka:{version}"
    env = kafka["environment"]
    assert len(base64.urlsafe_b64decode(env["CLUSTER_ID"] + "==")) == 16
    (volume,) = kafka["volumes"]
    name, target = volume.split(":")
    assert name in compose()["volumes"] and env["KAFKA_LOG_DIRS"] == target


@pytest.mark.stack
def test_kafka_has_the_local_stack_broker_settings(stack: Settings) -> None:
    """Every setting of the local broker (marsad/stack.py writes server.properties), with
    only its addresses and paths different."""
    local = dict(
        line.split("=", 1)
        for line in (stack.home / "kafka" / "server.properties").read_text().splitlines()
        if line and not line.startswith("#")
    )
    env = compose()["services"]["kafka"]["environment"]
    differ = {"listeners", "advertised.listeners", "controller.quorum.voters", "log.dirs", "num.partitions"}
    for key, value in local.items():
        if key not in differ:
            assert env.get("KAFKA_" + key.upper().replace(".", "_")) == value, key
    assert env["KAFKA_NUM_PARTITIONS"] == compose()["services"]["worker"]["environment"]["MARSAD_PARTITIONS"]
    assert env["KAFKA_HEAP_OPTS"] == f"-Xmx{Settings().kafka_heap} -Xms{Settings().kafka_heap}"


# --- the services' commands, run as compose runs them ------------------------------------


class ComposeRun:
    """Runs Marsad services here as compose would: the image's environment, then the
    service's, with compose's host names and ports mapped to this machine."""

    def __init__(self, stack: Settings, root: Path, shell: Mapping[str, str]) -> None:
        self.compose = compose()
        self.root, self.shell = root, shell
        self.namespace = f"t{uuid.uuid4().hex[:8]}"
        self.config = root / "config"
        self.home = root / "var-lib-marsad"
        self.cwd = root / "cwd"
        self.logs = root / "logs"
        # Inside compose every container has the same internal ports; here they share one host.
        self.ports: dict[int, int] = {}
        self.addresses = {"kafka:9092": stack.kafka_bootstrap, "redis://redis:6379/0": stack.redis_url}
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.as_user = self.run_as_nobody()

    def port(self, internal: int | str) -> int:
        return self.ports.setdefault(int(internal), free_port())

    @staticmethod
    def run_as_nobody() -> list[str]:
        if os.geteuid() == 0 and shutil.which("setpriv"):
            return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
        return []  # already not root

    def prepare(self) -> None:
        """The mounted config folder (read-only, its host names mapped), MARSAD_HOME owned
        by the user, an empty read-only working directory."""
        subnet = self.compose["networks"]["default"]["ipam"]["config"][0]["subnet"]
        shutil.copytree(CONFIG, self.config)
        for service, name in (("feeds", "feeds.yaml"), ("receiver", "channels.yaml")):
            command = self.compose["services"][service]["command"]
            internal = command[command.index("--port") + 1]
            path = self.config / name
            text = path.read_text()
            assert f"http://{service}:{internal}/" in text, f"{name} does not name {service}:{internal}"
            text = text.replace(f"http://{service}:{internal}/", f"http://127.0.0.1:{self.port(internal)}/")
            path.write_text(text.replace(subnet, "127.0.0.0/8"))  # the mapped address is loopback
        for path in [self.config, *self.config.rglob("*")]:
            path.chmod(0o555 if path.is_dir() else 0o444)
        self.home.mkdir()
        (self.home / "worker").mkdir()  # the worker's tmpfs
        self.cwd.mkdir(mode=0o555)
        self.logs.mkdir()
        if self.as_user:
            nobody = pwd.getpwnam("nobody")
            for path in (self.home, self.home / "worker"):
                os.chown(path, nobody.pw_uid, nobody.pw_gid)

    def local(self, value: str) -> str:
        for compose_value, local_value in self.addresses.items():
            if value == compose_value:
                return local_value
        for prefix, local_dir in (("/config", self.config), ("/var/lib/marsad", self.home)):
            if value == prefix or value.startswith(prefix + "/"):
                return str(local_dir) + value.removeprefix(prefix)
        return value

    def image_env(self) -> dict[str, str]:
        final = dockerfile_stages()[-1]
        env: dict[str, str] = {}
        for line in final:
            if line.startswith("ENV "):
                env.update(item.split("=", 1) for item in shlex.split(line[4:]))
        return env

    def env(self, service: str) -> dict[str, str]:
        env = {"PATH": os.environ["PATH"], "LANG": "C.UTF-8", "HOME": str(self.home)}
        env.update(self.image_env())
        env.update(
            {k: interpolate(str(v), self.shell) for k, v in self.compose["services"][service]["environment"].items()}
        )
        for key, value in env.items():
            env[key] = self.local(value)
        env["MARSAD_NAMESPACE"] = self.namespace
        for key in env:
            if key.startswith("MARSAD_") and key.endswith("_PORT"):
                env[key] = str(self.port(env[key]))
        leftovers = {k: v for k, v in env.items() if re.search(r"\b(kafka|redis|feeds|receiver):\d", v)}
        assert not leftovers, f"compose host names left unmapped: {leftovers}"
        return env

    def argv(self, service: str) -> list[str]:
        command = [str(a) for a in self.compose["services"][service]["command"]]
        assert command[0] == "marsad"
        args = [shutil.which("marsad", path=str(Path(sys.executable).parent)) or "marsad"]
        for previous, arg in zip(command, command[1:]):
            if previous == "--port":
                args.append(str(self.port(arg)))
            elif arg == "0.0.0.0":
                args.append("127.0.0.1")
            else:
                args.append(self.local(arg))
        return [*self.as_user, *args]

    def start(self, service: str) -> subprocess.Popen[bytes]:
        log = open(self.logs / f"{service}.log", "wb")
        proc = subprocess.Popen(
            self.argv(service), env=self.env(service), cwd=self.cwd, stdout=log, stderr=subprocess.STDOUT
        )
        self.procs[service] = proc
        return proc

    def run(self, service: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.argv(service), env=self.env(service), cwd=self.cwd, capture_output=True, text=True, timeout=timeout
        )

    def log(self, service: str) -> str:
        return (self.logs / f"{service}.log").read_text(errors="replace")

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@contextmanager
def compose_run(stack: Settings, shell: Mapping[str, str]) -> Iterator[ComposeRun]:
    # Not under pytest's tmp_path: its parents are private to root, the services' user
    # must reach the config folder and MARSAD_HOME.
    root = Path(tempfile.mkdtemp(prefix="marsad-compose-"))
    root.chmod(0o755)
    run = ComposeRun(stack, root, shell)
    try:
        run.prepare()
        yield run
    finally:
        run.stop()
        for path in [root, *root.rglob("*")]:
            if path.is_dir():
                path.chmod(0o755)
        shutil.rmtree(root, ignore_errors=True)


def expected_sample_alerts() -> tuple[set[tuple[str, str]], dict[tuple[str, str], str]]:
    """(rule, item) pairs deploy/demo/articles.yaml expects, and the canonical item of each
    (feed, link): a republished copy and its original alert once, whichever came first, and
    so do the reports of one story for a story rule (``story_of``)."""
    feeds = load_demo_feeds()
    canonical = {
        i.guid: i.expect.get("duplicate_of") or i.expect.get("story_of") or i.guid for f in feeds for i in f.items
    }
    by_url = {(f.id, i.link): canonical[i.guid] for f in feeds for i in f.items}
    expected = {(rule, i.guid) for f in feeds for i in f.items for rule in i.expect.get("alert", [])}
    return expected, by_url


@pytest.mark.stack
def test_compose_services_deliver_the_sample_alerts(stack: Settings) -> None:
    secret = secrets.token_hex(16)
    with compose_run(stack, {"MARSAD_WEBHOOK_SECRET": secret}) as run:
        topics = run.run("topics")
        assert topics.returncode == 0, topics.stdout + topics.stderr
        client = admin_client(stack.model_copy(update={"namespace": run.namespace}))
        try:
            assert f"{run.namespace}.alerts" in set(client.list_topics())
        finally:
            client.close()
        # Started together, as `docker compose up` does (the consumers begin at the earliest offset).
        for service in ("feeds", "receiver", "worker", "dispatcher", "connector", "api"):
            run.start(service)
        expected, canonical = expected_sample_alerts()
        seen: set[tuple[str, str]] = set()

        def deliveries() -> list[dict[str, Any]]:
            return [json.loads(line) for line in run.log("receiver").splitlines() if line.startswith("{")]

        def arrived() -> bool:
            for name, proc in run.procs.items():
                assert proc.poll() is None, f"{name} exited with {proc.returncode}:\n{run.log(name)[-3000:]}"
            for payload in deliveries():
                article = payload["article"]
                item = canonical.get((article.get("feed"), article.get("url")), article["id"])
                seen.add((payload["rule"]["id"], item))
            return expected <= seen

        def explain() -> str:
            return f"missing {sorted(expected - seen)}\n" + "\n".join(
                f"--- {name}\n{run.log(name)[-2000:]}" for name in run.procs
            )

        wait_until(arrived, 240, "the sample alerts at the receiver", interval=0.5, explain=explain)
        time.sleep(3)  # anything unexpected arrives now or not at all
        arrived()
        assert seen == expected, f"unexpected: {sorted(seen - expected)}"
        # The console and Prometheus' targets answer on the services' ports.
        api_port = run.env("api")["MARSAD_API_PORT"]
        wait_until(lambda: _answers(f"http://127.0.0.1:{api_port}/healthz"), 60, "the console's /healthz")
        for role, env_name in METRICS_PORT_ENV.items():
            port = run.env(role)[env_name]
            assert httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).status_code == 200, role
        # Nothing was written to the working directory, and the services ran as the user.
        assert list(run.cwd.iterdir()) == []
        if run.as_user:
            worker_uid = Path(f"/proc/{run.procs['worker'].pid}").stat().st_uid
            assert worker_uid == pwd.getpwnam("nobody").pw_uid


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def test_feed_folder_server_serves_files_with_etags_and_nothing_outside() -> None:
    from marsad.feed_folder import FeedFolderServer

    server = FeedFolderServer(CONFIG / "feeds").start()
    base = f"http://127.0.0.1:{server.port}"
    try:
        first = httpx.get(f"{base}/north-wire.xml", timeout=5)
        assert first.status_code == 200 and first.content == (CONFIG / "feeds" / "north-wire.xml").read_bytes()
        assert first.headers["content-type"].startswith("application/xml")
        again = httpx.get(f"{base}/north-wire.xml", headers={"If-None-Match": first.headers["etag"]}, timeout=5)
        assert again.status_code == 304
        for path in ("/", "/missing.xml", "/../feeds.yaml", "/%2e%2e/feeds.yaml", "/.hidden"):
            assert httpx.get(base + path, timeout=5).status_code == 404, path
    finally:
        server.stop()
