"""A local HTTP server that speaks the Slack Web API methods escdesk uses.

Written from Slack's method reference, not from escdesk's code: `POST /api/<method>` with a
form or JSON body, the token as `Authorization: Bearer …` (or a `token` field in a form),
answers `{"ok": true, …}` or `{"ok": false, "error": "…"}` with HTTP 200, Slack's channel-name
rules and `name_taken`, `429` with `Retry-After` when told to rate-limit, the documented bug
that a bot token cannot unarchive a channel, and `chat.update` with its documented errors
(`message_not_found`, `cant_update_message`, `edit_window_closed`, `is_archived`…). Tests can
switch it to answer 500 or to refuse connections, and read what it holds (channels, members,
messages, pins, bookmarks).
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

BOT_TOKEN = "xoxb-test-bot-token"
USER_TOKEN = "xoxp-test-user-token"
BOT_USER = "UBOT0001"
ADMIN_USER = "UADMIN01"
_NAME = re.compile(r"^[a-z0-9_-]+$")


@dataclass
class Message:
    ts: str
    user: str
    text: str
    metadata: dict[str, Any] | None = None
    blocks: list[dict[str, Any]] | None = None
    edited: dict[str, str] | None = None
    """Slack's `edited` stamp ({user, ts}) once `chat.update` changed the message."""


@dataclass
class Channel:
    id: str
    name: str
    creator: str
    members: set[str] = field(default_factory=set)
    is_archived: bool = False
    messages: list[Message] = field(default_factory=list)
    pins: list[str] = field(default_factory=list)
    bookmarks: list[dict[str, str]] = field(default_factory=list)

    def pinned(self) -> list[Message]:
        """The pinned messages, as they read now (edits included)."""
        return [m for m in self.messages if m.ts in self.pins]

    def info(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "name_normalized": self.name,
            "is_channel": True,
            "is_private": False,
            "is_archived": self.is_archived,
            "creator": self.creator,
            "is_member": BOT_USER in self.members,
        }


class SlackError(Exception):
    def __init__(self, error: str) -> None:
        self.error = error


