/**
 * The text fields of a multipart/form-data body (RFC 7578), enough for RFC 8058 one-click unsubscribe,
 * which senders SHOULD post as multipart. Files are ignored.
 */
export function multipartFields(body: string, contentType: string): Record<string, string> {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!boundary) return {};
  const delimiter = `--${boundary[1] ?? boundary[2]}`;
  const fields: Record<string, string> = {};
  for (const part of body.split(delimiter).slice(1)) {
    if (part.startsWith('--')) break;
    const split = part.indexOf('\r\n\r\n');
    if (split === -1) continue;
    const headers = part.slice(0, split);
    const name = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(headers);
    if (!name || /\bfilename=/i.test(headers)) continue;
    fields[name[1]] = part.slice(split + 4).replace(/\r\n$/, '');
  }
  return fields;
}
