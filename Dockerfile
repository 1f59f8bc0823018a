# syntax=docker/dockerfile:1
#
# The Smart City Board bot as a container image.
#
#   docker build -t smart-city-board-bot .
#   docker run --rm -v ./config.toml:/etc/board-bot/config.toml:ro \
#       -v board-bot-data:/var/lib/board-bot smart-city-board-bot
#
# deploy/compose.yaml runs it with PostgreSQL (and, for trying it, a Synapse homeserver).
# The config is read from /etc/board-bot/config.toml; its [storage] data_dir must be
# /var/lib/board-bot, the volume that keeps the database (SQLite), the login and the encryption
# keys. Secrets come from the environment ("env:NAME" in the config).

# A patch release of Python on Debian 12; for reproducible builds pin its digest as well
# (python:3.11.14-slim-bookworm@sha256:...), and bump both when Debian ships security fixes.
ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm

# ---- builder: the bot and its dependencies, installed into a virtual environment ----------
FROM ${PYTHON_IMAGE} AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

# The same path as in the runtime stage: a virtual environment cannot be moved.
RUN python -m venv /opt/board-bot

WORKDIR /src
COPY pyproject.toml setup.py README.md ./
COPY board_bot ./board_bot
COPY commands ./commands
COPY migrations ./migrations
# A regular (not editable) install; setup.py compiles the message catalogs on the way. Every
# dependency comes as a wheel (matrix-nio's encryption uses vodozemac, which needs no libolm).
RUN /opt/board-bot/bin/pip install . \
    && /opt/board-bot/bin/board-bot --help > /dev/null

# ---- runtime ------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

LABEL org.opencontainers.image.title="Smart City Board bot" \
      org.opencontainers.image.description="Matrix bot for a city's interdepartmental Smart City Board" \
      org.opencontainers.image.licenses="Apache-2.0"

# WeasyPrint (the report's PDF) needs Pango and HarfBuzz; libharfbuzz-subset0 embeds fonts so
# that the PDF's text can be searched and copied; the report is set in DejaVu Sans. tzdata for
# Europe/Berlin. postgresql-client for `board-bot backup` and `restore` with PostgreSQL (pg_dump
# 15 on Debian 12: it dumps servers up to PostgreSQL 15). Debian's versions are not pinned:
# the point releases bring security fixes.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        libfontconfig1 \
        fonts-dejavu-core \
        postgresql-client \
        tzdata \
    && rm -rf /var/lib/apt/lists/*

# A system user without a shell or a password; the data directory is its own and no one
# else's (the bot keeps its files 0600 in it, whatever the umask).
RUN groupadd --system --gid 10001 board-bot \
    && useradd --system --uid 10001 --gid board-bot --no-create-home \
        --home-dir /var/lib/board-bot --shell /usr/sbin/nologin board-bot \
    && install -d -m 0700 -o board-bot -g board-bot /var/lib/board-bot \
    && install -d -m 0755 /etc/board-bot

COPY --from=builder /opt/board-bot /opt/board-bot

ENV PATH=/opt/board-bot/bin:$PATH \
    BOARD_BOT_CONFIG=/etc/board-bot/config.toml \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    MPLCONFIGDIR=/tmp/matplotlib \
    XDG_CACHE_HOME=/tmp/cache

# The bot with every library it loads: fails the build when a shared library is missing.
RUN python -c "import weasyprint, matplotlib.pyplot, board_bot.app" \
    && rm -rf /tmp/matplotlib /tmp/cache

USER 10001:10001
WORKDIR /var/lib/board-bot
VOLUME ["/var/lib/board-bot"]

# Asks the bot's own /healthz on the [monitoring] port of the config (set a port there: with
# port = 0 the monitoring is off and the check reports the container unhealthy).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["board-bot", "healthcheck", "--config", "/etc/board-bot/config.toml"]

# The bot stops cleanly on SIGTERM (docker stop); commands sent while it is down are carried
# out after the restart.
STOPSIGNAL SIGTERM
ENTRYPOINT ["board-bot"]
CMD ["run", "--config", "/etc/board-bot/config.toml"]
