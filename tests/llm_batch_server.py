"""crabplug/testing/llm_server.py plus OpenAI's batch endpoints: ``/v1/files`` (upload, content) and ``/v1/batches``.

    with BatchServer(reply=lambda body: "YES") as server:
        ...                      # llm: {model: openai/test-model, api_base: server.url, batch: true}
        server.release()         # batches stay in_progress until released (or auto_release=True)
        server.uploads, server.batch_creates, server.batch_polls, server.requests   # what was asked

A released batch is answered line by line with the same ``reply`` as live calls; ``fail_batches=True`` makes
every batch end ``failed`` (the door then falls back to live calls). State lives in memory, so a client killed
between submit and completion finds its batch on the same server when it comes back.
"""

from __future__ import annotations

import email
import json
import threading
import time
from email.policy import HTTP
from typing import Any

from crabplug.testing.llm_server import LLMServer


class BatchServer(LLMServer):
    """An OpenAI-compatible server that also runs chat-completion batches."""

    def __init__(self, *args: Any, auto_release: bool = False, fail_batches: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.auto_release = auto_release
        self.fail_batches = fail_batches
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, dict] = {}
        self.uploads = 0
        self.batch_creates = 0
        self.batch_polls = 0
        self.batch_lines = 0
        self._released = threading.Event()
        if auto_release:
            self._released.set()

    def release(self) -> None:
        """Let every batch (submitted or to come) complete on its next poll."""
        self._released.set()

    def _file(self, content: bytes, purpose: str, name: str) -> dict:
        fid = f"file-{len(self.files) + 1}"
        self.files[fid] = content
        return {"id": fid, "object": "file", "bytes": len(content), "created_at": int(time.time()),
                "filename": name, "purpose": purpose, "status": "processed"}

    def _run(self, batch: dict) -> None:
        """Answer every line of the batch's input file into an output file (on the first poll after release)."""
        lines = []
        for line in self.files[batch["input_file_id"]].decode().splitlines():
            request = json.loads(line)
            with self._lock:
                self.batch_lines += 1
            status, payload, _ = self._answer(request["body"])
            lines.append(json.dumps({"id": f"batch_req_{len(lines)}", "custom_id": request["custom_id"],
                                     "response": {"status_code": status, "request_id": f"r{len(lines)}",
                                                  "body": payload}, "error": None}))
        out = self._file(("\n".join(lines) + "\n").encode(), "batch_output", "output.jsonl")
        batch.update(status="completed", output_file_id=out["id"], completed_at=int(time.time()),
                     request_counts={"total": len(lines), "completed": len(lines), "failed": 0})

    def _handler(self):
        server = self
        base = super()._handler()

        class Handler(base):
            def do_POST(self) -> None:
                path = self.path.split("?")[0].rstrip("/")
                if path.endswith("/files"):
                    length = int(self.headers.get("Content-Length") or 0)
                    raw = self.rfile.read(length)
                    head = f"Content-Type: {self.headers.get('Content-Type')}\r\n\r\n".encode()
                    parts = {p.get_param("name", header="content-disposition"): p
                             for p in email.message_from_bytes(head + raw, policy=HTTP).iter_parts()}
                    content = parts["file"].get_payload(decode=True)
                    purpose = parts["purpose"].get_payload(decode=True).decode()
                    with server._lock:
                        server.uploads += 1
                        obj = server._file(content, purpose, parts["file"].get_filename() or "input.jsonl")
                    self._send(200, obj)
                elif path.endswith("/batches"):
                    length = int(self.headers.get("Content-Length") or 0)
                    body = json.loads(self.rfile.read(length) or b"{}")
                    with server._lock:
                        server.batch_creates += 1
                        bid = f"batch_{len(server.batches) + 1}"
                        server.batches[bid] = {
                            "id": bid, "object": "batch", "endpoint": body["endpoint"], "errors": None,
                            "input_file_id": body["input_file_id"], "completion_window": body["completion_window"],
                            "status": "in_progress", "created_at": int(time.time()), "output_file_id": None,
                            "request_counts": {"total": 0, "completed": 0, "failed": 0},
                        }
                        self._send(200, dict(server.batches[bid]))
                else:
                    super().do_POST()

            def do_GET(self) -> None:
                path = self.path.split("?")[0].rstrip("/")
                parts = path.split("/")
                if "batches" in parts and parts[-1].startswith("batch_"):
                    with server._lock:
                        server.batch_polls += 1
                        batch = server.batches.get(parts[-1])
                    if batch is None:
                        self._send(404, {"error": {"message": "no such batch"}})
                        return
                    if batch["status"] == "in_progress" and server._released.is_set():
                        if server.fail_batches:
                            batch.update(status="failed", errors={"object": "list", "data": [
                                {"code": "server_error", "message": "the batch failed"}]})
                        else:
                            server._run(batch)
                    self._send(200, dict(batch))
                elif path.endswith("/content") and "files" in parts:
                    content = server.files.get(parts[-2])
                    if content is None:
                        self._send(404, {"error": {"message": "no such file"}})
                    else:
                        self._send(200, content)
                else:
                    super().do_GET()

        return Handler
