# Tadamon POS: the web server and the print worker, one image (compose.yaml runs both).
FROM python:3.11-slim-bookworm

# libfribidi: Pillow shapes Arabic with libraqm when it is there (receipts, cards).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libfribidi0 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /var/lib/tadamon tadamon

WORKDIR /opt/tadamon
COPY requirements.lock pyproject.toml README.md ./
RUN python -m venv .venv && .venv/bin/pip install --no-cache-dir -r requirements.lock
COPY config.py babel.cfg ./
COPY pos pos
COPY printers printers
COPY migrations migrations
# Editable, as `make run` installs it: the migrations stay beside the code that finds them.
RUN .venv/bin/pip install --no-cache-dir --no-deps -e .

ENV PATH=/opt/tadamon/.venv/bin:$PATH \
    POS_INSTANCE_PATH=/var/lib/tadamon \
    PYTHONUNBUFFERED=1
USER tadamon
EXPOSE 5000
HEALTHCHECK --interval=10s --timeout=3s --retries=6 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5000/readyz', timeout=2)"
# Migrations before the server starts; several containers may start at once (a lock).
CMD ["sh", "-c", "pos db upgrade && exec pos serve --host 0.0.0.0 --port 5000 --workers 4 --no-print-worker"]
