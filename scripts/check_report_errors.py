"""Loads an HTML page in headless Chromium and reports what a person would see in the DevTools
console: uncaught script errors, console.error / console.assert calls, failed loads, and any
request that leaves the machine (report.html must be self-contained). Standard library only: it
speaks the DevTools protocol over --remote-debugging-pipe (file descriptors 3 and 4).
Usage: check_report_errors.py CHROMIUM FILE.html   Exit 1 when the page had any such problem."""

import fcntl
import json
import os
import select
import subprocess
import sys
import tempfile
import time

LOCAL = ("file:", "data:", "blob:", "about:")


class Browser:
    def __init__(self, chromium, profile):
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()
        # Chromium reads commands on fd 3 and writes replies and events on fd 4.
        def child_fds():
            r = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD, 10)
            w = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD, 10)
            os.dup2(r, 3)
            os.dup2(w, 4)
        self.proc = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND",
             "--user-data-dir=" + profile, "--remote-debugging-pipe",
             "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(3, 4), preexec_fn=child_fds)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buf = b""
        self.next_id = 0
        self.events = []

    def send(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.to_chrome, json.dumps(msg).encode() + b"\0")
        return self.next_id

    def read(self, deadline):
        """Next message, or None when the deadline passed."""
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.from_chrome], [], [], left)
            if ready:
                chunk = os.read(self.from_chrome, 1 << 20)
                if not chunk:
                    raise RuntimeError("Chromium closed the DevTools pipe (crashed?)")
                self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=None, timeout=30):
        want = self.send(method, params, session)
        deadline = time.monotonic() + timeout
        while True:
            msg = self.read(deadline)
            if msg is None:
                raise RuntimeError("no answer to %s within %ds" % (method, timeout))
            if msg.get("id") == want:
                if "error" in msg:
                    raise RuntimeError("%s: %s" % (method, msg["error"]))
                return msg.get("result", {})
            if "method" in msg:
                self.events.append(msg)

    def wait_event(self, name, timeout):
        deadline = time.monotonic() + timeout
        for i, ev in enumerate(self.events):
            if ev["method"] == name:
                return True
        while True:
            msg = self.read(deadline)
            if msg is None:
                return False
            if "method" in msg:
                self.events.append(msg)
                if msg["method"] == name:
                    return True

    def drain(self, seconds):
        deadline = time.monotonic() + seconds
        while True:
            msg = self.read(deadline)
            if msg is None:
                return
            if "method" in msg:
                self.events.append(msg)

    def close(self):
        try:
            self.send("Browser.close")
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
            self.proc.wait()


def describe(ev, urls):
    m, p = ev["method"], ev.get("params", {})
    if m == "Runtime.exceptionThrown":
        d = p.get("exceptionDetails", {})
        text = (d.get("exception") or {}).get("description") or d.get("text", "")
        return "uncaught script error at line %s: %s" % (d.get("lineNumber", 0) + 1,
                                                          text.splitlines()[0] if text else "?")
    if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
        args = " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", []))
        return "console.%s: %s" % (p["type"], args)
    if (m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error"
            and p["entry"].get("source") != "network"):  # network: see loadingFailed
        e = p["entry"]
        return "%s error: %s %s" % (e.get("source", ""), e.get("text", ""), e.get("url", ""))
    if m == "Network.requestWillBeSent":
        url = p.get("request", {}).get("url", "")
        urls[p.get("requestId")] = url
        if not url.startswith(LOCAL):
            return "network request (the page must be self-contained): " + url[:200]
    if m == "Network.loadingFailed" and not p.get("canceled"):
        return "failed to load %s: %s" % (urls.get(p.get("requestId"), "a resource")[:200],
                                          p.get("errorText", ""))
    return None


def main():
    chromium, page = sys.argv[1], os.path.abspath(sys.argv[2])
    with tempfile.TemporaryDirectory(prefix="newsclean-chromium-") as profile:
        b = Browser(chromium, profile)
        try:
            target = b.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = b.call("Target.attachToTarget",
                             {"targetId": target, "flatten": True})["sessionId"]
            for domain in ("Runtime", "Log", "Network", "Page"):
                b.call(domain + ".enable", session=session)
            b.events.clear()
            b.call("Page.navigate", {"url": "file://" + page}, session=session)
            if not b.wait_event("Page.loadEventFired", 30):
                problems = ["the page did not finish loading within 30 s"]
            else:
                problems = []
            b.drain(1.0)  # late errors: timers, requestAnimationFrame
            title = b.call("Runtime.evaluate",
                           {"expression": "document.title + ' | ' + "
                                          "document.body.innerText.length"},
                           session=session)["result"].get("value", "")
        finally:
            b.close()
    urls = {}
    for ev in b.events:
        if ev.get("sessionId") not in (None, session):
            continue
        d = describe(ev, urls)
        if d:
            problems.append(d)
    print("check-report: page loaded: title | text length = %s" % title)
    for p in problems:
        print("check-report: PROBLEM: " + p, file=sys.stderr)
    if problems:
        sys.exit("check-report: FAILED: %d problem(s) in the browser console of %s"
                 % (len(problems), page))
    print("check-report: no script errors, no console errors, no failed loads, no network")


if __name__ == "__main__":
    try:
        main()
    except (RuntimeError, OSError) as e:
        sys.exit("check-report: FAILED: could not drive Chromium over the DevTools pipe: %s" % e)
