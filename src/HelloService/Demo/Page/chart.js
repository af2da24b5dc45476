'use strict';
// Charts for the demo page, drawn by hand on <canvas> (no library): DemoChart.draw and DemoChart.quantile.
window.DemoChart = (() => {
  const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

  function quantile(values, q) {
    const sorted = values.slice().sort((x, y) => x - y);
    return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  }

  function niceMax(v, integer) {
    if (!(v > 0)) return 4; // an empty chart: ticks 0 1 2 3 4
    const p = 10 ** Math.floor(Math.log10(v)), m = v / p;
    const nice = (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
    return integer ? Math.max(4, Math.ceil(nice)) : nice;
  }

  const label = (v) => (v >= 10000 ? `${Math.round(v / 1000)}k` : v >= 1000 ? `${(v / 1000).toFixed(1)}k` : `${Math.round(v * 10) / 10}`);

  // A hand-drawn chart: 300 one-second slots, lines (gaps for null) or stacked bars.
  function draw(id, series, { stacked = false, integer = false }) {
    const canvas = document.getElementById(id), dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth, h = canvas.clientHeight;
    if (!w || !h) return;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr); canvas.height = Math.round(h * dpr);
    }
    const ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const pad = { l: 52, r: 8, t: 8, b: 24 }, pw = w - pad.l - pad.r, ph = h - pad.t - pad.b;
    const n = series[0].values.length;
    let max = 0;
    for (let i = 0; i < n; i++) {
      if (stacked) max = Math.max(max, series.reduce((s, x) => s + (x.values[i] || 0), 0));
      else for (const x of series) if (x.values[i] != null) max = Math.max(max, x.values[i]);
    }
    max = niceMax(max * 1.05, integer);
    const x = (i) => pad.l + (i + 0.5) * pw / n, y = (v) => pad.t + ph - v / max * ph;

    ctx.font = '15px system-ui, sans-serif';
    ctx.fillStyle = css('--muted'); ctx.strokeStyle = css('--line'); ctx.lineWidth = 1;
    ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
    // Ticks at round values: 1, 5 and 10 (x 10^k) in fifths, 2 and 4 in quarters (not 0.25 shown as 0.3).
    const mantissa = max / 10 ** Math.floor(Math.log10(max));
    const steps = integer && max <= 8 ? max : mantissa === 2 || mantissa === 4 ? 4 : 5;
    for (let k = 0; k <= steps; k++) {
      const v = max * k / steps, yy = Math.round(y(v)) + 0.5;
      ctx.beginPath(); ctx.moveTo(pad.l, yy); ctx.lineTo(w - pad.r, yy); ctx.stroke();
      ctx.fillText(label(v), pad.l - 6, yy);
    }
    ctx.textAlign = 'center'; ctx.textBaseline = 'top';
    for (let m = 1; m <= 5; m++) ctx.fillText(`-${m}m`, x(n - 1 - m * 60), h - pad.b + 5);
    ctx.textAlign = 'right';
    ctx.fillText('now', w - pad.r, h - pad.b + 5);

    if (stacked) {
      const base = new Array(n).fill(0), bw = Math.max(1, pw / n);
      for (const s of series) {
        ctx.fillStyle = s.color;
        for (let i = 0; i < n; i++) {
          const v = s.values[i] || 0;
          if (v > 0) { ctx.fillRect(x(i) - bw / 2, y(base[i] + v), bw, y(base[i]) - y(base[i] + v)); base[i] += v; }
        }
      }
      return;
    }
    for (const s of series) {
      ctx.strokeStyle = s.color; ctx.lineWidth = s.width || 3; ctx.setLineDash(s.dash ? [8, 5] : []);
      ctx.beginPath();
      let pen = false;
      for (let i = 0; i < n; i++) {
        const v = s.values[i];
        if (v == null) { pen = false; continue; }
        if (!pen) ctx.moveTo(x(i), y(v));
        else if (s.step) { ctx.lineTo(x(i), y(s.values[i - 1])); ctx.lineTo(x(i), y(v)); }
        else ctx.lineTo(x(i), y(v));
        pen = true;
      }
      ctx.stroke();
    }
    ctx.setLineDash([]);
  }

  return { draw, quantile };
})();
