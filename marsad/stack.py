"""The local stack: Apache Kafka (KRaft, from Maven Central jars) and Redis (Debian
``redis-server``), optionally Prometheus, each started by Marsad on ports of its own.

Everything lives under ``settings.home`` (data, logs, pid files) and the Kafka jars under
``settings.cache_dir``: nothing is written into the repository. ``up`` is idempotent,
``down`` stops only the processes whose pid files ``up`` wrote, and ``status`` checks each
component with a real round trip.
"""

from __future__ import annotations

import base64
import os
import random
import shutil
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from kernel.errors import MarsadError, StackUnavailable
from kernel.kafka import ensure_topics, wait_for_kafka
from kernel.redis_client import redis_answers
from kernel.settings import REPO_ROOT, Settings

KAFKA_POM = REPO_ROOT / "deploy" / "local" / "pom.xml"
PROMETHEUS_TEMPLATE = REPO_ROOT / "deploy" / "prometheus" / "prometheus.local.yml"


@dataclass(frozen=True)
class ComponentStatus:
    name: str
    running: bool
    healthy: bool
    pid: int | None
    address: str
    detail: str = ""


# --- helpers ---------------------------------------------------------------------


def _run_dir(s: Settings) -> Path:
    return s.home / "run"


def _log_dir(s: Settings) -> Path:
    return s.home / "logs"


def _pid_file(s: Settings, name: str) -> Path:
    return _run_dir(s) / f"{name}.pid"


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


# Marker found in the command line of each component: a recycled pid is never ours.
_MARKERS = {"kafka": "kafka.Kafka", "redis": "redis-server", "prometheus": "prometheus"}


def _our_pid(s: Settings, name: str) -> int | None:
    """The pid recorded by `up` when that process is still alive and still ours."""
    path = _pid_file(s, name)
    try:
        pid = int(path.read_text().strip())
    except (OSError, ValueError):
        return None
    cmd = _cmdline(pid)
    if not cmd or _MARKERS[name] not in cmd:
        return None
    # Each component runs with its working directory under our home (redis-server
    # rewrites its command line, so the cwd is the reliable mark of "started by us").
    try:
        cwd = Path(os.readlink(f"/proc/{pid}/cwd"))
    except OSError:
        return None
    return pid if cwd.is_relative_to(s.home.resolve()) else None


def _port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _kafka_host_port(s: Settings) -> tuple[str, int]:
    first = s.kafka_bootstrap.split(",")[0]
    host, _, port = first.rpartition(":")
    return host or "127.0.0.1", int(port)


def _spawn(cmd: list[str], log_path: Path, cwd: Path) -> subprocess.Popen:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        return subprocess.Popen(
            cmd,
            cwd=cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # not killed with the terminal; `down` stops it
        )


def _launch(s: Settings, name: str, cmd: list[str], cwd: Path) -> subprocess.Popen:
    """Start a component in its own session, logging to logs/<name>.log, and record its pid."""
    proc = _spawn(cmd, _log_dir(s) / f"{name}.log", cwd)
    _pid_file(s, name).parent.mkdir(parents=True, exist_ok=True)
    _pid_file(s, name).write_text(str(proc.pid))
    return proc


