// The model database as a table: click a header to sort, type to filter, tick the columns.

const ALL_COLUMNS = ["Number", "Name", "Type", "Time", "Records", "Epochs", "BestValLoss",
  "Interrupted", "Tubs", "Transfer", "Comment"];
const SHOWN = ["Number", "Name", "Type", "Time", "Epochs", "BestValLoss", "Comment"];
const STORE = "burro.trainer.columns";

export function cellText(column, value) {
  if (value === null || value === undefined || value === "") return "–";
  if (column === "Time" && typeof value === "number") {
    return new Date(value * 1000).toISOString().slice(0, 16).replace("T", " ");
  }
  if (column === "BestValLoss" && typeof value === "number") return value.toFixed(4);
  if (column === "Tubs" && Array.isArray(value)) return value.map((t) => t.split("/").pop()).join(", ");
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value);
}

export class PilotTable {
  constructor(root, onPick) {
    this.root = root;
    this.onPick = onPick;
    this.rows = [];
    this.sortBy = "Number";
    this.descending = true;
    this.picked = null;
    let saved = null;
    try { saved = JSON.parse(localStorage.getItem(STORE)); } catch { saved = null; }
    this.columns = Array.isArray(saved) && saved.length ? saved : [...SHOWN];
    root.innerHTML = `
      <div class="tr-row">
        <input id="tr_db_filter" type="search" placeholder="filter: any text in a row">
        <details id="tr_db_columns"><summary>Columns</summary><div class="tr-columns"></div></details>
        <span id="tr_db_count" class="tr-dim"></span>
      </div>
      <div class="tr-scroll"><table id="tr_db_table"><thead></thead><tbody></tbody></table></div>`;
    this.filter = root.querySelector("#tr_db_filter");
    this.filter.addEventListener("input", () => this.render());
    const boxes = root.querySelector(".tr-columns");
    for (const column of ALL_COLUMNS) {
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.value = column;
      box.checked = this.columns.includes(column);
      box.addEventListener("change", () => {
        this.columns = ALL_COLUMNS.filter((c) => boxes.querySelector(`input[value="${c}"]`).checked);
        localStorage.setItem(STORE, JSON.stringify(this.columns));
        this.render();
      });
      label.append(box, " " + column);
      boxes.append(label);
    }
  }

  setRows(rows) { this.rows = rows; this.render(); }

  visibleRows() {
    const words = this.filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    const rows = this.rows.filter((row) => {
      const text = ALL_COLUMNS.map((c) => cellText(c, row[c])).join(" ").toLowerCase();
      return words.every((word) => text.includes(word));
    });
    const key = this.sortBy;
    rows.sort((a, b) => {
      const x = a[key], y = b[key];
      const order = typeof x === "number" && typeof y === "number" ? x - y
        : cellText(key, x).localeCompare(cellText(key, y), undefined, { numeric: true });
      return this.descending ? -order : order;
    });
    return rows;
  }

  render() {
    const head = this.root.querySelector("thead");
    const body = this.root.querySelector("tbody");
    head.replaceChildren();
    body.replaceChildren();
    const header = document.createElement("tr");
    for (const column of this.columns) {
      const th = document.createElement("th");
      th.textContent = column + (column === this.sortBy ? (this.descending ? " ▼" : " ▲") : "");
      th.dataset.column = column;
      th.addEventListener("click", () => {
        if (this.sortBy === column) this.descending = !this.descending;
        else { this.sortBy = column; this.descending = false; }
        this.render();
      });
      header.append(th);
    }
    head.append(header);
    const rows = this.visibleRows();
    for (const row of rows) {
      const tr = document.createElement("tr");
      tr.dataset.number = row.Number;
      if (row.Number === this.picked) tr.classList.add("picked");
      if (row.missing) tr.classList.add("missing");
      for (const column of this.columns) {
        const td = document.createElement("td");
        td.textContent = cellText(column, row[column]);
        td.dataset.column = column;
        tr.append(td);
      }
      tr.addEventListener("click", () => { this.picked = row.Number; this.render(); this.onPick(row); });
      body.append(tr);
    }
    if (!rows.length) {
      const tr = document.createElement("tr");
      tr.className = "tr-empty";
      tr.innerHTML = `<td colspan="${this.columns.length}" class="tr-dim">${this.rows.length
        ? "no pilot matches the filter" : "no pilot in the database yet: train one above"}</td>`;
      body.append(tr);
    }
    this.root.querySelector("#tr_db_count").textContent =
      `${rows.length} of ${this.rows.length} pilots`;
  }
}
