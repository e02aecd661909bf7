// "Train a pilot": tubs, model type, transfer model, comment, config overrides; Check / Train.

const OTHER = "(another file)";
const esc = (text) => String(text).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

export class TrainForm {
  constructor(root, api, { onStarted }) {
    this.root = root;
    this.api = api;
    this.onStarted = onStarted;
    this.options = null;
    root.innerHTML = `
      <h2>Train a pilot</h2>
      <fieldset id="tr_tubs"><legend>Tubs</legend><p class="tr-dim">open tubs first</p></fieldset>
      <div class="tr-grid">
        <label for="tr_type">Model type</label><select id="tr_type"></select>
        <label for="tr_transfer">Transfer from</label>
        <div class="tr-stack"><select id="tr_transfer"><option value="">— none (new weights) —</option></select>
          <input id="tr_transfer_path" type="text" hidden
            placeholder="a .keras or .h5 file under the car folder, e.g. models/old.h5"></div>
        <label for="tr_comment">Comment</label>
        <input id="tr_comment" type="text" placeholder="what is new in this pilot">
      </div>
      <fieldset><legend>Config overrides (as <code>--set KEY=VALUE</code>)</legend>
        <datalist id="tr_key_names"></datalist>
        <div id="tr_overrides"></div>
        <div class="tr-row"><button id="tr_add_key" type="button">+ Add a key</button>
          <label><input id="tr_save_myconfig" type="checkbox"> also save them into myconfig.py</label></div>
      </fieldset>
      <div class="tr-row">
        <button id="tr_check" type="button">Check</button>
        <button id="tr_train" type="button" class="primary">Train</button>
      </div>
      <div id="tr_message" role="status"></div>`;
    this.$ = (selector) => root.querySelector(selector);
    this.$("#tr_add_key").addEventListener("click", () => this.addOverride());
    this.$("#tr_check").addEventListener("click", () => this.check());
    this.$("#tr_train").addEventListener("click", () => this.train());
    this.$("#tr_transfer").addEventListener("change", () => {
      this.$("#tr_transfer_path").hidden = this.$("#tr_transfer").value !== OTHER;
    });
  }

  async load() {
    this.options = await this.api.get("/api/trainer/options");
    const type = this.$("#tr_type");
    const chosen = type.value || this.options.default_type;
    type.innerHTML = this.options.types.map((name) => `<option>${esc(name)}</option>`).join("");
    type.value = this.options.types.includes(chosen) ? chosen : this.options.types[0];
    const transfer = this.$("#tr_transfer");
    const picked = transfer.value;
    transfer.innerHTML = `<option value="">— none (new weights) —</option>` + this.options.transfers
      .map((t) => `<option value="${esc(t.path)}">${esc(t.label)}</option>`).join("") +
      `<option value="${OTHER}">another file…</option>`;
    transfer.value = picked === OTHER || this.options.transfers.some((t) => t.path === picked) ? picked : "";
    this.$("#tr_transfer_path").hidden = transfer.value !== OTHER;
    this.$("#tr_key_names").innerHTML = this.options.keys
      .map((key) => `<option value="${esc(key.name)}">${esc(key.section)}: ${esc(key.type)}</option>`)
      .join("");
    this.showTubs(this.options.tubs);
  }

  showTubs(tubs) {
    const box = this.$("#tr_tubs");
    const before = new Map([...box.querySelectorAll("input")].map((i) => [i.value, i.checked]));
    box.innerHTML = "<legend>Tubs</legend>";
    if (!tubs.length) box.insertAdjacentHTML("beforeend", `<p class="tr-dim">no tub is open: open them with “Tubs:” above</p>`);
    for (const tub of tubs) {
      const label = document.createElement("label");
      label.className = "tr-tub";
      const input = document.createElement("input");
      input.type = "checkbox";
      input.value = tub;
      input.checked = before.has(tub) ? before.get(tub) : true;
      label.append(input, " " + tub);
      box.append(label);
    }
  }

  addOverride(key = "", value = "") {
    const row = document.createElement("div");
    row.className = "tr-override";
    row.innerHTML = `<input class="tr-key" list="tr_key_names" placeholder="KEY" value="${esc(key)}">
      <input class="tr-value" placeholder="value" value="${esc(value)}">
      <span class="tr-hint tr-dim"></span><button type="button" class="tr-remove" title="remove">✕</button>`;
    const keyInput = row.querySelector(".tr-key");
    const hint = () => {
      const found = this.options && this.options.keys.find((k) => k.name === keyInput.value.trim());
      row.querySelector(".tr-hint").textContent = found
        ? `${found.type}; now ${found.current}` : keyInput.value ? "not a config key" : "";
      row.querySelector(".tr-hint").title = found ? found.meaning : "";
      const valueInput = row.querySelector(".tr-value");
      if (found && !valueInput.value) valueInput.placeholder = found.current;
    };
    keyInput.addEventListener("input", hint);
    row.querySelector(".tr-remove").addEventListener("click", () => row.remove());
    this.$("#tr_overrides").append(row);
    hint();
    return row;
  }

  request() {
    return {
      tubs: [...this.$("#tr_tubs").querySelectorAll("input:checked")].map((i) => i.value),
      type: this.$("#tr_type").value,
      transfer: (this.$("#tr_transfer").value === OTHER
        ? this.$("#tr_transfer_path").value.trim() : this.$("#tr_transfer").value) || null,
      comment: this.$("#tr_comment").value.trim(),
      overrides: [...this.$("#tr_overrides").children].map((row) => ({
        key: row.querySelector(".tr-key").value.trim(),
        value: row.querySelector(".tr-value").value.trim(),
      })).filter((item) => item.key || item.value),
      save_to_myconfig: this.$("#tr_save_myconfig").checked,
    };
  }

  message(html, kind) {
    const box = this.$("#tr_message");
    box.className = `tr-message ${kind}`;
    box.innerHTML = html;
  }

  showCheck(check) {
    const lines = [`<strong>ready</strong>: ${check.records} records (${check.skipped} skipped),
      ${esc(check.frame_size)}, up to ${check.max_epochs} epochs → <code>${esc(check.model)}</code>`];
    if (check.replaces.length) lines.push(`replaces ${check.replaces.map(esc).join(", ")}`);
    for (const warning of check.warnings) lines.push(`⚠ ${esc(warning)}`);
    this.message(lines.join("<br>"), "ok");
  }

  async check() {
    this.message("checking…", "busy");
    try {
      this.showCheck(await this.api.post("/api/trainer/check", this.request()));
      return true;
    } catch (error) {
      this.message(`<strong>cannot train:</strong> ${esc(error.message)}`, "bad");
      return false;
    }
  }

  async train() {
    this.message("checking…", "busy");
    this.$("#tr_train").disabled = true;
    try {
      const answer = await this.api.post("/api/trainer/train", this.request());
      this.showCheck(answer.check);
      if (answer.saved.length) {
        this.$("#tr_message").insertAdjacentHTML("beforeend",
          `<br>saved into myconfig.py: ${answer.saved.map(esc).join(", ")}`);
      }
      this.api.status(`training started: ${answer.check.model}`);
      this.onStarted(answer.job);
    } catch (error) {
      this.message(`<strong>cannot train:</strong> ${esc(error.message)}`, "bad");
    } finally {
      this.$("#tr_train").disabled = false;
    }
  }

  setRunning(running) { this.$("#tr_train").disabled = running; }
}
