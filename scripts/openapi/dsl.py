"""The small vocabulary docs/openapi.json is written in (scripts/openapi-gen): schema helpers,
the shared error responses, and `op()`, which registers an operation with the statuses every route
of its kind answers (401/403 for guarded routes, 400/413/415 for JSON bodies, 429 when rate
limited, 500). `paths` and `responses` collect the document as the route modules run."""

OID = {"$ref": "#/components/schemas/ObjectId"}
TS = {"$ref": "#/components/schemas/Timestamp"}
TSN = {"$ref": "#/components/schemas/NullableTimestamp"}


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def obj(props, required=None, extra=None, desc=None):
    o = {"type": "object", "properties": props}
    o["required"] = list(props) if required is None else required
    if extra is not None:
        o["additionalProperties"] = extra
    if desc:
        o["description"] = desc
    return o


def nullable(schema):
    """An optional body field: the gateway treats `null` like an absent field."""
    return {"anyOf": [schema, {"type": "null"}]}


def body_obj(props, required, extra=None):
    """A request body object whose optional fields may also be null."""
    return obj({k: (v if k in required else nullable(v)) for k, v in props.items()}, required=required, extra=extra)


def arr(items, **kw):
    return {"type": "array", "items": items, **kw}


INT = {"type": "integer"}
NUM = {"type": "number"}
STR = {"type": "string"}
BOOL = {"type": "boolean"}
NSTR = {"type": ["string", "null"]}

responses = {}


def err(desc):
    return {"description": desc, "content": {"application/json": {"schema": ref("Error")}}}


COMMON = {
    "400": "Bad request: a malformed id (`Invalid id`), malformed JSON (`Invalid JSON`) or a field that fails validation (`Validation failed`, naming the field).",
    "401": "No token, a malformed, expired or revoked token, or its user is gone or deactivated (`Access denied. No token provided.`, `Invalid token.`, `Token expired.`, `Token has been revoked.`, `Invalid token. User not found.`, `Account is deactivated.`).",
    "403": "The caller's role or ownership does not allow this (`Access denied. …`).",
    "404": "Not found.",
    "409": "Conflict with the current state.",
    "413": "The request body is larger than this route accepts.",
    "415": "The request body must be `application/json`.",
    "429": "Too many requests from this client (`IBRAT_RATE_LIMIT` per client address without a token, `IBRAT_USER_RATE_LIMIT` per user with one).",
    "500": "Unexpected server error (details in the log under the request id).",
    "503": "A daemon this route needs is not reachable, or the database is busy (`Service Unavailable`).",
}
for code, desc in COMMON.items():
    responses[f"E{code}"] = err(desc)
responses["E429"]["headers"] = {
    "Retry-After": {"schema": INT, "description": "Seconds until the window resets."},
    "RateLimit-Limit": {"schema": INT}, "RateLimit-Remaining": {"schema": INT}, "RateLimit-Reset": {"schema": INT},
}


def eref(code):
    return {"$ref": f"#/components/responses/E{code}"}


def ok(schema, desc="OK", status="200"):
    return {status: {"description": desc, "content": {"application/json": {"schema": schema}}}}

paths = {}

def replayable(resp):
    """Adds the `Idempotent-Replayed` header to every 2xx response of `resp`."""
    for code, r in resp.items():
        if code.startswith("2"):
            r["headers"] = dict(REPLAYED)
    return resp

def op(method, path, *, tag, summary, access, resp, errors=(), params=(), body=None, desc=None, extra=None,
       limited=True):
    """access: public | authenticated | operatorOrAdmin | admin"""
    o = {"tags": [tag], "summary": summary, "operationId": None}
    if desc:
        o["description"] = desc
    if params:
        o["parameters"] = list(params)
    if body is not None:
        o["requestBody"] = body
    codes = set(errors)
    if access != "public":
        codes.add("401")
        o["security"] = [{"bearerAuth": []}]
        if access in ("admin", "operatorOrAdmin"):
            codes.add("403")
    else:
        o["security"] = []
    if body is not None and "application/json" in body.get("content", {}):
        codes |= {"400", "413", "415"}
    if limited:
        codes.add("429")
    codes.add("500")
    r = dict(resp)
    for c in sorted(codes):
        if c not in r:
            r[c] = eref(c)
    o["responses"] = dict(sorted(r.items()))
    if extra:
        o.update(extra)
    role = {"public": "Public.", "authenticated": "Any authenticated user.",
            "operatorOrAdmin": "Operators (`salesperson`) and admins.", "admin": "Admins only."}[access]
    o["description"] = (role + " " + (desc or "")).strip()
    o["operationId"] = (method.lower() + "".join(
        p[:1].upper() + p[1:] for p in path.replace("{", "By/").replace("}", "").replace("-", "/").replace(".", "/").split("/") if p))
    paths.setdefault(path, {})[method.lower()] = o


def jbody(schema, required=True, desc=None, examples=None):
    b = {"required": required, "content": {"application/json": {"schema": schema}}}
    if examples:
        b["content"]["application/json"]["examples"] = {k: {"value": v} for k, v in examples.items()}
    if desc:
        b["description"] = desc
    return b

IDEMPOTENCY = {"name": "Idempotency-Key", "in": "header", "required": False,
               "schema": {"type": "string", "pattern": "^[!-~]{1,255}$"},
               "description": "Makes a retry safe: the same key (per user) within 24 hours gets the first answer again, with `Idempotent-Replayed: true`; the key with another request, or while the first is still being answered, is a 409. 5xx and 429 answers are not kept."}
REPLAYED = {"Idempotent-Replayed": {"schema": {"type": "string", "const": "true"},
                                    "description": "Present when this is the stored answer to an earlier request with the same `Idempotency-Key`."}}

def q(name, schema, desc=None):
    p = {"name": name, "in": "query", "required": False, "allowEmptyValue": True, "schema": schema}
    if desc:
        p["description"] = desc
    return p

def link(path, method, code, name, target_path, target_method, *, params=None, body=None, desc=None):
    target = paths[target_path][target_method.lower()]
    l = {"operationId": target["operationId"]}
    if params:
        l["parameters"] = params
    if body:
        l["requestBody"] = body
    if desc:
        l["description"] = desc
    paths[path][method.lower()]["responses"][code].setdefault("links", {})[name] = l
