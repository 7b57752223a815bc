// Creates a demo account with a verified demo sender through the admin API, and prints how to send.
// Usage: node scripts/demo-account.mjs <gateway url> <admin key> [gateway url to print, default the first]
const [gateway, adminKey, shown = gateway] = process.argv.slice(2);
const headers = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };

async function call(path, body) {
  const res = await fetch(`${gateway}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  const json = await res.json();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json.error ?? json)}`);
  return json.data;
}

const name = `demo-${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '')}`;
const created = await call('/admin/accounts', { name, operatorName: 'demo' });
await call(`/admin/accounts/${created.account.id}/senders`, { identity: 'elipackage.test' });
const body = JSON.stringify({
  to: 'success@simulator.amazonses.com',
  from: 'promo@elipackage.test',
  text: 'we have a new offer this week',
  subject: 'EliPackage Promo',
  externalId: '123456789abcde',
  clientId: '48118112',
  alias: 'New User',
});
const viewer = process.env.SES_ENDPOINT ? `Sent mail viewer:  ${process.env.SES_ENDPOINT}\n` : '';
// No callbacks in the demo: a public URL fails offline. Add "callbacks":["<your receiver>"] to get status POSTs.
console.log(`
Demo account "${name}" (verified sender domain elipackage.test)
API key (shown once): ${created.apiKey.key}

  export KEY='${created.apiKey.key}'
  curl -s -X POST ${shown}/emails -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d '${body}'
  curl -s ${shown}/emails/<id> -H "Authorization: Bearer $KEY"

${viewer}API docs:          ${shown}/docs
`);
