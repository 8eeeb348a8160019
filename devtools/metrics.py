"""Sum a metrics file (`SEVALLA_METRICS_FILE`: one JSON line per provider process) per Terraform
command: a table, and a PNG plot of API calls by route and of waits over time.

    python -m devtools.metrics build/demo/metrics.jsonl [--png build/demo/metrics.png]

A Terraform command starts 3-5 provider processes (validate, plan, apply, ...); each line says
which Terraform process started it (`terraform_pid`) and which command its RPCs make it part of,
so the lines of one `terraform apply` are summed together, in the order the commands ran.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import attrs

# Which name a command takes from its processes: an apply's plan process says "plan".
RANK = ("query", "destroy", "apply", "import", "plan", "other")
COUNTS = ("api_calls_total", "cache_hits", "cache_misses", "retries", "rate_limit_waits", "responses_429")


@attrs.define
class CommandTotals:
    """What the provider processes of one Terraform command did, summed."""

    command: str
    terraform_pid: str | None
    started: str  # the first line's timestamp
    processes: int = 0
    counts: Counter[str] = attrs.field(factory=Counter)
    rpcs: Counter[str] = attrs.field(factory=Counter)
    routes: Counter[str] = attrs.field(factory=Counter)
    wait_seconds: float = 0.0
    peak_rss_mib: float = 0.0

    def add(self, line: dict[str, Any]) -> None:
        self.processes += 1
        self.counts.update({name: int(line.get(name, 0)) for name in COUNTS})
        self.rpcs.update(line.get("rpcs", {}))
        self.routes.update(line.get("api_calls_by_route", {}))
        self.wait_seconds += float(line.get("rate_limit_wait_seconds", 0.0))
        self.peak_rss_mib = max(self.peak_rss_mib, float(line.get("peak_rss_mib", 0.0)))


def read_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(text) for text in path.read_text().splitlines() if text.strip()]


def by_command(lines: list[dict[str, Any]]) -> list[CommandTotals]:
    """The lines summed per Terraform process (and command), in the order they started.
    Lines without a Terraform pid (an older provider) are summed per command name."""
    totals: dict[tuple[Any, str], CommandTotals] = {}
    for line in sorted(lines, key=lambda item: item.get("timestamp", "")):
        pid = line.get("terraform_pid")
        key = (pid, "" if pid else line.get("command", "other"))
        if key not in totals:
            totals[key] = CommandTotals(line.get("command", "other"), pid, line.get("timestamp", ""))
        total = totals[key]
        named = line.get("command", "other")
        if RANK.index(named) < RANK.index(total.command):  # `terraform apply` also plans
            total.command = named
        total.add(line)
    return list(totals.values())


def table(totals: list[CommandTotals]) -> str:
    header = (
        "command",
        "procs",
        "RPCs",
        "API calls",
        "cache hit/miss",
        "retries",
        "waits (s)",
        "429s",
        "RSS MiB",
    )
    rows = [
        (
            total.command,
            str(total.processes),
            str(sum(total.rpcs.values())),
            str(total.counts["api_calls_total"]),
            f"{total.counts['cache_hits']}/{total.counts['cache_misses']}",
            str(total.counts["retries"]),
            f"{total.counts['rate_limit_waits']} ({total.wait_seconds:.1f})",
            str(total.counts["responses_429"]),
            f"{total.peak_rss_mib:.0f}",
        )
        for total in totals
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True))
        for row in [header, *rows]
    ]
    routes: Counter[str] = Counter()
    for total in totals:
        routes.update(total.routes)
    if routes:
        lines += ["", "API calls by route (all commands):"]
        lines += [f"  {count:>5}  {route}" for route, count in routes.most_common()]
    return "\n".join(lines)


def plot(totals: list[CommandTotals], lines: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (calls_ax, waits_ax) = plt.subplots(1, 2, figsize=(11, 4.2))
    names = [f"{i + 1}. {total.command}" for i, total in enumerate(totals)]
    routes = sorted({route for total in totals for route in total.routes})
    bottom = [0] * len(totals)
    for route in routes:
        heights = [total.routes.get(route, 0) for total in totals]
        calls_ax.bar(names, heights, bottom=bottom, label=route)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    calls_ax.set_title("API calls by route, per Terraform command")
    calls_ax.set_ylabel("API calls")
    calls_ax.tick_params(axis="x", rotation=30)
    if routes:
        calls_ax.legend(fontsize=6, loc="upper left")
    stamps = [line.get("timestamp", "") for line in lines]
    order = sorted(range(len(lines)), key=lambda i: stamps[i])
    waits_ax.plot(
        range(len(order)),
        [float(lines[i].get("rate_limit_wait_seconds", 0.0)) for i in order],
        marker="o",
        label="rate-limit waits (s)",
    )
    waits_ax.plot(
        range(len(order)), [int(lines[i].get("cache_hits", 0)) for i in order], marker="x", label="cache hits"
    )
    waits_ax.set_title("Per provider process, in start order")
    waits_ax.set_xlabel("provider process")
    waits_ax.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("file", type=Path, help="a SEVALLA_METRICS_FILE")
    parser.add_argument("--png", type=Path, help="also write this plot")
    args = parser.parse_args(argv)
    if not args.file.exists():
        print(f"{args.file}: no provider process wrote metrics", file=sys.stderr)
        return 1
    lines = read_lines(args.file)
    totals = by_command(lines)
    print(table(totals))
    if args.png:
        plot(totals, lines, args.png)
        print(f"\nplot: {args.png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
