'use strict';
// Running load jobs (GET /load every 2 s), CPU and memory alike, with a Stop button each. Through
// a Service each poll reaches one pod and lists that pod's jobs, so rows are kept per host: a
// host's answer replaces its rows, and a host not heard from for a while drops out.
(() => {
  const POLL_MS = 2000;
  const FORGET_MS = 20000;
  const STOP_TRIES = 8;     // a Service may send each try to another pod; If-Match keeps a wrong one untouched
  const $ = (id) => document.getElementById(id);
  const jobs = new Map();   // `${host}/${id}` -> { view, at, row }
  let hint = '';

  const headers = (extra = {}) => {
    const key = $('api-key').value;
    return key ? { ...extra, 'X-Api-Key': key } : extra;
  };

  async function poll() {
    try {
      const r = await fetch('/load', { headers: headers(), cache: 'no-store', signal: AbortSignal.timeout(10000) });
      if (r.status === 401) hint = 'The service wants an API key for /load: enter it under Apply demand.';
      else if (!r.ok) hint = `GET /load answered ${r.status}.`;
      else { hint = ''; update(await r.json()); }
    } catch {
      hint = 'GET /load failed.';
    }
    render();
    setTimeout(poll, POLL_MS);
  }

  // The answering instance is known from its jobs (running or recently ended): its rows are replaced.
  function update(list) {
    const now = performance.now(), all = Array.isArray(list.jobs) ? list.jobs : [];
    const hosts = new Set(all.map((j) => String(j.host)));
    const running = new Map(all.filter((j) => j.state === 'running').slice(0, 100).map((j) => [`${j.host}/${j.id}`, j]));
    for (const [key, j] of jobs) if (hosts.has(String(j.view.host)) && !running.has(key)) drop(key);
    for (const [key, view] of running) {
      const j = jobs.get(key) || { row: newRow(key, view) };
      Object.assign(j, { view, at: now });
      jobs.set(key, j);
    }
  }

  function drop(key) { const j = jobs.get(key); if (j) { j.row.tr.remove(); jobs.delete(key); } }

  function newRow(key, view) {
    const tr = document.createElement('tr');
    const cells = ['kind', 'host', 'goal', 'now', 'left', 'act'].map((c) => { const td = document.createElement('td'); td.className = c; tr.appendChild(td); return td; });
    const stop = document.createElement('button');
    stop.type = 'button'; stop.textContent = 'Stop'; stop.className = 'stop-job';
    stop.addEventListener('click', () => stopJob(key, stop));
    cells[5].appendChild(stop);
    tr.dataset.jobId = view.id; tr.dataset.host = view.host;
    $('jobs').tBodies[0].appendChild(tr);
    return { tr, cells, stop };
  }

  // The job's ETag from GET /load/{id} (when the answer comes from its host), then DELETE with If-Match.
  async function stopJob(key, button) {
    const j = jobs.get(key);
    if (!j) return;
    button.disabled = true;
    const { id, host } = j.view;
    try {
      for (let tryNo = 0; tryNo < STOP_TRIES; tryNo++) {
        const got = await fetch(`/load/${encodeURIComponent(id)}`, { headers: headers(), cache: 'no-store' });
        const view = got.ok ? await got.json() : null;
        if (!view || view.host !== host) continue;
        const etag = got.headers.get('ETag');
        const del = await fetch(`/load/${encodeURIComponent(id)}`, { method: 'DELETE', headers: headers(etag ? { 'If-Match': etag } : {}) });
        if (del.ok) { drop(key); render(); return; }
        if (del.status !== 412) break;
      }
      hint = `Could not stop job ${id} on ${host}: its pod did not answer here. Try again.`;
    } catch {
      hint = `Could not stop job ${id} on ${host}.`;
    }
    button.disabled = false;
    render();
  }

  function render() {
    const now = performance.now();
    for (const [key, j] of jobs) if (now - j.at > FORGET_MS) drop(key);
    for (const [, j] of jobs) {
      const v = j.view, memory = v.kind === 'memory', c = j.row.cells;
      c[0].textContent = memory ? 'memory' : 'CPU';
      c[1].textContent = String(v.host).slice(0, 64); c[1].title = v.host;
      c[2].textContent = memory ? `${v.mebibytes} MiB` : `${v.millicores} m`;
      c[3].textContent = memory ? `${v.heldMiB ?? 0} MiB held` : `${Math.round(v.achievedMillicores?.last10s ?? 0)} m`;
      const left = Math.max(0, (Date.parse(v.endsAt) - Date.now()) / 1000);
      c[4].textContent = left >= 90 ? `${Math.round(left / 60)} min` : `${Math.round(left)} s`;
      j.row.tr.dataset.kind = memory ? 'memory' : 'cpu';
    }
    $('job-count').textContent = jobs.size;
    $('no-jobs').hidden = jobs.size > 0;
    $('jobs-hint').textContent = hint;
    $('jobs-hint').hidden = !hint;
  }

  poll();
})();
