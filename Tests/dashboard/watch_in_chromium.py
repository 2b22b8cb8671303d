#!/usr/bin/env python3
"""Opens a node's dashboard in headless Chromium and reads the live page twice over the DevTools
protocol (websocket-client): what the browser shows, not what the server sent. Prints one JSON object.

    watch_in_chromium.py URL SECONDS_BETWEEN_READS
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import websocket

url, gap = sys.argv[1], float(sys.argv[2])
# Without the token the page is refused.
try:
    urllib.request.urlopen(url.split("?")[0])
    no_token_status = 200
except urllib.error.HTTPError as e:
    no_token_status = e.code
profile = tempfile.mkdtemp(prefix="ionlink-chromium-")
chrome = subprocess.Popen(
    ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--remote-debugging-port=0",
     f"--user-data-dir={profile}", "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
try:
    # Chromium prints "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/..." once it is up.
    port = None
    deadline = time.time() + 30
    while port is None and time.time() < deadline:
        line = chrome.stderr.readline()
        if "DevTools listening on" in line:
            port = int(line.split("ws://127.0.0.1:")[1].split("/")[0])
    if port is None:
        raise SystemExit("chromium did not start its DevTools endpoint")
    target = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list"))[0]
    ws = websocket.create_connection(target["webSocketDebuggerUrl"], timeout=20)
    next_id = [0]

    def call(method, **params):
        next_id[0] += 1
        ws.send(json.dumps({"id": next_id[0], "method": method, "params": params}))
        while True:
            reply = json.loads(ws.recv())
            if reply.get("id") == next_id[0]:
                return reply.get("result", {})

    def page():
        script = """JSON.stringify({
            updates: Number(document.body.dataset.updates), heralds: document.getElementById('heralds').textContent,
            phase: document.getElementById('phase').textContent, rate: document.getElementById('rate').textContent,
            fidelity: document.getElementById('fidelity').textContent, fmodel: document.getElementById('fmodel').textContent,
            p: document.getElementById('p').textContent,
            devices: Array.from(document.querySelectorAll('#devices tr')).map(r => [r.className, r.cells[0].textContent]),
            spark: document.getElementById('sparkpath').getAttribute('d').length,
            title: document.title })"""
        r = call("Runtime.evaluate", expression=script, returnByValue=True)
        return json.loads(r["result"]["value"])

    call("Page.enable")
    call("Page.navigate", url=url)
    time.sleep(1.5)
    first = page()
    time.sleep(gap)
    second = page()
    ws.close()
    print(json.dumps({"first": first, "second": second, "no_token_status": no_token_status}))
finally:
    chrome.kill()
    chrome.wait()
    shutil.rmtree(profile, ignore_errors=True)
