"""Registry documentation (`docs/`) generated from the schemas, the examples and `devtools/templates/`.

    python -m devtools.docs          # write docs/
    python -m devtools.docs --check  # exit 1 if docs/ is not what the sources say (tests do this)

Layout and sections as terraform-plugin-docs (tfplugindocs) writes them, since that is what the
Registry and its users expect: `docs/index.md`, `docs/resources/<name>.md`,
`docs/data-sources/<name>.md`, `docs/actions/<name>.md` (devtools/action_docs.py),
`docs/list-resources/<name>.md` (devtools/list_docs.py) (name without `sevalla_`),
`docs/guides/<name>.md`. Each type page:
front matter, the type's prose from `devtools/templates/<folder>/<name>.md` (its first paragraph is the
summary), Example Usage from `examples/`, the Schema (Required / Optional / Read-Only; every
nested object and every key of a list of objects in its own section; sensitive, forces
replacement and defaults marked), Timeouts where the type has them, and Import from the
example's `import.sh` (which `tests/acceptance/test_import_scripts.py` runs). `devtools/templates/index.md`
is the provider page, with `{{ example }}` and `{{ schema }}` filled in; `devtools/templates/guides/` is
copied as is. Prose is written by hand, everything else comes from the code, and a test fails
when docs/ is not what they give together (`make docs` rewrites it).

Why not pyvider's own generator (`plating`, pre-release, "APIs may change"): it needs its own
virtual environment (every pyvider entry point in a venv is loaded into the provider, and with it
installed a start took ~0.46 s and 75 MiB), writes template bundles next to every module, and its
pages lack what ours need (provider settings, nested keys, sensitive, defaults, forces
replacement): we would post-process most of what it writes.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from provider.formatting import shown

PROJECT = Path(__file__).resolve().parent.parent
DOCS = PROJECT / "docs"
EXAMPLES = PROJECT / "examples"
TEMPLATES = PROJECT / "devtools" / "templates"
PREFIX = "sevalla_"
GROUPS = ("Required", "Optional", "Read-Only")


@dataclass(frozen=True)
class TypePage:
    name: str  # e.g. sevalla_application
    kind: str  # "resource" or "data source"
    attributes: dict[str, Any]  # name -> PvsAttribute
    identity: tuple[str, ...] = ()  # resource identity (Terraform >= 1.12), its attributes' names

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

    @property
    def template(self) -> Path:
        return TEMPLATES / self.path


@dataclass
class Entry:
    """One line of a schema section: an attribute, or a key of an object inside one."""

    name: str
    group: str  # Required, Optional or Read-Only
    type: str
    description: str = ""
    flags: list[str] = field(default_factory=list)
    nested: list[Entry] | None = None  # keys of an object (or of each object of a list)


def type_name(cty_type: Any) -> str:
    """Terraform's words for a cty type: String, Number, Boolean, List of String, Map of String…"""
    kind = type(cty_type).__name__.removeprefix("Cty")
    element = getattr(cty_type, "element_type", None)
    if kind in ("List", "Set", "Map") and element is not None:
        return f"{kind} of {type_name(element)}"
    return {"Bool": "Boolean"}.get(kind, kind)


def object_keys(cty_type: Any) -> dict[str, Any] | None:
    """The keys of an object type, or of the objects in a list, set or map of them."""
    element = getattr(cty_type, "element_type", None)
    candidate = element if element is not None else cty_type
    keys = getattr(candidate, "attribute_types", None)
    return dict(keys) if keys is not None and type(candidate).__name__ == "CtyObject" else None


def attribute_entry(name: str, attribute: Any) -> Entry:
    group = "Required" if attribute.required else "Optional" if attribute.optional else "Read-Only"
    text = (attribute.description or "").strip()
    if attribute.default is not None:
        text = f"{text} Defaults to `{shown(attribute.default)}`.".strip()
    entry = Entry(name, group, type_name(attribute.type), text)
    if attribute.sensitive:
        entry.flags.append("Sensitive")
    if attribute.requires_replace:
        entry.flags.append("Forces replacement")
    if attribute.object_type is not None:
        entry.type = "Attributes"
        nested = dict(attribute.object_type.attributes)
        entry.nested = [attribute_entry(key, nested[key]) for key in sorted(nested)]
    elif (keys := object_keys(attribute.type)) is not None:
        optional = getattr(attribute.type.element_type or attribute.type, "optional_attributes", ())
        entry.nested = [
            Entry(key, key_group(group, key in optional), type_name(keys[key])) for key in sorted(keys)
        ]
    return entry


def key_group(parent_group: str, optional: bool) -> str:
    """A key of an object the user writes is required unless the type marks it optional; the
    keys of a read-only object are read-only."""
    if parent_group == "Read-Only":
        return "Read-Only"
    return "Optional" if optional else "Required"


def anchor(path: str) -> str:
    return "nestedatt--" + path.replace(".", "--")


def schema_section(attributes: dict[str, Any]) -> list[str]:
    """`## Schema` with Required / Optional / Read-Only lists, then each nested object's schema."""
    entries = [attribute_entry(name, attributes[name]) for name in sorted(attributes)]
    lines = ["## Schema"]
    pending = entry_lists(entries, "", lines, group_format="\n### {}\n")
    while pending:  # breadth-first: every nested object gets its own section, in order
        path, nested = pending.pop(0)
        lines += ["", f'<a id="{anchor(path)}"></a>', f"### Nested Schema for `{path}`"]
        pending += entry_lists(nested, path, lines, group_format="\n{}:\n")
    return lines


