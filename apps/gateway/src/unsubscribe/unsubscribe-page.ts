const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** `j***@example.com`: enough for the recipient to recognise, little for whoever the email was forwarded to. */
function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${address[0]}***${address.slice(at)}`;
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escape(title)}</title>
<style>
body{font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;background:#f5f5f7;color:#1d1d1f;margin:0}
main{max-width:440px;margin:12vh auto;background:#fff;border-radius:12px;padding:32px;box-shadow:0 1px 4px rgba(0,0,0,.08)}
h1{font-size:22px;margin:0 0 12px}p{line-height:1.5}
button{font-size:16px;padding:10px 20px;border:0;border-radius:8px;background:#1d1d1f;color:#fff;cursor:pointer}
</style>
</head>
<body><main>
<h1>${escape(title)}</h1>
${body}
</main></body>
</html>
`;
}

/** The confirmation page: a GET changes nothing (link scanners follow links); the button POSTs. */
export function confirmPage(to: string, from: string): string {
  const sender = from.slice(from.lastIndexOf('@') + 1);
  return page(
    'Unsubscribe',
    `<p>Stop receiving emails from <strong>${escape(sender)}</strong> at <strong>${escape(maskAddress(to))}</strong>?</p>
<form method="post"><input type="hidden" name="confirm" value="page"><button type="submit">Unsubscribe</button></form>`,
  );
}

export function donePage(to: string, from: string): string {
  const sender = from.slice(from.lastIndexOf('@') + 1);
  return page(
    'You are unsubscribed',
    `<p><strong>${escape(maskAddress(to))}</strong> will no longer receive emails from <strong>${escape(sender)}</strong>.</p>`,
  );
}

export function notFoundPage(): string {
  return page(
    'Link not valid',
    '<p>This unsubscribe link is not valid. Please use the link in the email you received.</p>',
  );
}
