// One pilot of the database: its loss curves, config, tubs and comment; edit, delete, undo.

import { drawLoss } from "./plot.js";
import { cellText } from "./table.js";

const esc = (text) => String(text).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

// A config value as myconfig.py writes it (True, None, 'text'), not as JSON.
function pythonText(value) {
  if (value === null) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pythonText).join(", ")}]`;
  if (typeof value === "object") {
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${pythonText(v)}`).join(", ")}}`;
  }
  return String(value);
}

export class PilotPanel {
  constructor(root, api, { onChanged }) {
    this.root = root;
    this.api = api;
    this.onChanged = onChanged;
    this.detail = null;
    this.lastDeleted = null;
    root.innerHTML = `
      <p id="tr_pilot_none" class="tr-dim">click a pilot in the table to see it</p>
      <div id="tr_pilot" class="tr-pilot" hidden><div>
        <h3 id="tr_pilot_name"></h3>
        <p id="tr_pilot_facts" class="tr-dim"></p>
        <canvas id="tr_pilot_plot" class="tr-plot"></canvas>
        <div class="tr-row"><input id="tr_pilot_comment" type="text" placeholder="comment">
          <button id="tr_pilot_save" type="button">Save comment</button>
          <span class="spacer"></span>
          <button id="tr_pilot_delete" type="button" class="danger">Delete pilot…</button></div>
        </div><div>
        <h4>Tubs</h4><ul id="tr_pilot_tubs"></ul>
        <h4>Files</h4><ul id="tr_pilot_files"></ul>
        <details><summary>Config it was trained with</summary>
          <input id="tr_pilot_config_filter" type="search" placeholder="filter keys">
          <div class="tr-scroll"><table id="tr_pilot_config"></table></div></details>
      </div></div>
      <div id="tr_undo" hidden class="tr-row"><span id="tr_undo_text"></span>
        <button id="tr_undo_button" type="button">Undo</button></div>
      <dialog id="tr_confirm"><form method="dialog">
        <h2>Delete this pilot?</h2>
        <p id="tr_confirm_text"></p>
        <menu><button value="cancel">Keep it</button>
          <button id="tr_confirm_ok" value="ok" class="danger">Delete</button></menu>
      </form></dialog>`;
    this.$ = (selector) => root.querySelector(selector);
    this.$("#tr_pilot_save").addEventListener("click", () => this.saveComment());
    this.$("#tr_pilot_delete").addEventListener("click", () => this.askDelete());
    this.$("#tr_undo_button").addEventListener("click", () => this.undo());
    this.$("#tr_pilot_config_filter").addEventListener("input", () => this.showConfig());
    new ResizeObserver(() => this.detail && this.draw()).observe(this.$("#tr_pilot_plot"));
  }

  async show(number) {
    try {
      this.detail = await this.api.get(`/api/trainer/models/${number}`);
    } catch (error) { this.api.status(error.message, true); return; }
    const { row, tubs, files, training } = this.detail;
    this.$("#tr_pilot_none").hidden = true;
    this.$("#tr_pilot").hidden = false;
    this.$("#tr_pilot").dataset.number = row.Number;
    this.$("#tr_pilot_name").textContent = `${row.Name} (${row.Type || "?"})`;
    this.$("#tr_pilot_facts").textContent = [
      `trained ${cellText("Time", row.Time)}`, `${row.Records ?? "?"} records`,
      `${row.Epochs ?? (row.History?.loss || []).length} epochs`,
      `best val_loss ${cellText("BestValLoss", row.BestValLoss)}`,
      row.Interrupted ? "interrupted (best epoch kept)" : null,
      row.Transfer ? `transfer from ${row.Transfer}` : null,
      training.frame_size || null,
    ].filter(Boolean).join(" · ");
    this.$("#tr_pilot_comment").value = row.Comment || "";
    this.$("#tr_pilot_tubs").innerHTML = tubs.map((t) => `<li><code>${esc(t)}</code></li>`).join("") || "<li>–</li>";
    this.$("#tr_pilot_files").innerHTML = files.map((f) => `<li><code>${esc(f)}</code></li>`).join("")
      || `<li class="error">no file of this pilot is in the models folder</li>`;
    this.showConfig();
    this.draw();
  }

  showConfig() {
    if (!this.detail) return;
    const filter = this.$("#tr_pilot_config_filter").value.trim().toUpperCase();
    const entries = Object.entries(this.detail.config).filter(([key]) => key.includes(filter));
    this.$("#tr_pilot_config").innerHTML = entries.length
      ? entries.map(([key, value]) => `<tr><td><code>${esc(key)}</code></td><td><code>${esc(pythonText(value))}</code></td></tr>`).join("")
      : `<tr><td class="tr-dim">no config stored with this pilot</td></tr>`;
  }

  draw() {
    const { row, training } = this.detail;
    const history = row.History || training.history || {};
    drawLoss(this.$("#tr_pilot_plot"), history, { best: training.best_epoch || null });
  }

  async saveComment() {
    const number = this.detail.row.Number;
    try {
      await this.api.put(`/api/trainer/models/${number}`, { comment: this.$("#tr_pilot_comment").value });
      this.api.status(`comment of ${this.detail.row.Name} saved`);
      await this.onChanged();
    } catch (error) { this.api.status(error.message, true); }
  }

  askDelete() {
    const { row, files } = this.detail;
    this.$("#tr_confirm_text").innerHTML = `<strong>${esc(row.Name)}</strong>: its row leaves the
      database and its ${files.length} file(s) move to <code>models/.deleted/</code>
      (Undo brings them back):<br>${files.map((f) => `<code>${esc(f.split("/").pop())}</code>`).join(", ")}`;
    const dialog = this.$("#tr_confirm");
    dialog.onclose = () => { if (dialog.returnValue === "ok") this.delete(); };
    dialog.returnValue = "";
    dialog.showModal();
  }

  async delete() {
    const { row } = this.detail;
    try {
      this.lastDeleted = await this.api.delete(`/api/trainer/models/${row.Number}`, { confirm: row.Name });
    } catch (error) { this.api.status(error.message, true); return; }
    this.api.status(`deleted ${row.Name}: its files are in ${this.lastDeleted.trash}`);
    this.detail = null;
    this.$("#tr_pilot").hidden = true;
    this.$("#tr_pilot_none").hidden = false;
    this.$("#tr_undo").hidden = false;
    this.$("#tr_undo_text").textContent = `deleted ${row.Name}`;
    await this.onChanged();
  }

  async undo() {
    if (!this.lastDeleted) return;
    try {
      const row = await this.api.post("/api/trainer/restore", { trash: this.lastDeleted.trash });
      this.api.status(`restored ${row.Name}`);
      this.lastDeleted = null;
      this.$("#tr_undo").hidden = true;
      await this.onChanged();
    } catch (error) { this.api.status(error.message, true); }
  }
}
