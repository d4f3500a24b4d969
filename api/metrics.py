"""Prometheus metrics: requests, latencies, and what the index holds.

Each app gets its own registry, so that tests can build many apps in one process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class _IndexCollector(Collector):
    """Reads the index figures at scrape time, so they are never stale."""

    def __init__(self, snapshot: Callable[[], dict[str, Any]]) -> None:
        self._snapshot = snapshot

    def collect(self) -> Iterator[Metric]:
        figures = self._snapshot()
        for name, help_text in (
            ("documents", "Documents in the index."),
            ("chunks", "Passages (chunks) in the index."),
        ):
            gauge = GaugeMetricFamily(f"gremium_{name}_indexed", help_text)
            gauge.add_metric([], float(figures.get(name) or 0))
            yield gauge
        ready = GaugeMetricFamily(
            "gremium_index_ready", "1 when queries are answered, 0 while indexing."
        )
        ready.add_metric([], 1.0 if figures.get("ready") else 0.0)
        yield ready


class Metrics:
    def __init__(self, snapshot: Callable[[], dict[str, Any]]) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "gremium_http_requests",
            "HTTP requests by method, route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "gremium_http_request_duration_seconds",
            "Time from request to the last byte of the response.",
            ["method", "route"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.index_registry = CollectorRegistry()
        self.index_registry.register(_IndexCollector(snapshot))

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)

    def render(self, *, include_index: bool = True) -> bytes:
        """Request metrics; with `include_index` also the index gauges (global counts)."""
        text = generate_latest(self.registry)
        return text + generate_latest(self.index_registry) if include_index else text