def _wait_ready(s: Settings, name: str, proc: subprocess.Popen, ready, timeout_s: float, interval: float) -> str:
    """Poll ``ready()`` until it holds; fail fast when the process exits."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise StackUnavailable(f"{name} exited with code {proc.returncode}; see {_log_dir(s) / f'{name}.log'}")
        if ready():
            return f"started (pid {proc.pid})"
        time.sleep(interval)
    raise StackUnavailable(f"{name} was not ready within {timeout_s:.0f}s; see {_log_dir(s) / f'{name}.log'}")


def _say(msg: str, quiet: bool) -> None:
    if not quiet:
        print(msg, flush=True)


# --- Kafka -----------------------------------------------------------------------


def kafka_libs(s: Settings, quiet: bool = False) -> Path:
    """The Kafka jars, fetched once from Maven Central into the cache."""
    version = _pom_kafka_version()
    libs = s.cache_dir / f"kafka-{version}" / "libs"
    done = libs.parent / ".complete"
    if done.exists():
        return libs
    if shutil.which("mvn") is None or shutil.which("java") is None:
        raise StackUnavailable("Kafka needs `java` (JDK 17) and `mvn` (Maven) on PATH")
    _say(f"fetching Apache Kafka {version} from Maven Central into {libs} …", quiet)
    tmp = libs.parent / "libs.partial"
    shutil.rmtree(tmp, ignore_errors=True)
    proc = subprocess.run(
        [
            "mvn",
            "-q",
            "-B",
            "-f",
            str(KAFKA_POM),
            "dependency:copy-dependencies",
            "-DincludeScope=runtime",
            f"-DoutputDirectory={tmp}",
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    if proc.returncode != 0:
        raise StackUnavailable(f"Maven could not fetch Kafka:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    shutil.rmtree(libs, ignore_errors=True)
    tmp.rename(libs)
    done.write_text(version)
    return libs


def _pom_kafka_version() -> str:
    text = KAFKA_POM.read_text()
    start = text.index("<kafka.version>") + len("<kafka.version>")
    return text[start : text.index("</kafka.version>")]


def _kafka_config(s: Settings) -> Path:
    host, port = _kafka_host_port(s)
    kdir = s.home / "kafka"
    data = kdir / "data"
    data.mkdir(parents=True, exist_ok=True)
    props = kdir / "server.properties"
    props.write_text(
        "\n".join(
            [
                "# written by `marsad stack up`; edit MARSAD_* settings instead",
                "process.roles=broker,controller",
                "node.id=1",
                f"controller.quorum.voters=1@{host}:{s.kafka_controller_port}",
                f"listeners=PLAINTEXT://{host}:{port},CONTROLLER://{host}:{s.kafka_controller_port}",
                f"advertised.listeners=PLAINTEXT://{host}:{port}",
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                f"log.dirs={data}",
                f"num.partitions={s.partitions}",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=8",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=true",
                # Every producer's max_request_size is the same setting (kernel.kafka).
                f"message.max.bytes={s.kafka_max_message_bytes}",
                "log.retention.check.interval.ms=60000",
                "",
            ]
        )
    )
    (kdir / "log4j2.properties").write_text(
        "status = warn\n"
        "appender.out.type = Console\nappender.out.name = OUT\n"
        "appender.out.layout.type = PatternLayout\n"
        "appender.out.layout.pattern = [%d] %p %m (%c)%n\n"
        "rootLogger.level = INFO\nrootLogger.appenderRef.out.ref = OUT\n"
        "logger.kafka.name = kafka\nlogger.kafka.level = INFO\n"
        "logger.state.name = state.change.logger\nlogger.state.level = WARN\n"
    )
    return props


def _format_storage(s: Settings, libs: Path, props: Path) -> None:
    data = s.home / "kafka" / "data"
    if (data / "meta.properties").exists():
        return
    cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
    proc = subprocess.run(
        [
            "java",
            "-cp",
            f"{libs}/*",
            "kafka.tools.StorageTool",
            "format",
            f"--cluster-id={cluster_id}",
            "-c",
            str(props),
            "--ignore-formatted",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if proc.returncode != 0:
        raise StackUnavailable(f"formatting Kafka storage failed: {proc.stdout}{proc.stderr}")


def start_kafka(s: Settings, quiet: bool = False, timeout_s: float = 90.0) -> str:
    host, port = _kafka_host_port(s)
    if _our_pid(s, "kafka"):
        wait_for_kafka(s, timeout_s)
        return "already running"
    if _port_open(host, port):
        raise MarsadError(
            f"port {port} is in use by a process that `marsad stack up` did not start; "
            "stop it or set MARSAD_KAFKA_BOOTSTRAP to another port"
        )
    libs = kafka_libs(s, quiet)
    props = _kafka_config(s)
    _format_storage(s, libs, props)
    kdir = s.home / "kafka"
    proc = _launch(
        s,
        "kafka",
        [
            "java",
            f"-Xmx{s.kafka_heap}",
            f"-Xms{s.kafka_heap}",
            "-XX:+UseG1GC",
            "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={kdir / 'log4j2.properties'}",
            f"-Dkafka.logs.dir={_log_dir(s)}",
            "-cp",
            f"{libs}/*",
            "kafka.Kafka",
            str(props),
        ],
        kdir,
    )
    started = time.monotonic()
    _wait_ready(s, "kafka", proc, lambda: _port_open(host, port), timeout_s, 0.3)
    # Readiness is a real metadata round trip, not a sleep.
    wait_for_kafka(s, max(5.0, timeout_s - (time.monotonic() - started)))
    return f"started (pid {proc.pid})"


# --- Redis -----------------------------------------------------------------------


def _redis_server_binary() -> str:
    found = shutil.which("redis-server") or (
        "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None
    )
    if found:
        return found
    raise StackUnavailable(
        "redis-server is not installed; run `make install` (it runs "
        "`apt-get install -y redis-server`) or install it yourself"
    )


def redis_healthy(s: Settings) -> bool:
    return redis_answers(s, timeout_s=2.0)


def start_redis(s: Settings, timeout_s: float = 20.0) -> str:
    if _our_pid(s, "redis"):
        if redis_healthy(s):
            return "already running"
    if _port_open("127.0.0.1", s.redis_port):
        raise MarsadError(
            f"port {s.redis_port} is in use by a process that `marsad stack up` did not start; "
            "stop it or set MARSAD_REDIS_PORT and MARSAD_REDIS_URL to another port"
        )
    rdir = s.home / "redis"
    rdir.mkdir(parents=True, exist_ok=True)
    proc = _launch(
        s,
        "redis",
        [
            _redis_server_binary(),
            "--port",
            str(s.redis_port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(rdir),
            "--appendonly",
            "yes",
            "--appendfsync",
            "everysec",
            "--daemonize",
            "no",
            "--protected-mode",
            "yes",
            "--save",
            "",
            "--maxmemory-policy",
            "noeviction",
        ],
        rdir,
    )
    return _wait_ready(s, "redis", proc, lambda: redis_healthy(s), timeout_s, 0.1)


# --- Prometheus (optional) --------------------------------------------------------


def prometheus_binary() -> str | None:
    return shutil.which("prometheus") or ("/usr/bin/prometheus" if Path("/usr/bin/prometheus").exists() else None)


def _prometheus_healthy(s: Settings) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{s.prometheus_port}/-/ready", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def start_prometheus(s: Settings, timeout_s: float = 30.0) -> str:
    if _our_pid(s, "prometheus") and _prometheus_healthy(s):
        return "already running"
    binary = prometheus_binary()
    if binary is None:
        raise StackUnavailable("prometheus is not installed (Debian package `prometheus`)")
    pdir = s.home / "prometheus"
    pdir.mkdir(parents=True, exist_ok=True)
    config = pdir / "prometheus.yml"
    config.write_text(render_prometheus_config(s))
    proc = _launch(
        s,
        "prometheus",
        [
            binary,
            f"--config.file={config}",
            f"--storage.tsdb.path={pdir / 'data'}",
            f"--web.listen-address=127.0.0.1:{s.prometheus_port}",
            "--web.enable-lifecycle",
        ],
        pdir,
    )
    return _wait_ready(s, "prometheus", proc, lambda: _prometheus_healthy(s), timeout_s, 0.3)


def render_prometheus_config(s: Settings) -> str:
    """The local Prometheus config: the template with this stack's metrics ports."""
    template = PROMETHEUS_TEMPLATE.read_text()
    return (
        template.replace("${CONNECTOR_PORT}", str(s.connector_metrics_port))
        .replace("${WORKER_PORT}", str(s.worker_metrics_port))
        .replace("${DISPATCHER_PORT}", str(s.dispatcher_metrics_port))
        .replace("${API_METRICS_PORT}", str(s.api_metrics_port))
        .replace("${RULES_FILE}", str(REPO_ROOT / "deploy" / "prometheus" / "alerts.yml"))
    )


