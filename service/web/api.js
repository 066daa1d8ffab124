/* Calls to the GradPath API on the same origin, with the counselor's key from sessionStorage
 * (never localStorage or a cookie). Errors come back as the API's problem documents.
 */
import { $ } from "./dom.js";

export const KEY_STORE = "gradpath.apiKey";

export function apiKey() {
  return sessionStorage.getItem(KEY_STORE) || "";
}

export async function api(method, path, body, contentType) {
  const headers = { Accept: "application/json, application/problem+json" };
  const key = apiKey();
  if (key) headers.Authorization = `Bearer ${key}`;
  let payload;
  if (body !== undefined) {
    headers["Content-Type"] = contentType || "application/json";
    payload = typeof body === "string" ? body : JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body: payload, credentials: "omit", cache: "no-store" });
  } catch (e) {
    throw { title: "The service could not be reached", detail: String(e.message || e) };
  }
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
  if (!response.ok) {
    const problem = data && typeof data === "object" ? data : {};
    if (response.status === 401 || response.status === 403) {
      problem.title = problem.title || "A key is needed";
      problem.detail = `${problem.detail || ""} Enter the counselor API key at the top of the page.`.trim();
      $("key-box").open = true;
    }
    throw { status: response.status, title: problem.title || `HTTP ${response.status}`,
      detail: problem.detail || "", errors: problem.errors || [] };
  }
  return data;
}
