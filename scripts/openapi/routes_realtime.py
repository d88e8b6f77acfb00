"""The Socket.IO endpoint /socket.io/ (Engine.IO v4), documented; its protocol is tested by real clients."""
from components import *  # noqa: F401,F403
from dsl import *  # noqa: F401,F403

# ---- realtime ------------------------------------------------------------------------------------
EIO_PARAMS = [
    {"name": "EIO", "in": "query", "required": True, "schema": {"type": "string", "const": "4"}},
    {"name": "transport", "in": "query", "required": True, "schema": {"type": "string", "enum": ["polling", "websocket"]}},
    {"name": "sid", "in": "query", "required": False, "schema": {"type": "string"}},
]
EIO_ERR = {"description": "Engine.IO error", "content": {"application/json": {"schema": ref("EngineIOError")}}}
for method in ("GET", "POST", "OPTIONS", "PUT", "PATCH", "DELETE"):
    if method == "GET":
        resp = {"101": {"description": "Switching to WebSocket (`transport=websocket` with an upgrade request)."},
                "200": {"description": "Polling: the open packet or pending packets (Engine.IO v4 payload).",
                        "content": {"text/plain": {"schema": STR}}},
                "400": EIO_ERR, "403": EIO_ERR, "503": EIO_ERR}
        summary, desc = "Engine.IO handshake, long-poll or WebSocket upgrade", "Socket.IO v4 over Engine.IO v4. After connecting, emit `authenticate {token}` (or send `auth.token` in CONNECT); events are described in docs/API_DOCUMENTATION.md."
    elif method == "POST":
        resp = {"200": {"description": "`ok`", "content": {"text/plain": {"schema": STR}}}, "400": EIO_ERR,
                "413": eref("413")}
        summary, desc = "Engine.IO polling: send packets", "Needs `sid`. A body over `IBRAT_EIO_MAX_PAYLOAD` bytes is a 413."
    elif method == "OPTIONS":
        resp = {"204": {"description": "The CORS preflight answer: the allowed origin echoed with credentials, methods `OPTIONS, GET, POST`."}}
        summary, desc = "CORS preflight of the Socket.IO endpoint", "Answered as socket.io servers answer it, without the Engine.IO query."
    else:
        resp = {"400": EIO_ERR}
        summary, desc = "Not part of the protocol", "Always 400 (Engine.IO `Bad request`)."
    op(method, "/socket.io/", tag="realtime", summary=summary, access="public", limited=False,
       params=[] if method == "OPTIONS" else EIO_PARAMS, resp=resp, desc=desc, errors=())
    paths["/socket.io/"][method.lower()]["responses"].pop("500", None)
