"""The JSON Schema and the document's Python types say the same thing.

``schema/routine.schema.json`` is the contract for app developers; ``dsl.timeline.document``
is the same contract for the compiler, the player and mypy. The walk below follows both at
once, from the document down through every ``$ref``, array and ``oneOf``, and lists every
difference: property names, required sets, types, enums. A field added to one and not the
other, a type or an enum changed on one side only, fails here.
"""

from __future__ import annotations

import copy
import types
import typing
from collections.abc import Callable
from typing import Any, Literal, NotRequired, Required, TypedDict, Union

import pytest

from dsl.timeline import document
from dsl.timeline.contract import load_schema

Schema = dict[str, Any]

SCALARS: dict[str, type] = {
    "string": str, "integer": int, "number": float, "boolean": bool, "null": type(None),
}
# What the walk understands; any other keyword that shapes a value is a difference, so a
# schema feature added later cannot pass unchecked.
SHAPE_KEYWORDS = frozenset({
    "type", "properties", "required", "additionalProperties", "items", "enum", "const",
    "oneOf", "$ref",
})
NOTES = frozenset({"description", "title", "$schema", "$id", "$defs", "pattern", "minimum",
                   "exclusiveMinimum", "minLength"})


def differences(schema: Schema, hint: object, root: Schema | None = None,
                seen: set[object] | None = None) -> list[str]:
    """Every way ``hint`` (a type) and ``schema`` (a JSON Schema node) disagree, as
    ``$.path: what`` lines; ``root`` holds the ``$defs`` (default: ``schema``). The
    TypedDicts met on the way are added to ``seen``."""
    walk = _Walk(schema if root is None else root, set() if seen is None else seen)
    return walk.node(schema, hint, "$")


class _Walk:
    def __init__(self, root: Schema, seen: set[object],
                 done: set[tuple[str, object]] | None = None) -> None:
        self.root = root
        self.seen = seen
        # (definition, type) pairs compared already or being compared: the tree is
        # recursive (a repeat holds nodes), and a pair met again adds nothing new.
        self.done: set[tuple[str, object]] = set() if done is None else done

    def resolve(self, schema: Schema) -> Schema:
        while "$ref" in schema:
            # A JSON pointer into the schema: `#/$defs/span`, `#/properties/summary`.
            target: Any = self.root
            for key in schema["$ref"].removeprefix("#/").split("/"):
                target = target[key]
            schema = target
        return schema

    def trial(self, schema: Schema, hint: object, where: str) -> list[str]:
        """The differences, without recording anything: for choosing a union member."""
        return _Walk(self.root, set(), set(self.done)).node(schema, hint, where)

    def node(self, schema: Schema, hint: object, where: str) -> list[str]:
        if "$ref" in schema:
            key = (schema["$ref"], hint)
            if key in self.done:
                return []
            self.done.add(key)
        schema = self.resolve(schema)
        unknown = set(schema) - SHAPE_KEYWORDS - NOTES
        if unknown:
            return [f"{where}: schema keywords the check does not know: {sorted(unknown)}"]
        if "oneOf" in schema:
            return self.alternatives(schema["oneOf"], hint, where)
        if "enum" in schema or "const" in schema:
            values = schema["enum"] if "enum" in schema else [schema["const"]]
            if typing.get_origin(hint) is not Literal:
                return [f"{where}: the schema has the enum {values}, the type is {_name(hint)}"]
            typed = set(typing.get_args(hint))
            found = [f"{where}: {value!r} is in the schema's enum, not in the type"
                     for value in values if value not in typed]
            found += [f"{where}: {value!r} is in the type, not in the schema's enum"
                      for value in typing.get_args(hint) if value not in values]
            return found
        kind = schema.get("type")
        if kind == "object":
            return self.typed_dict(schema, hint, where)
        if kind == "array":
            if typing.get_origin(hint) is not list:
                return [f"{where}: the schema has an array, the type is {_name(hint)}"]
            (item,) = typing.get_args(hint)
            return self.node(schema["items"], item, f"{where}[]")
        if kind in SCALARS:
            if hint is not SCALARS[kind]:
                return [f"{where}: the schema has {kind}, the type is {_name(hint)}"]
            return []
        return [f"{where}: a schema node the check does not know: {schema}"]

    def typed_dict(self, schema: Schema, hint: object, where: str) -> list[str]:
        if not isinstance(hint, type) or not typing.is_typeddict(hint):
            return [f"{where}: the schema has an object, the type is {_name(hint)}"]
        self.seen.add(hint)
        found: list[str] = []
        if schema.get("additionalProperties") is not False:
            found.append(f"{where}: the schema's object is open; a TypedDict is closed")
        fields, typed_required = _fields(hint)
        properties: dict[str, Schema] = schema.get("properties", {})
        for name in sorted(set(properties) - set(fields)):
            found.append(f"{where}.{name}: in the schema, not in {hint.__name__}")
        for name in sorted(set(fields) - set(properties)):
            found.append(f"{where}.{name}: in {hint.__name__}, not in the schema")
        required = set(schema.get("required", []))
        for name in sorted((required ^ typed_required) & set(properties) & set(fields)):
            said = "required" if name in required else "not required"
            found.append(f"{where}.{name}: {said} in the schema, not in {hint.__name__}")
        for name in sorted(set(properties) & set(fields)):
            found += self.node(properties[name], fields[name], f"{where}.{name}")
        return found

    def alternatives(self, options: list[Schema], hint: object, where: str) -> list[str]:
        """A ``oneOf`` is a union: each alternative matches one member, none left over."""
        members = list(_members(hint))
        unmatched: list[tuple[int, Schema]] = []
        for index, option in enumerate(options):
            matches = [m for m in members if not self.trial(option, m, where)]
            if len(matches) > 1:
                return [f"{where}: oneOf[{index}] matches {len(matches)} members of the type"]
            if matches:
                self.node(option, matches[0], where)  # records the TypedDicts it reaches
                members.remove(matches[0])
            else:
                unmatched.append((index, option))
        found: list[str] = []
        for index, option in unmatched:
            # Say why against the nearest member of the same kind, if there is one.
            kind = self.kind(option)
            near = [m for m in members if _kind(m) == kind]
            if not near:
                found.append(f"{where}: oneOf[{index}] ({kind}) has no member in the type "
                             f"{_name(hint)}")
                continue
            nearest = min(near, key=lambda m: len(self.trial(option, m, where)))
            members.remove(nearest)
            found += self.node(option, nearest, where)
        found += [f"{where}: the type's {_name(m)} is not in the schema's oneOf" for m in members]
        return found

    def kind(self, schema: Schema) -> str:
        schema = self.resolve(schema)
        if "enum" in schema or "const" in schema:
            return "enum"
        return str(schema.get("type", "oneOf"))


