/// The dashboard page: self-contained (no script or style fetched from elsewhere); it follows the node
/// through `/events` and redraws on every snapshot.
enum DashboardPage {
    static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>IonLink node</title>
<style>
  body { font: 15px/1.4 system-ui, sans-serif; margin: 1.5em 2em; color: #1d2330; }
  h1 { font-size: 1.3em; margin: 0 0 .2em; }
  .sub { color: #667; margin-bottom: 1em; }
  .tiles { display: flex; flex-wrap: wrap; gap: 1em; margin-bottom: 1.2em; }
  .tile { border: 1px solid #d6dae3; border-radius: 6px; padding: .6em 1em; min-width: 11em; }
  .tile .v { font-size: 1.6em; font-variant-numeric: tabular-nums; }
  .tile .m { color: #667; font-size: .85em; }
  table { border-collapse: collapse; }
  td, th { padding: .25em .8em; border-bottom: 1px solid #eceef3; text-align: left; }
  tr.bad td { color: #b3261e; font-weight: 600; }
  #phase.running { color: #1a7f37; } #phase.finished { color: #555; } #phase.stale { color: #b3261e; }
  svg { border: 1px solid #d6dae3; border-radius: 6px; }
</style>
</head>
<body data-updates="0">
<h1>IonLink node <span id="node">…</span></h1>
<div class="sub">run <span id="run">–</span>: <span id="phase">connecting</span>, lab time <span id="labtime">–</span> s,
  <span id="attempts">–</span> attempts, <span id="faults">–</span> faults recovered <span id="failure"></span></div>
<div class="tiles">
  <div class="tile"><div class="m">heralds</div><div class="v" id="heralds">–</div></div>
  <div class="tile"><div class="m">herald rate (lab time)</div><div class="v" id="rate">–</div>
    <div class="m">now <span id="recent">–</span> /s</div></div>
  <div class="tile"><div class="m">P(success) per attempt</div><div class="v" id="p">–</div>
    <div class="m">model <span id="pmodel">–</span></div></div>
  <div class="tile"><div class="m">fidelity (ZZ, XX, YY)</div><div class="v" id="fidelity">–</div>
    <div class="m">model through readout <span id="fmodel">–</span></div></div>
</div>
<svg id="spark" width="520" height="90" viewBox="0 0 520 90" aria-label="herald rate">
<path id="sparkpath" fill="none" stroke="#2f6fdb" stroke-width="1.5" d=""/></svg>
<h2 style="font-size:1.05em">Devices</h2>
<table><thead><tr><th>role</th><th>device</th><th>state</th></tr></thead><tbody id="devices"></tbody></table>
<script>
"use strict";
const token = new URLSearchParams(location.search).get("token") || "";
const $ = (id) => document.getElementById(id);
const fmt = (x, d) => (x === null || x === undefined) ? "–" : Number(x).toFixed(d);
const sci = (x) => (x === null || x === undefined) ? "–" : Number(x).toExponential(3);
const history = [];
let updates = 0;
function render(s) {
  updates += 1;
  document.body.dataset.updates = String(updates);
  document.body.dataset.heralds = String(s.heralds);
  $("node").textContent = s.node;
  $("run").textContent = s.run;
  $("phase").textContent = s.phase;
  $("phase").className = s.phase;
  $("labtime").textContent = fmt(s.lab_time_s, 2);
  $("attempts").textContent = s.attempts;
  $("faults").textContent = s.faults;
  $("failure").textContent = s.failure ? "— stopped: " + s.failure : "";
  $("heralds").textContent = s.heralds;
  $("rate").textContent = fmt(s.herald_rate_hz, 1) + " /s";
  $("recent").textContent = fmt(s.recent_herald_rate_hz, 1);
  $("p").textContent = sci(s.success_probability);
  $("pmodel").textContent = sci(s.model_success_probability);
  $("fidelity").textContent = s.fidelity === undefined || s.fidelity === null ? "–" : fmt(s.fidelity, 3) + " ± " + fmt(s.fidelity_ci95, 3);
  $("fmodel").textContent = fmt(s.model_fidelity, 4);
  if (s.recent_herald_rate_hz !== undefined && s.recent_herald_rate_hz !== null) {
    history.push(s.recent_herald_rate_hz);
    if (history.length > 120) history.shift();
    const top = Math.max(1, ...history);
    $("sparkpath").setAttribute("d",
      history.map((v, i) => (i ? "L" : "M") + (5 + i * 4.25).toFixed(1) + "," + (85 - 80 * v / top).toFixed(1)).join(" "));
  }
  const rows = s.devices.map((d) => {
    const tr = document.createElement("tr");
    tr.className = d.ok ? "ok" : "bad";
    for (const text of [d.role, d.name, d.ok ? (d.detail || "ok") : d.detail]) {
      const td = document.createElement("td");
      td.textContent = text;
      tr.appendChild(td);
    }
    return tr;
  });
  $("devices").replaceChildren(...rows);
}
const events = new EventSource("/events?token=" + encodeURIComponent(token));
events.onmessage = (m) => render(JSON.parse(m.data));
events.onerror = () => { $("phase").textContent = "connection lost; retrying"; $("phase").className = "stale"; };
</script>
</body>
</html>
"""#
}
