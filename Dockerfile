# One image for web, worker and beat (docker-compose.yml picks the command).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=accelerator.settings.production \
    VAR_DIR=/app/var

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 accelerator

WORKDIR /app
# The runtime lock only (no test tools), every file checked against its hash.
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock

COPY --chown=accelerator:accelerator . .
RUN for po in locale/*/LC_MESSAGES/django.po; do msgfmt -o "${po%.po}.mo" "$po"; done \
    && mkdir -p /app/var/media && chown -R accelerator:accelerator /app/var

USER accelerator
EXPOSE 8000
CMD ["gunicorn", "accelerator.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "30"]
