"""Headless Chromium driven over the DevTools protocol (aiohttp's websocket client): just what page tests need.

Debian's ``chromium`` package; :func:`find` returns None where it is not installed, so tests can skip.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--remote-debugging-port=0", "--window-size=1280,900"]


def find() -> str | None:
    """The chromium executable, or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Chromium:
    """One headless browser with a fresh profile, and its first tab: ``async with Chromium(exe, tmp) as tab``."""

    def __init__(self, exe: str, tmp: Path):
        self.exe, self.profile = exe, tmp / "chromium-profile"
        self.ids = itertools.count(1)
        self.waiting: dict[int, asyncio.Future] = {}
        self.loads = 0

    async def __aenter__(self) -> Chromium:
        import aiohttp

        self.proc = subprocess.Popen([self.exe, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not port_file.is_file() or not port_file.read_text().strip():
            assert self.proc.poll() is None and time.monotonic() < deadline, "chromium did not start"
            await asyncio.sleep(0.1)
        port = port_file.read_text().split()[0]
        self.http = aiohttp.ClientSession()
        async with self.http.get(f"http://127.0.0.1:{port}/json/list") as r:
            target = next(t for t in await r.json() if t["type"] == "page")
        self.ws = await self.http.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0)
        self.reader = asyncio.create_task(self._read())
        await self.send("Page.enable")
        return self

    async def __aexit__(self, *exc) -> None:
        self.reader.cancel()
        await self.ws.close()
        await self.http.close()
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    async def _read(self) -> None:
        async for msg in self.ws:
            data = json.loads(msg.data)
            if "id" in data and data["id"] in self.waiting:
                self.waiting.pop(data["id"]).set_result(data)
            elif data.get("method") == "Page.loadEventFired":
                self.loads += 1

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        """One protocol command; its result (an AssertionError on a protocol error)."""
        i = next(self.ids)
        self.waiting[i] = asyncio.get_running_loop().create_future()
        await self.ws.send_str(json.dumps({"id": i, "method": method, "params": params}))
        reply = await asyncio.wait_for(self.waiting[i], 60)
        assert "error" not in reply, reply
        return reply["result"]

    async def _loaded_after(self, before: int) -> None:
        deadline = time.monotonic() + 60
        while self.loads <= before:
            assert time.monotonic() < deadline, "the page did not load"
            await asyncio.sleep(0.05)

    async def goto(self, url: str) -> None:
        """Open ``url`` and wait for its load event."""
        before = self.loads
        await self.send("Page.navigate", url=url)
        await self._loaded_after(before)

    async def js(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page."""
        result = await self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        assert "exceptionDetails" not in result, result
        return result["result"].get("value")

    async def click(self, selector: str) -> None:
        """Click the element a user would, and wait for the page it leads to (a link or a form's submit)."""
        before = self.loads
        assert await self.js(f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
                             " if (!e) return false; e.click(); return true; })()"), f"no element {selector}"
        await self._loaded_after(before)

    async def screenshot(self, path: Path) -> Path:
        """A PNG of the viewport."""
        data = await self.send("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(data["data"]))
        return path
