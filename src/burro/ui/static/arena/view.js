// "What the pilot sees": pick augmentations and transformations (from the registries, with
// their config keys), set their values and a seed; the server sends the frame after them.

const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};

function keyInput(key, settings, changed) {
  // A number for int/float keys, two numbers for a (low, high) range, text otherwise.
  const value = key.value ?? key.default;
  settings[key.name] = value;
  const wrap = el("label", { className: "arena-key", title: key.description }, key.name + " ");
  const number = (initial, set) => {
    const input = el("input", { type: "number", step: "any", value: String(initial) });
    input.dataset.key = key.name;
    input.addEventListener("change", () => { set(Number(input.value)); changed(); });
    return input;
  };
  if (Array.isArray(value)) {
    wrap.append(number(value[0], (v) => { settings[key.name] = [v, settings[key.name][1]]; }),
                number(value[1], (v) => { settings[key.name] = [settings[key.name][0], v]; }));
  } else if (typeof value === "number") {
    wrap.append(number(value, (v) => { settings[key.name] = v; }));
  } else {
    const input = el("input", { type: "text", value: String(value ?? "") });
    input.addEventListener("change", () => { settings[key.name] = input.value; changed(); });
    wrap.append(input);
  }
  return wrap;
}

function entryList(title, entries, chosen, settings, changed, name) {
  const box = el("fieldset", { className: "arena-entries" }, el("legend", {}, title));
  for (const entry of entries) {
    const tick = el("input", { type: "checkbox", checked: chosen.includes(entry.name) });
    tick.dataset[name] = entry.name;
    const keys = el("div", { className: "arena-keys" });
    for (const key of entry.keys) keys.append(keyInput(key, settings, changed));
    keys.hidden = !tick.checked;
    tick.addEventListener("change", () => {
      const at = chosen.indexOf(entry.name);
      if (tick.checked && at < 0) chosen.push(entry.name);
      if (!tick.checked && at >= 0) chosen.splice(at, 1);
      keys.hidden = !tick.checked;
      changed();
    });
    box.append(el("div", { className: "arena-entry" }, el("label", {}, tick, " " + entry.name), keys));
  }
  return box;
}

// Builds the panel into `box`; `changed()` is called whenever the view changes. Returns
// { view() → the JSON the server takes, or null when nothing is chosen; feedPilots() }.
export function viewPanel(box, options, changed) {
  const augmentations = [];
  const transformations = options.car.transformations.map((name) => String(name).toUpperCase());
  const settings = {};
  let seed = 0;
  const seedInput = el("input", { type: "number", min: "0", value: "0", id: "arena_seed" });
  seedInput.addEventListener("change", () => { seed = Math.max(0, Math.trunc(Number(seedInput.value) || 0)); changed(); });
  const reroll = el("button", { type: "button", textContent: "New draw", id: "arena_reroll" });
  reroll.addEventListener("click", () => {
    seed = Math.floor(Math.random() * 100000);
    seedInput.value = String(seed);
    changed();
  });
  const feed = el("input", { type: "checkbox", id: "arena_feed" });
  feed.addEventListener("change", changed);
  box.append(
    entryList("Augmentations (training only)", options.augmentations, augmentations, settings,
              changed, "augmentation"),
    entryList("Transformations", options.transformations, transformations, settings, changed,
              "transformation"),
    el("div", { className: "arena-row" }, el("label", {}, "seed ", seedInput), reroll),
    el("label", { className: "arena-row" }, feed,
       " pilots drive on the augmented frame"),
  );
  return {
    view() {
      if (!augmentations.length && !transformations.length) return null;
      return { augmentations: [...augmentations], transformations: [...transformations],
               settings: { ...settings }, seed };
    },
    // What the pilots get: the augmentations only (a pilot applies its own transformations).
    pilotView() {
      if (!feed.checked || !augmentations.length) return null;
      return { augmentations: [...augmentations], transformations: [], settings: { ...settings }, seed };
    },
  };
}