# --- the stack -------------------------------------------------------------------


_HANDED_OUT: set[int] = set()


# Below the kernel's range of source ports for outgoing connections (Linux's default starts
# at 32768), a port is only ever taken by a listener.
_LISTENING_PORTS = range(20_000, 32_768)


def _source_ports() -> range:
    """The ports the kernel gives outgoing connections (ip_local_port_range)."""
    try:
        low, high = map(int, Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split())
    except (OSError, ValueError):
        return range(32_768, 61_000)
    return range(low, high + 1)


def free_port() -> int:
    """A port free now, not among the source ports of outgoing connections, and not handed
    out before by this process.

    A port from bind(0) is one the kernel also gives outgoing connections as their source:
    between being chosen and being listened on, a client's connection (to Kafka, to Redis)
    may take it (`marsad run` once found its console port in use in CI), so a port is
    drawn from _LISTENING_PORTS where those are not. The kernel may also give the same
    port to two bind(0) calls in a row once the first socket is closed; remembering ours
    keeps the console, the worker's /metrics and the rest of one stack from being told the
    same port (a worker once crashed on it in CI)."""
    source = _source_ports()
    draws = [random.randrange(_LISTENING_PORTS.start, _LISTENING_PORTS.stop) for _ in range(64)]
    for port in [p for p in draws if p not in source and p not in _HANDED_OUT] + [0]:  # 0: bind(0)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue  # (taken)
            port = int(sock.getsockname()[1])
        if port not in _HANDED_OUT:
            _HANDED_OUT.add(port)
            return port
    return free_port()  # (bind(0) gave a port handed out before: draw again)


