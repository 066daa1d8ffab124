/* Small DOM helpers shared by every view: building elements from text (never HTML), numbers
 * in words, status badges, the status line and the error box.
 */

export const STATUS_LABEL = { met: "Met", in_progress: "In progress", unmet: "Unmet" };

export const FAMILY_STATUS = {
  met: "done",
  in_progress: "on track if the current courses are passed",
  unmet: "not yet done",
};

export const $ = (id) => document.getElementById(id);

export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

export function clear(node, ...children) {
  node.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined));
}

export function num(x) {
  if (x === null || x === undefined) return "";
  return Number.isInteger(x) ? String(x) : String(Math.round(x * 100) / 100);
}

export function plural(n, word, many) {
  return `${num(n)} ${n === 1 ? word : many || word + "s"}`;
}

export function unitWord(unit, n) {
  const words = { credits: ["credit", "credits"], courses: ["course", "courses"],
    levels: ["level", "levels"], hours: ["hour", "hours"], items: ["item", "items"], gpa: ["GPA", "GPA"] };
  const w = words[unit] || [unit, unit];
  return n === 1 ? w[0] : w[1];
}

export function badge(status) {
  return el("span", { class: `badge s-${status}`, dataset: { status } }, STATUS_LABEL[status] || status);
}

/* A region that may scroll sideways on a phone: focusable, so the keyboard can scroll it. */
export function scrollBox(label, child) {
  return el("div", { class: "scroll", role: "region", "aria-label": label, tabindex: 0 }, child);
}

export function setStatus(text) {
  $("status").textContent = text;
}

export function showError(err) {
  const box = $("error");
  if (!err) {
    box.hidden = true;
    clear(box);
    return;
  }
  const items = (err.errors || []).slice(0, 8).map((e) =>
    el("li", {}, `${(e.loc || []).join(" › ")}: ${e.msg}`));
  clear(box, el("p", {}, el("strong", {}, err.title || "Something went wrong"), " ", err.detail || ""),
    items.length ? el("ul", {}, items) : null);
  box.hidden = false;
}
