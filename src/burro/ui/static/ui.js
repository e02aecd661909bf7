// The shell of burro ui: tabs, the open car/tubs dialogs, and the `api` every screen gets.
// A screen is an ES module (static/<name>.js) exporting mount(element, api); see docs/ui.md.

const token = new URLSearchParams(location.search).get("token");
const byId = (id) => document.getElementById(id);
const stateListeners = [];
let state = { car_dir: null, tubs: [], roots: [] };

function withToken(path) {
  if (!token) return path;
  return path + (path.includes("?") ? "&" : "?") + "token=" + encodeURIComponent(token);
}

async function request(method, path, body) {
  const options = { method, headers: {} };
  if (body !== undefined) {
    options.body = JSON.stringify(body);
    options.headers["Content-Type"] = "application/json";
  }
  const response = await fetch(withToken(path), options);
  const text = await response.text();
  let value = null;
  try { value = text ? JSON.parse(text) : null; } catch { value = { error: text }; }
  if (!response.ok) {
    const message = (value && value.error) || `${response.status} ${response.statusText}`;
    throw new Error(message);
  }
  return value;
}

function status(message, isError = false) {
  const footer = byId("status");
  footer.textContent = message;
  footer.classList.toggle("error", isError);
}

function shortName(path) {
  return path ? path.split("/").filter(Boolean).pop() : "none";
}

function setState(next) {
  state = next;
  byId("car_name").textContent = shortName(state.car_dir);
  byId("tub_names").textContent = state.tubs.length ? state.tubs.map(shortName).join(", ") : "none";
  for (const listener of stateListeners) listener(state);
}

// ----- the folder chooser ---------------------------------------------------------------------

function chooseFolder({ title = "Open", want = "folder", multiple = false, start = null } = {}) {
  // want: "car" (a folder with config.py), "tub" (a folder with manifest.json) or "folder".
  const dialog = byId("chooser");
  const picked = new Set();
  let current = null;
  byId("chooser_title").textContent = title;

  async function show(path) {
    byId("chooser_error").hidden = true;
    try {
      current = await request("GET", "/api/browse?path=" + encodeURIComponent(path || ""));
    } catch (error) {
      byId("chooser_error").textContent = error.message;
      byId("chooser_error").hidden = false;
      return;
    }
    byId("chooser_path").textContent = current.path;
    byId("chooser_up").disabled = !current.parent;
    const list = byId("chooser_entries");
    list.replaceChildren();
    for (const entry of current.entries) {
      const item = document.createElement("li");
      const pickable = want === "tub" ? entry.tub : true;
      const box = document.createElement("input");
      box.type = multiple ? "checkbox" : "radio";
      box.name = "chooser_pick";
      box.hidden = !pickable;
      box.checked = picked.has(entry.path);
      box.addEventListener("click", (event) => {
        event.stopPropagation();
        if (!multiple) picked.clear();
        if (box.checked) picked.add(entry.path); else picked.delete(entry.path);
      });
      const name = document.createElement("span");
      name.textContent = entry.name;
      const kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = entry.tub ? "tub" : entry.car ? "car folder" : "";
      item.append(box, name, kind);
      item.addEventListener("click", () => show(entry.path));
      list.append(item);
    }
  }

  return new Promise((resolve) => {
    byId("chooser_up").onclick = () => current && current.parent && show(current.parent);
    dialog.onclose = () => {
      if (dialog.returnValue !== "ok") return resolve(null);
      if (picked.size) return resolve([...picked]);
      if (current && (want !== "tub" || current.tub)) return resolve([current.path]);
      return resolve(null);
    };
    show(start).then(() => dialog.showModal());
  });
}

// ----- the api the screens get --------------------------------------------------------------

const api = {
  token,
  withToken,
  get: (path) => request("GET", path),
  post: (path, body = {}) => request("POST", path, body),
  put: (path, body = {}) => request("PUT", path, body),
  delete: (path, body) => request("DELETE", path, body),
  state: () => state,
  onState(listener) { stateListeners.push(listener); listener(state); },
  async refreshState() { setState(await request("GET", "/api/state")); return state; },
  socket(path) {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    return new WebSocket(`${scheme}//${location.host}${withToken(path)}`);
  },
  chooseFolder,
  status,
};

async function openCar() {
  const chosen = await chooseFolder({ title: "Open a car folder", want: "car",
                                      start: state.car_dir });
  if (!chosen) return;
  try {
    setState(await api.post("/api/car", { path: chosen[0] }));
    status(`opened the car folder ${state.car_dir}`);
  } catch (error) { status(error.message, true); }
}

async function openTubs() {
  const start = state.car_dir ? state.car_dir + "/data" : null;
  const chosen = await chooseFolder({ title: "Open tubs (tick one or more)", want: "tub",
                                      multiple: true, start });
  if (!chosen) return;
  try {
    setState(await api.post("/api/tubs", { paths: chosen }));
    status(`opened ${state.tubs.length} tub(s)`);
  } catch (error) { status(error.message, true); }
}

// ----- tabs ----------------------------------------------------------------------------------

function select(name) {
  for (const tab of byId("tabs").children) {
    tab.setAttribute("aria-selected", String(tab.dataset.name === name));
  }
  for (const section of byId("screens").children) section.hidden = section.dataset.name !== name;
  location.hash = name;
}

async function start() {
  byId("open_car").addEventListener("click", openCar);
  byId("open_tubs").addEventListener("click", openTubs);
  await api.refreshState();
  const screens = await request("GET", "/api/screens");
  for (const screen of screens) {
    const tab = document.createElement("button");
    tab.type = "button";
    tab.role = "tab";
    tab.id = `tab_${screen.name}`;
    tab.dataset.name = screen.name;
    tab.textContent = screen.title;
    tab.addEventListener("click", () => select(screen.name));
    byId("tabs").append(tab);
    const section = document.createElement("section");
    section.dataset.name = screen.name;
    section.id = `screen_${screen.name}`;
    section.hidden = true;
    byId("screens").append(section);
  }
  // The chosen tab shows at once; the screens mount one after the other behind it.
  const wanted = location.hash.slice(1);
  if (screens.length) select(screens.some((s) => s.name === wanted) ? wanted : screens[0].name);
  for (const screen of screens) {
    const section = byId(`screen_${screen.name}`);
    try {
      const module = await import(withToken(`./${screen.script}`));
      await module.mount(section, api);
    } catch (error) {
      section.textContent = `this screen failed to load: ${error.message}`;
      status(`${screen.title}: ${error.message}`, true);
    }
  }
}

start().catch((error) => status(error.message, true));
