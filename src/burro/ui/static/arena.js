// Pilot Arena: 1-4 pilots on the opened tubs' frames as you scrub, what they see after
// augmentations/transformations, predicted vs recorded over a range (MSE), and a drive in
// the simulator each. Inference runs on the server (/api/arena/…); see docs/ui-arena.md.

import { drawFrame } from "./arena/overlay.js";
import { linePlot, SERIES_COLOURS } from "./arena/plot.js";
import { driveAll } from "./arena/sim.js";
import { viewPanel } from "./arena/view.js";

const MAX_PILOTS = 4;
const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};
const fmt = (v) => (Number.isFinite(v) ? (v >= 0 ? " " : "") + v.toFixed(3) : "–");

function layout(root) {
  root.classList.add("arena");
  root.innerHTML = `
    <div class="arena-top panel">
      <strong>Pilots</strong>
      <div id="arena_slots"></div>
      <button type="button" id="arena_add">+ Add pilot</button>
      <button type="button" id="arena_folder">Pilots from another folder…</button>
      <span id="arena_folder_name" class="dim"></span>
    </div>
    <div class="arena-main">
      <div>
        <div id="arena_frames" class="arena-frames"></div>
        <div class="panel arena-scrub">
          <button type="button" id="arena_prev" title="previous frame (←)">◀</button>
          <input type="range" id="arena_slider" min="0" max="0" value="0">
          <button type="button" id="arena_next" title="next frame (→)">▶</button>
          <span id="arena_where" class="dim">no tub open</span>
        </div>
        <div class="panel arena-range">
          <strong>Predicted vs recorded</strong>
          <label>from <input type="number" id="arena_start" min="0" value="0"></label>
          <label>to <input type="number" id="arena_end" min="1" value="1"></label>
          <button type="button" class="primary" id="arena_plot">Plot</button>
          <progress id="arena_progress" max="1" value="0" hidden></progress>
          <span id="arena_range_state" class="dim"></span>
          <div class="arena-plots" id="arena_plots" hidden>
            <canvas id="arena_plot_angle" width="440" height="170"></canvas>
            <canvas id="arena_plot_throttle" width="440" height="170"></canvas>
          </div>
          <table id="arena_mse" hidden><thead><tr><th>pilot</th><th>MSE angle</th><th>MSE throttle</th><th>frames</th></tr></thead><tbody></tbody></table>
        </div>
      </div>
      <div class="panel arena-view">
        <strong>What the pilot sees</strong>
        <img id="arena_preview" alt="the frame after augmentations and transformations">
        <p id="arena_preview_note" class="dim">tick an augmentation or transformation</p>
        <div id="arena_view"></div>
      </div>
    </div>
    <div class="panel arena-sim">
      <strong>Closed loop, in the simulator</strong>
      <label>laps <input type="number" id="arena_laps" min="1" max="20" value="1"></label>
      <label>track <select id="arena_track"></select></label>
      <button type="button" class="primary" id="arena_drive">Drive each pilot</button>
      <div id="arena_drives" class="arena-drives"></div>
    </div>`;
  const style = el("link", { rel: "stylesheet", href: "static/arena/arena.css" });
  root.prepend(style);
  return (id) => root.querySelector(`#${id}`);
}

