"""The catalogue: every object kind of the Sevalla API, declared once.

What the provider knows about a kind lives in its `Kind` below: where it sits (path segment,
parent), how one object is read (its own GET, only in its collection's list, embedded in the
parent's GET, or a singleton without an id), whether its list answers with summaries (the
reader's batches), which rate-limit tier its writes count against, which fields identify a create
whose answer was lost, and which fields the API returns once and must never be kept.

Resources hand the client a `Ref` (a kind and its ids); the cache, the rate limits, the reader
and the create reconciliation read these fields instead of parsing path strings. Every id goes
through `segment`, so no id (from an import, the configuration or the API) can change which
endpoint a path names: `../applications` must not turn GET webhooks/<id> into GET applications.
"""

from __future__ import annotations

import enum
import functools
import re
import unicodedata
from typing import Any

import attrs

from provider.client.errors import InvalidIdError

# "/" starts another segment, "?" and "#" end the path, "%" escapes, "\\" is "/" to some servers.
_FORBIDDEN = "/?#%\\"
# What ids are made of (UUIDs, slugs): safe without looking at each character (the rule below).
_PLAINLY_SAFE = re.compile(r"[A-Za-z0-9_.:@+=,;~-]+")


def id_problem(value: object) -> str | None:
    """Why `value` cannot be one segment of an API path, or None when it can.

    The one rule for ids: resources, data sources and imports check configured ids with it
    so the diagnostic lands on the attribute before any request."""
    if not isinstance(value, str):
        return "an id must be a string" if value is not None else "the id is missing"
    if not value:
        return "an id cannot be empty"
    if value in (".", ".."):
        return f"{value!r} is not an id (it names another path)"
    if _PLAINLY_SAFE.fullmatch(value):
        return None
    for char in value:
        if char in _FORBIDDEN:
            return f"an id cannot contain {char!r}"
        if char.isspace() or unicodedata.category(char).startswith("C"):
            return f"an id cannot contain whitespace or control characters (found {char!r})"
    return None


def segment(value: object) -> str:
    """`value` as one path segment; InvalidIdError when it is not a safe id."""
    problem = id_problem(value)
    if problem is not None or not isinstance(value, str):
        raise InvalidIdError(value, problem or "an id must be a string")
    return value


class Read(enum.Enum):
    """How one object of a kind is read."""

    GET = "its own GET by id"
    LISTED = "only as an item of its collection's list (no GET by id)"
    EMBEDDED = "only inside its parent's GET (the field `embedded_as`)"
    SINGLETON = "the GET of its path: one per parent, no id"
    LIST_ONLY = "a reference list: no objects of its own"


class Writes(enum.Enum):
    """The rate-limit tier a kind's writes count against (limits.py has the budgets)."""

    GENERAL = "general writes, per company"
    SERVICE = "a service: creates against the creation tier, changes per service"
    DEPLOYMENT = "deployments, per service (the parent)"


@attrs.frozen
class Switch:
    """A state of an object that its PATCH does not change: only a route of its own does
    (POST `<object>/suspend`, `/activate`, `/toggle`), which answers a message, perhaps before
    the change shows (the caller polls the object until it does).

    `field` is the API field that shows the state: true/false, or with `present` set, a value
    present (on) or null (off). `on`/`off` are the routes below the object that turn it on or off;
    the same route both ways is a flip (not idempotent: never sent twice for one change); no
    `off` route: the state goes off only by itself (a primary domain, when another becomes
    primary)."""

    field: str
    on: str
    off: str | None
    present: bool = False
    # Other changes (a PATCH) need the state at this value first: an application is activated
    # before it is changed, and suspended after.
    changes_need: bool | None = None
    # Statuses in which the change is still under way although `field` already shows it.
    busy: tuple[str, ...] = ()
    # API fields the change moves besides `field` (unknown in the plan).
    moves: tuple[str, ...] = ("status", "updated_at", "updated_by")

    @property
    def flips(self) -> bool:
        return self.on == self.off

    def is_on(self, body: dict[str, Any]) -> bool:
        value = body.get(self.field)
        return value is not None if self.present else value is True

    def shows(self, body: dict[str, Any], wanted: bool) -> bool:
        """Whether the object shows the state `wanted`, its change over (no `busy` status)."""
        return self.is_on(body) == wanted and body.get("status") not in self.busy

    def route(self, wanted: bool) -> str | None:
        return self.on if wanted else self.off


