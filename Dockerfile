# syntax=docker/dockerfile:1
# Newsflow worker image: `docker build -t newsflow:0.1.0 .`
# One image serves every stage; NEWSFLOW_STAGES picks the agents a container runs.

FROM python:3.11-slim AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src

# Dependencies first, from pyproject.toml alone, so editing the source reuses this layer.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
 && pip install --no-cache-dir -r /tmp/requirements.txt

# Then the package itself (.dockerignore lets in only what the wheel needs).
COPY . ./
RUN pip install --no-cache-dir --no-deps . \
 && newsflow --help >/dev/null


FROM python:3.11-slim AS runtime

LABEL org.opencontainers.image.title="newsflow" \
      org.opencontainers.image.description="Streaming ingestion for news articles: clean, tag and deduplicate on Kafka." \
      org.opencontainers.image.licenses="Apache-2.0"

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOME=/home/newsflow \
    NEWSFLOW_DATA_DIR=/var/lib/newsflow \
    NEWSFLOW_WEB_HOST=0.0.0.0 \
    NEWSFLOW_WEB_PORT=6066

# A fixed numeric uid/gid (10001) so Kubernetes' runAsUser/fsGroup can match it.
RUN groupadd --system --gid 10001 newsflow \
 && useradd --system --uid 10001 --gid newsflow --home-dir /home/newsflow --create-home \
        --shell /usr/sbin/nologin newsflow \
 && mkdir -p /var/lib/newsflow \
 && chown newsflow:newsflow /var/lib/newsflow

COPY --from=build /opt/venv /opt/venv

USER 10001:10001
WORKDIR /home/newsflow

# Table state (RocksDB) lives here; mount a volume so a restart does not replay the changelog.
VOLUME ["/var/lib/newsflow"]

# Worker web server: /livez and /readyz.
EXPOSE 6066

# Slim images have no curl: the CLI probes the local web server itself.
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
    CMD ["newsflow", "healthcheck"]

ENTRYPOINT ["newsflow"]
CMD ["worker"]
