"""What every Sevalla resource shares: API-value conversion, change detection, import ids."""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any, ClassVar

import attrs
from provide.foundation.errors import FoundationError
from pyvider.cty import CtyBool, CtyList, CtyNumber, CtyObject, CtyString, CtyType, CtyValue
from pyvider.cty.exceptions import CtyValidationError
from pyvider.exceptions import ResourceError
from pyvider.protocols.tfprotov6.handlers.utils import create_diagnostic_from_exception
from pyvider.resources import BaseResource, ResourceContext
from pyvider.schema import PvsAttribute, PvsSchema, a_obj, a_str, s_identity

from provider.attributes import Table, computed, declared, resource_schema
from provider.client import ExistingObjectError, SevallaError
from provider.client.creates import close_record, open_record
from provider.client.kinds import Kind, Ref, Switch, id_problem
from provider.client.waiting import (
    DeadlineExceeded,
    Progress,
    WaitRecord,
    default_deadline,
    operation_deadline,
    pause,
    recording_waits,
    seconds_left,
)
from provider.diagnostics import attribute_error, reported, to_terraform_error
from provider.handlers import Gone, read_existing, read_object
from provider.handlers import id_problems as id_problems  # re-exported for the resources
from provider.handlers import raise_first_problem as raise_first_problem
from provider.handlers import typed as typed
from provider.runtime import get_client
from provider.settings import parse_duration
from resources._checks import UNKNOWN, Problem
from resources._checks import length_between as length_between  # re-exported for the resources
from resources._checks import one_of as one_of

_IDENTITY_SCHEMAS: dict[type, PvsSchema] = {}  # built once: pyvider caches schemas by identity


def _taking_identity(import_state: Callable[..., Any]) -> Callable[..., Any]:
    """`import_state` that, given an identity instead of an id, imports the id it stands for."""

    @functools.wraps(import_state)
    async def imported(self: Any, ctx: ResourceContext, import_id: str) -> Any:
        identity = getattr(ctx, "identity", None)
        if not import_id and isinstance(identity, dict):
            import_id = self.import_id_of(identity)
        return await import_state(self, ctx, import_id)

    imported.takes_identity = True  # type: ignore[attr-defined]
    return imported


def _scrubbing(read: Callable[..., Any]) -> Callable[..., Any]:
    """`read` whose state never keeps a secret given write-only (SevallaResource.scrubbed)."""

    @functools.wraps(read)
    async def scrubbed_read(self: Any, ctx: ResourceContext) -> Any:
        return self.scrubbed(await read(self, ctx))

    scrubbed_read.scrubs = True  # type: ignore[attr-defined]
    return scrubbed_read


