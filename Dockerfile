# escdesk: one image for the web app (`escdesk serve`) and the delivery worker (`escdesk worker`),
# configured only by ESCDESK_* variables (ESCDESK_*_FILE for secrets). See "Operations" in README.
# Python 3.11, the version requirements.lock is compiled with; the runtime dependencies at the
# versions it pins (the lock is used as constraints, so the test tools it also pins stay out).

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY requirements.lock pyproject.toml README.md ./
COPY src ./src
RUN python -m venv /opt/escdesk \
 && /opt/escdesk/bin/pip install --constraint requirements.lock . \
 && /opt/escdesk/bin/pip uninstall --yes pip

FROM python:3.11-slim
RUN groupadd --system --gid 10001 escdesk \
 && useradd --system --uid 10001 --gid escdesk --home-dir /var/lib/escdesk --create-home escdesk
COPY --from=build /opt/escdesk /opt/escdesk
ENV PATH=/opt/escdesk/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    ESCDESK_LOG_FORMAT=json \
    XDG_DATA_HOME=/var/lib/escdesk \
    XDG_CONFIG_HOME=/var/lib/escdesk/config
USER escdesk:escdesk
WORKDIR /var/lib/escdesk
EXPOSE 8000
# SIGTERM (docker stop) lets requests in flight, or the delivery in hand, finish.
STOPSIGNAL SIGTERM
ENTRYPOINT ["escdesk"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
