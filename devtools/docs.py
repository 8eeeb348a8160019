"""Registry documentation (`docs/`) generated from the schemas, the examples and the README.

    python -m devtools.docs          # write docs/
    python -m devtools.docs --check  # exit 1 if docs/ is not what the sources say (tests do this)

Layout as the Terraform Registry expects: `docs/index.md` (the provider block),
`docs/resources/<name>.md`, `docs/data-sources/<name>.md` (name without `sevalla_`). Each page:
what the type is (the README's type table), the example from `examples/`, the schema (required,
optional, read-only; nested attributes listed below their parent; sensitive marked), and the
import command from the example's `import.sh`. Nothing is written by hand, so nothing drifts: a
test fails when a schema, an example or the README changes without `make docs`.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
DOCS = PROJECT / "docs"
EXAMPLES = PROJECT / "examples"
PREFIX = "sevalla_"


@dataclass(frozen=True)
class TypePage:
    name: str  # e.g. sevalla_application
    kind: str  # "resource" or "data source"
    attributes: dict[str, Any]  # name -> PvsAttribute

    @property
    def title(self) -> str:
        return "Resource" if self.kind == "resource" else "Data Source"

    @property
    def folder(self) -> str:
        return "resources" if self.kind == "resource" else "data-sources"

    @property
    def example_dir(self) -> Path:
        return EXAMPLES / self.folder / self.name

    @property
    def path(self) -> Path:
        return Path(self.folder) / f"{self.name.removeprefix(PREFIX)}.md"


def type_name(cty_type: Any) -> str:
    """Terraform's words for a cty type: String, Number, Bool, List of String, Map of String…"""
    kind = type(cty_type).__name__.removeprefix("Cty")
    element = getattr(cty_type, "element_type", None)
    if kind in ("List", "Set", "Map") and element is not None:
        return f"{kind} of {type_name(element)}"
    if kind == "Dynamic":
        return "Dynamic"
    return kind


def readme_notes(readme: str) -> dict[tuple[str, str], str]:
    """(type name, "resource"/"data source") -> the Notes cell of the README's type table."""
    notes: dict[tuple[str, str], str] = {}
    for line in readme.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 4 or "sevalla_" not in cells[0]:
            continue
        kind = "data source" if "data source" in cells[1] else "resource"
        for name in re.findall(r"`(sevalla_\w+)`", cells[0]):
            notes[(name, kind)] = cells[3]
    return notes


def schema_section(attributes: dict[str, Any]) -> list[str]:
    """`## Schema` with Required / Optional / Read-Only lists, then each nested attribute's schema."""
    lines = ["## Schema"]
    pending = attribute_lists(attributes, "", lines, group_format="\n### {}\n")
    while pending:  # breadth-first: every nested object gets its own section, in order
        path, nested = pending.pop(0)
        lines += ["", f'<a id="{anchor(path)}"></a>', f"### Nested Schema for `{path}`"]
        pending += attribute_lists(nested, path, lines, group_format="\n{}:\n")
    return lines


def anchor(path: str) -> str:
    return "nestedatt--" + path.replace(".", "--")


def attribute_lists(
    attributes: dict[str, Any], parent: str, lines: list[str], group_format: str
) -> list[tuple[str, dict[str, Any]]]:
    """Append the grouped attribute lines; return the nested objects still to describe."""
    groups: dict[str, list[str]] = {"Required": [], "Optional": [], "Read-Only": []}
    nested: list[tuple[str, dict[str, Any]]] = []
    for name in sorted(attributes):
        attribute = attributes[name]
        group = "Required" if attribute.required else "Optional" if attribute.optional else "Read-Only"
        path = f"{parent}.{name}" if parent else name
        flags = ["Attributes" if attribute.object_type is not None else type_name(attribute.type)]
        if attribute.sensitive:
            flags.append("Sensitive")
        if attribute.requires_replace:
            flags.append("Forces replacement")
        text = (attribute.description or "").strip()
        if attribute.object_type is not None:
            text = f"{text} (see [below for nested schema](#{anchor(path)}))".strip()
            nested.append((path, dict(attribute.object_type.attributes)))
        groups[group].append(f"- `{name}` ({', '.join(flags)}) {text}".rstrip())
    for group, entries in groups.items():
        if entries:
            lines += [*group_format.format(group).split("\n"), *entries]
    return nested


def example_block(directory: Path, filename: str) -> list[str]:
    path = directory / filename
    if not path.exists():
        return []
    return ["## Example Usage", "", "```terraform", path.read_text().rstrip(), "```", ""]


def import_block(directory: Path) -> list[str]:
    path = directory / "import.sh"
    if not path.exists():
        return []
    return ["## Import", "", "Import is supported using the following syntax:", "", "```shell",
            path.read_text().rstrip(), "```", ""]  # fmt: skip


