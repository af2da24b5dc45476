'use strict';
// The demo page: sends /hello-world requests on an open-loop schedule (rate = demand / CPU per
// request, whatever the answers), and draws what came back over the last 5 minutes at 1 s.
// No library, no inline code (the page is served under a strict Content-Security-Policy).
// Every pod figure that arrives (the `pod` of an answer or of /status) is passed on as a
// 'pod-view' event on document, which hpa.js draws.
(() => {
  const WINDOW_S = 300;        // charts: the last 5 minutes
  const SHARE_S = 10;          // pods' shares and the achieved demand: the last 10 s
  const STATUS_MS = 2000;      // the only request the page makes while idle
  const TICK_MS = 10;          // scheduler resolution while running
  const MAX_RATE = 500;        // requests/s a browser tab can keep up with
  const MAX_HOSTS = 200;       // hosts remembered at once (the map never grows without bound)
  const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

  const $ = (id) => document.getElementById(id);
  const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

  const state = {
    running: false, demand: 0, requestMs: 100, maxInFlight: 32,
    nextAt: 0, startedAt: -Infinity, timer: 0, inFlight: new Set(), sent: 0, dropped: 0,
    hosts: new Map(), colorsUsed: 0, rows: new Map(),
  };

  // One bucket per second in a ring: what was targeted, burnt and answered in that second.
  const buckets = new Array(WINDOW_S).fill(null);
  const secondOf = (t) => Math.floor(t / 1000);
  function bucket(sec = secondOf(performance.now())) {
    const i = sec % WINDOW_S;
    if (!buckets[i] || buckets[i].sec !== sec) {
      buckets[i] = { sec, target: 0, cpu: 0, lat: [], ok: 0, busy: 0, err: 0, dropped: 0, sent: 0, hosts: new Map() };
    }
    return buckets[i];
  }
  const at = (sec) => { const b = sec >= 0 ? buckets[sec % WINDOW_S] : null; return b && b.sec === sec ? b : null; };

  // ---- inputs ----
  function readInputs() {
    const demand = Number($('demand').value), requestMs = Number($('request-ms').value);
    const maxInFlight = Number($('max-in-flight').value), key = $('api-key').value;
    let error = '';
    if (!Number.isInteger(demand) || demand < 0 || demand > 64000) error = 'Demand must be a whole number of millicores from 0 to 64000.';
    else if (!Number.isInteger(requestMs) || requestMs < 1 || requestMs > 60000) error = 'CPU per request must be a whole number of ms from 1 to 60000.';
    else if (!Number.isInteger(maxInFlight) || maxInFlight < 1 || maxInFlight > 256) error = 'Max in flight must be from 1 to 256.';
    else if (!/^[\x21-\x7e]{0,1024}$/.test(key)) error = 'The API key can only hold printable ASCII characters without spaces.';
    else if (demand / requestMs > MAX_RATE) error = `That is ${Math.round(demand / requestMs)} requests/s; the page sends at most ${MAX_RATE}/s. Raise the CPU per request.`;
    $('input-error').textContent = error;
    $('input-error').hidden = !error;
    if (error) return false;
    Object.assign(state, { demand, requestMs, maxInFlight });
    return true;
  }

  function onInput(source) {
    if (source === 'demand-range') $('demand').value = $('demand-range').value;
    if (source === 'demand') $('demand-range').value = $('demand').value;
    if (readInputs() && state.running) {
      state.nextAt = Math.min(state.nextAt, performance.now() + interval());
    }
  }

  // ---- the open-loop schedule ----
  const interval = () => (state.demand > 0 ? 1000 * state.requestMs / state.demand : Infinity);

  function tick() {
    const now = performance.now();
    const iv = interval();
    bucket().target = state.demand;
    if (iv === Infinity) { state.nextAt = now; return; }
    // Timers of a hidden tab fire once a second at best: requests more than 2 s late count as dropped, not a burst.
    if (now - state.nextAt > 2000) {
      const late = Math.floor((now - state.nextAt) / iv);
      state.dropped += late; bucket().dropped += late; state.nextAt += late * iv;
    }
    for (let n = 0; state.nextAt <= now && n < MAX_RATE; n++) {
      if (state.inFlight.size >= state.maxInFlight) { state.dropped++; bucket().dropped++; }
      else send(state.nextAt);
      state.nextAt += iv;
    }
  }

  function send(scheduledAt) {
    const requestMs = state.requestMs;
    const headers = {};
    if ($('api-key').value) headers['X-Api-Key'] = $('api-key').value;
    const abort = new AbortController();
    state.inFlight.add(abort); state.sent++; bucket().sent++;
    fetch(`/hello-world?cpuMs=${requestMs}`, { headers, cache: 'no-store', signal: abort.signal })
      .then((r) => r.json().catch(() => null).then((body) => { if (!abort.signal.aborted) answered(r.status, body, scheduledAt, requestMs); }))
      .catch(() => { if (!abort.signal.aborted) bucket().err++; })
      .finally(() => state.inFlight.delete(abort));
  }

  function answered(status, body, scheduledAt, requestMs) {
    const now = performance.now();
    const b = bucket();
    if (status === 200 && body && body.ackermann) {
      const a = body.ackermann;
      // Achieved = the CPU time the service reports having burnt (the target where it cannot measure it).
      b.ok++; b.cpu += typeof a.cpuMs === 'number' ? a.cpuMs : requestMs; b.lat.push(now - scheduledAt);
      seen(String(body.host ?? '?').slice(0, 64), b, now);
      podView(body.host, body.pod);
      $('key-hint').hidden = true;
    } else if (status === 503) {
      b.busy++;
    } else {
      b.err++;
      if (status === 401) $('key-hint').hidden = false;
    }
  }

  function seen(host, b, now) {
    let h = state.hosts.get(host);
    if (!h) {
      if (state.hosts.size >= MAX_HOSTS) state.hosts.delete(state.hosts.keys().next().value);
      const i = state.colorsUsed++;
      h = { color: i < PALETTE.length ? PALETTE[i] : `hsl(${Math.round(i * 137.508) % 360} 55% 45%)`, lastSeen: now };
      state.hosts.set(host, h);
    }
    h.lastSeen = now;
    b.hosts.set(host, (b.hosts.get(host) || 0) + 1);
  }

  function podView(host, pod) {
    if (pod && typeof pod === 'object') document.dispatchEvent(new CustomEvent('pod-view', { detail: { host: String(host ?? '?').slice(0, 64), pod } }));
  }

  function start() {
    if (state.running || !readInputs()) return;
    const now = performance.now();
    Object.assign(state, { running: true, startedAt: now, nextAt: now });
    state.timer = setInterval(tick, TICK_MS);
    tick();
    $('start').disabled = true; $('stop').disabled = false;
  }

  function stop() {
    if (!state.running) return;
    clearInterval(state.timer);
    state.running = false;
    for (const abort of state.inFlight) abort.abort();   // the service cancels their burns
    state.inFlight.clear();
    $('start').disabled = false; $('stop').disabled = true;
  }

  // ---- status: the only request while idle ----
  async function pollStatus() {
    try {
      const r = await fetch('/status', { cache: 'no-store', signal: AbortSignal.timeout(10000) });
      if (!r.ok) throw new Error(`status ${r.status}`);
      const s = await r.json();
      $('host').textContent = String(s.host).slice(0, 64);
      $('version').textContent = String(s.version).replace(/\+(\w{7})\w*$/, '+$1').slice(0, 40);
      $('processors').textContent = s.processorCount;
      $('workers').textContent = `${s.workers.busy} / ${s.workers.max}`;
      if (s.apiKeyRequired) $('api-key').placeholder = 'required here';
      $('runtime').textContent = String(s.runtime).slice(0, 20);
      podView(s.host, s.pod);
      $('status-error').hidden = true;
    } catch {
      $('status-error').hidden = false;
    }
    setTimeout(pollStatus, STATUS_MS);
  }

  // ---- figures, pods and charts ----
  function render() {
    const now = performance.now(), sec = secondOf(now);
    const from = Math.max((sec - SHARE_S + 1) * 1000, state.startedAt), span = now - from;
    let cpu = 0, sent = 0, total = 0;
    const counts = new Map();
    for (let s = sec - SHARE_S + 1; s <= sec; s++) {
      const b = at(s);
      if (!b) continue;
      cpu += b.cpu; sent += b.sent;
      for (const [host, n] of b.hosts) { counts.set(host, (counts.get(host) || 0) + n); total += n; }
    }
    const achieved = span >= 500 ? Math.round(cpu * 1000 / span) : 0;
    const target = state.running ? state.demand : 0;
    figure('target', target); figure('achieved', achieved);
    $('rate').textContent = span >= 500 ? (sent * 1000 / span).toFixed(1) : '0';
    $('in-flight').textContent = state.inFlight.size;
    $('sent').textContent = state.sent;
    $('dropped').textContent = state.dropped;
    renderPods(counts, total, now);
    renderCharts(sec - 1);
  }

  function figure(id, value) { $(id).textContent = value; $(id).dataset.value = value; }

  function renderPods(counts, total, now) {
    for (const [host, h] of state.hosts) {
      if (now - h.lastSeen > WINDOW_S * 1000) state.hosts.delete(host);
    }
    for (const [host, row] of state.rows) {
      if (!state.hosts.has(host)) { row.tr.remove(); state.rows.delete(host); }
    }
    const tbody = $('pods').tBodies[0];
    for (const [host, h] of state.hosts) {
      let row = state.rows.get(host);
      if (!row) {
        const tr = document.createElement('tr');
        const cells = ['swatch', 'host', 'bar-cell', 'share', 'seen'].map((c) => { const td = document.createElement('td'); td.className = c; tr.appendChild(td); return td; });
        const swatch = document.createElement('span'), bar = document.createElement('span');
        swatch.className = 'swatch'; bar.className = 'bar';
        swatch.style.backgroundColor = h.color; bar.style.backgroundColor = h.color;
        cells[0].appendChild(swatch); cells[2].appendChild(bar);
        cells[1].textContent = host; cells[1].title = host;
        tr.dataset.host = host;
        tbody.appendChild(tr);
        row = { tr, bar, share: cells[3], seen: cells[4] };
        state.rows.set(host, row);
      }
      const n = counts.get(host) || 0, share = total ? n / total : 0, ago = (now - h.lastSeen) / 1000;
      row.tr.dataset.share = share.toFixed(3);
      row.tr.dataset.count = n;
      row.tr.classList.toggle('gone', n === 0);
      row.bar.style.width = `${(share * 100).toFixed(1)}%`;
      row.share.textContent = `${Math.round(share * 100)}%`;
      row.seen.textContent = ago < 1.5 ? 'now' : ago < 90 ? `${Math.round(ago)} s ago` : `${Math.round(ago / 60)} min ago`;
    }
    $('pod-count').textContent = counts.size;
    $('no-pods').hidden = state.hosts.size > 0;
  }

  function renderCharts(last) {
    const { draw: chart, quantile } = window.DemoChart;
    const secs = Array.from({ length: WINDOW_S }, (_, i) => last - WINDOW_S + 1 + i);
    const b = secs.map(at);
    const val = (f) => b.map((x) => (x ? f(x) : 0));
    const pct = (q) => b.map((x) => (x && x.lat.length ? quantile(x.lat, q) : null));
    chart('chart-demand', [
      { values: val((x) => x.cpu), color: css('--achieved') },
      { values: val((x) => x.target), color: css('--target'), dash: true, width: 2 },
    ], {});
    chart('chart-latency', [
      { values: pct(0.5), color: css('--p50') },
      { values: pct(0.99), color: css('--p99') },
    ], {});
    chart('chart-answers', [
      { values: val((x) => x.ok), color: css('--ok') },
      { values: val((x) => x.busy), color: css('--busy') },
      { values: val((x) => x.err), color: css('--err') },
      { values: val((x) => x.dropped), color: css('--drop') },
    ], { stacked: true });
    const distinct = secs.map((s) => {
      const hosts = new Set();
      for (let t = s - SHARE_S + 1; t <= s; t++) { const x = at(t); if (x) for (const h of x.hosts.keys()) hosts.add(h); }
      return hosts.size;
    });
    chart('chart-hosts', [{ values: distinct, color: css('--achieved'), step: true }], { integer: true });
  }

  // ---- wiring ----
  for (const id of ['demand-range', 'demand', 'request-ms', 'max-in-flight', 'api-key']) {
    $(id).addEventListener('input', () => onInput(id));
  }
  $('start').addEventListener('click', start);
  $('stop').addEventListener('click', stop);
  readInputs();
  pollStatus();
  setInterval(render, 500);
  render();
})();