def isolated_settings(home: Path, namespace: str, **overrides: Any) -> Settings:
    """Settings for a private stack under ``home`` on free ports (tests, benchmarks)."""
    redis_port = free_port()
    values: dict[str, Any] = dict(
        home=home,
        kafka_bootstrap=f"127.0.0.1:{free_port()}",
        kafka_controller_port=free_port(),
        redis_port=redis_port,
        redis_url=f"redis://127.0.0.1:{redis_port}/0",
        namespace=namespace,
        partitions=2,
        kafka_heap="512m",
        connector_metrics_port=free_port(),
        worker_metrics_port=free_port(),
        dispatcher_metrics_port=free_port(),
        prometheus_port=free_port(),
        api_port=free_port(),
        api_metrics_port=free_port(),
    )
    values.update(overrides)
    return Settings(**values)


def up(s: Settings, *, with_prometheus: bool = False, quiet: bool = False) -> dict[str, str]:
    """Start what is not running, create the topics; harmless when already up."""
    for d in (s.home, _run_dir(s), _log_dir(s)):
        d.mkdir(parents=True, exist_ok=True)
    result = {"redis": start_redis(s)}
    _say(f"redis      {result['redis']}  {s.redis_url}", quiet)
    result["kafka"] = start_kafka(s, quiet)
    _say(f"kafka      {result['kafka']}  {s.kafka_bootstrap}", quiet)
    created = ensure_topics(s)
    result["topics"] = f"created {', '.join(created)}" if created else "all present"
    _say(f"topics     {result['topics']}", quiet)
    if with_prometheus:
        result["prometheus"] = start_prometheus(s)
        _say(f"prometheus {result['prometheus']}  http://127.0.0.1:{s.prometheus_port}", quiet)
    return result


def _stop_pid(pid: int, timeout_s: float) -> None:
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    except PermissionError:
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not Path(f"/proc/{pid}").exists() or _is_zombie(pid):
            return
        time.sleep(0.2)
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _is_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z"
    except OSError:
        return True


def stop_component(s: Settings, name: str) -> bool:
    """Stop one component this stack started (fault tests restart Kafka or Redis)."""
    pid = _our_pid(s, name)
    if pid is None:
        return False
    _stop_pid(pid, timeout_s=40.0 if name == "kafka" else 10.0)
    _pid_file(s, name).unlink(missing_ok=True)
    return True


def down(s: Settings, quiet: bool = False) -> dict[str, str]:
    """Stop only the processes this stack started (by pid file)."""
    result: dict[str, str] = {}
    for name in ("prometheus", "kafka", "redis"):
        pid = _our_pid(s, name)
        if pid is None:
            result[name] = "not running"
        else:
            _stop_pid(pid, timeout_s=40.0 if name == "kafka" else 10.0)
            result[name] = f"stopped (pid {pid})"
        _pid_file(s, name).unlink(missing_ok=True)
        _say(f"{name:<10} {result[name]}", quiet)
    return result


def status(s: Settings) -> list[ComponentStatus]:
    out: list[ComponentStatus] = []
    pid = _our_pid(s, "redis")
    out.append(ComponentStatus("redis", pid is not None, redis_healthy(s), pid, s.redis_url))
    pid = _our_pid(s, "kafka")
    healthy, detail = False, ""
    try:
        wait_for_kafka(s, timeout_s=5.0)
        healthy = True
    except StackUnavailable:
        detail = "no answer to a metadata request within 5s"
    out.append(ComponentStatus("kafka", pid is not None, healthy, pid, s.kafka_bootstrap, detail))
    pid = _our_pid(s, "prometheus")
    if pid is not None:
        out.append(
            ComponentStatus("prometheus", True, _prometheus_healthy(s), pid, f"http://127.0.0.1:{s.prometheus_port}")
        )
    return out
