/**
 * The console's own API calls: sends one request and reads its whole answer whatever the status (API answers are
 * no-store, and Chromium does not finish a request whose uncached answer nobody reads: the connection stays busy and
 * the page never goes quiet). A failure throws the API's error message, or the status when the answer has none.
 */
export async function fetchJson<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(path, init);
  const text = await res.text();
  if (!res.ok) {
    let message = `${path} failed (${res.status})`;
    try {
      message = JSON.parse(text).error?.message ?? message;
    } catch {
      // not JSON (a proxy's error page): the status says it
    }
    throw new Error(message);
  }
  return (text ? JSON.parse(text) : null) as T;
}