class Workspace:
    """What the fake Slack holds; every method takes the caller's user id."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.users: dict[str, dict[str, str]] = {}  # e-mail → user
        self.channels: dict[str, Channel] = {}
        self._ids = itertools.count(1)
        self._ts = itertools.count(1)
        self.views: list[dict[str, Any]] = []  # modals opened (views.open), with their trigger
        self.edit_window_closed = False  # the workspace forbids editing messages

    def add_user(self, email: str, name: str) -> str:
        user_id = f"U{next(self._ids):07d}"
        self.users[email.lower()] = {"id": user_id, "name": name, "email": email}
        return user_id

    def users_by_id(self, user_id: str) -> dict[str, str]:
        return next(u for u in self.users.values() if u["id"] == user_id)

    def add_channel(self, name: str, creator: str = ADMIN_USER, *members: str) -> Channel:
        channel = Channel(f"C{next(self._ids):07d}", name, creator, {creator, *members})
        self.channels[channel.id] = channel
        return channel

    def by_name(self, name: str) -> Channel | None:
        name = name.lstrip("#")
        return next((c for c in self.channels.values() if c.name == name), None)

    def channel(self, key: str | None) -> Channel:
        if not key:
            raise SlackError("channel_not_found")
        found = self.channels.get(key) or self.by_name(key)
        if found is None:
            raise SlackError("channel_not_found")
        return found

    # ------------------------------------------------------------------ methods
    def auth_test(self, caller: str, args: dict[str, Any]) -> dict[str, Any]:
        return {"user_id": caller, "team_id": "T0001", "bot_id": "B0001"}

    def conversations_create(self, caller: str, args: dict[str, Any]) -> dict[str, Any]:
        name = str(args.get("name", ""))
        if not name:
            raise SlackError("invalid_name_required")
        if len(name) > 80:
            raise SlackError("invalid_name_maxlength")
        if not _NAME.match(name):
            raise SlackError("invalid_name_specials")
        if not re.search(r"[a-z0-9]", name):
            raise SlackError("invalid_name_punctuation")
        if self.by_name(name) is not None:  # archived channels keep their names
            raise SlackError("name_taken")
        return {"channel": self.add_channel(name, caller).info()}

    def conversations_info(self, caller: str, args: dict[str, Any]) -> dict[str, Any]:
        return {"channel": self.channel(args.get("channel")).info()}

    def conversations_list(self, caller: str, args: dict[str, Any]) -> dict[str, Any]:
        found = [
            c
            for c in self.channels.values()
            if not (c.is_archived and str(args.get("exclude_archived")).lower() == "true")
        ]
        start = int(args.get("cursor") or 0)
        limit = int(args.get("limit") or 100)
        page = found[start : start + limit]
        cursor = str(start + limit) if start + limit < len(found) else ""
        return {
            "channels": [c.info() for c in page],
            "response_metadata": {"next_cursor": cursor},
        }

    def conversations_join(self, caller: str, args: dict[str, Any]) -> dict[str, Any]:
        channel = self.channel(args.get("channel"))
        if channel.is_archived:
            raise SlackError("is_archived")
        channel.members.add(caller)
        return {"channel": channel.info()}

    def conversations_invite(self, caller: str, args: dict[str, Any]) -> dict[str, Any]:
        channel = self.channel(args.get("channel"))
        if channel.is_archived:
            raise SlackError("is_archived")
        if caller not in channel.members:
            raise SlackError("not_in_channel")
        users = [u for u in str(args.get("users", "")).split(",") if u]
        if not users:
            raise SlackError("no_user")
        known = {u["id"] for u in self.users.values()}
        for user in users:
            if user == caller:
                raise SlackError("cant_invite_self")
            if user not in known:
                raise SlackError("user_not_found")
            if user in channel.members:
                raise SlackError("already_in_channel")
        channel.members.update(users)
        return {"channel": channel.info()}

    def conversations_archive(self, caller: str, args: dict[str, Any]) -> dict[str, Any]:
        channel = self.channel(args.get("channel"))
        if channel.is_archived:
            raise SlackError("already_archived")
        if caller not in channel.members:
            raise SlackError("not_in_channel")
        channel.is_archived = True
        channel.members.clear()  # members leave an archived channel; the bot with them
        return {}

    def conversations_unarchive(self, caller: str, args: dict[str, Any]) -> dict[str, Any]:
        channel = self.channel(args.get("channel"))
        if not channel.is_archived:
            raise SlackError("not_archived")
        if caller == BOT_USER:  # "Bot tokens (xoxb-...) cannot currently be used to unarchive"
            raise SlackError("not_in_channel")
        channel.is_archived = False
        channel.members.add(caller)
        return {}

    def conversations_history(self, caller: str, args: dict[str, Any]) -> dict[str, Any]:
        channel = self.channel(args.get("channel"))
        limit = int(args.get("limit") or 100)
        with_metadata = str(args.get("include_all_metadata")).lower() == "true"
        newest_first = list(reversed(channel.messages))[:limit]
        return {
            "messages": [
                {"type": "message", "ts": m.ts, "user": m.user, "text": m.text}
                | ({"metadata": m.metadata} if with_metadata and m.metadata else {})
                for m in newest_first
            ],
            "has_more": len(channel.messages) > limit,
        }

    def chat_postMessage(self, caller: str, args: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        channel = self.channel(args.get("channel"))
        if not args.get("text") and not args.get("blocks"):
            raise SlackError("no_text")
        if channel.is_archived:
            raise SlackError("is_archived")
        if caller not in channel.members:
            raise SlackError("not_in_channel")
        metadata = args.get("metadata")
        if isinstance(metadata, str):
            try:
                metadata = json.loads(metadata)
            except ValueError:
                raise SlackError("invalid_metadata_format") from None
        if metadata is not None and not (
            isinstance(metadata, dict) and {"event_type", "event_payload"} <= metadata.keys()
        ):
            raise SlackError("invalid_metadata_schema")
        message = Message(f"1700000000.{next(self._ts):06d}", caller, str(args.get("text")))
        message.metadata = metadata
        blocks = args.get("blocks")
        message.blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
        channel.messages.append(message)
        return {"channel": channel.id, "ts": message.ts, "message": {"text": message.text}}

    def chat_update(self, caller: str, args: dict[str, Any]) -> dict[str, Any]:
        """Slack's chat.update: text and blocks replaced (blocks left out are kept, `[]` removes
        them); only the poster may edit; `edit_window_closed` when the workspace forbids it."""
        channel = self.channel(args.get("channel"))
        text, blocks = args.get("text"), args.get("blocks")
        if not text and not blocks and not args.get("attachments"):
            raise SlackError("no_text")
        if text is not None and len(str(text)) > 40_000:
            raise SlackError("msg_too_long")
        if channel.is_archived:
            raise SlackError("is_archived")
        message = next((m for m in channel.messages if m.ts == args.get("ts")), None)
        if message is None:
            raise SlackError("message_not_found")
        if message.user != caller:
            raise SlackError("cant_update_message")
        if self.edit_window_closed:
            raise SlackError("edit_window_closed")
        if text is not None:
            message.text = str(text)
        if blocks is not None:
            message.blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
        message.edited = {"user": caller, "ts": f"1700000000.{next(self._ts):06d}"}
        return {
            "channel": channel.id,
            "ts": message.ts,
            "text": message.text,
            "message": {"type": "message", "text": message.text, "user": message.user},
        }

    def pins_add(self, caller: str, args: dict[str, Any]) -> dict[str, Any]:
        channel = self.channel(args.get("channel"))
        ts = args.get("timestamp")
        if not ts:
            raise SlackError("no_item_specified")
        if caller not in channel.members:
            raise SlackError("not_in_channel")
        if not any(m.ts == ts for m in channel.messages):
            raise SlackError("message_not_found")
        if ts in channel.pins:
            raise SlackError("already_pinned")
        channel.pins.append(str(ts))
        return {}

    def bookmarks_add(self, caller: str, args: dict[str, Any]) -> dict[str, Any]:
        channel = self.channel(args.get("channel_id"))
        if args.get("type") != "link":
            raise SlackError("invalid_bookmark_type")
        link = str(args.get("link") or "")
        if not link.startswith(("http://", "https://")):
            raise SlackError("invalid_link")
        bookmark = {"id": f"Bk{next(self._ids):07d}", "title": str(args.get("title")), "link": link}
        channel.bookmarks.append(bookmark)
        return {"bookmark": bookmark | {"channel_id": channel.id, "type": "link"}}

    def users_lookupByEmail(self, caller: str, args: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        user = self.users.get(str(args.get("email", "")).lower())
        if user is None:
            raise SlackError("users_not_found")
        return {"user": {"id": user["id"], "name": user["name"], "profile": user}}

    def users_info(self, caller: str, args: dict[str, Any]) -> dict[str, Any]:
        found = next((u for u in self.users.values() if u["id"] == args.get("user")), None)
        if found is None:
            raise SlackError("user_not_found")
        return {"user": {"id": found["id"], "name": found["name"], "profile": dict(found)}}

    def views_open(self, caller: str, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("trigger_id"):
            raise SlackError("invalid_trigger_id")
        view = args.get("view")
        view = json.loads(view) if isinstance(view, str) else view
        if not isinstance(view, dict) or view.get("type") != "modal":
            raise SlackError("invalid_arguments")
        self.views.append({"trigger_id": args["trigger_id"], "view": view})
        return {"view": {"id": f"V{next(self._ids):07d}", **view}}


class SlackServer:
    """Start with `SlackServer().start()`; `url` is the `base_url` for slack-sdk's WebClient."""

    def __init__(self) -> None:
        self.workspace = Workspace()
        self.calls: list[str] = []
        self.answer_500 = False
        self.answer_after: dict[str, float] = {}
        """Seconds a method waits *after* doing its work before answering: a slow network."""
        self.delay = 0.0  # seconds each call takes: a slow peer, for shutdown tests
        self._rate_limits: dict[str, deque[float]] = {}
        self._failures: dict[str, deque[str]] = {}
        self._server: ThreadingHTTPServer | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def start(self) -> SlackServer:
        server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        server.daemon_threads = True
        self.port = server.server_address[1]
        self._server = server
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Close the socket: connections are refused until `start()` binds the port again."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def rate_limit(self, method: str, retry_after: float = 3, times: int = 1) -> None:
        self._rate_limits.setdefault(method, deque()).extend([retry_after] * times)

    def fail_next(self, method: str, error: str) -> None:
        self._failures.setdefault(method, deque()).append(error)

    def count(self, method: str) -> int:
        return Counter(self.calls)[method]

    # ------------------------------------------------------------------ HTTP
    def _handler(self) -> type[BaseHTTPRequestHandler]:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def do_POST(self) -> None:  # noqa: N802
                outer._serve(self)

            do_GET = do_POST  # noqa: N815

        return Handler

    def _serve(self, request: BaseHTTPRequestHandler) -> None:
        url = urlparse(request.path)
        method = url.path.removeprefix("/api/")
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length).decode("utf-8") if length else ""
        self.calls.append(method)
        if self.delay:
            time.sleep(self.delay)
        if self.answer_500:
            self._send(request, 500, "<html>Internal Server Error</html>", "text/html")
            return
        pause = self._rate_limits.get(method)
        if pause:
            header = {"Retry-After": str(int(pause.popleft()))}
            self._send(request, 429, json.dumps({"ok": False, "error": "ratelimited"}), **header)
            return
        args = _arguments(request.headers.get("Content-Type", ""), body, url.query)
        try:
            caller = _caller(request.headers.get("Authorization"), args)
            failures = self._failures.get(method)
            if failures:
                raise SlackError(failures.popleft())
            handler = getattr(self.workspace, method.replace(".", "_"), None)
            if handler is None:
                raise SlackError("unknown_method")
            with self.workspace.lock:
                answer = {"ok": True, **handler(caller, args)}
        except SlackError as exc:
            answer = {"ok": False, "error": exc.error}
        time.sleep(self.answer_after.get(method, 0.0))
        self._send(request, 200, json.dumps(answer))

    @staticmethod
    def _send(
        request: BaseHTTPRequestHandler,
        status: int,
        text: str,
        content_type: str = "application/json; charset=utf-8",
        **headers: str,
    ) -> None:
        data = text.encode("utf-8")
        request.send_response(status)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            request.send_header(name.replace("_", "-"), value)
        request.end_headers()
        request.wfile.write(data)


def _arguments(content_type: str, body: str, query: str) -> dict[str, Any]:
    args: dict[str, Any] = {k: v[-1] for k, v in parse_qs(query).items()}
    if content_type.startswith("application/json"):
        args.update(json.loads(body or "{}"))
    elif body:
        args.update({k: v[-1] for k, v in parse_qs(body, keep_blank_values=True).items()})
    return args


def _caller(header: str | None, args: dict[str, Any]) -> str:
    token = None
    if header and header.lower().startswith("bearer "):
        token = header[7:].strip()
    token = token or args.get("token")
    if not token:
        raise SlackError("not_authed")
    if token == BOT_TOKEN:
        return BOT_USER
    if token == USER_TOKEN:
        return ADMIN_USER
    raise SlackError("invalid_auth")
