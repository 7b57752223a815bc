// Creates a demo account with a verified demo sender through the admin API, and prints how to send.
// Usage: node scripts/demo-account.mjs <gateway url> <admin key>
const [gateway, adminKey] = process.argv.slice(2);
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
  callbacks: ['https://example.com/hook'],
  alias: 'New User',
});
console.log(`
Demo account "${name}" (verified sender domain elipackage.test)
API key (shown once): ${created.apiKey.key}

Send an email:
  curl -s -X POST ${gateway}/emails -H 'Authorization: Bearer ${created.apiKey.key}' -H 'Content-Type: application/json' -d '${body}'

Then look it up:   curl -s ${gateway}/emails/<id> -H 'Authorization: Bearer ${created.apiKey.key}'
Sent mail viewer:  http://localhost:8005     API docs: ${gateway}/docs
`);
