"""The benchmark's table (with PASS/FAIL against the issue's targets) and its plot."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TARGETS = {
    "handshake_warm_ms": 100.0,  # median, launcher with a warm server
    "handshake_cold_ms": 300.0,  # median, launcher without one, page cache dropped
    "exit_ms": 30.0,  # median, Terraform's Shutdown call → process exit
    "rss_mib": 80.0,  # peak RSS (VmHWM) of the serving process
    "plan_ratio": 3.0,  # median, 1-resource plan / terraform_data-only plan
}


@dataclass
class Row:
    name: str
    value: str
    target: str = ""
    verdict: str = ""


def save_figure(fig: Any, path: Path) -> None:
    """Lay a benchmark's figure out, write it as a PNG (creating the directory) and free it."""
    import matplotlib.pyplot as plt

    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def ms(values: list[float]) -> tuple[float, float]:
    return statistics.median(values) * 1000, max(values) * 1000


def verdict(value: float, limit: float) -> str:
    return "PASS" if value <= limit else "FAIL"


def start_rows(starts: dict[str, list[Any]]) -> list[Row]:
    rows = []
    for label, samples in starts.items():
        hs_med, hs_max = ms([s.handshake_s for s in samples])
        ex_med, ex_max = ms([s.exit_s for s in samples])
        rss = max(s.rss_peak_kib for s in samples) / 1024
        pss = statistics.median(s.pss_kib for s in samples) / 1024
        hs_target = ex_target = rss_target = ""
        hs_verdict = ex_verdict = rss_verdict = ""
        if label in ("launcher, cold", "launcher, warm", "artifact, cold", "artifact, warm"):
            key = "handshake_warm_ms" if label.endswith("warm") else "handshake_cold_ms"
            hs_target, hs_verdict = f"≤ {TARGETS[key]:.0f} ms median", verdict(hs_med, TARGETS[key])
            ex_target, ex_verdict = (
                f"≤ {TARGETS['exit_ms']:.0f} ms median",
                verdict(ex_med, TARGETS["exit_ms"]),
            )
            rss_target, rss_verdict = f"≤ {TARGETS['rss_mib']:.0f} MiB", verdict(rss, TARGETS["rss_mib"])
        n = len(samples)
        rows.append(
            Row(
                f"{label}: exec → handshake (n={n})",
                f"median {hs_med:.0f} ms, max {hs_max:.0f} ms",
                hs_target,
                hs_verdict,
            )
        )
        codes = sorted({s.exit_code for s in samples})
        exit_value = f"median {ex_med:.1f} ms, max {ex_max:.1f} ms"
        if codes != [0]:  # a fast exit that crashes is no exit target met
            exit_value += f", exit codes {codes}"
            ex_verdict = "FAIL" if ex_verdict else ""
        rows.append(
            Row(
                f"{label}: close → exit (n={n})",
                exit_value,
                ex_target,
                ex_verdict,
            )
        )
        rows.append(
            Row(f"{label}: RSS peak / PSS", f"{rss:.1f} MiB / {pss:.1f} MiB", rss_target, rss_verdict)
        )
    return rows


def floor_rows(floors: dict[str, list[float]]) -> list[Row]:
    """The import floor: a process importing only pyvider and gRPC (no provider code), then exiting."""
    rows = []
    for label, samples in floors.items():
        median, most = ms(samples)
        rows.append(
            Row(
                f"floor, {label}: exec → pyvider + gRPC imported (n={len(samples)})",
                f"median {median:.0f} ms, max {most:.0f} ms",
            )
        )
    return rows


def terraform_rows(runs: dict[str, Any]) -> list[Row]:
    rows = []
    for label, times in runs.items():
        for command in ("plan", "apply", "destroy", "plan (cold)"):
            if command not in times.ratios:
                continue
            ours = statistics.median(times.sevalla[command])
            theirs = statistics.median(times.terraform_data[command])
            ratio = statistics.median(times.ratios[command])
            target = result = ""
            if command == "plan" and label in ("launcher", "artifact"):
                target, result = f"≤ {TARGETS['plan_ratio']:.0f}×", verdict(ratio, TARGETS["plan_ratio"])
            rows.append(
                Row(
                    f"{label}: terraform {command} (n={len(times.ratios[command])})",
                    f"{ours:.2f} s vs terraform_data {theirs:.2f} s = {ratio:.2f}×",
                    target,
                    result,
                )
            )
    return rows


def artifact_rows(zip_bytes: int, unpacked_bytes: int) -> list[Row]:
    zipped = zip_bytes / 2**20
    return [
        Row(
            "artifact: zip",
            f"{zipped:.1f} MiB ({zip_bytes / 1e6:.1f} MB)",
            "≤ 40 MB",
            verdict(zip_bytes / 1e6, 40.0),
        ),
        Row("artifact: unpacked", f"{unpacked_bytes / 2**20:.1f} MiB"),
    ]


def column_table(rows: list[dict[str, Any]], columns: list[tuple[str, str]]) -> str:
    """Dict rows as right-aligned columns: `columns` is (key, title) pairs."""
    widths = [max(len(title), *(len(str(r[key])) for r in rows)) for key, title in columns]
    lines = ["  ".join(title.rjust(w) for (_, title), w in zip(columns, widths, strict=True))]
    for r in rows:
        lines.append("  ".join(str(r[key]).rjust(w) for (key, _), w in zip(columns, widths, strict=True)))
    return "\n".join(lines)


def format_table(rows: list[Row]) -> str:
    widths = [max(len(getattr(r, f)) for r in rows) for f in ("name", "value", "target")]
    lines = []
    for r in rows:
        lines.append(
            f"{r.name:<{widths[0]}}  {r.value:<{widths[1]}}  {r.target:<{widths[2]}}  {r.verdict}".rstrip()
        )
    return "\n".join(lines)


def plot(starts: dict[str, list[Any]], runs: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(15, 4.8))
    labels = list(starts)
    handshake = [[s.handshake_s * 1000 for s in starts[label]] for label in labels]
    exits = [[s.exit_s * 1000 for s in starts[label]] for label in labels]
    axes[0].boxplot(handshake, tick_labels=labels)
    axes[0].axhline(TARGETS["handshake_warm_ms"], color="green", linestyle="--", label="warm target")
    axes[0].axhline(TARGETS["handshake_cold_ms"], color="orange", linestyle="--", label="cold target")
    axes[0].set_title("exec → handshake line (ms)")
    axes[0].legend(fontsize=8)
    axes[0].tick_params(axis="x", labelrotation=20)
    axes[1].boxplot(exits, tick_labels=labels)
    axes[1].axhline(TARGETS["exit_ms"], color="green", linestyle="--", label="target")
    axes[1].set_title("Shutdown call → process exit (ms)")
    axes[1].legend(fontsize=8)
    axes[1].tick_params(axis="x", labelrotation=20)
    commands = ["plan", "apply", "destroy"]
    width = 0.8 / max(1, len(runs) + 1)
    for index, (label, times) in enumerate(runs.items()):
        values = [statistics.median(times.sevalla[c]) for c in commands]
        axes[2].bar([i + index * width for i in range(3)], values, width, label=f"sevalla ({label})")
    if runs:
        first = next(iter(runs.values()))
        values = [statistics.median(first.terraform_data[c]) for c in commands]
        axes[2].bar([i + len(runs) * width for i in range(3)], values, width, label="terraform_data only")
    axes[2].set_xticks([i + width * len(runs) / 2 for i in range(3)], commands)
    axes[2].set_title("terraform wall time, 1 resource (s)")
    axes[2].legend(fontsize=8)
    save_figure(fig, path)