def _fields(hint: type) -> tuple[dict[str, object], set[str]]:
    """A TypedDict's fields (types without their Required/NotRequired marks) and the names
    it requires. Read from the annotations, not ``__required_keys__``: Python 3.11 cannot
    see ``NotRequired`` in a module with ``from __future__ import annotations``."""
    fields: dict[str, object] = {}
    required: set[str] = set()
    total = getattr(hint, "__total__", True)
    for name, annotation in typing.get_type_hints(hint, include_extras=True).items():
        origin = typing.get_origin(annotation)
        if origin in (Required, NotRequired):
            (annotation,) = typing.get_args(annotation)
        if origin is Required or (origin is not NotRequired and total):
            required.add(name)
        fields[name] = annotation
    return fields, required


def _members(hint: object) -> tuple[object, ...]:
    if typing.get_origin(hint) in (Union, types.UnionType):
        return typing.get_args(hint)
    return (hint,)


def _kind(hint: object) -> str:
    if typing.get_origin(hint) is Literal:
        return "enum"
    if typing.get_origin(hint) is list:
        return "array"
    if typing.is_typeddict(hint):
        return "object"
    return next((k for k, t in SCALARS.items() if t is hint), _name(hint))


def _name(hint: object) -> str:
    name = getattr(hint, "__name__", None)
    return name if isinstance(name, str) and typing.get_origin(hint) is None else repr(hint)


def test_the_schema_and_the_document_types_agree() -> None:
    assert differences(load_schema(), document.Document) == []


def test_the_walk_reaches_every_document_type() -> None:
    """No TypedDict in the module is left out of the comparison."""
    seen: set[object] = set()
    differences(load_schema(), document.Document, seen=seen)
    typed = {value for value in vars(document).values() if typing.is_typeddict(value)}
    assert typed == seen, sorted(_name(t) for t in typed ^ seen)


# --- the check can fail --------------------------------------------------------------
# Each case changes the real schema in one place; the walk must name that place.


def _at(schema: Schema, *path: str) -> Any:
    node: Any = schema
    for key in path:
        node = node[key]
    return node


def _drop_enum_value(schema: Schema) -> None:
    _at(schema, "$defs", "timelineEntry", "properties", "kind", "enum").remove("deepen")


