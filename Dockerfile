# Isnad, installed once at build time and run as a non-root user (see docs/deployment.md).
#   docker build -t isnad .                                   (extras: --build-arg ISNAD_EXTRAS=openai)
#   docker run --rm -e TELEGRAM_BOT_TOKEN=... isnad isnad start
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# What pip installs (pyproject.toml's package-dir folders), built and installed into site-packages,
# then the source removed: nothing is built or written at run time.
ARG ISNAD_EXTRAS=""
COPY pyproject.toml README.md /src/
COPY isnad /src/isnad
COPY config /src/config
COPY bot /src/bot
COPY retrieval /src/retrieval
RUN pip install "/src${ISNAD_EXTRAS:+[$ISNAD_EXTRAS]}" && rm -rf /src

# The seed articles as the default corpus (mount your own over /corpus); the index in /data.
COPY seeds /corpus
RUN useradd --create-home --uid 10001 isnad && mkdir /data && chown isnad:isnad /data
USER isnad
WORKDIR /home/isnad
ENV ISNAD_DATA_DIR=/data \
    ISNAD_CORPUS_DIR=/corpus
VOLUME ["/data"]

# The bot in webhook mode listens on ISNAD_BOT_WEBHOOK_PORT; healthy while it accepts connections.
# (Long polling listens on nothing: disable the check for such a container, as compose does for ingest.)
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import os, socket; socket.create_connection(('127.0.0.1', int(os.environ.get('ISNAD_BOT_WEBHOOK_PORT', '8443'))), 3).close()"]

CMD ["isnad", "bot"]