@attrs.frozen(eq=False, repr=False)
class Kind:
    """One kind of API object. Compared by identity: each is declared once, below."""

    name: str  # in messages and create identities, e.g. "application domain"
    # its collection's path under the parent: "domains"; top level "applications" (also the name
    # of its kept copies on disk)
    segment: str
    parent: Kind | None = None
    read: Read = Read.GET
    # The collection's list answers with summaries (id, updated_at, status): the reader
    # compares them with full objects kept on disk (top-level kinds).
    summary_list: bool = False
    embedded_as: str | None = None  # Read.EMBEDDED: the parent's field holding these objects
    writes: Writes = Writes.GENERAL
    # Fields of a listed object that identify a new one after an ambiguous failure (those the
    # create's body carries count); empty: a create that cannot be reconciled by the client.
    match: tuple[str, ...] = ()
    # A membership (a service in a project, an application in a stage): POST attaches the
    # object whose id is this body field, and "is it attached?" is the whole reconciliation.
    member: str | None = None
    create_only: frozenset[str] = frozenset()  # returned once by a create: never cached or stored
    # Methods ("POST", "PATCH") whose answers on the real API are not the whole object (only an
    # id, a message, or fields left out): the client reads the object back, the reader never
    # keeps such an answer.
    sparse_answers: frozenset[str] = frozenset()
    # A match field the create's body names otherwise (a domain is listed with `name`, created
    # with `domain_name`): match field -> body field.
    sent_as: tuple[tuple[str, str], ...] = ()
    # The API's value of a match field a create's body leaves out (its default): the identity
    # includes it all the same, so a create without it does not match a sibling that differs.
    match_defaults: tuple[tuple[str, Any], ...] = ()
    # Read.EMBEDDED: the parent may answer without `embedded_as` at all (the official API's
    # stages carry no `apps`); then the parent's existence is all there is to know.
    embedding_optional: bool = False
    # States changed only through routes of their own (suspension, enabling): see Switch.
    switches: tuple[Switch, ...] = ()
    # Routes below an object that start an operation and answer a message, changing no field a
    # configuration sets (a database's "restart"): POST `<object>/<route>`, then poll the object.
    operations: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"<Kind {self.name}>"

    @property
    def depth(self) -> int:
        """How many ids an object of this kind is addressed by (its parents' and its own)."""
        own = 0 if self.read in (Read.SINGLETON, Read.LIST_ONLY) else 1
        return (self.parent.depth if self.parent else 0) + own

    def match_of(self, body: dict[str, Any]) -> dict[str, Any]:
        """The identity of a create with this body: {match field: its value} for those sent."""
        names, defaults = dict(self.sent_as), dict(self.match_defaults)
        found = {}
        for field in self.match:
            if names.get(field, field) in body:
                found[field] = body[names.get(field, field)]
            elif field in defaults:
                found[field] = defaults[field]
        return found

    def ref(self, *ids: str) -> Ref:
        """One object: the parents' ids, then its own (none for a singleton)."""
        if len(ids) != self.depth:
            raise TypeError(f"{self.name} is addressed by {self.depth} ids, got {len(ids)}")
        return Ref(self, tuple(segment(value) for value in ids))

    def collection(self, *parent_ids: str) -> Ref:
        """The collection (list, and POST target) under the given parent ids."""
        if self.read is Read.SINGLETON:
            raise TypeError(f"{self.name} is a singleton: it has no collection")
        own = 0 if self.read is Read.LIST_ONLY else 1
        if len(parent_ids) != self.depth - own:
            raise TypeError(f"the {self.name} collection is addressed by {self.depth - own} ids")
        return Ref(self, tuple(segment(value) for value in parent_ids), is_collection=True)


