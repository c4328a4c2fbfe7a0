// The live page: bets and GGR per game type per minute from /api/live/ggr, redrawn every 2 seconds (polling: the
// views change by the minute, and a poll costs one small GROUP BY over the per-minute view).
(function () {
  const colors = ["#2f6fde", "#e4572e", "#17a398", "#f3a712", "#8a4fff", "#5c6b73", "#c33c54", "#29335c"];
  const charts = {};
  const range = document.getElementById("range");

  function width(el) { return Math.max(280, el.clientWidth); }

  function draw(id, data, metric, types) {
    const el = document.getElementById(id);
    const series = [{}].concat(types.map((t, i) => ({ label: t, stroke: colors[i % colors.length], width: 2 })));
    const columns = [data.times].concat(types.map(t => data.game_types[t][metric]));
    const key = id + ":" + types.join(",");
    if (charts[id] && charts[id].key === key) {
      charts[id].plot.setData(columns);
      return;
    }
    if (charts[id]) charts[id].plot.destroy();
    const plot = new uPlot({ width: width(el), height: el.clientHeight || 300, series: series,
      axes: [{}, { size: 70 }], scales: { x: { time: true } } }, columns, el);
    charts[id] = { plot: plot, key: key };
  }

  function totals(data, types) {
    const body = document.querySelector("#totals tbody");
    body.innerHTML = "";
    for (const t of types) {
      const bets = data.game_types[t].bets.reduce((a, b) => a + b, 0);
      const ggr = data.game_types[t].ggr.reduce((a, b) => a + b, 0);
      const row = document.createElement("tr");
      row.dataset.gameType = t;
      row.innerHTML = "<td></td><td class='bets'></td><td class='ggr'></td>";
      row.cells[0].textContent = t;
      row.cells[1].textContent = bets;
      row.cells[2].textContent = ggr.toFixed(2);
      body.appendChild(row);
    }
  }

  async function refresh() {
    try {
      const response = await fetch("/api/live/ggr?minutes=" + range.value, { headers: { "Accept": "application/json" } });
      if (response.status === 401) { window.location = "/login"; return; }
      const data = await response.json();
      if (!response.ok) throw new Error(data.error || response.status);
      const types = Object.keys(data.game_types);
      draw("ggr-chart", data, "ggr", types);
      draw("bets-chart", data, "bets", types);
      totals(data, types);
      document.getElementById("updated").textContent = "updated " + new Date().toLocaleTimeString();
    } catch (e) {
      document.getElementById("updated").textContent = "not updated: " + e.message;
    }
  }

  range.addEventListener("change", refresh);
  window.addEventListener("resize", () => Object.values(charts).forEach(c => c.plot.setSize({
    width: width(c.plot.root.parentElement), height: c.plot.height })));
  refresh();
  setInterval(refresh, 2000);
})();