export async function mount(root, api) {
  const $ = layout(root);
  const options = await api.get("/api/arena/options");
  const arena = { pilots: [], slots: [], count: 0, position: 0 };
  let view = null;

  // ----- pilots ------------------------------------------------------------------------------
  async function listPilots(folder) {
    const listing = await api.get("/api/arena/pilots" + (folder ? `?folder=${encodeURIComponent(folder)}` : ""));
    arena.pilots = listing.pilots;
    $("arena_folder_name").textContent = listing.folder ? `${listing.pilots.length} pilot(s) in ${listing.folder}` : "open a car folder to list its models/";
    if (!arena.slots.length && arena.pilots.length) addSlot(arena.pilots[0]);
    renderSlots();
  }

  function addSlot(pilot) {
    if (arena.slots.length >= MAX_PILOTS || !pilot) return;
    arena.slots.push({ path: pilot.path, own: pilot.type, type: pilot.type ? null : "linear" });
  }

  const labelOf = (slot) => {
    const entry = arena.pilots.find((p) => p.path === slot.path);
    const name = entry ? entry.name : slot.path.split("/").pop();
    return name + (slot.type ? ` (${slot.type})` : "");
  };

  function renderSlots() {
    const box = $("arena_slots");
    box.replaceChildren();
    arena.slots.forEach((slot, i) => {
      const pick = el("select", { className: "arena-pick" });
      pick.dataset.slot = String(i);
      for (const pilot of arena.pilots) {
        pick.append(el("option", { value: pilot.path, selected: pilot.path === slot.path,
                                   textContent: `${pilot.name} · ${pilot.type || "Donkey: give its type"}` }));
      }
      pick.addEventListener("change", () => {
        const chosen = arena.pilots.find((p) => p.path === pick.value);
        arena.slots[i] = { path: chosen.path, own: chosen.type, type: chosen.type ? null : slot.type || "linear" };
        renderSlots();
      });
      const kind = el("select", { className: "arena-type", disabled: Boolean(slot.own),
                                  title: "a Donkey pilot's type (a burro pilot knows its own)" });
      for (const name of options.types) {
        for (const prefix of ["", "tflite_"]) {
          kind.append(el("option", { value: prefix + name, textContent: prefix + name,
                                     selected: (slot.type || slot.own) === prefix + name }));
        }
      }
      kind.addEventListener("change", () => { slot.type = kind.value; renderFrames(); update(); });
      const remove = el("button", { type: "button", textContent: "−", title: "remove this pilot" });
      remove.addEventListener("click", () => { arena.slots.splice(i, 1); renderSlots(); });
      const dot = el("span", { className: "arena-dot" });
      dot.style.background = SERIES_COLOURS[i];
      box.append(el("div", { className: "arena-slot" }, dot, pick, kind, remove));
    });
    $("arena_add").disabled = arena.slots.length >= MAX_PILOTS || !arena.pilots.length;
    renderFrames();
    update();
  }

  const chosenPilots = () => arena.slots.map((slot) => ({ path: slot.path, type: slot.type, label: labelOf(slot) }));

  // ----- frames ------------------------------------------------------------------------------
  const canvases = [];
  function renderFrames() {
    const box = $("arena_frames");
    box.replaceChildren();
    canvases.length = 0;
    const cards = arena.slots.length ? arena.slots : [null];
    cards.forEach((slot, i) => {
      const canvas = el("canvas", { width: 320, height: 240 });
      const title = el("div", { className: "arena-card-title" },
                       slot ? labelOf(slot) : "recorded (add a pilot to compare)");
      if (slot) title.style.color = SERIES_COLOURS[i];
      const readout = el("pre", { className: "arena-readout" });
      const card = el("div", { className: "panel arena-card" }, title, canvas, readout);
      card.dataset.slot = String(i);
      box.append(card);
      canvases.push({ canvas, readout, colour: SERIES_COLOURS[i] });
    });
  }

  let busy = false, pending = null;
  async function update() {
    if (!arena.count) return;
    if (busy) { pending = arena.position; return; }
    busy = true;
    const position = arena.position;
    try {
      const image = new Image();
      const loaded = new Promise((resolve, reject) => { image.onload = resolve; image.onerror = () => reject(new Error("the frame did not load")); });
      image.src = api.withToken(`/api/arena/image/${position}`);
      const pilots = chosenPilots();
      const answer = pilots.length
        ? api.post("/api/arena/predict", { position, pilots, view: view.pilotView() })
        : Promise.resolve(null);
      const [result] = await Promise.all([answer, loaded]);
      const record = result ? result.record : null;
      canvases.forEach(({ canvas, readout, colour }, i) => {
        const predicted = result ? result.predictions[i] : null;
        drawFrame(canvas, image, record, predicted, colour);
        readout.textContent = predicted
          ? (predicted.error ? predicted.error
             : `          angle  throttle\nrecorded ${fmt(record.angle)}  ${fmt(record.throttle)}\npilot    ${fmt(predicted.angle)}  ${fmt(predicted.throttle)}   ${predicted.ms.toFixed(1)} ms`)
          : "";
        readout.classList.toggle("error", Boolean(predicted && predicted.error));
      });
      $("arena_where").textContent = record
        ? `frame ${position + 1} / ${arena.count} · ${record.tub.split("/").pop()} #${record.index}`
        : `frame ${position + 1} / ${arena.count}`;
      updatePreview();
    } catch (error) {
      api.status(error.message, true);
    } finally {
      busy = false;
      if (pending !== null && pending !== position) { pending = null; update(); } else pending = null;
    }
  }

  function updatePreview() {
    const shown = view.view();
    $("arena_preview").hidden = !shown;
    $("arena_preview_note").hidden = Boolean(shown);
    if (!shown || !arena.count) return;
    $("arena_preview").src = api.withToken(`/api/arena/image/${arena.position}?view=${encodeURIComponent(JSON.stringify(shown))}`);
  }

  function goTo(position) {
    arena.position = Math.max(0, Math.min(arena.count - 1, position));
    $("arena_slider").value = String(arena.position);
    update();
  }

  async function loadFrames() {
    const frames = await api.get("/api/arena/frames");
    arena.count = frames.count;
    $("arena_slider").max = String(Math.max(0, frames.count - 1));
    $("arena_end").value = String(frames.count);
    $("arena_end").max = String(frames.count);
    if (!frames.count) { $("arena_where").textContent = "open a tub (Tubs: in the header)"; return; }
    goTo(Math.min(arena.position, frames.count - 1));
  }

  // ----- predicted vs recorded over a range --------------------------------------------------
  async function plotRange() {
    const pilots = chosenPilots();
    if (!pilots.length) return api.status("add a pilot first", true);
    const start = Number($("arena_start").value), end = Number($("arena_end").value);
    const bar = $("arena_progress"), state = $("arena_range_state");
    $("arena_plot").disabled = true;
    try {
      let job = await api.post("/api/arena/range", { pilots, start, end, view: view.pilotView() });
      bar.hidden = false;
      while (job.state === "running") {
        bar.max = job.total; bar.value = job.done;
        state.textContent = `${job.done} / ${job.total} frames`;
        await new Promise((resolve) => setTimeout(resolve, 250));
        job = await api.get(`/api/arena/jobs/${job.id}`);
      }
      bar.hidden = true;
      if (job.state !== "done") throw new Error(job.error || job.state);
      const { positions, recorded } = job.result;
      for (const field of ["angle", "throttle"]) {
        linePlot($(`arena_plot_${field}`), {
          title: `${field}: recorded (green) vs pilots`, positions, recorded: recorded[field],
          pilots: job.result.pilots.map((p) => p[field]), low: field === "angle" ? -1 : Math.min(0, ...recorded.throttle), high: 1 });
      }
      const body = $("arena_mse").querySelector("tbody");
      body.replaceChildren(...job.result.pilots.map((p, i) => {
        const name = el("td", { textContent: p.label });
        name.style.color = SERIES_COLOURS[i];
        return el("tr", {}, name, el("td", { textContent: p.mse.angle.toFixed(4) }),
                  el("td", { textContent: p.mse.throttle.toFixed(4) }),
                  el("td", { textContent: String(positions.length) }));
      }));
      $("arena_mse").hidden = false;
      $("arena_plots").hidden = false;
      state.textContent = `${positions.length} frames in ${job.seconds.toFixed(1)} s`;
    } catch (error) {
      bar.hidden = true;
      state.textContent = error.message;
      api.status(error.message, true);
    } finally {
      $("arena_plot").disabled = false;
    }
  }

  // ----- wiring ------------------------------------------------------------------------------
  view = viewPanel($("arena_view"), options, () => { updatePreview(); update(); });
  for (const track of options.tracks) {
    $("arena_track").append(el("option", { value: track, textContent: track, selected: track === options.track }));
  }
  $("arena_add").addEventListener("click", () => {
    const unused = arena.pilots.find((p) => !arena.slots.some((slot) => slot.path === p.path));
    addSlot(unused || arena.pilots[0]);
    renderSlots();
  });
  $("arena_folder").addEventListener("click", async () => {
    const chosen = await api.chooseFolder({ title: "A folder with pilots", want: "folder" });
    if (chosen) listPilots(chosen[0]).catch((error) => api.status(error.message, true));
  });
  $("arena_slider").addEventListener("input", () => goTo(Number($("arena_slider").value)));
  $("arena_prev").addEventListener("click", () => goTo(arena.position - 1));
  $("arena_next").addEventListener("click", () => goTo(arena.position + 1));
  document.addEventListener("keydown", (event) => {
    if (root.hidden || event.target.closest("input, select, textarea")) return;
    if (event.key === "ArrowLeft") goTo(arena.position - 1);
    if (event.key === "ArrowRight") goTo(arena.position + 1);
  });
  $("arena_plot").addEventListener("click", plotRange);
  $("arena_drive").addEventListener("click", async () => {
    const pilots = chosenPilots();
    if (!pilots.length) return api.status("add a pilot first", true);
    $("arena_drive").disabled = true;
    try {
      await driveAll(api, $("arena_drives"), pilots, Number($("arena_laps").value), $("arena_track").value,
                     SERIES_COLOURS);
    } finally { $("arena_drive").disabled = false; }
  });
  let seen = "";
  api.onState((state) => {
    const key = JSON.stringify([state.car_dir, state.tubs]);
    if (key === seen) return;
    seen = key;
    listPilots().catch((error) => api.status(error.message, true));
    loadFrames().catch((error) => api.status(error.message, true));
  });
}
