"""Operations of /health, /api/openapi.json, /api/auth, /api/users and the operator profile."""
from components import *  # noqa: F401,F403
from dsl import *  # noqa: F401,F403

# ---- health, openapi -----------------------------------------------------------------------------
op("GET", "/health", tag="system", summary="Liveness probe", access="public", limited=False,
   resp=ok(obj({"status": {"type": "string", "const": "OK"}, "timestamp": TS,
                "uptime": {"type": "number", "description": "Gateway uptime, seconds."}})),
   desc="Not rate limited.")
op("GET", "/api/openapi.json", tag="system", summary="This OpenAPI document", access="public",
   resp=ok({"type": "object"}), errors=("404",),
   desc="The contract of the REST API (`docs/openapi.json` of a checkout, `/usr/share/ibrat/openapi.json` when installed, or `IBRAT_OPENAPI_FILE`). 404 when the file is not installed.")

op("GET", "/metrics", tag="system", summary="Prometheus metrics", access="public", limited=False,
   resp={"200": {"description": "The metrics of the three daemons (a daemon that is down shows `ibrat_daemon_up 0`).",
                 "content": {"text/plain": {"schema": {"type": "string"}},
                             "application/openmetrics-text": {"schema": {"type": "string"}}}}},
   errors=("401", "403"),
   desc="Prometheus text format 0.0.4, or OpenMetrics 1.0 when `Accept` asks for `application/openmetrics-text`. Served to loopback and `IBRAT_METRICS_ALLOW` peers; from elsewhere it needs an admin bearer token (401 without a valid one, 403 for a non-admin). Not rate limited.")

# ---- web console -----------------------------------------------------------------------------------
_NOT_MODIFIED = {"description": "Not modified: the `If-None-Match` ETag is current."}
_HTML = {"description": "The console's page (it loads its modules from /assets/).",
         "content": {"text/html": {"schema": {"type": "string"}}}}
for _path in ("/", "/index.html"):
    op("GET", _path, tag="console", summary="The web console", access="public", limited=False,
       resp={"200": _HTML, "304": _NOT_MODIFIED},
       desc="Static file with an `ETag`, `Cache-Control: no-cache` and a strict Content-Security-Policy. Not rate limited. 404 when the console is not installed.")
op("GET", "/assets/{path}", tag="console", summary="A file of the web console", access="public", limited=False,
   params=[{"name": "path", "in": "path", "required": True, "schema": {"type": "string"},
            "description": "The file under the console's assets folder, e.g. `js/main.js`."}],
   resp={"200": {"description": "The file, with its type.",
                 "content": {t: {"schema": {"type": "string"}} for t in
                             ("text/css", "text/javascript", "image/svg+xml", "image/png", "application/json",
                              "text/plain", "text/csv", "image/x-icon")}},
         "304": _NOT_MODIFIED},
   errors=("404",), desc="Hidden names and paths leaving the folder are 404. Not rate limited.")

# ---- auth ------------------------------------------------------------------------------------------
op("POST", "/api/auth/register", tag="auth", summary="Create a user", access="admin",
   body=jbody(body_obj({"name": NAME, "email": EMAIL, "phone": PHONE, "password": PASSWORD, "role": ref("RoleInput")},
                       required=["name", "email", "phone", "password"]),
              examples={"salesperson": {"name": "Dilnoza Karimova", "email": "dilnoza@example.com",
                                        "phone": "+998901234567", "password": "s3cret-pass", "role": "salesperson"}}),
   resp=ok(obj({"message": {"type": "string", "const": "User registered successfully"}, "user": ref("User"),
                "token": STR}), "Created", "201"),
   errors=("409",), desc="The role defaults to `salesperson`. 409 `User with this email or phone number already exists`.")
op("POST", "/api/auth/login", tag="auth", summary="Log in", access="public",
   body=jbody(obj({"email": EMAIL, "password": {"type": "string", "minLength": 1, "pattern": NOCTL}}),
              examples={"admin": {"email": "admin@example.com", "password": "password123"}}),
   resp=ok(obj({"message": {"type": "string", "const": "Login successful"}, "user": ref("User"), "token": STR})),
   errors=("401",), desc="401 `Invalid credentials` or `Account is deactivated`.")
op("GET", "/api/auth/me", tag="auth", summary="The caller's profile", access="authenticated",
   resp=ok(obj({"user": ref("User")})), errors=("404",))
