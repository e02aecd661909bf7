// The Tub Manager (docs/ui-tubs.md): scrub the opened tubs' frames, clean them (soft delete
// and restore of ranges, undo), set TRAIN_FILTER, plot fields, see sessions and problems.
// The columns of a tub come once (GET /api/tubs/data); a frame change only loads its image.

import { FrameView, USER_COLOR } from "./tubs/frame-view.js";
import { LAYOUT } from "./tubs/layout.js";
import { DELETED, EXCLUDED, LinePlot, SERIES_COLORS, drawHistogram } from "./tubs/plots.js";
import { ValuesPanel, isControl, picker, renderProblems, renderSessions } from "./tubs/panels.js";

const SHOWN_BY_DEFAULT = ["user/angle", "user/throttle", "user/mode", "_timestamp_ms"];
const PLOTTED_BY_DEFAULT = ["user/angle", "user/throttle"];
const PREFETCH = 40;
const overlayProviders = [];

// A hook for other screens: provider(tubPath, recordIndex) → {angle, throttle, color, label}
// or null, drawn over the frame beside the recorded values.
export function addOverlay(provider) { overlayProviders.push(provider); }

export async function mount(section, api) {
  const link = Object.assign(document.createElement("link"),
                             { rel: "stylesheet", href: new URL("./tubs/tubs.css", import.meta.url).href });
  document.head.append(link);
  section.innerHTML = LAYOUT;
  const $ = (id) => section.querySelector("#tubs_" + id);
  const view = new FrameView($("frame"));
  const values = new ValuesPanel($("values"));
  const plot = new LinePlot($("plot"), $("plot_marks"), (position) => go(position));
  const s = { tub: null, data: null, position: 0, left: null, right: null, deleted: new Set(),
              excluded: new Set(), filter: null, playing: 0, shown: [], plotted: [] };
  window.tubsDebug = { painted: [], view, state: s }; // the benchmark and tests read it

  view.onPaint = (position) => window.tubsDebug.painted.push({ position, t: performance.now() });

  const enc = encodeURIComponent;
  const imageUrl = (position) =>
    api.withToken(`/api/tubs/image?tub=${enc(s.tub)}&index=${s.data.index[position]}`);
  const fields = () => s.data.fields;
  const numeric = () => Object.keys(fields()).filter((n) => fields()[n].kind === "number");

  function overlays(position) {
    const f = fields(), list = [];
    if (f["user/angle"] || f["user/throttle"]) {
      list.push({ angle: f["user/angle"]?.values[position], throttle: f["user/throttle"]?.values[position],
                  color: USER_COLOR, label: "user" });
    }
    for (const provider of overlayProviders) {
      const overlay = provider(s.tub, s.data.index[position]);
      if (overlay) list.push(overlay);
    }
    return list;
  }

  function go(position, { wrap = false } = {}) {
    if (!s.data || !s.data.count) return;
    const count = s.data.count;
    position = wrap ? ((position % count) + count) % count : Math.max(0, Math.min(count - 1, position));
    s.position = position;
    $("slider").value = String(position);
    view.show(imageUrl(position), overlays(position), position);
    const index = s.data.index[position];
    $("record_index").textContent = String(index);
    $("where").textContent = `${position + 1} / ${count}`;
    const note = s.deleted.has(index) ? "deleted" : s.excluded.has(index) ? "left out by the filter" : "";
    values.show(position, note);
    plot.drawMarks(position, positionOf(s.left), positionOf(s.right));
  }

  const positionOf = (index) => (index === null || !s.data) ? null : s.data.index.indexOf(index);
  const positionsByIndex = () => new Map(s.data.index.map((index, position) => [index, position]));

  // ----- playback ---------------------------------------------------------------------------
  let last = 0, carry = 0;
  function tick(now) {
    if (!s.playing) return;
    const rate = s.data.rate_hz * Number($("speed").value);
    carry += ((now - last) / 1000) * rate;
    last = now;
    const steps = Math.floor(carry);
    if (steps) {
      carry -= steps;
      go(s.position + s.playing * steps, { wrap: true });
      const ahead = [];
      for (let k = 1; k <= PREFETCH; k++) {
        const p = (((s.position + s.playing * k) % s.data.count) + s.data.count) % s.data.count;
        ahead.push(imageUrl(p));
      }
      view.prefetch(ahead);
    }
    requestAnimationFrame(tick);
  }
  function play(direction) {
    const starting = !s.playing;
    s.playing = direction;
    if (starting && direction) {
      last = performance.now();
      carry = 0;
      requestAnimationFrame(tick);
    }
  }
  function speedStep(delta) {
    const select = $("speed");
    select.selectedIndex = Math.max(0, Math.min(select.options.length - 1, select.selectedIndex + delta));
  }

  // ----- drawing the tub --------------------------------------------------------------------
  function drawPlots() {
    const byIndex = positionsByIndex();
    const shaded = [];
    const shade = (ranges, color) => {
      for (const [a, b] of ranges) {
        const from = byIndex.get(a), to = byIndex.get(b);
        if (from !== undefined && to !== undefined) shaded.push({ from, to, color });
      }
    };
    shade(s.data.deleted, DELETED);
    if (s.filter) shade(s.filter.excluded, EXCLUDED);
    const series = s.plotted.filter((n) => fields()[n]).map((name, k) => (
      { name, values: fields()[name].values, color: SERIES_COLORS[k % SERIES_COLORS.length] }));
    plot.setData(s.data.count, series, shaded);
    plot.drawMarks(s.position, positionOf(s.left), positionOf(s.right));
    const histograms = $("histograms");
    histograms.replaceChildren();
    const isDeleted = (position) => s.deleted.has(s.data.index[position]);
    const kept = s.filter ? (position) => !s.excluded.has(s.data.index[position]) : null;
    for (const item of series) {
      const canvas = document.createElement("canvas");
      histograms.append(canvas);
      drawHistogram(canvas, item.name, item.values, item.color, isDeleted, kept);
    }
  }

  function setDeleted(ranges) {
    s.data.deleted = ranges;
    s.deleted = new Set();
    for (const [a, b] of ranges) for (let i = a; i <= b; i++) s.deleted.add(i);
    const count = s.data.count;
    $("summary").textContent = `${count.toLocaleString()} records, ${s.deleted.size.toLocaleString()} deleted, `
      + `${s.data.sessions.length} session(s), ${s.data.rate_hz} Hz`;
  }

  function showRange() {
    const { left, right } = s;
    const text = left === null && right === null ? "no range"
      : `[${left ?? "?"} … ${right ?? "?"}]` + (left !== null && right !== null
        ? ` ${s.data.index.filter((i) => i >= Math.min(left, right) && i <= Math.max(left, right)).length} records` : "");
    $("range").textContent = text;
    const ready = left !== null && right !== null;
    $("delete").disabled = !ready;
    $("restore").disabled = !ready;
    plot.drawMarks(s.position, positionOf(left), positionOf(right));
  }

  async function openTub(path) {
    s.playing = 0;
    s.tub = path;
    const started = performance.now();
    api.status(`reading ${path} …`);
    const data = await api.get(`/api/tubs/data?tub=${enc(path)}`);
    if (s.tub !== path) return;  // another tub was chosen meanwhile
    s.data = data;
    setDeleted(s.data.deleted);
    $("slider").max = String(Math.max(0, s.data.count - 1));
    $("undo").disabled = !s.data.undo;
    const names = Object.keys(fields());
    if (!s.shown.length) s.shown = SHOWN_BY_DEFAULT.filter((n) => names.includes(n));
    if (!s.plotted.length) s.plotted = PLOTTED_BY_DEFAULT.filter((n) => names.includes(n));
    picker($("field_picker"), names, s.shown, (chosen) => {
      s.shown = chosen; values.setFields(fields(), chosen); go(s.position);
    });
    picker($("plot_picker"), numeric(), s.plotted, (chosen) => { s.plotted = chosen; drawPlots(); });
    values.setFields(fields(), s.shown.filter((n) => names.includes(n)));
    s.left = s.right = null;
    showRange();
    if (s.data.train_filter && !$("filter").value) $("filter").value = s.data.train_filter;
    s.filter = null;
    s.excluded = new Set();
    drawPlots();
    go(0);
    renderSessions($("sessions"), s.data, (p) => imageUrl(p), (p) => go(p));
    window.tubsDebug.openedMs = performance.now() - started;
    api.status(`${path}: ${s.data.count} records (${Math.round(window.tubsDebug.openedMs)} ms)`);
    section.dispatchEvent(new CustomEvent("tub-opened", { detail: { path } }));
    if ($("filter").value.trim()) applyFilter().catch(() => {});
    loadProblems(path);
  }

  async function loadProblems(path) {
    $("problems").textContent = "checking …";
    try {
      const report = await api.get(`/api/tubs/problems?tub=${enc(path)}`);
      if (s.tub !== path) return;
      const byIndex = positionsByIndex();
      renderProblems($("problems"), report, (index) => byIndex.get(index), (p) => go(p));
    } catch (error) { $("problems").textContent = error.message; }
  }

  // ----- cleaning and the filter ------------------------------------------------------------
  async function clean(action) {
    const low = Math.min(s.left, s.right), high = Math.max(s.left, s.right);
    const count = s.data.index.filter((i) => i >= low && i <= high).length;
    if (action === "delete") {
      $("confirm_text").textContent = `Soft-delete the ${count} records with indexes ${low} to ${high} `
        + "of this tub? Training skips them; Restore or Undo brings them back.";
      const dialog = $("confirm");
      const answer = await new Promise((resolve) => {
        dialog.onclose = () => resolve(dialog.returnValue);
        dialog.showModal();
      });
      if (answer !== "ok") return;
    }
    await afterCleaning(api.post("/api/tubs/clean", { tub: s.tub, action, first: low, last: high }),
                        action === "delete" ? "deleted" : "restored");
  }

  async function afterCleaning(request, verb) {
    try {
      const answer = await request;
      setDeleted(answer.deleted);
      $("undo").disabled = !answer.undo;
      api.status(`${verb} ${answer.changed} records`);
      if (s.filter) await applyFilter(); else drawPlots();
      go(s.position);
    } catch (error) { api.status(error.message, true); }
  }

  async function applyFilter() {
    const expression = $("filter").value.trim();
    if (!expression) { clearFilter(); return; }
    try {
      const answer = await api.post("/api/tubs/filter", { expression });
      s.filter = answer.tubs.find((t) => t.path === s.tub) || null;
      s.excluded = new Set();
      for (const [a, b] of s.filter ? s.filter.excluded : []) for (let i = a; i <= b; i++) s.excluded.add(i);
      const share = answer.total ? Math.round((100 * answer.kept) / answer.total) : 0;
      $("filter_result").textContent = `training would use ${answer.kept.toLocaleString()} of `
        + `${answer.total.toLocaleString()} records (${share}%) in ${answer.tubs.length} tub(s)`;
      $("filter_result").className = "dim";
      $("filter_save").disabled = !api.state().car_dir;
    } catch (error) {
      $("filter_result").textContent = error.message;
      $("filter_result").className = "error";
      s.filter = null;
      s.excluded = new Set();
    }
    drawPlots();
    go(s.position);
  }

  function clearFilter() {
    $("filter").value = "";
    s.filter = null;
    s.excluded = new Set();
    $("filter_result").textContent = "no filter: training uses every record not deleted";
    $("filter_result").className = "dim";
    $("filter_save").disabled = !api.state().car_dir;
    drawPlots();
    go(s.position);
  }

  async function saveFilter() {
    try {
      const answer = await api.post("/api/tubs/filter/save", { expression: $("filter").value });
      api.status(answer.expression ? `TRAIN_FILTER = "${answer.expression}" saved in ${answer.saved}`
                                   : `TRAIN_FILTER = None saved in ${answer.saved}`);
    } catch (error) { api.status(error.message, true); }
  }

  // ----- wiring -----------------------------------------------------------------------------
  const on = (id, handler) => $(id).addEventListener("click", handler);
  $("slider").addEventListener("input", () => { s.playing = 0; go(Number($("slider").value)); });
  on("step_back", () => { s.playing = 0; go(s.position - 1, { wrap: true }); });
  on("step", () => { s.playing = 0; go(s.position + 1, { wrap: true }); });
  on("play", () => play(1));
  on("play_back", () => play(-1));
  on("pause", () => play(0));
  on("mark_left", () => { s.left = s.data.index[s.position]; showRange(); });
  on("mark_right", () => { s.right = s.data.index[s.position]; showRange(); });
  on("delete", () => clean("delete"));
  on("restore", () => clean("restore"));
  on("undo", () => afterCleaning(api.post("/api/tubs/undo", { tub: s.tub }), "undid: changed"));
  on("filter_apply", () => applyFilter());
  $("filter").addEventListener("keydown", (event) => { if (event.key === "Enter") applyFilter(); });
  on("filter_save", saveFilter);
  on("filter_clear", clearFilter);
  $("select").addEventListener("change", () => openTub($("select").value).catch(failed));
  const openFolder = async () => {
    const chosen = await api.chooseFolder({ title: "Open every tub in a data folder", want: "folder",
                                            start: api.state().car_dir });
    if (!chosen) return;
    try {
      await api.post("/api/tubs/folder", { path: chosen[0] });
      await api.refreshState();
    } catch (error) { api.status(error.message, true); }
  };
  on("open_folder", openFolder);
  on("open_data", openFolder);
  let drawnWidth = 0;
  new ResizeObserver(() => {
    const width = $("plot").clientWidth;
    if (s.data && width && width !== drawnWidth) { drawnWidth = width; drawPlots(); }
  }).observe($("plot"));

  document.addEventListener("keydown", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (section.hidden || !s.data || target?.closest("input:not([type=range]), select, textarea, dialog")) return;
    const actions = {
      ArrowLeft: () => { s.playing = 0; go(s.position - (event.shiftKey ? 10 : 1), { wrap: true }); },
      ArrowRight: () => { s.playing = 0; go(s.position + (event.shiftKey ? 10 : 1), { wrap: true }); },
      " ": () => play(s.playing ? 0 : event.shiftKey ? -1 : 1),
      ArrowUp: () => speedStep(1),
      ArrowDown: () => speedStep(-1),
      "[": () => $("mark_left").click(),
      "]": () => $("mark_right").click(),
    };
    const action = actions[event.key];
    if (action) { event.preventDefault(); action(); }
  });

  function failed(error) { api.status(error.message, true); }

  api.onState((state) => {
    const select = $("select");
    select.replaceChildren(...state.tubs.map((path) => Object.assign(
      document.createElement("option"), { value: path, textContent: path.split("/").pop() })));
    select.disabled = state.tubs.length < 2;
    $("empty").hidden = state.tubs.length > 0;
    $("body").hidden = state.tubs.length === 0;
    if (!state.tubs.length) { s.tub = null; s.data = null; $("summary").textContent = ""; return; }
    const keep = state.tubs.includes(s.tub) ? s.tub : state.tubs[0];
    select.value = keep;
    if (keep !== s.tub || (!s.data && !s.loading)) {  // once, though screens refresh the state
      s.loading = openTub(keep).catch(failed).finally(() => { s.loading = null; });
    }
  });
}

export { isControl };
