// The Tub Manager's lists and value panel: record values with bars, field pickers, sessions
// with thumbnails, the tub's problems — each row jumps to its records.

const el = (tag, props = {}, children = []) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};

export function isControl(name) {
  return /(angle|throttle)$/.test(name);
}

export function formatValue(field, position, name) {
  const value = field.values[position];
  if (value === null || value === undefined) return "—";
  if (field.kind === "label") return field.labels[value];
  if (name === "_timestamp_ms") return new Date(value).toISOString().slice(11, 23);
  return Number.isInteger(value) ? String(value) : value.toFixed(3);
}

// Checkboxes for `names`; onChange(selected names) whenever one is ticked.
export function picker(container, names, selected, onChange) {
  container.replaceChildren();
  for (const name of names) {
    const box = el("input", { type: "checkbox", checked: selected.includes(name), value: name });
    box.addEventListener("change", () => onChange(
      [...container.querySelectorAll("input:checked")].map((b) => b.value)));
    container.append(el("label", {}, [box, " ", name]));
  }
}

// One row per shown field: name, value, and a centred bar for angle/throttle fields.
export class ValuesPanel {
  constructor(container) {
    this.container = container;
    this.rows = new Map();
  }

  setFields(fields, names) {
    this.fields = fields;
    this.container.replaceChildren();
    this.rows.clear();
    for (const name of names) {
      const value = el("span", { className: "number" });
      const bar = el("span");
      const track = el("div", { className: "bar" }, [bar]);
      track.hidden = !isControl(name);
      this.container.append(el("div", { className: "value" }, [el("span", { textContent: name }), value, track]));
      this.rows.set(name, { value, bar });
    }
    this.status = el("div", { className: "dim" });
    this.container.append(this.status);
  }

  show(position, note) {
    for (const [name, row] of this.rows) {
      const field = this.fields[name];
      row.value.textContent = formatValue(field, position, name);
      const v = field.values[position];
      if (isControl(name) && typeof v === "number") {
        const clamped = Math.max(-1, Math.min(1, v));
        row.bar.style.left = `${50 + Math.min(0, clamped) * 50}%`;
        row.bar.style.width = `${Math.abs(clamped) * 50}%`;
      }
    }
    this.status.textContent = note;
    this.status.className = note ? "deleted" : "dim";
  }
}

export function renderSessions(container, data, thumbUrl, jump) {
  const rows = data.sessions.map((session) => {
    const thumbs = el("div", { className: "tubs-thumbs" });
    const shown = Math.min(8, session.count);
    for (let k = 0; k < shown; k++) {
      const position = session.first + Math.round((k * (session.count - 1)) / Math.max(1, shown - 1));
      const image = el("img", { src: thumbUrl(position), loading: "lazy", alt: "",
                                title: `record ${data.index[position]}` });
      image.addEventListener("click", () => jump(position));
      thumbs.append(image);
    }
    const go = el("button", { type: "button", textContent: "Go" });
    go.addEventListener("click", () => jump(session.first));
    const span = `${data.index[session.first]}–${data.index[session.last]}`;
    return el("tr", {}, [el("td", {}, [el("b", { textContent: session.id }), el("br"),
                                       `${session.count} records, indexes ${span}`, thumbs]),
                         el("td", {}, [go])]);
  });
  container.replaceChildren(el("table", {}, [el("tbody", {}, rows)]));
}

// Each line of `burro tub check`; "Go" jumps to its first record, then to the next.
export function renderProblems(container, report, positionOf, jump) {
  if (!report.lines.length) {
    container.replaceChildren(el("p", { className: "dim",
      textContent: `no problems: ${report.good} good records` }));
    return;
  }
  const rows = report.lines.map((line) => {
    const cells = [el("td", { className: line.note ? "note" : "", textContent: line.text })];
    const targets = line.indexes.map(positionOf).filter((p) => p !== undefined);
    if (targets.length) {
      let next = 0;
      const go = el("button", { type: "button", textContent: "Go" });
      go.addEventListener("click", () => { jump(targets[next]); next = (next + 1) % targets.length; });
      cells.push(el("td", {}, [go]));
    } else {
      cells.push(el("td"));
    }
    return el("tr", {}, cells);
  });
  container.replaceChildren(el("table", {}, [el("tbody", {}, rows)]));
}
