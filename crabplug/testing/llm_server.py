"""A real OpenAI-compatible HTTP server on 127.0.0.1 for tests: litellm talks to it exactly as to a provider.

    with LLMServer(reply=lambda body: "YES") as server:
        ...  # llm: {model: openai/test-model, api_base: server.url}
        server.requests  # the JSON bodies received, in order

``reply(body)`` returns the assistant's text (str), a whole response body (dict), or
``(status, body, headers)`` for errors such as 429 with Retry-After, or ``bytes`` sent as a 200 body as they
are (a truncated or garbled body). ``script(*replies)`` queues
replies used, in order, before ``reply``.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import deque
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Reply = str | dict | tuple | bytes


def echo(body: dict) -> str:
    """The default model: repeats the last user message."""
    users = [m for m in body.get("messages", []) if m.get("role") == "user"]
    content = users[-1]["content"] if users else ""
    return content if isinstance(content, str) else json.dumps(content)


def completion(body: dict, text: str, finish_reason: str = "stop") -> dict:
    """An OpenAI chat.completion body for ``text``, with usage counted in whitespace tokens."""
    prompt = sum(len(str(m.get("content", "")).split()) for m in body.get("messages", []))
    out = len(text.split())
    return {
        "id": f"chatcmpl-{time.monotonic_ns()}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", "test-model"),
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": finish_reason}],
        "usage": {"prompt_tokens": prompt, "completion_tokens": out, "total_tokens": prompt + out},
    }


class _Server(ThreadingHTTPServer):
    # the default listen backlog (5) resets connections when hundreds of clients connect at once (benchmarks)
    request_queue_size = 1024


class LLMServer:
    """OpenAI-compatible ``POST /v1/chat/completions`` and ``GET /v1/models`` in a background thread."""

    def __init__(self, reply: Callable[[dict], Reply] | None = None, api_key: str | None = None):
        self.reply = reply or echo
        self.api_key = api_key
        self.requests: list[dict] = []
        self.headers: list[dict[str, str]] = []  # lower-cased names
        self.in_flight = 0
        self.max_in_flight = 0
        self._queue: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The base URL to give as ``api_base``."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def script(self, *replies: Reply) -> None:
        """Queue replies answered, in order, before ``reply`` is asked."""
        with self._lock:
            self._queue.extend(replies)

    def __enter__(self) -> LLMServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def _answer(self, body: dict) -> tuple[int, dict | bytes, dict]:
        with self._lock:
            queued = self._queue.popleft() if self._queue else None
        out = queued if queued is not None else self.reply(body)
        if isinstance(out, str):
            return 200, completion(body, out), {}
        if isinstance(out, dict | bytes):
            return 200, out, {}
        status, payload, *rest = out
        return status, payload, (rest[0] if rest else {})

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _send(self, status: int, payload: dict | bytes, headers: dict | None = None) -> None:
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, str(v))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client timed out and went away
                    self.close_connection = True

            def do_GET(self) -> None:
                if self.path.rstrip("/").endswith("/models"):
                    self._send(200, {"object": "list", "data": [{"id": "test-model", "object": "model"}]})
                else:
                    self._send(404, {"error": {"message": "not found"}})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send(404, {"error": {"message": f"no route {self.path}"}})
                    return
                auth = self.headers.get("Authorization", "")
                if server.api_key is not None and auth != f"Bearer {server.api_key}":
                    self._send(
                        401,
                        {
                            "error": {
                                "message": "Incorrect API key provided",
                                "type": "invalid_request_error",
                                "code": "invalid_api_key",
                            }
                        },
                    )
                    return
                with server._lock:
                    server.requests.append(body)
                    server.headers.append({k.lower(): v for k, v in self.headers.items()})
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    status, payload, headers = server._answer(body)
                except Exception as err:  # a broken reply function is a 500, like a real server
                    status, payload, headers = 500, {"error": {"message": f"{type(err).__name__}: {err}"}}, {}
                finally:
                    with server._lock:
                        server.in_flight -= 1
                self._send(status, payload, headers)

        return Handler


async def _serve_asyncio(latency: float) -> None:
    """The same answers from an aiohttp server that waits with ``asyncio.sleep``: no thread per connection, so
    it keeps up with thousands of requests a second and a benchmark measures the client, not the server."""
    import sys

    from aiohttp import web

    async def chat(request: web.Request) -> web.Response:
        body = await request.json()
        await asyncio.sleep(latency)
        return web.json_response(completion(body, "fine"))

    app = web.Application()
    app.router.add_post("/chat/completions", chat)
    app.router.add_post("/v1/chat/completions", chat)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    print(f"http://127.0.0.1:{port}", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)  # until the parent closes stdin
    await runner.cleanup()


def main() -> None:
    """``python -m crabplug.testing.llm_server LATENCY [--asyncio]``: serve in this process (benchmarks keep it off the
    client's GIL); ``--asyncio``: the aiohttp server above instead of the threaded one."""
    import sys

    latency = float(sys.argv[1]) if len(sys.argv) > 1 else 0.0
    if "--asyncio" in sys.argv:
        asyncio.run(_serve_asyncio(latency))
        return

    def slow(body: dict) -> str:
        time.sleep(latency)
        return "fine"

    with LLMServer(reply=slow) as server:
        print(server.url, flush=True)
        sys.stdin.read()  # serve until the parent closes stdin


if __name__ == "__main__":
    main()