def _add_property(schema: Schema) -> None:
    span = _at(schema, "$defs", "span")
    span["properties"]["file"] = {"type": "string", "description": "The file."}
    span["required"].append("file")


def _not_required(schema: Schema) -> None:
    _at(schema, "$defs", "limit", "required").remove("group")


def _integer_to_number(schema: Schema) -> None:
    _at(schema, "$defs", "countRange", "properties", "max")["type"] = "number"


def _drop_null(schema: Schema) -> None:
    metadata_id = _at(schema, "properties", "metadata", "properties", "id")
    metadata_id["oneOf"] = [{"type": "string"}]


def _array_of_numbers(schema: Schema) -> None:
    _at(schema, "$defs", "timelineEntry", "properties", "standingCues", "items")["type"] = (
        "number")


def _new_keyword(schema: Schema) -> None:
    _at(schema, "$defs", "media")["minProperties"] = 1


@pytest.mark.parametrize(("change", "expected"), [
    (_drop_enum_value, ["$.safetyHandlers[].timeline[].kind: 'deepen' is in the type, "
                        "not in the schema's enum"]),
    (_add_property, ["$.body[].cues[].span.file: in the schema, not in Span"]),
    (_not_required, ["$.limits[].group: not required in the schema, not in Limit"]),
    (_integer_to_number, ["$.body[].reps.max: the schema has number, the type is int"]),
    (_drop_null, ["$.metadata.id: the type's NoneType is not in the schema's oneOf",
                  # The exercises' metadata is the same definition.
                  "$.sections[].metadata.id: the type's NoneType is not in the schema's "
                  "oneOf"]),
    (_array_of_numbers, ["$.safetyHandlers[].timeline[].standingCues[]: the schema has "
                         "number, the type is str"]),
    (_new_keyword, ["$.body[].media[]: schema keywords the check does not know: "
                    "['minProperties']"]),
], ids=["enum", "property", "required", "integer", "null", "array-items", "keyword"])
def test_a_schema_change_alone_is_found(change: Callable[[Schema], None],
                                        expected: list[str]) -> None:
    schema = copy.deepcopy(load_schema())
    change(schema)
    assert differences(schema, document.Document) == expected


class _SpanWithFile(TypedDict):
    line: int
    column: int
    endLine: int
    endColumn: int
    file: str


class _LooseSpan(TypedDict):
    line: int
    column: int
    endLine: int
    endColumn: NotRequired[int]


class _TotalFalse(TypedDict, total=False):
    line: Required[int]
    column: Required[int]
    endLine: Required[int]
    endColumn: int


class _FloatSpan(TypedDict):
    line: int
    column: float
    endLine: int
    endColumn: int


class _Pair(TypedDict):
    min: int
    max: int | None


@pytest.mark.parametrize(("definition", "hint", "expected"), [
    ("span", _SpanWithFile, ["$.file: in _SpanWithFile, not in the schema"]),
    ("span", _LooseSpan, ["$.endColumn: required in the schema, not in _LooseSpan"]),
    ("span", _TotalFalse, ["$.endColumn: required in the schema, not in _TotalFalse"]),
    ("span", _FloatSpan, ["$.column: the schema has integer, the type is float"]),
    ("countRange", _Pair, ["$.max: the schema has integer, the type is int | None"]),
    ("unit", Literal["s", "count", "rep", "sets"], [
        "$: 'breath' is in the schema's enum, not in the type",
        "$: 'sets' is in the type, not in the schema's enum"]),
    ("unit", str, ["$: the schema has the enum ['s', 'count', 'breath', 'rep'], the type is "
                   "str"]),
    ("node", document.StepNode | document.RepeatNode | document.SideOnlyNode,
     ["$: oneOf[2] (object) has no member in the type "
      "dsl.timeline.document.StepNode | dsl.timeline.document.RepeatNode | "
      "dsl.timeline.document.SideOnlyNode",
      "$: oneOf[4] (object) has no member in the type "
      "dsl.timeline.document.StepNode | dsl.timeline.document.RepeatNode | "
      "dsl.timeline.document.SideOnlyNode"]),
    ("node", document.Node | document.Span, ["$: the type's Span is not in the schema's oneOf"]),
], ids=["extra-field", "not-required", "total-false", "float-for-integer", "nullable", "enum",
        "str-for-enum", "missing-member", "extra-member"])
def test_a_type_change_alone_is_found(definition: str, hint: object,
                                      expected: list[str]) -> None:
    schema = load_schema()
    assert differences(schema["$defs"][definition], hint, root=schema) == expected