@attrs.frozen
class Ref:
    """A typed reference: one object of `kind` (or its collection) and the ids that address it.

    Built by `Kind.ref` / `Kind.collection`, which check every id, so a Ref always names
    exactly the endpoint it says."""

    kind: Kind
    ids: tuple[str, ...]
    is_collection: bool = False
    # A route below the object (a Switch's "suspend"): a POST to it changes the object.
    action: str | None = None

    @functools.cached_property
    def path(self) -> str:
        """The API path, built once (the transport's only use of strings)."""
        if self.action is not None:
            return f"{attrs.evolve(self, action=None).path}/{self.action}"
        parts: list[str] = []
        ids = list(self.ids)
        for kind in _lineage(self.kind):
            parts.append(kind.segment)
            last = kind is self.kind
            if kind.read not in (Read.SINGLETON, Read.LIST_ONLY) and not (last and self.is_collection):
                parts.append(ids.pop(0))
        return "/".join(parts)

    @property
    def id(self) -> str | None:
        """The object's own id (None for a collection or a singleton)."""
        if self.is_collection or self.kind.read in (Read.SINGLETON, Read.LIST_ONLY):
            return None
        return self.ids[-1]

    @property
    def parent(self) -> Ref | None:
        """The parent object (None at the top level)."""
        parent = self.kind.parent
        if parent is None:
            return None
        return Ref(parent, self.ids[: parent.depth])

    def item(self, object_id: str) -> Ref:
        """An object of this collection."""
        if not self.is_collection:
            raise TypeError(f"{self} is not a collection")
        return Ref(self.kind, (*self.ids, segment(object_id)))

    def at(self, action: str) -> Ref:
        """The route `action` below this object (one of its kind's Switch routes or operations):
        rate-limited, cached and invalidated as a write to the object."""
        if self.is_collection or self.id is None:
            raise TypeError(f"{self} is not one object: it has no routes of its own")
        return attrs.evolve(self, action=action)

    def collection(self) -> Ref:
        """The collection this object belongs to."""
        if self.is_collection:
            return self
        own = 0 if self.kind.read in (Read.SINGLETON, Read.LIST_ONLY) else 1
        return Ref(self.kind, self.ids[: len(self.ids) - own], is_collection=True)

    @functools.cached_property
    def root(self) -> Ref:
        """The top-level object this belongs to (itself at the top level): what a write to it
        may change, for the cache. A top-level collection is its own root."""
        ref = self if self.action is None else attrs.evolve(self, action=None)
        while ref.parent is not None:
            ref = ref.parent
        return ref

    def without_create_only(self, value: Any) -> Any:
        """An answer from this ref without the fields its kind returns only once (`create_only`:
        an API key's token), for what keeps answers (the disk cache, the shared reads): an
        object, or a page's items."""
        once = self.kind.create_only
        if not once:
            return value
        if isinstance(value, dict) and not self.is_collection:
            return {name: field for name, field in value.items() if name not in once}
        items = value if isinstance(value, list) else value.get("data") if isinstance(value, dict) else None
        if not isinstance(items, list):
            return value
        kept = [
            {name: field for name, field in item.items() if name not in once}
            if isinstance(item, dict)
            else item
            for item in items
        ]
        return kept if isinstance(value, list) else {**value, "data": kept}

    def __str__(self) -> str:
        return self.path


def _lineage(kind: Kind) -> list[Kind]:
    chain = [kind]
    while chain[-1].parent is not None:
        chain.append(chain[-1].parent)  # type: ignore[arg-type]
    return chain[::-1]


def _service(name: str, segment: str, **more: Any) -> Kind:
    return Kind(name, segment, summary_list=True, writes=Writes.SERVICE, match=("display_name",), **more)


# --- the catalogue -------------------------------------------------------------------------------

# Services: summary lists, creates against the creation tier, changes per service.
# Suspension: a changed application or database is activated first and suspended after.
SUSPENSION = Switch("is_suspended", on="suspend", off="activate", changes_need=False)
APPLICATION = _service("application", "applications", switches=(SUSPENSION,))
RESTART = "restart"
DATABASE = _service(
    "database",
    "databases",
    operations=(RESTART,),
    switches=(
        attrs.evolve(SUSPENSION, busy=("updating",)),  # activation goes through "updating"
        # The public hostname is there (a value) or not (null).
        Switch(
            "external_hostname",
            on="external-connection/toggle",
            off="external-connection/toggle",
            present=True,
            moves=("external_port", "status", "updated_at"),
        ),
    ),
)
STATIC_SITE = _service("static site", "static-sites")
# Its PATCH answer leaves out bucket_name, endpoint and the keys.
OBJECT_STORAGE = _service("object storage", "object-storage", sparse_answers=frozenset({"PATCH"}))
LOAD_BALANCER = _service("load balancer", "load-balancers")
PIPELINE = _service("pipeline", "pipelines")
PROJECT = _service("project", "projects")

# Other top-level objects.
# Enabling: one route flips it.
ENABLING = Switch("is_enabled", on="toggle", off="toggle")
DOCKER_REGISTRY = Kind("docker registry", "docker-registries", summary_list=True, match=("name",))
WEBHOOK = Kind("webhook", "webhooks", summary_list=True, match=("endpoint",), switches=(ENABLING,))
API_KEY = Kind(
    "api key",
    "api-keys",
    summary_list=True,
    match=("name",),
    create_only=frozenset({"token"}),
    sparse_answers=frozenset({"POST"}),  # only {id, token, name}
    switches=(ENABLING,),
)
GLOBAL_ENV_VAR = Kind(
    "global environment variable", "applications/global-env-vars", read=Read.LISTED, match=("key",)
)