def render_type(page: TypePage, notes: str) -> str:
    noun = page.name.removeprefix(PREFIX).replace("_", " ")
    summary = f"{'Manages' if page.kind == 'resource' else 'Reads'} Sevalla {noun}."
    description = f"{summary} {notes}".strip() if notes else summary
    filename = "resource.tf" if page.kind == "resource" else "data-source.tf"
    lines = [
        "---",
        f'page_title: "{page.name} {page.title} - sevalla"',
        'subcategory: ""',
        "description: |-",
        f"  {summary}",
        "---",
        "",
        f"# {page.name} ({page.title})",
        "",
        description,
        "",
        *example_block(page.example_dir, filename),
        *schema_section(page.attributes),
        "",
        *import_block(page.example_dir),
    ]
    return "\n".join(lines).rstrip() + "\n"


def render_index(attributes: dict[str, Any]) -> str:
    lines = [
        "---",
        'page_title: "sevalla Provider"',
        "description: |-",
        "  Manages Sevalla applications, databases, static sites, object storage, load balancers,",
        "  pipelines, projects and more.",
        "---",
        "",
        "# sevalla Provider",
        "",
        "Manages [Sevalla](https://sevalla.com) resources through its v3 API. Every setting can",
        "also come from its `SEVALLA_*` environment variable; the provider block wins.",
        "",
        *example_block(EXAMPLES / "provider", "provider.tf"),
        *INSTALLATION,
        *AUTHENTICATION,
        *schema_section(attributes),
    ]
    return "\n".join(lines).rstrip() + "\n"


INSTALLATION = [
    "## Installation",
    "",
    "Releases are zips per platform with a bundled Python (nothing to install besides Terraform),",
    "published to a provider registry or a network mirror your team hosts (`make release` writes both",
    "trees). From a registry at `registry.example.com`:",
    "",
    "```terraform",
    "terraform {",
    "  required_providers {",
    "    sevalla = {",
    '      source  = "registry.example.com/sevalla/sevalla"',
    '      version = "~> 0.1"',
    "    }",
    "  }",
    "}",
    "```",
    "",
    "Then `terraform init`, and `terraform providers lock -platform=linux_amd64 -platform=darwin_arm64`",
    "(every platform your team uses) before committing `.terraform.lock.hcl`. Through a network mirror,",
    "add to the CLI configuration:",
    "",
    "```terraform",
    "provider_installation {",
    "  network_mirror {",
    '    url     = "https://mirror.example.com/providers/"',
    '    include = ["registry.example.com/sevalla/*"]',
    "  }",
    "  direct {",
    '    exclude = ["registry.example.com/sevalla/*"]',
    "  }",
    "}",
    "```",
    "",
    "On a single machine with Python 3.11: `pipx install` this package, run `terraform-provider-sevalla",
    'install`, and use `source = "terraform.local/sevalla/sevalla"` (its lock file is for that machine',
    "only).",
    "",
]

AUTHENTICATION = [
    "## Authentication",
    "",
    "The provider authenticates with a Sevalla API key (made in the Sevalla dashboard), sent as a",
    "bearer token. Set it as `api_key` in the provider block, from a sensitive",
    "variable, or in the `SEVALLA_API_KEY` environment variable (the provider block wins). Keep it out",
    "of version control; the provider never logs it, and it is sensitive in plans. `api_url` (or",
    "`SEVALLA_API_URL`) points the provider at another API; it must be https, except for loopback",
    "hosts (the local emulator).",
    "",
    "```shell",
    'export SEVALLA_API_KEY="..."',
    "terraform plan",
    "```",
    "",
]


def pages() -> Iterable[tuple[Path, str]]:
    from data_sources import DATA_SOURCES
    from provider.provider import SevallaSettingsCapability
    from resources import RESOURCES

    notes = readme_notes((PROJECT / "README.md").read_text())
    yield Path("index.md"), render_index(SevallaSettingsCapability.get_schema_contribution())
    for components, kind in ((RESOURCES, "resource"), (DATA_SOURCES, "data source")):
        for component in components:
            name: str = component._registered_name  # type: ignore[union-attr]
            page = TypePage(name, kind, dict(component.get_schema().block.attributes))
            yield page.path, render_type(page, notes.get((name, kind), ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    parser.add_argument("--out", type=Path, default=DOCS)
    args = parser.parse_args(argv)
    expected = dict(pages())
    if args.check:
        stale = sorted(
            str(page)
            for page, text in expected.items()
            if not (args.out / page).exists() or (args.out / page).read_text() != text
        )
        extra = sorted(
            str(p.relative_to(args.out))
            for p in args.out.rglob("*.md")
            if p.relative_to(args.out) not in expected
        )
        for name in stale:
            print(f"stale: docs/{name}", file=sys.stderr)
        for name in extra:
            print(f"not generated: docs/{name}", file=sys.stderr)
        return 1 if stale or extra else 0
    for old in args.out.rglob("*.md"):
        if old.relative_to(args.out) not in expected:
            old.unlink()
    for path, text in expected.items():
        (args.out / path).parent.mkdir(parents=True, exist_ok=True)
        (args.out / path).write_text(text)
    print(f"wrote {len(expected)} pages under {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