def json_ready(value: Any) -> Any:
    """Terraform numbers arrive as Decimal; the API wants JSON ints and floats. Values nested
    in objects may still be CtyValues: unwrapped (null -> None)."""
    if isinstance(value, CtyValue):
        return None if value.is_null or value.is_unknown else json_ready(value.value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: json_ready(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(item) for item in value]
    if attrs.has(type(value)):
        return json_ready(attrs.asdict(value))
    return value


def camel_case(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def without_nulls(value: Any, rename: Callable[[str], str] = str) -> Any:
    """A value for a request body: numbers as JSON, and every null inside an object left out,
    at any depth (the official client leaves unset fields out; it never sends null for them).
    `rename` maps each key (e.g. `camel_case`)."""
    value = json_ready(value)
    if isinstance(value, dict):
        return {rename(key): without_nulls(item, rename) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [without_nulls(item, rename) for item in value]
    return value


def to_wire(value: Any) -> Any:
    """HCL object (snake_case keys) -> the API's camelCase object, nulls left out, numbers as JSON."""
    return without_nulls(value, camel_case)


def from_wire(value: Any, cty_type: CtyType[Any]) -> Any:
    """API object (camelCase keys) -> the shape of `cty_type`: snake_case keys, every attribute
    present (null when the API left it out), lists of objects converted item by item."""
    if value is None:
        return None
    if isinstance(cty_type, CtyObject) and isinstance(value, dict):
        return {
            name: from_wire(value.get(camel_case(name), value.get(name)), item_type)
            for name, item_type in cty_type.attribute_types.items()
        }
    if isinstance(cty_type, CtyList) and isinstance(value, list):
        return [from_wire(item, cty_type.element_type) for item in value]
    return value


def _answered(value: Any, cty_type: CtyType[Any]) -> Any:
    """An API value for an attribute the plan left unknown, if it has the attribute's type."""
    if isinstance(cty_type, CtyString) and isinstance(value, str):
        return value
    if isinstance(cty_type, CtyNumber) and isinstance(value, int | float) and not isinstance(value, bool):
        return value
    if isinstance(cty_type, CtyBool) and isinstance(value, bool):
        return value
    return None


def _with_note(exc: Exception, note: str, action: str) -> Exception:
    """`exc` as a diagnostic with `note` added to its detail (the summary stays; a client error
    not yet turned into one is summed up as "Unable to <action>")."""
    if isinstance(exc, CtyValidationError):
        return exc
    if isinstance(exc, SevallaError):
        exc = to_terraform_error(action, exc)
    summary = None
    if isinstance(exc, FoundationError):
        summary = exc.context.get("terraform.summary")
    error = ResourceError(f"{exc}\n\n{note}")
    error.add_context("terraform.summary", summary or "Unable to complete the create")
    return error


def _comparable(value: Any) -> Any:
    return json_ready(value)


def plan_changes(base_plan: dict[str, Any], state: Any, names: list[str] | tuple[str, ...]) -> list[str]:
    """Names whose planned value differs from the prior state (unknown counts as a change)."""
    changed = []
    for name in names:
        planned = base_plan.get(name)
        if isinstance(planned, CtyValue):
            if planned.is_unknown:
                changed.append(name)
                continue
            planned = None if planned.is_null else planned.value
        if _comparable(planned) != _comparable(getattr(state, name, None)):
            changed.append(name)
    return changed


def unknown_string() -> CtyValue:
    """A planned "(known after apply)" string, e.g. updated_at on an update."""
    return CtyValue.unknown(CtyString())


def unknown_number() -> CtyValue:
    return CtyValue.unknown(CtyNumber())


def null_string() -> CtyValue:
    """A planned null that pyvider must not replace with the prior value."""
    return CtyValue.null(CtyString())


def split_import_id(import_id: str, labels: tuple[str, ...]) -> tuple[str, ...]:
    """Split "<a>/<b>" import ids (or check a lone "<id>"), with the official provider's error
    text, before any request: each part must be a safe path segment (kinds.id_problem),
    so `../applications` or `app/../x` never reach another endpoint."""
    parts = tuple(import_id.split("/"))
    problem = next((found for part in parts if (found := id_problem(part))), None)
    if len(parts) != len(labels) or problem:
        expected = "/".join(f"<{label}>" for label in labels)
        because = f" ({problem})" if problem else ""
        raise attribute_error("id", f"Expected import ID in format '{expected}', got: {import_id}{because}")
    return parts


def pick(body: dict[str, Any], names: tuple[str, ...] | list[str]) -> dict[str, Any]:
    return {name: body.get(name) for name in names}


class SevallaResource(BaseResource):  # type: ignore[type-arg]
    """Base for this provider's resources. Subclasses set `state_class` (and `config_class`) to
    their attribute table (provider/attributes.py), which makes the schema."""

    state_class: type[Table]  # the attribute table, which is the config class too

    # Set by resources with a `timeouts` attribute: every wait inside create/update/delete
    # (rate-limit pacing, retry backoff, status polling) then ends by that operation's timeout.
    timeout_defaults: ClassVar[dict[str, str] | None] = None

    async def apply(self, ctx: ResourceContext) -> Any:
        # Validation is skipped while any value is unknown ("${x.id}/y"): ids are checked
        # again once known, before the first request.
        raise_first_problem(id_problems(ctx.config))
        deleting = (
            ctx.planned_state_cty.is_null if ctx.planned_state_cty is not None else ctx.planned_state is None
        )
        operation = "delete" if deleting else "create" if ctx.state is None else "update"
        get_client().metrics.operations[operation] += 1  # tells a destroy from an apply
        with recording_waits() as waits:
            if operation == "create":
                result = await self._apply_create(ctx)
            else:
                result = await self._within_timeout(ctx, operation)
        self._warn_of_long_waits(ctx, operation, waits)
        return result

    def _warn_of_long_waits(self, ctx: ResourceContext, operation: str, waits: list[WaitRecord]) -> None:
        """A warning diagnostic when this apply waited long (a database becoming ready, the API's
        creation rate limit): Terraform shows it without TF_LOG."""
        threshold = get_client().settings.long_wait_warning
        long = [wait for wait in waits if wait.seconds >= threshold]
        if not long or threshold <= 0:
            return
        total = sum(wait.seconds for wait in long)
        ctx.add_warning(
            f"The {operation} of {self.type_name()} waited {total:.0f}s",
            "Waits longer than the provider's long_wait_warning "
            f"({threshold:g}s):\n" + "\n".join(f"- {wait.summary()}" for wait in long),
        )

    async def _within_timeout(self, ctx: ResourceContext, operation: str) -> Any:
        if not self.timeout_defaults:
            return await self._apply_with_switches(ctx, operation)
        timeouts = getattr(ctx.state if operation == "delete" else ctx.planned_state, "timeouts", None)
        with operation_deadline(timeout_seconds(timeouts, operation, self.timeout_defaults)):
            return await self._apply_with_switches(ctx, operation)

    async def _apply_with_switches(self, ctx: ResourceContext, operation: str) -> Any:
        """The create or update, with the configured switches (kinds.Switch: suspension,
        enabling) turned by their own routes: those other changes need (an activation) before,
        the others (a suspension last) after."""
        if operation != "delete" and self.state_class.write_only_pairs():
            ctx = self._with_write_only_values(ctx)
        switched = self.switches_in(ctx.config) if operation != "delete" else []
        if not switched:
            return self._scrubbed_result(await super().apply(ctx))
        before = [
            (name, switch, wanted) for name, switch, wanted in switched if wanted == switch.changes_need
        ]
        after = [entry for entry in switched if entry not in before]
        after.sort(key=lambda entry: entry[1].changes_need is not None)  # a suspension last
        if operation == "update" and before:
            await self._turn(ctx.state, before)
        result = await super().apply(ctx)
        if not isinstance(result, tuple) or result[0] is None:
            return result
        state, private = result
        turned = await self._turn(state, before + after if operation == "create" else after)
        return self.scrubbed(turned), private

    def _with_write_only_values(self, ctx: ResourceContext) -> ResourceContext:
        """The context with each write-only value (`x_wo`, in every configuration Terraform sends)
        in place of its secret `x`: a create sends it, and so does an update (the plan has one
        when `x_wo_version` changed; where `x` goes with another value, a certificate with its
        key, an update of that one sends both). The state returned is scrubbed of it."""
        config: Any = ctx.config
        sent = {}
        for secret, twin, _ in self.state_class.write_only_pairs():
            value = getattr(config, twin, None)
            if value is not None:
                sent[secret] = value
        if not sent:
            return ctx
        planned: Any = ctx.planned_state
        return attrs.evolve(
            ctx,
            config=attrs.evolve(config, **sent),
            planned_state=attrs.evolve(planned, **sent) if planned is not None else None,
        )

    def scrubbed(self, state: Any) -> Any:
        """The state without the secrets given write-only (`x_wo_version` set): neither `x` nor
        `x_wo` is ever kept."""
        if state is None or not attrs.has(type(state)):
            return state
        gone: dict[str, None] = {}
        for secret, twin, version in self.state_class.write_only_pairs():
            if getattr(state, version, None) is not None:
                gone.update({secret: None, twin: None})
            elif getattr(state, twin, None) is not None:
                gone[twin] = None
        return attrs.evolve(state, **gone) if gone else state

    def _scrubbed_result(self, result: Any) -> Any:
        if isinstance(result, tuple) and len(result) == 2:
            return self.scrubbed(result[0]), result[1]
        return self.scrubbed(result)

    def write_only_problems(self, config: Any) -> list[Problem]:
        problems: list[Problem] = []
        for secret, twin, version in self.state_class.write_only_pairs():
            value, stamp = getattr(config, twin, None), getattr(config, version, None)
            if value is not None and getattr(config, secret, None) is not None:
                problems.append((twin, f"set {secret} or {twin}, not both"))
            if value is not None and stamp is None:
                problems.append((version, f"is required with {twin} (change it to send a new {twin})"))
            if stamp is not None and value is None:
                problems.append((twin, f"is required with {version}"))
        return problems

    @classmethod
    @functools.cache  # per type: asked on every plan and apply
    def switched(cls) -> tuple[tuple[str, Switch], ...]:
        """(attribute, switch) of the kind's switches that the table lets a configuration set."""
        kind: Kind | None = getattr(cls, "kind", None)
        table = cls.state_class
        api_names, attributes = table.api_names(), table.attributes()
        return tuple(
            (name, switch)
            for switch in (kind.switches if kind else ())
            for name, api_name in api_names.items()
            if api_name == switch.field and attributes[name].optional
        )

    def switches_in(self, config: Any) -> list[tuple[str, Switch, bool]]:
        """(attribute, switch, wanted) of the switches the configuration sets."""
        return [
            (name, switch, getattr(config, name))
            for name, switch in self.switched()
            if isinstance(getattr(config, name, None), bool)
        ]

    def create_problems(self, config: Any) -> list[Problem]:
        """What a create lacks: the inputs only an existing object may leave out."""
        return [
            (name, f"is required to create a {self.type_name()} (only an existing one may leave it unset)")
            for name in self.state_class.needed_to_create()
            if getattr(config, name, None) is None and getattr(config, f"{name}_wo", None) is None
        ]

    def switch_problems(self, config: Any) -> list[Problem]:
        return [
            (name, "can only be true: it becomes false when another one becomes true; leave it unset")
            for name, switch, wanted in self.switches_in(config)
            if switch.off is None and wanted is False
        ]

    def state_ref(self, state: Any) -> Ref:
        """The object a state describes (its parents' ids, then its own)."""
        parents = [str(getattr(state, name)) for name in self.state_class.names(parent=True)]
        return self.kind.ref(*parents, str(state.id))  # type: ignore[attr-defined]

    async def _turn(self, state: Any, switches: list[tuple[str, Switch, bool]]) -> Any:
        """Turn each switch the state does not show as wanted, and poll until the object shows
        it; the state as the object is then. Bounded by the operation's timeout, else the
        provider's `operation_timeout`."""
        ref, client, body = self.state_ref(state), get_client(), None
        with default_deadline(client.settings.operation_timeout):
            for name, switch, wanted in switches:
                if body is None and getattr(state, name) == wanted:
                    continue  # what the API just answered shows it
                current = body or await read_existing(f"read {ref.kind.name}", ref, fresh=True)
                if switch.shows(current, wanted):
                    body = current
                    continue
                action = f"{switch.route(wanted)} {ref.kind.name}"
                with reported(action):
                    await client.switch(ref, switch, wanted)
                body = await wait_for_switch(ref, name, switch, wanted, action=action)
        if body is None:
            return state
        parents = {name: getattr(state, name) for name in self.state_class.names(parent=True)}
        return self.state_class.from_api(body, state, **parents)

    async def _apply_create(self, ctx: ResourceContext) -> Any:
        """A create that never forgets what it made (provider/client/creates.py).

        Once the API has answered with the new object, its id is in the state returned to
        Terraform whatever fails next (a wait stopped or timed out, a PATCH refused): the error
        goes with it, Terraform keeps the object marked tainted, and the next apply replaces it
        instead of creating a second one. The journal entry of the create is closed only
        once such a state is returned."""
        record, token = open_record()
        try:
            try:
                return await self._within_timeout(ctx, "create")
            except Exception as exc:
                if record.made is None:
                    raise self._explained(ctx, exc) from exc
                ctx.diagnostics.append(await create_diagnostic_from_exception(self._kept(exc, record.made)))
                return self.partial_state(ctx, record.made), None
        finally:
            close_record(token)
            for entry in record.entries:
                await get_client().journal.end(entry)

    def _kept(self, exc: Exception, made: dict[str, Any]) -> Exception:
        """The error, saying that the object exists and is kept."""
        note = (
            f"The {self.type_name()} was created (id {made.get('id')}) and is kept in the state, marked "
            "tainted: the next apply replaces it (or run terraform untaint if it is fine as it is)."
        )
        return _with_note(exc, note, "complete the create")

    def _explained(self, ctx: ResourceContext, exc: Exception) -> Exception:
        """A create refused because its key or name is taken: the import that adopts it."""
        refusal = exc.__cause__ if isinstance(exc.__cause__, ExistingObjectError) else exc
        if not isinstance(refusal, ExistingObjectError):
            return exc
        import_id = self.import_id(ctx.config, refusal.existing_id)
        note = (
            f"An object with this identity already exists (id {refusal.existing_id}), perhaps made by an "
            f"earlier apply that was interrupted. If it is the one this configuration describes, adopt it:\n"
            f"  terraform import {self.type_name()}.<name> {import_id}\n"
            f'(or an import block with id = "{import_id}").'
        )
        return _with_note(exc, note, f"create {self.type_name()}")

    @classmethod
    def get_schema(cls) -> PvsSchema:
        return resource_schema(cls.state_class)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """A type's own `import_state` also takes an identity (`import { identity = {...} }`), and
        its own `read` never keeps a write-only secret: wrapped here once, so no type can forget."""
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("import_state")
        if own is not None and not getattr(own, "takes_identity", False):
            setattr(cls, "import_state", _taking_identity(own))  # noqa: B010 (set on the class)
        read = cls.__dict__.get("read")
        if read is not None and not getattr(read, "scrubs", False):
            setattr(cls, "read", _scrubbing(read))  # noqa: B010 (set on the class)

    async def generate_config(self, state: Any) -> Any:
        """The configuration `terraform query -generate-config-out` writes for an object: its
        state without what a configuration leaves to Sevalla (computed values, the switches:
        unset, they follow what Sevalla shows), so it plans as an import with no change."""
        if state is None or not attrs.has(type(state)):
            return None
        attributes = self.state_class.attributes()
        switched = {name for name, _ in self.switched()}
        return {
            name: None
            if name in switched or (attribute.computed and not attribute.optional)
            else json_ready(getattr(state, name))
            for name, attribute in attributes.items()
        }

    @classmethod
    @functools.cache  # per type: asked on every RPC (the identity)
    def identity_names(cls) -> tuple[str, ...]:
        """The identity's attributes, in the import id's order: the parents' ids, then the
        object's own `id` (none for a singleton, nor for a membership, whose id is a parent's)."""
        table = cls.state_class
        kind: Kind | None = getattr(cls, "kind", None)
        own = "id" in table.attributes() and not (kind is not None and kind.member)
        return table.names(parent=True) + (("id",) if own else ())

    @classmethod
    def get_identity_schema(cls) -> PvsSchema | None:
        """Resource identity (Terraform >= 1.12) for every importable type: its import id's parts."""
        if getattr(cls, "import_state", None) is None:
            return None
        if cls not in _IDENTITY_SCHEMAS:
            described = {
                name: a_str(required=True, description=cls.state_class.attributes()[name].description)
                for name in cls.identity_names()
            }
            _IDENTITY_SCHEMAS[cls] = s_identity(attributes=described)
        return _IDENTITY_SCHEMAS[cls]

    @classmethod
    def import_id_of(cls, identity: dict[str, Any]) -> str:
        """The import id an identity stands for ("<application_id>/<id>")."""
        return "/".join(str(identity.get(name) or "") for name in cls.identity_names())

    # The attribute holding the parent's id in "<parent_id>/<id>" import ids (children).
    import_parent: ClassVar[str | None] = None

    def import_id(self, config: Any, object_id: str) -> str:
        """The import id of the object `object_id` that `config` describes."""
        parent = self.import_parent or getattr(self, "parent_attribute", None)
        return f"{getattr(config, parent)}/{object_id}" if parent else object_id

    @classmethod
    def type_name(cls) -> str:
        return str(getattr(cls, "_registered_name", cls.__name__))

    def partial_state(self, ctx: ResourceContext, made: dict[str, Any]) -> Any:
        """The planned state, with the API's answer where the plan had unknowns (id, status, ...):
        a valid refinement of the plan, so Terraform accepts it alongside the error."""
        planned_cty = ctx.planned_state_cty
        state_class: Any = self.state_class
        planned: Any = ctx.planned_state
        values = {field.name: getattr(planned, field.name) for field in attrs.fields(state_class)}
        if planned_cty is None or planned_cty.is_null or not isinstance(planned_cty.type, CtyObject):
            return attrs.evolve(planned, id=made.get("id"))
        types = planned_cty.type.attribute_types
        planned_values: dict[str, CtyValue] = planned_cty.value  # type: ignore[assignment]
        for name, value in planned_values.items():
            if name in values and value.is_unknown:
                values[name] = _answered(made.get(name, made.get(camel_case(name))), types[name])
        values["id"] = made.get("id")
        return state_class(**values)

    def check(self, config: Any) -> list[Problem]:
        """Override: problems in a configuration. A value may be None (not set) or, at plan,
        UNKNOWN (not known yet); neither is a problem: the check runs again once it is known."""
        return []

    async def _validate_config(self, config: Any) -> list[str]:
        raise_first_problem(
            id_problems(config)
            + self.check(config)
            + self.switch_problems(config)
            + self.write_only_problems(config)
        )
        return []

    @classmethod
    def plans_unchanged_as_proposed(cls, config: dict[str, Any], prior: dict[str, Any]) -> bool:
        """Whether this type's plan of an object Terraform proposes unchanged is that object, for
        this configuration and prior state (plain values, defaults resolved): then the provider
        answers from the request's bytes (`provider.unchanged_plans`). True here: every plan hook
        of this provider changes a value only where one changed (`plan_changes`); a type whose
        plan also changes an unchanged object says when (`Application`)."""
        return True

    async def plan(self, ctx: ResourceContext) -> Any:
        """Check the known values of a configuration that is not wholly known, then plan.

        pyvider hands `check` (through ValidateResourceConfig and its own plan) only wholly known
        configurations; one with `application_id = sevalla_application.app.id` would otherwise be
        checked first at apply, after the application was created. A destroy (null configuration)
        is never checked."""
        config_cty = ctx.config_cty
        config: Any = ctx.config
        if ctx.config is None and config_cty is not None and not config_cty.is_null:
            config = self.partial_config(config_cty)
            try:
                problems = (
                    []
                    if config is None
                    else self.check(config) + self.switch_problems(config) + self.write_only_problems(config)
                )
            except (TypeError, AttributeError, KeyError):  # a check not ready for UNKNOWN: wait
                problems = []
            raise_first_problem(problems)
        if ctx.state is None and config is not None:
            raise_first_problem(self.create_problems(config))
        planned, private = await super().plan(ctx)
        if isinstance(planned, dict) and ctx.state is not None:
            self._plan_switches(planned, ctx.state)
        if isinstance(planned, dict) and config is not None:
            self._plan_write_only(ctx, planned, config)
        return planned, private

    def _plan_write_only(self, ctx: ResourceContext, planned: dict[str, Any], config: Any) -> None:
        """A secret given write-only is null in the plan; a new `x_wo_version` sends it again (in
        place, or by replacement where `x` cannot change)."""
        pairs = self.state_class.write_only_pairs()
        if not pairs:
            return
        attributes = self.state_class.attributes()
        updatable = self.state_class.names(update=True)
        for secret, _, version in pairs:
            if getattr(config, version, None) is None:
                continue
            planned[secret] = CtyValue.null(attributes[secret].type)
            if ctx.state is None or not plan_changes(planned, ctx.state, (version,)):
                continue
            if secret in updatable:
                if "updated_at" in attributes:
                    planned["updated_at"] = unknown_string()
            else:
                ctx.require_replace(version)

    def _plan_switches(self, planned: dict[str, Any], prior: Any) -> None:
        """A switch that changes moves other computed values (status, updated_at): unknown."""
        switched = self.switched()
        if not switched:
            return
        attributes, api_names = self.state_class.attributes(), self.state_class.api_names()
        for name, switch in switched:
            if not plan_changes(planned, prior, (name,)):
                continue
            for moved, api_name in api_names.items():
                attribute = attributes[moved]
                if (api_name in switch.moves or api_name == switch.field) and not attribute.optional:
                    planned[moved] = CtyValue.unknown(attribute.type)

    def partial_config(self, config_cty: CtyValue) -> Any:
        """The configuration with UNKNOWN for what is not known yet; None if it cannot be built
        (then the check waits for the known configuration at apply)."""
        values = _with_unknowns(config_cty)
        config_class: Any = self.config_class
        if not isinstance(values, dict) or config_class is None:
            return None
        fields = {field.name: field for field in attrs.fields(config_class)}
        kwargs = {
            name: value
            for name, value in values.items()
            if name in fields and not (value is None and fields[name].default is not attrs.NOTHING)
        }
        try:
            return config_class(**kwargs)
        except (TypeError, ValueError):
            return None


def _with_unknowns(value: Any) -> Any:
    """A cty value as plain Python values (Decimal numbers), UNKNOWN where it is unknown."""
    if not isinstance(value, CtyValue):
        return value
    if value.is_unknown:
        return UNKNOWN
    if value.is_null:
        return None
    payload = value.value
    if isinstance(payload, dict):
        return {key: _with_unknowns(item) for key, item in payload.items()}
    if isinstance(payload, list | tuple | set | frozenset):
        return [_with_unknowns(item) for item in payload]
    return payload


class TableParent:
    """`parent_attribute` of a type whose table declares its parent's id (None: it has none),
    so that types differing only in their parent say it once, in the table."""

    def __get__(self, instance: Any, owner: type[SevallaResource]) -> Any:
        parents = owner.state_class.names(parent=True)
        return parents[0] if parents else None


class ChildResource(SevallaResource):
    """A child object with its own GET (domain, process, port, proxy), under a parent named by
    `parent_attribute` (application_id, static_site_id, ...).

    Read (gone: None), delete (gone: deleted) and import "<parent_id>/<child_id>" are the
    same for all of them; subclasses give the noun, the kind and the state conversion.
    """

    kind: ClassVar[Kind]
    noun: ClassVar[str]  # in diagnostics, e.g. "application domain"
    parent_attribute: ClassVar[str]  # e.g. "application_id"
    child_id_label: ClassVar[str]  # in the import id format, e.g. "domain_id"

    def from_api(self, parent_id: str, body: dict[str, Any], kept: Any) -> Any:
        """State from an API body; `kept` is the prior state (None on import) for values the API
        never returns."""
        return self.state_class.from_api(body, kept, **{self.parent_attribute: parent_id})

    def ref(self, values: Any) -> Ref:
        """The object a configuration, plan or state describes."""
        return self.kind.ref(getattr(values, self.parent_attribute), str(values.id))

    async def read(self, ctx: ResourceContext) -> Any:
        prior: Any = ctx.state
        body = await read_object(f"read {self.noun}", self.ref(prior))
        return None if body is None else self.from_api(getattr(prior, self.parent_attribute), body, prior)

    async def _delete_apply(self, ctx: ResourceContext) -> None:
        with reported(f"delete {self.noun}"):
            await get_client().delete(self.ref(ctx.state))

    async def import_state(self, ctx: ResourceContext, import_id: str) -> Any:
        parent_id, child_id = split_import_id(import_id, (self.parent_attribute, self.child_id_label))
        body = await read_object(f"import {self.noun}", self.kind.ref(parent_id, child_id))
        return None if body is None else self.from_api(parent_id, body, None)


class ApplicationChild(ChildResource):
    """An application's child object with its own GET (domain, process, port, proxy)."""

    parent_attribute = "application_id"


class ServiceResource(SevallaResource):
    """A top-level object with its own GET (application, database, bucket, API key, ...): read
    (gone: None), delete (gone: deleted) and import by id; subclasses give the noun, the kind
    and the conversion, and `prepare_delete` where a delete must wait."""

    kind: ClassVar[Kind]
    noun: ClassVar[str]  # in diagnostics, e.g. "static site"

    def from_api(self, body: dict[str, Any], kept: Any) -> Any:
        """State from an API body; `kept` is the prior state or configuration (None on import)
        for values the API never returns."""
        return self.state_class.from_api(body, kept)

    async def read(self, ctx: ResourceContext) -> Any:
        prior: Any = ctx.state
        body = await read_object(f"read {self.noun}", self.kind.ref(str(prior.id)))
        return None if body is None else self.from_api(body, prior)

    async def prepare_delete(self, ref: Ref, prior: Any) -> bool:
        """Override to wait before a delete; False: nothing is left to delete."""
        return True

    async def _delete_apply(self, ctx: ResourceContext) -> None:
        prior: Any = ctx.state
        ref = self.kind.ref(str(prior.id))
        if await self.prepare_delete(ref, prior):
            with reported(f"delete {self.noun}"):
                await get_client().delete(ref)

    async def import_state(self, ctx: ResourceContext, import_id: str) -> Any:
        (object_id,) = split_import_id(import_id, ("id",))
        body = await read_object(f"import {self.noun}", self.kind.ref(object_id))
        return None if body is None else self.from_api(body, None)


class PatchedServiceResource(ServiceResource):
    """A top-level object created by POST of its writable fields and changed by PATCH of the
    changed ones (load balancer, pipeline, project, docker registry, webhook, static site).

    Subclasses give the kind (its `match` reconciles an ambiguous create);
    `create_body`/`patch_body` adjust the bodies.
    """

    changed_on_update: ClassVar[tuple[str, ...]] = ("updated_at",)  # unknown in a plan that changes

    @property
    def writable(self) -> tuple[str, ...]:
        """What update may PATCH: the table's attributes sent on update."""
        return self.state_class.names(update=True)

    def create_body(self, config: Any) -> dict[str, Any]:
        names = self.state_class.names(create=True)
        return {name: getattr(config, name) for name in names if getattr(config, name) is not None}

    def patch_body(self, planned: Any, changed: list[str]) -> dict[str, Any]:
        return {name: getattr(planned, name) for name in changed}

    async def _update(self, ctx: ResourceContext, base_plan: dict[str, Any]) -> tuple[dict[str, Any], None]:
        if plan_changes(base_plan, ctx.state, self.writable):
            for name in self.changed_on_update:
                base_plan[name] = unknown_string()
        return base_plan, None

    async def _create_apply(self, ctx: ResourceContext) -> tuple[Any, None]:
        config: Any = ctx.config
        with reported(f"create {self.noun}"):
            created = await get_client().create(self.kind.collection(), self.create_body(config))
        return self.from_api(created, config), None

    async def _update_apply(self, ctx: ResourceContext) -> tuple[Any, None]:
        planned: Any = ctx.planned_state
        prior: Any = ctx.state
        ref = self.kind.ref(str(prior.id))
        body = self.patch_body(planned, plan_changes(attrs.asdict(planned), prior, self.writable))
        result = await patch_or_read(f"update {self.noun}", ref, body)
        return self.from_api(result, planned), None


async def patch_or_read(action: str, ref: Ref, body: dict[str, Any]) -> dict[str, Any]:
    """PATCH the changed fields, or, with nothing to send, read what the API has (fresh)."""
    if not body:
        return await read_existing(action, ref, fresh=True)
    with reported(action):
        result: dict[str, Any] = await get_client().update(ref, body)
    return result


@attrs.frozen(kw_only=True)
class Timestamped(Table):
    """The table of a type with `created_at` and `updated_at`, as the API returns them."""

    created_at: str | None = computed("Creation time (ISO 8601).")
    updated_at: str | None = computed("Last update time (ISO 8601).")


# --- timeouts = { create, update, delete } -----------------------------------------------------

TIMEOUT_OPERATIONS = ("create", "update", "delete")


def timeouts_attribute(defaults: dict[str, str]) -> PvsAttribute:
    described = ", ".join(f"{op} {defaults[op]}" for op in TIMEOUT_OPERATIONS if op in defaults)
    return a_obj(
        {op: a_str(optional=True) for op in TIMEOUT_OPERATIONS},
        optional=True,
        description=f'How long operations may wait, Go duration syntax ("10m"). Defaults: {described}.',
    )


def timeouts_field(defaults: dict[str, str]) -> Any:
    """`timeouts` in a table: configuration only, never sent nor returned (kept)."""
    return declared(timeouts_attribute(defaults), api=None, create=False, update=False)


def check_timeouts(timeouts: dict[str, Any] | None) -> list[Problem]:
    problems: list[Problem] = []
    if not isinstance(timeouts, dict):  # not set, or not known yet
        return problems
    for op, text in json_ready(timeouts).items():
        if not isinstance(text, str):
            continue
        try:
            parse_duration(str(text))
        except ValueError as exc:
            problems.append((f"timeouts.{op}", str(exc)))
    return problems


def timeout_seconds(timeouts: dict[str, Any] | None, operation: str, defaults: dict[str, str]) -> float:
    text = (timeouts or {}).get(operation) or defaults[operation]
    return parse_duration(str(text))


class WaitTimeout(SevallaError):
    pass


class WaitFailed(SevallaError):
    """The object reached a status it does not leave by itself (a database in "error")."""


POLL_MARGIN = 0.05  # the last poll of a wait is sent this long before its deadline


def described(ref: Ref, body: dict[str, Any] | None) -> str:
    """The object of a wait for a diagnostic: kind, id, display name and status when known."""
    body = body or {}
    name = body.get("display_name") or body.get("name")
    named = f" ({name!r})" if name else ""
    return f"The {ref.kind.name} {body.get('id') or ref.id}{named}"


async def poll_until(
    ref: Ref,
    arrived: Callable[[dict[str, Any] | None], bool],
    *,
    within: float | None = None,
    action: str,
    waiting_for: str,
    interval: float = 2.0,
    first_interval: float | None = None,
) -> dict[str, Any] | None:
    """Poll the object (never cached; None once it is gone) until `arrived` says so, and answer
    that last read. `arrived` may raise a client error to end the wait at once (a failed status).
    `within`: seconds; None, what is left of the deadline already set (an action's timeout).

    Polls count against the read tier like any GET; the client paces them. Pauses start at
    `first_interval` (default `interval`) and double up to `interval`. The wait ends at the
    timeout (after a last poll at the deadline, so a timeout shorter than the interval still
    sees a status that came in time) or when Terraform asks the provider to stop.
    """
    client = get_client()
    last: dict[str, Any] | None = None
    next_pause = first_interval or interval
    if within is None:
        within = max(seconds_left() or 0.0, 0.0)
    with operation_deadline(within):
        progress = Progress(f"the {ref.kind.name} {ref.id or ref.path}", waiting_for)
        while True:
            try:
                found = await client.read(ref, fresh=True)
                last = found if found is not None else last
                progress.saw((found or {}).get("status", "gone" if found is None else "?"))
                if arrived(found):
                    progress.done()
                    return found
                left = seconds_left()
                if left is not None and left <= POLL_MARGIN:
                    raise DeadlineExceeded("no time left for another poll")
                wait = next_pause if left is None else min(next_pause, left - POLL_MARGIN)
                status = (found or {}).get("status")
                await pause(wait, f"{ref} is {status!r}, waiting for {waiting_for}", told=False)
                next_pause = min(interval, next_pause * 2)
            except DeadlineExceeded as exc:
                progress.gave_up("the timeout passed")
                raise to_terraform_error(
                    action,
                    WaitTimeout(
                        f"{ref} is still {(last or {}).get('status')!r} (waiting for {waiting_for}) after "
                        f"the timeout of {within:g}s. Raise it with timeouts = {{ ... }} on the resource."
                    ),
                ) from exc
            except SevallaError as exc:
                progress.gave_up(str(exc))
                raise to_terraform_error(action, exc) from exc


async def wait_for_status(
    ref: Ref,
    wanted: tuple[str, ...],
    *,
    within: float,
    action: str,
    interval: float = 2.0,
    failed: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Poll the object until its status is one of `wanted` (see `poll_until`). A status in
    `failed` (one the object does not leave by itself) ends the wait at once with a diagnostic
    naming the object; so does the object's disappearance."""
    waiting_for = " or ".join(wanted)

    def arrived(found: dict[str, Any] | None) -> bool:
        if found is None:
            raise Gone(f"The {ref.kind.name} {ref.path} is gone (waiting for {waiting_for}).")
        status = found.get("status")
        if status in failed and status not in wanted:
            raise WaitFailed(
                f"{described(ref, found)} is in status {status!r}: it does not become {waiting_for} by "
                "itself, so the provider stopped waiting. See it in Sevalla (its logs, a restart) or "
                "delete it."
            )
        return status in wanted

    body = await poll_until(
        ref, arrived, within=within, action=action, waiting_for=waiting_for, interval=interval
    )
    assert body is not None  # `arrived` raises Gone
    return body


async def wait_for_switch(
    ref: Ref, name: str, switch: Switch, wanted: bool, *, action: str
) -> dict[str, Any]:
    """After a switch's route: poll until the object shows `wanted` and is no longer busy."""
    waiting_for = f"{name} = {str(wanted).lower()}"

    def arrived(found: dict[str, Any] | None) -> bool:
        if found is None:
            raise Gone(f"The {ref.kind.name} {ref.path} is gone (waiting for {waiting_for}).")
        return switch.shows(found, wanted)

    body = await poll_until(
        ref,
        arrived,
        action=action,
        waiting_for=waiting_for,
        first_interval=0.5,
    )
    assert body is not None  # `arrived` raises Gone
    return body


async def wait_until_gone(
    ref: Ref, *, within: float, action: str, interval: float = 2.0, first_interval: float = 0.5
) -> None:
    """After an asynchronous DELETE: poll until the object is gone (404 or absent). The first
    pause is short: most deletes end quickly, and a destroy should not wait a whole interval."""
    await poll_until(
        ref,
        lambda found: found is None,
        within=within,
        action=action,
        waiting_for="it to be gone",
        interval=interval,
        first_interval=first_interval,
    )


def replace_when_changed(
    ctx: ResourceContext, base_plan: dict[str, Any], names: tuple[str, ...], *, imported: bool
) -> None:
    """Write-once attributes the API never returns: a change forces replacement, except
    right after an import, when state has no value yet and the configuration's is adopted.

    (A schema-level requires_replace would replace every imported object on its first plan.)
    """
    if imported:
        return
    for name in plan_changes(base_plan, ctx.state, names):
        ctx.require_replace(name)


class SingletonResource(SevallaResource):
    """A parent's one-of-a-kind object without an id (deployment hook, IP restriction): read and
    import by the parent's id (`parent_attribute`) GET its path; gone means None."""

    kind: ClassVar[Kind]
    noun: ClassVar[str]
    parent_attribute: ClassVar[str] = "application_id"

    def from_api(self, parent_id: str, body: dict[str, Any]) -> Any:
        return self.state_class.from_api(body, None, **{self.parent_attribute: parent_id})

    def exists(self, body: dict[str, Any]) -> bool:
        """Override when the API answers for objects that were never set up."""
        return True

    async def read(self, ctx: ResourceContext) -> Any:
        parent_id = getattr(ctx.state, self.parent_attribute)
        body = await read_object(f"read {self.noun}", self.kind.ref(parent_id))
        return None if body is None else self.from_api(parent_id, body)

    async def import_state(self, ctx: ResourceContext, import_id: str) -> Any:
        (parent_id,) = split_import_id(import_id, (self.parent_attribute,))
        body = await read_object(f"import {self.noun}", self.kind.ref(parent_id))
        return None if body is None or not self.exists(body) else self.from_api(parent_id, body)
