"""The scale benchmark's configurations (bench/scale.py): the terraform_data twin has the Sevalla
configuration's labels and dependency edges."""

from __future__ import annotations

import re

from bench.refresh import Mix, configuration
from bench.scale import summarise, terraform_data_configuration


def test_the_terraform_data_twin_has_the_same_labels_and_edges() -> None:
    mix = Mix.of_size(100)
    sevalla, builtin = configuration(mix), terraform_data_configuration(mix)
    labels = re.findall(r'resource "sevalla_\w+" "(\w+)"', sevalla)
    assert re.findall(r'resource "terraform_data" "(\w+)"', builtin) == labels
    assert len(labels) == mix.total == 100
    assert len(re.findall(r"sevalla_\w+\.(\w+)\.id", sevalla)) == len(
        re.findall(r"terraform_data\.(\w+)\.id", builtin)
    )


def test_a_summary_takes_medians_and_per_resource_cpu() -> None:
    samples = [
        {"sevalla_s": s, "terraform_data_s": 1.0, "api_calls": 10, "provider_cpu_s": c, "terraform_cpu_s": 1.0,
         "terraform_data_cpu_s": 0.5, "rss_mib": 70.0}
        for s, c in ((3.0, 2.0), (2.0, 1.0), (4.0, 3.0))
    ]  # fmt: skip
    row = summarise(1000, 0, "plan", samples)
    assert row["sevalla_s"] == 3.0 and row["ratio"] == 3.0
    assert row["provider_cpu_ms_per_resource"] == 2.0
    assert row["provider_peak_rss_mib"] == 70.0
