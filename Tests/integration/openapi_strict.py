"""Checks a real answer of the gateway against docs/openapi.json *strictly*: besides what
schemathesis checks (types, enums, required fields), every field the server sends must be
described. The document leaves `additionalProperties` open (clients must tolerate new fields), so
a field the server added without documenting it passes schemathesis; here each response schema is
inlined ($refs resolved) and every object gets `unevaluatedProperties: false` (JSON Schema 2020-12,
which looks through `allOf`/`anyOf`/`oneOf`), then the body is validated with jsonschema-rs (in the
test virtualenv as schemathesis's validator). No tests here: test_openapi_fields.py uses it."""
import copy
import json
import os

import jsonschema_rs

from conftest import ROOT

with open(os.path.join(ROOT, "docs", "openapi.json"), encoding="utf-8") as f:
    DOCUMENT = json.load(f)

COMBINATORS = ("allOf", "anyOf", "oneOf")


def resolve(node, seen=()):
    """The schema with every local $ref replaced by a copy of its target (no cycles in the document)."""
    if isinstance(node, list):
        return [resolve(item, seen) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/") and ref not in seen, f"unsupported or cyclic $ref {ref}"
        target = DOCUMENT
        for part in ref[2:].split("/"):
            target = target[part]
        merged = dict(copy.deepcopy(target), **{k: v for k, v in node.items() if k != "$ref"})
        return resolve(merged, seen + (ref,))
    return {key: resolve(value, seen) for key, value in node.items()}


def closed(node, whole=True):
    """`node` with `unevaluatedProperties: false` on every object schema that is a whole value (not
    one member of an `allOf`, which only describes part of the object)."""
    if isinstance(node, list):
        return [closed(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    own_properties = "properties" in node
    for key, value in node.items():
        if key in ("properties", "patternProperties", "$defs"):
            out[key] = {name: closed(sub) for name, sub in value.items()}
        elif key == "allOf":
            out[key] = [closed(sub, whole=False) for sub in value]
        elif key in ("anyOf", "oneOf"):
            out[key] = [closed(sub, whole=whole and not own_properties) for sub in value]
        elif key in ("items", "additionalProperties", "not", "if", "then", "else", "contains"):
            out[key] = closed(value)
        else:
            out[key] = value
    describes_object = own_properties or "allOf" in node
    if whole and describes_object and "additionalProperties" not in node and "unevaluatedProperties" not in node:
        out["unevaluatedProperties"] = False
    return out


def response_schema(method, template, status):
    operation = DOCUMENT["paths"][template][method.lower()]
    response = resolve(operation["responses"][str(status)])
    return closed(response["content"]["application/json"]["schema"])


def problems(method, template, status, body):
    """The validation errors of `body` as `METHOD template status` answered it ([] when described)."""
    operation = DOCUMENT["paths"].get(template, {}).get(method.lower())
    if operation is None:
        return [f"{method} {template} is not in the document"]
    if str(status) not in operation["responses"]:
        return [f"{method} {template} does not document status {status}"]
    validator = jsonschema_rs.Draft202012Validator(response_schema(method, template, status))
    return [f"{'/'.join(str(p) for p in error.instance_path)}: {error.message}"
            for error in validator.iter_errors(body)]
