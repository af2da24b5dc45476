'use strict';
// The HPA's view, from the client side: each pod's CPU utilization of its request (the `pod` of
// its answers and of /status, passed on by demo.js as 'pod-view' events) as a bar against the
// target line, and the replica count the HPA's formula would want from those figures.
(() => {
  const STALE_MS = 30000;   // a pod not heard from for this long is left out, as the HPA leaves out pods without metrics
  const TOLERANCE = 0.1;    // the HPA's default: no change while usage / target is within 10% of 1
  const $ = (id) => document.getElementById(id);

  // ?target=80 (1-1000 %): the HPA's averageUtilization; 80 as in k8s/base/hpa.yaml by default.
  const asked = Number(new URLSearchParams(location.search).get('target'));
  const target = Number.isInteger(asked) && asked >= 1 && asked <= 1000 ? asked : 80;
  const pods = new Map();   // host -> { pod, at, row }

  document.addEventListener('pod-view', (e) => {
    const { host, pod } = e.detail;
    let p = pods.get(host);
    if (!p) {
      if (pods.size >= 200) return;
      p = { row: newRow(host) };
      pods.set(host, p);
    }
    Object.assign(p, { pod, at: performance.now() });
  });

  function newRow(host) {
    const tr = document.createElement('tr');
    const [name, cell, value] = ['host', 'bar-cell', 'util'].map((c) => { const td = document.createElement('td'); td.className = c; tr.appendChild(td); return td; });
    const track = document.createElement('span'), bar = document.createElement('span'), line = document.createElement('span');
    track.className = 'track'; bar.className = 'bar util-bar'; line.className = 'target-line';
    track.append(bar, line); cell.appendChild(track);
    name.textContent = host; name.title = host;
    tr.dataset.host = host;
    $('hpa-pods').tBodies[0].appendChild(tr);
    return { tr, bar, line, value };
  }

  // desired = ceil(current x average / target), unless average / target is within the tolerance of 1.
  function desired(current, average) {
    const ratio = average / target;
    return Math.abs(ratio - 1) <= TOLERANCE ? { replicas: current, within: true } : { replicas: Math.ceil(ratio * current - 1e-9), within: false };
  }

  function render() {
    const now = performance.now();
    const live = [...pods].filter(([, p]) => now - p.at <= STALE_MS);
    for (const [host, p] of pods) {
      if (now - p.at > 10 * STALE_MS) { p.row.tr.remove(); pods.delete(host); }
    }
    const utils = live.map(([, p]) => p.pod.cpuUtilizationPercent).filter((u) => typeof u === 'number');
    const scale = Math.max(150, target * 1.5, ...utils);   // the bar's 100% width, in percent of the request
    for (const [, p] of pods) {
      const u = p.pod.cpuUtilizationPercent, stale = now - p.at > STALE_MS, r = p.row;
      r.tr.classList.toggle('gone', stale);
      r.tr.dataset.utilization = typeof u === 'number' ? u.toFixed(1) : 'unknown';
      r.bar.style.width = `${typeof u === 'number' ? Math.min(100, 100 * u / scale).toFixed(1) : 0}%`;
      r.bar.classList.toggle('over', typeof u === 'number' && u > target);
      r.line.style.left = `${(100 * target / scale).toFixed(1)}%`;
      r.value.textContent = typeof u === 'number' ? `${Math.round(u)}% of ${p.pod.cpuRequestMillicores}m` : `unknown: ${Math.round(p.pod.cpuMillicores)}m, no request`;
    }
    renderDecision(live);
  }

  // The HPA's average is the pods' usage summed over their requests summed; one pod without a request makes it unknown.
  function renderDecision(live) {
    const out = $('hpa-desired'), why = $('hpa-why');
    $('hpa-target').textContent = `${target}%`;
    const missing = live.filter(([, p]) => typeof p.pod.cpuRequestMillicores !== 'number');
    if (live.length === 0 || missing.length > 0) {
      out.textContent = 'unknown'; out.dataset.value = 'unknown'; $('hpa-average').textContent = 'unknown';
      why.textContent = live.length === 0 ? 'no pod has answered yet' : `the CPU request of ${missing[0][0]} is unknown (set Pod__CpuRequestMillicores)`;
      return;
    }
    const usage = live.reduce((s, [, p]) => s + p.pod.cpuMillicores, 0), requests = live.reduce((s, [, p]) => s + p.pod.cpuRequestMillicores, 0);
    const average = 100 * usage / requests, d = desired(live.length, average);
    $('hpa-average').textContent = `${average.toFixed(1)}%`;
    $('hpa-average').dataset.value = average.toFixed(3);
    out.textContent = d.replicas; out.dataset.value = d.replicas;
    out.dataset.current = live.length;
    why.textContent = d.within
      ? `${live.length} × ${average.toFixed(0)}% / ${target}% is within 10% of ${live.length}: no change`
      : `ceil(${live.length} × ${average.toFixed(0)}% / ${target}%) = ${d.replicas}, before the HPA's min and max`;
  }

  $('hpa-target-key').textContent = `${target}%`;
  setInterval(render, 1000);
  render();
})();
