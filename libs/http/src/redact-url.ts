/** Query parameters that carry secrets: API keys sent where they should not be, tokens, signatures. */
const SECRET_NAMES = /^(x[-_])?(api[-_]?key|key|access[-_]?token|token|auth|authorization|secret|password|signature)$/i;
const SECRET_VALUE = /^pl_live_|^whsec_/;

/**
 * The URL as it may be logged: the value of every query parameter that holds or is named like a secret is
 * replaced by `[REDACTED]`. A client that puts its API key in the query string (which the gateway refuses)
 * must not also find it in our logs.
 */
export function redactUrl(url: string): string {
  const start = url.indexOf('?');
  if (start < 0) return url;
  const query = url
    .slice(start + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      const name = safeDecode(pair.slice(0, eq));
      const value = safeDecode(pair.slice(eq + 1));
      return SECRET_NAMES.test(name) || SECRET_VALUE.test(value) ? `${pair.slice(0, eq)}=[REDACTED]` : pair;
    })
    .join('&');
  return `${url.slice(0, start)}?${query}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