op("POST", "/api/auth/logout", tag="auth", summary="Revoke the token", access="authenticated",
   resp=ok(obj({"message": {"type": "string", "const": "Logout successful"}})),
   desc="The token used is revoked at once. No body.")
op("POST", "/api/auth/refresh", tag="auth", summary="Exchange the token for a new one", access="authenticated",
   resp=ok(obj({"message": {"type": "string", "const": "Token refreshed successfully"}, "token": STR})),
   desc="The replaced token stays valid for `IBRAT_REFRESH_GRACE` seconds. No body.")

# ---- users ---------------------------------------------------------------------------------------
op("GET", "/api/users", tag="users", summary="List users", access="admin",
   params=[PAGE, LIMIT, q("role", ref("RoleInput")), q("isActive", {"type": "boolean"}), SEARCH],
   resp=ok(obj({"users": arr(ref("User")), "pagination": ref("Pagination")})), errors=("400",),
   desc="Newest first; `search` matches name, email and phone.")
op("GET", "/api/users/available-salespeople", tag="users", summary="Active, available operators",
   access="operatorOrAdmin",
   resp=ok(obj({"salespeople": arr(obj({"_id": OID, "id": OID, "name": STR, "email": STR, "phone": STR,
                                        "isAvailable": BOOL}))})))
op("GET", "/api/users/stats/summary", tag="users", summary="User counts and the newest users", access="admin",
   resp=ok(obj({"summary": obj({"totalUsers": INT, "activeUsers": INT, "availableSalespeople": INT,
                                "totalAdmins": INT, "totalSalespeople": INT}),
                "recentUsers": arr(obj({"_id": OID, "id": OID, "name": STR, "email": STR, "role": ref("Role"),
                                        "isActive": BOOL, "isAvailable": BOOL, "lastLogin": TSN}))})))
op("GET", "/api/users/{id}", tag="users", summary="One user", access="authenticated", params=[PATH_ID],
   resp=ok(obj({"user": ref("User")})), errors=("400", "403", "404"),
   desc="Admins see anyone; others only themselves (403 `Access denied. You can only view your own profile.`).")
op("PUT", "/api/users/{id}", tag="users", summary="Update a user", access="authenticated", params=[PATH_ID],
   body=jbody(body_obj({"name": NAME, "email": EMAIL, "phone": PHONE, "role": ref("RoleInput"), "isAvailable": BOOL,
                        "isActive": BOOL}, required=[], extra=False)),
   resp=ok(obj({"message": {"type": "string", "const": "User updated successfully"}, "user": ref("User")})),
   errors=("403", "404", "409"),
   desc="Admins update anyone; others only themselves and not their role or active state (403). The last active admin cannot be deactivated or demoted (400). Unknown keys are refused (400).")
op("PUT", "/api/users/{id}/availability", tag="users", summary="Set a user's availability", access="authenticated",
   params=[PATH_ID], body=jbody(obj({"isAvailable": BOOL})),
   resp=ok(obj({"message": {"type": "string", "const": "Availability updated successfully"}, "isAvailable": BOOL})),
   errors=("403", "404"), desc="Self or admin. `isAvailable` must be a JSON boolean.")
op("PUT", "/api/users/{id}/activate", tag="users", summary="Activate or deactivate a user", access="admin",
   params=[PATH_ID], body=jbody(obj({"isActive": BOOL})),
   resp=ok(obj({"message": {"type": "string", "enum": ["User activated successfully", "User deactivated successfully"]},
                "isActive": BOOL})),
   errors=("404",), desc="Deactivating also makes the user unavailable; the last active admin cannot be deactivated (400).")
op("DELETE", "/api/users/{id}", tag="users", summary="Soft-delete a user", access="admin", params=[PATH_ID],
   resp=ok(obj({"message": {"type": "string", "const": "User deleted successfully"}})), errors=("400", "404"),
   desc="The user becomes inactive and unavailable; the row stays for the call history. Not the last active admin (400).")
op("PUT", "/api/operator/profile/availability", tag="operator", summary="Set the caller's availability",
   access="operatorOrAdmin", body=jbody(obj({"isAvailable": BOOL})),
   resp=ok(obj({"message": {"type": "string", "const": "Availability updated successfully"}, "isAvailable": BOOL})),
   errors=("404",))
