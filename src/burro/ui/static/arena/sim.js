// One click: each chosen pilot drives N laps in burro's simulator (a `burro sim drive`
// process on the server); its closed-loop report and path plot appear side by side.

const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};

const ROWS = [
  ["laps", (r) => `${r.laps_completed} / ${r.laps_target}`],
  ["off-track", (r) => String(r.off_track_events)],
  ["autonomy", (r) => `${r.autonomy_pct.toFixed(1)} %`],
  ["|cte| mean / max", (r) => `${r.mean_abs_cte.toFixed(3)} / ${r.max_abs_cte.toFixed(3)} m`],
  ["speed", (r) => `${r.mean_speed.toFixed(2)} m/s`],
  ["vs the expert", (r) => `${Math.round(100 * r.speed_ratio)} % of ${r.expert_mean_speed.toFixed(2)} m/s`],
  ["lap times", (r) => r.lap_times.map((t) => t.toFixed(1)).join(", ") + " s" ],
  ["pilot", (r) => `${r.pilot_ms_per_step.toFixed(2)} ms/step`],
];

function reportTable(report) {
  const body = el("tbody");
  for (const [label, value] of ROWS) {
    let text = "";
    try { text = value(report); } catch { text = "–"; }
    body.append(el("tr", {}, el("th", {}, label), el("td", {}, text)));
  }
  return el("table", { className: "arena-report" }, body);
}

export async function driveAll(api, box, pilots, laps, track, colours = []) {
  box.replaceChildren();
  const runs = pilots.map(async (pilot, i) => {
    const card = el("div", { className: "panel arena-drive" });
    card.dataset.slot = String(i);
    const head = el("h4", {}, pilot.label);
    if (colours[i]) head.style.color = colours[i];
    const state = el("p", { className: "arena-drive-state" }, "starting…");
    card.append(head, state);
    box.append(card);
    let job;
    try {
      job = await api.post("/api/arena/drive", { pilot: { path: pilot.path, type: pilot.type || null },
                                                laps, track });
      while (job.state === "running") {
        state.textContent = `driving in the simulator… ${job.seconds.toFixed(0)} s`;
        await new Promise((resolve) => setTimeout(resolve, 500));
        job = await api.get(`/api/arena/jobs/${job.id}`);
      }
    } catch (error) {
      state.textContent = error.message;
      state.classList.add("error");
      return;
    }
    if (job.state !== "done") {
      state.textContent = `${job.state}: ${job.error || ""}`;
      state.classList.add("error");
      return;
    }
    state.textContent = `${job.report.track}, ${laps} lap(s): driven in ${job.seconds.toFixed(0)} s`;
    const plot = el("img", { className: "arena-path", alt: `path of ${pilot.label}`,
                             src: api.withToken(`/api/arena/jobs/${job.id}/plot.png`) });
    const link = el("a", { href: plot.src, target: "_blank", title: "the path plot, full size" }, plot);
    card.append(el("div", { className: "arena-side" }, reportTable(job.report), link));
  });
  await Promise.all(runs);
}
