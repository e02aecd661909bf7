// The running (or last) training: state, epoch progress, time left, loss plot, cancel.

import { drawLoss } from "./plot.js";

const esc = (text) => String(text).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const STATES = {
  running: "training…", finished: "finished", saved_best: "cancelled — the best epoch is saved",
  cancelled: "cancelled before the first epoch ended — nothing saved", failed: "failed",
};

export function duration(seconds) {
  if (seconds === null || seconds === undefined) return "–";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
}

export class JobPanel {
  constructor(root, api, { onEnded, onRunning }) {
    this.root = root;
    this.api = api;
    this.onEnded = onEnded;
    this.onRunning = onRunning;
    this.job = null;
    this.timer = null;
    root.innerHTML = `
      <h2>Training</h2>
      <p id="tr_job_state" class="tr-dim">no training in this session yet</p>
      <progress id="tr_job_progress" max="1" value="0"></progress>
      <div class="tr-row"><span id="tr_job_epochs"></span><span id="tr_job_time" class="tr-dim"></span>
        <span class="spacer"></span><button id="tr_cancel" type="button" class="danger" disabled>Cancel (keeps the best epoch)</button></div>
      <canvas id="tr_job_plot" class="tr-plot"></canvas>
      <div id="tr_job_result"></div>
      <details><summary>output of burro train</summary><pre id="tr_job_log"></pre></details>`;
    this.$ = (selector) => root.querySelector(selector);
    this.$("#tr_cancel").addEventListener("click", () => this.cancel());
    new ResizeObserver(() => this.draw()).observe(this.$("#tr_job_plot"));
  }

  async refresh() {
    let job = null;
    try { job = await this.api.get("/api/trainer/job"); } catch (error) {
      this.api.status(error.message, true);
    }
    this.show(job);
  }

  show(job) {
    const wasRunning = this.job && this.job.state === "running";
    this.job = job;
    clearTimeout(this.timer);
    if (!job) return;
    const running = job.state === "running";
    this.onRunning(running);
    const state = this.$("#tr_job_state");
    state.className = `tr-state ${job.state}`;
    state.dataset.state = job.state;
    const phase = running ? ` (${job.phase === "step" || job.phase === "epoch" || job.phase === "fit" ? "fitting" : job.phase})` : "";
    state.textContent = `run ${job.number}: ${STATES[job.state] || job.state}${phase}` +
      (job.model ? ` — ${job.model.split("/").pop()}` : "");
    const done = job.epochs.length;
    const total = job.max_epochs || 0;
    this.$("#tr_job_progress").max = total || 1;
    this.$("#tr_job_progress").value = running ? done + job.epoch_fraction : (total ? Math.min(done, total) : 1);
    const last = job.epochs[done - 1];
    this.$("#tr_job_epochs").textContent = total
      ? `epoch ${done}${running && done < total && job.epoch_fraction > 0 ? ` (+${Math.round(job.epoch_fraction * 100)} % of the next)` : ""} of ${total}` +
        (last ? ` — loss ${last.loss.toFixed(4)}, val_loss ${last.val_loss === null ? "–" : last.val_loss.toFixed(4)}` : "")
      : "";
    this.$("#tr_job_time").textContent = `${duration(job.elapsed_s)} elapsed` +
      (running && job.time_left_s !== null ? `, at most ${duration(job.time_left_s)} left (early stopping may end it sooner)` : "");
    this.$("#tr_cancel").disabled = !running || job.cancelled;
    this.$("#tr_job_log").textContent = job.log.join("\n");
    this.showResult(job);
    this.draw();
    if (running) this.timer = setTimeout(() => this.refresh(), 1000);
    else if (wasRunning) this.onEnded(job);
  }

  showResult(job) {
    const box = this.$("#tr_job_result");
    const result = job.result;
    if (job.state === "failed") {
      box.innerHTML = `<p class="error">${esc(job.error)}</p>`;
    } else if (result) {
      box.innerHTML = `<p class="tr-ok">${job.state === "saved_best" ? "cancelled: kept" : "saved"}
        <code>${esc(result.model)}</code> — best val_loss ${result.best_val_loss.toFixed(4)} at epoch
        ${result.best_epoch} of ${result.epochs}${result.interrupted ? " (interrupted)" : ""}</p>`;
    } else if (job.state === "cancelled") {
      box.innerHTML = `<p class="error">cancelled before an epoch ended: nothing was saved</p>`;
    } else if (job.cancelled) {
      box.innerHTML = `<p class="tr-dim">cancelling: the run saves its best epoch so far…</p>`;
    } else box.innerHTML = "";
  }

  draw() {
    const epochs = this.job ? this.job.epochs : [];
    const history = { loss: epochs.map((e) => e.loss), val_loss: epochs.map((e) => e.val_loss ?? NaN) };
    const best = epochs.length ? epochs[epochs.length - 1].best_epoch : null;
    drawLoss(this.$("#tr_job_plot"), history, { best, maxEpochs: this.job && this.job.max_epochs });
  }

  async cancel() {
    this.$("#tr_cancel").disabled = true;
    try { this.show(await this.api.post("/api/trainer/job/cancel")); } catch (error) {
      this.api.status(error.message, true);
    }
  }
}