# An application's objects.
APPLICATION_ENV_VAR = Kind(
    "application environment variable", "env-vars", APPLICATION, Read.LISTED, match=("key",)
)
_DOMAIN_NAME = (("name", "domain_name"),)
# A domain becomes primary by its route, and stops being primary when another one becomes it;
# enabled first (a disabled domain cannot become primary).
_DOMAIN_SWITCHES = (ENABLING, Switch("is_primary", on="set-primary", off=None))
_DOMAIN: dict[str, Any] = {"match": ("name",), "sent_as": _DOMAIN_NAME, "switches": _DOMAIN_SWITCHES}
APPLICATION_DOMAIN = Kind("application domain", "domains", APPLICATION, **_DOMAIN)
APPLICATION_PROCESS = Kind("application process", "processes", APPLICATION, match=("display_name",))
APPLICATION_PRIVATE_PORT = Kind(
    "application private port", "private-ports", APPLICATION, match=("process_id", "port")
)
APPLICATION_TCP_PROXY = Kind(
    "application TCP proxy", "tcp-proxies", APPLICATION, match=("process_id", "port")
)
APPLICATION_DEPLOYMENT = Kind("application deployment", "deployments", APPLICATION, writes=Writes.DEPLOYMENT)
APPLICATION_IP_RESTRICTION = Kind("application IP restriction", "ip-restriction", APPLICATION, Read.SINGLETON)
APPLICATION_DEPLOYMENT_HOOK = Kind(
    "application deployment hook", "deployment-hook", APPLICATION, Read.SINGLETON
)

# A database's objects.
DATABASE_INTERNAL_CONNECTION = Kind(
    "database internal connection",
    "internal-connections",
    DATABASE,
    Read.LISTED,
    match=("target_id",),
    sparse_answers=frozenset({"POST"}),  # only the id
)
DATABASE_IP_RESTRICTION = Kind("database IP restriction", "ip-restriction", DATABASE, Read.SINGLETON)

# A bucket's, a static site's and a load balancer's objects.
OBJECT_STORAGE_CORS_POLICY = Kind(
    "object storage CORS policy",
    "cors-policies",
    OBJECT_STORAGE,
    Read.LISTED,
    match=("origins", "methods"),
    sparse_answers=frozenset({"POST", "PATCH"}),  # only {message}
)
# Keyed per environment and branch: one key may have a production and a preview variable.
STATIC_SITE_ENV_VAR = Kind(
    "static site environment variable",
    "env-vars",
    STATIC_SITE,
    Read.LISTED,
    match=("key", "is_production", "is_preview", "branch"),
    match_defaults=(("is_production", True), ("is_preview", True), ("branch", None)),
)
STATIC_SITE_DOMAIN = Kind("static site domain", "domains", STATIC_SITE, **_DOMAIN)
LOAD_BALANCER_DESTINATION = Kind(
    "load balancer destination",
    "destinations",
    LOAD_BALANCER,
    Read.LISTED,
    match=("service_type", "service_id", "url"),
    switches=(ENABLING,),
)
LOAD_BALANCER_DOMAIN = Kind("load balancer domain", "domains", LOAD_BALANCER, **_DOMAIN)

# Embedded children and memberships.
PIPELINE_STAGE = Kind(
    "pipeline stage", "stages", PIPELINE, Read.EMBEDDED, embedded_as="stages", match=("display_name",)
)
PIPELINE_STAGE_APPLICATION = Kind(
    "pipeline stage application",
    "apps",
    PIPELINE_STAGE,
    Read.EMBEDDED,
    embedded_as="apps",
    member="app_id",
    embedding_optional=True,
)
PROJECT_SERVICE = Kind(
    "project service", "services", PROJECT, Read.EMBEDDED, embedded_as="services", member="service_id"
)

# Reference lists: read whole, nothing written.
USERS = Kind("users", "users", read=Read.LIST_ONLY)
CLUSTERS = Kind("clusters", "resources/clusters", read=Read.LIST_ONLY)
PROCESS_RESOURCE_TYPES = Kind(
    "process resource types", "resources/process-resource-types", read=Read.LIST_ONLY
)
DATABASE_RESOURCE_TYPES = Kind(
    "database resource types", "resources/database-resource-types", read=Read.LIST_ONLY
)
API_KEY_PERMISSIONS = Kind("API key permissions", "resources/rbac/api-key-permissions", read=Read.LIST_ONLY)
API_KEY_ROLES = Kind("API key roles", "resources/rbac/api-key-roles", read=Read.LIST_ONLY)

CATALOGUE: tuple[Kind, ...] = tuple(value for value in list(globals().values()) if isinstance(value, Kind))