def entry_lists(
    entries: list[Entry], parent: str, lines: list[str], group_format: str
) -> list[tuple[str, list[Entry]]]:
    """Append the grouped entry lines; return the nested objects still to describe."""
    groups: dict[str, list[str]] = {group: [] for group in GROUPS}
    nested: list[tuple[str, list[Entry]]] = []
    for entry in entries:
        path = f"{parent}.{entry.name}" if parent else entry.name
        text = entry.description
        if entry.nested is not None:
            text = f"{text} (see [below for nested schema](#{anchor(path)}))".strip()
            nested.append((path, entry.nested))
        flags = ", ".join([entry.type, *entry.flags])
        groups[entry.group].append(f"- `{entry.name}` ({flags}) {text}".rstrip())
    for group, lines_of_group in groups.items():
        if lines_of_group:
            lines += [*group_format.format(group).split("\n"), *lines_of_group]
    return nested


def example_block(directory: Path, filename: str) -> list[str]:
    path = directory / filename
    if not path.exists():
        return []
    return ["## Example Usage", "", "```terraform", path.read_text().rstrip(), "```", ""]


OPERATIONS = ("create", "read", "update", "delete")


def timeouts_block(page: TypePage) -> list[str]:
    """tfplugindocs' "Timeouts" section: which operations wait, for how long, how to change it."""
    timeouts = page.attributes.get("timeouts")
    if timeouts is None or timeouts.object_type is None:
        return []
    keys = [key for key in OPERATIONS if key in timeouts.object_type.attributes]
    return ["## Timeouts", "", timeouts.description.strip(), "",
            "```terraform", f'resource "{page.name}" "example" {{', "  # ...", "  timeouts = {",
            *(f'    {key} = "1h"' for key in keys), "  }", "}", "```", ""]  # fmt: skip


def import_block(directory: Path, identity: tuple[str, ...] = ()) -> list[str]:
    path = directory / "import.sh"
    if not path.exists():
        return []
    lines = ["## Import", "", "Import is supported using the following syntax:", "", "```shell",
             path.read_text().rstrip(), "```", "",
             "An `import` block (Terraform 1.5 and later) takes the same ID: "
             '`import { to = <address>, id = "<import ID>" }`.', ""]  # fmt: skip
    if identity:
        width = max(len(name) for name in identity)
        lines += ["With Terraform 1.12 and later, an `import` block may name the object by its identity "
                  "instead (the import ID's parts; Terraform keeps it in the state):", "", "```terraform",
                  "import {", f"  to       = {directory.name}.example", "  identity = {",
                  *(f'    {name:<{width}} = "<{name}>"' for name in identity), "  }", "}", "```", "",
                  f"`terraform query` lists existing objects of this type: see "
                  f"[list resource](../list-resources/{directory.name.removeprefix(PREFIX)}.md).", ""]  # fmt: skip
    return lines


def prose(page: TypePage) -> tuple[str, str]:
    """(summary, body) from the type's template; the summary is its first paragraph."""
    if not page.template.exists():
        raise SystemExit(f"{page.name}: write its prose in devtools/templates/{page.path}")
    body = page.template.read_text().strip()
    summary = " ".join(body.split("\n\n", 1)[0].split())
    return summary, body


def front_matter(name: str, title: str, summary: str) -> list[str]:
    """A page's tfplugindocs front matter and heading, e.g. ("sevalla_application", "Resource")."""
    return ["---", f'page_title: "{name} {title} - sevalla"', 'subcategory: ""', "description: |-",
            f"  {summary}", "---", "", f"# {name} ({title})", ""]  # fmt: skip


def render_type(page: TypePage) -> str:
    summary, body = prose(page)
    filename = "resource.tf" if page.kind == "resource" else "data-source.tf"
    lines = [
        *front_matter(page.name, page.title, summary),
        body,
        "",
        *example_block(page.example_dir, filename),
        *schema_section(page.attributes),
        "",
        *timeouts_block(page),
        *import_block(page.example_dir, page.identity),
    ]
    return "\n".join(lines).rstrip() + "\n"


def render_index(attributes: dict[str, Any]) -> str:
    text = (TEMPLATES / "index.md").read_text()
    example = "\n".join(example_block(EXAMPLES / "provider", "provider.tf")).rstrip()
    text = text.replace("{{ example }}", example).replace(
        "{{ schema }}", "\n".join(schema_section(attributes))
    )
    return text.rstrip() + "\n"


def pages() -> Iterable[tuple[Path, str]]:
    from data_sources import DATA_SOURCES
    from provider.provider import SevallaSettingsCapability
    from resources import RESOURCES

    yield Path("index.md"), render_index(SevallaSettingsCapability.get_schema_contribution())
    for guide in sorted((TEMPLATES / "guides").glob("*.md")):
        yield Path("guides") / guide.name, guide.read_text()
    for components, kind in ((RESOURCES, "resource"), (DATA_SOURCES, "data source")):
        for component in components:
            name: str = component._registered_name  # type: ignore[union-attr]
            identity = component.get_identity_schema() if kind == "resource" else None  # type: ignore[union-attr]
            page = TypePage(
                name,
                kind,
                dict(component.get_schema().block.attributes),
                tuple(identity.block.attributes) if identity is not None else (),
            )
            yield page.path, render_type(page)
    from devtools.action_docs import action_pages  # docs/actions/<name>.md

    yield from action_pages()
    from devtools.list_docs import list_pages  # docs/list-resources/<name>.md

    yield from list_pages()


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
