// The one redaction of the tool: whatever prints or keeps a setting that may hold a password (the
// SMTP URL) passes the text through here with the setting. Built on URL parsing, so that a password
// with @ : / ? # % or spaces (percent-encoded in the URL, as it must be) is found as typed, as
// encoded and as decoded, wherever it appears in the text: in the URL itself or in a server's error.

const MASK = '***';

/** The forms a URL's password may appear in: as typed in the URL, as WHATWG encodes it, decoded. */
export function passwordForms(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [];
  }
  if (parsed.password === '') return [];
  const forms = new Set<string>([parsed.password]);
  try {
    forms.add(decodeURIComponent(parsed.password));
  } catch {
    // a lone % stays as typed
  }
  // As typed: between the first ':' of the userinfo and its last '@' (URL parsing takes the last).
  const scheme = url.indexOf('://');
  const at = url.lastIndexOf('@', url.indexOf('/', scheme + 3) < 0 ? url.length : url.indexOf('/', scheme + 3));
  if (scheme >= 0 && at > scheme) {
    const userinfo = url.slice(scheme + 3, at);
    const colon = userinfo.indexOf(':');
    if (colon >= 0) forms.add(userinfo.slice(colon + 1));
  }
  return [...forms].filter((f) => f.length > 0).sort((a, b) => b.length - a.length);
}

/** `text` with every form of the given URLs' passwords replaced by ***: `smtp://alice:***@mail:25`. */
export function redact(text: string, ...urls: Array<string | undefined>): string {
  let out = text;
  for (const url of urls) {
    if (url === undefined) continue;
    for (const form of passwordForms(url)) out = out.split(form).join(MASK);
  }
  return out;
}
